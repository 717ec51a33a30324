"""Grading page: the harness bridge (subprocess grading, sandboxed evaluation), the comparison
against the reference, and the page at its defaults and extremes."""

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from viz import grading_compare as compare
from viz import grading_harness as harness
from viz import settings as settings_module

PAGE = "pages/grading.py"


@pytest.fixture(autouse=True, scope="module")
def sandbox_ready():
    """The self-check needs the bubblewrap sandbox: skipped with the reason where it cannot run,
    failed where NNLAB_REQUIRE_SANDBOX=1 (CI)."""
    import os

    from grader.sandbox import SandboxUnavailable, preflight

    try:
        preflight()
    except SandboxUnavailable as error:
        if os.environ.get("NNLAB_REQUIRE_SANDBOX") == "1":
            pytest.fail(f"NNLAB_REQUIRE_SANDBOX=1 but the sandbox cannot run: {error}")
        pytest.skip(f"the sandbox cannot run here: {error}")


APP = str(harness.APP_DIR / "app.py")
SAMPLES = harness.APP_DIR / "exercises" / "mlp_basics" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="mlp_basics samples not present")


# ------------------------------------------------------------------------ comparison logic
def test_compare_marks_values_beyond_tolerance_and_nan():
    reference = np.array([[1.0], [2.0], [0.0], [np.inf]])
    student = np.array([1.0 + 1e-9, 2.1, np.nan, np.inf])
    difference = compare.compare(student, reference)
    assert difference.mismatch.tolist() == [False, True, True, False]
    assert difference.count == 2 and difference.worst == np.inf


def test_compare_rejects_wrong_sizes_with_both_shapes():
    with pytest.raises(ValueError, match=r"\(3,\).*\(4, 1\)"):
        compare.compare(np.zeros(3), np.zeros((4, 1)))


def test_references_are_the_closed_forms():
    x = np.linspace(-30, 30, 61)
    sigmoid = compare.COMPARABLES["activations.py: sigmoid"].reference(x, 1.0)[:, 0]
    np.testing.assert_allclose(sigmoid, 1 / (1 + np.exp(-x)), rtol=1e-12)
    tanh_grad = compare.COMPARABLES["activations.py: tanh_grad"].reference(x, 1.0)[:, 0]
    np.testing.assert_allclose(tanh_grad, 1 - np.tanh(x) ** 2, atol=1e-15)
    softmax = compare.COMPARABLES["output_units.py: softmax"].reference(x, 2.0)
    scores = 2.0 * np.stack([x, 0 * x, 0 * x + 1], axis=1)
    expected = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(softmax, expected / expected.sum(axis=1, keepdims=True))
    reduced = compare.COMPARABLES["output_units.py: softmax_reduced"].reference(x, 1.0)
    assert reduced.shape == (61, 3)
    np.testing.assert_allclose(reduced[:, 2], 1 / (1 + np.exp(x) + np.exp(0.5)))


# ------------------------------------------------------------------------ the harness bridge
def _evaluate(source: str, name="sigmoid", filename="activations.py", x=None, timeout=2.0):
    x = np.linspace(-5, 5, 11) if x is None else x
    return harness.evaluate_student_function(source.encode(), filename, name, (x,), timeout)


def test_sandbox_evaluates_a_correct_function():
    good = "import numpy as np\ndef sigmoid(z):\n    return 0.5 * (1 + np.tanh(z / 2))\n"
    evaluation = _evaluate(good)
    assert evaluation.ok
    x = np.linspace(-5, 5, 11)
    assert compare.compare(evaluation.values, (1 / (1 + np.exp(-x)))[:, None]).count == 0


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("def sigmoid(z):\n    while True:\n        pass\n", "did not return"),
        ("import os\nos._exit(3)\n", ""),
        ("def sigmoid(z):\n    raise KeyboardInterrupt\n", ""),
        ("def sigmoid(z):\n    return 'not numbers'\n", ""),
        ("def sigmoid(z)\n    return z\n", ""),
    ],
)
def test_hostile_or_broken_code_is_contained(source, words):
    evaluation = _evaluate(source, timeout=1.0)
    assert not evaluation.ok and evaluation.message
    assert words.lower() in evaluation.message.lower()


def test_submission_files_keep_only_assignment_names():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../evil/activations.py", "x = 1")
        archive.writestr("nested/output_units.py", "y = 2")
        archive.writestr("notes.txt", "ignored")
    files = harness.submission_files(
        [("sub.zip", buffer.getvalue()), ("layers.py", b"z = 3"), ("other.py", b"no")],
        ["activations.py", "output_units.py", "layers.py"],
    )
    assert sorted(files) == ["activations.py", "layers.py", "output_units.py"]
    with pytest.raises(ValueError, match="expected some of"):
        harness.submission_files([("x.py", b"")], ["activations.py"])


@needs_samples
def test_grading_in_a_subprocess_gives_the_reference_full_marks():
    files = {path.name: path.read_bytes() for path in (SAMPLES / "full").glob("*.py")}
    results = harness.grade_submission_files(files, "mlp_basics")
    assert results["score"] == results["extra_data"]["max_score"] > 0
    assert all(test["status"] == "passed" for test in results["tests"])


@needs_samples
def test_naive_softmax_differs_at_large_scores():
    source = (SAMPLES / "naive" / "output_units.py").read_bytes()
    comparable = compare.COMPARABLES["output_units.py: softmax"]
    x = np.linspace(-1000, 1000, 41)
    evaluation = harness.evaluate_student_function(
        source, comparable.filename, comparable.function, comparable.make_args(x, 1.0)
    )
    assert evaluation.ok
    difference = compare.compare(evaluation.values, comparable.reference(x, 1.0))
    assert difference.count > 0  # overflow at |z| ~ 1000
    assert not difference.mismatch[np.abs(x) < 100].any()  # fine for moderate scores


# ----------------------------------------------------------------------------------- the page
def test_page_defaults(open_page, assert_page_ok, plotly_specs, decode):
    at = open_page(PAGE)
    assert_page_ok(at)
    spec = plotly_specs(at)[0]
    x, y = decode(spec["data"][0]["x"]), decode(spec["data"][0]["y"])
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-x)), rtol=1e-12)


@pytest.mark.parametrize(
    "query",
    [
        {"gd_range": 1, "gd_points": 11},
        {"gd_range": 10000, "gd_points": 1001},
        {"gd_function": "output_units.py: softmax", "gd_alpha": 0.001},
        {"gd_function": "output_units.py: log_softmax", "gd_alpha": 1000.0, "gd_range": 10000},
        {"gd_function": "output_units.py: softmax_reduced"},
        {"gd_function": "activations.py: softplus_grad", "gd_range": 10000},
    ],
)
def test_student_tab_extremes(open_page, assert_page_ok, query):
    assert_page_ok(open_page(PAGE, query))


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


def open_grading(query=None, nnlab=None):
    """The grading page, with the server's [nnlab] settings (instructor mode etc.)."""
    at = AppTest.from_file(APP, default_timeout=60)
    if nnlab is not None:
        at.secrets["nnlab"] = nnlab
    for name, value in (query or {}).items():
        at.query_params[name] = str(value)
    at.run()
    at.switch_page(PAGE).run()
    return at


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


def test_zip_caps_are_checked_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(300):
            archive.writestr(f"s{index}/results.json", "{}")
    with pytest.raises(ValueError, match="300 entries; at most 200"):
        harness.open_zip("class.zip", buffer.getvalue(), 200, 10**9)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activations.py", b"#" * 50_000_000)
    assert len(bomb.getvalue()) < 200_000
    with pytest.raises(ValueError, match="unpacks to 50,000,000 bytes"):
        harness.open_zip("sub.zip", bomb.getvalue(), 200, 20_000_000)
    with pytest.raises(ValueError, match="unpacks to"):
        harness.submission_files([("sub.zip", bomb.getvalue())], ["activations.py"])


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


def test_page_does_not_import_student_code():
    text = Path(harness.APP_DIR / PAGE).read_text()
    assert "importlib" not in text and "exec(" not in text


def test_a_difference_at_a_single_input_shows_in_the_difference_panel():
    """relu'(0) = 1 instead of 0 differs at one input only: the panel must show that point."""
    comparable = compare.COMPARABLES["activations.py: relu_grad"]
    x = np.linspace(-5, 5, 11)
    reference = comparable.reference(x, 1.0)
    student = (x >= 0).astype(float)  # the classic convention slip at z = 0
    difference = compare.compare(student, reference)
    assert difference.count == 1 and x[difference.mismatch][0] == 0
    fig = compare.comparison_figure(x, reference, student, difference, comparable)
    panel = next(trace for trace in fig.data if trace.name == "|yours - reference|")
    assert "markers" in panel.mode
    shown = np.asarray(panel.y, dtype=float)
    assert np.isfinite(shown).sum() == 1 and shown[x == 0][0] == 1.0


def test_switching_the_function_starts_with_an_empty_uploader():
    at = open_grading()
    first = at.file_uploader[0]
    first.set_value(("activations.py", b"def sigmoid(z):\n    return z\n", "text/x-python"))
    at.run()
    at.selectbox(key="gd_function").set_value("output_units.py: softmax").run()
    assert not at.exception
    uploader = at.file_uploader[0]
    assert uploader.label == "Your output_units.py" and not uploader.value


EXFILTRATE = """
import gc, os, sys
import numpy as np


def _disarm():
    child = sys.modules.get("nnlab_sandbox_child")
    if child is not None:
        child._inside = lambda path, roots: True
    for item in gc.get_objects():
        closure = getattr(item, "__closure__", None) if callable(item) else None
        if getattr(item, "__name__", "") == "hook" and closure:
            for cell in closure:
                if isinstance(cell.cell_contents, (tuple, frozenset)):
                    cell.cell_contents = type(cell.cell_contents)()


def _loot():
    _disarm()
    found = [repr(sorted(os.environ.items())).encode()]
    public = tuple(p for p in sys.path if p and p != os.getcwd())
    for top in ("/", "/submission", "/tmp"):
        for folder, dirs, files in os.walk(top):
            if folder.startswith(("/proc", "/sys", "/dev", "/usr", "/lib", *public)):
                dirs[:] = []
                continue
            for name in files:
                try:
                    with open(os.path.join(folder, name), "rb") as handle:
                        found.append(handle.read(20000))
                except OSError:
                    pass
    return b"\\n".join(found)


def sigmoid(z):
    data = np.frombuffer(_loot(), dtype=np.uint8).astype(float)
    out = np.zeros(len(z))
    out[: min(len(z), len(data))] = data[: len(z)]
    return out
"""


def test_an_upload_that_hunts_for_solutions_gets_nothing_of_them(monkeypatch):
    """The self-check's only way out is the plotted values: they carry no solution."""
    monkeypatch.setenv("NNLAB_TEST_SECRET_TOKEN", "hunter2-4d2a")
    at = open_grading({"gd_points": 1001, "gd_range": 1})
    at.file_uploader[0].set_value(("activations.py", EXFILTRATE.encode(), "text/x-python"))
    at.run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    yours = next(trace for trace in spec["data"] if trace.get("name") == "yours")
    values = yours["y"]
    if isinstance(values, dict):
        import base64

        values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    leaked = bytes(int(v) for v in np.nan_to_num(np.asarray(values, dtype=float)) if 0 <= v < 256)
    solutions = harness.APP_DIR / "exercises" / "mlp_basics" / "solutions" / "activations.py"
    secret_line = solutions.read_text().splitlines()[-1].strip().encode()
    assert b"OPENBLAS_NUM_THREADS" in leaked, "the channel works: the sandbox's own env got out"
    assert b"def sigmoid(" not in leaked or b"_loot" in leaked  # only its own file
    assert secret_line not in leaked and b"hunter2-4d2a" not in leaked
    assert b"test_" not in leaked and b"solutions" not in leaked


def test_two_visitors_at_the_same_moment_get_their_own_answers():
    import threading

    slow = "import time\nimport numpy as np\n\ndef sigmoid(z):\n    time.sleep(1.0)\n"
    slow += "    return np.full(len(z), 0.25)\n"
    fast = "import numpy as np\n\ndef sigmoid(z):\n    return np.full(len(z), 0.75)\n"
    answers = {}

    def visit(name, source):
        answers[name] = _evaluate(source, timeout=10.0)

    threads = [threading.Thread(target=visit, args=p) for p in (("slow", slow), ("fast", fast))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers["slow"].ok and answers["fast"].ok, (answers["slow"], answers["fast"])
    assert set(answers["slow"].values) == {0.25} and set(answers["fast"].values) == {0.75}


# ---------------------------------------------------------------- nothing by colour alone
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


def test_compare_view_says_match_or_difference_in_words_and_symbols():
    comparable = compare.COMPARABLES["activations.py: relu_grad"]
    x = np.linspace(-5, 5, 11)
    reference = comparable.reference(x, 1.0)
    wrong = compare.compare((x >= 0).astype(float), reference)
    assert compare.verdict(wrong, x).startswith("✗ Differs")
    assert "at 1 of 11 inputs, first at x = 0" in compare.verdict(wrong, x)
    right = compare.compare((x > 0).astype(float), reference)
    assert compare.verdict(right, x) == "✓ Matches: yours equals the reference at all 11 inputs."
    fig = compare.comparison_figure(x, reference, (x >= 0).astype(float), wrong, comparable)
    marks = next(trace for trace in fig.data if "differs" in trace.name)
    assert marks.name.startswith("✗") and marks.marker.symbol == "x"


def test_compare_view_draws_in_the_themes_colours():
    """Dark room: every colour the figure sets comes from the dark palette (no black marker or
    fixed red on the dark background); a reference and the student's curve share a colour."""
    from viz import palette

    comparable = compare.COMPARABLES["output_units.py: softmax"]
    x = np.linspace(-800, 800, 9)
    reference = comparable.reference(x, 1.0)
    student = np.where(np.abs(x[:, None]) > 500, np.nan, reference)
    difference = compare.compare(student, reference)
    fig = compare.comparison_figure(x, reference, student, difference, comparable, palette.DARK)
    colours = set()
    for trace in fig.data:
        colours |= {trace.line.color, trace.marker.color} - {None}
    assert colours and colours <= set(palette.DARK), colours
    for label in comparable.columns:
        pair = [t.line.color for t in fig.data if t.name.endswith(label) and "|" not in t.name]
        assert len(pair) == 2 and pair[0] == pair[1]


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
