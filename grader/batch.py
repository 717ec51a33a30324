"""Grade a folder of submissions (one subfolder per student) in parallel.

    OUT/<student>/results.json     one per student (Gradescope schema)
    OUT/gradebook.csv              student, one column per exercise, total, status

Each submission is graded by grade_submission (its own trusted pytest process and sandbox),
`workers` at a time (default: the number of cores). A rerun skips students whose
results.json already exists and is complete, unless regrade=True. A progress bar goes to
stderr. One student's hostile code cannot touch another's grading: separate processes,
separate sandboxes, separate uids when run as root.
"""

import csv
import json
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from .grade import grade_submission, write_results
from .results import harness_failure_results

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")


def list_students(submissions):
    """Subfolders of `submissions` (sorted), skipping hidden ones; ValueError if none."""
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise ValueError(f"{submissions} is not a folder of submissions")
    students = [
        path
        for path in sorted(submissions.iterdir())
        if path.is_dir() and not path.is_symlink() and not path.name.startswith(".")
    ]
    unsafe = [path.name for path in students if not SAFE_NAME.match(path.name)]
    if unsafe:
        raise ValueError(f"submission folder names must be plain names, got {unsafe[:5]}")
    if not students:
        raise ValueError(f"{submissions} holds no submission folders (one per student)")
    return students


def already_graded(path):
    """True when path holds a complete results.json from an earlier run."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("extra_data", {}).get("status") == "ok"


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


def grade_one(student, assignment, out):
    target = Path(out) / student.name / "results.json"
    try:
        results = grade_submission(student, assignment, out=target)
    except Exception as error:  # noqa: BLE001 - one broken grading must not stop the class
        results = harness_failure_results(assignment, f"{type(error).__name__}: {error}", 0.0)
        write_results(results, target)
    return student.name, results


def run_batch(submissions, assignment, out, regrade=False, workers=None, progress=True):
    """Grade every student; returns the gradebook rows (list of dicts)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    students = list_students(submissions)
    todo = [
        student
        for student in students
        if regrade or not already_graded(out / student.name / "results.json")
    ]
    workers = workers or os.cpu_count() or 1
    bar = ProgressBar(len(todo)) if progress and todo else None
    skipped = len(students) - len(todo)
    if progress and skipped:
        sys.stderr.write(f"{skipped} already graded (use --regrade to grade them again)\n")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(grade_one, student, assignment, out) for student in todo]
        for future in as_completed(futures):
            name, _ = future.result()
            if bar:
                bar.step(name)
    rows = gradebook_rows(students, assignment, out)
    write_gradebook(rows, assignment, out / "gradebook.csv")
    return rows


def gradebook_rows(students, assignment, out):
    rows = []
    for student in students:
        row = {"student": student.name}
        try:
            data = json.loads((Path(out) / student.name / "results.json").read_text())
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
    columns = ["student", *(e.id for e in assignment.exercises), "total", "status"]
    with open(path, "w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _cell(row[key]) for key in columns})


def _cell(value):
    if isinstance(value, float):
        return f"{value:g}"
    return value
