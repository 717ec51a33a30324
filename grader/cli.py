"""Command line: `python -m grader grade|batch|validate|release|gradescope ...`.

    grade SUBMISSION --assignment A --out results.json   exit 0 whenever grading ran
    batch SUBMISSIONS --assignment A --out OUT [--regrade] [--workers N]
    validate --assignment A                              exit 1 if the assignment is broken
    release --assignment A --out DIR                     the student bundle
    gradescope --assignment A --out autograder.zip
    new NAME [--out DIR]                                 a new assignment that validates

--assignment takes a folder holding assignment.json or a name under exercises/.
Exit codes: 0 done, 1 validate found problems, 2 bad usage or grading could not run.
"""

import argparse
import sys

from . import assignment as assignment_module
from .batch import run_batch
from .grade import grade_submission
from .release import gradescope_zip, release
from .results import readable_report
from .scaffold import scaffold
from .validate import validate


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name, help_text):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--assignment", required=True, help="name under exercises/ or path")
        return command

    grade = add("grade", "grade one submission folder")
    grade.add_argument("submission", help="folder with the student's files")
    grade.add_argument("--out", default="results.json", help="results.json to write")
    grade.add_argument("--quiet", action="store_true", help="do not print the report")
    batch = add("batch", "grade a folder of submissions (one subfolder per student)")
    batch.add_argument("submissions", help="folder of student folders")
    batch.add_argument("--out", required=True, help="output folder")
    batch.add_argument("--regrade", action="store_true", help="grade students graded before")
    batch.add_argument("--workers", type=int, default=None, help="parallel gradings (cores)")
    batch.add_argument("--no-progress", action="store_true", help="no progress bar")
    add("validate", "check reference = full marks, stubs = zero, every test both ways")
    rel = add("release", "write the student bundle")
    rel.add_argument("--out", required=True, help="new or empty folder")
    zip_command = add("gradescope", "write the Gradescope autograder zip")
    zip_command.add_argument("--out", default="autograder.zip", help="zip file to write")
    new = commands.add_parser("new", help="write a new assignment skeleton that validates")
    new.add_argument("name", help="the assignment's name (a Python identifier)")
    new.add_argument("--out", default=None, help="folder to create (default: exercises/NAME)")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.command == "new":
        return _new(args)
    try:
        assignment = assignment_module.resolve(args.assignment)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args, assignment)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _new(args):
    try:
        written = scaffold(args.name, args.out)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    folder = written[0].parent
    print(f"new assignment {args.name} in {folder}: {len(written)} files")
    print(f"check it: python -m grader validate --assignment {folder}")
    return 0


def _grade(args, assignment):
    results = grade_submission(args.submission, assignment, out=args.out)
    if not args.quiet:
        print(readable_report(results, assignment, args.submission))
        print(f"results written to {args.out}")
    return 2 if results["extra_data"]["status"] == "error" else 0


def _batch(args, assignment):
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1, got {args.workers}")
    rows = run_batch(
        args.submissions,
        assignment,
        args.out,
        regrade=args.regrade,
        workers=args.workers,
        progress=not args.no_progress,
    )
    errors = [row["student"] for row in rows if row["status"] != "ok"]
    print(f"graded {len(rows)} submissions; gradebook: {args.out}/gradebook.csv")
    if errors:
        print(f"not fully graded (see their results.json): {', '.join(errors)}")
    return 0


def _validate(args, assignment):
    ok, lines = validate(assignment)
    print("\n".join(lines))
    return 0 if ok else 1


def _release(args, assignment):
    files = release(assignment, args.out)
    print(f"student bundle in {args.out}: {len(files)} files")
    return 0


def _gradescope(args, assignment):
    names = gradescope_zip(assignment, args.out)
    print(f"Gradescope autograder: {args.out} ({len(names)} files)")
    return 0


COMMANDS = {
    "grade": _grade,
    "batch": _batch,
    "validate": _validate,
    "release": _release,
    "gradescope": _gradescope,
}
