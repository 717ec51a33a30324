"""A link is input too: a bookmark or a shared URL with hostile values never shows a traceback.

Every control of every page is kept in the URL (viz.ui), so a link can carry any text for any of
them: a typo, a value out of range, `inf`, a number where a word belongs. For each page, the
page's own URL-bound controls (found by opening it) are all set to one hostile value at once; the
page must open without an exception. A number input whose link value is not a number in its
range opens at its default and a notice names the value (Streamlit 1.67 itself raised
OverflowError on `?seed=inf` for an integer input, on ten pages). Any other control whose link
value it cannot take (a word where a number or one of its options belongs, a number out of range)
starts at its default with a notice naming the value too, and so does a tab the link names that
the page does not have (Streamlit reset them without a word).
"""

from __future__ import annotations

import math
import re

import pytest
from conftest import ROOT, _open_page

from viz import navigation

PAGES = [f"pages/{entry[1]}" for entry in navigation.existing_pages()]
KINDS = (
    "slider",
    "select_slider",
    "selectbox",
    "radio",
    "multiselect",
    "toggle",
    "checkbox",
    "text_input",
    "number_input",
)
# The URL keys of the pages' tabs (sections.tabs and ui.tabs), read from the source: AppTest's
# tabs do not carry their key. A page's own keys share its prefix (sm_, gr_, pg_, ...).
TAB_KEYS = sorted(
    {
        key
        for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("viz/*.py")]
        for key in re.findall(r"\btabs\([^()]*?key=\"(\w+)\"", path.read_text(), re.S)
    }
)
HOSTILE = ["inf", "-inf", "1e309", "nan", "abc", "", "-5", "99999999999999999999", "x" * 300]


def _controls(at) -> dict[str, object]:
    """key -> widget, for every keyed control the page drew."""
    found = {}
    for kind in KINDS:
        for element in getattr(at, kind):
            if element.key:
                found[element.key] = element
    return found


def _a_valid_number(raw: str, element) -> bool:
    try:
        number = float(raw)
    except ValueError:
        return False
    whole = isinstance(element.value, int)
    return (
        math.isfinite(number)
        and element.min <= number <= element.max
        and (not whole or number == int(number))
    )


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.removeprefix("pages/") for p in PAGES])
def test_hostile_link_values_open_without_a_traceback(page):
    """Every control of the page set to one hostile value at once, for nine values."""
    controls = _controls(_open_page(page))
    assert controls, f"{page} has no URL-bound control"
    numbers = {key: element for key, element in controls.items() if element.type == "number_input"}
    for raw in HOSTILE:
        at = _open_page(page, {key: raw for key in controls})
        assert not at.exception, (raw, [e.message for e in at.exception])
        toasts = " ".join(toast.value for toast in at.toast)
        for key, element in numbers.items():
            if not _a_valid_number(raw, element):
                assert f"{key}={raw[:40]!r}" in toasts, (raw, key, toasts)
                assert at.number_input(key=key).value == element.value, (raw, key)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.removeprefix("pages/") for p in PAGES])
def test_a_link_value_no_control_can_take_is_named(page):
    """ "abc" is no number, no option of any select, not true or false; a 20-digit number is out
    of every range and no option: every control but a free text box starts at its default, and
    one notice per control names its key and the value."""
    opened = _open_page(page)
    controls = {
        key: element for key, element in _controls(opened).items() if element.type != "text_input"
    }
    prefixes = {key.split("_")[0] for key in controls}
    tabs = [key for key in TAB_KEYS if key.split("_")[0] in prefixes]
    for raw in ("abc", "99999999999999999999"):
        query = {key: raw for key in controls}
        query.update({key: raw for key in tabs})
        at = _open_page(page, query)
        assert not at.exception, (raw, [e.message for e in at.exception])
        toasts = [toast.value for toast in at.toast]
        for key in tabs:
            named = [toast for toast in toasts if f"The link's {key}={raw!r} names no tab" in toast]
            assert len(named) == 1, (raw, key, toasts)
        for key, element in controls.items():
            named = [toast for toast in toasts if f"The link's {key}={raw!r}" in toast]
            assert len(named) == 1, (raw, key, toasts)
            assert getattr(at, element.type)(key=key).value == element.value, (raw, key)
