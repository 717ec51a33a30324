"""A link is input too: a bookmark or a shared URL with hostile values never shows a traceback.

Every control of every page is kept in the URL (viz.ui), so a link can carry any text for any of
them: a typo, a value out of range, `inf`, a number where a word belongs. For each page, the
page's own URL-bound controls (found by opening it) are all set to one hostile value at once; the
page must open without an exception. A number input whose link value is not a number in its
range opens at its default and a notice names the value (Streamlit 1.67 itself raised
OverflowError on `?seed=inf` for an integer input, on ten pages).
"""

from __future__ import annotations

import math

import pytest
from conftest import _open_page

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
