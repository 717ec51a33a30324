"""`python -m grader grade|batch|validate|release|gradescope`, run as a user would."""

import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "tests" / "grader" / "fixtures" / "tiny"


def grader(*args, cwd=REPO, env=None):
    return subprocess.run(
        [sys.executable, "-m", "grader", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def make_students(folder):
    """good (reference), blank (stubs), partial (only losses.py done)."""
    for student in ("good", "blank", "partial"):
        (folder / student).mkdir(parents=True)
    for name in ("activations.py", "losses.py"):
        shutil.copyfile(TINY / "solutions" / name, folder / "good" / name)
        shutil.copyfile(TINY / name, folder / "blank" / name)
    shutil.copyfile(TINY / "activations.py", folder / "partial" / "activations.py")
    shutil.copyfile(TINY / "solutions" / "losses.py", folder / "partial" / "losses.py")


def test_grade_exits_zero_and_writes_results(tmp_path):
    out = tmp_path / "results.json"
    result = grader("grade", TINY, "--assignment", TINY, "--out", out)
    assert result.returncode == 0, result.stderr
    results = json.loads(out.read_text())
    assert results["score"] == 0 and len(results["tests"]) == 7
    assert "Score 0 / 10" in result.stdout and "Failed tests (7)" in result.stdout
    assert "activations.sigmoid is not implemented yet" in result.stdout


def test_grade_by_name_and_bad_input(tmp_path):
    missing = grader("grade", tmp_path / "nope", "--assignment", TINY, "--out", tmp_path / "r")
    assert missing.returncode == 2 and "is not a folder" in missing.stdout
    unknown = grader("grade", tmp_path, "--assignment", "no_such_assignment")
    assert unknown.returncode == 2 and "no assignment 'no_such_assignment'" in unknown.stderr


def test_batch_gradebook_progress_and_rerun(tmp_path):
    make_students(tmp_path / "subs")
    out = tmp_path / "out"
    first = grader("batch", tmp_path / "subs", "--assignment", TINY, "--out", out)
    assert first.returncode == 0, first.stderr
    assert "3/3" in first.stderr
    with open(out / "gradebook.csv") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    assert list(next(iter(rows.values()))) == [
        "student",
        "ex1_sigmoid",
        "ex2_mse",
        "total",
        "status",
    ]
    assert (rows["good"]["total"], rows["blank"]["total"], rows["partial"]["total"]) == (
        "10",
        "0",
        "5",
    )
    assert rows["partial"]["ex2_mse"] == "5" and rows["partial"]["ex1_sigmoid"] == "0"
    stamp = (out / "good" / "results.json").stat().st_mtime_ns
    again = grader("batch", tmp_path / "subs", "--assignment", TINY, "--out", out, "--no-progress")
    assert "skipped 3 unchanged since their last grading: blank, good, partial" in again.stdout
    assert "graded 0 of 3 submissions" in again.stdout
    assert (out / "good" / "results.json").stat().st_mtime_ns == stamp
    # partial finishes activations.py: its files changed, so a rerun grades it (and only it)
    shutil.copyfile(
        TINY / "solutions" / "activations.py", tmp_path / "subs" / "partial" / "activations.py"
    )
    fixed = grader("batch", tmp_path / "subs", "--assignment", TINY, "--out", out, "--no-progress")
    assert "skipped 2 unchanged since their last grading: blank, good" in fixed.stdout
    assert "graded 1 of 3 submissions" in fixed.stdout
    with open(out / "gradebook.csv") as stream:
        assert {row["student"]: row["total"] for row in csv.DictReader(stream)}["partial"] == "10"
    grader("batch", tmp_path / "subs", "--assignment", TINY, "--out", out, "--regrade")
    assert (out / "good" / "results.json").stat().st_mtime_ns != stamp


def test_validate_passes_on_a_sound_assignment():
    result = grader("validate", "--assignment", TINY)
    assert result.returncode == 0, result.stdout
    assert "reference: 10 / 10" in result.stdout and "stubs:     0 / 10" in result.stdout
    # tiny's tests never read arguments back: validate says so, for information
    assert (
        "in place: 0 of 3 functions lose points when they change an argument in place; not "
        "noticed for sigmoid, sigmoid_grad, mse (fine if they take no arrays; otherwise give each "
        "one test that reads its arguments back with call_and_inputs)"
    ) in result.stdout


def test_validate_fails_on_tests_that_cannot_fail_or_cannot_pass(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(TINY, broken)
    (broken / "tests" / "public" / "test_broken.py").write_text(
        "import pytest\n\n\n"
        "@pytest.mark.ex1_sigmoid\n"
        "def test_always(student):\n    assert True\n\n\n"
        "@pytest.mark.ex2_mse\n"
        "def test_never(student):\n    assert student.losses.mse([[1.0]], [[1.0]]) == 1, 'no'\n\n\n"
        "def test_unmarked(student):\n    student.losses.mse([[1.0]], [[0.0]])\n"
    )
    result = grader("validate", "--assignment", broken)
    assert result.returncode == 1
    assert "passes on the stubs (cannot fail?): ex1_sigmoid: test_always" in result.stdout
    assert "fails on the reference: ex2_mse: test_never" in result.stdout
    assert "has no exercise marker" in result.stdout


def test_validate_fails_when_a_trivial_submission_earns_a_point(tmp_path):
    lenient = tmp_path / "lenient"
    shutil.copytree(TINY, lenient)
    (lenient / "tests" / "public" / "test_lenient.py").write_text(
        "import numpy as np\nimport pytest\n\n\n"
        "@pytest.mark.ex1_sigmoid\n"
        "def test_only_the_shape(student):\n"
        "    assert np.shape(student.activations.sigmoid(np.zeros(3))) == (3,), 'shape'\n"
    )
    result = grader("validate", "--assignment", lenient)
    assert result.returncode == 1
    assert "a trivial submission (reference_zeros) earns 1 points in:" in result.stdout
    assert "ex1_sigmoid: test_only_the_shape" in result.stdout


@pytest.mark.parametrize(
    "assignment", sorted(p.parent.name for p in (REPO / "exercises").glob("*/assignment.json"))
)
def test_validate_every_assignment_of_the_course(assignment):
    """Every assignment in exercises/ passes validate: the reference earns every point, the
    stubs and every trivial submission none, the samples as they are (what a course runs
    before it releases an assignment; .ci/run relies on this test for it)."""
    result = grader("validate", "--assignment", assignment)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "validate: OK" in result.stdout
    if assignment == "mlp_basics":
        assert "in place: 30 of 30 functions lose points when they change" in result.stdout


def test_release_bundle_works_offline_without_secrets(tmp_path):
    bundle = tmp_path / "bundle"
    result = grader("release", "--assignment", TINY, "--out", bundle)
    assert result.returncode == 0, result.stderr
    names = {str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file()}
    assert {"activations.py", "losses.py", "README.md", "conftest.py", "pytest.ini"} <= names
    assert "tests/public/test_public.py" in names and "tests/public/_checks.py" in names
    assert not any("solutions" in n or "hidden" in n for n in names)
    assert "Reference for exercise" not in "".join(p.read_text() for p in bundle.rglob("*.py"))
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONPATH="")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=bundle,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert "points per exercise" in run.stdout and "4 failed" in run.stdout, run.stdout
    assert "total                           0 / 5" in run.stdout
    for name in ("activations.py", "losses.py"):
        shutil.copyfile(TINY / "solutions" / name, bundle / name)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "ex2_mse"],
        cwd=bundle,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert "2 passed, 2 deselected" in run.stdout, run.stdout
    # deselected tests are not part of the run: they neither earn nor cost points
    assert "total                           2 / 2" in run.stdout, run.stdout
    assert "ex1_sigmoid" not in run.stdout.split("points per exercise")[1]
    again = grader("release", "--assignment", TINY, "--out", bundle)
    assert again.returncode == 2 and "not empty" in again.stderr


def test_gradescope_zip_is_self_contained(tmp_path):
    archive = tmp_path / "autograder.zip"
    result = grader("gradescope", "--assignment", TINY, "--out", archive)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(archive) as bundle:
        names = set(bundle.namelist())
        run_script = bundle.read("run_autograder").decode()
        mode = bundle.getinfo("run_autograder").external_attr >> 16
        bundle.extractall(tmp_path / "source")
    assert {"setup.sh", "run_autograder", "requirements.txt", "grader/cli.py"} <= names
    assert "exercises/tiny/solutions/activations.py" in names
    assert "exercises/tiny/tests/hidden/test_hidden.py" in names
    assert mode & 0o111
    assert "/autograder/submission" in run_script
    assert "/autograder/results/results.json" in run_script
    make_students(tmp_path / "subs")
    env = dict(os.environ, PYTHONPATH="")
    out = tmp_path / "results.json"
    graded = grader(
        "grade",
        tmp_path / "subs" / "partial",
        "--assignment",
        "exercises/tiny",
        "--out",
        out,
        cwd=tmp_path / "source",
        env=env,
    )
    assert graded.returncode == 0, graded.stderr
    assert json.loads(out.read_text())["score"] == 5


@pytest.mark.parametrize("command", ["grade", "batch", "validate", "release", "gradescope"])
def test_every_command_has_help(command):
    result = grader(command, "--help")
    assert result.returncode == 0 and "--assignment" in result.stdout


def test_a_test_file_that_cannot_load_costs_only_itself(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(TINY, broken)
    (broken / "tests" / "hidden" / "test_broken.py").write_text("def test_x(:\n    pass\n")
    result = grader("validate", "--assignment", broken)
    assert result.returncode == 1
    assert "reference: 10 / 10" in result.stdout and "incomplete" in result.stdout
    assert "tests/hidden/test_broken.py could not be loaded" in result.stderr
    assert "SyntaxError" in result.stderr
    out = tmp_path / "results.json"
    graded = grader("grade", TINY / "solutions", "--assignment", broken, "--out", out)
    assert graded.returncode == 0
    results = json.loads(out.read_text())
    assert results["score"] == 10 and "could not be loaded" in results["output"]
    assert "SyntaxError" not in json.dumps(results)
