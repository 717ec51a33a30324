"""What a student is told about a failed test: the assertion message, never the test's code.

For hidden tests only these are shown: the message of an `assert ..., "message"` (or of an
AssertionError/pytest.fail raised by the assignment's own test helpers), the harness's own
teaching messages (timeouts, crashes, not implemented, ...), and the student's own exception.
Anything else (a numpy.testing report that prints the expected array, an error inside the
test's code) is reduced to its kind, so hidden tests and the reference's answers stay secret.
Public tests are shipped to students anyway, so their full exception text is shown.
"""

from pathlib import Path

import _pytest
import pytest
from _pytest.outcomes import OutcomeException, Skipped

from .proxy import StudentError, StudentRuntimeWarning, SubmissionFailed

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


def message_for(excinfo, hidden, test_roots):
    """The feedback text for one failed phase of a test."""
    error = excinfo.value
    roots = [Path(root).resolve() for root in test_roots]
    if isinstance(error, SubmissionFailed):
        return trim(error.msg, max_lines=14, max_chars=1800)
    if isinstance(error, Skipped):
        return trim(f"skipped (counts as not passed): {error.msg}")
    if isinstance(error, OutcomeException):
        text = error.msg or type(error).__name__
        if hidden and not _raised_in(excinfo, roots):
            return "the test failed (details of hidden tests are not shown)"
        return trim(text)
    if isinstance(error, StudentError):
        return trim(str(error))
    if isinstance(error, StudentRuntimeWarning):
        return trim(
            f"{error} (RuntimeWarning). The lecture's stable forms never overflow or divide "
            "by zero: shift by the maximum, use exp(-|z|), or work from logits."
        )
    if isinstance(error, AssertionError):
        text = str(error).strip()
        if hidden and not _raised_in(excinfo, roots):
            return "a numerical comparison failed (details of hidden tests are not shown)"
        return trim(text or "an assertion failed (the test gave no message)")
    if hidden:
        return (
            f"the test could not use your result ({type(error).__name__}); check the type, "
            "shape and dtype your function returns"
        )
    return trim(f"the test could not use your result: {type(error).__name__}: {error}")
