"""Gradients "After training" from the keyboard: training shows its progress and a Stop button,
Tab reaches it with a visible focus and Enter stops the run; "Continue training" resumes it the
same way (WCAG 2.1.1 keyboard, 2.2.2 a way to stop what updates by itself)."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from browser_checks import focused
from live_app import IDLE, ROOT
from test_browser_projector import WAIT_MS, url_of

pytestmark = pytest.mark.browser

SHOTS = ROOT / "screenshots" / "a11y"
# long enough that training is still running when Stop is pressed (about a minute on 2 cores)
HEAVY = "gr_view=" + quote_plus("After training") + "&gr_depth=30&gr_width=256&gr_epochs=20"
PROGRESS = '[data-testid="stMain"] [data-testid="stProgress"]'


def _tab_to(page, label: str) -> dict:
    """Tab from the page title to the button with this label; return its focus state."""
    page.locator('[data-testid="stMain"] h1').first.click()
    for _ in range(80):
        page.keyboard.press("Tab")
        text = page.evaluate("() => (document.activeElement.innerText || '').trim()")
        if text.endswith(label):
            return focused(page)
    raise AssertionError(f"Tab never reached the {label!r} button")


def _press_when_training(page, label: str) -> None:
    """Wait until the training progress bar shows, then operate `label` from the keyboard."""
    page.wait_for_selector(PROGRESS, timeout=WAIT_MS)
    state = _tab_to(page, label)
    assert state["ring"] is not None, f"{label} has no visible focus: {state}"
    page.keyboard.press("Enter")


@pytest.mark.slow
def test_stop_and_continue_training_from_the_keyboard(browser, server_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url_of(server_url, "gradients", "Standard", presenter=False, query=HEAVY))
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT_MS)
        _press_when_training(page, "Stop training")
        stopped = page.get_by_text("Stopped after")
        stopped.wait_for(timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        assert page.locator(PROGRESS).count() == 0, "training went on after Stop"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "gradients_stopped_keyboard.png"))

        state = _tab_to(page, "Continue training")
        assert state["ring"] is not None, f"Continue training has no visible focus: {state}"
        page.keyboard.press("Enter")
        page.wait_for_selector(PROGRESS, timeout=WAIT_MS)  # training resumed
        # stop again, so the server does not train on after the test
        _press_when_training(page, "Stop training")
        stopped.wait_for(timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
    finally:
        page.close()
