"""Text that came from a submission, made safe to print, store and show.

A student controls exception messages, printed output and warning texts. Before any of it
reaches a terminal, results.json, the gradebook or the dashboard, `clean` removes what can
rewrite what a reader sees: C0 control characters except newline and tab (carriage return,
backspace, escape sequences), DEL, C1 controls, and the Unicode bidirectional overrides that
reorder text on screen. `spreadsheet_cell` also defuses cells a spreadsheet would run as
formulas.
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
