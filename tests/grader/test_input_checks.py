"""Every function of a shipped assignment that takes arrays has a public test that reads its
arguments back: a submission that is the reference solution, but with one function changing its
first array argument (or the first array in its first list) after computing its answer, fails a
public test that names that function and the change. (It may lose more: a function of the same
solution that hands its own arrays to the changed one computes with the changed values, as a
student's own code would.)

The probes are built here, graded as one class through `python -m grader batch`, so a function
added to an assignment without such a test fails this file.
"""

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("sandbox_mode")]

REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises"
# Functions whose arguments are names and numbers only: nothing they could change in place.
NO_ARRAYS = {"step_network", "hinge_network", "tent_network", "sawtooth_network"}

# Appended to a solution file: `name` changes its caller's data after computing its answer.
MUTATE = """

def _nnlab_changes_an_argument(function):
    import functools

    import numpy

    @functools.wraps(function)
    def changed(*args, **kwargs):
        result = function(*args, **kwargs)
        for value in [*args, *kwargs.values()]:
            if isinstance(value, (list, tuple)) and value and isinstance(value[0], numpy.ndarray):
                value = value[0]
            if isinstance(value, numpy.ndarray) and value.size and value.dtype.kind in "fiu":
                value.flat[0] = value.flat[0] + 1
                break
        return result

    return changed


{name} = _nnlab_changes_an_argument({name})
"""


def _functions(assignment):
    """(file, function) for every public function of the assignment's stubs."""
    spec = json.loads((EXERCISES / assignment / "assignment.json").read_text())
    found = []
    for filename in spec["files"]:
        tree = ast.parse((EXERCISES / assignment / filename).read_text())
        found += [
            (filename, node.name)
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
        ]
    return found


ASSIGNMENTS = sorted(p.parent.name for p in EXERCISES.glob("*/assignment.json"))
PROBES = [
    (assignment, filename, name)
    for assignment in ASSIGNMENTS
    for filename, name in _functions(assignment)
    if name not in NO_ARRAYS
]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{(assignment, function): results.json}, one batch per assignment."""
    results = {}
    for assignment in ASSIGNMENTS:
        root = tmp_path_factory.mktemp(f"inputs_{assignment}")
        solutions = EXERCISES / assignment / "solutions"
        for _, filename, name in (p for p in PROBES if p[0] == assignment):
            student = root / "class" / name
            shutil.copytree(solutions, student)
            with open(student / filename, "a") as handle:
                handle.write(MUTATE.format(name=name))
        run = subprocess.run(
            [sys.executable, "-m", "grader", "batch", root / "class", "--assignment", assignment]
            + ["--out", root / "graded", "--no-progress"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        for student in (root / "class").iterdir():
            report = root / "graded" / student.name / "results.json"
            results[(assignment, student.name)] = json.loads(report.read_text())
    return results


def test_every_function_that_takes_arrays_is_probed():
    assert len(PROBES) == 37  # 31 of mlp_basics, 6 of approximation (4 take no arrays)
    assert {name for _, _, name in PROBES} >= {"relu", "dense_backward", "compose"}


@pytest.mark.parametrize(("assignment", "filename", "name"), PROBES, ids=lambda v: str(v))
def test_changing_an_argument_in_place_is_charged_as_such(graded, assignment, filename, name):
    results = graded[(assignment, name)]
    assert results["extra_data"]["status"] == "ok", results["output"]
    failed = [test for test in results["tests"] if test["score"] < test["max_score"]]
    assert failed, f"{filename}: {name} changed its argument in place and lost nothing"
    public = [test for test in failed if "(hidden test)" not in test["name"]]
    assert any(test["output"].startswith(f"{name}: changed its argument ") for test in public), [
        test["output"][:200] for test in failed
    ]
