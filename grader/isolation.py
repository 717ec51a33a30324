"""Resource limits for the sandboxed child, and the unsandboxed way to run trusted code.

The sandbox itself is bubblewrap (grader.bubblewrap). The limits below apply in every mode:
as prlimit settings on the sandbox's processes, in a cgroup per sandbox when the grader is root
(memory including tmpfs and /dev/shm, processes), and as the sizes of the child's private
tmpfs folders.

`trusted_preexec` is only for code that is not hostile: a student running the public tests on
their own files in the release bundle, or an instructor who passed --trust-submissions. It sets
the same per-process limits and nothing else.
"""

import os
from dataclasses import dataclass

try:  # not on Windows; the trusted mode then runs without limits
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None

MB = 1024 * 1024


@dataclass
class Limits:
    """Resource limits for one sandbox (CPU per process, cumulative over all its calls)."""

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
        config.pop("packages", None)  # read by the sandbox, not a limit
        known = {
            name: config.pop(name) for name in list(config) if name in cls.__dataclass_fields__
        }
        if config:
            raise ValueError(f"unknown sandbox settings {sorted(config)}; known: {LIMIT_NAMES}")
        for name, value in known.items():
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"sandbox.{name} must be a positive int, got {value!r}")
        return cls(**known)

    def prlimits(self, processes=None):
        """prlimit options for the sandbox's processes."""
        return {
            "cpu": self.cpu_seconds,
            "as": self.memory_mb * MB,
            "fsize": self.file_size_mb * MB,
            "nofile": self.open_files,
            "core": 0,
            "nproc": self.processes if processes is None else processes,
        }

    def tmpfs_bytes(self):
        """Sizes of the private /work, /tmp and /dev/shm: disk_mb in all (halves, quarters)."""
        total = self.disk_mb * MB
        return total // 2, total // 4, total // 4


LIMIT_NAMES = ["cpu_seconds", "memory_mb", "file_size_mb", "processes", "open_files", "disk_mb"]


def process_count(uid):
    """Processes of uid now (RLIMIT_NPROC counts all of a uid's processes)."""
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


def trusted_preexec(limits):
    """A preexec_fn setting the per-process limits (trusted code only, see module docstring)."""
    nproc = process_count(os.getuid()) + limits.processes if os.path.isdir("/proc") else None

    def preexec():
        if resource is None:
            return
        for name, value in (
            ("RLIMIT_CPU", limits.cpu_seconds),
            ("RLIMIT_AS", limits.memory_mb * MB),
            ("RLIMIT_FSIZE", limits.file_size_mb * MB),
            ("RLIMIT_NOFILE", limits.open_files),
            ("RLIMIT_CORE", 0),
            ("RLIMIT_NPROC", nproc),
        ):
            if value is not None and hasattr(resource, name):
                try:
                    resource.setrlimit(getattr(resource, name), (value, value))
                except (ValueError, OSError):  # e.g. macOS refuses some address-space limits
                    pass

    return preexec
