"""The sandbox child: answers, failures, restarts, limits, and the operating-system isolation."""

import os
import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from grader.isolation import Isolation, Limits, is_root, kill_uid, pids_of_uid
from grader.sandbox import Sandbox

REPO = Path(__file__).resolve().parents[2]
root_only = pytest.mark.skipif(not is_root(), reason="needs root (setuid, mount namespace)")

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
    return [os.getuid(), os.getgid(), os.getpgrp() == os.getpid()]

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
    assert ("RuntimeWarning", "overflow encountered in exp") in outcome.warnings
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


def test_child_is_session_leader_and_unprivileged(sandbox):
    uid, gid, leader = sandbox.call("mod", "whoami").value
    assert leader
    if is_root():
        assert uid != 0 and gid != 0 and uid == sandbox.uid


def test_close_leaves_no_process(sandbox):
    sandbox.call("mod", "add", (1, 1))
    pid = sandbox.process.pid
    uid = sandbox.uid
    sandbox.close()
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
    if uid is not None:
        assert pids_of_uid(uid) == []


def run_isolated(code, hide=(), limits=None):
    """Run python code under Isolation only (no audit hook): tests the OS layer alone."""
    isolation = Isolation.plan(limits or Limits(), keep_visible=["/tmp"], hide=hide)
    return subprocess.run(
        [sys.executable, "-I", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd="/tmp",
        preexec_fn=isolation.preexec,
        start_new_session=True,
    )


def test_resource_limits_are_set():
    limits = Limits(cpu_seconds=7, memory_mb=900, file_size_mb=3, open_files=40)
    result = run_isolated(
        """
        import resource
        for name in ("CPU", "AS", "FSIZE", "NOFILE", "CORE", "NPROC"):
            print(name, resource.getrlimit(getattr(resource, "RLIMIT_" + name))[0])
        """,
        limits=limits,
    )
    values = dict(line.split() for line in result.stdout.splitlines())
    assert values["CPU"] == "7" and values["AS"] == str(900 * 2**20)
    assert values["FSIZE"] == str(3 * 2**20) and values["NOFILE"] == "40"
    assert values["CORE"] == "0" and int(values["NPROC"]) > 0
    assert resource.getrlimit(resource.RLIMIT_CPU)[0] != 7, "the parent must keep its limits"


@root_only
def test_os_layer_hides_the_repository_and_drops_root():
    secret = REPO / "tests" / "grader" / "fixtures" / "tiny" / "solutions" / "activations.py"
    result = run_isolated(
        f"""
        import os
        print(os.getuid())
        try:
            open({str(secret)!r}).read()
            print("READ")
        except OSError as error:
            print("REFUSED", type(error).__name__)
        """,
        hide=[str(REPO)],
    )
    lines = result.stdout.split()
    assert lines[0] != "0", result.stderr
    assert "REFUSED" in lines and "READ" not in lines


@root_only
def test_kill_uid_reaches_processes_that_left_the_group():
    isolation = Isolation.plan(Limits(), keep_visible=["/tmp"], hide=[])
    process = subprocess.Popen(
        ["/bin/sh", "-c", "setsid sleep 4243.5 & exec sleep 4243.6"],
        preexec_fn=isolation.preexec,
        start_new_session=True,
        cwd="/tmp",
    )
    deadline = time.monotonic() + 5
    while len(pids_of_uid(isolation.uid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(pids_of_uid(isolation.uid)) >= 2
    kill_uid(isolation.uid)
    process.wait(timeout=5)
    deadline = time.monotonic() + 2
    while pids_of_uid(isolation.uid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert pids_of_uid(isolation.uid) == []


def test_limits_from_config_validate():
    assert Limits.from_config({"memory_mb": 512}).memory_mb == 512
    with pytest.raises(ValueError, match="unknown sandbox settings"):
        Limits.from_config({"memory": 5})
    with pytest.raises(ValueError, match="positive int"):
        Limits.from_config({"cpu_seconds": -1})


def test_audit_hook_refuses_reads_outside_even_when_not_hidden(tmp_path):
    (tmp_path / "mod.py").write_text(
        "def read(path):\n    return len(open(path).read())\n"
        "def write(path):\n    open(path, 'w').write('x')\n    return 1\n"
    )
    box = Sandbox(tmp_path, ["mod.py"], call_timeout=2.0)
    try:
        outside = box.call("mod", "read", (str(REPO / "pyproject.toml"),))
        assert outside.error_base == "PermissionError" and "only your own folder" in outside.message
        assert box.call("mod", "read", ("mod.py",)).ok
        assert box.call("mod", "write", ("scratch.txt",)).value == 1
        refused = box.call("mod", "write", (str(tmp_path / "planted.txt"),))
        assert refused.error_base == "PermissionError"
        assert not (tmp_path / "planted.txt").exists()
    finally:
        box.close()
    assert os.path.exists(tmp_path / "mod.py")


def test_environment_and_path_are_sanitised(sandbox):
    leaks, repo_paths, count = sandbox.call("mod", "environment", (str(REPO),)).value
    assert leaks == 0 and repo_paths == 0 and count <= 12


def test_without_root_the_audit_hook_still_confines(tmp_path, monkeypatch):
    """The path a student's laptop takes: no uid change, no namespace; the hook alone."""
    import grader.isolation
    import grader.sandbox

    monkeypatch.setattr(grader.isolation, "is_root", lambda: False)
    monkeypatch.setattr(grader.sandbox, "is_root", lambda: False)
    (tmp_path / "mod.py").write_text(
        "import os\n"
        "def read(path):\n    return len(open(path).read())\n"
        "def uid():\n    return os.getuid()\n"
    )
    box = Sandbox(tmp_path, ["mod.py"], call_timeout=2.0)
    try:
        assert box.call("mod", "uid").value == os.getuid()
        refused = box.call("mod", "read", (str(REPO / "pyproject.toml"),))
        assert refused.error_base == "PermissionError"
        assert box.uid is None and any("not root" in note for note in box.notes)
    finally:
        box.close()


@root_only
def test_os_layer_has_no_network():
    result = run_isolated(
        """
        import socket
        probe = socket.socket()
        probe.settimeout(2)
        print(probe.connect_ex(("1.1.1.1", 80)) != 0)
        """
    )
    assert result.stdout.strip() == "True", result.stderr


@root_only
def test_the_submission_folder_cannot_fill_the_disk(tmp_path):
    (tmp_path / "mod.py").write_text(
        "def fill():\n"
        "    written = 0\n"
        "    try:\n"
        "        for index in range(200):\n"
        "            with open(f'junk{index}.bin', 'wb') as handle:\n"
        "                handle.write(b'x' * (1 << 20))\n"
        "            written += 1\n"
        "    except OSError:\n"
        "        pass\n"
        "    return written\n"
    )
    box = Sandbox(tmp_path, ["mod.py"], call_timeout=10.0, limits=Limits(disk_mb=16))
    try:
        assert box.call("mod", "fill").value < 17
    finally:
        box.close()
