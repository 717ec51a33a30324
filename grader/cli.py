"""Command line: `python -m grader grade|batch|validate|release|gradescope ...`.

    grade SUBMISSION --assignment A --out results.json   exit 0 whenever grading ran
    batch SUBMISSIONS --assignment A --out OUT [--regrade] [--workers N]
    validate --assignment A                              exit 1 if the assignment is broken
    (grade, batch and validate run submissions in the bubblewrap sandbox; without it they stop
    with an error. --trust-submissions runs them unsandboxed: for code you trust only.)
    release --assignment A --out DIR                     the student bundle
    gradescope --assignment A --out autograder.zip
    publish --out DIR [--assignments FOLDER]             the student dashboard, no solutions
    new NAME [--out DIR]                                 a new assignment that validates

--assignment takes a folder holding assignment.json or a name under exercises/.
Exit codes: 0 done, 1 validate found problems, 2 bad usage or grading could not run.
"""

import argparse
import sys

from . import assignment as assignment_module
from .batch import run_batch
from .grade import grade_submission
from .release import gradescope_zip, publish, release
from .results import readable_report
from .scaffold import scaffold
from .text import clean
from .validate import validate

TRUST_WARNING = """\
WARNING: --trust-submissions runs the submissions WITHOUT the sandbox, as {user}: they can
read the solutions and hidden tests, write anywhere you can, change grades and reach the network.
Use it only for code you trust (your own reference, your own tests), never for a class.
"""


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name, help_text):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--assignment", required=True, help="name under exercises/ or path")
        return command

    def trust_option(command):
        command.add_argument(
            "--trust-submissions",
            action="store_true",
            help="run the submissions WITHOUT the sandbox (trusted code only; loudly warned)",
        )

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
    validate_command = add(
        "validate", "check reference = full marks, stubs = zero, every test both ways"
    )
    for command in (grade, batch, validate_command):
        trust_option(command)
    rel = add("release", "write the student bundle")
    rel.add_argument("--out", required=True, help="new or empty folder")
    publish_command = commands.add_parser(
        "publish", help="write the student dashboard (no solutions, hidden tests or samples)"
    )
    publish_command.add_argument("--out", required=True, help="new or empty folder")
    publish_command.add_argument(
        "--assignments", default=None, help="folder of assignments (default: exercises/)"
    )
    zip_command = add("gradescope", "write the Gradescope autograder zip")
    zip_command.add_argument("--out", default="autograder.zip", help="zip file to write")
    new = commands.add_parser("new", help="write a new assignment skeleton that validates")
    new.add_argument("name", help="the assignment's name (a Python identifier)")
    new.add_argument("--out", default=None, help="folder to create (default: exercises/NAME)")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.command == "publish":
        try:
            files = publish(args.out, args.assignments)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"student dashboard in {args.out}: {len(files)} files (no solutions, hidden tests)")
        return 0
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


def _warn_if_trusting(args):
    if getattr(args, "trust_submissions", False):
        import getpass

        sys.stderr.write(TRUST_WARNING.format(user=getpass.getuser()))
        sys.stderr.flush()


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
    _warn_if_trusting(args)
    results = grade_submission(
        args.submission, assignment, out=args.out, trust=args.trust_submissions
    )
    if not args.quiet:
        print(f"results written to {args.out}")
        print(readable_report(results, assignment, clean(args.submission)))
    elif results["extra_data"]["status"] == "error":
        print(f"error: {results['output']}", file=sys.stderr)
    return 2 if results["extra_data"]["status"] == "error" else 0


def _batch(args, assignment):
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1, got {args.workers}")
    _warn_if_trusting(args)
    report = run_batch(
        args.submissions,
        assignment,
        args.out,
        regrade=args.regrade,
        workers=args.workers,
        progress=not args.no_progress,
        trust=args.trust_submissions,
    )
    for name, reason in report.ignored:
        print(f"not a submission: {name} ({reason})")
    if report.skipped:
        names = ", ".join(name for name, _ in report.skipped)
        print(
            f"skipped {len(report.skipped)} unchanged since their last grading: {names} "
            "(--regrade grades them again)"
        )
    errors = [row for row in report.rows if row["status"] != "ok"]
    for row in errors:
        print(f"NOT GRADED: {row['student']} (status {row['status']}; see its results.json)")
    print(
        f"graded {len(report.graded)} of {len(report.rows)} submissions; "
        f"gradebook: {args.out}/gradebook.csv"
    )
    return 2 if any(row["status"] == "error" for row in errors) else 0


def _validate(args, assignment):
    _warn_if_trusting(args)
    ok, lines = validate(assignment, trust=args.trust_submissions)
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
