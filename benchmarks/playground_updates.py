"""How often the playground can update: the Python cost of one tick, and the live rate in a browser.

1. Python, per tick (always): one epoch of training (500 spirals points, [2, 16, 16, 3] tanh,
   batch 10, Adam) + the 80x80 decision surface + the live view (surface, curves, class maps).
   Candidate (used while playing): the view drawn as one JPEG (viz.playground_canvas);
   baseline, same run, interleaved: the same view as the plotly figure (plain dicts,
   viz.playground_figures, shown when paused) serialised as ``st.plotly_chart`` does. The
   implied ceiling is 1 / tick.
2. Browser (``--browser``): ``streamlit run app.py`` on a free port, Debian's chromium through
   Playwright opens /playground, presses Play and reads the epoch counter (one epoch per redraw)
   over several windows; while playing the page shows the live view as one JPEG (plotly only
   when paused: a headless chromium needs 200-280 ms to redraw a changed plotly chart).
   Baseline, same run: a one-metric page with the same ``@st.fragment(run_every=0.05)``, i.e.
   Streamlit's own ceiling on this machine now. The two alternate over ``--rounds`` rounds
   (the machine is shared; its load drifts). Target from the issue: at least 10 updates per
   second.

    python benchmarks/playground_updates.py              # Python ticks only
    python benchmarks/playground_updates.py --browser    # plus the live rate (needs chromium)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "app"))

import live_app  # noqa: E402
import plotly.io as pio  # noqa: E402
from _timing import compare  # noqa: E402

from viz import playground as session_module  # noqa: E402
from viz import playground_canvas as canvas  # noqa: E402
from viz import playground_figures as figures  # noqa: E402

TARGET_PER_SECOND = 10.0
BASELINE_PAGE = """
import streamlit as st
st.session_state.setdefault("n", 0)
@st.fragment(run_every=0.05)
def tick():
    st.session_state.n += 1
    st.metric("Epoch", st.session_state.n)
tick()
"""


def python_tick(picture: bool):
    session = session_module.Session.start(session_module.Settings())
    style = figures.theme_style()

    def tick():
        session.advance(1)
        probabilities = session.surface()
        if picture:  # the candidate: what the page sends while playing
            canvas.jpeg_bytes(canvas.live_image(probabilities, session, "t"))
        else:  # the baseline: the plotly figure (shown when paused), serialised
            figure = figures.live_figure(probabilities, session, "t", style)
            pio.to_json(figure.to_dict(), validate=False)

    return tick


def live_rates(url: str, press_play: bool, windows: int, seconds: float) -> list[float]:
    """Epoch counter increments per second, one value per window."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = live_app.launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(url, wait_until="networkidle")
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
        if press_play:
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
            page.get_by_role("button", name="Play").click()
        time.sleep(2.0)  # let the loop settle

        def epoch() -> int:
            return int(page.locator('[data-testid="stMetricValue"]').first.inner_text())

        rates = []
        for _ in range(windows):
            start_epoch, started = epoch(), time.perf_counter()
            time.sleep(seconds)
            rates.append((epoch() - start_epoch) / (time.perf_counter() - started))
        browser.close()
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--browser", action="store_true", help="also measure the live rate")
    parser.add_argument("--windows", type=int, default=5, help="windows per round")
    parser.add_argument("--rounds", type=int, default=2, help="playground/baseline alternations")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    candidate, baseline, ratio = compare(python_tick(True), python_tick(False), repeats=9)
    print("Python per tick (train 1 epoch + surface + live view encoded), median of 9")
    print(
        f"  JPEG picture (playing)     {1000 * candidate:8.1f} ms  -> ceiling "
        f"{1 / candidate:6.1f} updates/s"
    )
    print(
        f"  plotly figure (paused)     {1000 * baseline:8.1f} ms  -> ceiling "
        f"{1 / baseline:6.1f} updates/s"
    )
    print(f"  ratio picture / plotly     {ratio:8.2f}")
    print(f"  load average               {os.getloadavg()[0]:8.2f} on {os.cpu_count()} cores")
    if not args.browser:
        return 0
    if not live_app.CHROMIUM.exists():
        print(f"no browser measurement: {live_app.CHROMIUM} is missing")
        return 1
    page_rates, base_rates = [], []
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "baseline.py"
        script.write_text(BASELINE_PAGE)
        for _ in range(args.rounds):
            with live_app.serve("app.py", ROOT) as url:
                page_rates += live_rates(f"{url}/playground", True, args.windows, args.seconds)
            with live_app.serve(script, Path(folder)) as url:
                base_rates += live_rates(url, False, args.windows, args.seconds)
    page, base = statistics.median(page_rates), statistics.median(base_rates)
    windows = args.rounds * args.windows
    print(f"Browser, updates per second, median of {windows} windows of {args.seconds:g} s")
    print(f"  playground (Play)          {page:8.1f}   windows {[round(r, 1) for r in page_rates]}")
    print(f"  one-metric fragment        {base:8.1f}   windows {[round(r, 1) for r in base_rates]}")
    print(f"  ratio playground / base    {page / base:8.2f}")
    print(
        f"  target >= {TARGET_PER_SECOND:g}/s: {'met' if page >= TARGET_PER_SECOND else 'NOT met'}"
    )
    print(f"  load average               {os.getloadavg()[0]:8.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
