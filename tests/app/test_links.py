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


def _quoted(key: str, raw: str) -> str:
    """How a notice starts: the link's part as a Markdown code span (at most 60 characters; the
    values here have no spaces or backticks)."""
    return f"The link's `{f'{key}={raw}'[:60]}`"


def _notices(at) -> list[str]:
    """The page's notices about its link (warnings at the top of the page, above its title)."""
    return [w.value for w in at.warning if w.value.startswith("The link's ")]


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
        toasts = " ".join(_notices(at))
        for key, element in numbers.items():
            if not _a_valid_number(raw, element):
                assert _quoted(key, raw) in toasts, (raw, key, toasts)
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
        toasts = _notices(at)
        for key in tabs:
            named = [t for t in toasts if t.startswith(_quoted(key, raw) + " names no tab")]
            assert len(named) == 1, (raw, key, toasts)
        for key, element in controls.items():
            named = [toast for toast in toasts if toast.startswith(_quoted(key, raw))]
            assert len(named) == 1, (raw, key, toasts)
            said = re.sub(r"\\(.)", r"\1", named[0])  # as shown: the Markdown escapes undone
            # ...and says what the control takes
            if element.type == "slider":
                bounds = re.search(r"\((?:a whole number )?from (\S+) to (\S+)\)", said)
                assert bounds, said
                assert [float(bounds[1]), float(bounds[2])] == [element.min, element.max]
            if element.type in ("selectbox", "radio", "select_slider") and element.options:
                takes = "one of: " + ", ".join(element.options)
                assert takes in said or len(element.options) > 10, (said, takes)
            assert getattr(at, element.type)(key=key).value == element.value, (raw, key)


def _written_otherwise(option: str) -> str | None:
    """The same number written another way ("10.0" -> "10", "1000" -> "1000.0"), or None."""
    try:
        number = float(option)
    except ValueError:
        return None
    if not number.is_integer():
        return None
    return str(int(number)) if "." in option else option + ".0"


def test_a_number_option_written_another_way_is_that_option():
    """?sm_alpha=10 opens at the option 10.0, ?pg_points=1000.0 at 1000 (Streamlit matched
    options as text and reset them), on every page with such a control."""
    tried = []
    for page in PAGES:
        for key, element in _controls(_open_page(page)).items():
            numeric = isinstance(element.value, int | float) and not isinstance(element.value, bool)
            if element.type not in ("select_slider", "selectbox", "radio") or not numeric:
                continue
            for option in element.options:
                other = _written_otherwise(option)
                if other is None or float(option) == element.value:
                    continue
                at = _open_page(page, {key: other})
                assert not at.exception, (key, other, [e.message for e in at.exception])
                assert getattr(at, element.type)(key=key).value == float(option), (key, other)
                assert not _notices(at), (key, other)
                tried.append(f"{key}={other}")
                break
    # hp_length, sm_alpha, pg_points at least: the test must have found something to try
    assert len(tried) >= 3, tried


def _another_value(element):
    """A value the control can take other than the one it shows, written as a link writes it
    (None for a free text box)."""
    value = element.value
    if element.type in ("toggle", "checkbox"):
        return str(not value).lower(), not value
    if element.type in ("slider", "number_input"):
        if isinstance(value, list | tuple):  # a range slider: its whole range
            return [str(element.min), str(element.max)], (element.min, element.max)
        other = element.max if value != element.max else element.min
        return str(other), other
    if element.type == "multiselect":
        first, second = element.options[:2]
        other = [first] if list(value) != [first] else [second]
        return other, other
    if element.type in ("selectbox", "radio", "select_slider"):
        other = next(option for option in reversed(element.options) if option != str(value))
        return other, other
    return None


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.removeprefix("pages/") for p in PAGES])
def test_a_link_to_values_the_controls_take_opens_there_without_a_notice(page):
    """Each control's link set, one at a time, to a value it takes other than its default: the
    page opens at that value and says nothing (a notice on a good link would be a false alarm)."""
    for key, element in _controls(_open_page(page)).items():
        chosen = _another_value(element)
        if chosen is None:
            continue
        link, expected = chosen
        at = _open_page(page, {key: link})
        assert not at.exception, (key, link, [e.message for e in at.exception])
        assert not _notices(at), (key, link)
        shown = getattr(at, element.type)(key=key).value
        if isinstance(expected, list | tuple):
            assert [str(v) for v in shown] == [str(v) for v in expected], (key, link, shown)
        else:
            assert str(shown) == str(expected) or float(shown) == float(expected), (key, link)


def test_a_value_streamlit_corrects_is_named_too():
    """Streamlit keeps the known part of a multiselect's list and rounds a number between an
    integer slider's steps, both without a word: the page says what it did with the link."""
    at = _open_page("pages/activations.py", {"act_show": ["relu", "bogus"]})
    assert at.multiselect(key="act_show").value == ["relu"]
    toasts = _notices(at)
    assert len(toasts) == 1 and toasts[0].startswith(_quoted("act_show", "relu,bogus")), toasts
    assert "it starts at relu." in toasts[0], toasts

    at = _open_page("pages/softmax.py", {"sm_n": "5.5"})
    assert at.slider(key="sm_n").value == 5
    toasts = _notices(at)
    assert len(toasts) == 1 and toasts[0].startswith(_quoted("sm_n", "5.5")), toasts
    assert "(a whole number from 2 to 6): it starts at 5." in toasts[0], toasts


def test_an_empty_list_in_a_link_clears_without_a_notice():
    """?act_show= is how Streamlit writes a multiselect with nothing chosen: no false alarm."""
    at = _open_page("pages/activations.py", {"act_show": ""})
    assert at.multiselect(key="act_show").value == []
    assert not _notices(at)


@pytest.mark.parametrize(
    ("page", "link", "key", "want"),
    [
        # the option's leading words, in any case (what a lecturer types for a theme)
        ("pages/softmax.py", {"theme": "Projector"}, "theme", "Projector (high contrast)"),
        ("pages/softmax.py", {"theme": "dark room"}, "theme", "Dark room"),
        # the option typed without its symbol (width × depth)
        ("pages/approximation.py", {"ua_mode": "width x depth"}, "ua_mode", "width × depth"),
        ("pages/approximation.py", {"ua_mode": "Equal Budget"}, "ua_mode", "equal budget"),
    ],
)  # fmt: skip
def test_a_link_typed_plainly_means_its_option(page, link, key, want):
    """A link that plainly means one option (its first words, another case, x for ×) opens at
    that option without a notice, and the address bar then names the option itself."""
    at = _open_page(page, link)
    assert not at.exception
    assert at.session_state[key] == want
    assert not _notices(at)
    assert at.query_params.get(key) in (None, want, [want])  # the option itself, or the default


def test_a_tab_named_by_its_first_word_opens():
    """?sm_section=scaling opens the 'Scaling: α' tab without a notice, and so does a link made
    when the tab was named 'Scaling: alpha' (a Greek letter reads as its name)."""
    for named in ("scaling", "Scaling: alpha", "scaling: ALPHA"):
        at = _open_page("pages/softmax.py", {"sm_section": named})
        assert not at.exception and not _notices(at)
        assert at.session_state["sm_section"] == "Scaling: α"
        assert at.query_params.get("sm_section") in ("Scaling: α", ["Scaling: α"])


@pytest.mark.parametrize(
    ("text", "options", "want"),
    [
        ("Projector", ["Standard", "Projector (high contrast)", "Dark room"],
         "Projector (high contrast)"),
        ("DARK", ["Standard", "Projector (high contrast)", "Dark room"], "Dark room"),
        ("x12", ["x\u2081", "x\u2081\u00b2"], "x\u2081\u00b2"),  # x₁² typed as NFKC reads it
        ("10", [1.0, 10.0, 100.0], 10.0),
        ("Scaling: alpha", ["Scaling: α", "Overflow"], "Scaling: α"),  # Greek spelled out
        # no option, or more than one, fits: the link is left for the notice
        ("relu", ["relu6", "relu_leaky"], None),
        ("s", ["sigmoid", "softplus"], None),
        ("dark", ["dark room", "dark side"], None),
        ("", ["a", "b"], None),
        ("0.5", [1, 2], None),
    ],
)  # fmt: skip
def test_the_option_a_link_means(text, options, want):
    from viz import link_text

    assert link_text.meant(text, options) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [("1", True), ("yes", True), ("On", True), ("0", False), ("no", False), ("OFF", False)],
)
def test_a_switch_in_a_link_may_say_yes_or_no(text, want):
    """?presenter=1 or ?st_bias=no set the switch, with no notice (Streamlit reads only true and
    false: the others opened at the default, with a notice)."""
    at = _open_page("pages/structure.py", {"st_bias": text, "presenter": text})
    assert not at.exception
    assert at.toggle(key="st_bias").value is want
    assert at.session_state["presenter"] is want
    assert not _notices(at)


def test_a_list_in_a_link_reads_each_value_as_the_option_it_means():
    """?act_show=ReLU&act_show=TANH chooses relu and tanh; ?ua_widths=8.0 the width 8."""
    at = _open_page("pages/activations.py", {"act_show": ["ReLU", "TANH"]})
    assert not at.exception and not _notices(at)
    assert sorted(at.multiselect(key="act_show").value) == ["relu", "tanh"]
    at = _open_page("pages/approximation.py", {"ua_widths": ["8.0", "16"]})
    assert not at.exception and not _notices(at)
    assert sorted(at.multiselect(key="ua_widths").value) == [8, 16]


@pytest.mark.parametrize(
    ("page", "query", "key"),
    [
        ("pages/approximation.py", {"ua_target": "formula"}, "ua_formula"),
        ("pages/width_depth.py", {}, "wd_target"),
    ],
)
def test_a_link_text_longer_than_its_field_is_named(page, query, key):
    """A formula field keeps 200 characters: a longer link value is cut by the field, and the
    cut text can read as a formula the link's author never wrote ("x+x+...+" ends in a sign).
    One notice names the key, the length and what is kept; a value that fits opens without
    one."""
    long = "+".join(["x1"] * 120)  # 359 characters
    at = _open_page(page, {**query, key: long})
    assert not at.exception, [e.message for e in at.exception]
    named = [n for n in _notices(at) if n.startswith(f"The link's `{key}=")]
    assert len(named) == 1, _notices(at)
    assert f"is {len(long)} characters long" in named[0] and "first 200" in named[0], named[0]
    fits = _open_page(page, {**query, key: "+".join(["x1"] * 60)})  # 179 characters
    assert not [n for n in _notices(fits) if n.startswith(f"The link's `{key}=")]
