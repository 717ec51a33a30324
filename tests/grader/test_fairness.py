"""Grades a class of probes through `python -m grader batch` and checks the grading is fair:

- correct variants (written from the docstrings in other ways) get full marks;
- a single bug costs points in its own exercise and nothing in any other; a bug owned by one
  dedicated test (a convention at one point, a dtype, a missing check) costs exactly its points;
  a bug may also name tests it must not fail, those whose hint names another mistake (a
  one-sided difference must not fail the dtype test, whose hint would send the student to fix
  a dtype that is right);
- trivial submissions (zeros, ones, NaN, random values of the right shape, the first argument)
  score zero.

The class is built by tests/grader/fairness.py from fixtures/fairness/<assignment>/.
"""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fairness  # noqa: E402  (a helper module beside this test)

pytestmark = pytest.mark.slow

ASSIGNMENTS = [p.name for p in sorted(fairness.FIXTURES.iterdir()) if (p / "probes.py").is_file()]


def _students(assignment):
    probes = fairness.load_probes(assignment)
    names = [p.name for p in (fairness.FIXTURES / assignment).iterdir() if p.is_dir()]
    names = [n for n in names if n != "__pycache__"]
    names += [f"variant_{n}" for n in probes.VARIANTS] + [f"bug_{n}" for n in probes.BUGS]
    names += list(fairness.trivial_submissions.KINDS)
    return [(assignment, name) for name in sorted(names)]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{assignment: (expected, {student: {exercise: points}}, {exercise: max}, {student: failed
    test names})}, graded once."""
    results = {}
    for assignment in ASSIGNMENTS:
        root = tmp_path_factory.mktemp(f"fairness_{assignment}")
        expected = fairness.build_class(assignment, root / "class")
        run = subprocess.run(
            [sys.executable, "-m", "grader", "batch", root / "class", "--assignment", assignment]
            + ["--out", root / "graded", "--no-progress"],
            cwd=fairness.REPO,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        with open(root / "graded" / "gradebook.csv", newline="") as handle:
            rows = {row["student"]: row for row in csv.DictReader(handle)}
        first = json.loads((root / "graded" / "alice" / "results.json").read_text())
        maxima = {}
        for test in first["tests"]:
            maxima[test["tags"][0]] = maxima.get(test["tags"][0], 0) + test["max_score"]
        scores = {
            student: {exercise: float(row[exercise]) for exercise in maxima}
            for student, row in rows.items()
        }
        assert all(rows[s]["status"] == "ok" for s in rows), rows
        failed = {}
        for student in rows:
            report = json.loads((root / "graded" / student / "results.json").read_text())
            failed[student] = {
                test["name"].split(": ", 1)[-1].removesuffix(" (hidden test)")
                for test in report["tests"]
                if test["score"] < test["max_score"]
            }
        results[assignment] = (expected, scores, maxima, failed)
    return results


@pytest.mark.parametrize(
    ("assignment", "student"), [s for a in ASSIGNMENTS for s in _students(a)], ids=str
)
def test_grading_is_fair(graded, assignment, student):
    expected, scores, maxima, failed = graded[assignment]
    kind, charge = expected[student]
    got = scores[student]
    if kind == "full":
        lost = {e: maxima[e] - got[e] for e in maxima if got[e] != maxima[e]}
        assert not lost, f"{student} follows the docstrings but lost points: {lost}"
    elif kind == "zero":
        assert sum(got.values()) == 0, f"the trivial submission {student} earned {got}"
    else:
        exercise, points = charge[:2]
        spared = charge[2] if len(charge) > 2 else set()  # tests whose hints name other bugs
        others = {e: maxima[e] - got[e] for e in maxima if e != exercise and got[e] != maxima[e]}
        assert not others, f"{student}'s bug in {exercise} was charged elsewhere too: {others}"
        lost = maxima[exercise] - got[exercise]
        assert lost > 0, f"{student}'s bug cost nothing in {exercise}"
        if points is not None:
            assert lost == points, f"{student} lost {lost} points in {exercise}, expected {points}"
        misled = failed[student] & spared
        assert not misled, f"{student} failed tests whose hints name another mistake: {misled}"
