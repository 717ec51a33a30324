"""Text that came from a submission, made safe to print, store and show.

A student controls exception messages, printed output and warning texts. Before any of it
reaches a terminal, results.json, the gradebook or the dashboard, `clean` removes what can
rewrite what a reader sees: C0 control characters except newline and tab (carriage return,
backspace, escape sequences), DEL, C1 controls, and the Unicode bidirectional overrides that
reorder text on screen. `spreadsheet_cell` also defuses cells a spreadsheet would run as
formulas.

A student's words never pass for the grader's: `quoted` marks every line of theirs after the
first with QUOTE (a message "not computed\nLecture idea: ..." shows its second line as
"  | Lecture idea: ..."), and `one_line` flattens what is meant as one line (a source line, a
type name), so no line of a report that starts like the grader's own can come from a student.
"""

import re

_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (keeps \t = 09 and \n = 0a), DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # bidirectional marks and overrides
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(text, limit=None):
    """str(text) without control characters; cut to `limit` characters when given."""
    text = _CONTROL.sub("", text if isinstance(text, str) else str(text))
    return text if limit is None else text[:limit]


def spreadsheet_cell(value):
    """A CSV cell that a spreadsheet shows as text: clean, and never starting like a formula."""
    if not isinstance(value, str):
        return value
    text = clean(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


QUOTE = "  | "


def one_line(text):
    """A student's text meant as one line (a source line, an exception's type), its line breaks
    (newlines and the Unicode line and paragraph separators alike) turned into spaces."""
    return " ".join(str(text).splitlines())


def quoted(text, first=False):
    """A student's text of several lines with each line after the first (every line when
    first=True) marked as theirs by QUOTE; line breaks of every kind become newlines."""
    lines = str(text).splitlines() or [""]
    head = [QUOTE + lines[0] if first else lines[0]]
    return "\n".join(head + [QUOTE + line for line in lines[1:]])
