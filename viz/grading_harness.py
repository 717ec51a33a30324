"""The grading page's bridge to the harness: student code never runs in the app's process.

- ``grade_submission_files`` writes the uploaded files to a fresh folder and runs
  ``python -m grader grade FOLDER --assignment A --out results.json`` in a subprocess, with a
  wall-clock timeout; the app only reads the results.json the trusted grader wrote.
- ``evaluate_student_function`` calls one function of the student's file through
  ``grader.sandbox.Sandbox``: a child process with resource limits, answering over a JSON pipe
  with plain arrays (never pickles, never objects whose ``__eq__`` the student controls).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

APP_DIR = Path(__file__).resolve().parents[1]
EXERCISES_DIR = APP_DIR / "exercises"
MAX_FILE_BYTES = 1_000_000
GRADE_TIMEOUT_SECONDS = 300


def assignments() -> dict[str, dict]:
    """Assignment name -> its assignment.json, for every folder of exercises/ that has one."""
    found = {}
    for path in sorted(EXERCISES_DIR.glob("*/assignment.json")):
        try:
            found[path.parent.name] = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            continue
    return found


def submission_files(uploads: list[tuple[str, bytes]], expected: list[str]) -> dict[str, bytes]:
    """Pick the assignment's files out of uploads (.py files, or a .zip holding them).

    Only base names listed in ``expected`` are kept (a path inside a zip is reduced to its
    name, so nothing can be written outside the submission folder). Raises ValueError when
    nothing matches or a file is too large.
    """
    chosen: dict[str, bytes] = {}
    for name, content in uploads:
        if name.lower().endswith(".zip"):
            try:
                archive = zipfile.ZipFile(io.BytesIO(content))
            except zipfile.BadZipFile:
                raise ValueError(f"{name} is not a readable zip file") from None
            with archive:
                for info in archive.infolist():
                    base = Path(info.filename).name
                    if info.is_dir() or base not in expected:
                        continue
                    if info.file_size > MAX_FILE_BYTES:
                        raise ValueError(f"{info.filename} is {info.file_size} bytes; too large")
                    chosen[base] = archive.read(info)
        elif Path(name).name in expected:
            if len(content) > MAX_FILE_BYTES:
                raise ValueError(f"{name} is {len(content)} bytes; the limit is {MAX_FILE_BYTES}")
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
    files: dict[str, bytes], assignment: str, timeout: float = GRADE_TIMEOUT_SECONDS
) -> dict:
    """Grade the files with the harness in a subprocess; returns the parsed results.json.

    Raises RuntimeError with the harness's message when it could not grade.
    """
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
            assignment,
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


@dataclass
class Evaluation:
    """The student's answer on the inputs: values (same shape as the reference) or a message."""

    ok: bool
    values: np.ndarray | None
    message: str
    warnings: list


def evaluate_student_function(
    source: bytes, filename: str, function: str, args: tuple, timeout: float = 2.0
) -> Evaluation:
    """Call ``function(*args)`` from the student's file in the grader's sandbox child."""
    from grader.sandbox import Sandbox  # the harness; imported only when a file is uploaded

    with tempfile.TemporaryDirectory(prefix="nnlab-eval-") as temporary:
        folder = _write_folder({filename: source}, Path(temporary))
        sandbox = Sandbox(str(folder), files=[filename], call_timeout=timeout, total_budget=20.0)
        try:
            outcome = sandbox.call(filename[:-3], function, args, {})
        finally:
            sandbox.close()
    warnings = [f"{kind}: {text}" for kind, text in (outcome.warnings or [])]
    if not outcome.ok:
        return Evaluation(False, None, outcome.message or outcome.kind, warnings)
    try:
        values = np.asarray(outcome.value, dtype=np.float64)
    except (TypeError, ValueError):
        return Evaluation(
            False,
            None,
            f"{function} returned {type(outcome.value).__name__}, not an array of numbers",
            warnings,
        )
    return Evaluation(True, values, "", warnings)
