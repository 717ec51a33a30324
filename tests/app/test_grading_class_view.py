"""Grading page, the instructor's class view: off by default, the results folder in instructor
mode (regular files only, no content echoed), the sample class against the grader's CLI, the
pass-rate bands in words and hatching, and the tables and histogram in the Dark room and on a
projector."""

import csv
import json
import subprocess
import sys

import numpy as np
import pytest

# sandbox_ready is autouse: every test here is skipped (failed in CI) where the sandbox cannot run
from grading_helpers import (
    SAMPLES,
    needs_samples,
    open_grading,
    sandbox_ready,  # noqa: F401
)

from viz import grading_harness as harness
from viz import settings as settings_module


def _results(score, passed):
    return {
        "score": score,
        "tests": [
            {
                "name": "ex1: a",
                "score": score,
                "max_score": 2,
                "tags": ["ex1"],
                "status": "passed" if passed else "failed",
                "output": "" if passed else "bad at z=3",
            }
        ],
    }


def _class_folder(root, scores=(("ann", 2), ("bob", 0), ("cid", 0))):
    out = root / "week1"
    for student, score in scores:
        (out / student).mkdir(parents=True)
        (out / student / "results.json").write_text(json.dumps(_results(score, score == 2)))
    return out


def test_instructor_views_are_off_by_default_and_not_in_the_url(tmp_path):
    _class_folder(tmp_path)
    at = open_grading({"gd_source": "the results folder", "gd_folder": str(tmp_path / "week1")})
    assert not at.exception
    assert len(at.tabs) == 0, "no instructor tabs on a student server"
    labels = [metric.label for metric in at.metric]
    assert "Submissions" not in labels
    assert any("Instructor views" in caption.value for caption in at.caption)


def test_results_folder_in_instructor_mode(tmp_path):
    _class_folder(tmp_path)
    at = open_grading(nnlab={"instructor_mode": True, "results_dir": str(tmp_path)})
    assert not at.exception
    assert [tab.label for tab in at.tabs] == [
        "Your function against the reference",
        "Class results",
        "Grade a submission",
    ]
    at.radio(key="gd_source").set_value("the results folder").run()
    assert at.selectbox(key="gd_folder").options == ["week1"]
    assert not at.exception and not at.error
    values = {metric.label: metric.value for metric in at.metric}
    assert values["Submissions"] == "3"
    assert values["Mean score (%)"] == f"{100 * 2 / 6:.1f}"  # (2 + 0 + 0) / (3 * 2) points
    assert values["Tests passed"] == f"{1 / 3:.1%}"


def test_results_folder_reads_regular_files_only_and_echoes_no_content(tmp_path):
    import os

    out = _class_folder(tmp_path, (("ann", 2),))
    secret = tmp_path / "server_env.txt"
    secret.write_text("SECRET_TOKEN=hunter2")
    (out / "mallory").mkdir()
    (out / "mallory" / "results.json").symlink_to(secret)
    settings = settings_module.Settings(instructor_mode=True, results_dir=str(tmp_path))
    with pytest.raises(ValueError) as caught:
        harness.read_results_folder(settings, "week1")
    assert "hunter2" not in str(caught.value) and "regular file" in str(caught.value)
    (out / "mallory" / "results.json").unlink()
    os.mkfifo(out / "mallory" / "results.json")  # would block a reader forever
    with pytest.raises(ValueError, match="not a regular file"):
        harness.read_results_folder(settings, "week1")
    with pytest.raises(ValueError, match="choose one of"):
        harness.read_results_folder(settings, "../../etc")
    (tmp_path / "elsewhere").symlink_to("/etc", target_is_directory=True)
    assert "elsewhere" not in harness.results_folders(settings)


@needs_samples
def test_sample_class_matches_the_grader_cli(open_page, tmp_path):
    at = open_grading({"gd_assignment": "mlp_basics"}, nnlab={"instructor_mode": True})
    at.radio(key="gd_source").set_value("the sample class").run()
    assert not at.exception and not at.error
    subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "batch",
            str(SAMPLES),
            "--assignment",
            "mlp_basics",
            "--out",
            str(tmp_path),
            "--no-progress",
        ],
        cwd=harness.APP_DIR,
        check=True,
        capture_output=True,
    )
    rows = list(csv.DictReader((tmp_path / "gradebook.csv").open()))
    # the assignment's maximum as the grader reports it (not a number written here)
    results = json.loads(next(tmp_path.glob("*/results.json")).read_text())
    max_score = float(results["extra_data"]["max_score"])
    mean_percent = np.mean([100 * float(row["total"]) / max_score for row in rows])
    values = {metric.label: metric.value for metric in at.metric}
    assert values["Submissions"] == str(len(rows))
    assert values["Mean score (%)"] == f"{mean_percent:.1f}"
    assert len(at.get("plotly_chart")) >= 5  # histogram, pass rates, gradebook x2, comparison


def test_pass_rate_bands_are_said_in_words_and_hatched():
    import pandas as pd

    from viz import grading as grading_viz

    table = pd.DataFrame({"exercise": ["ex1", "ex2", "ex3"], "pass_rate": [0.25, 0.6, 0.9]})
    fig = grading_viz.pass_rate_bars(table)
    by_name = {trace.name: trace for trace in fig.data}
    assert set(by_name) == {"low: under 50%", "medium: 50% to 80%", "high: 80% and over"}
    assert list(by_name["low: under 50%"].y) == ["ex1"]
    assert list(by_name["low: under 50%"].text) == ["25% low"]
    assert list(by_name["medium: 50% to 80%"].text) == ["60% medium"]
    assert list(by_name["high: 80% and over"].text) == ["90%"]
    patterns = {trace.marker.pattern.shape for trace in fig.data}
    assert len(patterns) == 3, "each band has its own hatching, not only its own colour"
    assert [grading_viz.rate_band(r) for r in (0.0, 0.49, 0.5, 0.79, 0.8, 1.0)] == [
        "low", "low", "medium", "medium", "high", "high"
    ]  # fmt: skip


def test_instructor_tables_lead_with_the_point_and_dark_histogram(tmp_path):
    """Class results in the Dark room: the histogram's bars in the dark palette, the tables'
    lecture columns first (the failure count and message; each submission's percent)."""
    from viz import palette

    _class_folder(tmp_path)
    at = open_grading(
        {"theme": "Dark room"}, nnlab={"instructor_mode": True, "results_dir": str(tmp_path)}
    )
    at.radio(key="gd_source").set_value("the results folder").run()
    assert not at.exception and not at.error
    specs = {chart.proto.id: json.loads(chart.proto.spec) for chart in at.get("plotly_chart")}
    histogram = next(spec for key, spec in specs.items() if "gd_hist" in key)
    assert histogram["data"][0]["marker"]["color"] == palette.DARK[0]
    rates = next(spec for key, spec in specs.items() if "gd_rates" in key)
    assert [trace["name"] for trace in rates["data"]] == ["low: under 50%"]  # 1 of 3 passed
    failures, totals = at.table[0].value, at.table[1].value
    assert list(failures.columns[:2]) == ["count", "message"]
    assert list(failures["count"]) == [2]  # bob and cid failed with the same message
    assert list(totals.columns[:2]) == ["submission", "percent"]
    assert sorted(totals["percent"]) == [0.0, 0.0, 100.0]


def test_instructor_tables_in_presenter_mode_show_their_lead_only(tmp_path):
    """On a projector every column must fit: the HTML tables carry the lead columns alone (all
    columns, with each failure's full example, ran 600 px past the right edge at 1024 px; a
    third 'submissions' column still needed 43 px more than the column had)."""
    _class_folder(tmp_path)
    at = open_grading(
        {"presenter": "true"}, nnlab={"instructor_mode": True, "results_dir": str(tmp_path)}
    )
    at.radio(key="gd_source").set_value("the results folder").run()
    assert not at.exception and not at.error and not at.dataframe
    failures, totals = at.table[0].value, at.table[1].value
    assert list(failures.columns) == ["count", "message"]
    assert list(totals.columns) == ["submission", "percent", "score"]
    assert sorted(totals["percent"]) == [0.0, 0.0, 100.0]  # values; the display is formatted
