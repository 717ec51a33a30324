"""Real-browser checks of the reworked approximation page: the depth preset reaches the URL and
the bookmark restores it. (Every page, these included, is opened in presenter mode at both
projector sizes in every theme by test_browser_projector.py: errors, clipping, axe, title size.)

Same rules as test_browser.py: Debian's chromium through Playwright (executable_path), skipped
with the reason when it is missing, failed instead when NNLAB_REQUIRE_BROWSER=1. Screenshots go
to screenshots/ (gitignored).
"""

import pytest
from live_app import IDLE

pytestmark = pytest.mark.browser

WAIT_MS = 180_000


def _wait_rendered(page) -> None:
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT_MS)
    page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=WAIT_MS)
    page.wait_for_selector(".katex", timeout=WAIT_MS)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_timeout(500)


def _assert_no_errors(page, name: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, name
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, f"{name}: {errors.first.inner_text()}"


def test_depth_preset_reaches_the_url(browser, server_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server_url}/approximation?ua_epochs=10", wait_until="domcontentloaded")
        _wait_rendered(page)
        page.get_by_role("button", name="Where depth wins (sawtooth)").click()
        page.wait_for_url("**ua_target=sawtooth**", timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        url = page.url
        assert "ua_mode=equal" in url and "ua_target=sawtooth" in url
        # the bookmark opens the same comparison in a fresh browser context
        fresh = browser.new_context().new_page()
        try:
            fresh.goto(url, wait_until="domcontentloaded")
            _wait_rendered(fresh)
            _assert_no_errors(fresh, "preset bookmark")
            checked = fresh.locator('[data-testid="stRadio"] label:has(input:checked)').first
            assert checked.inner_text().strip() == "equal budget"
        finally:
            fresh.close()
    finally:
        page.close()


def test_the_lecture_map_draws_its_formulas(browser, server_url):
    """The home page's lecture map: each formula written in $...$ is drawn by KaTeX (no
    .katex-error, no dollar or caret left as text), as the pages' formulas are."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(server_url, wait_until="domcontentloaded")
        _wait_rendered(page)
        _assert_no_errors(page, "home")
        captions = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]')
        found = captions.evaluate_all(
            """boxes => boxes.map(box => {
                const copy = box.cloneNode(true);
                copy.querySelectorAll('.katex').forEach(k => k.remove());
                return [box.querySelectorAll('.katex').length,
                        box.querySelectorAll('.katex-error').length, copy.innerText];
            })"""
        )
        assert sum(formulas for formulas, _, _ in found) >= 12, found
        assert all(errors == 0 for _, errors, _ in found), found
        assert not [text for _, _, text in found if "$" in text or "^" in text], found
    finally:
        page.close()
