"""The app on a phone or at 200 % zoom (WCAG 1.4.10, reflow at 320 px), in the real browser:
every page reflows (columns stack, nothing is cut, every chart panel keeps a readable width), a
table or chart wider than the page scrolls from the keyboard, chart titles take a phone's type,
and the sidebar says which page is open.

One server and one chromium for the module (conftest's fixtures).
"""

from __future__ import annotations

import pytest
from browser_checks import axe_violations, clipped, focused, narrow_panels
from test_browser_projector import open_other_sections, open_page, open_rendered, url_of

from viz import navigation, page_css, page_script

pytestmark = pytest.mark.browser

PAGES = [entry[1].removesuffix(".py") for entry in navigation.existing_pages()]
PHONE = {"width": 320, "height": 720}
LAPTOP = {"width": 1280, "height": 900}

# The pages with a small table (st.table) at the defaults; at a phone's width each is wider than
# the page's column and scrolls sideways in its frame.
TABLE_PAGES = [p for p in ("activations", "gradients", "approximation") if p in PAGES]


@pytest.mark.skipif(not TABLE_PAGES, reason="no page with a table in this checkout")
def test_a_table_wider_than_a_phone_scrolls_from_the_keyboard(browser, server_url):
    """WCAG 1.4.10 and 2.1.1: at 320 px a table scrolls sideways inside its frame, and a frame
    only the mouse could scroll is an axe violation (scrollable-region-focusable). viz.
    page_script makes such a frame a named region in the tab order, with a visible focus ring,
    scrolled by the arrow keys; at the laptop's width the frame fits and stays out of the tab
    order. The sidebar's link to the open page says so (aria-current), on every page reached."""
    page = browser.new_page(viewport=PHONE)
    try:
        for name in TABLE_PAGES:
            open_rendered(page, url_of(server_url, name, "Standard", presenter=False))
            violations = axe_violations(page)
            assert not violations, f"{name}: {[v['id'] for v in violations]}"
            frames = page.locator(f"{page_script.TABLE_FRAME}[role='region']")
            assert frames.count() >= 1, f"{name}: no table frame became a region at 320 px"
            frame = frames.first
            assert frame.get_attribute("tabindex") == "0"
            assert frame.get_attribute("aria-label") == page_script.TABLE_NAME
            _tab_to(page, frame)
            ring = focused(page)["ring"]
            assert ring is not None, f"{name}: the focused table frame shows no focus ring"
            page.keyboard.press("ArrowRight")
            page.wait_for_function("f => f.scrollLeft > 0", arg=frame.element_handle())
            current = page.locator("[aria-current='page']")
            assert current.count() == 1, f"{name}: {current.count()} links marked current"
            assert current.get_attribute("href").endswith(name), current.get_attribute("href")
        page.set_viewport_size(LAPTOP)
        page.wait_for_function(
            f'() => document.querySelectorAll("{page_script.TABLE_FRAME}[tabindex]").length == 0'
        )
    finally:
        page.close()


# (plotly's toolbar, shown while a finger or pointer is on a chart, covers most of a title's
# line at this width, and hides again: only a title cut for good counts)
def _cut_for_good(clip) -> bool:
    return clip.kind != "table" and "toolbar" not in clip.detail


_COLUMNS_JS = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stHorizontalBlock"]')]
  .filter(row => row.getBoundingClientRect().width > 0)
  .flatMap(row => [...row.children].map(c => [Math.round(c.getBoundingClientRect().width),
                                              Math.round(row.getBoundingClientRect().width),
                                              (c.innerText || '').trim().slice(0, 40)]))"""


def test_every_page_reflows_on_a_phone(browser, server_url):
    """WCAG 1.4.10 (reflow at 320 px) on every page and section tab: Streamlit's columns
    stack (the page CSS once kept them side by side, 180 and 107 px wide on the home page);
    nothing is cut (clipped: formulas, metrics, chart titles, labels running together; a wide
    table scrolls, see the test above); every panel of every chart keeps a readable plot (the
    activation grid's were 70 px, a legend beside a plot left it 10 px, the structure page's
    heat maps 61 px), and a chart wider than the page scrolls sideways in a
    frame the keyboard reaches; axe finds nothing serious."""
    page = browser.new_page(viewport=PHONE)
    try:
        for name in PAGES:
            open_page(page, server_url, name, "Standard", presenter=False)
            problems = _reflow_problems(page)
            for _tab, label in open_other_sections(page):
                problems += [f"[{label}] {problem}" for problem in _reflow_problems(page)]
            assert not problems, f"{name} at 320 px: " + "; ".join(problems)
    finally:
        page.close()


def _reflow_problems(page) -> list[str]:
    problems = [
        f"a column {width} px wide in a row of {row} px: {text!r}"
        for width, row, text in page.evaluate(_COLUMNS_JS)
        if width < row - 2
    ]
    problems += [str(clip) for clip in clipped(page) if _cut_for_good(clip)]
    problems += narrow_panels(page)
    frames = page.locator(page_script.CHART_FRAME)
    for index in range(frames.count()):
        frame = frames.nth(index)
        scrolls = frame.evaluate("f => f.scrollWidth > f.clientWidth + 1")
        if scrolls and frame.get_attribute("tabindex") != "0":
            problems.append(f"chart frame {index} scrolls but is not in the tab order")
    problems += [f"axe {v['id']}: {v['nodes'][:2]}" for v in axe_violations(page)]
    return problems


def test_a_chart_wider_than_a_phone_scrolls_from_the_keyboard(browser, server_url):
    """The activation grid keeps its panels' width on a phone and scrolls sideways in a named
    region in the tab order, with a visible focus ring, moved by the arrow keys; at a laptop's
    width it fits and is not a stop in the tab order."""
    if "activations" not in PAGES:
        pytest.skip("no activations page in this checkout")
    page = browser.new_page(viewport=PHONE)
    try:
        open_rendered(page, url_of(server_url, "activations", "Standard", presenter=False))
        frame = page.locator(f"{page_script.CHART_FRAME}[role='region']").first
        assert frame.get_attribute("aria-label") == page_script.CHART_NAME
        _tab_to(page, frame, limit=120)
        assert focused(page)["ring"] is not None, "the focused chart frame shows no focus ring"
        page.keyboard.press("ArrowRight")
        page.wait_for_function("f => f.scrollLeft > 0", arg=frame.element_handle())
        page.set_viewport_size(LAPTOP)
        page.wait_for_function(
            f"() => document.querySelectorAll('{page_script.CHART_FRAME}[tabindex]').length == 0"
        )
    finally:
        page.close()


def test_chart_titles_take_a_phones_type(browser, server_url):
    """Below PHONE_PX chart titles are set in smaller type (page_css), since plotly cannot wrap
    them at a width only the browser knows and at 16.8 px five pages' titles ran past their
    charts at 320 px; at a laptop's width they keep plotly's own size."""
    page = browser.new_page(viewport=PHONE)
    try:
        open_rendered(page, url_of(server_url, "home", "Standard", presenter=False))
        size = page.locator('[data-testid="stPlotlyChart"] .gtitle').first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert size == page_css.PHONE_TITLE_PX, size
        page.set_viewport_size(LAPTOP)
        page.wait_for_function(
            "() => parseFloat(getComputedStyle(document.querySelector("
            f"'[data-testid=\"stPlotlyChart\"] .gtitle')).fontSize) > {page_css.PHONE_TITLE_PX}"
        )
    finally:
        page.close()


def _tab_to(page, target, limit: int = 80) -> None:
    """Press Tab from the top of the page until `target` (a locator) has the focus."""
    page.locator('[data-testid="stMain"] h1').first.click()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{limit} Tabs never reached {target}")
