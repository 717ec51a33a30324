"""WCAG 2.1 AA in the real browser: axe-core on every page, the keyboard, the text alternatives;
and on the same loads, every chart laid out once.

One server and one chromium for the module (conftest's fixtures), at a 1280x900 laptop screen.
axe-core is the build shipped by the PyPI package axe-playwright-python, run through Playwright;
only serious and critical violations count, and nothing is excluded: Streamlit's own sectioned
navigation has two serious findings (test_streamlits_sectioned_navigation_fails_axe), so app.py
draws the sidebar's links itself.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import live_app
import pytest
from browser_checks import (
    COUNT_LAYOUT_REPEATS,
    LAZY_CONTROL_CHUNKS,
    axe_violations,
    chunks,
    faint_controls,
    focused,
    mark_colours,
)
from live_app import BARE_IDLE, IDLE, ROOT
from test_browser_projector import WAIT_MS, open_page, open_rendered, problems_on, url_of

from viz import formula, navigation, ui

pytestmark = pytest.mark.browser

SHOTS = ROOT / "screenshots" / "a11y"
PAGES = [entry[1].removesuffix(".py") for entry in navigation.existing_pages()]
# A laptop screen: the width viz.margins.MAIN_WIDTH assumes for the main column.
LAPTOP = {"width": 1280, "height": 900}
# Three pages in two sections, in Streamlit's own sectioned navigation or drawn as app.py does
# (the navigation hidden, a page link under each section's name).
BARE_SECTIONS = """
import streamlit as st
def a():
    st.title("a")
def b():
    st.title("b")
def c():
    st.title("c")
SECTIONS = {"One": [st.Page(a, title="A"), st.Page(b, title="B")], "Two": [st.Page(c, title="C")]}
"""
BARE_NAVIGATION_APP = BARE_SECTIONS + "st.navigation(SECTIONS, expanded=True).run()\n"
BARE_OWN_LINKS_APP = (
    BARE_SECTIONS
    + """current = st.navigation(SECTIONS, position="hidden")
with st.sidebar:
    for section, pages in SECTIONS.items():
        st.markdown(f"**{section}**")
        for page in pages:
            st.page_link(page)
current.run()
"""
)
# One control of each kind the non-text contrast check (browser_checks.faint_controls) measures,
# in Streamlit's defaults or, with NNLAB_CSS set, with the app's page CSS (its config.toml is
# copied beside it for that run).
CONTROLS_APP = """
import os
import streamlit as st
if os.environ.get("NNLAB_CSS"):
    from viz import page_css
    st.html(page_css.page(os.environ["NNLAB_CSS"], presenter=False))
st.title("controls")
st.text_input("text", "a")
st.number_input("number", 0, 9, 1)
st.selectbox("select", ["p", "q"])
st.multiselect("multi", ["p", "q"], ["p"])
st.radio("radio", ["one", "two"])
st.toggle("toggle")
st.slider("slider", 0, 10, 3)
st.slider("inactive slider", 0, 10, 3, disabled=True)
st.button("button")
"""


def laptop_page(browser):
    """A page at the laptop's size that counts the charts plotly.js draws twice.

    plotly.js lays a chart out with its margins, measures tick labels, axis titles and legends
    while drawing, and when they need more room (automargin) draws the whole chart again. Outside
    presenter mode viz.margins.reserve_margins reserves that room, so no chart should be
    drawn twice: before it did, 18 of the 21 charts at default settings were.
    browser_checks.COUNT_LAYOUT_REPEATS, installed before the page's scripts, reads plotly's own
    count (`_redrawFromAutoMarginCount`), not an estimate.
    """
    page = browser.new_page(viewport=LAPTOP)
    page.add_init_script(COUNT_LAYOUT_REPEATS)
    return page


def drawn_twice(page, name: str) -> list[str]:
    """The charts of the page on screen that plotly.js laid out a second time."""
    page.wait_for_timeout(300)  # a repeat comes within the chart's draw
    return [f"{name}: drawn twice: {repeat}" for repeat in page.evaluate("window.__nnlabRepeats")]


def formula_estimates_below_katex(page, name: str) -> list[str]:
    """Formulas whose widest piece KaTeX draws wider than viz.formula.width_em estimates."""
    measured = page.evaluate(
        """() => [...document.querySelectorAll(
                  '[data-testid="stMain"] .katex-display > .katex')].map(k => {
            const size = parseFloat(getComputedStyle(k).fontSize);
            const widths = [...k.querySelectorAll(':scope > .katex-html > .base')]
                .map(b => b.getBoundingClientRect().width / size);
            return [k.querySelector('annotation').textContent, Math.max(0, ...widths)];
        })"""
    )
    under = []
    for source, widest in measured:
        estimate = formula.width_em(source)  # in em of the formula's own size
        if estimate < 0.97 * widest:
            under.append(f"{name}: {source[:70]}: estimated {estimate:.1f} < {widest:.1f}")
    return under


@pytest.mark.parametrize("name", PAGES)
def test_each_page_passes_axe_describes_its_charts_and_works_from_the_keyboard(
    browser, server_url, name
):
    """One load of each page at the defaults, five checks:

    - it renders: no exception or error box, at least one chart and one formula drawn; axe
      finds nothing serious or critical, nothing is clipped, no chart is drawn twice;
    - its headings skip no level: the title (h1), then its sections (h2);
    - viz.formula's estimate of each formula's widest piece is never below what KaTeX draws (in
      em), so a formula it keeps within the budget fits its column;
    - each drawn chart is a figure with an accessible name, followed by its 'Chart in words'
      block, which the keyboard opens and which holds numbers, not only a title;
    - Tab reaches the page's first control, which shows a visible focus ring, and the keyboard
      alone changes it: the page reruns (the URL records the new value) without error.
    """
    page = laptop_page(browser)
    try:
        open_rendered(page, url_of(server_url, name, "Standard", presenter=False))
        problems = problems_on(page, name) + drawn_twice(page, name)
        assert not problems, "\n".join(problems)
        assert page.locator(".js-plotly-plot").count() >= 1, f"{name}: no chart drawn"
        assert page.locator(".katex").count() >= 1, f"{name}: no formula drawn"
        under = formula_estimates_below_katex(page, name)
        assert not under, "\n".join(under)
        # a screen reader's list of headings: the title, then the sections one level below it
        # (st.subheader's h3 under the h1 skipped a level: axe's heading-order, moderate)
        levels = page.evaluate(
            '() => [...document.querySelectorAll(\'[data-testid="stMain"] :is(h1, h2, h3, h4, '
            "h5, h6)')].map(h => [Number(h.tagName[1]), h.textContent.slice(0, 40)])"
        )
        assert levels and levels[0][0] == 1, f"{name}: the first heading is {levels[:1]}"
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b[0] > a[0] + 1]
        assert not skips, f"{name}: headings that skip a level: {skips}"

        drawn = page.locator('[data-testid="stMain"] [data-testid="stPlotlyChart"]')
        charts = drawn.count()
        # each chart is a figure with its own accessible name (what it shows, where the numbers
        # are), so a screen reader that lands on it hears more than "group"
        names = drawn.evaluate_all(
            "els => els.map(e => [e.getAttribute('role'), e.getAttribute('aria-label') || ''])"
        )
        unnamed = [n for role, n in names if role != "figure" or not n.startswith("Chart: ")]
        assert not unnamed, f"{name}: charts without an accessible name: {names}"
        texts = page.locator('[data-testid="stMain"] details.nnlab-chart-text')
        assert texts.count() >= charts >= 1, f"{name}: {charts} charts, {texts.count()} texts"
        shown = page.locator('[data-testid="stMain"] details.nnlab-chart-text:visible').first
        shown.locator("summary").focus()  # (a chart in an inactive tab is hidden)
        page.keyboard.press("Enter")
        body = shown.inner_text()
        assert shown.get_attribute("open") is not None, f"{name}: Enter did not open the text"
        assert re.search(r"\d", body), body

        url_before = page.url
        target, presses = _tab_to_first_control(page)
        assert target is not None, f"{name}: {presses} Tabs never reached a control"
        assert target["ring"] is not None, f"{name}: no visible focus on {target}"
        pressed = _operate(page, target)
        page.wait_for_function(f"() => location.href !== {url_before!r}", timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
        assert errors.count() == 0, errors.first.inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"keyboard_{name}.png"))
        print(f"{name}: {presses} Tab(s) to {target['tag']} {target['label']!r}, {pressed}")
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("theme", [t for t in ui.THEMES if t != "Standard"])
def test_axe_finds_nothing_serious_in_every_theme(browser, server_url, theme):
    """Themes without presenter mode at a laptop's size (presenter mode: the projector module);
    no chart drawn twice in them either."""
    page = laptop_page(browser)
    problems, charts = [], 0
    try:
        for name in PAGES:
            open_page(page, server_url, name, theme, presenter=False)
            problems += problems_on(page, name) + drawn_twice(page, name)
            charts += page.locator(".js-plotly-plot").count()
    finally:
        page.close()
    assert charts >= len(PAGES), charts  # every page draws at least one chart (none went unseen)
    assert not problems, "\n".join(problems)


LAZY_CONTROLS = chunks(*LAZY_CONTROL_CHUNKS)


@pytest.mark.parametrize("name", [p for p in ("home", "playground") if p in PAGES])
def test_a_page_still_loading_its_controls_passes_axe(browser, server_url, name):
    """A page's first load: the script run ends and the page CSS applies while the controls'
    scripts are still loading, and the sidebar shows placeholders. It was taller than a 900 px
    window with nothing in it to focus: axe's scrollable-region-focusable (serious), met once in
    CI. Holding those scripts back makes the state last; audited there, then once they arrive."""
    page = browser.new_page(viewport=LAPTOP)
    held = []
    page.route(LAZY_CONTROLS, lambda route: held.append(route))
    try:
        page.goto(url_of(server_url, name, "Standard", presenter=False))
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        assert held, "no control's script was held back: Streamlit's chunk names changed?"
        assert page.locator('[data-testid="stSidebarContent"] [data-testid="stSkeleton"]').count()
        loading = axe_violations(page, loading=True)
        for route in held:
            route.continue_()
        page.unroute(LAZY_CONTROLS)
        live_app.wait_settled(page, WAIT_MS)
        sidebar = page.locator('[data-testid="stSidebarContent"]')
        assert sidebar.evaluate("s => getComputedStyle(s).overflowY") == "auto"
        loaded = axe_violations(page)
    finally:
        page.close()
    assert not loading, [f"{v['id']}: {v['nodes'][:2]}" for v in loading]
    assert not loaded, [f"{v['id']}: {v['nodes'][:2]}" for v in loaded]


def test_streamlits_sectioned_navigation_fails_axe(browser):
    """Why app.py draws its own sidebar links: a bare Streamlit app whose st.navigation has two
    sections, with none of our code or CSS, has axe's serious `list` and `listitem` violations
    (each section's header and links sit in a <div> directly inside the <ul>); the same pages
    with the app's way (navigation hidden, a page link under each section's name) have none."""
    found = {}
    for name, app in (("streamlit", BARE_NAVIGATION_APP), ("own links", BARE_OWN_LINKS_APP)):
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "bare_navigation.py"
            script.write_text(app)
            with live_app.serve(script, cwd=Path(folder)) as url:
                page = browser.new_page(viewport={"width": 1200, "height": 800})
                try:
                    page.goto(url, wait_until="domcontentloaded")
                    page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT_MS)
                    page.wait_for_selector(BARE_IDLE, timeout=WAIT_MS)
                    page.get_by_role("link", name="C", exact=True).wait_for(timeout=WAIT_MS)
                    found[name] = {v["id"]: len(v["nodes"]) for v in axe_violations(page)}
                finally:
                    page.close()
    # the bare app's one list and its three links; the app's way: nothing
    assert found == {"streamlit": {"list": 1, "listitem": 3}, "own links": {}}, found


def _faint_controls_of(browser, theme: str | None) -> list[str]:
    """faint_controls on CONTROLS_APP: Streamlit's defaults (theme None) or the app's CSS and
    config.toml in one of its themes."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "controls.py"
        script.write_text(CONTROLS_APP)
        env = {}
        if theme is not None:
            (Path(folder) / ".streamlit").mkdir()
            config = (ROOT / ".streamlit" / "config.toml").read_text()
            (Path(folder) / ".streamlit" / "config.toml").write_text(config)
            env = {"NNLAB_CSS": theme, "PYTHONPATH": str(ROOT)}
        with live_app.serve(script, cwd=Path(folder), env=env) as url:
            page = browser.new_page(viewport={"width": 1200, "height": 1400})
            try:
                page.goto(url, wait_until="domcontentloaded")
                page.wait_for_selector('[data-testid="stButton"]', timeout=WAIT_MS)
                # the app's CSS drawn, when there is any (IDLE waits for it)
                page.wait_for_selector(BARE_IDLE if theme is None else IDLE, timeout=WAIT_MS)
                return faint_controls(page)
            finally:
                page.close()


def test_the_contrast_check_finds_streamlits_faint_controls(browser):
    """WCAG 1.4.11 asks 3:1 for what marks a control. Streamlit's defaults draw a field's border,
    a radio circle and a button's border in its text colour at 20 % (1.5:1 on white), a toggle's
    track likewise and a slider's rail in a translucent beige (1.2:1): the check finds each kind,
    and leaves the disabled slider alone."""
    found = _faint_controls_of(browser, None)
    kinds = sorted({line.split(" '")[0] for line in found})
    assert kinds == ["button (secondary)", "field", "radio", "slider", "toggle"], found
    fields = [line for line in found if line.startswith("field ")]
    assert {line.split("'")[1] for line in fields} == {"text", "number", "select", "multi"}
    assert [line.split("'")[1] for line in found if line.startswith("radio ")] == [
        "radio: two"  # the chosen circle is filled in the primary colour
    ], found
    assert not [line for line in found if "inactive" in line], found
    assert any("knob against track" in line for line in found), found


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_the_app_css_gives_every_control_3_to_1(browser, theme):
    """The same controls with the app's config.toml and page CSS: nothing under 3:1."""
    assert _faint_controls_of(browser, theme) == []


# Every mark that shows a choice, chosen and not, enabled and not, in the main area and the
# sidebar (each theme's own background), for tests/app/mark_colours.js.
MARKS_APP = """
import os
import streamlit as st
from viz import page_css
st.html(page_css.page(os.environ["NNLAB_CSS"], presenter=False))
st.title("marks")
for where in (st, st.sidebar):
    where.radio("radio", ["chosen", "other"], key=f"radio {id(where)}")
    where.checkbox("box off", key=f"off {id(where)}")
    where.checkbox("box on", True, key=f"on {id(where)}")
    where.toggle("switch off", key=f"t off {id(where)}")
    where.toggle("switch on", True, key=f"t on {id(where)}")
st.radio("inactive radio", ["a", "b"], disabled=True)
st.checkbox("inactive box", disabled=True)
"""


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_radio_circles_checkboxes_and_toggles_wear_the_themes_colours(browser, theme):
    """WCAG 1.4.11 for the marks that show a choice, in every theme, on the page and in the
    sidebar: each one's ring has 3:1 against what is behind it, and what shows the choice (a
    chosen circle's dot, a toggle's knob, a tick) 3:1 against the mark. An unchosen circle or
    box is drawn in the page's own colours (its fill under 1.5:1 against the page): Streamlit
    fills them white, which in the Dark room was a row of lit discs."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "marks.py").write_text(MARKS_APP)
        (Path(folder) / ".streamlit").mkdir()
        config = (ROOT / ".streamlit" / "config.toml").read_text()
        (Path(folder) / ".streamlit" / "config.toml").write_text(config)
        env = {"NNLAB_CSS": theme, "PYTHONPATH": str(ROOT)}
        with live_app.serve("marks.py", cwd=Path(folder), env=env) as url:
            page = browser.new_page(viewport={"width": 1200, "height": 1000})
            try:
                page.goto(url, wait_until="domcontentloaded")
                page.wait_for_selector('[data-testid="stSidebar"] [role="switch"]', timeout=WAIT_MS)
                page.wait_for_selector(IDLE, timeout=WAIT_MS)
                marks = mark_colours(page)
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"marks_{theme.split()[0].lower()}.png"))
            finally:
                page.close()
    kinds = sorted((kind, chosen, disabled) for kind, _, chosen, disabled, *_ in marks)
    assert kinds == sorted(
        [("radio", True, False), ("radio", False, False)] * 2
        + [("checkbox", False, False), ("checkbox", True, False)] * 2
        + [("toggle", False, False), ("toggle", True, False)] * 2
        + [("radio", True, True), ("radio", False, True), ("checkbox", False, True)]
    ), marks
    problems = []
    for kind, label, chosen, disabled, ring, fill, inner in marks:
        if disabled:  # inactive controls are exempt from 1.4.11; in the dark, no lit disc
            if ui.THEMES[theme]["dark"] and kind != "toggle" and not chosen and fill >= 1.5:
                problems.append(f"{kind} {label!r} (inactive): fill {fill:.2f}:1")
            continue
        if ring is None or ring < 3:
            problems.append(f"{kind} {label!r}: ring {ring}")
        if kind != "toggle" and not chosen and fill >= 1.5:
            problems.append(f"{kind} {label!r}: unchosen, fill {fill:.2f}:1 against the page")
        if (kind == "toggle" or chosen) and (inner is None or inner < 3):
            problems.append(f"{kind} {label!r}: dot, tick or knob {inner}")
    assert problems == [], (theme, problems)


def _tab_to_first_control(page, limit: int = 40):
    """Press Tab from the page title until focus reaches a control in the main area; return
    (what is focused, how many Tabs it took)."""
    page.locator('[data-testid="stMain"] h1').first.click()  # the starting point for Tab
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        inside = page.evaluate(
            """() => { const e = document.activeElement;
                       // a control, not a heading's anchor link or a label's help icon
                       return !!e && !!e.closest('[data-testid="stMain"]')
                              && !e.closest('[data-testid="stTooltipIcon"]')
                              && e.matches('input, textarea, button, [role="slider"], '
                                           + '[role="combobox"], [role="switch"]'); }"""
        )
        if inside:
            return focused(page), presses
    return None, limit


def _operate(page, target: dict) -> str:
    """Change the focused control with the keyboard alone; returns what was pressed."""
    role, tag = target.get("role"), target["tag"]
    kind = page.evaluate(
        """() => { const e = document.activeElement;
                   return (e.getAttribute('type') || '') + '|' + (e.getAttribute('role') || '')
                          + '|' + (e.getAttribute('aria-autocomplete') || ''); }"""
    )
    if "range" in kind or role == "slider":
        page.keyboard.press("ArrowRight")
        return "ArrowRight"
    if "radio" in kind:  # arrow keys move the choice within a radio group
        page.keyboard.press("ArrowDown")
        return "ArrowDown"
    if "checkbox" in kind or "switch" in kind:
        page.keyboard.press("Space")
        return "Space"
    if "combobox" in kind or "list" in kind:
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(300)
        options = page.locator('[role="option"]')
        if options.count() == 1 and "No results" in options.first.inner_text():
            # a multiselect with every option chosen: Backspace takes the last one out
            page.keyboard.press("Escape")
            page.keyboard.press("Backspace")
            return "Backspace"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        return "ArrowDown, Enter"
    if tag == "BUTTON":
        page.keyboard.press("Enter")
        return "Enter"
    if "number" in kind:
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")
        return "ArrowUp, Enter"
    # a text field: replace its last character by another digit, so that a list of widths
    # stays valid ("2, 3, 3, 2" -> "2, 3, 3, 1"; appending made "21", past the page's limit)
    last = page.evaluate("() => (document.activeElement.value || '').slice(-1)")
    page.keyboard.press("End")
    page.keyboard.press("Backspace")
    page.keyboard.type("2" if last == "1" else "1")
    page.keyboard.press("Enter")
    return "typing"


def _epoch(page) -> int:
    text = page.locator('[data-testid="stMetric"]').filter(has_text="Epoch")
    return int(re.sub(r"\D", "", text.locator('[data-testid="stMetricValue"]').inner_text()))


def _focus_button(page, name: str) -> dict:
    """Tab (from the title) to the button with this label; its focus ring must show."""
    page.locator('[data-testid="stMain"] h1').first.click()
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate("() => (document.activeElement.innerText || '').trim()")
        if label.endswith(name):
            state = focused(page)
            assert state["ring"] is not None, f"{name} has no visible focus: {state}"
            return state
    raise AssertionError(f"Tab never reached the {name} button")


@pytest.mark.skipif("playground" not in PAGES, reason="no playground page in this checkout")
def test_playground_play_pause_step_from_the_keyboard(browser, server_url):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        open_rendered(page, url_of(server_url, "playground", "Standard", presenter=False))
        start = _epoch(page)
        _focus_button(page, "Step")
        page.keyboard.press("Enter")
        page.wait_for_function(
            """(start) => { const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
                 .find(e => e.innerText.includes('Epoch'));
                 return m && parseInt(m.querySelector('[data-testid="stMetricValue"]')
                   .innerText.replace(/\\D/g, '')) > start; }""",
            arg=start,
            timeout=WAIT_MS,
        )
        stepped = _epoch(page)
        assert stepped > start
        _focus_button(page, "Play")
        page.keyboard.press("Enter")
        page.wait_for_timeout(3000)
        assert _epoch(page) > stepped, "Play (Enter) did not train"
        _focus_button(page, "Pause")  # the same button, now labelled Pause
        page.keyboard.press("Enter")
        page.wait_for_timeout(1500)
        paused = _epoch(page)
        page.wait_for_timeout(1500)
        assert _epoch(page) == paused, "Pause (Enter) did not stop training"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "playground_keyboard.png"))
    finally:
        page.close()
