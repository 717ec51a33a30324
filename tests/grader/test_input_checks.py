"""Every function of a shipped assignment that takes arrays has a public test that reads its
arguments back: a submission that is the reference solution, but with one function changing its
first array argument (or the first array in its first list) after computing its answer, fails a
public test that names that function and the change. (It may lose more: a function of the same
solution that hands its own arrays to the changed one computes with the changed values, as a
student's own code would.)

The probes (grader.in_place, which `validate` grades too) are graded as one class through
`python -m grader batch`, so a function added to an assignment without such a test fails this
file.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader import in_place

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("sandbox_mode")]

REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises"
# Functions whose arguments are names and numbers only: nothing they could change in place.
NO_ARRAYS = {"step_network", "hinge_network", "tent_network", "sawtooth_network"}

ASSIGNMENTS = sorted(p.parent.name for p in EXERCISES.glob("*/assignment.json"))
PROBES = [
    (assignment, filename, name)
    for assignment in ASSIGNMENTS
    for filename, name in in_place.probes(EXERCISES / assignment)
    if name not in NO_ARRAYS
]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{(assignment, function): results.json}, one batch per assignment."""
    results = {}
    for assignment in ASSIGNMENTS:
        root = tmp_path_factory.mktemp(f"inputs_{assignment}")
        probed = in_place.write_all(EXERCISES / assignment, root / "class")
        run = subprocess.run(
            [sys.executable, "-m", "grader", "batch", root / "class", "--assignment", assignment]
            + ["--out", root / "graded", "--no-progress"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        for name, student in probed:
            report = root / "graded" / student.name / "results.json"
            results[(assignment, name)] = json.loads(report.read_text())
    return results


def test_every_function_that_takes_arrays_is_probed():
    assert len(PROBES) == 37  # 30 of mlp_basics, 7 of approximation (4 more take no arrays)
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
