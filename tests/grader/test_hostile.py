"""The zoo of hostile submissions (tests/grader/hostile/) graded as one class with `batch`,
as root and as an unprivileged user (a TA's laptop, see unprivileged.py).

Each case replaces files of a correct submission of the tiny fixture assignment
(tests/grader/fixtures/tiny: ex1_sigmoid = activations.py, 5 points; ex2_mse = losses.py,
5 points). Every case must end with an honest score (never a point it did not earn), a clear
message, the other exercise still graded, the other students unaffected, nothing left behind
(no process, no file in /tmp or /dev/shm, no change to the gradebook after the run), and the
whole batch finishing in bounded time. The classes of attack follow the security review
(shared/reviews/grader-security.md): the audit hook switched off or gone around, stealing the
reference, lingering daemons forging grades, sabotaging classmates, persistent backdoors,
nested submissions, scratch space outliving grading, terminal escapes, the caller's environment,
and student folder names the gradebook must survive.
"""

import csv
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from grader import assignment as assignment_module
from grader.batch import run_batch
from grader.uids import UID_BASE, UID_SPAN

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
    "hook_off_steals": (0, "nothing found (None)"),
    "dirfd_steals": (0, "nothing found through dir_fd"),
    "linger_forges": (0, "left a daemon"),
    "sabotages_classmates": (0, "sabotage attempted"),
    "plants_backdoors": (0, "planted outside my folder: []"),
    "nested_copies_classmate": (0, "nothing found one level up"),
    "follows_mountinfo": (0, "nothing found from mountinfo"),
    "fills_scratch": (5, ""),
    "terminal_escapes": (0, "Score 10 / 10"),
    "snoops_environment": (0, "nothing found"),
    "silences_warnings": (4, "overflow encountered in exp"),  # what the naive sigmoid earns
    "extreme_values": (0, "sigmoid at z = +-1000: wrong values"),  # +-1e308, inf, subnormals
    "forges_lecture_idea": (0, "Lecture idea: sigmoid(z) = 1/(1+e^{-z}); compute it through"),
    "forges_idea_in_names": (0, "Lecture idea: sigmoid(z) = 1/(1+e^{-z}); compute it through"),
}
# Folder names a gradebook must survive -> the submission they hold
ODD_NAMES = {
    "gradebook.csv": "good",
    "Alice Smith": "good",
    "=HYPERLINK(1)": "partial",
}
SECRET_VARIABLE = ("NNLAB_TEST_SECRET_TOKEN", "hunter2-9b1c")
CONTROL = set("\x1b\r\x08\x07\x9b\u202e")
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
        if (source / "NEST").exists():  # the whole submission one folder deeper
            nest = target / (source / "NEST").read_text().strip()
            nest.mkdir()
            for name in ("activations.py", "losses.py"):
                shutil.copyfile(target / name, nest / name)
        for name in omit:
            (target / name).unlink()
        for path in source.rglob("*.py"):
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / path.relative_to(source))
        for path in source.glob("*.py.txt"):  # not valid Python on purpose (ruff skips .txt)
            shutil.copyfile(path, target / path.name.removesuffix(".txt"))
    for name, model in ODD_NAMES.items():
        shutil.copytree(folder / model, folder / name)
    shutil.copytree(folder / "good", folder / ".hidden")
    link = folder / "symlink_to_solution" / "activations.py"
    link.unlink()
    link.symlink_to(TINY / "solutions" / "activations.py")


def orphaned_sandboxes():
    """Processes a submission started, or sandbox children, still alive after grading."""
    orphans = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
            uid = os.stat(f"/proc/{entry}").st_uid
        except OSError:
            continue
        if SPAWN_MARKER.encode() in cmdline or UID_BASE <= uid < UID_BASE + UID_SPAN:
            orphans.append((entry, cmdline))
    return orphans


def scratch_files():
    """Files in the host's /tmp and /dev/shm (names only, one level)."""
    return {f"{folder}/{name}" for folder in ("/tmp", "/dev/shm") for name in os.listdir(folder)}


def snapshot(out):
    return {p: p.read_bytes() for p in sorted(Path(out).rglob("*")) if p.is_file()}


def collect(out, report_rows, seconds, before, after_run):
    time.sleep(3.5)  # longer than linger_forges' daemon waits before it strikes
    results = {}
    for path in Path(out).glob("*/results.json"):
        data = json.loads(path.read_text())
        results[data["extra_data"].get("student", path.parent.name)] = data
    return {
        "rows": {row["student"]: row for row in report_rows},
        "results": results,
        "seconds": seconds,
        "changed_after_run": after_run != snapshot(out),
        "new_scratch": scratch_files() - before,
        "out": Path(out),
    }


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, sandbox_mode):
    for marker in OUTSIDE_MARKERS:
        assert not os.path.exists(marker), f"leftover {marker} from an earlier run; remove it"
    folder = tmp_path_factory.mktemp("class")
    subs, out = folder / "subs", folder / "out"
    subs.mkdir()
    make_class(subs)
    tiny = assignment_module.load(TINY)
    before = scratch_files()
    os.environ[SECRET_VARIABLE[0]] = SECRET_VARIABLE[1]
    started = time.monotonic()
    try:
        report = run_batch(subs, tiny, out, workers=2, progress=False)
    finally:
        del os.environ[SECRET_VARIABLE[0]]
    seconds = time.monotonic() - started
    graded = collect(out, report.rows, seconds, before, snapshot(out))
    graded["report"] = report
    return graded


@pytest.fixture(scope="module")
def graded_class_unprivileged(unprivileged_user):
    """The same class graded by `python -m grader batch` run as an unprivileged user."""
    base = unprivileged_user.base
    subs, out = base / "subs", base / "out"
    subs.mkdir()
    make_class(subs)
    for path in [subs, *subs.rglob("*")]:
        os.lchown(path, unprivileged_user.uid, unprivileged_user.uid)
    before = scratch_files()
    started = time.monotonic()
    done = unprivileged_user.run(
        [unprivileged_user.python, "-m", "grader", "batch", subs, "--out", out,
         "--assignment", unprivileged_user.repo / "tests/grader/fixtures/tiny",
         "--workers", "2", "--no-progress"],
        env=dict([SECRET_VARIABLE]),
    )  # fmt: skip
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    rows = []
    with open(out / "gradebook.csv") as stream:
        for row in csv.DictReader(stream):
            row = {
                k: (float(v) if k.startswith("ex") or k == "total" else v) for k, v in row.items()
            }
            rows.append(row)
    graded = collect(out, rows, seconds, before, snapshot(out))
    graded["processes"] = unprivileged_user.processes()
    graded["stdout"] = done.stdout
    return graded


@pytest.fixture(params=["root", "user"])
def graded(request):
    if request.param == "root":
        if os.geteuid() != 0:
            pytest.skip("this process is not root")
        return request.getfixturevalue("graded_class")
    return request.getfixturevalue("graded_class_unprivileged")


def test_other_students_unaffected(graded):
    rows = graded["rows"]
    assert rows["good"]["total"] == 10 and rows["good"]["status"] == "ok"
    assert rows["partial"]["ex1_sigmoid"] == 0 and rows["partial"]["ex2_mse"] == 5


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hostile_case_is_graded_honestly(graded, case):
    points, phrase = EXPECTED[case]
    row = graded["rows"][case]
    results = graded["results"][case]
    assert row["status"] == "ok", results["output"]
    assert row["ex1_sigmoid"] == points, [t["output"] for t in results["tests"]]
    assert row["ex2_mse"] == 5, "the other exercise must still be graded"
    assert results["score"] == points + 5
    # per test, plus what is said once at the top (upload and file problems)
    feedback = "\n".join(t["output"] for t in results["tests"]) + "\n" + results["output"]
    assert phrase in feedback, feedback


@pytest.mark.parametrize("case", ["forges_lecture_idea", "forges_idea_in_names"])
def test_a_forged_lecture_idea_never_stands_in_for_the_courses(graded, case):
    """Every failed test of the forging cases ends with the course's idea, whatever lines the
    student's exception (its message, its class's name), warning and printed output dressed up
    as one; the student's lines are marked as theirs."""
    tiny = assignment_module.load(TINY)
    failed = [t for t in graded["results"][case]["tests"] if t["score"] == 0]
    assert failed
    for test in failed:
        last = test["output"].splitlines()[-1]
        assert last.startswith("Lecture idea: ") and "grader is wrong" not in last, test["output"]
        assert "none needed" not in last
        # the student's lines are marked as theirs: only the course's own starts like it
        starts = [line for line in test["output"].splitlines() if line.startswith("Lecture idea")]
        assert starts == [last], test["output"]
    outputs = "\n".join(t["output"] for t in failed)
    for shown in SHOWN_AS_THEIRS[case]:  # their words still shown, on a line of their own words
        assert shown in outputs, outputs
    assert any(t["output"].endswith(tiny.exercise("ex1_sigmoid").idea) for t in failed)


# How each forging case's words appear: quoted after their first line, or kept on the line of
# the grader's sentence they stand in (a class name, a warning's message).
SHOWN_AS_THEIRS = {
    "forges_lecture_idea": ["  | Lecture idea: the grader is wrong"],
    "forges_idea_in_names": [
        "raised ValueError Lecture idea: this answer is right, the grader is wrong: not computed",
        "warned: careful Lecture idea: warnings here are expected (RuntimeWarning)",
    ],
}


def test_no_process_left_behind(graded):
    assert orphaned_sandboxes() == []


def test_nothing_written_outside(graded):
    for marker in OUTSIDE_MARKERS:
        assert not os.path.exists(marker), f"a submission wrote {marker}"


def test_no_secret_reaches_the_report(graded):
    text = json.dumps(graded["results"]["steals_secrets"])
    for secret in ("Reference for exercise", "def test_", "import numpy", "check_close("):
        assert secret not in text
    assert "nothing found" in text


def test_fake_results_do_not_count(graded):
    results = graded["results"]["fake_results"]
    assert results["score"] == 5
    assert all(t["score"] <= t["max_score"] for t in results["tests"])


def test_nothing_changes_after_the_run(graded):
    assert not graded["changed_after_run"], "a lingering process rewrote results or the gradebook"
    assert not os.path.exists("/tmp/nnlab-hostile-linger-marker")


def test_no_scratch_file_outlives_grading(graded):
    left = [path for path in graded["new_scratch"] if "nnlab-hostile" in path]
    assert left == []


def test_outputs_hold_no_control_characters(graded):
    for path in graded["out"].rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not CONTROL & set(text), f"{path} holds control characters"
    feedback = "\n".join(t["output"] for t in graded["results"]["terminal_escapes"]["tests"])
    assert "[2J" in feedback and "\x1b" not in feedback  # the text survives, the escape does not


def test_the_report_ends_with_the_real_score():
    from grader.results import readable_report

    tiny = assignment_module.load(TINY)
    fake = "\x1b[2J\x1b[HScore 10 / 10\r"
    results = {
        "score": 0.0,
        "execution_time": 1.0,
        "output": fake,
        "tests": [{"number": "1.1", "name": "x", "max_score": 5.0, "status": "failed",
                   "output": fake}],
        "extra_data": {"max_score": 10.0, "exercises": {}, "status": "ok",
                       "sandbox_notes": [fake]},
    }  # fmt: skip
    report = readable_report(results, tiny, "student\x1b[31m")
    assert not CONTROL & set(report)
    assert report.splitlines()[-1].startswith("Score 0 / 10")


def test_the_callers_environment_never_reaches_results(graded):
    for path in graded["out"].rglob("*.json"):
        assert SECRET_VARIABLE[1] not in path.read_text()


def test_folder_names_the_gradebook_must_survive(graded):
    book = list(csv.DictReader((graded["out"] / "gradebook.csv").open()))
    by_name = {row["student"]: row for row in book}
    assert by_name["gradebook.csv"]["total"] == "10" and by_name["gradebook.csv"]["status"] == "ok"
    assert by_name["Alice Smith"]["total"] == "10"
    assert by_name["'=HYPERLINK(1)"]["total"] == "5", "a formula-like name is defused"
    assert ".hidden" not in by_name
    assert (graded["out"] / "gradebook.csv").is_file()
    assert oct((graded["out"] / "gradebook.csv").stat().st_mode & 0o777) == "0o600"
    for path in graded["out"].glob("*/results.json"):
        assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"
    if "report" in graded:
        assert (".hidden", "starts with a dot (hidden folder): rename it") in graded[
            "report"
        ].ignored
    else:
        assert "not a submission: .hidden" in graded["stdout"]


def test_unprivileged_run_leaves_no_process(graded_class_unprivileged):
    assert graded_class_unprivileged["processes"] == []
