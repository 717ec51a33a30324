"""Text contrast as painted (WCAG 2.1 SC 1.4.3), every page, every theme, in presenter mode at
1024x768: text_contrast.js measures each text's colour over what is painted behind it. axe-core
runs the same rule in test_browser_a11y.py, but leaves text it cannot place on one background
as "incomplete": inline code in a caption in the Dark room (1.7:1) and a disabled field's value
(dark grey at 40 % on the dark field) passed it. A disabled control's value must reach 3:1 here
(WCAG exempts it; a lecturer's formula field greyed to invisibility read as empty)."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from live_app import IDLE, ROOT, wait_settled

from viz import navigation, ui

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [entry[1].removesuffix(".py") for entry in navigation.existing_pages()]
TEXT_CONTRAST = (ROOT / "tests" / "app" / "text_contrast.js").read_text()


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_every_text_reaches_its_contrast(browser, server_url, theme):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    problems = []
    try:
        for name in PAGES:
            path = "" if name == "home" else name
            page.goto(f"{server_url}/{path}?presenter=true&theme={quote_plus(theme)}")
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=180_000)
            page.wait_for_selector(IDLE, timeout=180_000)
            page.wait_for_timeout(1500)  # transitions (a toggle's colour) and fonts settle
            wait_settled(page)  # a rerun since (a page may rerun itself) fades the text
            for text, ratio, needed, detail in page.evaluate(TEXT_CONTRAST):
                problems.append(f"{name}: {text!r} {ratio}:1 < {needed}:1 ({detail})")
    finally:
        page.close()
    assert not problems, "\n".join(problems)
