"""The page before its CSS. (Text contrast as painted, WCAG 2.1 SC 1.4.3, is measured on every
page, section tab and linked view in every theme by test_browser_projector's presenter sweep,
with text_contrast.js: axe-core leaves text it cannot place on one background "incomplete", and
inline code in a caption in the Dark room (1.7:1) and a disabled field's value (dark grey at 40 %
on the dark field) passed it. A disabled control's value must reach 3:1 there: WCAG exempts it,
but a lecturer's formula field greyed to invisibility read as empty.)

Before the page CSS arrives, the page is Streamlit's own styles in .streamlit/config.toml's
theme; axe must find nothing serious in that state either."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from browser_checks import LAZY_CONTROL_CHUNKS, axe_violations, chunks
from live_app import BARE_IDLE

from viz import navigation, page_css, ui

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [entry[1].removesuffix(".py") for entry in navigation.existing_pages()]


# The scripts Streamlit loads lazily, on a page's first load, before it draws Markdown with HTML
# in it (the page CSS) or with formulas in it (st.latex, text with $...$), and the controls'.
LAZY_SCRIPTS = chunks("rehype-raw", "rehype-katex", *LAZY_CONTROL_CHUNKS)


def test_a_page_before_its_css_passes_axe(browser, server_url):
    """The page CSS is Markdown, drawn once Streamlit has loaded rehype-raw: on a page's first
    load the page shows 0.4 s without it, longer on a slow network. Audits right after the run's
    end met that state: captions at Streamlit's opacity 0.6 in its text colour #31333F (3.7:1),
    and a sidebar of placeholders taller than the window with nothing to focus in it
    (scrollable-region-focusable), both serious. Holding the lazily loaded scripts back keeps
    the state; every page is audited in it, in the themes and type sizes in turn (what the
    server styles, the charts, differs by them). Formulas wait for rehype-katex, held too. (A
    page can also draw its formulas a moment before its CSS, when rehype-katex wins the race; a
    formula wider than its column then scrolls without a keyboard stop until the CSS fits it.
    st.latex has no public way to wait for rehype-raw as well.)"""
    themes = list(ui.THEMES)
    problems = []
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.route(LAZY_SCRIPTS, lambda route: None)  # held: never answered
    try:
        for i, name in enumerate(PAGES):
            path = "" if name == "home" else name
            theme, presenter = themes[i % len(themes)], i % 2 == 1
            page.goto(
                f"{server_url}/{path}?presenter={'true' if presenter else 'false'}"
                f"&theme={quote_plus(theme)}"
            )
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=180_000)
            page.wait_for_selector(BARE_IDLE, timeout=180_000)
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=180_000)
            page.wait_for_timeout(500)  # transitions settle
            assert not page.locator(f"style[{page_css.MARKER}]").count(), "the CSS arrived"
            problems += [
                f"{name} ({theme}, presenter {presenter}): {v['id']} {v['nodes'][:2]}"
                for v in axe_violations(page, loading=True)
            ]
    finally:
        page.close()
    assert not problems, "\n".join(problems)
