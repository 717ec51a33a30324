"""The pages that train lists of networks (Approximation, Width and depth) at settings that take
tens of seconds: the progress bar has a Stop button; Stop shows the networks finished so far and
says how many were left; "Continue training" trains the rest (the issue's heavy cases: "show
progress with a way to stop"; WCAG 2.2.2)."""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest
from live_app import IDLE, ROOT
from test_browser_gradients import PROGRESS, _press_when_training
from test_browser_projector import WAIT_MS, url_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ROOT / "screenshots" / "a11y"
# four networks of 32 and 64 units in 6 and 8 layers, 1000 epochs each: 2 to 5 s apiece here
APPROXIMATION = "ua_widths=32&ua_widths=64&ua_depths=6&ua_depths=8&ua_epochs=1000"
# three networks of two inputs, three seeds each, 200 epochs: 9 trainings, the light network
# first (done in a second), then three of several seconds each, in which Stop lands
WIDTH_DEPTH = (
    "wd_lists2="
    + quote_plus("2, 96, 1; 2, 64, 64, 64, 1; 2, 32, 32, 1")
    + "&wd_epochs=200&wd_seeds=3"
)


def _approximation_fits(page) -> int:
    """Networks in the fits chart's text alternative ("per network: a; b; c.")."""
    summary = page.get_by_text("Test MSE and exact linear pieces per network")
    if summary.count() == 0:  # no network finished: no chart
        return 0
    return len(summary.first.text_content().split(":", 1)[1].split(";"))


def _width_depth_fits(page) -> int:
    """Networks in the surfaces chart's text alternative: one heat map each, after the target's."""
    words = page.locator("details", has_text="Target and fits (median seed)")
    if words.count() == 0:  # no network finished: no chart
        return 0
    return words.first.text_content().count("heatmap") - 1


@pytest.mark.parametrize(
    "name, query, total, per_network, count",
    [
        ("approximation", APPROXIMATION, 4, 1, _approximation_fits),  # one job per network
        ("width_depth", WIDTH_DEPTH, 9, 3, _width_depth_fits),  # one job per seed
    ],
    ids=["approximation", "width_depth"],
)
def test_stop_shows_what_is_trained_and_continue_trains_the_rest(
    browser, server_url, name, query, total, per_network, count
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url_of(server_url, name, "Standard", presenter=False, query=query))
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT_MS)
        # Stop once the first network is trained (Stop drops the job in hand)
        first = re.compile(rf"\({per_network}/\d+\)")
        page.locator(PROGRESS).get_by_text(first).wait_for(timeout=WAIT_MS)
        _press_when_training(page, "Stop training")
        notice = page.get_by_text(re.compile(r"Stopped after \d+ of \d+"))
        notice.wait_for(timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        assert page.locator(PROGRESS).count() == 0, "training went on after Stop"
        done, of = map(int, re.search(r"(\d+) of (\d+)", notice.inner_text()).groups())
        assert of == total and per_network <= done < total, notice.inner_text()
        assert count(page) == done // per_network  # a network shows once all its jobs are done
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}_stopped.png"), full_page=True)

        page.get_by_role("button", name="Continue training").click()
        page.wait_for_selector(PROGRESS, timeout=WAIT_MS)  # training resumed
        page.wait_for_selector(PROGRESS, state="detached", timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        assert notice.count() == 0, "the notice stayed after the rest was trained"
        assert count(page) == total // per_network
    finally:
        page.close()
