"""One control group per sandbox when the grader is root: memory (tmpfs and shared memory
included) and processes capped for the whole sandbox, CPU time capped at one core's (where the
kernel has the cpu controller), and every process killed at the end.

The kernel charges tmpfs and /dev/shm pages to the cgroup of the process that wrote them, so
`memory` here bounds what a submission's processes hold in RAM *and* in its private folders
together. cgroup v2 (one hierarchy, `memory.max`, `pids.max`, `cgroup.kill`) is used where it is
mounted with both controllers; otherwise cgroup v1's `memory` and `pids` hierarchies. Where
neither can be written (not root, a read-only /sys/fs/cgroup), `create` returns None and the
sandbox relies on its per-process limits and sized tmpfs mounts instead (the caller says so).

    group = SandboxCgroup.create("nnlab-123-4", memory_bytes=1 << 30, pids=32)
    launcher: write the process id into each of group.procs_files, then exec the sandbox
    group.kill(); group.remove()

A submission can hold more than one sandbox at once (its own, and one for each set of the
reference's earlier files a later exercise is retried with), so `SubmissionCgroup` puts them all
under one more group whose limits hold for them together: one submission's memory stays within
its limit however many sandboxes it makes the grader start.

The CPU cap (cgroup v2's `cpu.max`, v1's `cpu.cfs_quota_us`) sits on the outermost group: one
submission's processes together get at most CPU_CORES cores' time, however many threads they
start. Without it, a submission whose threads hash in a loop (hashlib lets go of the GIL) took
every core of the machine from the classmates graded beside it, bounded only by each process's
CPU seconds and each call's wall-clock limit. The cpu controller is optional: where it is
missing, the memory and process limits still apply.
"""

import itertools
import os
import signal
import time

ROOT = "/sys/fs/cgroup"
PARENT = "nnlab-sandboxes"
# A submission's processes together: at most this many cores' time in each period.
CPU_CORES = 1
CPU_PERIOD_US = 100_000


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
            group = os.path.join(parent, name)
            try:  # a submission's group holds its sandboxes' groups: those go first
                inner = [entry.path for entry in os.scandir(group) if entry.is_dir()]
            except OSError:
                inner = []
            for path in [*inner, group]:
                try:
                    os.rmdir(path)
                except OSError:
                    pass


def _pass_on_controllers(folder):
    """v2: let the group's children use memory and pids (required) and cpu (where the kernel
    lets it: enabling cpu can be refused, for example while a realtime process runs)."""
    _write(os.path.join(folder, "cgroup.subtree_control"), "+memory +pids")
    try:
        _write(os.path.join(folder, "cgroup.subtree_control"), "+cpu")
    except OSError:
        pass


def _cap_cpu(path, value):
    """Write the CPU cap where the group has the file; a kernel that refuses it leaves the group
    without one (its memory and process limits still hold)."""
    try:
        _write(path, value)
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
    def create(cls, name, memory_bytes, pids, within=None):
        """The group, or None when cgroups cannot be used here. within: a group made with
        nested=True to create this one in (its limits then hold for its groups together)."""
        if os.geteuid() != 0:
            return None
        try:
            if os.path.isfile(os.path.join(ROOT, "cgroup.controllers")):
                return cls._create_v2(name, memory_bytes, pids, within)
            return cls._create_v1(name, memory_bytes, pids, within)
        except OSError:
            return None

    @classmethod
    def create_nested(cls, name, memory_bytes, pids):
        """A group for other groups (`create(..., within=group)`), or None."""
        group = cls.create(name, memory_bytes, pids)
        if group is not None and group.version == 2:
            try:  # v2: a group passes controllers on to its children only when told to
                _pass_on_controllers(group.folders[0])
            except OSError:
                group.remove()
                return None
        return group

    @classmethod
    def _create_v2(cls, name, memory_bytes, pids, within=None):
        with open(os.path.join(ROOT, "cgroup.controllers")) as handle:
            available = handle.read().split()
        if not {"memory", "pids"} <= set(available):
            return None
        if within is not None:
            parent = within.folders[0]
        else:
            parent = os.path.join(ROOT, PARENT)
            os.makedirs(parent, exist_ok=True)
            _pass_on_controllers(ROOT)
            _pass_on_controllers(parent)
            _sweep(parent)
        leaf = os.path.join(parent, name)
        os.mkdir(leaf)
        group = cls(2, [leaf])
        try:
            _write(os.path.join(leaf, "memory.max"), str(memory_bytes))
            if os.path.exists(os.path.join(leaf, "memory.swap.max")):
                _write(os.path.join(leaf, "memory.swap.max"), "0")
            _write(os.path.join(leaf, "pids.max"), str(pids))
            if within is None:
                _cap_cpu(
                    os.path.join(leaf, "cpu.max"), f"{CPU_CORES * CPU_PERIOD_US} {CPU_PERIOD_US}"
                )
        except OSError:
            group.remove()
            raise
        return group

    @classmethod
    def _create_v1(cls, name, memory_bytes, pids, within=None):
        """v1: one folder in each hierarchy: memory, pids and, where it is mounted, cpu (a
        group made within another has the same hierarchies as that one)."""
        folders = []
        controllers = ("memory", "pids", "cpu")
        if within is not None:
            folders = [os.path.join(folder, name) for folder in within.folders]
        for controller in controllers if within is None else ():
            own = _own_path(controller)
            base = os.path.join(ROOT, controller)
            if own is None or not os.path.isfile(os.path.join(base, "cgroup.procs")):
                if controller == "cpu":
                    break  # optional
                return None
            parent = os.path.join(base + own, PARENT)
            try:
                os.makedirs(parent, exist_ok=True)
            except OSError:
                if controller == "cpu":
                    break
                raise
            _sweep(parent)
            folders.append(os.path.join(parent, name))
        group = cls(1, [])
        try:
            for folder in folders[:2]:  # memory and pids: required
                os.mkdir(folder)
                group.folders.append(folder)
            for folder in folders[2:]:  # cpu: optional
                try:
                    os.mkdir(folder)
                    group.folders.append(folder)
                except OSError:
                    pass
            memory, pid_folder, *cpu = group.folders
            _write(os.path.join(memory, "memory.limit_in_bytes"), str(memory_bytes))
            swap = os.path.join(memory, "memory.memsw.limit_in_bytes")
            if os.path.exists(swap):
                _write(swap, str(memory_bytes))
            _write(os.path.join(pid_folder, "pids.max"), str(pids))
            if cpu and within is None:
                _cap_cpu(os.path.join(cpu[0], "cpu.cfs_period_us"), str(CPU_PERIOD_US))
                _cap_cpu(os.path.join(cpu[0], "cpu.cfs_quota_us"), str(CPU_CORES * CPU_PERIOD_US))
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


class SubmissionCgroup:
    """The group above every sandbox of one submission (see the module docstring), made on the
    first sandbox's start. Where it cannot be made, each sandbox's group stands alone."""

    _numbers = itertools.count()

    def __init__(self, memory_bytes, pids):
        self.name = f"nnlab-{os.getpid()}-submission{next(self._numbers)}"
        self.memory_bytes, self.pids = memory_bytes, pids
        self.group = None
        self._tried = False

    def sandbox_group(self, name, memory_bytes, pids):
        """One sandbox's group, inside this submission's where there is one."""
        if not self._tried:
            self._tried = True
            self.group = SandboxCgroup.create_nested(self.name, self.memory_bytes, self.pids)
        return SandboxCgroup.create(name, memory_bytes, pids, within=self.group)

    def close(self):
        """Kill whatever is left in it and remove it (after its sandboxes' own groups)."""
        if self.group is not None:
            self.group.kill()
            self.group.remove()
            self.group = None
        self._tried = False
