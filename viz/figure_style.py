"""How every chart of the app is styled: the theme's template, colours and type size, one colour
per quantity across panels, titles wrapped to fit a projector, dark ink turned light in the Dark
room. Pure functions of a figure and a theme; viz.ui.chart applies them with the page's current
theme and presenter mode.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from viz import chart_text, plotly_wire

# characters per line of a chart title (axis titles a little fewer) at the narrowest column a
# lecture shows: 1024 px wide with the sidebar open; presenter type is larger
TITLE_CHARS = {False: 64, True: 38}
MIN_TITLE_SCALE = 0.7
# pixels between tick labels and their axis: plotly's default puts the x axis's first label and
# the y axis's lowest one into each other at the corner where both axes start ("0" on "0")
TICK_STANDOFF = {False: 4, True: 10}
SUBPLOT_TITLE_PX, PRESENTER_PANEL_TITLE_PX = 16, 20
DARK_INK = {"#000", "#000000", "black", "#111", "#111111", "#222", "#222222", "#333", "#333333"}


def wrap_label(text: str | None, width: int) -> str | None:
    """Break a plotly label into lines of at most `width` characters at spaces (<br>)."""
    if not text or "<br" in text or len(chart_text.plain(text)) <= width:
        return text
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return "<br>".join(lines)


def style(fig: go.Figure, theme: dict[str, Any], presenter: bool) -> go.Figure:
    """Apply a theme (an entry of viz.ui.THEMES) and the type size, and keep the chart readable
    on a projector: one colour per trace name across panels, wrapped titles, legends below the
    plot in presenter mode (off the tick labels), dark text turned light in the Dark room."""
    font_size = 22 if presenter else 14
    set_template(fig, theme["template"])
    font: dict[str, Any] = {"size": font_size}
    if theme["dark"]:
        font["color"] = theme["font_colour"]
    layout = fig.layout
    _merge_into(layout, "font", font)
    layout.colorway = theme["colorway"]
    # the toolbar plotly shows on hover stands along the right edge: across the top it covered
    # the end of the chart's title
    _merge_into(layout, "modebar", {"orientation": "v"})
    if theme["dark"]:
        layout.paper_bgcolor = layout.plot_bgcolor = theme["paper"]
    if theme["line_width"] != 2.0:
        fig.update_traces(line_width=theme["line_width"], selector={"mode": "lines"})
    _one_colour_per_name(fig, theme["colorway"])
    _readable_labels(fig, presenter)
    if theme["dark"]:
        _light_ink(fig, theme["font_colour"])
    if not presenter:
        # presenter type at 1024 px has no room to spare: reserved margins narrowed its plots
        # until tick labels turned or ran into each other; plotly's own layout stays there
        reserve_margins(fig, MAIN_WIDTH * column_share())
    return fig


def set_template(fig: go.Figure, name: str) -> None:
    """Give the figure plotly's template `name` without validating it again.

    Assigning a template makes plotly copy and check every entry of it (the defaults of two dozen
    trace types): 25 ms a chart, a third of a rerun of the softmax page. The templates in
    plotly.io.templates are validated objects already, so the assignment skips the check; the
    figure's JSON is the same as after fig.update_layout(template=name)
    (tests/app/test_projector_helpers.py).
    """
    template = pio.templates[name]
    layout = fig.layout
    layout._validate = False  # plotly's own switch (go.Figure(..., _validate=False) sets it)
    try:
        layout.template = template
    finally:
        layout._validate = True


def _merge_into(layout: go.Layout, name: str, updates: dict) -> None:
    """layout[name] updated like fig.update_layout(name=updates), by one assignment: plotly's
    update_layout costs about 2.4 ms a call (its relayout bookkeeping), the assignment 0.1 ms,
    and styling made four such calls on each chart of every rerun."""
    current = layout[name]
    base = current.to_plotly_json() if current is not None else {}
    layout[name] = plotly_wire.under(base, updates)


def _one_colour_per_name(fig: go.Figure, colorway: Sequence[str]) -> None:
    """Traces that set no colour get one by their legend group or name, in order of first
    appearance, so the same quantity has the same colour in every panel of a figure."""
    keys: dict[str, str] = {}
    for trace in fig.data:
        if trace.type not in ("scatter", "scattergl", "bar", "histogram", "box", "violin"):
            continue
        key = trace.legendgroup or trace.name
        if not key:
            continue
        marker_colour = getattr(trace.marker, "color", None) if hasattr(trace, "marker") else None
        line_colour = getattr(trace.line, "color", None) if hasattr(trace, "line") else None
        if marker_colour is not None or line_colour is not None:
            keys.setdefault(key, line_colour if isinstance(line_colour, str) else "")
            continue
        if not keys.get(key):
            used = sum(1 for value in keys.values() if value)
            keys[key] = colorway[used % len(colorway)]
        colour = keys[key]
        if trace.type in ("scatter", "scattergl"):
            trace.line.color = colour
        trace.marker.color = colour


def _readable_labels(fig: go.Figure, presenter: bool) -> None:
    width = TITLE_CHARS[presenter]
    layout = fig.layout
    if layout.title and layout.title.text:
        # A long title first shrinks (down to MIN_TITLE_SCALE) to stay on one line: plotly draws
        # the extra lines of a wrapped title above the first one, off the top of the chart.
        # Only a title too long even then is wrapped, at its shrunk width.
        base = (layout.title.font.size if layout.title.font else None) or 1.2 * layout.font.size
        length = len(chart_text.plain(layout.title.text))
        scale = min(1.0, max(MIN_TITLE_SCALE, width / max(length, 1)))
        text = wrap_label(layout.title.text, int(width / scale))
        _merge_into(
            layout,
            "title",
            {
                "text": text,
                "font": {"size": round(base * scale, 1)},
                "automargin": True,
                "yref": "container",
                "y": 1.0,
                "yanchor": "top",
                "pad": {"t": 8 + round(text.count("<br>") * 1.3 * base * scale)},
            },
        )
    # the figure's own axes (select_*axes: dir(layout) listed and fetched every property)
    x_axes, y_axes = list(fig.select_xaxes()), list(fig.select_yaxes())
    for axes, axis_width in ((x_axes, width), (y_axes, int(width * 0.6))):
        for axis in axes:
            if axis.ticklabelstandoff is None:
                axis.ticklabelstandoff = TICK_STANDOFF[presenter]
            if axis.title and axis.title.text:
                axis.title.text = wrap_label(axis.title.text, axis_width)
                axis.automargin = True
    if presenter:
        _decades_only(fig, x_axes + y_axes)
    columns = max(1, len({axis.domain[0] for axis in x_axes if axis is not None and axis.domain}))
    for annotation in layout.annotations or []:
        on_paper = annotation.xref in (None, "paper") and annotation.yref in (None, "paper")
        if annotation.text and on_paper:
            # a panel's share of the title width; at normal size less the gap between panels
            # (two 29-character panel titles met at 1024 px), while presenter type's budget is
            # already narrow (a third line would climb out of the chart's top margin)
            share = width / columns * (1.0 if presenter else 0.8)
            annotation.text = wrap_label(annotation.text, max(12, int(share)))
            if presenter and annotation.font.size == SUBPLOT_TITLE_PX:
                # make_subplots's panel titles, 16 px under 22 px tick labels on a projector
                annotation.font.size = PRESENTER_PANEL_TITLE_PX
    legend = layout.legend
    below = legend.orientation == "h" and legend.y is not None and legend.y < 0
    if below or (presenter and legend.orientation != "h" and len(fig.data) > 1):
        # plotly reserves room for a legend referenced to the container, never to the plot
        _merge_into(
            layout,
            "legend",
            {
                "orientation": "h",
                "yref": "container",
                "y": 0.0,
                "yanchor": "bottom",
                "x": 0.0,
                "xanchor": "left",
            },
        )


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


PLOTLY_MARGIN = {"l": 80, "r": 80, "t": 100, "b": 80}


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
            need[side[0]] = max(need[side[0]], _axis_depth(fig, axis, default, letter, font))
    need["r"] = max(need["r"], _right_legend_width(fig, font))
    base = {side: layout.margin[side] for side in "lrtb"}
    base = {side: PLOTLY_MARGIN[side] if value is None else value for side, value in base.items()}
    pad = min(PUSH_PAD, *base.values())
    want = {side: max(base[side], need[side] + pad + 2 if need[side] else 0.0) for side in "lrtb"}
    # a legend referenced to the container's bottom is reserved below what the axes push; it
    # wraps its entries to the plot area's width
    below = _legend_below_height(fig, font, width - want["l"] - want["r"])
    if below:
        axes_b = need["b"] + pad + 2 if need["b"] else pad
        want["b"] = max(base["b"], axes_b + below)
    raised = {side: int(np.ceil(want[side])) for side in "lrtb" if want[side] > base[side]}
    if raised:
        _merge_into(layout, "margin", raised)


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


def _axis_depth(fig: go.Figure, axis, default, letter: str, font: float) -> float:
    """Pixels from the plot's edge to the far side of the axis's tick labels and title."""
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


def _text_em(text: str) -> float:
    """The width of a label in em (chart_text.plain(text) is what plotly draws)."""
    return sum(_EM.get(ch, UPPER_EM if ch.isupper() else CHAR) for ch in chart_text.plain(text))


def _label_em(fig: go.Figure, axis) -> float:
    """About the widest of a y axis's tick labels, in em of its font: plotly picks the ticks;
    this measures the ends of the axis's range (or its data's) rounded to a power of ten near a
    fifth of it, as rows of digits, a category axis's names and given tick texts by their
    letters, a log axis's "10^-3" as four digits."""
    if axis.ticktext:
        return max(_text_em(str(text)) for text in axis.ticktext)
    ref = "y" + axis.plotly_name[5:]
    if axis.type == "category":
        return max(_text_em(str(value)) for value in _category_values(fig, ref))
    if axis.type == "log":
        return 4 * CHAR
    if axis.range is not None and None not in axis.range:
        low, high = (float(value) for value in axis.range)
    else:
        values = _numbers_on(fig, "y", ref)
        if not values.size:  # categories (their own text is the label), or nothing drawn
            return max(4 * CHAR, *(_text_em(str(v)) for v in _category_values(fig, ref)))
        low, high = float(values.min()), float(values.max())
    span = high - low
    if not np.isfinite(span) or span <= 0:
        return CHAR * max(len(f"{low:.3g}"), 4)
    step = 10.0 ** np.floor(np.log10(span / 5))
    decimals = max(0, int(-np.floor(np.log10(step))))
    ends = [np.floor(low / step) * step, np.ceil(high / step) * step]
    return CHAR * max(len(f"{value:.{decimals}f}") for value in ends)


def _axis_data(fig: go.Figure, letter: str, ref: str) -> list:
    """The `letter` ("x" or "y") data of every trace drawn on axis `ref` ("y2")."""
    found = []
    for trace in fig.data:
        data = getattr(trace, letter, None)
        if data is not None and (getattr(trace, f"{letter}axis", None) or letter) == ref:
            found.append(data)
    return found


def _numbers_on(fig: go.Figure, letter: str, ref: str) -> np.ndarray:
    """The finite numbers drawn on an axis (traces of categories left out)."""
    values = [np.empty(0)]
    for data in _axis_data(fig, letter, ref):
        try:
            values.append(np.asarray(data, dtype=float).ravel())
        except (TypeError, ValueError):  # categories
            continue
    values = np.concatenate(values)
    return values[np.isfinite(values)]


def _category_values(fig: go.Figure, ref: str) -> list:
    """Every y value of the traces on axis `ref` (a category axis's labels)."""
    return [value for data in _axis_data(fig, "y", ref) for value in data] or [""]


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


def _legend_below_height(fig: go.Figure, font: float, width: float) -> float:
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


def _decades_only(fig: go.Figure, axes: list) -> None:
    """Presenter type: a log axis whose data span two decades or more labels the decades only.
    Its "2" and "5" between them ran into the powers of ten ("10^-3" on "2"); an axis spanning
    less keeps them, since they are then its only labels."""
    for axis in axes:
        if axis is None or axis.type != "log" or axis.dtick is not None or axis.minorloglabels:
            continue
        letter = axis.plotly_name[0]
        values = _numbers_on(fig, letter, letter + axis.plotly_name[5:])
        values = values[values > 0]
        if values.size and np.log10(values.max() / values.min()) >= 2:
            axis.minorloglabels = "none"


def _light_ink(fig: go.Figure, ink: str) -> None:
    """Black or near-black annotations, shapes and text set by a figure builder vanish on the
    Dark room's background: draw them in the theme's text colour."""
    for annotation in fig.layout.annotations or []:
        if str(annotation.font.color).lower() in DARK_INK:
            annotation.font.color = ink
        if annotation.arrowcolor and str(annotation.arrowcolor).lower() in DARK_INK:
            annotation.arrowcolor = ink
    for shape in fig.layout.shapes or []:
        if shape.line and str(shape.line.color).lower() in DARK_INK:
            shape.line.color = ink
    for trace in fig.data:
        line = getattr(trace, "line", None)
        if line is not None and isinstance(line.color, str) and line.color.lower() in DARK_INK:
            line.color = ink
        textfont = getattr(trace, "textfont", None)
        marker = getattr(trace, "marker", None)
        marker_colour = getattr(marker, "color", None) if marker is not None else None
        on_marker = isinstance(marker_colour, str) and "text" in str(getattr(trace, "mode", ""))
        if textfont is not None and not on_marker and str(textfont.color).lower() in DARK_INK:
            textfont.color = ink
