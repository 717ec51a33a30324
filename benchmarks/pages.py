"""Render time of every dashboard page, measured with AppTest (no browser).

For each page listed in app.py's navigation:
    cold    the page's first run after switching to it, with Streamlit's caches cleared;
    change  a rerun after moving one widget (the first slider, else another input), warm.
Both are compared, in the same run and interleaved, with a baseline: the same AppTest machinery
rendering a one-line page (`st.title`), so the ratio shows what the page itself costs.
Targets from the issue: cold < 2 s, change < 0.5 s.

    python benchmarks/pages.py                # every page, 5 repeats
    python benchmarks/pages.py --repeats 9 --pages softmax,quiz
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from viz import navigation  # noqa: E402

APP = str(ROOT / "app.py")
COLD_TARGET_S = 2.0
CHANGE_TARGET_S = 0.5
TIMEOUT_S = 120


def _baseline_script():
    import streamlit as st

    st.title("baseline")


def time_baseline() -> float:
    """Seconds for AppTest to rerun a one-line page: the machinery's own cost per run."""
    at = AppTest.from_function(_baseline_script, default_timeout=TIMEOUT_S).run()
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


def move_one_widget(at: AppTest) -> str:
    """Move the first slider (else number input, selectbox, text input, toggle) of the main area
    to another valid value, without running; returns its key ("" when nothing could be moved)."""
    for slider in at.main.slider:
        if slider.key and not isinstance(slider.value, tuple):
            step = slider.step
            value = slider.value + step if slider.value + step <= slider.max else slider.min
            slider.set_value(value)
            return slider.key
    for number in at.main.number_input:
        if number.key:
            step = number.step or 1
            too_big = number.max is not None and number.value + step > number.max
            number.set_value(number.min if too_big else number.value + step)
            return number.key
    for box in at.main.selectbox:
        if box.key and len(box.options) > 1:
            box.select_index((box.index + 1) % len(box.options))
            return box.key
    for text in at.main.text_input:
        if text.key:
            text.set_value(f"{text.value}, 2")  # e.g. widths "3, 4, 2" -> "3, 4, 2, 2"
            return text.key
    for switch in at.main.toggle:
        if switch.key:
            switch.set_value(not switch.value)
            return switch.key
    return ""


def time_page(filename: str) -> tuple[float, float, str]:
    """(cold seconds, change seconds, moved widget key) for one page.

    Cold: caches cleared, then the run that first renders the page (for the home page that is
    app.py's first run, which renders it; for the others, the run after switch_page).
    """
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    if filename != "home.py":
        st.cache_data.clear()
        st.cache_resource.clear()
        at.switch_page(f"pages/{filename}")
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{filename}: {at.exception[0].message}")
    key = move_one_widget(at)
    start = time.perf_counter()
    at.run()
    change = time.perf_counter() - start
    return cold, change, key


def quiet_streamlit_logs() -> None:
    """Caches cleared outside a running app log a warning each time; keep the table readable."""
    logging.disable(logging.WARNING)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pages", default="", help="comma-separated names, e.g. softmax,quiz")
    args = parser.parse_args()
    quiet_streamlit_logs()

    pages = [entry[1] for entry in navigation.existing_pages()]
    if args.pages:
        wanted = {name.strip().removesuffix(".py") + ".py" for name in args.pages.split(",")}
        pages = [page for page in pages if page in wanted]

    print(f"AppTest render times, median of {args.repeats} interleaved repeats "
          f"(targets: cold < {COLD_TARGET_S} s, change < {CHANGE_TARGET_S} s)\n")  # fmt: skip
    header = (f"{'page':<18}{'cold s':>9}{'change s':>10}{'baseline s':>12}{'cold/base':>11}"
              f"{'change/base':>13}  {'moved widget':<16}{'targets':>8}")  # fmt: skip
    print(header)
    print("-" * len(header))
    all_met = True
    for page in pages:
        colds, changes, bases, key = [], [], [], ""
        for _ in range(args.repeats):
            bases.append(time_baseline())
            cold, change, key = time_page(page)
            colds.append(cold)
            changes.append(change)
        cold, change, base = (statistics.median(v) for v in (colds, changes, bases))
        met = cold < COLD_TARGET_S and change < CHANGE_TARGET_S
        all_met &= met
        print(f"{page.removesuffix('.py'):<18}{cold:>9.3f}{change:>10.3f}{base:>12.4f}"
              f"{cold / base:>11.1f}{change / base:>13.1f}  {key or '-':<16}"
              f"{'yes' if met else 'NO':>8}")  # fmt: skip
    print("\nall pages within targets" if all_met else "\nsome pages miss a target (see NO)")


if __name__ == "__main__":
    main()
