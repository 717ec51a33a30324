"""What a person in the room would see, measured in the live page: clipping, axe-core, focus.

Shared by the browser test modules, the browser latency benchmark and the screenshot script.
Every check runs in the page (Playwright's page.evaluate) and returns plain data, so a failing
test can print exactly which element is cut and by how much.

- `clipped(page)`: KaTeX formulas, metric labels and values, table columns and chart titles /
  axis titles that are cut off or reach past the right edge, measured with bounding boxes
  against their own container, the main column and the viewport (not with a screenshot);
  legends outside their chart or on its tick labels, labels written on a chart (annotations)
  that cover tick labels, tick labels that run into each other (where two axes meet, or
  between neighbouring panels), an axis title or tick label of one panel lying over another
  panel's plot, a chart title or subtitle in type smaller than the page's captions, a colour
  bar's title on its tick labels, its labels cut at the chart's edges, the bar on the legend or
  a plot.
- `narrow_panels(page)`: chart panels whose plot is narrower than PANEL_FLOOR_PX (neighbouring
  panels' titles and tick labels run together; ui.chart keeps each panel viz.margins.PANEL_PX).
- `scrolling_charts(page, frames)`: charts that scroll sideways in their frame.
- `small_control_text(page, floor_px)`: values in select boxes, text and number fields and a
  multiselect's chosen values set in type smaller than floor_px.
- `low_contrast_text(page)`: text in the main area under WCAG 1.4.3's ratio over what is painted
  behind it (text_contrast.js; axe-core leaves such text "incomplete" where it cannot place it
  on one background).
- `axe_violations(page)`: serious and critical axe-core violations (the axe-core build shipped by
  the PyPI package axe-playwright-python), every rule on every element, nothing excluded.
- `focus_ring(page)`: the focused element's outline / box-shadow, to check a visible focus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from live_app import SKELETON

SERIOUS = ("serious", "critical")
LOADING_MS = 60_000  # a machine loaded far beyond its cores takes seconds to load those

# The scripts Streamlit 1.67 loads only when a page first shows such an element: page links,
# st.html, select boxes, toggles and checkboxes, sliders, radio buttons, pills.
LAZY_CONTROL_CHUNKS = (
    "PageLink", "Html", "Selectbox", "Checkbox", "Slider", "Radio", "ButtonGroup",
)  # fmt: skip


def chunks(*names: str) -> re.Pattern:
    """The URLs of Streamlit's script chunks of these names (for page.route, to hold them back)."""
    return re.compile(r"/(" + "|".join(map(re.escape, names)) + r")\.[\w-]+\.js$")


@dataclass(frozen=True)
class Clip:
    """One element that a viewer cannot read in full."""

    kind: str  # formula, metric ..., table, chart title, axis title, legend, tick label, ...
    text: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} {self.text!r}: {self.detail}"


HERE = Path(__file__).resolve().parent


def _script(name: str) -> str:
    """A JavaScript function from a file beside this one, without its comment lines; a line
    "/* colour_math.js */" is replaced by that file's helpers (shared by the contrast checks)."""
    lines = []
    for line in (HERE / name).read_text().splitlines():
        if line.strip() == "/* colour_math.js */":
            lines.extend((HERE / "colour_math.js").read_text().splitlines())
        else:
            lines.append(line)
    return "\n".join(line for line in lines if not line.startswith("//")).strip()


_CLIP_JS = _script("clip_check.js")


def clipped(page) -> list[Clip]:
    """Every formula, metric, table, chart title, axis title, tick label or legend a viewer
    cannot read."""
    return [Clip(*row) for row in page.evaluate(_CLIP_JS)]


# A panel's plot narrower than this reads badly: tick labels and titles of neighbouring panels
# run together (the activation grid's were 70 px on a phone; viz.margins.PANEL_PX, the width
# ui.chart keeps for a panel, is 80).
PANEL_FLOOR_PX = 75

_PANEL_WIDTHS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
  .filter(gd => gd._fullLayout && gd.getBoundingClientRect().width > 0)
  .flatMap(gd => Object.keys(gd._fullLayout).filter(k => /^xaxis\\d*$/.test(k))
    .filter(k => !gd._fullLayout[k].overlaying)
    .map(k => [(gd.querySelector('.gtitle') || {}).textContent || '(untitled)', k,
               Math.round(gd._fullLayout[k]._length)]))"""


def narrow_panels(page) -> list[str]:
    """Every chart panel (x axis) whose plot is under PANEL_FLOOR_PX wide, as readable lines."""
    return [
        f"chart {title!r}: {axis}'s plot is {width} px wide"
        for title, axis, width in page.evaluate(_PANEL_WIDTHS_JS)
        if width < PANEL_FLOOR_PX
    ]


_SCROLLING_CHARTS_JS = """(frames) => [...document.querySelectorAll(frames)]
  .filter(f => f.getBoundingClientRect().width > 0 && f.scrollWidth > f.clientWidth + 1)
  .map(f => [(f.querySelector('.gtitle') || {}).textContent || '(untitled)',
             f.scrollWidth, f.clientWidth])"""


def scrolling_charts(page, frames: str) -> list[str]:
    """Charts wider than their place, scrolling sideways in their frame (`frames`: the frames'
    selector, viz.page_script.CHART_FRAME), as readable lines: right on a phone, a defect on a
    laptop or a projector."""
    return [
        f"chart {title!r} scrolls sideways: {wide} px in {shown} px"
        for title, wide, shown in page.evaluate(_SCROLLING_CHARTS_JS, frames)
    ]


# What a control holds, as a viewer reads it: a select box's, text field's or number field's
# value, and a multiselect's chosen values (not a slider's, whose number stands above its thumb)
_CONTROL_TEXT_JS = """() => [...document.querySelectorAll(
  '[data-testid="stMain"] :is([data-testid="stSelectbox"], [data-testid="stTextInput"], ' +
  '[data-testid="stNumberInput"]) input, ' +
  '[data-testid="stMain"] [data-testid="stMultiSelectTagsContainer"] span[title]')]
  .filter(e => e.getBoundingClientRect().width > 0 && (e.value || e.textContent || '').trim())
  .map(e => [(e.value || e.textContent).trim().slice(0, 40),
              parseFloat(getComputedStyle(e).fontSize)])"""


def small_control_text(page, floor_px: float) -> list[str]:
    """Values that controls hold set in type under floor_px, as readable lines."""
    return [
        f"control value {value!r} at {size:g} px, under {floor_px:g} px"
        for value, size in page.evaluate(_CONTROL_TEXT_JS)
        if size < floor_px
    ]


_TEXT_CONTRAST_JS = _script("text_contrast.js")


def low_contrast_text(page) -> list[str]:
    """Text under its contrast ratio as painted, as readable lines."""
    return [
        f"{text!r} {ratio}:1 < {needed}:1 ({detail})"
        for text, ratio, needed, detail in page.evaluate(_TEXT_CONTRAST_JS)
    ]


def axe_violations(page, loading: bool = False) -> list[dict]:
    """Serious and critical axe-core violations: [{id, impact, help, nodes: [selector...]}].

    Waits first until no element is still loading: the script run can end while an element
    whose code Streamlit loads lazily (a page link, a select box, st.html) still shows its
    skeleton. `loading=True` audits that state as it is (test_browser_a11y holds those scripts
    back to reach it)."""
    from axe_playwright_python.sync_playwright import Axe

    if not loading:
        page.wait_for_function(f"() => !document.querySelector('{SKELETON}')", timeout=LOADING_MS)
    results = Axe().run(page, options={"resultTypes": ["violations"]}).response
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [
                " ".join(str(t) for t in node["target"])
                + f": {node.get('failureSummary', '')[:200]}"
                for node in violation["nodes"]
            ],
        }
        for violation in results["violations"]
        if violation.get("impact") in SERIOUS
    ]


_FOCUS_JS = _script("focus_check.js")


def focused(page) -> dict | None:
    """The focused element: tag, role, label, size, and its visible focus ring (None if none)."""
    return page.evaluate(_FOCUS_JS)


# plotly.js's own count of the draws it repeats for autoexpand: `_fullLayout.
# _redrawFromAutoMarginCount` is set to 1 at the first repeat, then incremented. An accessor on
# Object.prototype (installed before plotly draws: an init script, or evaluated in a blank page)
# records each increment in window.__nnlabRepeats, with the chart's title and margins.
COUNT_LAYOUT_REPEATS = """
(() => {
  const values = new WeakMap();
  window.__nnlabRepeats = [];
  Object.defineProperty(Object.prototype, '_redrawFromAutoMarginCount', {
    configurable: true,
    get() { return values.get(this) || 0; },
    set(value) {
      if (value > (values.get(this) || 0)) {
        const size = this._size || {};
        const title = ((this.title || {}).text || '').slice(0, 40);
        window.__nnlabRepeats.push(`'${title}' margins ${JSON.stringify(this.margin)} -> ` +
          `l ${size.l}, r ${size.r}, t ${size.t}, b ${size.b}`);
      }
      values.set(this, value);
    },
  });
})();
"""


_CONTRAST_JS = _script("control_contrast.js")


def faint_controls(page) -> list[str]:
    """Controls whose boundary or state has under 3:1 against its surroundings (WCAG 2.1 SC
    1.4.11, which axe-core does not check): fields, radio circles, toggles, slider rails,
    buttons."""
    page.evaluate(_TRANSITIONS_DONE)  # a toggle's track fades to its colour
    return [f"{kind} {label!r}: {detail}" for kind, label, detail in page.evaluate(_CONTRAST_JS)]


_MARKS_JS = _script("mark_colours.js")


def mark_colours(page) -> list[list]:
    """Each radio circle, checkbox and toggle as painted (mark_colours.js): [kind, label,
    chosen, disabled, ring, fill, inner], the last three contrast ratios."""
    page.evaluate(_TRANSITIONS_DONE)  # a toggle's track fades to its colour
    return page.evaluate(_MARKS_JS)


# Resolves when every finite animation and CSS transition on the page has finished.
_TRANSITIONS_DONE = """() => Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished.catch(() => null)))"""
