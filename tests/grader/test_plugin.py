"""The plugin through the real pipeline: exceptions, warnings, points, markers, and feedback
that teaches without leaking hidden tests (fixture assignment tests/grader/fixtures/probe)."""

import json
from pathlib import Path

import pytest

from grader import assignment as assignment_module
from grader.grade import grade_submission

PROBE = Path(__file__).parent / "fixtures" / "probe"
WRONG = """
import numpy as np

def value(x):
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise TypeError("two dimensions")
    return x * 3
"""
TEST_KEYS = {"name", "number", "score", "max_score", "status", "output", "visibility", "tags"}


def by_name(results):
    return {test["name"].split(": ")[1].split(" ")[0]: test for test in results["tests"]}


@pytest.fixture(scope="module")
def probe():
    return assignment_module.load(PROBE)


@pytest.fixture(scope="module")
def wrong(probe, tmp_path_factory):
    folder = tmp_path_factory.mktemp("wrong")
    (folder / "probe.py").write_text(WRONG)
    out = folder / "out" / "results.json"
    results = grade_submission(folder, probe, out=out)
    assert json.loads(out.read_text()) == results
    return results


@pytest.fixture(scope="module")
def right(probe):
    return grade_submission(probe.solutions, probe)


@pytest.fixture(scope="module")
def stubs(probe):
    return grade_submission(probe.folder, probe)


def test_results_follow_gradescope_schema(wrong):
    assert {"score", "execution_time", "output", "visibility", "tests"} <= set(wrong)
    for test in wrong["tests"]:
        assert set(test) == TEST_KEYS
        assert test["status"] in ("passed", "failed")
        assert test["score"] in (0.0, test["max_score"])
    assert wrong["score"] == sum(test["score"] for test in wrong["tests"])


def test_points_markers_and_visibility(right):
    tests = by_name(right)
    assert tests["test_public_message_is_shown"]["max_score"] == 2.5
    assert tests["test_without_marker"]["tags"] == ["other", "public"]
    assert tests["test_hidden_reference_allowed"]["tags"] == ["ex1_probe", "hidden"]
    assert right["score"] == right["extra_data"]["max_score"] - 1.0  # the public reference test


def test_student_exceptions_keep_their_builtin_class(right, wrong):
    assert by_name(right)["test_raises_value_error_for_2d"]["status"] == "passed"
    failed = by_name(wrong)["test_raises_value_error_for_2d"]
    assert (
        failed["status"] == "failed"
        and "probe.value raised TypeError: two dimensions" in (failed["output"])
    )


def test_not_implemented_cannot_be_swallowed(stubs):
    test = by_name(stubs)["test_exceptions_cannot_be_swallowed"]
    assert test["status"] == "failed"
    assert test["output"].startswith("probe.value is not implemented yet (NotImplementedError")
    assert stubs["score"] == 0


def test_runtime_warning_in_student_code_fails_the_test(right, wrong):
    assert by_name(right)["test_no_runtime_warning"]["status"] == "passed"
    output = by_name(wrong)["test_no_runtime_warning"]["output"]
    assert "probe.value warned: overflow encountered in multiply (RuntimeWarning)" in output


def test_public_failure_shows_message_and_lecture_idea(wrong):
    output = by_name(wrong)["test_public_message_is_shown"]["output"]
    assert "value([1]) must be [2], got [3.]" in output
    assert "Lecture idea: PROBE-IDEA" in output


def test_public_tests_may_not_use_the_reference(right):
    test = by_name(right)["test_public_may_not_use_reference"]
    assert (
        test["status"] == "failed" and "public tests must not use the reference" in (test["output"])
    )


def test_hidden_feedback_does_not_leak(wrong):
    tests = by_name(wrong)
    allclose = tests["test_hidden_allclose_hides_expected"]["output"]
    assert "details of hidden tests are not shown" in allclose
    assert "31.4159" not in allclose and "SECRET" not in allclose
    plain = tests["test_hidden_assert_shows_only_its_message"]["output"]
    assert plain.startswith("value on a large input is wrong") and "271828" not in plain
    summarised = tests["test_hidden_error_in_test_code_is_summarised"]["output"]
    assert summarised.startswith("the test could not use your result (KeyError)")
    assert "6.0" not in summarised
    everything = json.dumps(wrong)
    for fragment in ("def test_", "np.testing", "table[", "assert got", "solutions"):
        assert fragment not in everything


def test_hidden_pytest_raises_and_fail_speak_for_the_test(right, probe, tmp_path):
    assert by_name(right)["test_hidden_raises_and_fail_messages_are_shown"]["status"] == "passed"
    (tmp_path / "probe.py").write_text(WRONG.replace("raise TypeError", "return x  #"))
    results = by_name(grade_submission(tmp_path, probe))
    output = results["test_hidden_raises_and_fail_messages_are_shown"]["output"]
    assert output.startswith("DID NOT RAISE"), output
    (tmp_path / "probe.py").write_text(WRONG.replace("TypeError", "ValueError"))
    results = by_name(grade_submission(tmp_path, probe))
    output = results["test_hidden_raises_and_fail_messages_are_shown"]["output"]
    assert output.startswith("value(1) must be 2 (hidden pytest.fail message)"), output


def test_reference_is_available_to_hidden_tests(right, wrong):
    assert by_name(right)["test_hidden_reference_allowed"]["status"] == "passed"
    assert by_name(wrong)["test_hidden_reference_allowed"]["output"].startswith("value on [0, 1]")
