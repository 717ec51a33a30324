"""A chart opened fullscreen (its toolbar's button) and closed again (Escape, or the button) is
drawn as large as before, every time.

A chart whose axes keep their scale (scaleanchor: the hyperplane's plane, the playground's
picture, the 2-D surfaces of Choosing width and depth) has plotly shrink one axis's domain to fit
the space, and plotly writes the shrunken domain into the figure's own layout. Streamlit draws a
chart afresh from that layout when fullscreen opens or closes (the button's label is part of the
chart's config), so each time the shrunken domain became the chart's own: the plane drew at 254
px instead of 380 after one round, the picture at 513 px instead of 564 with a band under it.
The page script (viz.page_script) gives every axis its own domain back before either happens.

In fullscreen the chart lies on the screen whole, its close button with it (the playground's
paused picture in presenter mode, a tall picture, ran 2,500 px down a blank screen), on the
theme's background (the Dark room's charts sat on a white screen)."""

from __future__ import annotations

import pytest
from live_app import wait_settled
from test_browser_projector import WAIT_MS, open_rendered, url_of

from viz import page_script

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"]'
FULL_FRAME = """() => [...document.querySelectorAll('[data-testid="stFullScreenFrame"]')]
  .find(f => getComputedStyle(f).position === 'fixed')"""
BACKGROUND = f"() => getComputedStyle(({FULL_FRAME})()).backgroundColor"
AXES = """c => { const layout = c.querySelector('.js-plotly-plot')._fullLayout;
  return Object.fromEntries(Object.keys(layout).filter(k => /^[xy]axis[0-9]*$/.test(k))
    .map(k => [k, Math.round(layout[k]._length)])); }"""

# the screen behind a fullscreen chart: the page's own background (the Dark room's #101418)
BACKGROUNDS = {
    "Standard": "rgb(255, 255, 255)",
    "Projector (high contrast)": "rgb(255, 255, 255)",
    "Dark room": "rgb(16, 20, 24)",
}

CASES = [
    ("hyperplane", "Standard", False, f"{CHART} >> nth=0"),
    ("playground", "Dark room", True, page_script.PICTURE_CHART),
    ("width_depth", "Projector (high contrast)", False, f"{CHART} >> nth=0"),
]


@pytest.mark.parametrize(("name", "theme", "presenter", "chart"), CASES)
def test_a_chart_is_as_large_after_fullscreen(browser, server_url, name, theme, presenter, chart):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        open_rendered(page, url_of(server_url, name, theme, presenter=presenter))
        target = page.locator(chart).first
        target.scroll_into_view_if_needed()
        before = target.evaluate(AXES)
        assert any(key.startswith("y") for key in before), before
        for close in ("Escape", "button", "Escape"):
            target.hover()
            target.locator('button[data-title="Fullscreen"]').click()
            page.wait_for_function(f"() => !!({FULL_FRAME})()", timeout=WAIT_MS)
            wait_settled(page, WAIT_MS)
            page.wait_for_timeout(500)  # plotly draws the larger chart after the frame grows
            full = target.evaluate(AXES)
            assert full != before, f"fullscreen drew the chart at its size in the page: {full}"
            for what in (target, target.locator('button[data-title="Close fullscreen"]')):
                box = what.bounding_box()
                assert box["y"] >= 0 and box["y"] + box["height"] <= 768, f"off the screen: {box}"
            assert page.evaluate(BACKGROUND) == BACKGROUNDS[theme], page.evaluate(BACKGROUND)
            if close == "Escape":
                page.keyboard.press("Escape")
            else:
                target.locator('button[data-title="Close fullscreen"]').click(force=True)
            page.wait_for_function(
                "() => [...document.querySelectorAll('[data-testid=\"stFullScreenFrame\"]')]"
                ".every(f => getComputedStyle(f).position !== 'fixed')",
                timeout=WAIT_MS,
            )
            wait_settled(page, WAIT_MS)
            page.wait_for_timeout(500)
            after = target.evaluate(AXES)
            assert after == before, f"closed with {close}: axes {after}, before fullscreen {before}"
    finally:
        page.close()
