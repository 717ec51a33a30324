"""How often the playground can update: the Python cost of one tick, and the live rate in a browser.

1. Python, per tick (always): one epoch of training (500 spirals points, 350 of them for
   training, [2, 16, 16, 3] tanh, batch 10, Adam) + every unit's map on the 80x80 grid + the
   live picture (network diagram with every map and edge, decision surface, selected unit,
   curves, confusion matrix) encoded as JPEG (viz.playground_picture): what the page sends
   while playing. Baseline, same run, interleaved: the paused view, i.e. the same picture inside
   the plotly overlay with its hover and click targets (viz.playground_overlay), serialised as
   ``st.plotly_chart`` does.
2. Browser (``--browser``): ``streamlit run app.py`` on a free port, Debian's chromium through
   Playwright opens /playground, presses Play and reads the epoch counter (one epoch per redraw)
   over several windows, the per-neuron maps on (they always are). Baseline, same run: a
   one-metric page with the same ``@st.fragment(run_every=0.05)``, i.e. Streamlit's own ceiling
   on this machine now. The two alternate over ``--rounds`` rounds (the machine is shared; its
   load drifts). Target from issue 12: the playground at least 0.8 of the bare fragment's rate.

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
from viz import playground_overlay as overlay  # noqa: E402
from viz import playground_picture as picture  # noqa: E402

TARGET_RATIO = 0.8
BASELINE_PAGE = """
import streamlit as st
st.session_state.setdefault("n", 0)
@st.fragment(run_every=0.05)
def tick():
    st.session_state.n += 1
    st.metric("Epoch", st.session_state.n)
tick()
"""


def python_tick(as_picture: bool):
    session = session_module.Session.start(session_module.Settings())
    view = picture.View()

    def tick():
        session.advance(1)
        image, geometry = picture.live_picture(session, view, f"Epoch {session.epoch}")
        if as_picture:  # the candidate: what the page sends while playing
            canvas.jpeg_bytes(image)
        else:  # the baseline: the paused overlay, serialised
            figure = overlay.overlay_figure(image, geometry, session)
            pio.to_json(figure.to_dict(), validate=False)

    return tick


def live_rates(url: str, press_play: bool, windows: int, seconds: float) -> list[float]:
    """Epoch counter increments per second, one value per window."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = live_app.launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(url, wait_until="networkidle")
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=180_000)
        if press_play:
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=180_000)
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
    print("Python per tick (train 1 epoch + every unit's map + the picture), median of 9")
    print(
        f"  JPEG picture (playing)     {1000 * candidate:8.1f} ms  -> ceiling "
        f"{1 / candidate:6.1f} updates/s"
    )
    print(
        f"  plotly overlay (paused)    {1000 * baseline:8.1f} ms  -> ceiling "
        f"{1 / baseline:6.1f} updates/s"
    )
    print(f"  ratio picture / overlay    {ratio:8.2f}")
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
        f"  target ratio >= {TARGET_RATIO:g}: {'met' if page / base >= TARGET_RATIO else 'NOT met'}"
    )
    print(f"  load average               {os.getloadavg()[0]:8.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
