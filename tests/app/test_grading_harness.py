"""Grading page, the harness bridge (viz/grading_harness.py): which files of an upload a
submission keeps, the zip caps checked before unpacking, grading a sample in a subprocess, and
evaluating one function of a sample."""

import io
import zipfile

import numpy as np
import pytest

# sandbox_ready is autouse: every test here is skipped (failed in CI) where the sandbox cannot run
from grading_helpers import (
    SAMPLES,
    needs_samples,
    sandbox_ready,  # noqa: F401
)

from viz import grading_compare as compare
from viz import grading_harness as harness


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
