"""What a student is told about a failed test: the assertion message, never the test's code.

For hidden tests only these are shown: the message of an `assert ..., "message"` (or of an
AssertionError/pytest.fail raised by the assignment's own test helpers), the harness's own
teaching messages (timeouts, crashes, not implemented, ...), and the student's own exception.
Anything else (a numpy.testing report that prints the expected array, an error inside the
test's code) is reduced to its kind, so hidden tests and the reference's answers stay secret.
Public tests are shipped to students anyway, so their full exception text is shown. With
`"hidden_tests": {"show": "name"}` a hidden test shows none of the submission's own words either
(its exception's message, its warning, a value it returned): only the kind of failure, in the
grader's words (`sealed_message`), since those words could carry the test's inputs out.
"""

from pathlib import Path

import _pytest
import pytest
from _pytest.outcomes import OutcomeException, Skipped

from .proxy import StudentError, StudentRuntimeWarning, SubmissionFailed
from .text import clean

MAX_LINES = 8
MAX_CHARS = 1200


def trim(text, max_lines=MAX_LINES, max_chars=MAX_CHARS):
    """First lines of text, capped; marks what was cut."""
    text = str(text).strip()
    lines = text.splitlines()
    cut = len(lines) > max_lines or len(text) > max_chars
    text = "\n".join(lines[:max_lines])[:max_chars]
    return text + (" [...]" if cut else "")


PYTEST_PACKAGES = [Path(_pytest.__file__).resolve().parent, Path(pytest.__file__).resolve().parent]


def _raised_in(excinfo, roots):
    """True when the innermost traceback frame outside pytest itself lies in a test folder
    (so `pytest.fail(...)` and `pytest.raises` in a test count as the test's own words)."""
    for entry in reversed(excinfo.traceback):
        try:
            path = Path(str(entry.path)).resolve()
        except (OSError, ValueError):
            return False
        if any(package in path.parents for package in PYTEST_PACKAGES):
            continue
        return any(root == path or root in path.parents for root in roots)
    return False


HINTS = [  # (test on the warning's message and source line, the hint)
    (
        lambda message, source: "where(" in source,
        "np.where evaluates BOTH branches on every element, so the branch you meant to avoid "
        "still runs (and overflows) where it is not selected: compute each branch only where it "
        "is safe, e.g. through exp(-|z|), or with boolean masks.",
    ),
    (
        lambda message, source: "overflow" in message and "exp" in message,
        "exp overflows above z = 709.78 (float64): compute through exp(-|z|), whose exponent is "
        "never positive (sigmoid, softplus), or subtract the row maximum first (softmax).",
    ),
    (
        lambda message, source: "divide by zero" in message and "log" in message,
        "ln 0 = -inf: a term with weight 0 contributes 0 (0 ln 0 = 0 by convention), so skip "
        "it; or work from logits (log_softmax, the log-sigmoid) instead of the log of a "
        "probability.",
    ),
    (
        lambda message, source: "invalid value" in message and "divide" in message,
        "0/0 or inf/inf is undefined (NaN): treat the case where both sides are 0 on its own "
        "(e.g. a relative error of two zero vectors is 0), or avoid dividing huge or vanishing "
        "numbers (normalise after shifting each row by its own maximum: a row far below the "
        "batch's largest score underflows to all zeros).",
    ),
    (
        lambda message, source: "divide by zero" in message,
        "a division by zero: guard the case where the denominator is 0.",
    ),
    (
        lambda message, source: "overflow" in message,
        "a result exceeded the largest float (about 1.8e308): rescale before multiplying or "
        "exponentiating (e.g. compute 2 z only where it cannot overflow).",
    ),
    (
        lambda message, source: "invalid value" in message,
        "an operation produced NaN (inf - inf, 0 * inf, ...): find where an intermediate "
        "became infinite and use the lecture's stable form.",
    ),
]
GENERIC_HINT = (
    "The lecture's stable forms never overflow or divide by zero: shift by the maximum, use "
    "exp(-|z|), or work from logits."
)


def warning_hint(message, source):
    """The hint for a numpy warning, chosen by its kind and the line that raised it."""
    for applies, hint in HINTS:
        if applies(message, source):
            return hint
    return GENERIC_HINT


def warning_text(error, show_inputs=True):
    """What a student is told about a RuntimeWarning of their code that failed a test."""
    where = f" at {error.where}: {error.source}" if error.where else ""
    lines = [f"{error.qualified} warned: {error.text} (RuntimeWarning){where}"]
    if show_inputs and error.inputs:
        lines.append(f"on {trim(error.inputs, max_lines=2, max_chars=300)}")
    lines.append(f"Hint: {warning_hint(error.text, error.source)}")
    return "\n".join(lines)


#: what a hidden test with "show": "name" says of a failure of the submission, by its kind: the
#: grader's words only, since anything the submission wrote (an exception's message, a warning,
#: a returned value) could carry the hidden test's inputs out
SEALED = {
    "timeout": "your function did not return within the time limit",
    "died": "your code's process died during this test",
    "budget": "the submission had used up its total time budget",
    "not_implemented": "a function this test calls is not implemented yet",
    "missing_function": "a function this test calls is missing from your file",
    "missing_file": "a file this test needs is missing or could not be read",
    "import_error": "a file this test needs could not be imported",
    "bad_result": "your function returned something that is not numbers or arrays of numbers",
    "exit": "your function exited instead of returning",
    "keyboard_interrupt": "your function exited instead of returning",
}
SEALED_NOTE = "(details of hidden tests are not shown)"


def sealed_message(error):
    """The feedback of a hidden test whose details are never shown, for a failure of the
    submission: its kind in the grader's words (a student exception's built-in base class, a
    RuntimeWarning, a known failure kind), never a word of the submission's."""
    if isinstance(error, StudentRuntimeWarning):
        return f"your code warned (RuntimeWarning) {SEALED_NOTE}\nHint: {GENERIC_HINT}"
    if isinstance(error, StudentError):
        base = next(
            (c.__name__ for c in type(error).__mro__[1:] if c.__module__ == "builtins"),
            "Exception",
        )
        return f"your code raised {base} {SEALED_NOTE}"
    kind = getattr(error, "kind", "")
    return f"{SEALED.get(kind, 'the test failed')} {SEALED_NOTE}"


def with_idea(text, idea, course_text=None):
    """A failed test's feedback with the lecture idea it checks as its last line, once (locally
    under pytest and in results.json alike).

    course_text: the part of `text` the course wrote (default: all of it). Only there does an
    idea already given count (a check's "Lecture idea: ..."); a student's own words in the text,
    an exception's message or printed output, never stand in for the course's idea.
    """
    idea = clean(idea or "").strip()
    if idea and "Lecture idea" not in (text if course_text is None else course_text):
        return f"{text}\nLecture idea: {idea}"
    return text


def quotes_the_student(error):
    """True when the feedback for `error` quotes the student's own words (their exception's
    message, their warning, their import failure) rather than a check's."""
    return isinstance(error, StudentError | StudentRuntimeWarning | SubmissionFailed)


def message_for(excinfo, hidden, test_roots, show_inputs=True):
    """The feedback text for one failed phase of a test.

    show_inputs: for a hidden test, whether its inputs may be shown (the assignment's
    hidden_tests.show; results.json's visibility decides when students see it at all).
    """
    error = excinfo.value
    roots = [Path(root).resolve() for root in test_roots]
    if hidden and not show_inputs and quotes_the_student(error):
        return sealed_message(error)
    if isinstance(error, SubmissionFailed):
        return trim(error.msg, max_lines=14, max_chars=1800)
    if isinstance(error, Skipped):
        return trim(f"skipped (counts as not passed): {error.msg}")
    if isinstance(error, StudentRuntimeWarning):
        return trim(warning_text(error, show_inputs), max_lines=10, max_chars=1500)
    if isinstance(error, OutcomeException):
        text = error.msg or type(error).__name__
        if hidden and not (show_inputs and _raised_in(excinfo, roots)):
            return "the test failed (details of hidden tests are not shown)"
        return trim(text)
    if isinstance(error, StudentError):
        return trim(str(error), max_lines=10, max_chars=1500)
    if isinstance(error, AssertionError):
        text = str(error).strip()
        if hidden and not (show_inputs and _raised_in(excinfo, roots)):
            return "a numerical comparison failed (details of hidden tests are not shown)"
        return trim(text or "an assertion failed (the test gave no message)")
    if hidden:
        return (
            f"the test could not use your result ({type(error).__name__}); check the type, "
            "shape and dtype your function returns"
        )
    return trim(f"the test could not use your result: {type(error).__name__}: {error}")
