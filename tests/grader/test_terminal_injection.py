"""A submission that types into the instructor's terminal (TIOCSTI), graded from a real terminal.

An instructor grades from a shell: `python -m grader grade SUBMISSION`. A process that shares
that terminal as its controlling terminal can push bytes into its input queue with the TIOCSTI
ioctl, and the shell reads them as typed once the grader exits: "rm -rf ~" as if the instructor
had typed it (bubblewrap's CVE-2017-5226). The zoo (test_hostile.py) grades in pytest's
workers, which have no terminal; here the grader runs as a session leader on a fresh pty, as root
and as an unprivileged user, and the submission pushes a command through every descriptor it
holds and through /dev/tty. Nothing may reach the terminal's input queue.

Before grading, the same push from an ordinary process of that session is shown to arrive (the
probe can see an injection on this kernel; where the kernel refuses TIOCSTI to everyone,
dev.tty.legacy_tiocsti = 0, there is nothing to defend and the test says so)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import subprocess
import sys
import time
import tty
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TINY = REPO / "tests" / "grader" / "fixtures" / "tiny"

PAYLOAD = "echo nnlab-injected\n"
PUSH = f"""
import fcntl, os, termios

def push(fd):
    for byte in {PAYLOAD.encode()!r}:
        fcntl.ioctl(fd, termios.TIOCSTI, bytes([byte]))
"""
# The submission first switches the in-process audit hook off (it refuses /dev/tty, but lives in
# the submission's own process), with the zoo's own code for it (hook_off_steals' module runs
# its _disarm() on import; its functions are replaced below): only what the operating system
# enforces may stand.
DISARM = (REPO / "tests" / "grader" / "hostile" / "hook_off_steals" / "activations.py").read_text()
HOSTILE = (
    DISARM
    + PUSH
    + """

def sigmoid(z):
    pushed = []
    for fd in range(10):
        try:
            push(fd)
            pushed.append(fd)
        except OSError:
            pass
    try:
        push(os.open("/dev/tty", os.O_RDWR))
        pushed.append("/dev/tty")
    except OSError:
        pass
    raise RuntimeError(f"typed into the terminal through {pushed}")


def sigmoid_grad(z):
    return sigmoid(z)
"""
)
# made a session leader with the pty as its controlling terminal, then the command
SESSION = (
    "import fcntl, os, sys, termios; os.setsid(); fcntl.ioctl(0, termios.TIOCSCTTY, 0);"
    " os.execv(sys.argv[1], sys.argv[1:])"
)


def _on_a_terminal(argv, cwd, timeout=300):
    """Run argv with a new pty as its standard streams (argv makes itself the pty's session
    leader: SESSION); return (its exit code, its output, what was left in the terminal's input
    queue afterwards)."""
    master, slave = pty.openpty()
    tty.setraw(slave)  # the queue as bytes, no line editing
    try:
        process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, close_fds=True
        )
        output = bytearray()
        deadline = time.monotonic() + timeout
        while process.poll() is None and time.monotonic() < deadline:
            output += _drain(master)
            time.sleep(0.05)
        if process.poll() is None:
            process.kill()
            raise AssertionError(f"{argv} did not finish in {timeout} s")
        output += _drain(master)
        flags = fcntl.fcntl(slave, fcntl.F_GETFL)
        fcntl.fcntl(slave, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        try:
            queued = os.read(slave, 4096)
        except BlockingIOError:
            queued = b""
        return process.returncode, output.decode(errors="replace"), queued
    finally:
        os.close(master)
        os.close(slave)


def _drain(fd) -> bytes:
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    chunks = b""
    try:
        while True:
            chunks += os.read(fd, 65536)
    except (BlockingIOError, OSError):
        return chunks


def _submission(folder):
    folder.mkdir(mode=0o755)
    for name in ("activations.py", "losses.py"):
        shutil.copyfile(TINY / "solutions" / name, folder / name)
    (folder / "activations.py").write_text(HOSTILE)
    for path in (folder, *folder.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def _the_probe_sees_an_injection(python, cwd, prefix=()):
    _, _, queued = _on_a_terminal(
        [*prefix, python, "-c", SESSION, python, "-c", PUSH + "\npush(0)\n"], cwd
    )
    if queued != PAYLOAD.encode():
        pytest.skip(f"this kernel refuses TIOCSTI to every process (queued {queued!r})")


def _grade_on_a_terminal(python, repo, submission, out, prefix=()):
    code, output, queued = _on_a_terminal(
        [*prefix, python, "-c", SESSION, python, "-m", "grader", "grade", str(submission),
         "--assignment", str(repo / "tests" / "grader" / "fixtures" / "tiny"),
         "--out", str(out)],
        repo,
    )  # fmt: skip
    assert queued == b"", f"the submission typed {queued!r} into the instructor's terminal"
    assert code == 0, output[-2000:]
    results = json.loads(out.read_text())
    feedback = " ".join(test["output"] for test in results["tests"])
    # the attack ran (it was not merely refused an import) and every push failed
    assert "typed into the terminal through []" in feedback, feedback[-1500:]
    assert "nnlab-injected" not in output


@pytest.mark.skipif(os.geteuid() != 0, reason="the root half needs root; the user half runs below")
def test_a_submission_cannot_type_into_the_graders_terminal_as_root(tmp_path):
    _the_probe_sees_an_injection(sys.executable, tmp_path)
    submission = _submission(tmp_path / "student")
    _grade_on_a_terminal(sys.executable, REPO, submission, tmp_path / "results.json")


def test_a_submission_cannot_type_into_the_graders_terminal_as_a_user(unprivileged_user, tmp_path):
    user = unprivileged_user
    prefix = ("setpriv", f"--reuid={user.uid}", f"--regid={user.uid}", "--clear-groups",
              "--inh-caps=-all", "--")  # fmt: skip
    _the_probe_sees_an_injection(str(user.python), user.repo, prefix)
    folder = user.base / f"tiocsti-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    os.chown(folder, user.uid, user.uid)
    submission = _submission(folder / "student")
    try:
        _grade_on_a_terminal(str(user.python), user.repo, submission, folder / "results.json",
                             prefix)  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
