"""How every chart of the app is styled: the theme's template, colours and type size, one colour
per quantity across panels, titles wrapped to fit a projector, dark ink turned light in the Dark
room; outside presenter mode the room its labels need is reserved first (viz.margins). Pure
functions of a figure and a theme; viz.ui.chart applies them with the page's current theme and
presenter mode.
"""

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from viz import chart_text, margins, plotly_wire

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
    plotly_wire.merge_into(layout, "font", font)
    layout.colorway = theme["colorway"]
    # the toolbar plotly shows on hover stands along the right edge: across the top it covered
    # the end of the chart's title
    plotly_wire.merge_into(layout, "modebar", {"orientation": "v"})
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
        margins.reserve_margins(fig, margins.MAIN_WIDTH * margins.column_share())
    return fig


def set_template(fig: go.Figure, name: str) -> None:
    """Give the figure plotly's template `name` without validating it again.

    Assigning a template makes plotly copy and check every entry of it (the defaults of two dozen
    trace types): 25 ms a chart, a third of a rerun of the softmax page. The templates in
    plotly.io.templates are validated objects already, so the assignment skips the check; the
    figure's JSON is the same as after fig.update_layout(template=name)
    (tests/app/test_figure_style.py).
    """
    template = pio.templates[name]
    layout = fig.layout
    layout._validate = False  # plotly's own switch (go.Figure(..., _validate=False) sets it)
    try:
        layout.template = template
    finally:
        layout._validate = True


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
        plotly_wire.merge_into(
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
        plotly_wire.merge_into(
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


def _decades_only(fig: go.Figure, axes: list) -> None:
    """Presenter type: a log axis whose range (written, else its data's) reaches over two powers
    of ten or more labels the decades only. Its "2" and "5" between them ran into the powers of
    ten ("10^-3" on "2", and "10^-1" on "2" over 1.6 decades); an axis with fewer keeps them,
    since they are then the labels that say its scale."""
    for axis in axes:
        if axis is None or axis.type != "log" or axis.dtick is not None or axis.minorloglabels:
            continue
        if axis.range is not None and None not in axis.range:  # a log axis's range: log10
            low, high = sorted(float(end) for end in axis.range)
        else:
            letter = axis.plotly_name[0]
            values = margins.numbers_on(fig, letter, letter + axis.plotly_name[5:])
            values = np.log10(values[values > 0])
            # one value, or none: plotly shows a decade either side of it, or 0.1..10
            low, high = (values.min(), values.max()) if values.size else (0.0, 0.0)
            if low == high:
                low, high = low - 1, high + 1
        if np.floor(high) > np.ceil(low):
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
