"""Grade a folder of submissions (one subfolder per student) in parallel.

    OUT/<student>/results.json     one per student (Gradescope schema), mode 0600
    OUT/gradebook.csv              student, one column per exercise, total, status; mode 0600

Each submission is graded by grade_submission (its own trusted pytest process and sandbox),
`workers` at a time (default: the number of cores). A rerun regrades a student whose files
changed since the last run (a content hash of the files and of the assignment, not the folder
name), whose last grading did not end with status "ok", or everybody with regrade=True; the
others are skipped and listed with the reason. One student's code cannot touch another's
grading: separate processes and sandboxes (its own namespaces and, as root, its own uid).

Student folder names are kept as given in the gradebook (cleaned of control characters and
defused for spreadsheets). Names that cannot be a plain output folder (spaces, `gradebook.csv`,
...) get an escaped folder `_<name>-<hash>`; folders starting with a dot (.git, .DS_Store
folders) are not submissions and are listed as skipped.
"""

import csv
import hashlib
import io
import json
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .grade import grade_submission, write_results
from .results import harness_failure_results
from .text import clean, spreadsheet_cell

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")
RESERVED = {"gradebook.csv"}


def output_folder(name):
    """The folder under OUT for a student: the name itself when it is a plain name."""
    if SAFE_NAME.match(name) and name not in RESERVED:
        return name
    plain = re.sub(r"[^A-Za-z0-9._@+-]", "_", name)[:60]
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"_{plain}-{digest}"


@dataclass
class Roster:
    """The student folders of a submissions folder, and what was not taken and why."""

    students: list = field(default_factory=list)
    ignored: list = field(default_factory=list)  # (name, reason)


def list_students(submissions):
    """Subfolders of `submissions` (sorted); ValueError if there are none."""
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise ValueError(f"{submissions} is not a folder of submissions")
    roster = Roster()
    for path in sorted(submissions.iterdir()):
        name = clean(path.name)
        if path.name.startswith("."):
            if path.is_dir():
                roster.ignored.append((name, "starts with a dot (hidden folder): rename it"))
        elif path.is_symlink():
            roster.ignored.append((name, "is a symbolic link, not a folder"))
        elif path.is_dir():
            roster.students.append(path)
        elif path.suffix.lower() in (".py", ".ipynb", ".zip"):
            roster.ignored.append((name, "is a file; each student needs a folder of files"))
    if not roster.students:
        raise ValueError(f"{submissions} holds no submission folders (one per student)")
    return roster


def fingerprint(student, assignment):
    """Hash of what decides a grade: the student's assignment files and the assignment itself."""
    digest = hashlib.sha256()
    upload = layout.find(Path(student), assignment.files)
    for name in assignment.files:
        digest.update(name.encode() + b"\0" + upload.sources.get(name, b"<missing>") + b"\0")
    digest.update(assignment_fingerprint(assignment).encode())
    return digest.hexdigest()


def assignment_fingerprint(assignment):
    digest = hashlib.sha256()
    root = assignment.folder
    paths = [root / "assignment.json"]
    for folder in (assignment.public_tests, assignment.hidden_tests, assignment.solutions):
        if folder.is_dir():
            paths += sorted(
                p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def previous_grading(path):
    """(status, submission hash) of an earlier results.json, or (None, None)."""
    try:
        data = json.loads(Path(path).read_text())
        extra = data.get("extra_data", {})
        return extra.get("status"), extra.get("submission_hash")
    except (OSError, ValueError, AttributeError):
        return None, None


class ProgressBar:
    """A one-line progress bar on a stream (stderr): [#####-----] 12/40 name 1.2 s."""

    def __init__(self, total, stream=None, width=30):
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()

    def step(self, label):
        self.done += 1
        filled = int(self.width * self.done / max(self.total, 1))
        elapsed = time.monotonic() - self.started
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {label[:30]:<30} {elapsed:6.1f} s")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def grade_one(student, assignment, out, secrets, trust, digest):
    target = Path(out) / output_folder(student.name) / "results.json"
    try:
        results = grade_submission(student, assignment, extra_hide=secrets, trust=trust)
    except Exception as error:  # noqa: BLE001 - one broken grading must not stop the class
        results = harness_failure_results(assignment, f"{type(error).__name__}: {error}", 0.0)
    results.setdefault("extra_data", {})["submission_hash"] = digest
    results["extra_data"]["student"] = clean(student.name)
    write_results(results, target)
    return student.name, results


@dataclass
class BatchReport:
    rows: list
    graded: list
    skipped: list  # (name, reason)
    ignored: list  # (name, reason)


def run_batch(
    submissions, assignment, out, regrade=False, workers=None, progress=True, trust=False
):
    """Grade every student; returns a BatchReport (rows are the gradebook's rows)."""
    out = Path(out)
    if not out.exists():
        out.mkdir(parents=True, mode=0o700)
    roster = list_students(submissions)
    secrets = [Path(submissions).resolve(), out.resolve()]
    todo, skipped = [], []
    digests = {}
    for student in roster.students:
        digests[student.name] = fingerprint(student, assignment)
        status, digest = previous_grading(out / output_folder(student.name) / "results.json")
        if regrade or status is None:
            todo.append(student)
        elif status != "ok":
            todo.append(student)  # an earlier harness error or an incomplete run: grade again
        elif digest != digests[student.name]:
            todo.append(student)
        else:
            skipped.append((clean(student.name), "unchanged since its last grading"))
    workers = workers or os.cpu_count() or 1
    bar = ProgressBar(len(todo)) if progress and todo else None
    graded = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(grade_one, s, assignment, out, secrets, trust, digests[s.name])
            for s in todo
        ]
        for future in as_completed(futures):
            name, _ = future.result()
            graded.append(clean(name))
            if bar:
                bar.step(clean(name))
    rows = gradebook_rows(roster.students, assignment, out)
    write_gradebook(rows, assignment, out / "gradebook.csv")
    return BatchReport(rows=rows, graded=sorted(graded), skipped=skipped, ignored=roster.ignored)


def gradebook_rows(students, assignment, out):
    rows = []
    for student in students:
        row = {"student": clean(student.name)}
        try:
            data = json.loads(
                (Path(out) / output_folder(student.name) / "results.json").read_text()
            )
            extra = data.get("extra_data", {})
            exercises = extra.get("exercises", {})
            status = extra.get("status", "ok")
            score = float(data.get("score", 0.0))
        except (OSError, ValueError, AttributeError):
            exercises, status, score = {}, "missing", 0.0
        for exercise in assignment.exercises:
            row[exercise.id] = float(exercises.get(exercise.id, {}).get("score", 0.0))
        row["total"] = score
        row["status"] = status
        rows.append(row)
    return rows


def write_gradebook(rows, assignment, path):
    """The CSV, written to a temporary file (mode 0600) and renamed into place."""
    columns = ["student", *(e.id for e in assignment.exercises), "total", "status"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(row[key]) for key in columns})
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", newline="") as stream:
        stream.write(buffer.getvalue())
    os.replace(temporary, path)


def _cell(value):
    if isinstance(value, float):
        return f"{value:g}"
    return spreadsheet_cell(value)
