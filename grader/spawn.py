"""The sandbox's child process: starting it, its "ready" hello, killing it, its exit in words.

`ChildProcess` is the lower half of grader.sandbox.Sandbox (which sets up the state it works
on, see Sandbox.__init__): how the child's command line and bubblewrap spec are built
(grader.bubblewrap: allow-list, namespaces, tmpfs sizes, prlimits, the cgroup), the probe
that picks the bubblewrap mode, starting the child with the submission's files (in bubblewrap,
or as a plain limited process for trusted code), the "ready" hello, killing it with everything
it started (its uid, cgroup and folders released), and what its exit status means in words.
"""

import itertools
import os
import select
import signal
import subprocess
import time

from . import bubblewrap, seccomp
from .bubblewrap import HarnessError, SandboxUnavailable, is_root
from .cgroups import SandboxCgroup
from .channel import receive
from .isolation import process_count, trusted_preexec
from .text import clean
from .uids import UidUnavailable, kill_uid, lease_uid
from .workspace import boot_sources, read_submission, remove, trusted_workspace

STARTUP_TIMEOUT = 30.0
CHILD_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}
BOOTSTRAP = (
    "import os, sys; sys.path[:] = [sys.argv[1], *sys.argv[6].split(os.pathsep)]; "
    "del sys.argv[1]; import nnlab_sandbox_child as child; child.main(sys.argv)"
)
_names = itertools.count()


class ChildProcess:
    """Starting and stopping the child of a Sandbox (grader.sandbox); not used on its own."""

    def _command(self, fd_in, fd_out, sys_path, boot, work):
        return [
            "-I",
            "-S",
            "-B",
            "-c",
            BOOTSTRAP,
            boot,
            str(fd_in),
            str(fd_out),
            work,
            ",".join(self.modules),
            os.pathsep.join(sys_path),
        ]

    def _allow_list(self):
        if self._allowed is None:
            allowed = bubblewrap.allow_list(self.packages)
            bubblewrap.check_secrets(allowed, self.secrets)
            self._allowed = allowed
        return self._allowed

    def _spec(self, mode, uid, command, files=(), data=(), cgroup=None, seccomp_fd=None):
        allowed = self._allow_list()
        if mode == "privileged":
            allowed = bubblewrap.AllowList(
                binds=[*allowed.binds, *bubblewrap.setpriv_binds()],
                symlinks=allowed.symlinks,
                masks=allowed.masks,
                python=allowed.python,
                sys_path=allowed.sys_path,
                host_sys_path=allowed.host_sys_path,
            )
        work, tmp, shm = self.limits.tmpfs_bytes()
        nproc = None if is_root() else process_count(os.getuid()) + self.limits.processes
        return bubblewrap.Spec(
            mode=mode,
            uid=uid,
            allowed=allowed,
            command=command,
            env=dict(CHILD_ENV, HOME=bubblewrap.WORKDIR, TMPDIR="/tmp"),
            files=list(files),
            data=list(data),
            work_bytes=work,
            tmp_bytes=tmp,
            shm_bytes=shm,
            rlimits=self.limits.prlimits(nproc),
            cgroup_procs=cgroup.procs_files if cgroup else [],
            seccomp_fd=seccomp_fd,
        )

    def _probe(self, mode):
        """None when a minimal sandbox of this mode runs Python here, else the error text."""
        lease = None
        try:
            if bubblewrap.base_mode(mode) != "userns":
                lease = lease_uid()
            uid = lease.uid if lease else os.getuid()
            command = [self._allow_list().python, "-I", "-S", "-c", "print('ok')"]
            with seccomp.filter_fd() as fd:
                spec = self._spec(mode, uid, command, seccomp_fd=fd)
                fds = () if fd is None else (fd,)
                with bubblewrap.command(spec) as (argv, options):
                    return bubblewrap.run_probe(argv, pass_fds=(*fds, options))
        except (UidUnavailable, SandboxUnavailable) as error:
            return str(error)
        finally:
            if lease is not None:
                kill_uid(lease.uid)
                lease.release()

    def _spawn_bwrap(self, contents, fd_in, fd_out):
        self.mode = bubblewrap.choose_mode(self._probe)
        if bubblewrap.base_mode(self.mode) != "userns":
            try:
                self._lease = lease_uid()
            except UidUnavailable as error:
                raise HarnessError(f"no user id for the sandbox: {error}") from None
            self.uid = self._lease.uid
            name = f"nnlab-{os.getpid()}-{next(_names)}"
            create = (
                self.submission_group.sandbox_group
                if self.submission_group is not None
                else SandboxCgroup.create
            )
            self._cgroup = create(
                name,
                self.limits.memory_mb * 1024 * 1024 + self.limits.disk_mb * 1024 * 1024,
                self.limits.processes,
            )
        else:
            self.uid = os.getuid()
        memfds = []

        def memfd(name, data):
            fd = os.memfd_create(name)
            os.write(fd, data)
            os.lseek(fd, 0, os.SEEK_SET)
            memfds.append(fd)
            return fd

        try:
            work = bubblewrap.WORKDIR
            files = [(memfd(n, d), f"{work}/{n}", "0444") for n, d in contents.items()]
            data = [(memfd(n, d), f"/nnlab/{n}") for n, d in boot_sources().items()]
            allowed = self._allow_list()
            command = [
                allowed.python,
                *self._command(fd_in, fd_out, allowed.sys_path, "/nnlab", work),
            ]
            filter_fd = seccomp.program_fd()
            if filter_fd is not None:
                memfds.append(filter_fd)
            spec = self._spec(
                self.mode, self.uid, command, files, data, self._cgroup, seccomp_fd=filter_fd
            )
            with bubblewrap.command(spec) as (argv, options):
                return subprocess.Popen(
                    argv,
                    env={"PATH": "/usr/bin:/bin"},
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    pass_fds=(fd_in, fd_out, *memfds, options),
                    start_new_session=True,
                )
        finally:
            for fd in memfds:
                os.close(fd)

    def _spawn_trusted(self, contents, fd_in, fd_out):
        self._trusted_root, boot, work = trusted_workspace(contents)
        allowed = bubblewrap.allow_list(self.packages)
        self.uid = os.getuid()
        self.mode = "none"
        return subprocess.Popen(
            [allowed.python, *self._command(fd_in, fd_out, allowed.host_sys_path, boot, work)],
            cwd=work,
            env=dict(CHILD_ENV, HOME=work, TMPDIR=work),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(fd_in, fd_out),
            start_new_session=True,
            preexec_fn=trusted_preexec(self.limits),
        )

    def start(self):
        """Start (or restart) the child; HarnessError (SandboxUnavailable) if it cannot."""
        self.kill()
        contents, problems = read_submission(self.submission_dir, self.files)
        self.file_problems = problems
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        try:
            if self.isolation == "none":
                process = self._spawn_trusted(contents, request_read, answer_write)
            else:
                process = self._spawn_bwrap(contents, request_read, answer_write)
        except (OSError, subprocess.SubprocessError) as error:
            for fd in (request_write, answer_read):
                os.close(fd)
            self.kill()
            raise HarnessError(f"could not start the sandbox: {error}") from None
        except BaseException:
            for fd in (request_write, answer_read):
                os.close(fd)
            self.kill()
            raise
        finally:
            os.close(request_read)
            os.close(answer_write)
        self.process, self.to_child, self.from_child = process, request_write, answer_read
        self.errors = process.stderr
        hello = self._receive(time.monotonic() + STARTUP_TIMEOUT)
        if isinstance(hello, dict) and hello.get("ready"):
            self.starts += 1
            self.loaded = set()
            self.notes = self._notes()
            return
        said = self._startup_errors()
        self.kill()
        raise HarnessError(
            f"the sandbox child did not start ({hello if isinstance(hello, str) else 'bad hello'})"
            + (f": {said}" if said else "")
        )

    def _notes(self):
        if self.isolation == "none":
            return ["NOT SANDBOXED: the code ran as a plain process (trusted code only)"]
        notes = [f"bubblewrap sandbox ({self.mode})"]
        if bubblewrap.base_mode(self.mode) != "userns" and self._cgroup is None:
            notes.append("no cgroup: memory capped per process and by the tmpfs sizes")
        if seccomp.program() is None:
            notes.append("no system-call filter: grader.seccomp knows no numbers for this machine")
        return notes

    def _startup_errors(self):
        """What bwrap or Python printed before the child was up (bounded, non-blocking)."""
        if self.errors is None:
            return ""
        chunks = []
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and sum(map(len, chunks)) < 4000:
            ready, _, _ = select.select([self.errors], [], [], 0.05)
            if not ready:
                if self.process is not None and self.process.poll() is not None:
                    break
                continue
            chunk = os.read(self.errors.fileno(), 4000)
            if not chunk:
                break
            chunks.append(chunk)
        return clean(b"".join(chunks).decode("utf-8", "replace").strip()[-1500:])

    def kill(self):
        """Kill the child and everything it started; release its uid, cgroup and folders."""
        process = self.process
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                process.kill()
            except OSError:
                pass
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        if self._cgroup is not None:
            self._cgroup.kill()
            self._cgroup.remove()
            self._cgroup = None
        if self._lease is not None:
            kill_uid(self._lease.uid)
            self._lease.release()
            self._lease = None
        for fd in (self.to_child, self.from_child):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        if self.errors is not None:
            self.errors.close()
        self._oracle_used = set()
        self.process = None
        self.to_child = self.from_child = self.errors = None
        if self._trusted_root:
            remove(self._trusted_root)
            self._trusted_root = None

    def _receive(self, deadline):
        return receive(self.from_child, deadline)

    def _death_message(self):
        process = self.process
        code = None
        if process is not None:
            try:
                code = process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                code = None
        if code is None:
            return "the submission's process stopped answering"
        if code > 128 and self.mode not in (None, "none"):
            code = -(code - 128)  # bubblewrap reports a child killed by signal N as 128 + N
        if code < 0:
            number = -code
            name = signal.Signals(number).name if number in signal.valid_signals() else number
            if number == signal.SIGXCPU:
                return f"ran out of CPU time ({self.limits.cpu_seconds} s in total)"
            if number == signal.SIGKILL:
                return "was killed (signal SIGKILL; out of memory or a limit reached?)"
            return f"crashed with signal {name}"
        return f"ended the whole process with exit code {code} (os._exit or a crash?)"
