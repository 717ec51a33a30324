"""The sandbox child: answers, failures, restarts, limits, uids, and failing closed.

(What the operating system's sandbox lets code reach is tested in test_boundary.py.)
"""

import os
import stat
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from grader import bubblewrap
from grader.isolation import Limits
from grader.sandbox import Sandbox, SandboxUnavailable
from grader.uids import UID_BASE, UID_SPAN, pids_of_uid

REPO = Path(__file__).resolve().parents[2]
root_only = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (leased uids, cgroups)")
pytestmark = pytest.mark.usefixtures("sandbox_mode")

SOURCE = """
import numpy as np
import time

def add(a, b):
    return a + b

def pair(x):
    return (x * 2, {"n": 3, "items": [np.float32(1.5), None]})

def shout(x):
    raise ValueError(f"bad x {x}")

def linalg():
    return np.linalg.inv(np.zeros((2, 2)))

def todo():
    raise NotImplementedError("Exercise 9 (mod.todo): not yet")

def overflow():
    return np.exp(np.array([1000.0]))

def chatty():
    print("hello from the student")
    return 1

def slow(seconds):
    time.sleep(seconds)
    return seconds

def whoami():
    import os
    try:
        os.close(os.open("/dev/tty", os.O_RDWR))
        no_terminal = False
    except OSError:
        no_terminal = True
    return [os.getuid(), os.getgid(), no_terminal]

def cwd_files():
    import os
    return len(os.listdir("."))

def environment(repo):
    import os, sys
    prefixes = ("PYTHONPATH", "PYTHONHOME", "PYTEST", "VIRTUAL")
    leaks = [name for name in os.environ if name.startswith(prefixes)]
    inside = [p for p in sys.path if p.startswith(repo)]
    return [len(leaks), len(inside), len(os.environ)]
"""


@pytest.fixture
def sandbox(tmp_path):
    (tmp_path / "mod.py").write_text(SOURCE)
    box = Sandbox(tmp_path, ["mod.py", "absent.py"], call_timeout=1.0, total_budget=20.0)
    yield box
    box.close()


def test_results_cross_as_plain_data(sandbox):
    outcome = sandbox.call("mod", "add", (np.arange(3.0), 1))
    assert outcome.ok and np.array_equal(outcome.value, [1.0, 2.0, 3.0])
    doubled, extra = sandbox.call("mod", "pair", (np.eye(2),)).value
    assert np.array_equal(doubled, 2 * np.eye(2))
    assert extra["n"] == 3 and extra["items"][0].dtype == np.float32 and extra["items"][1] is None


def test_exceptions_keep_their_kind(sandbox):
    shout = sandbox.call("mod", "shout", (4,))
    assert (shout.kind, shout.error_type, shout.error_base) == (
        "exception",
        "ValueError",
        "ValueError",
    )
    assert "bad x 4" in shout.message
    linalg = sandbox.call("mod", "linalg")
    assert (linalg.error_type, linalg.error_base) == ("LinAlgError", "ValueError")
    todo = sandbox.call("mod", "todo")
    assert todo.kind == "not_implemented" and "Exercise 9" in todo.message


def test_warnings_and_prints_are_reported_not_shown(sandbox):
    outcome = sandbox.call("mod", "overflow")
    assert outcome.ok and outcome.value[0] == np.inf
    where = ("mod.py, line 21", "return np.exp(np.array([1000.0]))")
    assert ("RuntimeWarning", "overflow encountered in exp", *where) in outcome.warnings
    chatty = sandbox.call("mod", "chatty")
    assert chatty.value == 1 and "hello from the student" in chatty.stdout


def test_missing_file_and_function(sandbox):
    missing = sandbox.call("absent", "f")
    assert missing.kind == "missing_file" and "absent.py is missing" in missing.message
    nofunc = sandbox.call("mod", "nope")
    assert nofunc.kind == "missing_function" and "mod.py has no function nope" in nofunc.message


def test_timeout_kills_and_the_next_call_restarts(sandbox):
    started = time.monotonic()
    outcome = sandbox.call("mod", "slow", (30,))
    assert outcome.kind == "timeout" and "did not return within 1 s" in outcome.message
    assert time.monotonic() - started < 5
    assert sandbox.call("mod", "slow", (0,)).value == 0
    assert sandbox.starts == 2
    assert sandbox.call("mod", "slow", (2,), timeout=4).value == 2


def test_total_budget_stops_calls(tmp_path):
    (tmp_path / "mod.py").write_text(SOURCE)
    box = Sandbox(tmp_path, ["mod.py"], call_timeout=1.0, total_budget=1.5)
    try:
        assert box.call("mod", "slow", (5,)).kind == "timeout"
        second = box.call("mod", "slow", (5,))
        assert second.kind == "timeout" and box.spent <= 1.5 + 0.5
        third = box.call("mod", "add", (1, 2))
        assert third.kind == "budget" and "time budget of 1.5 s" in third.message
    finally:
        box.close()


def test_import_failures_are_remembered(tmp_path):
    (tmp_path / "mod.py").write_text("import time\ntime.sleep(60)\n")
    box = Sandbox(tmp_path, ["mod.py"], call_timeout=0.5, total_budget=20.0)
    try:
        first = box.call("mod", "f")
        assert first.kind == "timeout" and "importing mod.py did not finish" in first.message
        started = time.monotonic()
        again = box.call("mod", "g")
        assert again.kind == "import_error" and time.monotonic() - started < 0.1
    finally:
        box.close()


def test_workdir_holds_only_the_submission(sandbox, tmp_path):
    (tmp_path / "notes.txt").write_text("not part of the assignment")
    assert sandbox.call("mod", "cwd_files").value == 1


def test_submission_cannot_change_the_arguments_we_keep(sandbox):
    data = np.arange(4.0)
    sandbox.call("mod", "add", (data, 1))
    assert np.array_equal(data, np.arange(4.0))


def test_child_has_no_terminal_and_no_privileges(sandbox):
    uid, gid, no_terminal = sandbox.call("mod", "whoami").value
    assert no_terminal, "a new session: no controlling terminal to type into"
    assert uid != 0 and gid != 0
    if os.geteuid() == 0:
        assert uid == sandbox.uid and UID_BASE <= uid < UID_BASE + UID_SPAN


@root_only
def test_live_sandboxes_never_share_a_uid(tmp_path):
    (tmp_path / "mod.py").write_text(SOURCE)
    boxes = [Sandbox(tmp_path, ["mod.py"], call_timeout=5.0) for _ in range(3)]
    try:
        uids = [box.call("mod", "whoami").value[0] for box in boxes]
        assert len(set(uids)) == 3 and 0 not in uids
        for box in boxes:
            assert pids_of_uid(box.uid), "the child runs under its leased uid on the host"
    finally:
        for box in boxes:
            box.close()
    assert all(pids_of_uid(uid) == [] for uid in uids)


def test_concurrent_evaluations_get_their_own_answers(tmp_path):
    """Two visitors at the same moment (the dashboard's threads): each its own sandbox."""
    (tmp_path / "mod.py").write_text(SOURCE)
    answers = {}

    def visit(name, value):
        box = Sandbox(tmp_path, ["mod.py"], call_timeout=10.0)
        try:
            answers[name] = box.call("mod", "slow", (value,)).value
        finally:
            box.close()

    threads = [threading.Thread(target=visit, args=(n, v)) for n, v in (("a", 1.5), ("b", 0.1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {"a": 1.5, "b": 0.1}


def test_close_leaves_no_process(sandbox):
    sandbox.call("mod", "add", (1, 1))
    pid = sandbox.process.pid
    uid = sandbox.uid
    sandbox.close()
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
    if os.geteuid() == 0:
        assert pids_of_uid(uid) == []


def test_limits_from_config_validate():
    assert Limits.from_config({"memory_mb": 512}).memory_mb == 512
    assert Limits.from_config({"packages": ["numpy"]}) == Limits()
    with pytest.raises(ValueError, match="unknown sandbox settings"):
        Limits.from_config({"memory": 5})
    with pytest.raises(ValueError, match="positive int"):
        Limits.from_config({"cpu_seconds": -1})


def test_resource_limits_reach_the_child(tmp_path):
    (tmp_path / "mod.py").write_text(
        "import resource\n"
        "def limits():\n"
        "    return [resource.getrlimit(getattr(resource, 'RLIMIT_' + name))[0]\n"
        "            for name in ('CPU', 'AS', 'FSIZE', 'NOFILE', 'CORE')]\n"
    )
    limits = Limits(cpu_seconds=7, memory_mb=900, file_size_mb=3, open_files=40)
    box = Sandbox(tmp_path, ["mod.py"], call_timeout=5.0, limits=limits)
    try:
        assert box.call("mod", "limits").value == [7, 900 * 2**20, 3 * 2**20, 40, 0]
    finally:
        box.close()


def test_the_audit_hook_explains_refusals(tmp_path):
    """The hook is a tripwire that teaches; the sandbox (test_boundary) is the boundary."""
    (tmp_path / "mod.py").write_text(
        "def read(path):\n    return len(open(path).read())\n"
        "def write(path):\n    open(path, 'w').write('x')\n    return 1\n"
    )
    box = Sandbox(tmp_path, ["mod.py"], call_timeout=2.0)
    try:
        outside = box.call("mod", "read", ("/etc/hostname",))
        assert outside.error_base == "PermissionError" and "only your own folder" in outside.message
        assert box.call("mod", "read", ("mod.py",)).ok
        assert box.call("mod", "write", ("scratch.txt",)).value == 1
        assert box.call("mod", "write", ("/tmp/scratch.txt",)).value == 1
        refused = box.call("mod", "write", ("/usr/lib/nnlab-planted.txt",))
        assert refused.error_base == "PermissionError" and "only files in your own" in (
            refused.message
        )
        assert not Path("/usr/lib/nnlab-planted.txt").exists()
    finally:
        box.close()


def test_environment_and_path_are_sanitised(sandbox):
    leaks, repo_paths, count = sandbox.call("mod", "environment", (str(REPO),)).value
    assert leaks == 0 and repo_paths == 0 and count <= 12


# ----- failing closed ------------------------------------------------------------------------


@pytest.fixture
def broken_bwrap(tmp_path, monkeypatch):
    """Point the grader at a bwrap that cannot create namespaces (as in a locked-down container)."""
    fake = tmp_path / "bwrap"
    fake.write_text(
        "#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\nexit 1\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("NNLAB_BWRAP", str(fake))
    yield fake
    bubblewrap.forget_mode()


@pytest.mark.parametrize("missing", [True, False])
def test_without_a_working_bubblewrap_nothing_runs(tmp_path, monkeypatch, broken_bwrap, missing):
    if missing:
        monkeypatch.setenv("NNLAB_BWRAP", str(tmp_path / "no-such-bwrap"))
    (tmp_path / "mod.py").write_text(
        "open('/tmp/nnlab-ran-unsandboxed', 'w').write('ran')\ndef f():\n    return 1\n"
    )
    box = Sandbox(tmp_path, ["mod.py"], call_timeout=2.0)
    try:
        with pytest.raises(SandboxUnavailable) as caught:
            box.call("mod", "f")
    finally:
        box.close()
    text = str(caught.value)
    assert "apt-get install bubblewrap" in text and "--trust-submissions" in text
    assert ("not found" in text) if missing else ("No permissions" in text)
    assert not os.path.exists("/tmp/nnlab-ran-unsandboxed")


def test_trusted_mode_runs_without_bubblewrap(tmp_path, monkeypatch, broken_bwrap):
    (tmp_path / "mod.py").write_text(SOURCE)
    box = Sandbox(tmp_path, ["mod.py"], call_timeout=2.0, isolation="none")
    try:
        assert box.call("mod", "add", (1, 2)).value == 3
        assert any("NOT SANDBOXED" in note for note in box.notes)
    finally:
        box.close()


def test_a_failed_probe_is_tried_again_after_a_while(monkeypatch):
    """A passing problem at the first probe (red team, 2026-12-07: it was kept for the life of
    the process) must not refuse every later sandbox: the verdict stands FAILED_PROBE_SECONDS."""
    monkeypatch.setenv("NNLAB_BWRAP", "/nonexistent/bwrap-for-this-test")  # a cache key of its own
    monkeypatch.delenv(bubblewrap.MODE_VARIABLE, raising=False)
    broken = {"now": True}

    def probe(mode):
        return "the process table is full" if broken["now"] else None

    with pytest.raises(SandboxUnavailable, match="the process table is full"):
        bubblewrap.choose_mode(probe)
    broken["now"] = False
    with pytest.raises(SandboxUnavailable):  # within the time the verdict stands
        bubblewrap.choose_mode(probe)
    monkeypatch.setattr(bubblewrap, "FAILED_PROBE_SECONDS", 0.0)
    assert bubblewrap.choose_mode(probe) == bubblewrap.candidate_modes()[0]
