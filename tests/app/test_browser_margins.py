"""In the live app, plotly.js lays out every chart once: the margins viz.figure_style reserves
hold the tick labels, axis titles and legends, so autoexpand never draws a chart a second time.

plotly.js counts the draws it repeats for autoexpand; browser_checks.COUNT_LAYOUT_REPEATS,
installed before the page's scripts, reads that count: it is plotly's own, not an estimate.
Before the margins were reserved, 18 of the 21 charts at default settings were drawn twice.
"""

from __future__ import annotations

import pytest
from browser_checks import COUNT_LAYOUT_REPEATS
from test_browser_projector import PAGES, open_rendered, url_of

pytestmark = pytest.mark.browser

# (theme, presenter, viewport): a laptop, in the theme of the default view and in the Dark room.
# Presenter mode keeps plotly's own layout (viz.figure_style.style): no room reserved there.
CASES = [
    ("Standard", False, (1280, 900)),
    ("Dark room", False, (1280, 900)),
]


@pytest.mark.slow
@pytest.mark.parametrize("theme, presenter, size", CASES, ids=["standard", "dark-room"])
def test_every_chart_is_laid_out_once(browser, server_url, theme, presenter, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.add_init_script(COUNT_LAYOUT_REPEATS)
    problems, charts = [], 0
    try:
        for name in PAGES:
            page = context.new_page()
            open_rendered(page, url_of(server_url, name, theme, presenter))
            page.wait_for_timeout(300)
            charts += page.locator(".js-plotly-plot").count()
            problems += [f"{name}: {repeat}" for repeat in page.evaluate("window.__nnlabRepeats")]
            page.close()
    finally:
        context.close()
    assert charts >= len(PAGES), charts  # every page draws at least one chart
    assert not problems, "\n".join(problems)
