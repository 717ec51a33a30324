"""The sidebar's "Skip to the page" (WCAG 2.4.1, bypass blocks): twenty links and two controls
stand between a page's start and its first control. From the keyboard the skip link is the first
Tab stop of the page's own, with a visible focus ring, and Enter on it takes the next Tab into
the main area."""

from __future__ import annotations

import pytest
from browser_checks import focused
from live_app import ROOT, wait_settled
from test_browser_projector import WAIT_MS, open_rendered, url_of

from viz import navigation

pytestmark = pytest.mark.browser

SHOTS = ROOT / "screenshots" / "a11y"
IN_MAIN = "() => !!document.activeElement.closest('[data-testid=\"stMain\"]')"
IN_SIDEBAR_LINKS = f"() => !!document.activeElement.closest('.st-key-{navigation.NAV_KEY}')"


@pytest.mark.parametrize(
    ("name", "theme", "presenter"),
    [("softmax", "Standard", False), ("playground", "Dark room", True)],
)
def test_skip_to_the_page_from_the_keyboard(browser, server_url, name, theme, presenter):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        open_rendered(page, url_of(server_url, name, theme, presenter=presenter))
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        reached = target = None
        for _ in range(3):  # Streamlit's button that collapses the sidebar may come first
            page.keyboard.press("Tab")
            target = focused(page)
            if target and target["label"] == "Skip to the page":
                reached = target
                break
            assert not page.evaluate(IN_SIDEBAR_LINKS), f"a page link came first: {target}"
        assert reached is not None, f"three Tabs never reached the skip link: {target}"
        assert reached["ring"] is not None, f"no visible focus on the skip link: {reached}"
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => location.hash === '#{navigation.PAGE_ANCHOR}'")
        wait_settled(page, WAIT_MS)
        title = page.locator(f'[data-testid="stMain"] h1#{navigation.PAGE_ANCHOR}')
        assert title.count() == 1
        top = title.evaluate("h => h.getBoundingClientRect().top")
        assert 0 <= top < 200, f"the title is not in view after the skip: top {top}"
        page.keyboard.press("Tab")
        assert page.evaluate(IN_MAIN), f"the Tab after the skip went to {focused(page)}"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"skip_link_{name}.png"))
    finally:
        page.close()
