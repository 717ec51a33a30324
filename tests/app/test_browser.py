"""A real browser over the real server: every page renders its charts and formulas.

Starts `streamlit run app.py` on a free localhost port, drives Debian's chromium through
Playwright (executable_path, never a downloaded browser), opens every page listed in app.py's
navigation, waits for plotly charts and KaTeX formulas, checks that no exception or error box is
shown, moves one control, and saves full-page screenshots to screenshots/ (gitignored).

Without /usr/bin/chromium (or playwright) the tests skip with the reason, unless
NNLAB_REQUIRE_BROWSER=1 (CI sets it): then they fail.
"""

from pathlib import Path

import pytest
from browser_checks import axe_violations
from live_app import IDLE, ROOT

from viz import navigation

pytestmark = pytest.mark.browser

SHOTS = ROOT / "screenshots"
WAIT_MS = 90_000
PAGES = [entry[1].removesuffix(".py") for entry in navigation.existing_pages()]


def _wait_rendered(page) -> None:
    """Wait until the script finished and the page's charts and formulas are drawn."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT_MS)
    # attached, not visible: a chart inside an inactive tab is drawn but hidden
    page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=WAIT_MS)
    page.wait_for_selector(".katex", timeout=WAIT_MS)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_timeout(300)  # let plotly finish laying out after the last delta


def _full_screenshot(page, path: Path) -> None:
    """Screenshot the whole page: Streamlit scrolls inside its own container, so grow the
    viewport to the content's height first (full_page alone captures one screen)."""
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], '
              + '[data-testid="stAppViewContainer"], section.main')]
              .map(element => element.scrollHeight), document.body.scrollHeight)"""
    )
    page.set_viewport_size({"width": 1400, "height": int(min(max(height, 1000), 16000))})
    page.wait_for_timeout(400)  # plotly re-lays out on resize
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def _assert_no_errors(page, name: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{name}: exception shown: {exceptions.first.inner_text()}"
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, f"{name}: error box shown: {errors.first.inner_text()}"


def test_a_bookmark_on_a_fresh_server_opens_inside_the_frame(browser, server_url):
    """The first request to a fresh server is a deep link with presenter mode and the theme:
    the page must open inside app.py's frame (navigation sections, sidebar controls), not in
    Streamlit's legacy pages/ mode, and the URL must restore every setting.

    Runs first in this module, so the server has served nothing before."""
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        target = "softmax" if "softmax" in PAGES else ""
        page.goto(
            f"{server_url}/{target}?presenter=true&theme=Projector+%28high+contrast%29",
            wait_until="domcontentloaded",
        )
        _wait_rendered(page)
        _assert_no_errors(page, "presenter mode")
        # app.py's links under the lecture's parts, not the legacy pages/ navigation
        links = page.locator(f".st-key-{navigation.NAV_KEY}").inner_text()
        assert "Home: the lecture map" in links and "1 · Structure" in links, links
        assert not page.locator('[data-testid="stSidebarNav"]').count(), "legacy navigation shown"
        assert page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').count() >= 1
        title_size = page.locator('[data-testid="stMain"] h1').first.evaluate(
            "element => parseFloat(getComputedStyle(element).fontSize)"
        )
        assert title_size >= 48, f"presenter mode should enlarge the title, got {title_size}px"
        _full_screenshot(page, SHOTS / "presenter_projector.png")

        # presenter mode and the theme follow the lecturer to the next page, in the URL too
        page.get_by_role("link", name="Quiz").click()
        page.wait_for_url("**/quiz?*", timeout=WAIT_MS)
        _wait_rendered(page)
        assert "presenter=true" in page.url and "theme=Projector" in page.url, page.url
    finally:
        page.close()


@pytest.mark.parametrize(
    ("path", "named", "corrected"),
    [
        # Streamlit 1.67 raised OverflowError here: a traceback instead of the quiz
        ("quiz?quiz_seed=inf", ["quiz_seed=inf"], "quiz"),
        (
            "softmax?sm_n=100&sm_section=Soft&presenter=maybe&sm_alpha=10",
            ["sm_n=100", "sm_section=Soft", "presenter=maybe"],
            "softmax?sm_alpha=10.0",
        ),
    ],
    ids=["inf-seed", "three-bad-one-rewritten"],
)
def test_a_link_with_bad_values_opens_and_names_them(browser, server_url, path, named, corrected):
    """On the live server (where Streamlit seeds the controls from the link it was opened with):
    each bad value is named in a notice, the page opens without an error, the address bar keeps
    only what the controls took (10 written as the option 10.0), and axe finds nothing."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{server_url}/{path}", wait_until="domcontentloaded")
        _wait_rendered(page)
        notices = page.locator('[data-testid="stMain"] [data-testid="stAlertContentWarning"]')
        notices.first.wait_for(timeout=WAIT_MS)
        toasts = " | ".join(notices.all_inner_texts())
        for text in named:
            assert f"The link's {text}" in toasts, toasts
        _assert_no_errors(page, path)
        # the notices are named alerts (Streamlit's toast was an alert dialog without a name)
        assert axe_violations(page) == []
        assert page.url == f"{server_url}/{corrected}", page.url
    finally:
        page.close()


@pytest.mark.parametrize(
    ("page_path", "key", "shown_in"),
    [
        ("softmax", "sm_n", '[data-testid="stAlertContentWarning"]'),  # a notice about the link
        ("home", "home_widths", '[data-testid="stAlertContentError"]'),  # an error quoting it
        ("structure", "st_widths", '[data-testid="stAlertContentError"]'),
    ],
)
def test_a_link_cannot_write_markdown_into_the_page(browser, server_url, page_path, key, shown_in):
    """Messages quote the link, which anyone can write: a Markdown link, image, colour or formula
    in it is shown as written, never rendered (no clickable link, no image fetched)."""
    from urllib.parse import quote

    value = "[click](http://e.vil) ![i](http://127.0.0.1:1/p.png) :red[hi] $x^2$ www.e.vil"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{server_url}/{page_path}?{key}={quote(value)}", wait_until="domcontentloaded")
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        message = page.locator(shown_in).first
        message.wait_for(timeout=WAIT_MS)
        assert message.locator("a, img, .katex, [class*='colored']").count() == 0, (
            message.inner_html()
        )
        shown = " ".join(message.inner_text().split())
        assert value[:40] in shown, shown
    finally:
        page.close()


def test_the_browser_fixture_collects_uncaught_javascript_errors(browser):
    """The check behind every browser test (conftest.no_javascript_errors) sees a script that
    throws, on a page of its own and on one of a new context."""
    page = browser.new_page()
    context = browser.new_context()
    other = context.new_page()
    try:
        page.set_content("<script>throw new Error('thrown on purpose')</script>")
        other.set_content("<script>null.property</script>")
        page.wait_for_timeout(200)
        assert len(browser.errors) == 2, browser.errors
        assert "thrown on purpose" in browser.errors[0]
    finally:
        browser.errors.clear()  # expected here: the check after the test must pass
        page.close()
        context.close()
