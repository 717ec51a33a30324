"""A test author's longer limit for one call: `student.with_timeout(seconds)`.

The assignment's time_limit_per_call holds for every call of the submission; a test that calls a
function known to be slow (training, say) asks for more on that call alone. Graded through the
real pipeline (sandbox, child process, plugin) on an assignment written here."""

import json

import pytest

from grader import assignment as assignment_module
from grader.grade import grade_submission

ASSIGNMENT = {
    "name": "slow",
    "title": "A function that takes 1.5 s",
    "files": ["slow.py"],
    "exercises": [{"id": "ex1_wait", "title": "Wait", "file": "slow.py", "idea": "it waits"}],
    "time_limit_per_call": 1.0,
    "time_limit_total": 60.0,
}
SOLUTION = '''
import time


def wait(seconds):
    """Returns seconds after waiting that long."""
    time.sleep(seconds)
    return float(seconds)
'''
TESTS = """
import pytest


@pytest.mark.ex1_wait
def test_at_the_assignments_limit(student):
    assert student.slow.wait(1.5) == 1.5


@pytest.mark.ex1_wait
def test_with_a_longer_limit(student):
    assert student.with_timeout(10).slow.wait(1.5) == 1.5


@pytest.mark.ex1_wait
def test_with_a_shorter_limit(student):
    assert student.with_timeout(0.5).slow.wait(0.75) == 0.75
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory, sandbox_mode):
    folder = tmp_path_factory.mktemp("slow_assignment")
    (folder / "assignment.json").write_text(json.dumps(ASSIGNMENT))
    (folder / "slow.py").write_text('def wait(seconds):\n    raise NotImplementedError("wait")\n')
    (folder / "solutions").mkdir()
    (folder / "solutions" / "slow.py").write_text(SOLUTION)
    for kind in ("public", "hidden"):
        (folder / "tests" / kind).mkdir(parents=True)
    (folder / "tests" / "public" / "test_slow.py").write_text(TESTS)
    slow = assignment_module.load(folder)
    return {test["name"]: test for test in grade_submission(slow.solutions, slow)["tests"]}


def by_test(results, name):
    return next(test for key, test in results.items() if name in key)


def test_a_call_past_the_assignments_limit_fails(results):
    failed = by_test(results, "test_at_the_assignments_limit")
    assert failed["status"] == "failed"
    assert "did not return within 1 s" in failed["output"], failed["output"]


def test_with_timeout_lets_one_call_take_longer(results):
    assert by_test(results, "test_with_a_longer_limit")["status"] == "passed"


def test_with_timeout_can_also_shorten_the_limit(results):
    failed = by_test(results, "test_with_a_shorter_limit")
    assert failed["status"] == "failed"
    assert "did not return within 0.5 s" in failed["output"], failed["output"]
