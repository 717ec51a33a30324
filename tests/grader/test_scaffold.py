"""`python -m grader new`: the skeleton validates out of the box and refuses to overwrite."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.scaffold import scaffold

REPO = Path(__file__).resolve().parents[2]


def grader(*args, cwd=REPO):
    """Run this checkout's grader (also from another working folder)."""
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    )
    return subprocess.run(
        [sys.executable, "-m", "grader", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_new_assignment_validates(tmp_path):
    folder = tmp_path / "week1"
    created = grader("new", "week1", "--out", folder)
    assert created.returncode == 0, created.stderr
    assert "6 files" in created.stdout
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert names == [
        "README.md",
        "assignment.json",
        "relu.py",
        "solutions/relu.py",
        "tests/hidden/test_hidden_ex1_relu.py",
        "tests/public/test_ex1_relu.py",
    ]
    validated = grader("validate", "--assignment", folder)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "reference: 2 / 2" in validated.stdout and "stubs:     0 / 2" in validated.stdout
    assert "in place: 1 of 1 functions lose points" in validated.stdout
    assert "validate: OK" in validated.stdout


def test_the_skeletons_public_test_reads_the_arguments_back(tmp_path):
    """An instructor's first assignment shows the pattern: a relu that clips z in place gets
    right values and still loses the public test, which names the change."""
    folder = tmp_path / "week1"
    assert grader("new", "week1", "--out", folder).returncode == 0
    submission = tmp_path / "student"
    submission.mkdir()
    (submission / "relu.py").write_text(
        "import numpy as np\n\ndef relu(z):\n    z[z < 0] = 0\n    return z\n"
    )
    out = tmp_path / "results.json"
    graded = grader("grade", submission, "--assignment", folder, "--out", out)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    results = json.loads(out.read_text())
    scores = {test["name"].split(": ", 1)[1]: test["score"] for test in results["tests"]}
    assert scores == {"test_relu_by_hand": 0.0, "test_relu_on_a_random_batch (hidden test)": 1.0}
    [failed] = [test["output"] for test in results["tests"] if test["score"] == 0]
    assert "relu: changed its argument z in place, to [0.0, 0.0, 0.0, 0.5, 3.0], on z = " in failed


def test_new_default_folder_and_refusals(tmp_path):
    written = grader("new", "course_b", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "exercises" / "course_b" / "assignment.json").is_file()
    again = grader("new", "course_b", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = grader("new", "week 1", "--out", tmp_path / "x")
    assert bad.returncode == 2 and "Python identifier" in bad.stderr
    assert not (tmp_path / "x").exists()


def test_scaffold_accepts_an_empty_folder_only(tmp_path):
    (tmp_path / "empty").mkdir()
    assert len(scaffold("ok_name", tmp_path / "empty")) == 6
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="not an empty folder"):
        scaffold("ok_name", tmp_path / "file")
