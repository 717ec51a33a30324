"""Gradescope results.json and the human-readable report, from the plugin's per-test report.

results.json (Gradescope's schema):
    {"score": 17.0, "execution_time": 1.4, "output": "...", "visibility": "visible",
     "stdout_visibility": "hidden",
     "tests": [{"name": "ex1_activations: test_sigmoid_at_zero", "number": "1.1", "score": 2.0,
                "max_score": 2.0, "status": "passed", "output": "", "visibility": "visible",
                "tags": ["ex1_activations", "public"]}, ...],
     "extra_data": {"assignment": "mlp_basics", "max_score": 40.0,
                    "exercises": {"ex1_activations": {"score": 6.0, "max_score": 8.0}, ...},
                    "status": "ok" | "incomplete" | "error"}}

A failed test's output is its feedback message plus the exercise's lecture idea; a test that
the session never finished is failed with the reason. The score is the sum of passed tests'
points: nothing a submission prints or writes enters here.
"""

from .feedback import trim, with_idea
from .text import clean


def _exercise_order(assignment):
    return {exercise.id: index for index, exercise in enumerate(assignment.exercises, 1)}


def hidden_visibility(assignment):
    """Gradescope visibility of hidden tests: the assignment's choice, by default shown only
    once grades are published (their inputs stay hidden while students can still resubmit)."""
    hidden = assignment.raw.get("hidden_tests", {})
    return (
        hidden.get("visibility", "after_published")
        if isinstance(hidden, dict)
        else ("after_published")
    )


def build_results(report, assignment, seconds, problem=None, notes=""):
    """results.json dict from the plugin's report (see session.GradingSession.as_dict).

    notes: what was decided about the upload (grader.layout), said once at the top; so are
    files that are missing or fail to import, whose tests then just point there.
    """
    order = _exercise_order(assignment)
    file_problems = {
        clean(name, 100): clean(text, 1500)
        for name, text in report.get("file_problems", {}).items()
    }
    counters = {}
    tests = []
    exercises = {e.id: {"score": 0.0, "max_score": 0.0} for e in assignment.exercises}
    for entry in report.get("tests", []):
        exercise_id = entry.get("exercise")
        exercise = assignment.exercise(exercise_id) if exercise_id else None
        points = float(entry.get("points", 1.0))
        status = entry.get("status")
        finished = entry.get("finished", True)
        passed = status == "passed" and finished
        message = clean(entry.get("message", ""))
        if not finished:
            message = problem or "this test did not finish"
        output = ""
        if not passed and entry.get("file_problem") and file_problems:
            output = (
                f"{message.splitlines()[0] if message else 'a file'} (see the top of this report)"
            )
        elif not passed:
            output = with_idea(
                message or "the test did not pass",
                entry.get("idea") or (exercise.idea if exercise is not None else ""),
            )
        index = order.get(exercise_id, len(order) + 1)
        counters[index] = counters.get(index, 0) + 1
        label = exercise_id or "other"
        suffix = " (hidden test)" if entry.get("visibility") == "hidden" else ""
        tests.append(
            {
                "name": clean(f"{label}: {entry.get('name')}{suffix}", 300),
                "number": f"{index}.{counters[index]}",
                "score": points if passed else 0.0,
                "max_score": points,
                "status": "passed" if passed else "failed",
                "output": output,
                "visibility": hidden_visibility(assignment)
                if entry.get("visibility") == "hidden"
                else "visible",
                "tags": [label, entry.get("visibility", "public")],
            }
        )
        if exercise_id in exercises:
            exercises[exercise_id]["max_score"] += points
            exercises[exercise_id]["score"] += points if passed else 0.0
    tests.sort(key=lambda test: tuple(int(part) for part in test["number"].split(".")))
    score = sum(test["score"] for test in tests)
    max_score = sum(test["max_score"] for test in tests)
    status = "ok"
    if problem or report.get("collection_errors"):
        status = "incomplete"
    results = {
        "score": score,
        "execution_time": round(seconds, 3),
        "output": "",
        "output_format": "text",
        "test_output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {
            "assignment": assignment.name,
            "max_score": max_score,
            "exercises": exercises,
            "status": status,
            "sandbox_notes": [clean(note) for note in report.get("sandbox_notes", [])],
            "collection_errors": [e.get("nodeid", "") for e in report.get("collection_errors", [])],
        },
    }
    lines = []
    if notes:
        lines += [clean(notes), ""]
    if file_problems:
        lines.append("Files that could not be graded (their tests earn no points):")
        lines += [f"- {text}" for text in file_problems.values()]
        lines.append("")
    results["extra_data"]["file_problems"] = file_problems
    lines.append(summary_line(results))
    lines += exercise_lines(results, assignment)
    if problem:
        lines.append(f"Note: {problem.rstrip('. ')}.")
    if report.get("collection_errors"):
        lines.append(
            "Note: some tests of this assignment could not be loaded; tell your instructor "
            "(this is not your fault and no points were taken for it)."
        )
    results["output"] = "\n".join(lines)
    return results


def harness_failure_results(assignment, problem, seconds, log=""):
    """results.json for a grading that could not run at all: no points, a clear reason."""
    return {
        "score": 0.0,
        "execution_time": round(seconds, 3),
        "output": clean(
            f"Grading could not run: {problem.rstrip('. ')}. Please tell your instructor."
        ),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
        "extra_data": {
            "assignment": assignment.name,
            "max_score": 0.0,
            "exercises": {e.id: {"score": 0.0, "max_score": 0.0} for e in assignment.exercises},
            "status": "error",
            "error": clean(problem),
            "log_tail": clean(log[-3000:]),
        },
    }


def summary_line(results):
    extra = results.get("extra_data", {})
    return (
        f"Score {results['score']:g} / {extra.get('max_score', 0):g} "
        f"(graded in {results['execution_time']:.1f} s)"
    )


def exercise_lines(results, assignment):
    lines = []
    exercises = results.get("extra_data", {}).get("exercises", {})
    for exercise in assignment.exercises:
        totals = exercises.get(exercise.id)
        if totals and totals["max_score"]:
            lines.append(
                f"  {exercise.id:<24} {totals['score']:5g} / {totals['max_score']:<5g} "
                f"{exercise.title}"
            )
    return lines


def readable_report(results, assignment, submission_label):
    """Plain-text report for the terminal: every failed test, per exercise, and the score
    line LAST (whatever a test's output contains, the final line is the harness's own)."""
    lines = [f"nnlab grader: {assignment.name} -- {clean(submission_label)}"]
    failed = [test for test in results["tests"] if test["status"] != "passed"]
    if failed:
        lines.append("")
        lines.append(f"Failed tests ({len(failed)}):")
        for test in failed:
            lines.append(f"- [{test['number']}] {test['name']} (0 / {test['max_score']:g})")
            output = clean(trim(test["output"], max_lines=10, max_chars=1500))
            for line in output.splitlines():
                lines.append(f"    {line}")
    extra = results.get("extra_data", {})
    if extra.get("status") == "error":
        lines.append(clean(results["output"]))
    for note in extra.get("sandbox_notes", []):
        lines.append(f"(sandbox: {clean(note)})")
    lines.append("")
    lines += exercise_lines(results, assignment)
    lines.append(summary_line(results))
    return "\n".join(lines)
