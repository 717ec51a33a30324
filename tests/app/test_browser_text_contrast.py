"""The page before its CSS. (Text contrast as painted, WCAG 2.1 SC 1.4.3, is measured on every
page, section tab and linked view in every theme by test_browser_projector's presenter sweep,
with text_contrast.js: axe-core leaves text it cannot place on one background "incomplete", and
inline code in a caption in the Dark room (1.7:1) and a disabled field's value (dark grey at 40 %
on the dark field) passed it. A disabled control's value must reach 3:1 there: WCAG exempts it,
but a lecturer's formula field greyed to invisibility read as empty.)

Before the page CSS arrives, the page is Streamlit's own styles in .streamlit/config.toml's
theme; axe must find nothing serious in that state either."""

from __future__ import annotations

import math
from urllib.parse import quote_plus

import pytest
from browser_checks import LAZY_CONTROL_CHUNKS, _script, axe_violations, chunks
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


def _contrast(foreground: str, background: str) -> float:
    """WCAG 2.1's contrast ratio of two #rrggbb colours, from its definition."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_check_finds_faint_text_out_of_view_and_leaves_the_view_alone(browser):
    """The check on a page of known colours: #777777 on white is just under 4.5:1 (4.48) and
    #767676 just over it (4.54), by WCAG's definition computed here; both lie below the fold of
    a scrolled main area,
    so the check must scroll to them. It then puts the view back where the reader left it: a
    screenshot after it showed pages scrolled past their titles, as if they had opened so."""
    assert _contrast("#777777", "#ffffff") < 4.5 < _contrast("#767676", "#ffffff")
    page = browser.new_page(viewport={"width": 800, "height": 600})
    try:
        page.set_content(
            """<body style="margin:0;background:#fff">
               <div data-testid="stMain" style="height:600px;overflow:auto">
                 <h1>Title</h1><div style="height:1500px"></div>
                 <p style="color:#777777">faint words</p>
                 <p style="color:#767676">just enough</p>
                 <div style="height:1500px"></div>
               </div></body>"""
        )
        page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop = 40")
        found = page.evaluate(_script("text_contrast.js"))
        left_at = page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop")
    finally:
        page.close()
    assert [(text, needed) for text, _, needed, _ in found] == [("faint words", 4.5)]
    assert found[0][1] == math.floor(100 * _contrast("#777777", "#ffffff")) / 100  # 4.47
    assert left_at == 40
