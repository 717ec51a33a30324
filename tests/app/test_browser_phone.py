"""The app on a phone or at 200 % zoom (WCAG 1.4.10, reflow at 320 px), in the real browser:
a table wider than the page scrolls from the keyboard, chart titles fit their charts, and the
sidebar says which page is open.

One server and one chromium for the module (conftest's fixtures).
"""

from __future__ import annotations

import pytest
from browser_checks import axe_violations, clipped, focused
from test_browser_projector import open_rendered, url_of

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


# The pages whose chart titles ran past their charts at 320 px in plotly's 16.8 px title type.
LONG_TITLE_PAGES = [
    p
    for p in ("slide_notes", "hyperplane", "output_units", "gradients", "approximation")
    if p in PAGES
]


@pytest.mark.skipif(not LONG_TITLE_PAGES, reason="no page with a long chart title in this checkout")
def test_chart_titles_fit_a_phone(browser, server_url):
    """At 320 px (WCAG 1.4.10) every chart title and axis title fits in its chart: page_css sets
    them in smaller type below PHONE_PX, since plotly cannot wrap them at a width only the
    browser knows. At a laptop's width they keep plotly's own size."""
    page = browser.new_page(viewport=PHONE)
    try:
        for name in LONG_TITLE_PAGES:
            open_rendered(page, url_of(server_url, name, "Standard", presenter=False))
            # (plotly's toolbar, shown while a finger or pointer is on the chart, covers most of
            # a title's line at this width, and hides again: only a title cut for good counts)
            titles = [
                c
                for c in clipped(page)
                if c.kind in ("chart title", "axis title") and "toolbar" not in c.detail
            ]
            assert not titles, f"{name}: " + "; ".join(map(str, titles))
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
