"""The grading page's bridge to the harness: student code never runs in the app's process.

- ``evaluate_student_function`` (the student self-check) calls one function of an uploaded file
  in a fresh bubblewrap sandbox (``grader.sandbox.Sandbox``): one sandbox per evaluation, so
  two visitors checking at the same moment never share a process, a folder or (as root) a uid.
  Only numbers on the inputs the page chose come back; the sandbox sees neither the repository
  nor the assignments (solutions, hidden tests). If the sandbox cannot run here, the check says
  so and runs nothing (fail closed).
- ``grade_submission_files`` (instructor mode only) writes the uploaded files to a fresh folder
  and runs ``python -m grader grade`` in a subprocess; the app reads the results.json it wrote.
- ``read_results_folder`` (instructor mode only) reads results below the one configured
  results folder: resolved inside it, regular files only, sizes and counts capped, and no file
  content ever echoed in an error.
- ``open_zip`` checks an uploaded zip's entry count and unpacked size before reading anything.
"""

from __future__ import annotations

import io
import json
import logging
import os
import stat
import subprocess
import sys
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from viz import settings as settings_module

APP_DIR = settings_module.APP_DIR
GRADE_TIMEOUT_SECONDS = 300
MAX_RESULTS_FILES = 5000
MAX_RESULTS_BYTES = 20_000_000


def assignments(settings: settings_module.Settings | None = None) -> dict[str, dict]:
    """Assignment name -> its public settings, for every folder of the assignments folder."""
    folder = (settings or settings_module.Settings()).assignments_path
    found = {}
    for path in sorted(folder.glob("*/assignment.json")):
        try:
            found[path.parent.name] = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            continue
    return found


def open_zip(name: str, content: bytes, max_entries: int, max_bytes: int) -> zipfile.ZipFile:
    """The archive, once its entry count and declared unpacked size are within the caps.

    Reading an entry never yields more than its declared size, so the sum of declared sizes
    bounds what unpacking can cost; nothing is read before both checks pass.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        raise ValueError(f"{name} is not a readable zip file") from None
    entries = archive.infolist()
    if len(entries) > max_entries:
        archive.close()
        raise ValueError(f"{name} holds {len(entries)} entries; at most {max_entries} are accepted")
    total = sum(entry.file_size for entry in entries)
    if total > max_bytes:
        archive.close()
        raise ValueError(
            f"{name} unpacks to {total:,} bytes; at most {max_bytes:,} bytes are accepted"
        )
    return archive


def submission_files(
    uploads: list[tuple[str, bytes]],
    expected: list[str],
    settings: settings_module.Settings | None = None,
) -> dict[str, bytes]:
    """Pick the assignment's files out of uploads (.py files, or a .zip holding them).

    Only base names listed in ``expected`` are kept (a path inside a zip is reduced to its
    name, so nothing can be written outside the submission folder). Raises ValueError when
    nothing matches, a file is too large or a zip is over its caps.
    """
    settings = settings or settings_module.Settings()
    limit = settings.max_file_bytes
    chosen: dict[str, bytes] = {}
    for name, content in uploads:
        if name.lower().endswith(".zip"):
            with open_zip(name, content, settings.max_zip_entries, settings.max_zip_bytes) as zf:
                for info in zf.infolist():
                    base = Path(info.filename).name
                    if info.is_dir() or base not in expected:
                        continue
                    if info.file_size > limit:
                        raise ValueError(f"{base} is {info.file_size} bytes; the limit is {limit}")
                    chosen[base] = zf.read(info)
        elif Path(name).name in expected:
            if len(content) > limit:
                raise ValueError(f"{name} is {len(content)} bytes; the limit is {limit}")
            chosen[Path(name).name] = content
    if not chosen:
        raise ValueError(
            f"none of the uploaded files is part of the assignment; expected some of {expected}"
        )
    return chosen


def _write_folder(files: dict[str, bytes], root: Path) -> Path:
    folder = root / "submission"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def grade_submission_files(
    files: dict[str, bytes],
    assignment: str,
    settings: settings_module.Settings | None = None,
    timeout: float = GRADE_TIMEOUT_SECONDS,
) -> dict:
    """Grade the files with the harness in a subprocess; returns the parsed results.json.

    Raises RuntimeError with the harness's message when it could not grade.
    """
    settings = settings or settings_module.Settings()
    folder_of_assignment = settings.assignments_path / assignment
    with tempfile.TemporaryDirectory(prefix="nnlab-grade-") as temporary:
        root = Path(temporary)
        folder = _write_folder(files, root)
        out = root / "results.json"
        command = [
            sys.executable,
            "-m",
            "grader",
            "grade",
            str(folder),
            "--assignment",
            str(folder_of_assignment),
            "--out",
            str(out),
            "--quiet",
        ]
        try:
            finished = subprocess.run(
                command, cwd=APP_DIR, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"the grader did not finish within {timeout:g} s") from None
        if not out.exists():
            message = (finished.stderr or finished.stdout).strip()[-1000:]
            raise RuntimeError(f"the grader exited with code {finished.returncode}: {message}")
        return json.loads(out.read_text())


def _read_regular(path: Path, limit: int) -> bytes:
    """A regular file's bytes (no symlink, FIFO or device; at most limit bytes)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        raise ValueError(f"{path.name} could not be opened as a regular file") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path.name} is not a regular file")
        if info.st_size > limit:
            raise ValueError(f"{path.name} is {info.st_size:,} bytes; the limit is {limit:,}")
        return os.read(fd, limit + 1)[:limit]
    finally:
        os.close(fd)


def results_folders(settings: settings_module.Settings) -> list[str]:
    """Names of the folders inside the configured results folder (each a `batch --out`)."""
    root = settings.results_path
    if root is None or not root.is_dir():
        return []
    return sorted(
        entry.name
        for entry in os.scandir(root)
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".")
    )


def read_results_folder(settings: settings_module.Settings, name: str) -> list[tuple[str, bytes]]:
    """(file name, bytes) of results_dir/name/*/results.json and its gradebook.csv.

    name must be one of results_folders(settings); every path is resolved inside it.
    """
    root = settings.results_path
    if root is None:
        raise ValueError("no results folder is configured on this server (results_dir)")
    if name not in results_folders(settings):
        raise ValueError("choose one of the results folders listed")
    folder = (root / name).resolve()
    if folder.parent != root:
        raise ValueError("that folder is not inside the configured results folder")
    files: list[tuple[str, bytes]] = []
    total = 0
    for entry in sorted(os.scandir(folder), key=lambda e: e.name)[:MAX_RESULTS_FILES]:
        if entry.is_dir(follow_symlinks=False):
            path = Path(entry.path) / "results.json"
            if path.exists() or path.is_symlink():
                data = _read_regular(path, MAX_RESULTS_BYTES)
                files.append((f"{entry.name}.json", data))
                total += len(data)
        elif entry.name == "gradebook.csv":
            data = _read_regular(Path(entry.path), MAX_RESULTS_BYTES)
            files.append(("gradebook.csv", data))
            total += len(data)
        if total > 20 * MAX_RESULTS_BYTES:
            raise ValueError("the results in that folder are too large to show here")
    if not files:
        raise ValueError(f"{name} holds no */results.json and no gradebook.csv")
    return files


@dataclass
class Evaluation:
    """The student's answer on the inputs: values (same shape as the reference) or a message."""

    ok: bool
    values: np.ndarray | None
    message: str
    warnings: list
    changed: list = field(default_factory=list)  # [("z", "entry [3] was -2.5, is now 0 ...")]


#: Self-check sandboxes run at most [nnlab] max_concurrent_checks at once on this server, over
#: all visitors (0: one per core, at least 2). Each may take its memory limit (1 GB), and
#: Streamlit abandons a rerun's thread without stopping its work, so one tab whose key is held
#: down would otherwise start a sandbox per rerun (ten at once were measured). A session also
#: runs one at a time, and a request a newer one replaced is skipped.
WAIT_SECONDS = 30.0
_running = None  # (how many, the semaphore), made on the first check with the server's setting
_sessions_guard = threading.Lock()
_sessions: dict = {}  # session id -> [its lock, the number of its latest request]


def evaluate_student_function(
    source: bytes,
    filename: str,
    function: str,
    args: tuple,
    timeout: float = 2.0,
    names: tuple = (),
    session=None,
) -> Evaluation:
    """Call ``function(*args)`` from the student's file in a fresh sandbox of its own.

    The arguments come back as the call left them: ``changed`` says, per argument (named by
    ``names``), what the function changed in place, which the graded tests charge.
    session: the visitor's session id: its requests run one at a time, and one that a newer
    request of the same session replaced while it waited is not run. At most [nnlab]
    max_concurrent_checks evaluations run at once on the server; a request that finds no free
    place within ``WAIT_SECONDS`` is told the check is busy."""
    if session is None:
        return _evaluate_in_turn(source, filename, function, args, timeout, names)
    with _sessions_guard:
        state = _sessions.setdefault(session, [threading.Lock(), 0])
        state[1] += 1
        number = state[1]
    if not state[0].acquire(timeout=WAIT_SECONDS):
        return Evaluation(False, None, "your previous check is still running; try again", [])
    try:
        if number != state[1]:
            return Evaluation(False, None, "a newer setting replaced this check", [])
        return _evaluate_in_turn(source, filename, function, args, timeout, names)
    finally:
        state[0].release()
        with _sessions_guard:
            if state[1] == number and _sessions.get(session) is state:
                del _sessions[session]  # nothing of this session waits: forget it


def _places():
    """(how many, the semaphore) of the server's self-check places, made once."""
    global _running
    with _sessions_guard:
        if _running is None:
            size = settings_module.current_or_default().max_concurrent_checks
            size = size or max(2, os.cpu_count() or 2)
            _running = (size, threading.BoundedSemaphore(size))
        return _running


def _evaluate_in_turn(source, filename, function, args, timeout, names) -> Evaluation:
    size, places = _places()
    if not places.acquire(timeout=WAIT_SECONDS):
        return Evaluation(
            False,
            None,
            f"the self-check is busy: {size} check{'s are' if size != 1 else ' is'} already "
            "running on this server; try again in a moment",
            [],
        )
    try:
        return _evaluate(source, filename, function, args, timeout, names)
    finally:
        places.release()


def _evaluate(source, filename, function, args, timeout, names) -> Evaluation:
    from grader.sandbox import HarnessError, Sandbox  # imported only when a file is uploaded

    secrets = [str(APP_DIR), str(settings_module.current_or_default().assignments_path)]
    with tempfile.TemporaryDirectory(prefix="nnlab-eval-") as temporary:
        folder = _write_folder({filename: source}, Path(temporary))
        sandbox = Sandbox(
            str(folder), files=[filename], call_timeout=timeout, total_budget=20.0, secrets=secrets
        )
        try:
            outcome = sandbox.call(filename[:-3], function, args, {}, report_inputs=True)
        except HarnessError as error:
            # the fix (sysctls, container options) is the server's administrator's: the log
            # has it whole, the student is told what happened and whom to tell
            logging.getLogger("nnlab.self_check").error("the self-check's sandbox: %s", error)
            return Evaluation(
                False,
                None,
                "the self-check cannot run on this server: its sandbox could not start, so "
                "nothing of your file was run. Tell your instructor; the server's log says why.",
                [],
            )
        finally:
            sandbox.close()
    warnings = [
        f"{kind}: {text}" + (f" (at {where}: {source})" if where else "")
        for kind, text, where, source in (outcome.warnings or [])
    ]
    if not outcome.ok:
        return Evaluation(False, None, failure_text(outcome, filename, function), warnings)
    try:
        values = np.asarray(outcome.value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return Evaluation(
            False,
            None,
            f"{function} returned {type(outcome.value).__name__}, not an array of numbers",
            warnings,
        )
    return Evaluation(True, values, "", warnings, changed_arguments(args, outcome, names))


def failure_text(outcome, filename: str, function: str) -> str:
    """What the graded tests would say of this failed call (grader.proxy.raise_for's words: the
    exception's type and message, the student's own lines, "not implemented yet", ...)."""
    from grader.proxy import StudentError, SubmissionFailed, raise_for

    try:
        raise_for(outcome, f"{filename[:-3]}.{function}")
    except StudentError as error:
        return str(error)
    except SubmissionFailed as error:
        return error.msg or outcome.kind
    return outcome.message or outcome.kind


def changed_arguments(args: tuple, outcome, names: tuple = ()) -> list[tuple[str, str]]:
    """What the call changed in its arguments, one (name, change) per changed argument: ("z",
    "entry [3, 0] was -2.5, is now 0.0 (120 of 600 entries changed)"); [] if nothing changed.
    Arguments that cannot be read back were plain arrays and numbers when sent, so the call left
    them so: one line says it, as the graded tests charge it (grader.proxy)."""
    after = outcome.inputs_after
    if not (isinstance(after, list) and len(after) == 2 and len(after[0]) == len(args)):
        named = [names[i] if i < len(names) else f"argument {i + 1}" for i in range(len(args))]
        return [
            (
                " or ".join(named),
                "into something the grader cannot read back: not numbers, arrays, lists, tuples "
                "or dicts, or nested too deeply",
            )
        ]
    lines = []
    for index, (before, now) in enumerate(zip(args, after[0], strict=True)):
        name = names[index] if index < len(names) else f"argument {index + 1}"
        if isinstance(before, np.ndarray):
            change = _array_change(before, now)
        elif not isinstance(now, (int, float, np.number)):  # the child can send back any data
            change = f"was {before!r}, is now of type {type(now).__name__}"
        else:
            same = now == before or (before != before and now != now)  # nan stays nan
            change = None if same else f"was {before!r}, is now {now!r}"
        if change:
            lines.append((name, change))
    return lines


def _array_change(before: np.ndarray, now) -> str | None:
    if not isinstance(now, np.ndarray):
        return f"became a {type(now).__name__}"
    if now.shape != before.shape or now.dtype != before.dtype:
        return f"went from {before.dtype} {before.shape} to {now.dtype} {now.shape}"
    same = before == now
    if before.dtype.kind == "f":
        same |= np.isnan(before) & np.isnan(now)
    if same.all():
        return None
    first = tuple(int(i) for i in np.argwhere(~same)[0])
    return (
        f"entry {list(first)} was {before[first].item()!r}, is now {now[first].item()!r} "
        f"({int((~same).sum())} of {same.size} entries changed)"
    )
