"""The room a chart's labels need around its plot, reserved before plotly.js draws it.

plotly.js lays a chart out with its layout's margins, measures its tick labels, axis titles and
legend while drawing, and when they need more room (automargin) draws the whole chart again.
reserve_margins estimates that room from the figure (outer panels' tick labels and axis titles, a
legend beside the plot or below it wrapped to the chart's width) and raises the margins first,
so the chart is drawn once (docs/browser-latency.md; tests/app/test_browser_a11y.py counts
plotly's own repeated draws). viz.figure_style.style calls it outside presenter mode.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import plotly.graph_objects as go

from viz import chart_text, plotly_wire

# What plotly.js needs around the plot, per px of font size: a line of tick labels is 1.3 of its
# font tall; a digit 0.58 of it wide, a legend's letters 0.5 on average; an axis title's first line
# adds 0.75 of its font below the standoff, each further line 1.3. Autoexpand pads each push by
# min(12, the smallest margin). Measured in chromium (tests/app/test_browser_a11y.py checks that
# no chart is drawn twice).
LINE, CHAR, TEXT_CHAR, TITLE_FIRST_LINE, PUSH_PAD = 1.3, 0.58, 0.5, 0.75, 12
# The main column's width in px at a 1280 px laptop screen, which the server does not see. A
# legend below the plot wraps its entries to the chart's width (the column's share of it,
# viz.grid.cells); on a narrower screen it takes more rows and plotly widens the margin as before.
MAIN_WIDTH = 820
_SHARE: ContextVar[float] = ContextVar("nnlab_column_share", default=1.0)


def column_share() -> float:
    """The share of the main column's width the charts drawn here get (viz.grid.cells sets it
    inside a cell; 1 elsewhere)."""
    return _SHARE.get()


@contextmanager
def in_column(share: float) -> Iterator[None]:
    """Charts drawn inside get `share` of the enclosing width."""
    token = _SHARE.set(_SHARE.get() * share)
    try:
        yield
    finally:
        _SHARE.reset(token)


# The narrowest main column a chart is drawn in above a phone's width: 1024 px with the sidebar
# open (page_css.LAPTOP_MAIN_PX is what a chart's frame keeps of it).
NARROW_MAIN_PX = 564
PLOTLY_MARGIN = {"l": 80, "r": 80, "t": 100, "b": 80}
# The least width of one panel's plot that keeps its tick labels and title apart: the activation
# grid's panels read well at 86 px (a 1024 px laptop, whose main column then holds the grid
# without scrolling) and ran together at 70 (a phone's 288 px).
PANEL_PX = 80


def _x_domains(spec: dict) -> set[tuple[float, float]]:
    """The distinct domains of a chart's own x axes (not those overlaying another)."""
    return {
        tuple(value.get("domain") or (0.0, 1.0))
        for name, value in spec.get("layout", {}).items()
        if plotly_wire.subplot_kind(name) == "xaxis"
        and isinstance(value, dict)
        and not value.get("overlaying")
    }


def panel_columns(spec: dict) -> int:
    """How many panels a chart (its wire form, viz.plotly_wire.sent) puts side by side: its x
    axes' distinct domains (make_subplots gives each column its own); 1 without x axes."""
    return max(1, len(_x_domains(spec)))


def narrowest(spec: dict) -> int:
    """The least width in px at which a chart (its wire form) stays readable: its narrowest
    panel's plot PANEL_PX wide (the panels' domains share the plot area, gaps included),
    neighbouring panels' titles apart, and, where a panel's y tick labels or title stand in the
    gap before it, the plot as wide as viz.figure_style sized that gap for (NARROW_MAIN_PX, the
    column's share of it: on a phone such a chart scrolls in its frame rather than putting those
    labels on its neighbour); plus the left and right margins (where reserve_margins put the room
    for tick labels, axis titles and a legend beside the plot) and a colour bar."""
    layout = spec.get("layout", {})
    domains = _x_domains(spec)
    plot = PANEL_PX / max(min((high - low for low, high in domains), default=1.0), 0.01)
    plot = max(plot, _titles_apart(layout))
    margin = layout.get("margin") or {}
    left, right = (margin.get(side, PLOTLY_MARGIN[side]) for side in ("l", "r"))
    if _labels_between_panels(layout, domains):
        # viz.figure_style sized the gaps between the panels for this plot width
        plot = max(plot, NARROW_MAIN_PX * column_share() - left - right)
    if _colour_bar(spec):
        right = max(right, COLOUR_BAR_PX)  # plotly widens the right margin to hold it
    return round(left + plot + right)


def _labels_between_panels(layout: dict, domains: set[tuple[float, float]]) -> bool:
    """Whether a y axis of a panel right of the first column shows tick labels or a title: they
    stand in the gap before that panel."""
    if len(domains) < 2:
        return False
    first = min(low for low, _ in domains)
    for name, axis in layout.items():
        if plotly_wire.subplot_kind(name) != "yaxis" or not isinstance(axis, dict):
            continue
        if axis.get("overlaying") or axis.get("visible") is False or axis.get("side") == "right":
            continue
        anchor = layout.get("xaxis" + str(axis.get("anchor") or "x")[1:]) or {}
        if (anchor.get("domain") or (0.0, 1.0))[0] <= first + 1e-9:
            continue
        title = (
            (axis.get("title") or {}).get("text") if isinstance(axis.get("title"), dict) else None
        )
        if axis.get("showticklabels") is not False or title:
            return True
    return False


def _titles_apart(layout: dict) -> float:
    """The plot width at which neighbouring panels' titles (annotations standing on the plots'
    top edge, in paper coordinates, centred over their panels) do not run into each other."""
    font = (layout.get("font") or {}).get("size") or 12
    rows: dict[float, list[tuple[float, float]]] = {}
    for note in layout.get("annotations") or []:
        x, y = note.get("x"), note.get("y")
        if note.get("xref") != "paper" or note.get("showarrow"):
            continue
        if not (isinstance(x, int | float) and isinstance(y, int | float)):
            continue
        lines = re.split(r"<br\s*/?>", str(note.get("text") or ""))
        size = (note.get("font") or {}).get("size") or font
        width = TEXT_CHAR * size * max(len(re.sub(r"<[^>]+>", "", line)) for line in lines)
        rows.setdefault(round(y, 6), []).append((x, width))
    need = 0.0
    for titles in rows.values():
        titles.sort()
        for (x0, w0), (x1, w1) in zip(titles, titles[1:], strict=False):
            if x1 > x0:
                need = max(need, ((w0 + w1) / 2 + TITLE_GAP_PX) / (x1 - x0))
    return need


TITLE_GAP_PX = 8  # between two panels' titles

# The right margin a colour bar beside the plot takes (plotly's default: 30 px thick at x =
# 1.02, its tick labels after it): 94 px on the structure page's heat maps at a phone's width.
COLOUR_BAR_PX = 95
_SCALED = {"heatmap", "contour", "histogram2d", "histogram2dcontour"}


def _colour_bar(spec: dict) -> bool:
    """Whether a chart (its wire form) draws a colour bar."""
    layout = spec.get("layout", {})
    for trace in spec.get("data", []):
        shared = trace.get("coloraxis")
        if shared:
            if (layout.get(shared) or {}).get("showscale", True) is not False:
                return True
        elif trace.get("showscale") or (
            trace.get("type") in _SCALED and trace.get("showscale") is None
        ):
            return True
        elif (trace.get("marker") or {}).get("showscale"):
            return True
    return False


def reserve_margins(fig: go.Figure, width: float) -> None:
    """Raise the figure's margins to what its outer tick labels, axis titles and a legend at the
    right will need, so plotly.js draws it once.

    plotly.js lays a chart out with its margins first and measures the labels while drawing;
    when they need more room (automargin), it draws the whole chart again with the wider
    margins: twice the time for 18 of the app's 21 charts, 60 to 70 ms of 130 for the
    activation grid. Reserved in advance, the room is the same and the second draw does not
    happen (a margin too small still grows as before; one too large only adds white space).
    width: the chart's expected width in px (a legend below the plot wraps to it).
    """
    layout = fig.layout
    template = layout.template.layout if layout.template else go.Layout()
    font = layout.font.size or template.font.size or 12
    need = {"l": 0.0, "r": 0.0, "t": 0.0, "b": 0.0}
    x_axes, y_axes = list(fig.select_xaxes()), list(fig.select_yaxes())
    # each axis's domain read once (plotly's property access is slow: reading every domain
    # again for every axis was a quarter of a grid chart's rerun on the server)
    domains = {
        letter: {axis.plotly_name: tuple(axis.domain or (0.0, 1.0)) for axis in axes}
        for axes, letter in ((x_axes, "x"), (y_axes, "y"))
    }
    for axes, letter in ((x_axes, "x"), (y_axes, "y")):
        default = template[f"{letter}axis"]
        for axis in axes:
            if axis.visible is False or not _automargin(axis, default):
                continue
            side = axis.side or ("bottom" if letter == "x" else "left")
            if not _at_edge(axis, side, domains):
                continue
            need[side[0]] = max(need[side[0]], axis_depth(fig, axis, default, letter, font))
    need["r"] = max(need["r"], _right_legend_width(fig, font))
    base = {side: layout.margin[side] for side in "lrtb"}
    base = {side: PLOTLY_MARGIN[side] if value is None else value for side, value in base.items()}
    pad = min(PUSH_PAD, *base.values())
    want = {side: max(base[side], need[side] + pad + 2 if need[side] else 0.0) for side in "lrtb"}
    # a legend referenced to the container's bottom is reserved below what the axes push; it
    # wraps its entries to the plot area's width
    below = legend_below_height(fig, font, width - want["l"] - want["r"])
    if below:
        axes_b = need["b"] + pad + 2 if need["b"] else pad
        want["b"] = max(base["b"], axes_b + below)
    raised = {side: int(np.ceil(want[side])) for side in "lrtb" if want[side] > base[side]}
    if raised:
        plotly_wire.merge_into(layout, "margin", raised)


def _automargin(axis, default) -> bool:
    value = axis.automargin if axis.automargin is not None else default.automargin
    return bool(value)


def _at_edge(axis, side: str, domains: dict[str, dict[str, tuple]]) -> bool:
    """Whether the axis's labels stand at the outer edge of the plot area on its side (a grid's
    bottom row or left column); inner panels' labels push no margin.
    domains: "x" and "y" -> each axis's name ("xaxis2") -> its domain."""
    anchor = axis.anchor
    if anchor in (None, "free"):
        return True
    across = domains[anchor[0]]  # the axes of the other direction
    domain = across.get(f"{anchor[0]}axis{anchor[1:]}", (0.0, 1.0))
    spans = list(across.values()) or [(0.0, 1.0)]
    if side in ("bottom", "left"):
        return domain[0] <= min(span[0] for span in spans) + 1e-9
    return domain[1] >= max(span[1] for span in spans) - 1e-9


def axis_depth(fig: go.Figure, axis, default, letter: str, font: float) -> float:
    """Pixels from the plot's edge to the far side of the axis's tick labels and title.
    default: the template's axis of that letter; font: the chart's font size."""
    depth = 0.0
    ticks = axis.ticks if axis.ticks is not None else default.ticks
    if ticks == "outside":
        depth += axis.ticklen if axis.ticklen is not None else (default.ticklen or 5)
    if axis.showticklabels is not False:  # the labels' standoff only pushes with labels
        depth += float(axis.ticklabelstandoff or 0)
        tick_font = (axis.tickfont.size if axis.tickfont else None) or font
        if letter == "x":
            depth += LINE * tick_font
        else:
            depth += tick_font * _label_em(fig, axis)
    title = axis.title.text if axis.title else None
    if title:
        title_font = (axis.title.font.size if axis.title.font else None) or round(1.2 * font)
        standoff = axis.title.standoff
        if standoff is None:
            standoff = default.title.standoff if default.title else None
        lines = title.count("<br>") + 1
        depth += (standoff or 0) + title_font * (TITLE_FIRST_LINE + LINE * (lines - 1))
    return depth


# Widths of characters in em of the charts' font as chromium draws it (plotly's "Open Sans",
# verdana, arial: Liberation Sans where neither is installed); any other character counts as a
# digit. Room reserved beyond a label's width only narrows the plot (counted as digits, the
# width/depth page's network names "[1, 64, 8, 1] (633 p.)" took 40 % more than they need), so
# words are measured by their letters.
_EM = {
    **dict.fromkeys("0123456789=+_~<>#$?", 0.56),
    **dict.fromkeys(".,:;'!|/\\ []{}fijlt", 0.28),
    **dict.fromkeys('()-r"*', 0.33),
    **dict.fromkeys("abdeghnopqu", 0.56),
    **dict.fromkeys("cksvxyz^", 0.5),
    **dict.fromkeys("mwMW%@", 0.83),
}
UPPER_EM = 0.7


def text_em(text: str) -> float:
    """The width of a label in em (chart_text.plain(text) is what plotly draws)."""
    return sum(_EM.get(ch, UPPER_EM if ch.isupper() else CHAR) for ch in chart_text.plain(text))


def _label_em(fig: go.Figure, axis) -> float:
    """About the widest of a y axis's tick labels, in em of its font: plotly picks the ticks;
    this measures the ends of the axis's range (or its data's) rounded to a power of ten near a
    fifth of it, as rows of digits, a category axis's names and given tick texts by their
    letters, a log axis's "10^-3" as four digits."""
    if axis.ticktext:
        return max(text_em(str(text)) for text in axis.ticktext)
    ref = "y" + axis.plotly_name[5:]
    if axis.type == "category":
        return max(text_em(str(value)) for value in _category_values(fig, ref))
    if axis.type == "log":
        return 4 * CHAR
    if axis.range is not None and None not in axis.range:
        low, high = (float(value) for value in axis.range)
    else:
        values = numbers_on(fig, "y", ref)
        if not values.size:  # categories (their own text is the label), or nothing drawn
            return max(4 * CHAR, *(text_em(str(v)) for v in _category_values(fig, ref)))
        low, high = float(values.min()), float(values.max())
    span = high - low
    if not np.isfinite(span) or span <= 0:
        return CHAR * max(len(f"{low:.3g}"), 4)
    step = 10.0 ** np.floor(np.log10(span / 5))
    decimals = max(0, int(-np.floor(np.log10(step))))
    ends = [np.floor(low / step) * step, np.ceil(high / step) * step]
    return CHAR * max(len(f"{value:.{decimals}f}") for value in ends)


def axis_data(fig: go.Figure, letter: str, ref: str) -> list:
    """The `letter` ("x" or "y") data of every trace drawn on axis `ref` ("y2"). A figure that
    went through a pickle (st.cache_data) holds its arrays as plotly's {dtype, bdata} typed
    arrays: read as numbers, or a cached chart's labels were measured as categories and its
    margins and gaps came out wider on every load but the first."""
    found = []
    for trace in fig.data:
        data = getattr(trace, letter, None)
        if data is not None and (getattr(trace, f"{letter}axis", None) or letter) == ref:
            if isinstance(data, dict) and "bdata" in data:
                data = plotly_wire.typed_array(data)
            found.append(data)
    return found


def numbers_on(fig: go.Figure, letter: str, ref: str) -> np.ndarray:
    """The finite numbers drawn on an axis (traces of categories left out)."""
    values = [np.empty(0)]
    for data in axis_data(fig, letter, ref):
        try:
            values.append(np.asarray(data, dtype=float).ravel())
        except (TypeError, ValueError):  # categories
            continue
    values = np.concatenate(values)
    return values[np.isfinite(values)]


def _category_values(fig: go.Figure, ref: str) -> list:
    """Every y value of the traces on axis `ref` (a category axis's labels)."""
    return [value for data in axis_data(fig, "y", ref) for value in data] or [""]


def _right_legend_width(fig: go.Figure, font: float) -> float:
    """The room a vertical legend beside the plot takes (plotly's default legend position)."""
    layout = fig.layout
    legend = layout.legend
    if layout.showlegend is False or legend.orientation == "h":
        return 0.0
    if legend.x is not None and legend.x < 1:
        return 0.0
    names = _legend_names(fig)
    if not names:
        return 0.0
    legend_font = (legend.font.size if legend.font else None) or font
    # the line sample and its gap (40 px), the longest name, and plotly's x = 1.02 off the plot
    return 40 + TEXT_CHAR * legend_font * max(len(name) for name in names) + 20


def legend_below_height(fig: go.Figure, font: float, width: float) -> float:
    """The height of a horizontal legend at the container's bottom (style puts it there in
    presenter mode), its entries wrapped to `width`."""
    layout = fig.layout
    legend = layout.legend
    if layout.showlegend is False or legend.orientation != "h" or legend.yref != "container":
        return 0.0
    if legend.y is None or legend.y > 0:
        return 0.0
    names = _legend_names(fig)
    if not names:
        return 0.0
    legend_font = (legend.font.size if legend.font else None) or font
    rows, used = 1, 0.0
    for name in names:
        entry = 40 + TEXT_CHAR * legend_font * len(name) + 10
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows * (LINE * legend_font + 12) + 12


# trace types plotly.js leaves out of the legend unless showlegend is set (a heat map's colour
# scale is its key)
OFF_THE_LEGEND = {"heatmap", "contour", "histogram2d", "histogram2dcontour", "image", "surface"}


def _legend_names(fig: go.Figure) -> list[str]:
    """The names the legend lists (one per legend group)."""
    names, groups = [], set()
    for trace in fig.data:
        if not trace.name or trace.showlegend is False:
            continue
        if trace.type in OFF_THE_LEGEND and trace.showlegend is not True:
            continue
        group = trace.legendgroup or trace.name
        if group in groups:
            continue
        groups.add(group)
        names.append(chart_text.plain(trace.name))
    if fig.layout.showlegend is not True and len(names) < 2:
        return []
    return names
