"""A chart in words: the text alternative a screen reader reaches under every chart.

`describe(fig)` reads the plotly figure itself (the same arrays the chart draws): its title, its
axes, and per trace the name, kind, number of points, the x and y ranges and the key values
(the largest and smallest y and where they are, the last point of a line; every value when there
are few). `as_html` renders it as a <details> block (keyboard-operable, sanitiser-safe, allowed
inside expanders, unlike st.expander).
"""

from __future__ import annotations

import html
import re
from typing import Any

import numpy as np
import plotly.graph_objects as go

from viz import plotly_wire

MAX_TRACES = 12
LIST_ALL_UP_TO = 8


def _array(value: Any) -> np.ndarray | None:
    """A trace's data as a numpy array (plotly keeps numpy arrays, lists or base64 dicts)."""
    if value is None:
        return None
    if isinstance(value, dict) and "bdata" in value:
        return plotly_wire.typed_array(value)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        return None
    return array if array.size else None


def plain(text: Any) -> str:
    """Plotly's label markup (<br>, <sup>, <b>, &nbsp;) as plain text. A <sup> that opens a
    new line is plotly's subtitle idiom ("Title<br><sup>note</sup>"), not an exponent; so is
    a line in a type size of its own (viz.figure_titles.subtitle_span)."""
    text = re.sub(r"<br\s*/?>\s*<sup>(.*?)</sup>", r": \1", str(text or ""))
    text = re.sub(
        r'<br\s*/?>\s*<span style="font-size:[^"]*">(.*?)</span>', r": \1", text, flags=re.S
    )
    text = re.sub(r"<br\s*/?>", " ", text)
    text = re.sub(r"<sup>(.*?)</sup>", r"^\1", text)
    text = re.sub(r"<sub>(.*?)</sub>", r"_\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).strip()


def number(value: Any) -> str:
    """A number as a short, readable string (4 significant digits)."""
    if isinstance(value, (str, bytes)):
        return str(value)
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not np.isfinite(v):
        return str(v)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    if 1e-3 <= abs(v) < 1e5:
        return f"{v:.4g}"
    return f"{v:.3e}"


FIXED_UP_TO = 1e6  # fixed() writes larger magnitudes in scientific notation


def fixed(value: float, digits: int = 3) -> str:
    """`value` with `digits` decimals and never "-0.000" (a value that rounds to zero); from
    FIXED_UP_TO on in scientific notation with `digits` decimals ("9.216e+299", not its 300
    digits), inf and nan as such."""
    value = float(value)
    if np.isfinite(value) and abs(value) >= FIXED_UP_TO:
        return f"{value:.{digits}e}"
    shown = f"{value:.{digits}f}"
    return shown.lstrip("-") if float(shown) == 0 else shown


def magnitude(value: float, digits: int = 3) -> str:
    """A loss, a variance or a spread, whose size matters at every scale: as fixed() (`digits`
    decimals), but scientific below 10^-digits too, so a variance of 3.4e-201 does not read
    0.000 (0 itself stays "0.000")."""
    value = float(value)
    if np.isfinite(value) and value != 0 and abs(value) < 10.0**-digits:
        return f"{value:.{digits}e}"
    return fixed(value, digits)


def factor(ratio: float) -> str:
    """A ratio of two positive numbers as a sentence writes it ("a factor 1.3 worse"): two
    significant digits below 10 (not "a factor 1" for 1.3), whole numbers up to FIXED_UP_TO,
    scientific beyond."""
    ratio = float(ratio)
    if not np.isfinite(ratio) or ratio >= FIXED_UP_TO:
        return f"{ratio:.1e}"
    return f"{ratio:.2g}" if ratio < 10 else f"{ratio:.0f}"


def values(a: Any) -> str:
    """A few numbers in words: each of them up to LIST_ALL_UP_TO, else their count and range."""
    a = np.ravel(np.asarray(a, dtype=float))
    if a.size <= LIST_ALL_UP_TO:
        return ", ".join(number(v) for v in a)
    return f"{a.size} values from {number(a.min())} to {number(a.max())}"


def _numeric(a: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return None
    try:
        numeric = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return None
    return numeric


def _finite_range(a: np.ndarray) -> tuple[float, float] | None:
    finite = a[np.isfinite(a)]
    if not finite.size:
        return None
    return float(finite.min()), float(finite.max())


def _axis_title(axis: Any) -> str:
    try:
        return plain(axis.title.text)
    except AttributeError:
        return ""


def _panel_titles(fig: go.Figure) -> dict[tuple[str, str], str]:
    """(xaxis, yaxis) of each titled panel -> its title: the paper-anchored annotation centred
    over the panel's x domain and just above its y domain (as make_subplots places them)."""
    titles = {}
    # (x, y, text) of each paper annotation, read once (plotly's attribute access is slow)
    notes = [
        (a.x, a.y, a.text)
        for a in (fig.layout.annotations or [])
        if a.text and a.xref == "paper" and a.x is not None
    ]
    pairs = {_axes_of(t) for t in fig.data} - {None}
    for x_ref, y_ref in pairs:
        try:
            x_axis = fig.layout[x_ref.replace("x", "xaxis", 1)]
            y_axis = fig.layout[y_ref.replace("y", "yaxis", 1)]
        except (KeyError, ValueError):  # an axis the layout does not define: no panel title
            continue
        (x0, x1), (_, y1) = x_axis.domain or (0, 1), y_axis.domain or (0, 1)
        above = [
            (y, text)
            for x, y, text in notes
            if x0 <= x <= x1 and abs(x - (x0 + x1) / 2) < 0.02 and y1 - 0.01 <= y <= y1 + 0.2
        ]
        if above:
            titles[(x_ref, y_ref)] = plain(min(above, key=lambda note: note[0])[1])
    return titles


def _axes_of(trace: Any) -> tuple[str, str] | None:
    """The (xaxis, yaxis) a cartesian trace is drawn on; None for a pie, a table, a polar..."""
    if not hasattr(trace, "xaxis") or not hasattr(trace, "yaxis"):
        return None
    return trace.xaxis or "x", trace.yaxis or "y"


def _trace_line(
    trace: Any, index: int, panels: dict[tuple[str, str], str] | None = None, lone: str = ""
) -> str:
    kind = trace.type or "scatter"
    name = plain(getattr(trace, "name", None))
    panel = (panels or {}).get(_axes_of(trace), "")
    if panel and name and name != panel:  # small multiples repeat their traces' names per panel
        name = f"{panel}, {name}"
    name = name or panel
    if not name and kind in ("heatmap", "contour"):
        colour_bar = getattr(getattr(trace, "colorbar", None), "title", None)
        name = plain(getattr(colour_bar, "text", None))
    name = name or lone or f"trace {index + 1}"  # lone: the chart's name, for its only trace
    if kind in ("heatmap", "contour", "surface", "image"):
        z = _numeric(_array(getattr(trace, "z", None)))
        if z is None:
            return f"{name}: {kind}"
        z = np.atleast_2d(z)
        span = _finite_range(z.ravel())
        text = f"{name}: {kind} of {z.shape[0]} rows x {z.shape[1]} columns"
        if span:
            text += f", values from {number(span[0])} to {number(span[1])}"
        return text
    x_raw = _array(getattr(trace, "x", None))
    y_raw = _array(getattr(trace, "y", None))
    if kind == "bar" and getattr(trace, "orientation", None) == "h":
        x_raw, y_raw = y_raw, x_raw
    if y_raw is None:
        return f"{name}: {kind}"
    y = _numeric(y_raw)
    if x_raw is None:
        x_raw = np.arange(len(np.ravel(y_raw)))
    x_list = list(np.ravel(x_raw))
    points = len(np.ravel(y_raw))
    mode = getattr(trace, "mode", None) or ""
    what = "bars" if kind == "bar" else ("line" if "lines" in mode else "points")
    text = f"{name}: line through {points} points" if what == "line" else f"{name}: {points} {what}"
    if y is None:
        return text
    y = np.ravel(y)
    finite = np.isfinite(y)
    if not finite.any():
        return text + ", no finite values"
    if points <= LIST_ALL_UP_TO:
        pairs = ", ".join(
            f"{plain(x) if isinstance(x, str) else number(x)}: {number(v)}"
            for x, v in zip(x_list, y, strict=False)
        )
        return f"{text}: {pairs}"
    x_num = _numeric(np.asarray(x_list, dtype=object))
    if x_num is not None:
        x_span = _finite_range(x_num)
        if x_span:
            text += f", x from {number(x_span[0])} to {number(x_span[1])}"
    low, high = (
        int(np.nanargmin(np.where(finite, y, np.inf))),
        int(np.nanargmax(np.where(finite, y, -np.inf))),
    )
    text += (
        f", y from {number(y[low])} (at x = {number(x_list[low])})"
        f" to {number(y[high])} (at x = {number(x_list[high])})"
    )
    if what == "line":
        last = int(np.flatnonzero(finite)[-1])
        text += f", last {number(y[last])} at x = {number(x_list[last])}"
    if not finite.all():
        text += f"; {int((~finite).sum())} points not finite (not drawn)"
    return text


def describe(fig: go.Figure) -> tuple[str, list[str]]:
    """(the chart's name, lines describing it) from the figure's own data.

    The name is the figure's title, or its panels' titles; a figure whose visible title is only
    a key (colours, line styles) names itself in layout.meta = {"name": ...} (plotly's field
    for extra information, never drawn), and one whose traces are drawing paths (a network's
    edges) gives its lines there too: {"lines": [...]}. A trace without a name is called by its
    panel's title (a grid of heat maps), else by its colour bar's title. A trace with
    meta="decoration" (an outline under a line) is not data and is left out."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    title = plain(fig.layout.title.text) if fig.layout.title else ""
    subtitle = fig.layout.title.subtitle.text if fig.layout.title else None
    if title and subtitle:  # plotly's own subtitle field (viz.figure_style folds it in)
        title += ": " + plain(subtitle)
    if meta.get("name"):
        title = str(meta["name"])
    if meta.get("lines"):  # a figure that knows its words better than its traces' paths do
        return title or "chart", [str(line) for line in meta["lines"]]
    subtitles = [plain(a.text) for a in (fig.layout.annotations or []) if a.text and a.xref != "x"]
    if not title and subtitles:  # a grid of panels: name them all (a few words each)
        title = "; ".join(subtitles[:12]) + (
            f" and {len(subtitles) - 12} more panels" if len(subtitles) > 12 else ""
        )
    lines = []
    axes = []
    for axis_name in ("xaxis", "yaxis", "xaxis2", "yaxis2"):
        axis = getattr(fig.layout, axis_name, None)
        label = _axis_title(axis) if axis is not None else ""
        if label:
            axes.append(f"{axis_name[0]}: {label}")
    if axes:
        lines.append("Axes: " + "; ".join(axes) + ".")
    shown = [
        t
        for t in fig.data
        if getattr(t, "visible", True) not in (False, "legendonly")
        and not (isinstance(t.meta, str) and t.meta == "decoration")  # meta may be an array
    ]
    panels = _panel_titles(fig)
    for index, trace in enumerate(shown[:MAX_TRACES]):
        lines.append(_trace_line(trace, index, panels, title if len(shown) == 1 else "") + ".")
    if len(shown) > MAX_TRACES:
        lines.append(f"... and {len(shown) - MAX_TRACES} more traces.")
    return title or "chart", lines


def accessible_name(name: str, summary: str | None = None) -> str:
    """The chart's own accessible name (st.plotly_chart's alt: role "figure" with this label):
    what it shows, a page's key sentence if it has one, and where the numbers are."""
    name = name or "chart"
    first = f"{summary} " if summary else ""
    return f"Chart: {name}. {first}In numbers below, under 'Chart in words'."


def as_html(name: str, lines: list[str]) -> str:
    """A <details> block: its summary names the chart, its list gives the numbers."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (
        '<details class="nnlab-chart-text">'
        f"<summary>Chart in words: {html.escape(name)}</summary><ul>{items}</ul></details>"
    )
