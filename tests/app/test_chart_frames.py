"""The frame around every chart (viz.margins.narrowest, page_css frame keys and CSS): the
width a chart reads at, from closed forms of its panels, titles and margins."""

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from viz import margins, page_css, plotly_wire


@pytest.mark.parametrize("rows, cols", [(1, 1), (1, 4), (2, 4), (3, 2), (1, 5)])
def test_panel_columns_counts_the_panels_side_by_side(rows, cols):
    fig = make_subplots(rows=rows, cols=cols)
    for row in range(1, rows + 1):
        for col in range(1, cols + 1):
            fig.add_trace(go.Scatter(x=[0, 1], y=[row, col]), row=row, col=col)
    assert margins.panel_columns(plotly_wire.sent(fig).to_dict()) == cols


def test_a_chart_is_readable_from_its_narrowest_panels_width_and_its_margins():
    # shared y axes: no labels stand between the panels (with them, see the next test)
    fig = make_subplots(rows=2, cols=3, horizontal_spacing=0.1, shared_yaxes=True)
    fig.update_layout(margin={"l": 55, "r": 140})
    spec = plotly_wire.sent(fig).to_dict()
    # three panels and two gaps of 0.1 share the plot: each panel gets 0.8 / 3 of it
    assert margins.narrowest(spec) == round(margins.PANEL_PX * 3 / 0.8 + 55 + 140)
    # one panel, margins left to plotly count as plotly's own, 80 px a side
    assert margins.narrowest({"layout": {}}) == margins.PANEL_PX + 160
    # a panel on part of the width (a colour bar beside it)
    spec = {"layout": {"xaxis": {"domain": [0, 0.75]}, "margin": {"l": 40, "r": 0}}}
    assert margins.narrowest(spec) == round(margins.PANEL_PX / 0.75 + 40)


def test_labels_between_panels_keep_the_width_their_gaps_were_sized_at():
    """A panel's y tick labels or title stand in the gap before it; viz.figure_style sized that
    gap for the narrowest main column, so the chart keeps that width (the column's share of it)."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1)
    fig.update_layout(margin={"l": 55, "r": 40})
    assert margins.narrowest(plotly_wire.sent(fig).to_dict()) == margins.NARROW_MAIN_PX
    with margins.in_column(0.5):
        expected = max(
            round(margins.NARROW_MAIN_PX / 2), round(margins.PANEL_PX * 2 / 0.9 + 55 + 40)
        )
        assert margins.narrowest(plotly_wire.sent(fig).to_dict()) == expected
    fig.update_yaxes(showticklabels=False, row=1, col=2)
    assert margins.narrowest(plotly_wire.sent(fig).to_dict()) < margins.NARROW_MAIN_PX
    fig.update_yaxes(title_text="class", row=1, col=2)
    assert margins.narrowest(plotly_wire.sent(fig).to_dict()) == margins.NARROW_MAIN_PX


def test_panels_titles_stay_apart_and_a_colour_bar_widens_the_right_margin():
    titles = ["data; line: w.x + b = 0", "n - 1 scores, z_n = 0"]  # 23 and 21 characters
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.1, shared_yaxes=True
    )
    fig.update_annotations(font_size=16)
    fig.update_layout(margin={"l": 30, "r": 10})
    spec = plotly_wire.sent(fig).to_dict()
    # centred over panels 0.55 of the plot apart, half of each title's width and a gap between
    half_widths = margins.TEXT_CHAR * 16 * (23 + 21) / 2
    plot = (half_widths + margins.TITLE_GAP_PX) / 0.55
    assert margins.narrowest(spec) == round(30 + plot + 10)
    heat = go.Figure(go.Heatmap(z=[[0, 1], [1, 0]]))
    heat.update_layout(margin={"l": 30, "r": 10})
    spec = plotly_wire.sent(heat).to_dict()
    assert margins.narrowest(spec) == margins.PANEL_PX + 30 + margins.COLOUR_BAR_PX
    heat.update_traces(showscale=False)
    assert margins.narrowest(plotly_wire.sent(heat).to_dict()) == margins.PANEL_PX + 40


def test_a_charts_frame_names_the_width_it_keeps_and_the_css_keeps_it():
    step, low, high = page_css.FRAME_STEP_PX, page_css.FRAME_MIN_PX, page_css.FRAME_MAX_PX
    assert page_css.frame_key(1, "c") == f"{page_css.FRAME}{low}_c"
    assert page_css.frame_key(low + 1, "c") == f"{page_css.FRAME}{low + step}_c"
    assert page_css.frame_key(low + step, "c") == f"{page_css.FRAME}{low + step}_c"
    # above LAPTOP_MAIN_PX, a frame has a name of its own, so that one rule serves them all
    wide = page_css.LAPTOP_MAIN_PX + step
    assert page_css.frame_key(wide, "c") == f"{page_css.WIDE_FRAME}{wide}_c"
    assert page_css.frame_key(10**6, "c") == f"{page_css.WIDE_FRAME}{high}_c"
    # every width a key can name: on a phone (NARROW_PX and below) the frame keeps it in full;
    # wider, it keeps at most a 1024 px laptop's main column, and so does the column holding it
    css = page_css.BASE
    narrow = css.split(f"@media (max-width: {page_css.NARROW_PX}px) {{")[1]
    narrow = narrow.split("\n}\n")[0]
    wide = css.split(f"@media not all and (max-width: {page_css.NARROW_PX}px) {{")[-1]
    wide = wide.split("\n}\n")[0]
    element = '> [data-testid="stElementContainer"]'
    column = '[data-testid="stMain"] [data-testid="stColumn"]'
    for width in range(low, high + 1, step):
        key = page_css.frame_key(width, "c")
        frame = f'[class*="st-key-{key.removesuffix("c")}"]'
        laptop = min(width, page_css.LAPTOP_MAIN_PX)
        if width > laptop:  # full width on a phone; the laptop's width by the shared rule
            assert f"{frame} {element} {{ min-width: {width}px; }}" in narrow
            frame = f'[class*="st-key-{page_css.WIDE_FRAME}"]'
        assert f"\n{frame} {element} {{ min-width: {laptop}px; }}" in css
        assert f"{column}:has({frame}) {{ min-width: {laptop}px; }}" in wide
    # the wide frames' name starts with the frames' name (page_script finds every frame by it)
    assert page_css.WIDE_FRAME.startswith(page_css.FRAME)
