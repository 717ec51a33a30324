"""The grading page's analytics (viz/grading.py): pure pandas over results.json and gradebooks.

Expected numbers are counted by hand from the small fixtures below, not from the code under test.
"""

import io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from viz import grading


def _results(tests, score=None):
    data = {"execution_time": 1.0, "output": "", "visibility": "visible", "tests": tests}
    if score is not None:
        data["score"] = score
    return data


def _test(name, score, max_score, tags=None, output="", status=None):
    test = {"name": name, "score": score, "max_score": max_score, "output": output}
    if tags is not None:
        test["tags"] = tags
    if status is not None:
        test["status"] = status
    return test


CLASS = {
    "ann": _results(
        [
            _test("softmax: rows sum to 1", 2, 2, ["softmax"], status="passed"),
            _test("softmax: stable at z=1000", 0, 3, ["softmax"], "overflow at z=1000: subtract"),
            _test("sigmoid: stable", 1, 1, ["activations"]),
        ],
        score=3,
    ),
    "bob": _results(
        [
            _test("softmax: rows sum to 1", 0, 2, ["softmax"], "rows sum to 1.5 not 1"),
            _test("softmax: stable at z=1000", 0, 3, ["softmax"], "overflow at z=1000: subtract"),
            _test("sigmoid: stable", 0, 1, ["activations"], "overflow at z=-1000: use exp(-|z|)"),
        ]
    ),
}


def test_results_to_frame_counts_tests_and_passes():
    frame = grading.results_to_frame(CLASS)
    assert frame.shape == (6, len(grading.TEST_COLUMNS))
    assert frame["passed"].sum() == 2  # ann's first (status) and third (full score) tests
    assert set(frame["exercise"]) == {"softmax", "activations"}


def test_totals_use_top_level_score_else_sum():
    frame = grading.results_to_frame(CLASS)
    totals = grading.submission_totals(CLASS, frame).set_index("submission")
    assert totals.loc["ann", "score"] == 3 and totals.loc["ann", "max_score"] == 6
    assert totals.loc["bob", "score"] == 0
    assert totals.loc["ann", "percent"] == pytest.approx(50.0)


def test_pass_rates_per_exercise_sorted_hardest_first():
    table = grading.pass_rates(grading.results_to_frame(CLASS))
    assert list(table["exercise"]) == ["softmax", "activations"]
    assert table.loc[0, "pass_rate"] == pytest.approx(1 / 4)  # 1 of 4 softmax runs passed
    assert table.loc[1, "pass_rate"] == pytest.approx(1 / 2)
    assert table.loc[0, "points"] == pytest.approx(2 / 10)


def test_common_failures_group_messages_with_numbers_masked():
    table = grading.common_failures(grading.results_to_frame(CLASS), top=5)
    assert table.loc[0, "message"] == "overflow at z=#: subtract"
    assert table.loc[0, "count"] == 2 and table.loc[0, "submissions"] == 2
    # "z=1000" and "z=-1000" masked alike, but the messages differ after the colon
    assert len(table) == 3
    assert grading.failure_key("\n  got 1.5e-3 want 2\n") == "got # want #"
    assert grading.failure_key("") == "(no message)"


def test_exercise_from_name_when_no_tags():
    assert grading.exercise_of({"name": "dense_layer: backward dW"}) == "dense_layer"
    assert grading.exercise_of({"name": "plain"}) == "plain"
    assert grading.exercise_of({}) == "(unnamed)"


def test_read_uploads_json_zip_and_csv():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for student, data in CLASS.items():
            archive.writestr(f"out/{student}/results.json", json.dumps(data))
        archive.writestr("out/notes.txt", "ignored")
    csv = b"student,softmax,activations,total\nann,2,1,3\nbob,0,0,0\ncid,5,1,6\n"
    results, gradebook = grading.read_uploads(
        [
            ("class.zip", buffer.getvalue()),
            ("extra.json", json.dumps(CLASS["ann"]).encode()),
            ("gradebook.csv", csv),
        ]
    )
    assert set(results) == {"ann", "bob", "extra"}
    assert list(gradebook.columns) == ["student", "softmax", "activations", "total"]
    assert grading.total_column(gradebook) == "total"
    rates = grading.gradebook_exercise_rates(gradebook).set_index("exercise")
    assert rates.loc["softmax", "full_marks"] == pytest.approx(1 / 3)
    assert rates.loc["activations", "zero"] == pytest.approx(1 / 3)
    assert rates.loc["softmax", "mean"] == pytest.approx(7 / 3)


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("bad.json", b"{not json", "not valid JSON"),
        ("list.json", b"[1, 2]", "JSON object"),
        ("empty.json", b"{}", "neither"),
        ("bad.zip", b"PK nope", "not a readable zip"),
        ("nothing.csv", b"a,b\nx,y\n", "not a gradebook: it has no a student column and a total"),
        ("numbers.csv", b"a,b\n1,2\n3,4\n", "not a gradebook"),
        ("words.csv", b"student,total\nann,lots\n", "does not hold numbers"),
        ("photo.png", b"\x89PNG", "expected results.json"),
    ],
)
def test_bad_uploads_raise_clear_errors(name, content, match):
    with pytest.raises(ValueError, match=match):
        grading.read_uploads([(name, content)])


def test_empty_tables_and_figures_do_not_fail():
    empty = grading.results_to_frame({})
    assert grading.pass_rates(empty).empty and grading.common_failures(empty).empty
    assert grading.score_histogram(np.array([])).data[0].type == "bar"
    assert grading.pass_rate_bars(pd.DataFrame(columns=["exercise", "pass_rate"])).data


def test_histogram_marks_mean_and_median():
    fig = grading.score_histogram(np.array([0.0, 50.0, 100.0, 100.0]))
    texts = [annotation.text for annotation in fig.layout.annotations]
    assert texts == ["mean 62.5", "median 75.0"]


def test_histogram_on_a_fixed_scale_counts_full_marks():
    scores = np.array([100.0, 100.0, 97.5, 50.0, 0.0, 4.99])
    fig = grading.score_histogram(scores, top=100.0)
    counts = np.asarray(fig.data[0].y)
    assert counts.sum() == len(scores), "every student is counted, full marks included"
    assert counts[-1] == 3 and counts[0] == 2 and counts[10] == 1  # [95, 100], [0, 5), [50, 55)
    assert fig.layout.xaxis.range[0] == 0
