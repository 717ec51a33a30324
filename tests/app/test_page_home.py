"""AppTests for app.py's frame (navigation, sidebar, shared helpers) and the home page."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from viz import navigation, page_css, ui

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"
EXISTING = [entry[1] for entry in navigation.existing_pages()]


def test_home_defaults(open_page, assert_page_ok, metric):
    at = open_page("pages/home.py")
    assert_page_ok(at)
    assert metric(at, "Depth k") == "3"
    assert metric(at, "Widest hidden layer") == "4"
    assert metric(at, "Parameters θ") == str(3 * 4 + 4 + 4 * 4 + 4 + 4 * 2 + 2)
    links = [element.proto.page for element in at.main.get("page_link")]
    assert links == [name.removesuffix(".py") for name in EXISTING if name != "home.py"]


def _in_order(block) -> list:
    """The elements inside an AppTest block, depth first, in the order they are drawn."""
    found = []
    for child in block.children.values():
        found += _in_order(child) if hasattr(child, "children") else [child]
    return found


def test_the_sidebar_links_every_page_under_its_lecture_part(open_page):
    """app.py's navigation: "Skip to the page", then each lecture part's name and a link to each
    of its pages, in lecture order; the open page's link (here the home page's) in bold, so it
    is not told by the highlight alone. (AppTest runs other pages without app.py's frame; the
    browser test checks the frame on them.)"""
    at = open_page("pages/home.py")
    drawn = []
    for element in _in_order(at.sidebar):
        if element.type == "markdown" and element.value == navigation.SKIP_LINK:
            drawn.append(("skip", element.value))
        elif element.type == "markdown" and page_css.MARKER not in element.value:  # not the CSS
            drawn.append(("part", element.value))
        elif element.type == "page_link":
            drawn.append((element.proto.page, element.proto.label))
    expected, last_section = [("skip", navigation.SKIP_LINK)], None
    for section, filename, title, _icon, _summary in navigation.existing_pages():
        if section != last_section:
            expected.append(("part", f"**{section}**"))
            last_section = section
        slug = "" if filename == "home.py" else filename.removesuffix(".py")
        expected.append((slug, f"**{title}**" if filename == "home.py" else title))
    assert drawn == expected


@pytest.mark.parametrize("filename", [entry[1] for entry in navigation.existing_pages()])
def test_every_page_title_is_the_skip_links_target(open_page, filename):
    """The sidebar's first element, "Skip to the page", links to #page-title: every page's one
    h1 carries that anchor (tests/app/test_browser_skip_link.py follows the link)."""
    at = open_page(f"pages/{filename}")
    assert [title.proto.anchor for title in at.title] == [navigation.PAGE_ANCHOR]
    assert navigation.SKIP_LINK.endswith(f"(#{navigation.PAGE_ANCHOR})")


@pytest.mark.parametrize(
    ("widths", "depth", "parameters"),
    [("1, 1", 1, 2), ("2, 32, 32, 1", 3, 2 * 32 + 32 + 32 * 32 + 32 + 32 + 1)],
)
def test_home_widths_extremes(open_page, assert_page_ok, metric, widths, depth, parameters):
    at = open_page("pages/home.py", {"home_widths": widths})
    assert_page_ok(at)
    assert metric(at, "Depth k") == str(depth)
    assert metric(at, "Parameters θ") == f"{parameters:,}"


def test_home_bad_widths_message(open_page):
    at = open_page("pages/home.py", {"home_widths": "3, -1"})
    # a bound text input takes any string from the URL; the page explains, never a traceback
    assert not at.exception
    assert at.error and "between 1 and 32" in at.error[0].value


def test_every_page_file_is_in_the_navigation():
    listed = {entry[1] for entry in navigation.PAGES}
    on_disk = {path.name for path in PAGES_DIR.glob("*.py") if not path.name.startswith("_")}
    assert on_disk <= listed, f"pages missing from navigation.PAGES: {sorted(on_disk - listed)}"
    assert set(EXISTING) == on_disk & listed


@pytest.mark.parametrize("name", EXISTING)
def test_every_page_in_the_navigation_opens_cleanly(open_page, name):
    at = open_page(f"pages/{name}")
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, f"{name} has a title"
    assert at.latex, f"{name} shows its formula"


def test_sidebar_presenter_mode_and_themes_from_the_url():
    for theme in ui.THEMES:
        at = AppTest.from_file(str(navigation.APP_DIR / "app.py"), default_timeout=60)
        at.query_params["presenter"] = "true"
        at.query_params["theme"] = theme
        at.run()
        assert not at.exception
        assert at.toggle(key="presenter").value is True
        assert at.selectbox(key="theme").value == theme
        # the page CSS, as markdown in the sidebar (drawn without waiting for st.html's script)
        (css,) = [md.value for md in at.sidebar.markdown if page_css.MARKER in md.value]
        assert css.startswith(page_css.BASE.strip())
        assert "font-size: 3.2rem" in css  # presenter mode's large title
        assert page_css.THEME_CSS[theme].strip() in css


def test_guard_turns_exceptions_into_messages():
    def script():
        from viz import ui

        with ui.guard("divide the cake"):
            raise ValueError("W has shape (4, 3) but h has 5 columns")
        with ui.guard("draw the chart"):
            raise RuntimeError("boom")
        import streamlit as st

        st.write("still running")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    messages = [element.value for element in at.error]
    assert messages[0] == "Could not divide the cake: W has shape (4, 3) but h has 5 columns"
    assert messages[1].startswith("Could not draw the chart: unexpected RuntimeError: boom")
    assert at.markdown[0].value == "still running"


def test_style_figure_follows_presenter_and_theme():
    def script():
        import plotly.graph_objects as go
        import streamlit as st

        from viz import ui

        st.session_state["presenter"] = True
        st.session_state["theme"] = "Projector (high contrast)"
        fig = ui.style_figure(go.Figure(go.Scatter(x=[0, 1], y=[0, 1], mode="lines")))
        st.session_state["styled"] = (fig.layout.font.size, fig.data[0].line.width)

    at = AppTest.from_function(script, default_timeout=30).run()
    assert at.session_state["styled"] == (22, 4.0)


def test_home_theta_holds_the_biases_it_counts(open_page, metric):
    """theta = {W^i, b^i}: the parameter count includes the biases, so the formula names them."""
    at = open_page("pages/home.py", {"home_widths": "3, 5, 2"})
    assert any(r"\theta = \{W^i, b^i\}_{i=1}^k" in latex.value for latex in at.latex)
    weights_only = 3 * 5 + 5 * 2
    assert metric(at, "Parameters θ") == str(weights_only + 5 + 2)


def _outside_math(text: str) -> str:
    """`text` without its $...$ formulas (which must pair up)."""
    parts = text.split("$")
    assert len(parts) % 2 == 1, f"unpaired $ in {text!r}"
    return "".join(parts[0::2])


def test_the_lecture_map_writes_its_formulas_as_math(open_page):
    """The home page's lecture map and captions write formulas in $...$ (KaTeX, as the pages'
    formulas), never in caret or underscore notation as plain text (h^i, W^{iT}, z_n)."""
    at = open_page("pages/home.py")
    captions = [caption.value for caption in at.main.caption]
    summaries = [entry[4] for entry in navigation.existing_pages() if entry[1] != "home.py"]
    assert set(summaries) <= set(captions)
    label = at.text_input(key="home_widths").label
    texts = [*captions, label]
    assert sum("$" in text for text in texts) >= 7  # the formulas are there, as math
    for text in texts:
        plain = _outside_math(text)
        assert not re.search(r"[\^_]|\b(sigma|alpha|theta)\b", plain), text


def test_the_widths_box_states_the_rules_it_enforces(open_page):
    """The caption under Home's widths box gives the bounds (as the structure page's help
    does); a width or a depth past them is refused with a message, never built."""
    at = open_page("pages/home.py")
    rules = next(c.value for c in at.main.caption if c.value.startswith("Whole numbers"))
    assert "from 1 to 32" in rules and "at most 8 layers" in rules
    at = open_page("pages/home.py", {"home_widths": ", ".join(["2"] * 9)})  # 8 layers
    assert not at.exception and not at.error
    for widths in ("3, 33, 2", ", ".join(["2"] * 10)):
        at = open_page("pages/home.py", {"home_widths": widths})
        assert not at.exception and at.error, widths
