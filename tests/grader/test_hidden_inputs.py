"""Hidden tests' inputs stay hidden with "show": "name" (red-team findings of 2026-12-07).

A submission sees every input a hidden test passes it. Whatever it says afterwards could carry
those inputs out: a public test's failure message or a hidden test's own message. The grader runs
every public test before any hidden one and shows none of the submission's words for a hidden
test. (An import error after a restart cannot: each start of the sandbox has a fresh /tmp.)
The hidden inputs here are numbers no other test uses (271828, 314159).
"""

import json
import shutil
from pathlib import Path

import pytest

from grader import assignment as assignment_module
from grader.grade import grade_submission

pytestmark = pytest.mark.usefixtures("sandbox_mode")
LAYERED = Path(__file__).parent / "fixtures" / "layered"

HIDDEN_EX1 = '''
import numpy as np
import pytest


@pytest.mark.ex1_scale
def test_scale_of_a_secret(student):
    """scale of a value no public test uses."""
    assert np.allclose(student.first.scale(np.array([271828.0])), [815484.0]), "scale is 3 x"


@pytest.mark.ex1_scale
def test_scale_of_another_secret(student):
    """scale of another such value."""
    assert np.allclose(student.first.scale(np.array([314159.0])), [942477.0]), "scale is 3 x"
'''

# Logs every input; raises its input in one hidden test and dies in the other.
LOGGING_FIRST = """
import os
import numpy as np

SEEN = []


def scale(x):
    SEEN.append(np.asarray(x).tolist())
    if np.asarray(x).max() > 300000:
        os._exit(1)
    if np.asarray(x).max() > 200000:
        raise ValueError("your secret input was " + repr(SEEN[-1]))
    return 3.0 * np.asarray(x, dtype=float)
"""
LEAKING_SECOND = """
import first


def twice(x):
    raise ValueError("inputs seen so far: " + repr(first.SEEN))
"""


@pytest.fixture
def strict_assignment(tmp_path):
    copy = tmp_path / "layered"
    shutil.copytree(LAYERED, copy)
    settings = json.loads((copy / "assignment.json").read_text())
    settings["hidden_tests"] = {"visibility": "visible", "show": "name"}
    (copy / "assignment.json").write_text(json.dumps(settings))
    (copy / "tests" / "hidden" / "test_hidden_ex1.py").write_text(HIDDEN_EX1)
    return assignment_module.load(copy)


def graded(tmp_path, assignment, files):
    folder = tmp_path / "submission"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return grade_submission(folder, assignment)


def test_no_output_carries_a_hidden_tests_input(tmp_path, strict_assignment):
    results = graded(
        tmp_path, strict_assignment, {"first.py": LOGGING_FIRST, "second.py": LEAKING_SECOND}
    )
    everything = json.dumps(results)
    assert "271828" not in everything
    assert "314159" not in everything
    # the public test's message still quotes the student, with what public tests passed
    public = next(t for t in results["tests"] if t["name"] == "ex2_compose: test_twice")
    assert "inputs seen so far: [[1.0, -2.0]" in public["output"]


def test_a_hidden_test_names_only_the_kind_of_failure(tmp_path, strict_assignment):
    results = graded(
        tmp_path, strict_assignment, {"first.py": LOGGING_FIRST, "second.py": LEAKING_SECOND}
    )
    hidden = {t["name"]: t["output"] for t in results["tests"] if "hidden test" in t["name"]}
    assert hidden["ex1_scale: test_scale_of_a_secret (hidden test)"].startswith(
        "your code raised ValueError (details of hidden tests are not shown)"
    )
    assert hidden["ex1_scale: test_scale_of_another_secret (hidden test)"].startswith(
        "your code's process died during this test (details of hidden tests are not shown)"
    )


def test_a_correct_submission_keeps_every_point_and_the_exercises_order(strict_assignment):
    # the hidden tests run last, but the report lists each exercise's tests together
    solutions = strict_assignment.solutions
    results = grade_submission(solutions, strict_assignment)
    assert results["score"] == results["extra_data"]["max_score"]
    numbers = [t["number"] for t in results["tests"]]
    assert numbers == sorted(numbers, key=lambda n: tuple(int(p) for p in n.split(".")))
