"""The zoo of hostile submissions (tests/grader/hostile/) graded as one class with `batch`.

Each case replaces files of a correct submission of the tiny fixture assignment
(tests/grader/fixtures/tiny: ex1_sigmoid = activations.py, 5 points; ex2_mse = losses.py,
5 points). Every case must end with an honest score (never a point it did not earn), a clear
message, the other exercise still graded, the other students unaffected, no process left
behind, and the whole batch finishing in bounded time.
"""

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from grader import assignment as assignment_module
from grader.batch import run_batch
from grader.isolation import UID_BASE

HERE = Path(__file__).parent
TINY = HERE / "fixtures" / "tiny"
HOSTILE = HERE / "hostile"
SPAWN_MARKER = "4242.4242"

# case -> (points for ex1_sigmoid, a phrase the failure feedback must contain)
EXPECTED = {
    "loop_at_import": (0, "importing activations.py did not finish within 1 s"),
    "loop_in_function": (1, "activations.sigmoid did not return within 1 s (infinite loop?)"),
    "sleeps": (0, "did not return within 1 s"),
    "exits": (0, "called sys.exit(0)"),
    "exit_at_import": (0, "while importing activations.py"),
    "keyboard_interrupt": (0, "raised KeyboardInterrupt"),
    "allocates": (0, "MemoryError"),
    "spawns": (0, "does not allow starting processes"),
    "floods": (5, ""),
    "recurses": (0, "RecursionError"),
    "syntax_error": (0, "activations.py has a syntax error: activations.py, line 4"),
    "missing_file": (0, "activations.py is missing from your submission"),
    "missing_function": (1, "activations.py has no function sigmoid"),
    "always_equal": (0, "results must be NumPy arrays of numbers"),
    "wrong_results": (0, "returned a str (text) where numbers or arrays were expected"),
    "monkeypatches": (0, "sigmoid(0) must be 1/2: wrong values"),
    "fake_results": (0, "activations.sigmoid is not implemented yet"),
    "writes_outside": (0, "does not allow writing"),
    "imports_reference": (0, "import of 'nncore' refused"),
    "steals_secrets": (0, "nothing found"),
    "signals_grader": (0, "crashed with signal SIGSEGV"),
    "crashes_in_c": (0, "does not allow ctypes"),
    "symlink_to_solution": (0, "symbolic link"),
    "reads_classmates": (0, "only your own folder is visible"),
    "huge_results": (0, "MemoryError"),
    "tampers_channel": (0, "answered out of turn (channel tampered)"),
}
OUTSIDE_MARKERS = [
    "/tmp/nnlab-hostile-marker",
    "/tmp/nnlab-hostile-marker2",
    "/work/nnlab-hostile-marker",
    "/tmp/nnlab-hostile-moved.py",
    "/tmp/nnlab-hostile-dir",
    "/root/nnlab-hostile-marker",
]


def make_class(folder):
    """good, partial and one student per hostile case, each a folder of tiny's files."""
    for name in ("activations.py", "losses.py"):
        for student in ("good", "partial"):
            (folder / student).mkdir(exist_ok=True)
        shutil.copyfile(TINY / "solutions" / name, folder / "good" / name)
    shutil.copyfile(TINY / "activations.py", folder / "partial" / "activations.py")
    shutil.copyfile(TINY / "solutions" / "losses.py", folder / "partial" / "losses.py")
    for case in EXPECTED:
        target = folder / case
        shutil.copytree(folder / "good", target)
        source = HOSTILE / case
        omit = (source / "OMIT").read_text().split() if (source / "OMIT").exists() else []
        for name in omit:
            (target / name).unlink()
        for path in source.glob("*.py"):
            shutil.copyfile(path, target / path.name)
        for path in source.glob("*.py.txt"):  # not valid Python on purpose (ruff skips .txt)
            shutil.copyfile(path, target / path.name.removesuffix(".txt"))
    link = folder / "symlink_to_solution" / "activations.py"
    link.unlink()
    link.symlink_to(TINY / "solutions" / "activations.py")


def orphaned_sandboxes():
    """Sandbox children whose grading process is gone (uid = UID_BASE + grader pid)."""
    orphans = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
            uid = os.stat(f"/proc/{entry}").st_uid
        except OSError:
            continue
        if SPAWN_MARKER.encode() in cmdline:
            orphans.append((entry, cmdline))
        elif b"nnlab_sandbox_child" in cmdline and uid >= UID_BASE:
            if not Path(f"/proc/{uid - UID_BASE}").exists():
                orphans.append((entry, cmdline))
    return orphans


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    for marker in OUTSIDE_MARKERS:
        assert not os.path.exists(marker), f"leftover {marker} from an earlier run; remove it"
    folder = tmp_path_factory.mktemp("class")
    subs, out = folder / "subs", folder / "out"
    subs.mkdir()
    make_class(subs)
    tiny = assignment_module.load(TINY)
    started = time.monotonic()
    rows = run_batch(subs, tiny, out, workers=2, progress=False)
    seconds = time.monotonic() - started
    results = {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/results.json")}
    return {"rows": {row["student"]: row for row in rows}, "results": results, "seconds": seconds}


def test_batch_finishes_in_bounded_time(graded_class):
    assert graded_class["seconds"] < 120, f"batch took {graded_class['seconds']:.0f} s"


def test_other_students_unaffected(graded_class):
    rows = graded_class["rows"]
    assert rows["good"]["total"] == 10 and rows["good"]["status"] == "ok"
    assert rows["partial"]["ex1_sigmoid"] == 0 and rows["partial"]["ex2_mse"] == 5


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hostile_case_is_graded_honestly(graded_class, case):
    points, phrase = EXPECTED[case]
    row = graded_class["rows"][case]
    results = graded_class["results"][case]
    assert row["status"] == "ok", results["output"]
    assert row["ex1_sigmoid"] == points, [t["output"] for t in results["tests"]]
    assert row["ex2_mse"] == 5, "the other exercise must still be graded"
    assert results["score"] == points + 5
    feedback = "\n".join(t["output"] for t in results["tests"])
    assert phrase in feedback, feedback


def test_no_process_left_behind(graded_class):
    assert orphaned_sandboxes() == []


def test_nothing_written_outside(graded_class):
    for marker in OUTSIDE_MARKERS:
        assert not os.path.exists(marker), f"a submission wrote {marker}"


def test_no_secret_reaches_the_report(graded_class):
    text = json.dumps(graded_class["results"]["steals_secrets"])
    for secret in ("Reference for exercise", "def test_", "import numpy", "check_close("):
        assert secret not in text
    assert "nothing found" in text


def test_fake_results_do_not_count(graded_class):
    results = graded_class["results"]["fake_results"]
    assert results["score"] == 5
    assert all(t["score"] <= t["max_score"] for t in results["tests"])
