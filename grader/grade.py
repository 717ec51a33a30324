"""Grade one submission: a trusted pytest session (one process) + one sandbox child.

    results = grade_submission("subs/alice", assignment, out="alice/results.json")

Steps:
1. copy the assignment's tests (public and hidden), solutions and assignment.json into a
   private folder (mode 0700, owned by the grader; the sandbox's user cannot enter it);
2. run `python -m pytest -p grader.pytest_plugin` on that copy in a fresh process with a
   wall-clock limit; the plugin starts the sandbox child that imports the submission and
   writes per-test results (after every test) to the private folder;
3. turn those results into Gradescope's results.json (grader.results) and write it to `out`.

The submission's files are read only by the sandbox's copy step (regular files, no symlinks,
size-capped); nothing the submission prints or writes is read back.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import layout
from .assignment import repository_root
from .bubblewrap import MODE_VARIABLE, SandboxUnavailable
from .results import build_results, harness_failure_results
from .sandbox import preflight

PYTEST_INI = """[pytest]
addopts = -p no:cacheprovider
filterwarnings =
    error::RuntimeWarning
"""
SESSION_SLACK = 60.0


def _copy_tree(source, target):
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


def prepare_private_copy(assignment):
    """A 0700 folder with assignment.json, tests/public, tests/hidden, solutions, pytest.ini."""
    private = Path(tempfile.mkdtemp(prefix="nnlab-grade-"))
    os.chmod(private, 0o700)
    shutil.copyfile(assignment.folder / "assignment.json", private / "assignment.json")
    _copy_tree(assignment.public_tests, private / "tests" / "public")
    _copy_tree(assignment.hidden_tests, private / "tests" / "hidden")
    _copy_tree(assignment.solutions, private / "solutions")
    (private / "pytest.ini").write_text(PYTEST_INI)
    return private


def bytecode_cache():
    """The trusted processes' private bytecode cache: ~/.cache/nnlab/pycache-<uid>, mode 0700."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nnlab"
    folder = base / f"pycache-{os.getuid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.lstat()
        if info.st_uid == os.getuid() and not info.st_mode & 0o077 and folder.is_dir():
            return folder
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="nnlab-pycache-"))  # unusable: a fresh private one


def session_command(private, submission, extra_hide=(), trust=False):
    """The trusted pytest command line for one submission."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--tb=no",  # feedback comes from the plugin; rendering tracebacks only costs time
        "-p",
        "grader.pytest_plugin",
        "-c",
        str(private / "pytest.ini"),
        "--rootdir",
        str(private),
        "-q",
        "--assert=plain",
        "--no-header",
        "--continue-on-collection-errors",
        "-p",
        "no:cacheprovider",
        "--grader-assignment",
        str(private),
        "--grader-submission",
        str(submission),
        "--grader-report",
        str(private / "report.json"),
    ]
    if (private / "solutions").is_dir():
        command += ["--grader-solutions", str(private / "solutions")]
    for path in [private, *extra_hide]:
        command += ["--grader-hide", str(path)]
    if trust:
        command.append("--grader-trust-submissions")
    command.append(str(private / "tests"))
    return command


def run_session(command, private, timeout, mode=None):
    """Run the trusted pytest process; returns (report dict or None, log text, problem)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    }
    env["PYTHONPATH"] = str(repository_root())
    # The trusted process reads and writes bytecode only in a cache of its own (0700, outside
    # the repository), never beside the sources: nothing a submission could ever have written
    # there runs here, and the cache keeps a grading from recompiling pytest and numpy.
    env["PYTHONPYCACHEPREFIX"] = str(bytecode_cache())
    if mode:
        env[MODE_VARIABLE] = mode  # the sandbox mode this process already probed
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only our plugin: hypothesis etc. cost ~0.6 s
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    process = subprocess.Popen(
        command,
        cwd=private,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    problem = None
    try:
        log, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.terminate()  # the plugin writes what it graded so far, then exits
        try:
            log, _ = process.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            log, _ = process.communicate()
        # Its sandboxes die with it (bubblewrap's --die-with-parent and their PID namespaces).
        problem = f"grading stopped after {timeout:g} s (the whole session's time limit)"
    log = log.decode("utf-8", errors="replace")
    report_path = private / "report.json"
    report = None
    if report_path.is_file():
        try:
            report = json.loads(report_path.read_text())
        except json.JSONDecodeError:
            report = None
    if report is None and problem is None:
        problem = f"the grading session produced no report (exit code {process.returncode})"
    return report, log, problem


def normalise_submission(layout, private):
    """The graded files under their expected names, in the grader's private folder."""
    folder = private / "submission"
    folder.mkdir(mode=0o700)
    for name, data in layout.sources.items():
        (folder / name).write_bytes(data)
    return folder


def grade_submission(submission, assignment, out=None, extra_hide=(), keep_log=None, trust=False):
    """Grade the folder `submission`; returns the results.json dict (and writes it to out).

    The submission runs in the sandbox (grader.bubblewrap); if the sandbox cannot be set up the
    results say status "error" and why, and nothing of the submission ran. trust=True runs it
    without the sandbox (--trust-submissions: trusted code only).
    """
    started = time.monotonic()
    submission = Path(submission).resolve()
    secrets = [assignment.folder, submission, submission.parent, *extra_hide]
    mode = None
    if not trust:
        try:
            mode = preflight(secrets, assignment.sandbox.get("packages", ["numpy"]))
        except SandboxUnavailable as error:
            results = harness_failure_results(assignment, f"the sandbox is unavailable: {error}", 0)
            if out is not None:
                write_results(results, out)
            return results
    private = prepare_private_copy(assignment)
    try:
        if not submission.is_dir():
            results = harness_failure_results(
                assignment, f"the submission {submission} is not a folder", 0.0
            )
        else:
            upload = layout.find(submission, assignment.files)
            graded = normalise_submission(upload, private)
            command = session_command(private, graded, secrets, trust=trust)
            timeout = assignment.time_limit_total + SESSION_SLACK
            report, log, problem = run_session(command, private, timeout, mode)
            if keep_log is not None:
                Path(keep_log).write_text(log)
            seconds = time.monotonic() - started
            if report is not None and report.get("harness_error"):
                problem = f"the sandbox failed: {report['harness_error']}"
                results = harness_failure_results(assignment, problem, seconds, log)
            elif report is None:
                results = harness_failure_results(assignment, problem, seconds, log)
            else:
                notes = upload.summary(assignment.files)
                results = build_results(report, assignment, seconds, problem, notes)
                for error in report.get("collection_errors", []):
                    # For the instructor's console only (Gradescope hides stdout/stderr from
                    # students); results.json just says that some tests could not be loaded.
                    print(
                        f"grader: tests in {error['nodeid']} could not be loaded:\n"
                        f"{error['error'][-2000:]}",
                        file=sys.stderr,
                    )
    finally:
        shutil.rmtree(private, ignore_errors=True)
    if out is not None:
        write_results(results, out)
    return results


def write_results(results, out):
    """Write results.json atomically (temp file + rename in the target folder)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temp = tempfile.mkstemp(prefix=".results-", dir=out.parent)
    with os.fdopen(handle, "w") as stream:
        json.dump(results, stream, indent=1)
    os.replace(temp, out)
