"""Operating-system isolation for the sandbox child: limits, session, user, private mounts.

`Isolation.preexec()` runs in the forked child between fork and exec:

- resource limits: RLIMIT_CPU (seconds), RLIMIT_AS (address space), RLIMIT_FSIZE (largest file),
  RLIMIT_NPROC (processes), RLIMIT_NOFILE (open files), RLIMIT_CORE = 0;
- when the grader runs as root: a private network namespace (no network) and a private mount
  namespace in which the paths to hide (the repository, the assignment, the other
  submissions, the grader's private folder) are covered by empty tmpfs mounts, and in which
  the Python installation stays reachable even when it lives under a folder other users
  cannot enter (e.g. /root/.pyenv); then the child drops to its own unprivileged uid/gid (one
  per grading process, so the grader can later kill every process that uid owns and be sure
  nothing outlives the submission);
- PR_SET_PDEATHSIG: the child is killed if the grading process dies.

The session and process group come from subprocess's start_new_session=True.
"""

import ctypes
import os
import resource
import signal
import stat
from dataclasses import dataclass, field

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_NOSUID = 2
MS_NODEV = 4
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
UID_BASE = 1_000_000
PR_SET_PDEATHSIG = 1


@dataclass
class Limits:
    """Resource limits for one sandbox child (per process; CPU is cumulative over all calls)."""

    cpu_seconds: int = 60
    memory_mb: int = 1024
    file_size_mb: int = 16
    processes: int = 32
    open_files: int = 64
    disk_mb: int = 64

    @classmethod
    def from_config(cls, config):
        """Limits from assignment.json's optional "sandbox" object (unknown keys: ValueError)."""
        config = dict(config or {})
        known = {
            name: config.pop(name) for name in list(config) if name in cls.__dataclass_fields__
        }
        if config:
            raise ValueError(f"unknown sandbox settings {sorted(config)}; known: {LIMIT_NAMES}")
        for name, value in known.items():
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"sandbox.{name} must be a positive int, got {value!r}")
        return cls(**known)


LIMIT_NAMES = ["cpu_seconds", "memory_mb", "file_size_mb", "processes", "open_files", "disk_mb"]


def is_root():
    return os.geteuid() == 0


def sandbox_uid(pid=None):
    """A uid/gid used by no one else: unique per grading process (not in /etc/passwd)."""
    return UID_BASE + (os.getpid() if pid is None else pid)


def kill_uid(uid, rounds=3):
    """SIGKILL every process owned by uid (repeat: a dying process may have just forked)."""
    import time

    for _ in range(rounds):
        pids = pids_of_uid(uid)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)


def others_can_enter(path):
    """True when every folder from / down to path is searchable by other users."""
    current = os.path.abspath(path)
    while True:
        mode = os.stat(current).st_mode
        if not mode & stat.S_IXOTH:
            return False
        parent = os.path.dirname(current)
        if parent == current:
            return True
        current = parent


def first_closed_ancestor(path):
    """The top-most folder on the way to path that other users cannot enter (or None)."""
    parts = os.path.abspath(path).split(os.sep)
    for depth in range(2, len(parts) + 1):
        candidate = os.sep.join(parts[:depth])
        if not os.stat(candidate).st_mode & stat.S_IXOTH:
            return candidate
    return None


def _is_ancestor(folder, path):
    folder = os.path.realpath(folder)
    path = os.path.realpath(path)
    return path == folder or path.startswith(folder.rstrip("/") + "/")


@dataclass
class Isolation:
    """What to apply to one child; build with `Isolation.plan(...)` in the trusted parent."""

    limits: Limits
    uid: int | None = None
    hide: list = field(default_factory=list)
    expose_prefix: str | None = None
    expose_from: str | None = None
    use_namespace: bool = False
    workdir: str | None = None
    nproc_limit: int = 32
    notes: list = field(default_factory=list)

    @classmethod
    def plan(cls, limits, keep_visible, hide, use_namespace=True, workdir=None):
        """Decide uid, mounts and limits; keep_visible: folders the child must reach;
        workdir (root with namespaces only) becomes a tmpfs of limits.disk_mb megabytes."""
        import sys

        iso = cls(limits=limits, workdir=workdir)
        prefix = os.path.realpath(sys.base_prefix)
        if not is_root():
            iso.nproc_limit = _process_count(os.getuid()) + limits.processes
            iso.notes.append("not root: the sandbox runs as the current user (audit hook only)")
            return iso
        iso.uid = sandbox_uid()
        iso.nproc_limit = limits.processes
        iso.use_namespace = use_namespace
        needed = [prefix, *keep_visible]
        candidates = {
            os.path.realpath(path)
            for path in hide
            if path and os.path.isdir(path) and not any(_is_ancestor(path, n) for n in needed)
        }
        iso.hide = sorted(
            path
            for path in candidates
            if not any(other != path and _is_ancestor(other, path) for other in candidates)
        )
        if not others_can_enter(prefix):
            if not use_namespace:
                iso.uid = None
                iso.nproc_limit = _process_count(os.getuid()) + limits.processes
                iso.notes.append(
                    f"running as root: the sandbox cannot drop privileges because {prefix} is "
                    "not reachable by other users and no mount namespace is available"
                )
                return iso
            iso.expose_prefix = prefix
            iso.expose_from = first_closed_ancestor(prefix)
        return iso

    def preexec(self):
        """Runs in the child after fork, before exec. Raises on failure (Popen reports it)."""
        if self.uid is not None and self.use_namespace:
            self._private_mounts()
        limits = self.limits
        mb = 1024 * 1024
        for name, value in (
            ("RLIMIT_CPU", limits.cpu_seconds),
            ("RLIMIT_AS", limits.memory_mb * mb),
            ("RLIMIT_FSIZE", limits.file_size_mb * mb),
            ("RLIMIT_NOFILE", limits.open_files),
            ("RLIMIT_CORE", 0),
            ("RLIMIT_NPROC", self.nproc_limit),
        ):
            resource.setrlimit(getattr(resource, name), (value, value))
        if self.uid is not None:
            os.setgroups([])
            os.setgid(self.uid)
            os.setuid(self.uid)
        # Die with the grader: if the trusted process is killed, so is this child (set after
        # setuid, which clears it).
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def _private_mounts(self):
        libc = ctypes.CDLL(None, use_errno=True)

        def mount(source, target, fstype, flags, data):
            encoded = [None if s is None else s.encode() for s in (source, target, fstype, data)]
            if libc.mount(encoded[0], encoded[1], encoded[2], flags, encoded[3]) != 0:
                errno = ctypes.get_errno()
                raise OSError(errno, f"mount {target}: {os.strerror(errno)}")

        # A private network namespace too (no interfaces but a down loopback): no network.
        if libc.unshare(CLONE_NEWNS | CLONE_NEWNET) != 0 and libc.unshare(CLONE_NEWNS) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"unshare(CLONE_NEWNS): {os.strerror(errno)}")
        mount(None, "/", None, MS_REC | MS_PRIVATE, None)
        if self.expose_prefix and self.expose_from:
            handle = os.open(self.expose_prefix, os.O_PATH | os.O_DIRECTORY)
            mount("tmpfs", self.expose_from, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=64k")
            os.makedirs(self.expose_prefix, mode=0o755, exist_ok=True)
            mount(f"/proc/self/fd/{handle}", self.expose_prefix, None, MS_BIND | MS_REC, None)
            os.close(handle)
        for path in self.hide:
            mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=000,size=4k")
        if self.workdir:
            # The submission's folder becomes a size-capped tmpfs: writing cannot fill the disk.
            saved = {}
            for name in os.listdir(self.workdir):
                with open(os.path.join(self.workdir, name), "rb") as handle:
                    saved[name] = handle.read()
            options = f"mode=700,size={self.limits.disk_mb}m,uid={self.uid},gid={self.uid}"
            mount("tmpfs", self.workdir, "tmpfs", MS_NOSUID | MS_NODEV, options)
            for name, data in saved.items():
                path = os.path.join(self.workdir, name)
                with open(path, "wb") as handle:
                    handle.write(data)
                os.chown(path, self.uid, self.uid)


def _process_count(uid):
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


def pids_of_uid(uid):
    """Process ids owned by uid (read from /proc)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    pids.append(int(entry))
            except OSError:
                continue
    return pids
