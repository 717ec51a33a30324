"""Real-browser checks of what AppTest cannot drive: uploading a student's file to the grading
page (evaluated in the harness's sandbox), and Play on the playground (a run_every fragment).

Same rules as test_browser.py: Debian's chromium through Playwright (executable_path), skipped
with the reason when it is missing, failed instead when NNLAB_REQUIRE_BROWSER=1.
"""

import re
import time
from urllib.parse import quote

import pytest
from browser_checks import axe_violations
from live_app import IDLE, ROOT, wait_settled

from viz import ui

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


IN_PLACE_RELU = "import numpy as np\n\ndef relu(z):\n    z[z < 0] = 0\n    return z\n"
POINTS = "x1,x2,y\n0.1,0.2,0\n-0.5,0.4,1\n0.7,-0.3,0\n-0.2,-0.6,1\n"


@pytest.mark.slow
@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_an_upload_and_what_it_shows_pass_axe_in_every_theme(browser, server_url, theme, tmp_path):
    """What a page shows once a file is uploaded (the file's chip, the self-check's metrics,
    warning and chart; the playground's note) is readable in every theme: the Dark room drew the
    chip's name in its light ink on Streamlit's white chip, 1.1:1."""
    student = tmp_path / "activations.py"
    student.write_text(IN_PLACE_RELU)
    points = tmp_path / "points.csv"
    points.write_text(POINTS)
    cases = [
        ("grading", "gd_function=activations.py%3A+relu", student, "changed its argument z"),
        ("playground", "pg_data=your+points", points, "4 points from points.csv"),
    ]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    try:
        for name, query, upload, shown in cases:
            page.goto(f"{server_url}/{name}?{query}&theme={quote(theme)}")
            page.wait_for_selector(IDLE, timeout=WAIT_MS)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
                str(upload)
            )
            page.wait_for_selector('[data-testid="stFileChip"]', timeout=WAIT_MS)
            page.get_by_text(shown).first.wait_for(timeout=WAIT_MS)
            wait_settled(page, WAIT_MS)
            assert page.locator('[data-testid="stException"]').count() == 0
            problems += [f"{name}: {v['id']}: {v['nodes'][:3]}" for v in axe_violations(page)]
    finally:
        page.close()
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_what_interactions_show_passes_axe_in_every_theme(browser, server_url, theme):
    """States a page reaches only through an interaction, which the per-page audits at the
    default settings never see: an error box from bad input, the playground's point editor, an
    answered quiz question, the slide notes' expanders opened."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    themed = f"theme={quote(theme)}"
    try:
        page.goto(f"{server_url}/?home_widths=abc&{themed}")
        wait_settled(page, WAIT_MS)
        assert page.locator('[data-testid="stAlertContentError"]').count() >= 1
        problems += [f"home error: {v['id']}: {v['nodes'][:3]}" for v in axe_violations(page)]

        page.goto(f"{server_url}/playground?{themed}")
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        page.get_by_role("button", name="Edit these points (click to add, export them)").click()
        page.get_by_role("button", name="Add this point").wait_for(timeout=WAIT_MS)
        wait_settled(page, WAIT_MS)
        problems += [f"point editor: {v['id']}: {v['nodes'][:3]}" for v in axe_violations(page)]

        page.goto(f"{server_url}/quiz?{themed}")
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        options = '[data-testid="stMain"] [data-testid="stRadio"] [role="radiogroup"] label'
        page.locator(options).first.click()  # the first question's first answer
        feedback = page.get_by_text(re.compile(r"^(Correct\.|Not quite: the answer is)"))
        feedback.first.wait_for(timeout=WAIT_MS)
        wait_settled(page, WAIT_MS)
        problems += [f"quiz answered: {v['id']}: {v['nodes'][:3]}" for v in axe_violations(page)]

        page.goto(f"{server_url}/slide_notes?{themed}")
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        for summary in page.locator('[data-testid="stExpander"] summary').all():
            summary.click()
        page.wait_for_timeout(300)
        wait_settled(page, WAIT_MS)
        problems += [f"notes opened: {v['id']}: {v['nodes'][:3]}" for v in axe_violations(page)]
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()
    assert not problems, "\n".join(problems)
