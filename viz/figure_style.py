"""How every chart of the app is styled: the theme's template, colours and type size, one colour
per quantity across panels, lines drawn as shapes visible in every theme, titles and subtitles
wrapped to fit a projector (viz.figure_titles), gaps between panels wide enough for the inner
axes' labels, plots kept tall enough under a legend, dark ink turned light in the Dark room;
outside presenter mode the room its labels need is reserved first (viz.margins). Every width is
judged at the narrowest column a chart is shown in (margins.NARROW_MAIN_PX). Pure functions of a
figure and a theme; viz.ui.chart applies them with the page's current theme and presenter mode.
"""

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from viz import cell_ink, log_ticks, margins, page_css, plotly_wire
from viz.figure_titles import TITLE_CHARS, title_lines, wrap_label

FONT_PX = {False: 14, True: 22}  # the charts' type: tick labels, legends (titles 1.2 times it)
PANEL_GAP_PX = 6  # between a panel's last x tick label and the next panel's labels
# The least height of a panel's plot, and never less than its legend below it: at 1024 px in
# presenter type the gradient-norm chart's four legend rows left its plot 110 px, under its
# legend, and its log axis's labels ran into each other.
PLOT_FLOOR_PX = {False: 160, True: 200}
DEFAULT_HEIGHT_PX = 450  # plotly's, for a figure that sets none
# The right margin when nothing stands right of the plot (its legend is below): the toolbar's
# width. plotly's 80 px left two panels of the width/depth page 60 % of the column in presenter
# type, and a chart in half a row at 1024 px (274 px wide, sidebar open) a plot of 114 px.
RIGHT_MARGIN_PX = 36
_SCALED = {"heatmap", "contour", "histogram2d", "histogram2dcontour"}
# pixels between tick labels and their axis: plotly's default puts the x axis's first label and
# the y axis's lowest one into each other at the corner where both axes start ("0" on "0")
TICK_STANDOFF = {False: 4, True: 10}
SUBPLOT_TITLE_PX, PRESENTER_PANEL_TITLE_PX = 16, 20
DARK_INK = {"#000", "#000000", "black", "#111", "#111111", "#222", "#222222", "#333", "#333333"}


def style(fig: go.Figure, theme: dict[str, Any], presenter: bool) -> go.Figure:
    """Apply a theme (an entry of viz.ui.THEMES) and the type size, and keep the chart readable
    on a projector: one colour per trace name across panels, wrapped titles, legends below the
    plot in presenter mode (off the tick labels), dark text turned light in the Dark room."""
    font_size = FONT_PX[presenter]
    set_template(fig, theme["template"])
    font: dict[str, Any] = {"size": font_size}
    if theme["dark"]:
        font["color"] = theme["font_colour"]
    layout = fig.layout
    plotly_wire.merge_into(layout, "font", font)
    layout.colorway = theme["colorway"]
    # the toolbar plotly shows on hover stands along the right edge: across the top it covered
    # the end of the chart's title
    plotly_wire.merge_into(
        layout, "modebar", {"orientation": "v", **toolbar_colours(theme["dark"])}
    )
    if theme["dark"]:
        layout.paper_bgcolor = layout.plot_bgcolor = theme["paper"]
    if theme["line_width"] != 2.0:
        fig.update_traces(line_width=theme["line_width"], selector={"mode": "lines"})
    _one_colour_per_name(fig, theme["colorway"])
    _lines_drawn(fig, theme["line_width"])
    _readable_labels(fig, presenter)
    _colour_bar_titles_beside(fig)
    _narrow_right_margin(fig, presenter)
    _room_between_panels(fig, presenter)
    _room_for_the_plot(fig, presenter)
    if theme["dark"]:
        _light_ink(fig, theme["font_colour"])
    # a heat map's numbers on its own colours (an unpainted cell's on the plot's), in every theme
    cell_ink.ink_cells(fig, _plot_background(fig))
    if not presenter:
        # presenter type at 1024 px has no room to spare: reserved margins narrowed its plots
        # until tick labels turned or ran into each other; plotly's own layout stays there
        margins.reserve_margins(fig, margins.MAIN_WIDTH * margins.column_share())
    return fig


def toolbar_colours(dark: bool) -> dict[str, str]:
    """The chart toolbar's colours (plotly's layout.modebar): icons with 3:1 against an opaque
    background of their own (WCAG 2.1 SC 1.4.11: they identify its buttons). Plotly draws them
    at 30 % of a grey, 1.7:1 on white and 2.7:1 in the Dark room, on a half-transparent
    background that let the playground's map show through (1.6:1 over its colours); the hovered
    or chosen one is the link colour."""
    if dark:
        return {
            "color": page_css.DARK_MUTED,
            "activecolor": page_css.DARK_ON_RING,
            "bgcolor": page_css.DARK_BG,
        }
    return {
        "color": page_css.LIGHT_MUTED,
        "activecolor": page_css.FOCUS_LIGHT,
        "bgcolor": "#FFFFFF",
    }


def _lines_drawn(fig: go.Figure, width: float) -> None:
    """Lines drawn as layout shapes (add_vline, add_hline, viz.grid.vline_shape) that set no
    width or opacity of their own take the theme's line width, fully opaque: the Projector
    theme's template (plotly's simple_white) draws shapes with no line at 0.3 opacity, so the
    activation grid's probe line and the |x| panel's threshold did not show at all."""
    defaults = fig.layout.template.layout.shapedefaults if fig.layout.template else None
    if defaults is None:
        return
    hidden = defaults.line is not None and defaults.line.width == 0
    faint = defaults.opacity is not None and defaults.opacity < 1
    if not (hidden or faint):
        return
    for shape in fig.layout.shapes or []:
        if shape.type != "line":
            continue
        if shape.line.width is None:
            shape.line.width = width
        if shape.opacity is None:
            shape.opacity = 1.0


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
    # the figure's own axes (select_*axes: dir(layout) listed and fetched every property)
    x_axes, y_axes = list(fig.select_xaxes()), list(fig.select_yaxes())
    for axes, axis_width in ((x_axes, width), (y_axes, int(width * 0.6))):
        for axis in axes:
            if axis.ticklabelstandoff is None:
                axis.ticklabelstandoff = TICK_STANDOFF[presenter]
            if axis.title and axis.title.text:
                axis.title.text = wrap_label(axis.title.text, axis_width)
                axis.automargin = True
    _log_axis_labels(fig, x_axes + y_axes)
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
    title_lines(layout, presenter)  # after the panels' titles: the plot starts below both
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


def _last_label_em(fig: go.Figure, axis) -> float:
    """About the width of an x axis's last tick label, in em of its font: its given tick
    texts, its last category, a log axis's "10^3", else its range's (or data's) upper end."""
    if axis.ticktext:
        return margins.text_em(str(axis.ticktext[-1]))
    if axis.type == "log":
        return 4 * margins.CHAR
    if axis.range is not None and None not in axis.range:
        return margins.text_em(f"{float(max(axis.range)):.3g}")
    values = margins.numbers_on(fig, "x", "x" + axis.plotly_name[5:])
    if values.size:
        return margins.text_em(f"{float(values.max()):.3g}")
    names = [
        str(v) for data in margins.axis_data(fig, "x", "x" + axis.plotly_name[5:]) for v in data
    ]
    return margins.text_em(names[-1]) if names else 3 * margins.CHAR


def _narrow_right_margin(fig: go.Figure, presenter: bool) -> None:
    """A figure that sets no right margin and draws nothing right of its plot
    (no legend there, no colour bar, no right-hand axis) gets RIGHT_MARGIN_PX instead of
    plotly's 80 px; plotly still widens it for whatever needs more (automargin).

    Annotations push no margin: at normal type, in the narrower columns it has there, a figure
    with an annotation other than a centred panel title keeps plotly's margin for it (the
    hyperplane's "t = −b/‖w‖ = -1.333", written rightwards from its line, reached 18 px past
    the chart's edge). Presenter type keeps the narrow margin: the projector checks at 1024 and
    1280 px find those charts whole."""
    layout = fig.layout
    if layout.margin.r is not None:
        return
    if not presenter and any(
        not (note.xref == "paper" and note.xanchor in (None, "center"))
        for note in layout.annotations
    ):
        return
    legend = layout.legend
    if layout.showlegend is not False and legend.orientation != "h" and len(fig.data) > 1:
        return
    if any(getattr(trace, "coloraxis", None) or _colour_bar_of(trace) for trace in fig.data):
        return
    if any(axis.side == "right" for axis in fig.select_yaxes()):
        return
    plotly_wire.merge_into(layout, "margin", {"r": RIGHT_MARGIN_PX})


def _colour_bar_of(trace):
    """The colour bar a trace draws (its own, or its markers'), else None."""
    if getattr(trace, "showscale", None) or (
        trace.type in _SCALED and trace.showscale is not False
    ):
        return trace.colorbar
    marker = getattr(trace, "marker", None)
    if marker is not None and getattr(marker, "showscale", None):
        return marker.colorbar
    return None


def _colour_bar_titles_beside(fig: go.Figure) -> None:
    """Every vertical colour bar's title stands right of its tick labels, turned like a y axis's
    title, unless the figure placed it.

    plotly.js puts a colour bar's title on top by default and shortens the bar by the title's
    height and 5 px; the top tick label is centred on the bar's end, so half its line (9 px at
    14 px type, 14 px at 22 px) rose into the title: "share" on "0.15", "log₁₀ ratio" on "10"
    on the gradients page. Beside the bar the title shares no height with the tick labels, and
    plotly moves it past the widest of them."""
    bars = [_colour_bar_of(trace) for trace in fig.data]
    bars += [axis.colorbar for axis in fig.select_coloraxes() if axis.showscale is not False]
    for bar in bars:
        if bar is None or bar.orientation == "h":
            continue
        if bar.title.text and bar.title.side is None:
            bar.title.side = "right"


def _room_between_panels(fig: go.Figure, presenter: bool) -> None:
    """Panels side by side: widen the gap before a panel until it holds that panel's y tick
    labels and y axis title and the last x tick label of the panel before it, at the narrowest
    width the chart is shown (margins.NARROW_MAIN_PX, the chart's share of it). The panels
    share what is left in proportion to their widths, and their titles move with them.

    make_subplots's gap is a fixed share of the chart's width: in presenter type at 1024 px the
    right panel's y title "class" was drawn over the left panel's points, and a panel's y tick
    labels over its neighbour's curve. The gaps hold from that width up: margins.narrowest keeps
    such a chart at least as wide, so on a phone it scrolls in its frame instead of closing them."""
    layout = fig.layout
    x_axes = [axis for axis in fig.select_xaxes() if not axis.overlaying]
    columns = sorted({tuple(axis.domain or (0.0, 1.0)) for axis in x_axes})
    if len(columns) < 2 or any(b[0] < a[1] - 1e-9 for a, b in pairwise(columns)):
        return  # one column, or panels that overlap: not a row of panels
    x_names = {axis.plotly_name.replace("axis", "", 1): axis for axis in x_axes}
    template = layout.template.layout if layout.template else go.Layout()
    font = layout.font.size or FONT_PX[presenter]
    need = [0.0] * len(columns)  # px before each column
    overhang = [0.0] * len(columns)  # px of the column's last x tick label right of its plot
    for axis in x_axes:
        column = columns.index(tuple(axis.domain or (0.0, 1.0)))
        if axis.showticklabels is not False and axis.visible is not False:
            tick_font = (axis.tickfont.size if axis.tickfont else None) or font
            overhang[column] = max(overhang[column], 0.5 * tick_font * _last_label_em(fig, axis))
    for axis in fig.select_yaxes():
        if axis.overlaying or axis.visible is False or (axis.side or "left") != "left":
            continue
        anchor = x_names.get(axis.anchor or "x")
        if anchor is None:
            continue
        column = columns.index(tuple(anchor.domain or (0.0, 1.0)))
        if column:
            depth = margins.axis_depth(fig, axis, template["yaxis"], "y", font)
            need[column] = max(need[column], depth)
    chart = margins.NARROW_MAIN_PX * margins.column_share()
    plot = chart - sum(
        margins.PLOTLY_MARGIN[side] if layout.margin[side] is None else layout.margin[side]
        for side in "lr"
    )
    if plot <= 0:
        return
    gaps = [b[0] - a[1] for a, b in pairwise(columns)]
    wanted = [
        max(gap, (need[k + 1] + overhang[k] + PANEL_GAP_PX) / plot) if need[k + 1] else gap
        for k, gap in enumerate(gaps)
    ]
    extra = sum(wanted) - sum(gaps)
    widths = [high - low for low, high in columns]
    if extra <= 1e-9 or extra >= sum(widths):
        return
    shrink = (sum(widths) - extra) / sum(widths)
    moved, start = {}, columns[0][0]
    for k, (width, column) in enumerate(zip(widths, columns, strict=True)):
        # rounded, and the last panel ending where it did: plotly rejects a domain end of
        # 1.0000000000000002
        end = column[1] if k == len(columns) - 1 else round(start + width * shrink, 9)
        moved[column] = (round(start, 9), end)
        start = end + (wanted[k] if k < len(wanted) else 0.0)
    for axis in x_axes:
        axis.domain = moved[tuple(axis.domain or (0.0, 1.0))]
    for note in layout.annotations or []:  # the panels' titles, centred over their panels
        if note.xref != "paper" or note.x is None:
            continue
        for (low, high), (new_low, new_high) in moved.items():
            if abs(note.x - (low + high) / 2) < 1e-6:
                note.x = (new_low + new_high) / 2
                break


def _room_for_the_plot(fig: go.Figure, presenter: bool) -> None:
    """Make the figure tall enough that each panel's plot keeps PLOT_FLOOR_PX (and the height of
    a legend below it) after the title, the x axis's labels and the legend below take theirs, at
    the narrowest width the chart is shown (where the legend takes the most rows)."""
    if not any(hasattr(trace, "yaxis") for trace in fig.data):
        return  # no plot on axes (a pie, a table): nothing to keep
    layout = fig.layout
    font = layout.font.size or FONT_PX[presenter]
    template = layout.template.layout if layout.template else go.Layout()
    y_axes = [axis for axis in fig.select_yaxes() if not axis.overlaying]
    rows = [tuple(axis.domain or (0.0, 1.0)) for axis in y_axes] or [(0.0, 1.0)]
    lowest = min(low for low, _ in rows)
    y_names = {axis.plotly_name.replace("axis", "", 1): axis for axis in y_axes}
    axes_depth = 0.0
    for axis in fig.select_xaxes():
        anchor = y_names.get(axis.anchor or "y")
        on_bottom = (axis.side or "bottom") == "bottom" and axis.visible is not False
        if anchor is not None and on_bottom and (anchor.domain or (0.0, 1.0))[0] <= lowest + 1e-9:
            axes_depth = max(
                axes_depth, margins.axis_depth(fig, axis, template["xaxis"], "x", font)
            )
    margin = {
        side: margins.PLOTLY_MARGIN[side] if layout.margin[side] is None else layout.margin[side]
        for side in "lrtb"
    }
    plot_width = margins.NARROW_MAIN_PX * margins.column_share() - margin["l"] - margin["r"]
    legend = margins.legend_below_height(fig, font, plot_width)
    bottom = max(margin["b"], axes_depth + margins.PUSH_PAD + legend)
    share = min(high - low for low, high in rows)
    floor = max(PLOT_FLOOR_PX[presenter], legend)
    height = layout.height or DEFAULT_HEIGHT_PX
    if share > 0 and (height - margin["t"] - bottom) * share < floor:
        layout.height = int(np.ceil(margin["t"] + bottom + floor / share))


def _log_axis_labels(fig: go.Figure, axes: list) -> None:
    """A log axis without ticks of its own: fewer than two powers of ten in its range (written,
    else its data's) get viz.log_ticks's 1-2-5 ticks as plain numbers (plotly's own put every
    digit 2..9 between them, which ran into each other at presenter type, or turned them on
    their side under half a decade). An axis with two powers of ten or more labels the decades
    only: its "2" and "5" ran into the powers of ten at presenter type ("10^-3" on "2", and
    "10^-1" on "2" over 1.6 decades), and at normal type plotly's every digit 2..9 of a tall
    plot ran into each other in their smaller type (the gradients page with zero weights)."""
    for axis in axes:
        if axis is None or axis.type != "log" or axis.minorloglabels:
            continue
        if axis.dtick is not None or axis.tickvals is not None:  # the figure placed its own ticks
            continue
        if axis.range is not None and None not in axis.range:  # a log axis's range: log10
            low, high = sorted(10.0 ** float(end) for end in axis.range)
        else:
            letter = axis.plotly_name[0]
            values = margins.numbers_on(fig, letter, letter + axis.plotly_name[5:])
            values = values[values > 0]
            # one value, or none: plotly shows a decade either side of it, or 0.1..10
            low, high = (values.min(), values.max()) if values.size else (1.0, 1.0)
            if low == high:
                low, high = low / 10, high * 10
        if np.floor(np.log10(high)) > np.ceil(np.log10(low)):
            axis.minorloglabels = "none"
            continue
        ticks = log_ticks.tick_values(float(low), float(high))
        if len(ticks) >= 2:  # else (a range of a few percent) plotly's own labels say more
            axis.tickvals = ticks
            axis.ticktext = [log_ticks.tick_text(tick) for tick in ticks]


def _plot_background(fig: go.Figure) -> str:
    """The colour behind a figure's plots: its own, else its template's, else white."""
    template = fig.layout.template
    for layout in (fig.layout, template.layout if template else None):
        if layout is not None and isinstance(layout.plot_bgcolor, str):
            return layout.plot_bgcolor
    return "#FFFFFF"


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
        on_cells = trace.type == "heatmap"  # a heat map's numbers: on its own colours (cell_ink)
        if (
            textfont is not None
            and not (on_marker or on_cells)
            and str(textfont.color).lower() in DARK_INK
        ):
            textfont.color = ink
