"""User ids for sandboxes when the grader runs as root: one per live sandbox, never shared.

A lease is a lock file `<uid>` in a root-only folder, held with flock for as long as the
sandbox lives. Locks belong to open files, so two sandboxes of one process (the dashboard's
concurrent visitors), of parallel gradings, or of a crashed run can never get the same uid: the
kernel drops a dead process's locks, and a uid that still owns a process is skipped. A uid that
belongs to an account (`is_account`) is never leased, so no real user's process is killed.

    lease = lease_uid()       # lease.uid: a number in [UID_BASE, UID_BASE + UID_SPAN)
    ...
    lease.release()
"""

import fcntl
import itertools
import os
import pwd
import signal
import stat
import time

UID_BASE = 1_000_000
UID_SPAN = 65_536
LOCK_DIRS = ("/run/nnlab-sandbox-uids", "/tmp/nnlab-sandbox-uids-root")
_counter = itertools.count()


class UidUnavailable(RuntimeError):
    """No uid could be leased (the lock folder is unsafe, or every uid is taken)."""


class UidLease:
    """A uid held by this process until release() (or until the process ends)."""

    def __init__(self, uid, fd):
        self.uid = uid
        self._fd = fd

    def release(self):
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    def __repr__(self):
        return f"<uid lease {self.uid}>"


def _lock_dir():
    """The first usable root-only lock folder (created 0700 when missing)."""
    problems = []
    for folder in LOCK_DIRS:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError as error:
            problems.append(f"{folder}: {error.strerror}")
            continue
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
            problems.append(f"{folder} is not a folder owned by root with mode 0700")
            continue
        return folder
    raise UidUnavailable("no safe folder for uid locks: " + "; ".join(problems))


def pids_of_uid(uid):
    """Process ids whose real, effective or saved uid is uid (read from /proc)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Uid:"):
                        if str(uid).encode() in line.split()[1:4]:
                            pids.append(int(entry))
                        break
        except OSError:
            continue
    return pids


def kill_uid(uid, rounds=5):
    """SIGKILL every process of uid (repeat: a dying process may have just forked)."""
    for _ in range(rounds):
        pids = pids_of_uid(uid)
        if not pids:
            return True
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)
    return not pids_of_uid(uid)


def is_account(uid):
    """True when uid belongs to an account the system knows (local, or from a directory such as
    LDAP or Active Directory through SSSD, whose ids can lie in the sandboxes' range): its
    processes are someone's, not a crashed sandbox's, and must never be killed."""
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def lease_uid():
    """Lease a uid that no live sandbox and no live process uses; UidUnavailable if none."""
    folder = _lock_dir()
    start = (os.getpid() * 7919 + next(_counter) * 104_729) % UID_SPAN
    for step in range(UID_SPAN):
        uid = UID_BASE + (start + step) % UID_SPAN
        if is_account(uid):
            continue  # a real user's (a directory's ids can reach this range): never touched
        fd = os.open(os.path.join(folder, str(uid)), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        if pids_of_uid(uid) and not kill_uid(uid):
            os.close(fd)  # a leftover of a crashed run that will not die: skip this uid
            continue
        return UidLease(uid, fd)
    raise UidUnavailable(f"all {UID_SPAN} sandbox uids are in use")
