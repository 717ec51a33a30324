"""One submission's limits hold for everything it makes the grader do (red team, 2026-12-07).

- The reference's answers to a retried exercise's calls (the oracle) are computed for arguments
  the submission chose: `grader.exchange.limited` computes them in a forked copy of the grader
  with the sandbox's memory limit and the call's deadline, so `one_hot([0], 10**9)` cannot take
  the grader's own memory.
- A submission can hold several sandboxes at once (its own and the retries'): their cgroups sit
  in one more group whose memory limit holds for all of them together.
- A sandbox's uid is never an account's: leasing one kills what runs under it.
- A submission's processes together get at most one core's time (grader.cgroups.CPU_CORES),
  however many threads it starts: it cannot starve the classmates graded beside it.
"""

import os
import time

import numpy as np
import pytest

from grader import uids
from grader.cgroups import SandboxCgroup, SubmissionCgroup
from grader.exchange import limited
from grader.sandbox import Sandbox

MB = 1024 * 1024


def test_the_reference_answers_within_the_sandboxs_memory():
    def huge():
        return {"ok": True, "size": int(np.ones(400 * MB // 8).sum())}  # 400 MB

    reply = limited(huge, 64 * MB, time.monotonic() + 30, "the reference's one_hot")
    assert reply["ok"] is False and reply["type"] == "MemoryError", reply
    assert "one_hot" in reply["message"]


def test_the_reference_answers_by_the_calls_deadline():
    started = time.monotonic()
    reply = limited(lambda: time.sleep(30), 64 * MB, started + 0.5, "the reference's scale")
    assert reply["ok"] is False and reply["type"] == "TimeoutError", reply
    assert time.monotonic() - started < 10


def test_a_reference_answer_comes_back_whole():
    reply = limited(lambda: {"ok": True, "result": [1, 2.5]}, 64 * MB, time.monotonic() + 30, "x")
    assert reply == {"ok": True, "result": [1, 2.5]}


HOLDS = """
import numpy as np
KEPT = []

def hold(megabytes):
    KEPT.append(np.ones(megabytes * 131072))  # 8 bytes each: touched, so really held
    return len(KEPT)
"""


def both_hold(tmp_path, group):
    """Whether two sandboxes of one submission can each hold 200 MB at the same time."""
    (tmp_path / "mod.py").write_text(HOLDS)
    boxes = [Sandbox(tmp_path, ["mod.py"], call_timeout=20.0, submission_group=group)]
    boxes.append(Sandbox(tmp_path, ["mod.py"], call_timeout=20.0, submission_group=group))
    try:
        first = boxes[0].call("mod", "hold", (200,))
        second = boxes[1].call("mod", "hold", (200,))
        again = boxes[0].call("mod", "hold", (1,))  # the first box, still alive with its 200 MB?
        return first.ok and second.ok and again.ok and again.value == 2
    finally:
        for box in boxes:
            box.close()
        if group is not None:
            group.close()


def cgroups_writable():
    probe = SandboxCgroup.create(f"nnlab-{os.getpid()}-probe", MB, 4)
    if probe is None:
        return False
    probe.remove()
    return True


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root (cgroups)")
@pytest.mark.usefixtures("sandbox_mode")
def test_a_submissions_sandboxes_share_one_memory_limit(tmp_path):
    if not cgroups_writable():
        pytest.skip("no writable cgroups here: each sandbox is capped per process instead")
    (tmp_path / "alone").mkdir()
    (tmp_path / "together").mkdir()
    assert both_hold(tmp_path / "alone", None), "each sandbox alone holds 200 MB"
    assert not both_hold(tmp_path / "together", SubmissionCgroup(300 * MB, 64))


# Threads that hash until `seconds` have passed (hashlib lets go of the GIL for a large buffer,
# so they run on every core they are given); returns (CPU seconds the process used, wall seconds).
SPINS = """
import hashlib, threading, time

def spin(seconds, threads):
    buffer = bytes(8 * 1024 * 1024)
    deadline = time.monotonic() + seconds

    def work():
        while time.monotonic() < deadline:
            hashlib.sha256(buffer).digest()

    started, cpu = time.monotonic(), time.process_time()
    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.process_time() - cpu, time.monotonic() - started
"""


def cpu_cores_used(tmp_path, group):
    """The cores' worth of CPU time four spinning threads of one sandbox got for 3 s."""
    (tmp_path / "mod.py").write_text(SPINS)
    box = Sandbox(tmp_path, ["mod.py"], call_timeout=20.0, submission_group=group)
    try:
        outcome = box.call("mod", "spin", (3.0, 4))
        assert outcome.ok, outcome.message
        cpu, wall = outcome.value
        return cpu / wall
    finally:
        box.close()
        if group is not None:
            group.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root (cgroups)")
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: nothing to cap")
@pytest.mark.usefixtures("sandbox_mode")
def test_a_submission_gets_at_most_one_cores_time(tmp_path):
    """Four threads that hash as fast as they can: a sandbox alone and a sandbox within its
    submission's group each get about one core's time (cgroups.CPU_CORES), not the machine's
    cores. (Before the cap: 1.9 cores' time on an idle machine of two.)"""
    if not cgroups_writable():
        pytest.skip("no writable cgroups here: each sandbox is capped per process instead")
    if not os.path.exists("/sys/fs/cgroup/cpu") and not os.path.isfile(
        "/sys/fs/cgroup/cgroup.controllers"
    ):
        pytest.skip("no cpu controller here")
    (tmp_path / "alone").mkdir()
    (tmp_path / "within").mkdir()
    alone = cpu_cores_used(tmp_path / "alone", None)
    within = cpu_cores_used(tmp_path / "within", SubmissionCgroup(512 * MB, 64))
    assert alone <= 1.15, f"a sandbox alone got {alone:.2f} cores' time"
    assert within <= 1.15, f"a submission's sandbox got {within:.2f} cores' time"
    # the threads did run (on a loaded machine the group gets less than its core: 0.25 in CI)
    assert alone > 0.02 and within > 0.02, (alone, within)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root (uid leases)")
def test_a_uid_that_belongs_to_an_account_is_never_leased(monkeypatch):
    """Directory accounts (SSSD, Active Directory) can have ids in the sandboxes' range; a
    lease kills the leftover processes of its uid, so an account's uid must never be leased.
    Every uid of the range but one is made an account here: the lease must take that one."""
    free = uids.UID_BASE + 4242

    def getpwuid(uid):
        if uid == free or not uids.UID_BASE <= uid < uids.UID_BASE + uids.UID_SPAN:
            raise KeyError(uid)
        return ("someone",)

    monkeypatch.setattr(uids.pwd, "getpwuid", getpwuid)
    lease = uids.lease_uid()
    try:
        assert lease.uid == free
    finally:
        lease.release()
