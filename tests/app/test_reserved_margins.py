"""viz.margins through figure_style.style: the room reserved around a plot for tick labels, axis
titles, category names and legends (normal type only, never shrinking a margin, outer panels
only, and more rows for a legend in a narrow column)."""

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from viz import figure_style, margins, ui


def _margins(fig: go.Figure) -> dict:
    return {side: fig.layout.margin[side] for side in "lrtb"}


def test_reserved_margins_grow_for_labels_and_never_shrink():
    """viz.margins.reserve_margins (plotly's own count of repeated draws is checked in
    chromium: tests/app/test_browser_a11y.py)."""
    theme = ui.THEMES["Standard"]
    tight = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    tight.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_title="x")
    styled = _margins(figure_style.style(tight, theme, presenter=False))
    assert styled["b"] > 10 and styled["l"] > 10  # tick labels and the x title need room
    assert styled["t"] == 10  # nothing stands above the plot
    # presenter type keeps plotly's own layout (its plots have no room to spare at 1024 px)
    big = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    big.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_title="x")
    assert _margins(figure_style.style(big, theme, presenter=True)) == dict.fromkeys("lrtb", 10)
    # 22 px type needs more room than 14 px
    larger = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]), layout={"font": {"size": 22}})
    larger.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_title="x")
    figure_style.set_template(larger, theme["template"])
    margins.reserve_margins(larger, 820)
    assert _margins(larger)["b"] > styled["b"]
    # generous margins stay as they were
    roomy = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    roomy.update_layout(margin={"l": 200, "r": 200, "t": 200, "b": 200})
    assert _margins(figure_style.style(roomy, theme, presenter=False)) == dict.fromkeys("lrtb", 200)


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_axes_without_tick_labels_reserve_no_room_for_them(theme):
    """A heat map grid that hides its tick labels and marks (the chain rule's) needs no room for
    the labels' standoff: plotly pushes no margin for labels it does not draw."""
    fig = make_subplots(rows=1, cols=2)
    for col in (1, 2):
        fig.add_trace(go.Heatmap(z=[[0, 1], [1, 0]], showscale=False), row=1, col=col)
    fig.update_xaxes(showticklabels=False, ticks="")
    fig.update_yaxes(showticklabels=False, ticks="")
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    styled = figure_style.style(fig, ui.THEMES[theme], presenter=False)
    assert _margins(styled) == dict.fromkeys("lrtb", 10)


def test_named_heat_maps_reserve_no_legend():
    """plotly.js leaves heat maps out of the legend unless told otherwise: their names reserve
    no room beside the plot (the structure page's heat maps lost 124 px on the right)."""
    fig = make_subplots(rows=1, cols=3)
    for col in (1, 2, 3):
        fig.add_trace(go.Heatmap(z=[[0, 1]], name=f"a long heat map name {col}"), row=1, col=col)
    fig.update_xaxes(showticklabels=False, ticks="")
    fig.update_yaxes(showticklabels=False, ticks="")
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    styled = figure_style.style(fig, ui.THEMES["Standard"], presenter=False)
    assert _margins(styled) == dict.fromkeys("lrtb", 10)
    # the same names on lines are a legend, and take room
    lines = go.Figure([go.Scatter(y=[0, 1], name=f"a long line name {i}") for i in (1, 2, 3)])
    lines.update_xaxes(showticklabels=False, ticks="")
    lines.update_yaxes(showticklabels=False, ticks="")
    lines.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    assert _margins(figure_style.style(lines, ui.THEMES["Standard"], presenter=False))["r"] > 10


def test_a_category_axis_reserves_the_width_of_its_names_letters():
    """Category names are measured by their letters (a comma or a space is half a digit wide):
    reserving every character as a digit narrowed the plot of the width/depth page's strip of
    networks ("[1, 64, 8, 1] (633 p.)") by a third of its labels' width."""
    names = ["[1, 64, 8, 1] (633 p.)", "[1, 8, 64, 1] (633 p.)"]
    fig = go.Figure(go.Bar(y=names, x=[1, 2], orientation="h"))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    styled = figure_style.style(fig, ui.THEMES["Standard"], presenter=False)
    # Liberation Sans (chromium's stand-in for plotly's font) at 14 px: digits 0.556 em, space,
    # comma, period and brackets 0.278 em, parentheses 0.333 em, "p" 0.556 em
    em = 10 * 0.556 + 9 * 0.278 + 2 * 0.333 + 0.556 + 0.278
    label = 14 * em
    assert label < _margins(styled)["l"] < label + 40  # + standoff, pad; not 22 digits' width


def test_only_the_outer_panels_of_a_grid_reserve_margins():
    theme = ui.THEMES["Standard"]

    def grid(rows: int) -> go.Figure:
        fig = make_subplots(rows=rows, cols=1)
        for row in range(1, rows + 1):
            fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], showlegend=False), row=row, col=1)
        fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
        return figure_style.style(fig, theme, presenter=False)

    # the inner rows' x tick labels sit between the panels: the bottom margin is one row's
    assert _margins(grid(3)) == _margins(grid(1))


def test_a_legend_below_takes_more_rows_in_a_narrow_column():
    theme = ui.THEMES["Standard"]

    def with_legend(share: float) -> int:
        fig = go.Figure(
            [go.Scatter(x=[0, 1], y=[i, i], name=f"a long trace name {i}") for i in range(4)]
        )
        fig.update_layout(legend={"orientation": "h", "y": -0.2})
        with margins.in_column(share):
            return figure_style.style(fig, theme, presenter=False).layout.margin.b

    assert with_legend(0.4) > with_legend(1.0)
    assert margins.column_share() == 1.0  # the column's share ends with its block


def test_a_cached_figure_gets_the_room_a_fresh_one_gets():
    """st.cache_data hands back an unpickled figure, whose arrays are plotly's {dtype, bdata}
    typed arrays: its y tick labels were measured as categories, so the structure page's heat
    maps took 11 px more margin (and, with the gaps between panels, 66 px panels instead of 80)
    on every load after the first."""
    import pickle

    from viz import structure

    rng = np.random.default_rng(0)
    fresh = structure.heatmaps_figure(
        [rng.standard_normal((2, n)) for n in (3, 4, 4, 2)], list("abcd")
    )
    cached = pickle.loads(pickle.dumps(fresh))
    assert isinstance(cached.data[0].y, dict) and "bdata" in cached.data[0].y
    theme = ui.THEMES["Standard"]
    styled = [
        figure_style.style(fig, theme, presenter=False).to_plotly_json() for fig in (fresh, cached)
    ]
    assert styled[0]["layout"] == styled[1]["layout"]
