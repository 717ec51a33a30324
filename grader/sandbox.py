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

This module is the public surface: the Sandbox's settings and state, `call` (the checks
before a call, the child's (re)start, loading the module first) and `close`, plus `preflight`
and `run_python`. The layers below it: grader.spawn (starting, probing and killing the child:
`start`, `kill`) and grader.exchange (one request and its answer as an `Outcome`). The names
they define are importable from here as before.
"""

import os
import subprocess

from . import bubblewrap, protocol, seccomp
from .bubblewrap import HarnessError, SandboxUnavailable
from .cgroups import SandboxCgroup
from .exchange import CallExchange, Outcome

# Defined in grader.exchange and grader.spawn, importable from here as before (`X as X`: a
# re-export). The code reads them there: a test that patches one must patch grader.spawn.
from .exchange import _clean_warnings as _clean_warnings
from .exchange import _import_text as _import_text
from .isolation import Limits
from .spawn import BOOTSTRAP as BOOTSTRAP
from .spawn import CHILD_ENV as CHILD_ENV
from .spawn import STARTUP_TIMEOUT as STARTUP_TIMEOUT
from .spawn import _names
from .uids import kill_uid, lease_uid
from .workspace import read_submission

__all__ = ["HarnessError", "Outcome", "Sandbox", "SandboxUnavailable"]

ISOLATIONS = ("bwrap", "none")
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Sandbox(CallExchange):
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
        submission_group=None,
    ):
        """oracle(module, function, args, kwargs) -> the reference's answer, and
        oracle_files(module) -> {file's module name: [function names]}: the earlier files that
        calls on `module` see as the reference's (answered by `oracle` in a forked copy of this
        process, see grader.exchange.limited). submission_group: the submission's
        grader.cgroups.SubmissionCgroup, shared by all its sandboxes (None: a group of its own)."""
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
        self.submission_group = submission_group
        self._oracle_used = set()  # files answered by the oracle in the running child
        _, self.file_problems = read_submission(self.submission_dir, self.files)

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

    def close(self):
        self.kill()


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
    try:
        with seccomp.filter_fd() as fd:
            spec = box._spec(mode, uid, command, cgroup=cgroup, seccomp_fd=fd)
            with bubblewrap.command(spec) as (argv, options):
                return subprocess.run(
                    argv,
                    env={"PATH": "/usr/bin:/bin"},
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    check=False,
                    start_new_session=True,
                    pass_fds=(options,) if fd is None else (fd, options),
                )
    finally:
        if cgroup is not None:
            cgroup.kill()
            cgroup.remove()
        if lease is not None:
            kill_uid(lease.uid)
            lease.release()
