"""One sandboxed child process per submission, answering calls over a pipe protocol.

    sandbox = Sandbox(submission_dir, files=["activations.py"], call_timeout=2.0)
    outcome = sandbox.call("activations", "sigmoid", (z,), {})
    outcome.ok, outcome.value          # decoded plain data
    outcome.kind, outcome.message      # "timeout", "died", "exception", "not_implemented", ...
    sandbox.close()

The child is started lazily, reused across calls and restarted (in a fresh working folder
with fresh copies of the files) after it died or was killed. A call that does not answer
within its wall-clock timeout gets the whole process group killed. The total wall time of all
calls is capped by `total_budget`; once spent, calls fail at once.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from . import protocol
from .channel import receive, send
from .isolation import Isolation, Limits, is_root, kill_uid
from .workspace import check_files, prepare_workspace, python_read_roots

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
    "import sys; sys.path.insert(0, sys.argv[1]); del sys.argv[1]; "
    "import nnlab_sandbox_child as child; child.main(sys.argv)"
)


class HarnessError(RuntimeError):
    """The grader itself could not run the sandbox (not the student's fault)."""


@dataclass
class Outcome:
    """The answer to one call: ok + value, or a failure kind and a message."""

    ok: bool
    value: object = None
    kind: str = ""
    message: str = ""
    error_type: str = ""
    error_base: str = ""
    warnings: list = field(default_factory=list)
    stdout: str = ""
    seconds: float = 0.0


class Sandbox:
    """See the module docstring. Not thread-safe; one per grading session."""

    def __init__(
        self,
        submission_dir,
        files,
        call_timeout=2.0,
        total_budget=120.0,
        limits=None,
        hide=(),
    ):
        self.submission_dir = os.path.abspath(submission_dir)
        self.files = list(files)
        self.modules = [name[:-3] for name in self.files]
        self.call_timeout = float(call_timeout)
        self.total_budget = float(total_budget)
        self.limits = limits or Limits()
        self.hide = list(hide)
        self.spent = 0.0
        self.process = None
        self.root = None
        self.workdir = None
        self.to_child = self.from_child = None
        self.loaded = set()
        self.broken = {}
        self.file_problems = {}
        self.notes = []
        self.next_id = 0
        self.starts = 0
        self.use_namespace = True
        self.uid = None
        self._check_files()

    # ----- files -------------------------------------------------------------------------

    def _check_files(self):
        self.file_problems.update(check_files(self.submission_dir, self.files))

    def _prepare_folders(self):
        self.root, boot, self.workdir = prepare_workspace(
            self.submission_dir, self.files, self.file_problems
        )
        return boot

    # ----- process lifetime ----------------------------------------------------------------

    def _spawn(self, boot, isolation):
        if isolation.uid is not None:
            os.chown(self.workdir, isolation.uid, isolation.uid)
            for name in os.listdir(self.workdir):
                os.chown(os.path.join(self.workdir, name), isolation.uid, isolation.uid)
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        read_roots = os.pathsep.join(python_read_roots())
        command = [
            sys.executable,
            "-I",
            "-B",
            "-c",
            BOOTSTRAP,
            boot,
            str(request_read),
            str(answer_write),
            self.workdir,
            ",".join(self.modules),
            read_roots,
        ]
        env = dict(CHILD_ENV, HOME=self.workdir, TMPDIR=self.workdir)
        try:
            process = subprocess.Popen(
                command,
                cwd=self.workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(request_read, answer_write),
                start_new_session=True,
                preexec_fn=isolation.preexec,
            )
        finally:
            os.close(request_read)
            os.close(answer_write)
        return process, request_write, answer_read

    def start(self):
        """Start (or restart) the child; raises HarnessError if it cannot come up."""
        self.kill()
        boot = self._prepare_folders()
        keep = [self.root]
        attempts = [True, False] if is_root() else [False]
        last_error = None
        for use_namespace in attempts:
            if not self.use_namespace and use_namespace:
                continue
            isolation = Isolation.plan(
                self.limits, keep, self.hide, use_namespace, workdir=self.workdir
            )
            try:
                process, to_child, from_child = self._spawn(boot, isolation)
            except (OSError, subprocess.SubprocessError) as error:
                last_error = f"{last_error}; {error}" if last_error else error
                self.use_namespace = False
                continue
            self.process, self.to_child, self.from_child = process, to_child, from_child
            self.uid = isolation.uid
            hello = self._receive(time.monotonic() + STARTUP_TIMEOUT)
            if isinstance(hello, dict) and hello.get("ready"):
                self.starts += 1
                self.loaded = set()
                self.notes = list(isolation.notes)
                if isolation.uid is not None and not use_namespace:
                    self.notes.append("no mount namespace: relying on file permissions")
                return
            last_error = HarnessError(f"sandbox child did not start: {hello!r}")
            self.kill()
            self.use_namespace = False
        raise HarnessError(f"could not start the sandbox: {last_error}")

    def kill(self):
        """Kill the child's whole process group (and every process of its uid)."""
        process = self.process
        if process is not None:
            for target in (process.pid,):
                try:
                    os.killpg(target, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        if self.uid is not None:
            kill_uid(self.uid)
        for fd in (self.to_child, self.from_child):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.process = None
        self.to_child = self.from_child = None
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

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

    def call(self, module, function, args=(), kwargs=None, timeout=None):
        """Call module.function(*args, **kwargs) in the child; returns an Outcome."""
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
        if self.process is None or self.process.poll() is not None:
            self.start()
        limit = self.call_timeout if timeout is None else float(timeout)
        if module not in self.loaded:
            loading = self._exchange({"op": "load", "module": module}, module, qualified, limit)
            if not loading.ok:
                return loading
        return self._exchange(request, module, qualified, limit)

    def _exchange(self, request, module, qualified, limit):
        limit = min(limit, self.total_budget - self.spent)
        self.next_id += 1
        request["id"] = self.next_id
        started = time.monotonic()
        deadline = started + limit
        sent = send(self.to_child, request, deadline)
        answer = self._receive(deadline) if sent else "eof"
        seconds = time.monotonic() - started
        self.spent += seconds
        at_import = request["op"] == "load"
        return self._interpret(answer, module, qualified, limit, seconds, at_import)

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
                what = f"sent malformed data to the grader ({answer})"
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
        outcome = Outcome(
            False,
            warnings=_clean_warnings(answer.get("warnings")),
            stdout=str(answer.get("stdout", ""))[:4200],
            seconds=seconds,
        )
        if answer.get("ok") is True:
            try:
                outcome.value = protocol.decode_value(answer.get("result"), allow_str=False)
            except protocol.ProtocolError as error:
                outcome.kind, outcome.message = "bad_result", f"{qualified} returned {error}"
                return outcome
            outcome.ok = True
            return outcome
        outcome.kind = str(answer.get("kind", "exception"))[:40]
        outcome.message = str(answer.get("message", ""))[:2000]
        outcome.error_type = str(answer.get("type", ""))[:80]
        outcome.error_base = str(answer.get("base", ""))[:80]
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
    return f"importing {module}.py failed with {message}"


def _clean_warnings(items):
    cleaned = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, list) and len(item) == 2 and all(isinstance(s, str) for s in item):
            cleaned.append((item[0][:80], item[1][:500]))
    return cleaned[:10]
