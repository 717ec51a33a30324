"""One sandboxed child process per submission, answering calls over a pipe protocol.

    sandbox = Sandbox(submission_dir, files=["activations.py"], call_timeout=2.0)
    outcome = sandbox.call("activations", "sigmoid", (z,), {})
    outcome.ok, outcome.value          # decoded plain data
    outcome.kind, outcome.message      # "timeout", "died", "exception", "not_implemented", ...
    sandbox.close()

The child runs inside bubblewrap (grader.bubblewrap: an allow-listed filesystem, its own
namespaces, no network, resource limits, a uid of its own when the grader is root). It is
started lazily, reused across calls and restarted (in a fresh sandbox with fresh copies of the
files) after it died or was killed. A call that does not answer within its wall-clock timeout
gets the whole sandbox killed. The total wall time of all calls is capped by `total_budget`;
once spent, calls fail at once. Every string that comes back from the child is cleaned of
control characters (grader.text) before anyone sees it. If the sandbox cannot be set up,
`start` raises SandboxUnavailable: there is no fallback to less isolation.
"""

import itertools
import os
import select
import signal
import subprocess
import time
from dataclasses import dataclass, field

from . import bubblewrap, protocol
from .bubblewrap import HarnessError, SandboxUnavailable, is_root
from .cgroups import SandboxCgroup
from .channel import receive, send
from .isolation import Limits, process_count, trusted_preexec
from .text import clean
from .uids import UidUnavailable, kill_uid, lease_uid
from .workspace import boot_sources, read_submission, remove, trusted_workspace

__all__ = ["HarnessError", "Outcome", "Sandbox", "SandboxUnavailable"]

STARTUP_TIMEOUT = 30.0
ISOLATIONS = ("bwrap", "none")
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
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_names = itertools.count()


@dataclass
class Outcome:
    """The answer to one call: ok + value, or a failure kind and a message."""

    ok: bool
    value: object = None
    kind: str = ""
    message: str = ""
    error_type: str = ""
    error_base: str = ""
    warnings: list = field(default_factory=list)  # (category, message, where, source line)
    stdout: str = ""
    seconds: float = 0.0
    trace: list = field(default_factory=list)  # the student's own frames: "file.py, line N..."
    inputs_after: object = None  # (args, kwargs) as the call left them, when asked for


class Sandbox:
    """See the module docstring. Not thread-safe; one per grading session or evaluation.

    isolation="bwrap" (the default) runs the child in bubblewrap (grader.bubblewrap);
    isolation="none" runs it as a plain process with resource limits, for trusted code only (a
    student's own public tests, an instructor's explicit --trust-submissions).
    secrets: paths that must stay invisible to the child (checked against what it can read).
    """

    def __init__(
        self,
        submission_dir,
        files,
        call_timeout=2.0,
        total_budget=120.0,
        limits=None,
        secrets=(),
        isolation="bwrap",
        packages=("numpy",),
        oracle=None,
        oracle_files=None,
    ):
        """oracle(module, function, args, kwargs) -> the reference's answer, and
        oracle_files(module) -> {file's module name: [function names]}: the earlier files that
        calls on `module` see as the reference's (answered by `oracle` in this process)."""
        if isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {ISOLATIONS}, got {isolation!r}")
        self.submission_dir = os.path.abspath(submission_dir)
        self.files = list(files)
        self.modules = [name[:-3] for name in self.files]
        self.call_timeout = float(call_timeout)
        self.total_budget = float(total_budget)
        self.limits = limits or Limits()
        self.secrets = [str(path) for path in secrets if path] + [REPOSITORY]
        self.isolation = isolation
        self.packages = tuple(packages)
        self.spent = 0.0
        self.process = None
        self.to_child = self.from_child = self.errors = None
        self.loaded = set()
        self.broken = {}
        self.file_problems = {}
        self.notes = []
        self.next_id = 0
        self.starts = 0
        self.uid = None
        self.mode = None
        self._lease = None
        self._cgroup = None
        self._trusted_root = None
        self._allowed = None
        self.oracle = oracle
        self.oracle_files = oracle_files
        self._oracle_used = set()  # files answered by the oracle in the running child
        self._oracle_now = {}
        _, self.file_problems = read_submission(self.submission_dir, self.files)

    # ----- process lifetime ----------------------------------------------------------------

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

    def _spec(self, mode, uid, command, files=(), data=(), cgroup=None):
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
        )

    def _probe(self, mode):
        """None when a minimal sandbox of this mode runs Python here, else the error text."""
        lease = None
        try:
            if bubblewrap.base_mode(mode) != "userns":
                lease = lease_uid()
            uid = lease.uid if lease else os.getuid()
            command = [self._allow_list().python, "-I", "-S", "-c", "print('ok')"]
            return bubblewrap.run_probe(bubblewrap.build_command(self._spec(mode, uid, command)))
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
            self._cgroup = SandboxCgroup.create(
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
            spec = self._spec(self.mode, self.uid, command, files, data, self._cgroup)
            argv = bubblewrap.build_command(spec)
            return subprocess.Popen(
                argv,
                env={"PATH": "/usr/bin:/bin"},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                pass_fds=(fd_in, fd_out, *memfds),
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

    def close(self):
        self.kill()

    # ----- messages ------------------------------------------------------------------------

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

    # ----- calls ---------------------------------------------------------------------------

    def call(self, module, function, args=(), kwargs=None, timeout=None, report_inputs=False):
        """Call module.function(*args, **kwargs) in the child; returns an Outcome.

        report_inputs: also return the arguments as the function left them (inputs_after).
        """
        qualified = f"{module}.{function}"
        filename = module + ".py"
        if filename in self.file_problems:
            problem = self.file_problems[filename]
            text = (
                f"{filename} is missing from your submission"
                if problem == "missing"
                else (f"{filename} {problem}")
            )
            return Outcome(False, kind="missing_file", message=text)
        if module in self.broken:
            return Outcome(False, kind="import_error", message=self.broken[module])
        if self.spent >= self.total_budget:
            return Outcome(
                False,
                kind="budget",
                message=f"{qualified} was not run: the submission used up its total time "
                f"budget of {self.total_budget:g} s",
            )
        try:
            request = {
                "op": "call",
                "module": module,
                "function": function,
                "args": protocol.encode_value(list(args)),
                "kwargs": protocol.encode_value(dict(kwargs or {})),
            }
        except TypeError as error:
            raise TypeError(f"argument for {qualified} is not plain data: {error}") from None
        oracle = self.oracle_files(module) if self.oracle_files and self.oracle else {}
        if module in self._oracle_used:
            # This child has answered for the reference's `module`; a call on the student's own
            # `module` gets a fresh child, so nothing learned from the reference carries over.
            self.kill()
        if self.process is None or self.process.poll() is not None:
            self.start()
        if oracle:
            request["oracle"] = {name: list(functions) for name, functions in oracle.items()}
        if report_inputs:
            request["inputs"] = True
        limit = self.call_timeout if timeout is None else float(timeout)
        if module not in self.loaded:
            load = {
                "op": "load",
                "module": module,
                **({"oracle": request["oracle"]} if oracle else {}),
            }
            loading = self._exchange(load, module, qualified, limit, oracle)
            if not loading.ok:
                return loading
        return self._exchange(request, module, qualified, limit, oracle)

    def _exchange(self, request, module, qualified, limit, oracle=None):
        limit = min(limit, self.total_budget - self.spent)
        self.next_id += 1
        request["id"] = self.next_id
        started = time.monotonic()
        deadline = started + limit
        sent = send(self.to_child, request, deadline)
        answer = self._receive(deadline) if sent else "eof"
        while isinstance(answer, dict) and answer.get("op") == "oracle":
            reply = self._answer_oracle(answer, oracle or {})
            if not send(self.to_child, reply, deadline):
                answer = "timeout" if time.monotonic() >= deadline else "eof"
                break
            answer = self._receive(deadline)
        seconds = time.monotonic() - started
        self.spent += seconds
        at_import = request["op"] == "load"
        return self._interpret(answer, module, qualified, limit, seconds, at_import)

    def _answer_oracle(self, request, oracle):
        """The reference's answer to an oracle request of the child (plain data both ways)."""
        name, function = request.get("module"), request.get("function")
        if request.get("id") != self.next_id or name not in oracle or function not in oracle[name]:
            return {"ok": False, "type": "RuntimeError", "message": "no such reference function"}
        self._oracle_used.add(name)
        try:
            args = protocol.decode_value(request.get("args"), allow_str=True)
            kwargs = protocol.decode_value(request.get("kwargs"), allow_str=True)
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise protocol.ProtocolError("arguments must be a list and a dict")
            value = self.oracle(name, function, args, kwargs)
            return {"ok": True, "result": protocol.encode_value(value, allow_str=False)}
        except protocol.ProtocolError as error:
            return {"ok": False, "type": "TypeError", "message": clean(error, 300)}
        except Exception as error:  # noqa: BLE001 - the reference refusing a bad input, say
            kind = type(error).__name__
            base = next((c.__name__ for c in type(error).__mro__ if c.__module__ == "builtins"), "")
            return {"ok": False, "type": base or kind, "message": clean(error, 500)}

    def _interpret(self, answer, module, qualified, limit, seconds, at_import):
        if answer == "timeout":
            self.kill()
            if at_import:
                text = (
                    f"importing {module}.py did not finish within {limit:g} s (code at the top "
                    "level of the file runs forever or waits?)"
                )
                self.broken[module] = text
            else:
                text = f"{qualified} did not return within {limit:g} s (infinite loop?)"
            return Outcome(False, kind="timeout", message=text, seconds=seconds)
        if answer == "eof" or isinstance(answer, protocol.ProtocolError):
            if answer == "eof":
                what = self._death_message()
            else:
                what = f"sent malformed data to the grader ({clean(answer, 300)})"
            self.kill()
            where = f"while importing {module}.py" if at_import else f"during {qualified}"
            text = f"the submission's process {what} {where}"
            if at_import:
                self.broken[module] = text
            return Outcome(False, kind="died", message=text, seconds=seconds)
        if answer.get("id") != self.next_id:
            self.kill()
            text = f"{qualified}: the submission's process answered out of turn (channel tampered)"
            return Outcome(False, kind="died", message=text, seconds=seconds)
        loaded = answer.get("loaded")
        if isinstance(loaded, list):
            self.loaded = {name for name in loaded if isinstance(name, str)}
        trace = answer.get("trace")
        outcome = Outcome(
            False,
            warnings=_clean_warnings(answer.get("warnings")),
            stdout=clean(answer.get("stdout", ""), 4200),
            seconds=seconds,
            trace=[clean(line, 300) for line in trace[:4] if isinstance(line, str)]
            if isinstance(trace, list)
            else [],
        )
        if answer.get("ok") is True:
            try:
                outcome.value = protocol.decode_value(answer.get("result"), allow_str=False)
                if "inputs_after" in answer:
                    outcome.inputs_after = protocol.decode_value(answer["inputs_after"])
            except protocol.ProtocolError as error:
                outcome.kind = "bad_result"
                outcome.message = clean(f"{qualified} returned {error}", 2000)
                return outcome
            outcome.ok = True
            return outcome
        outcome.kind = clean(answer.get("kind", "exception"), 40)
        outcome.message = clean(answer.get("message", ""), 2000)
        outcome.error_type = clean(answer.get("type", ""), 80)
        outcome.error_base = clean(answer.get("base", ""), 80)
        if answer.get("phase") == "import":
            self.broken[module] = _import_text(module, outcome)
            outcome.message = self.broken[module]
            outcome.kind = "import_error"
        return outcome


def _import_text(module, outcome):
    kind, message = outcome.kind, outcome.message
    if kind == "syntax_error":
        return f"{module}.py has a syntax error: {message}"
    if kind == "missing_file":
        return message
    if kind in ("exit", "keyboard_interrupt"):
        return f"importing {module}.py called {message}; code at the top level must not exit"
    where = f" (at {outcome.trace[-1]})" if outcome.trace else ""
    return f"importing {module}.py failed with {message}{where}"


def _clean_warnings(items):
    """(category, message, where, source) tuples of the child's warnings, cleaned and capped."""
    cleaned = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, list) and 2 <= len(item) <= 4 and all(isinstance(s, str) for s in item):
            padded = [*item, "", ""][:4]
            limits = (80, 500, 200, 300)
            cleaned.append(
                tuple(clean(text, cap) for text, cap in zip(padded, limits, strict=True))
            )
    return cleaned[:10]


def preflight(secrets=(), packages=("numpy",)):
    """The sandbox mode this machine supports (probed once per process); SandboxUnavailable
    with the reason and the fix when there is none, or when a secret would be visible."""
    probe = Sandbox(os.devnull, [], secrets=secrets, packages=packages)
    probe._allow_list()  # checks the secrets against what the child could read
    return bubblewrap.choose_mode(probe._probe)


def run_python(code, secrets=(), limits=None, packages=("numpy",), timeout=60.0, args=()):
    """Run `python -c code` in a sandbox exactly as a submission's child would be run, but
    without the child's protocol and audit hook: what it can do is what the operating system's
    sandbox allows. For `grader doctor` and the boundary tests. Returns CompletedProcess (text).
    """
    box = Sandbox(os.devnull, [], limits=limits, secrets=secrets, packages=packages)
    mode = bubblewrap.choose_mode(box._probe)
    lease = lease_uid() if bubblewrap.base_mode(mode) != "userns" else None
    uid = lease.uid if lease else os.getuid()
    cgroup = None
    if lease is not None:
        cgroup = SandboxCgroup.create(
            f"nnlab-{os.getpid()}-{next(_names)}",
            (box.limits.memory_mb + box.limits.disk_mb) * 1024 * 1024,
            box.limits.processes,
        )
    allowed = box._allow_list()
    # The child's sys.path (standard library and the allowed packages), as a submission has it.
    setup = f"import sys; sys.path[:] = {allowed.sys_path!r}; exec(sys.argv.pop(1))"
    command = [allowed.python, "-I", "-S", "-c", setup, code, *args]
    spec = box._spec(mode, uid, command, cgroup=cgroup)
    try:
        return subprocess.run(
            bubblewrap.build_command(spec),
            env={"PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            start_new_session=True,
        )
    finally:
        if cgroup is not None:
            cgroup.kill()
            cgroup.remove()
        if lease is not None:
            kill_uid(lease.uid)
            lease.release()
