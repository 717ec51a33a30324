"""What a browser pays for each page: first paint and control-to-repaint, in chromium, as ratios to
a bare one-slider Streamlit page served in the same run.

For every page in app.py's navigation (at its default settings) and for the bare page:
    first paint  from navigation start until the script is idle and the page is drawn: its title,
                 every plotly chart's SVG and every KaTeX formula present, and no DOM change for
                 QUIET_MS (the time of the last change counts, not the quiet wait);
    repaint      from changing the main area's first control from the keyboard (a slider:
                 ArrowRight; a toggle: Space; a radio: ArrowDown; a number input: ArrowUp; a
                 select box or text input: a new value, then Enter) until the rerun has finished
                 and the DOM stopped changing (again the time of the last change). The clock
                 starts at the key that commits the change (typing into a box reruns nothing);
                 a key that starts no rerun is an error, not a fast repaint.
Pages and the bare page alternate within each round (the machine is shared and its load drifts);
the table reports medians over rounds and the ratios of medians. Target (issue 11): every ratio
at most 3. The row "(bare+chart)" is the bare page with one three-point plotly chart: what
plotly.js alone adds (its bundle loaded and parsed in each fresh browser context, the first
draw), the floor under every page that shows a chart.

    python benchmarks/browser_latency.py                    # every page, 5 rounds
    python benchmarks/browser_latency.py --rounds 3 --pages structure,softmax
    python benchmarks/browser_latency.py --query structure="st_widths=32,32,32,32,32,32,32,32,32"
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "app"))

import live_app  # noqa: E402

from viz import navigation  # noqa: E402

TARGET_RATIO = 3.0
CHART_FLOOR = "(bare+chart)"
QUIET_MS = 400
TIMEOUT_MS = 180_000
BARE_PAGE = """
import streamlit as st
value = st.slider("x", 0, 100, 50, key="x")
st.write(f"x = {value}")
"""
# The same page with one three-point plotly chart: what plotly.js itself costs a page (loading and
# parsing its bundle in a fresh browser context, the first Plotly.newPlot, Plotly.react on a
# change). Reported beside the pages, as a floor no page with a chart can go under.
CHART_PAGE = (
    BARE_PAGE
    + """import plotly.graph_objects as go
st.plotly_chart(go.Figure(go.Scatter(x=[0, 1, 2], y=[0, value, 0])), key="c")
"""
)

# In-page instrumentation: the time (performance.now) of the last DOM change in the app.
_OBSERVE_BODY = """
  window.__nnlabLast = performance.now();
  if (window.__nnlabObserver) window.__nnlabObserver.disconnect();
  window.__nnlabObserver = new MutationObserver(() => { window.__nnlabLast = performance.now(); });
  window.__nnlabObserver.observe(document, {subtree: true, childList: true,
                                            attributes: true, characterData: true});
"""
_OBSERVE = "() => {" + _OBSERVE_BODY + "}"
_DRAWN = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]'))
    return false;
  const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  if (plots.some(p => !p.querySelector('.main-svg'))) return false;
  if (document.querySelector('[data-testid="stSpinner"], [data-testid="stSkeleton"]'))
    return false;
  return true;
}
"""


def _settled(page, since_ms: float) -> float:
    """Wait until the page is drawn and quiet; return the time of its last DOM change (ms since
    since_ms, both on the page's performance clock)."""
    page.wait_for_function(_DRAWN, timeout=TIMEOUT_MS, polling=50)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        now, last = page.evaluate("() => [performance.now(), window.__nnlabLast || 0]")
        if now - last >= QUIET_MS:
            if page.evaluate(_DRAWN):
                return last - since_ms
        page.wait_for_timeout(50)
    raise TimeoutError(f"the page kept changing for {TIMEOUT_MS / 1000:.0f} s")


# Messages each page sent on its websocket (a moved widget sends Streamlit a rerun request).
_SENT: dict[int, list[int]] = {}


def first_paint(page, url: str) -> float:
    """Seconds from navigation start until the last DOM change of the drawn page."""
    sent = _SENT[id(page)] = []  # a new page may reuse a closed one's id
    page.on("websocket", lambda socket: socket.on("framesent", lambda _: sent.append(1)))
    page.add_init_script(_OBSERVE_BODY)  # runs before the page's own scripts
    page.goto(url, wait_until="commit")
    return _settled(page, 0.0) / 1000.0


# The controls the benchmark can move, with the keys that change each; the last key commits the
# change and starts the clock (a text input commits on Enter, a number input on ArrowUp; a select
# box opens on ArrowDown and takes the option on Enter).
CONTROLS = (
    ('[data-testid="stSlider"] input[type="range"]', ("ArrowRight",)),
    ('[data-testid="stCheckbox"] input', ("Space",)),
    ('[data-testid="stRadio"] input', ("ArrowDown",)),
    ('[data-testid="stSelectbox"] input', ("ArrowDown", "Enter")),
    ('[data-testid="stNumberInput"] input', ("ArrowUp",)),
    ('[data-testid="stTextInput"] input', ("End", "Backspace", "3", "Enter")),
)


def _first_control(page):
    """(locator, keys to press) of the main area's first control in document order."""
    main = page.locator('[data-testid="stMain"]')
    found = main.locator(", ".join(selector for selector, _ in CONTROLS))
    if not found.count():
        return None, ()
    first = found.first
    for selector, keys in CONTROLS:
        if first.evaluate("(element, selector) => element.matches(selector)", selector):
            return first, keys
    raise AssertionError("the first control matched no selector")


def repaint(page) -> tuple[float, str]:
    """Seconds from the key that commits a change of the page's first control until its last
    DOM change."""
    control, keys = _first_control(page)
    if control is None:
        return float("nan"), "-"
    control.focus()
    *prepare, commit = keys
    for key in prepare:
        page.keyboard.press(key)
    page.wait_for_timeout(100)  # the box shows what was typed (or the list opened)
    page.evaluate(_OBSERVE)
    sent = _SENT.get(id(page), [])
    requests = len(sent)
    start = page.evaluate("() => performance.now()")
    page.keyboard.press(commit)
    # the rerun starts within a few frames; wait for it, then for the page to settle
    try:
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stApp\"]')"
            ".getAttribute('data-test-script-state') === 'running'",
            timeout=2000,
            polling=10,
        )
    except Exception:  # a rerun faster than the polling is fine: it settled already
        pass
    seconds = _settled(page, start) / 1000.0
    if len(sent) == requests:
        raise RuntimeError(f"{'+'.join(keys)} on the first control asked for no rerun")
    return seconds, "+".join(keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", default="", help="comma-separated names, e.g. softmax,quiz")
    parser.add_argument(
        "--query", action="append", default=[], help="page=query, e.g. structure=st_m=8"
    )
    args = parser.parse_args()
    queries = dict(item.split("=", 1) for item in args.query)
    names = [entry[1].removesuffix(".py") for entry in navigation.existing_pages()]
    if args.pages:
        wanted = [name.strip() for name in args.pages.split(",")]
        names = [name for name in names if name in wanted]

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE_PAGE)
        chart_script = Path(folder) / "chart.py"
        chart_script.write_text(CHART_PAGE)
        with (
            live_app.serve() as app_url,
            live_app.serve(bare_script, cwd=Path(folder)) as bare_url,
            live_app.serve(chart_script, cwd=Path(folder)) as chart_url,
            sync_playwright() as playwright,
        ):
            browser = live_app.launch_chromium(playwright)
            results: dict[str, dict[str, list[float]]] = {}
            keys: dict[str, str] = {}
            targets = [("bare", bare_url + "/"), (CHART_FLOOR, chart_url + "/")] + [
                (
                    name,
                    f"{app_url}/{'' if name == 'home' else name}"
                    + (f"?{queries[name]}" if name in queries else ""),
                )
                for name in names
            ]
            for _, url in targets:  # warm the servers and Python's imports once
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                first_paint(page, url)
                page.close()
            for round_index in range(args.rounds):
                for name, url in targets:
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    paint = first_paint(page, url)
                    change, key = repaint(page)
                    page.close()
                    entry = results.setdefault(name, {"paint": [], "change": []})
                    entry["paint"].append(paint)
                    entry["change"].append(change)
                    keys[name] = key
                    print(f"  {name}: paint {paint:.2f} s, repaint {change:.2f} s", file=sys.stderr)
                print(f"round {round_index + 1}/{args.rounds} done", file=sys.stderr)
            browser.close()

    bare_paint = statistics.median(results["bare"]["paint"])
    bare_change = statistics.median(results["bare"]["change"])
    print(
        f"chromium, medians of {args.rounds} interleaved rounds; bare one-slider page: "
        f"first paint {bare_paint:.3f} s, repaint {bare_change:.3f} s (target: ratios <= "
        f"{TARGET_RATIO:g})\n"
    )
    header = (
        f"{'page':<16}{'paint s':>9}{'paint/bare':>12}{'repaint s':>11}{'repaint/bare':>14}"
        f"  {'keys':<22}{'within':>7}"
    )
    print(header)
    print("-" * len(header))
    all_met = True
    for name in [CHART_FLOOR, *names]:
        paint = statistics.median(results[name]["paint"])
        change = statistics.median(results[name]["change"])
        met = paint / bare_paint <= TARGET_RATIO and change / bare_change <= TARGET_RATIO
        if name != CHART_FLOOR:
            all_met &= met
        print(
            f"{name:<16}{paint:>9.3f}{paint / bare_paint:>12.2f}{change:>11.3f}"
            f"{change / bare_change:>14.2f}  {keys[name]:<22}{'yes' if met else 'NO':>7}"
        )
    print("\nevery page within the ratio" if all_met else "\nsome pages exceed the ratio (NO)")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
