"""grade_submission's own limits: a grading session that hangs is cut, and what was graded
before stays graded; results.json is written atomically."""

import json
import shutil
from pathlib import Path

import grader.grade
from grader import assignment as assignment_module
from grader.grade import grade_submission

TINY = Path(__file__).parent / "fixtures" / "tiny"
HANGING_TEST = """
import time

import pytest


@pytest.mark.ex2_mse
def test_zz_hangs_in_the_test_itself(student):
    time.sleep(600)
"""


def test_a_hanging_session_is_cut_and_finished_tests_count(tmp_path, monkeypatch):
    copy = tmp_path / "tiny"
    shutil.copytree(TINY, copy)
    settings = json.loads((copy / "assignment.json").read_text())
    settings["time_limit_total"] = 2.0
    (copy / "assignment.json").write_text(json.dumps(settings))
    # a hidden test, so that it runs last (hidden tests follow every public one)
    (copy / "tests" / "hidden" / "test_zz_hang.py").write_text(HANGING_TEST)
    monkeypatch.setattr(grader.grade, "SESSION_SLACK", 15.0)  # room for a loaded machine
    results = grade_submission(copy / "solutions", assignment_module.load(copy))
    tests = {test["name"]: test for test in results["tests"]}
    hung = tests["ex2_mse: test_zz_hangs_in_the_test_itself (hidden test)"]
    assert hung["status"] == "failed" and "grading stopped after 17 s" in hung["output"]
    assert results["score"] == 10.0, "the seven finished tests keep their points"
    assert results["extra_data"]["status"] == "incomplete"
    assert "grading stopped" in results["output"]


def test_results_are_written_atomically(tmp_path):
    out = tmp_path / "deep" / "results.json"
    grade_submission(TINY / "solutions", assignment_module.load(TINY), out=out)
    assert json.loads(out.read_text())["score"] == 10.0
    assert [p.name for p in out.parent.iterdir()] == ["results.json"]


def test_files_wrapped_in_one_folder_are_found(tmp_path):
    wrapped = tmp_path / "upload" / "my_homework"
    wrapped.mkdir(parents=True)
    (tmp_path / "upload" / "__MACOSX").mkdir()
    for name in ("activations.py", "losses.py"):
        shutil.copyfile(TINY / "solutions" / name, wrapped / name)
    results = grade_submission(tmp_path / "upload", assignment_module.load(TINY))
    assert results["score"] == 10.0
