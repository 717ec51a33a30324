"""pytest plugin for assignment tests: fixtures `student` and `reference`, markers, points.

Load it with `-p grader.pytest_plugin` (the harness does; the student bundle's conftest.py
does it for students). Options, all optional:

    --grader-assignment DIR   folder with assignment.json (default: found upwards from the
                              test paths given on the command line)
    --grader-submission DIR   the student's files (default: the assignment folder = the stubs)
    --grader-solutions DIR    reference solutions for the `reference` fixture (default:
                              DIR/solutions of the assignment, when it exists)
    --grader-report FILE      write the per-test results as JSON (used by `python -m grader`)
    --grader-hide DIR         extra paths that must stay invisible to the sandbox (repeatable;
                              the sandbox refuses to start if it would have to show one)
    --grader-trust-submissions
                              run the submission WITHOUT the sandbox (only for code you trust:
                              the student bundle sets it, since students run their own code)

For exercise authors, from the repository root:

    python -m pytest -p grader.pytest_plugin exercises/mlp_basics/tests \
        --grader-submission exercises/mlp_basics/solutions     # should pass everything
    python -m pytest -p grader.pytest_plugin exercises/mlp_basics/tests   # stubs: all fail

Tests use:
    def test_sigmoid_half(student):                 # calls run in the sandbox
        assert student.activations.sigmoid(0.0) == 0.5, "sigmoid(0) must be 1/2"
    @pytest.mark.points(2)                           # default 1
    @pytest.mark.ex1_activations                     # the exercise id from assignment.json
    def test_hidden_case(student, reference): ...    # reference: hidden tests only

`public/` test folders are importable by module name (e.g. `from _checks import ...`), also
from hidden tests.
"""

import itertools
import sys
from pathlib import Path

import pytest
from _pytest.outcomes import Skipped

from . import assignment as assignment_module
from .feedback import message_for, quotes_the_student, trim, with_idea
from .proxy import StudentError, StudentProxy
from .session import EXERCISE_KEY, POINTS_KEY, SESSION_KEY, GradingSession, is_hidden, test_idea
from .text import quoted


def pytest_addoption(parser):
    group = parser.getgroup("nnlab grader")
    group.addoption("--grader-assignment", default=None, help="folder with assignment.json")
    group.addoption("--grader-submission", default=None, help="folder with the student's files")
    group.addoption("--grader-solutions", default=None, help="folder with reference solutions")
    group.addoption("--grader-report", default=None, help="write per-test results JSON here")
    group.addoption("--grader-hide", action="append", default=[], help="hide from the sandbox")
    group.addoption(
        "--grader-trust-submissions",
        action="store_true",
        default=False,
        help="run the submission without the sandbox (trusted code only)",
    )


def _find_assignment(config):
    if config.option.grader_assignment:
        return assignment_module.load(config.option.grader_assignment)
    for arg in [*(config.args or []), str(config.rootpath)]:
        folder = assignment_module.find_upwards(Path(arg.split("::")[0]))
        if folder is not None:
            return assignment_module.load(folder)
    return None


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): points this test is worth (default 1)")
    config.addinivalue_line("markers", "idea(text): the lecture idea this test checks")
    assignment = _find_assignment(config)
    if assignment is None:
        return
    for exercise in assignment.exercises:
        config.addinivalue_line("markers", f"{exercise.id}: {exercise.title}")
    for folder in (assignment.hidden_tests, assignment.public_tests):
        if folder.is_dir() and str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    if config.option.importmode == "prepend":
        config.option.importmode = "importlib"
    grading = GradingSession(config, assignment)
    config.stash[SESSION_KEY] = grading
    config.pluginmanager.register(grading, "nnlab-grading-session")


def pytest_unconfigure(config):
    session = config.stash.get(SESSION_KEY, None)
    if session is not None:
        session.close()


def _session(request_or_config):
    config = getattr(request_or_config, "config", request_or_config)
    session = config.stash.get(SESSION_KEY, None)
    if session is None:
        pytest.fail("no assignment.json found: pass --grader-assignment", pytrace=False)
    return session


@pytest.fixture(scope="session")
def student(request):
    """The submission: `student.<file>.<function>(...)` runs in the sandbox."""
    session = _session(request)
    return StudentProxy(session, session.assignment.modules)


@pytest.fixture(scope="module")
def reference(request):
    """The reference solutions, in-process; only hidden tests may use them."""
    session = _session(request)
    if not is_hidden(request.path, request.config):
        pytest.fail("public tests must not use the reference (students do not have it)")
    if session.reference is None:
        pytest.fail("the reference solutions are not available here", pytrace=False)
    return session.reference


def pytest_collection_modifyitems(session, config, items):
    grading = config.stash.get(SESSION_KEY, None)
    if grading is None:
        return
    ids = {exercise.id for exercise in grading.assignment.exercises}
    order = {exercise.id: index for index, exercise in enumerate(grading.assignment.exercises)}

    def exercise_index(item):
        marks = [order[m.name] for m in item.iter_markers() if m.name in order]
        return min(marks) if marks else len(order)

    # Every public test before any hidden one, each exercise by exercise (stable within): what
    # a public test shows (the student's messages, printed output, results) is then written
    # before the submission has seen a hidden test's inputs, so no public output can carry
    # them; and a later exercise, graded with the reference's earlier files, never precedes
    # the earlier ones of its kind.
    items.sort(key=lambda item: (is_hidden(item.path, config), exercise_index(item)))
    for item in items:
        exercise = next((m.name for m in item.iter_markers() if m.name in ids), None)
        item.stash[EXERCISE_KEY] = exercise
        marker = item.get_closest_marker("points")
        points = 1.0
        if marker is not None:
            value = marker.args[0] if marker.args else marker.kwargs.get("n", 1)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise pytest.UsageError(f"{item.nodeid}: points must be a number >= 0")
            points = float(value)
        item.stash[POINTS_KEY] = points
        grading.record(item)
    grading.dump()


def pytest_deselected(items):
    for item in items:
        grading = item.config.stash.get(SESSION_KEY, None)
        if grading is not None:
            grading.forget(item.nodeid)


def replacement_sets(imports):
    """The sets of earlier files a failing test is retried with: all of them first, then the
    smaller sets, largest first. Replacing only some keeps the student's other files, whose
    conventions their own code relies on: a backprop.py that imports a table its own
    activations.py defines (`from activations import GRADS`) cannot be imported with the
    reference's activations.py, which has none, but passes with the student's own
    activations.py and the reference's layers.py. Only such an error (an exception raised in the
    student's code, or its import failing) leads to the smaller sets: a wrong value, a time
    limit or a crash with every earlier file the reference's is the exercise's own, and trying
    again would only cost the class its time once per set."""
    files = sorted(imports)
    return [
        frozenset(chosen)
        for size in range(len(files), 0, -1)
        for chosen in itertools.combinations(files, size)
    ]


def mismatch(error):
    """Whether a retry's failure may come from the reference's earlier files not following
    the student's conventions: an exception raised in the student's code, or the import of
    their file failing (a name the reference's file does not define)."""
    return isinstance(error, StudentError) or getattr(error, "kind", "") == "import_error"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """One bug, one charge: a test of an exercise that may import earlier files of the
    submission (assignment.json "imports") that fails is run again with the reference's
    versions of those files (all of them, then fewer; see replacement_sets). It passes if the
    exercise's own code is right, so a bug in an earlier file costs points in that file's
    exercise only. The first failure is the one reported when every retry fails too (it names
    the student's own code)."""
    grading = item.config.stash.get(SESSION_KEY, None)
    try:
        return (yield)
    except BaseException as first:  # Failed (SubmissionFailed, pytest.fail) is BaseException
        stops = (Skipped, pytest.exit.Exception, KeyboardInterrupt, SystemExit, GeneratorExit)
        eligible = (
            grading is not None
            and grading.reference is not None
            and grading.imports_of(item)
            and not isinstance(first, stops)
            and grading.harness_error is None
        )
        if not eligible:
            raise
        printed = grading.printed
        grading.use_reference_files = True
        try:
            for replaced in replacement_sets(grading.imports_of(item)):
                grading.printed = []
                grading.replaced = replaced
                try:
                    item.runtest()
                except BaseException as retry:  # noqa: BLE001 - the first failure is reported
                    if grading.harness_error is not None or not mismatch(retry):
                        break  # not a mismatch of conventions (see replacement_sets)
                    continue
                return None
        finally:
            grading.use_reference_files = False
            grading.replaced = None
        grading.printed = printed
        raise first from None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    grading = item.config.stash.get(SESSION_KEY, None)
    if grading is not None and call.excinfo is not None and (report.failed or report.skipped):
        hidden = is_hidden(item.path, item.config)
        show = grading.hidden_details or not hidden
        text = message_for(call.excinfo, hidden, grading.test_roots, show_inputs=show)
        course_text = "" if quotes_the_student(call.excinfo.value) else text
        if grading.printed and show:
            printed = quoted(trim("\n".join(grading.printed), 12, 800), first=True)
            text += f"\nYour code printed (first lines):\n{printed}"
        if grading.reference is None and grading.imports_of(item):
            text += (
                f"\n(Here your own {', '.join(grading.imports_of(item))} are used; the course's "
                "grader uses the reference's, so a bug in those files costs points in its own "
                "exercise only.)"
            )
        exercise = grading.assignment.exercise(item.stash.get(EXERCISE_KEY, None))
        text = with_idea(text, test_idea(item) or (exercise.idea if exercise else ""), course_text)
        report.user_properties.append(("nnlab_feedback", text))
        report.user_properties.append(("nnlab_kind", getattr(call.excinfo.value, "kind", "")))
        if report.failed and not report.skipped:
            report.longrepr = text  # the same words locally (pytest) as in results.json
    return report


def pytest_sessionfinish(session, exitstatus):
    grading = session.config.stash.get(SESSION_KEY, None)
    if grading is None:
        return
    grading.close()
    grading.dump()


def _earned(test):
    """Points count only for a test that ran to its end and passed."""
    return test["status"] == "passed" and test.get("finished", True)


def points_table(results, assignment):
    """Rows (exercise id, title, earned, possible) plus a total row."""
    rows = []
    for exercise in assignment.exercises:
        tests = [t for t in results if t["exercise"] == exercise.id]
        if not tests:
            continue
        earned = sum(t["points"] for t in tests if _earned(t))
        rows.append((exercise.id, exercise.title, earned, sum(t["points"] for t in tests)))
    other = [t for t in results if t["exercise"] is None]
    if other:
        earned = sum(t["points"] for t in other if _earned(t))
        possible = sum(t["points"] for t in other)
        rows.append(("(no exercise)", "tests without an exercise marker", earned, possible))
    return rows


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    grading = config.stash.get(SESSION_KEY, None)
    if grading is None or not grading.results:
        return
    results = [grading.results[nodeid] for nodeid in grading.order]
    rows = points_table(results, grading.assignment)
    terminalreporter.section("points per exercise")
    for exercise_id, title, earned, possible in rows:
        terminalreporter.write_line(f"{exercise_id:<26} {earned:6g} / {possible:<6g} {title}")
    earned = sum(row[2] for row in rows)
    possible = sum(row[3] for row in rows)
    terminalreporter.write_line(f"{'total':<26} {earned:6g} / {possible:<6g}")
