"""One control group per sandbox when the grader is root: memory (tmpfs and shared memory
included) and processes capped for the whole sandbox, and every process killed at the end.

The kernel charges tmpfs and /dev/shm pages to the cgroup of the process that wrote them, so
`memory` here bounds what a submission's processes hold in RAM *and* in its private folders
together. cgroup v2 (one hierarchy, `memory.max`, `pids.max`, `cgroup.kill`) is used where it is
mounted with both controllers; otherwise cgroup v1's `memory` and `pids` hierarchies. Where
neither can be written (not root, a read-only /sys/fs/cgroup), `create` returns None and the
sandbox relies on its per-process limits and sized tmpfs mounts instead (the caller says so).

    group = SandboxCgroup.create("nnlab-123-4", memory_bytes=1 << 30, pids=32)
    launcher: write the process id into each of group.procs_files, then exec the sandbox
    group.kill(); group.remove()
"""

import os
import signal
import time

ROOT = "/sys/fs/cgroup"
PARENT = "nnlab-sandboxes"


def _write(path, text):
    with open(path, "w") as handle:
        handle.write(text)


def _own_path(controller):
    """This process's cgroup path in a v1 hierarchy ('' for the v2 line)."""
    try:
        with open("/proc/self/cgroup") as handle:
            for line in handle:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                if controller in controllers.split(","):
                    return path
    except OSError:
        pass
    return None


def _sweep(parent):
    """Remove leftover empty groups of processes that are gone (a killed grader's)."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        pid = name.split("-")[1] if name.startswith("nnlab-") else ""
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            try:
                os.rmdir(os.path.join(parent, name))
            except OSError:
                pass


class SandboxCgroup:
    """The leaf group(s) of one sandbox; see the module docstring."""

    def __init__(self, version, folders):
        self.version = version
        self.folders = folders

    @property
    def procs_files(self):
        return [os.path.join(folder, "cgroup.procs") for folder in self.folders]

    @classmethod
    def create(cls, name, memory_bytes, pids):
        """The group, or None when cgroups cannot be used here."""
        if os.geteuid() != 0:
            return None
        try:
            if os.path.isfile(os.path.join(ROOT, "cgroup.controllers")):
                return cls._create_v2(name, memory_bytes, pids)
            return cls._create_v1(name, memory_bytes, pids)
        except OSError:
            return None

    @classmethod
    def _create_v2(cls, name, memory_bytes, pids):
        with open(os.path.join(ROOT, "cgroup.controllers")) as handle:
            available = handle.read().split()
        if not {"memory", "pids"} <= set(available):
            return None
        parent = os.path.join(ROOT, PARENT)
        os.makedirs(parent, exist_ok=True)
        _write(os.path.join(ROOT, "cgroup.subtree_control"), "+memory +pids")
        _write(os.path.join(parent, "cgroup.subtree_control"), "+memory +pids")
        _sweep(parent)
        leaf = os.path.join(parent, name)
        os.mkdir(leaf)
        group = cls(2, [leaf])
        try:
            _write(os.path.join(leaf, "memory.max"), str(memory_bytes))
            if os.path.exists(os.path.join(leaf, "memory.swap.max")):
                _write(os.path.join(leaf, "memory.swap.max"), "0")
            _write(os.path.join(leaf, "pids.max"), str(pids))
        except OSError:
            group.remove()
            raise
        return group

    @classmethod
    def _create_v1(cls, name, memory_bytes, pids):
        folders = []
        for controller in ("memory", "pids"):
            own = _own_path(controller)
            base = os.path.join(ROOT, controller)
            if own is None or not os.path.isfile(os.path.join(base, "cgroup.procs")):
                return None
            parent = os.path.join(base + own, PARENT)
            os.makedirs(parent, exist_ok=True)
            _sweep(parent)
            folders.append(os.path.join(parent, name))
        group = cls(1, [])
        try:
            for folder in folders:
                os.mkdir(folder)
                group.folders.append(folder)
            memory, pid_folder = folders
            _write(os.path.join(memory, "memory.limit_in_bytes"), str(memory_bytes))
            swap = os.path.join(memory, "memory.memsw.limit_in_bytes")
            if os.path.exists(swap):
                _write(swap, str(memory_bytes))
            _write(os.path.join(pid_folder, "pids.max"), str(pids))
        except OSError:
            group.remove()
            raise
        return group

    def pids(self):
        found = set()
        for path in self.procs_files:
            try:
                with open(path) as handle:
                    found.update(int(line) for line in handle if line.strip())
            except OSError:
                continue
        return found

    def kill(self, rounds=50):
        """SIGKILL every process in the group; True when it is empty."""
        if self.version == 2:
            try:
                _write(os.path.join(self.folders[0], "cgroup.kill"), "1")
            except OSError:
                pass
        for _ in range(rounds):
            pids = self.pids()
            if not pids:
                return True
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.01)
        return not self.pids()

    def remove(self):
        for folder in reversed(self.folders):
            for _ in range(100):
                try:
                    os.rmdir(folder)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)  # the last process is still being reaped
        self.folders = []
