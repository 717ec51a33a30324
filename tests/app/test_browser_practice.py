"""Real-browser checks of what AppTest cannot drive: uploading a student's file to the grading
page (evaluated in the harness's sandbox), and Play on the playground (a run_every fragment).

Same rules as test_browser.py: Debian's chromium through Playwright (executable_path), skipped
with the reason when it is missing, failed instead when NNLAB_REQUIRE_BROWSER=1.
"""

import time

import pytest
from live_app import IDLE, ROOT

pytestmark = pytest.mark.browser

SHOTS = ROOT / "screenshots"
WAIT_MS = 90_000
NAIVE = ROOT / "exercises" / "mlp_basics" / "samples" / "naive" / "output_units.py"


def _metrics(page) -> dict:
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return dict(zip([label.strip() for label in labels], values, strict=False))


@pytest.mark.skipif(not NAIVE.exists(), reason="the mlp_basics naive sample is not present")
def test_student_upload_is_compared_through_the_sandbox(browser, server_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    try:
        query = (
            "gd_assignment=mlp_basics&gd_function=output_units.py%3A+softmax"
            "&gd_range=1000&gd_points=201"
        )
        page.goto(f"{server_url}/grading?{query}", wait_until="domcontentloaded")
        page.wait_for_selector(".katex", timeout=WAIT_MS)
        # a student's server (instructor_mode off, the default) shows the self-check alone;
        # the instructor's shows it as the first of three tabs
        tab = page.get_by_role("tab", name="Your function against the reference")
        if tab.count():
            tab.click()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').last.set_input_files(str(NAIVE))
        page.wait_for_selector('text="Inputs where yours differs"', timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        differs = _metrics(page)["Inputs where yours differs"]
        count, total = (int(part) for part in differs.split(" / "))
        assert total == 201 and count > 0  # the naive softmax overflows at |z| near 1000
        assert page.locator('[data-testid="stException"]').count() == 0
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "grading_student.png"), full_page=True)
    finally:
        page.close()


def test_playground_play_trains_and_pause_stops(browser, server_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    try:
        page.goto(f"{server_url}/playground", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        page.get_by_role("button", name="Play").click()
        page.wait_for_timeout(2000)
        first = int(_metrics(page)["Epoch"])
        started = time.perf_counter()
        page.wait_for_timeout(3000)
        second = int(_metrics(page)["Epoch"])
        rate = (second - first) / (time.perf_counter() - started)
        print(f"playground: {rate:.1f} updates per second observed in the browser")
        assert second > first, "Play did not advance the epochs"
        page.get_by_role("button", name="Pause").click()
        page.wait_for_timeout(1500)
        paused = int(_metrics(page)["Epoch"])
        page.wait_for_timeout(1500)
        assert int(_metrics(page)["Epoch"]) == paused, "Pause did not stop training"
        assert page.locator('[data-testid="stException"]').count() == 0
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "playground_trained.png"), full_page=True)
    finally:
        page.close()
