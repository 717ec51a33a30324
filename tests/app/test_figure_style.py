"""ui.style_figure and viz.figure_style without a browser: colours per quantity and per theme,
titles, legends, tick labels and log axes in normal and presenter type, the toolbar; and the fast
paths it takes (set_template, plotly_wire.merge_into) giving plotly's own result."""

import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots
from streamlit.testing.v1 import AppTest

from viz import chart_text, figure_style, figure_titles, margins, palette, plotly_wire, ui


def _styled(fig, theme="Standard", presenter=False):
    """style_figure inside a script run, with the theme and presenter mode set."""

    def script():
        import streamlit as st

        from viz import ui

        st.session_state["presenter"] = st.session_state["_want_presenter"]
        st.session_state["theme"] = st.session_state["_want_theme"]
        st.session_state["_styled"] = ui.style_figure(st.session_state["_fig"]).to_dict()

    at = AppTest.from_function(script, default_timeout=30)
    at.session_state["_fig"] = fig
    at.session_state["_want_presenter"] = presenter
    at.session_state["_want_theme"] = theme
    at.run()
    assert not at.exception, at.exception
    return at.session_state["_styled"]


def test_one_quantity_keeps_one_colour_across_panels():
    """The tour's output-units defect: the same pair coloured differently in two panels."""
    fig = make_subplots(rows=1, cols=2)
    for col, names in ((1, ["identity + MSE", "sigmoid + NLL"]), (2, ["sigmoid + NLL"])):
        for name in names:
            fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], name=name, mode="lines"), 1, col)
    fig.data[2].update(name="identity + MSE")  # the right panel lists the pairs the other way
    fig.add_trace(go.Scatter(x=[0, 1], y=[1, 0], name="sigmoid + NLL", mode="lines"), 1, 2)
    styled = _styled(fig)
    colour = {}
    for trace in styled["data"]:
        colour.setdefault(trace["name"], set()).add(trace["line"]["color"])
    assert colour == {
        "identity + MSE": {palette.LIGHT[0]},
        "sigmoid + NLL": {palette.LIGHT[1]},
    }


def test_dark_room_turns_black_ink_light_and_keeps_explicit_colours():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line_color="black", name="a"))
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="lines", line_color="#0072B2", name="b"))
    fig.add_annotation(x=0, y=0, text="note", font_color="#000000")
    styled = _styled(fig, theme="Dark room")
    assert styled["data"][0]["line"]["color"] == ui.THEMES["Dark room"]["font_colour"]
    assert styled["data"][1]["line"]["color"] == "#0072B2"
    assert styled["layout"]["annotations"][0]["font"]["color"] == "#F2F2F2"
    assert styled["layout"]["paper_bgcolor"] == "#101418"


@pytest.mark.parametrize("presenter", [False, True])
def test_long_titles_wrap_and_legends_leave_the_ticks_alone(presenter):
    title = "Singular values of A^k ... A^(k-f+1): dl/dh^k carried down f layers of the network"
    fig = go.Figure(
        [go.Scatter(x=[0, 1], y=[0, 1], name="largest"), go.Scatter(x=[0, 1], y=[1, 0], name="b")]
    )
    fig.update_layout(title=title, xaxis_title="number of factors f (the product reaches down)")
    styled = _styled(fig, presenter=presenter)
    lines = styled["layout"]["title"]["text"].split("<br>")
    assert " ".join(lines) == title
    # shrunk towards one line, but never under the page's small text: then wrapped, in lines
    # of even length (83 characters: two lines at normal size, three in presenter type)
    size = styled["layout"]["title"]["font"]["size"]
    assert size == figure_titles.SMALL_TEXT_PX[presenter]
    per_line = figure_titles.TITLE_CHARS[presenter] * 1.2 * (22 if presenter else 14) / size
    assert len(lines) == (3 if presenter else 2)
    assert max(len(line) for line in lines) <= per_line
    assert max(len(line) for line in lines) - min(len(line) for line in lines) < 12
    legend = styled["layout"].get("legend", {})
    if presenter:  # below the plot, referenced to the container: plotly makes room for it
        assert legend["orientation"] == "h" and legend["yref"] == "container"


@pytest.mark.parametrize("presenter", [False, True])
def test_a_title_of_several_lines_is_placed_inside_the_chart(presenter):
    """The tour: the playground's layer view wrapped its title in presenter type and plotly's
    title automargin moved the lines up, the first one off the chart's top (hidden under the
    Layer select box). The title is placed without it: its first baseline at least its type size
    below the top, and the plot starts below its last line."""
    title = (
        "The plane as layer 2 sees it: the output layer separates the classes with straight lines"
    )
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    fig.update_layout(title=title, margin={"l": 60, "r": 20, "t": 60, "b": 60})
    layout = _styled(fig, presenter=presenter)["layout"]
    lines = layout["title"]["text"].split("<br>")
    size = layout["title"]["font"]["size"]
    assert len(lines) >= 2 and layout["title"]["automargin"] is False
    assert (layout["title"]["yref"], layout["title"]["yanchor"]) == ("container", "top")
    pad = layout["title"]["pad"]["t"]
    assert pad >= figure_titles.TITLE_PAD_PX + 0.9 * size  # the first line's top inside
    last_line_bottom = pad + (len(lines) - 1) * 1.3 * size + 0.25 * size
    assert layout["margin"]["t"] >= last_line_bottom + figure_titles.TITLE_GAP_PX


@pytest.mark.parametrize("presenter", [False, True])
def test_titles_and_subtitles_keep_the_page_small_text_size(presenter):
    """The tour: the activations page's |sigma'|^L title shrank to 11 px and its "<br><sup>"
    subtitle to 8 px. A subtitle (plotly's title.subtitle or the <sup> idiom) becomes the title's
    last lines in the small text size; the chart in words reads it after a colon."""
    long = "log10 |sigma'(z)|^L with z = 1 in every layer, one line per activation function"
    note = "one line for identity, relu, abs, leaky_relu (|sigma'| = 1)"
    for title in (
        {"text": long, "subtitle": {"text": note}},
        {"text": f"{long}<br><sup>{note}</sup>"},
    ):
        fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], name="a"))
        fig.update_layout(title=title)
        styled = _styled(fig, presenter=presenter)
        small = figure_titles.SMALL_TEXT_PX[presenter]
        assert small >= (23.2 if presenter else 14)  # the page's captions
        assert styled["layout"]["title"]["font"]["size"] >= small
        assert "subtitle" not in styled["layout"]["title"] or not styled["layout"]["title"][
            "subtitle"
        ].get("text")
        text = styled["layout"]["title"]["text"]
        (scale,) = re.findall(r'<br><span style="font-size:([0-9.]+)em">', text)
        size = styled["layout"]["title"]["font"]["size"]
        assert "<sup>" not in text and float(scale) * size == pytest.approx(small, abs=0.05)
        name, _ = chart_text.describe(go.Figure(layout=styled["layout"]))
        assert name == f"{long}: {note}"


def _gap_px(layout: dict, left: str, right: str, presenter: bool) -> float:
    """The gap between two panels in px at the narrowest width a chart is shown."""
    margin = layout.get("margin", {})
    plot = margins.NARROW_MAIN_PX - margin.get("l", 80) - margin.get("r", 80)
    return (layout[right]["domain"][0] - layout[left]["domain"][1]) * plot


@pytest.mark.parametrize("presenter", [False, True])
def test_a_panels_y_labels_stay_off_the_panel_before_it(presenter):
    """The tour: the |x| panel's y title "class" lay over the left panel's points, the depth
    panels' y tick labels over the neighbouring curve. The gap before a panel holds its y tick
    labels, its y title and the last x tick label of the panel before it; the panels' titles
    move with their panels."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=["data", "the unit's output h"])
    fig.add_trace(go.Scatter(x=[-2, 2], y=[-2, 2]), row=1, col=1)
    fig.add_trace(go.Scatter(x=[0, 2], y=[-0.5, 1.5]), row=1, col=2)
    fig.update_yaxes(title_text="class", row=1, col=2)
    layout = _styled(fig, presenter=presenter)["layout"]
    font = 22 if presenter else 14
    tick_labels = len("-0.5") * margins.CHAR * font  # the right panel's widest
    title = 0.75 * round(1.2 * font)  # "class", turned
    overhang = 0.5 * font * margins.CHAR  # the left panel's last x tick label "2", half of it
    assert _gap_px(layout, "xaxis", "xaxis2", presenter) >= tick_labels + title + overhang
    for note, axis in zip(layout["annotations"], ("xaxis", "xaxis2"), strict=True):
        assert note["x"] == pytest.approx(sum(layout[axis]["domain"]) / 2)
    # a panel without labels of its own in the gap keeps make_subplots's gap
    shared = make_subplots(rows=1, cols=2, shared_yaxes=True)
    shared.add_trace(go.Scatter(x=[0, 1], y=[0, 1]), row=1, col=1)
    shared.add_trace(go.Scatter(x=[0, 1], y=[0, 1]), row=1, col=2)
    kept = _styled(shared, presenter=presenter)["layout"]
    assert kept["xaxis2"]["domain"][0] - kept["xaxis"]["domain"][1] == pytest.approx(0.2 / 2)


@pytest.mark.parametrize("presenter", [False, True])
def test_a_legend_below_leaves_the_plot_its_height(presenter):
    """The tour: the gradient-norm chart at 1024 px in presenter type kept plotly's 450 px while
    its four legend rows went below the plot, which was left 110 px (under the legend's height)
    with its log axis's labels running into each other."""
    from viz import gradients as gradients_viz

    rng = np.random.default_rng(0)
    stats = {
        label: gradients_viz.LayerStats(
            grad_W=10.0 ** rng.uniform(-8, 0, 9), grad_h=10.0 ** rng.uniform(-8, 0, 9),
            hidden=[], saturated=np.zeros(8), singular=np.zeros((9, 3)), loss=1.0,
        )
        for label in ("at initialisation", "after 3 epochs")
    }  # fmt: skip
    layout = _styled(gradients_viz.gradient_norms_figure(stats), presenter=presenter)["layout"]
    font = 22 if presenter else 14
    legend = 4 * (margins.LINE * font + 12) + 12  # a row per entry at the narrowest, 564 px
    axis = figure_style.TICK_STANDOFF[presenter] + margins.LINE * font + 0.75 * round(1.2 * font)
    top = layout.get("margin", {}).get("t", margins.PLOTLY_MARGIN["t"])
    plot = layout.get("height", 450) - top - (axis + margins.PUSH_PAD + legend)
    assert plot >= max(figure_style.PLOT_FLOOR_PX[presenter], legend) - 1


@pytest.mark.parametrize("presenter", [False, True])
def test_charts_keep_no_empty_right_margin(presenter):
    """The tour: the depth panels of the width/depth page used 60 % of the column in presenter
    type, plotly's 80 px right margin empty beside them (their legend is below); at normal type
    the sawtooth's "Pieces per parameter", in half a row at 1024 px, kept a plot of 114 px."""
    fig = make_subplots(rows=1, cols=2)
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], name="a"), row=1, col=1)
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], name="b"), row=1, col=2)
    fig.update_layout(legend={"orientation": "h", "y": -0.2})  # below, as presenter type puts it
    assert (
        _styled(fig, presenter=presenter)["layout"]["margin"]["r"] == figure_style.RIGHT_MARGIN_PX
    )
    beside = go.Figure([go.Scatter(x=[0, 1], y=[0, 1], name=name) for name in "ab"])
    if not presenter:  # a legend at the right keeps its room (presenter type moves it below)
        assert _styled(beside, presenter=False)["layout"]["margin"]["r"] > 36
    heat = go.Figure(go.Heatmap(z=[[0, 1], [1, 0]]))  # its colour bar stands right of the plot
    assert "r" not in _styled(heat, presenter=presenter)["layout"].get("margin", {})
    own = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]), layout={"margin": {"r": 5}})
    assert _styled(own, presenter=presenter)["layout"]["margin"]["r"] == 5
    titled = make_subplots(rows=1, cols=2, subplot_titles=["left", "right"])  # centred titles
    titled.add_trace(go.Scatter(x=[0, 1], y=[0, 1]), row=1, col=1)
    assert (
        _styled(titled, presenter=presenter)["layout"]["margin"]["r"]
        == figure_style.RIGHT_MARGIN_PX
    )
    # a note written rightwards from a point of the plot may need the margin at normal type
    noted = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    noted.add_annotation(x=0.7, y=1, text="t = −b/‖w‖ = -1.333", xanchor="left", showarrow=False)
    right = _styled(noted, presenter=presenter)["layout"].get("margin", {}).get("r")
    assert right == (figure_style.RIGHT_MARGIN_PX if presenter else None)


@pytest.mark.parametrize("presenter", [False, True])
def test_tick_labels_stand_off_their_axes_unless_a_figure_says_otherwise(presenter):
    fig = make_subplots(rows=1, cols=2)
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1]), row=1, col=1)
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1]), row=1, col=2)
    fig.update_xaxes(ticklabelstandoff=0, row=1, col=2)
    layout = _styled(fig, presenter=presenter)["layout"]
    standoff = 10 if presenter else 4  # the corner's two lowest labels apart in both type sizes
    assert layout["xaxis"]["ticklabelstandoff"] == layout["yaxis"]["ticklabelstandoff"] == standoff
    assert layout["yaxis2"]["ticklabelstandoff"] == standoff
    assert layout["xaxis2"]["ticklabelstandoff"] == 0


@pytest.mark.parametrize("presenter", [False, True])
def test_colour_bar_titles_stand_beside_the_bar_unless_a_figure_placed_them(presenter):
    """A colour bar's title on top of the bar took its top tick label's upper half (the browser
    check: tests/app/test_browser_projector.py's colour bar test); beside it, it cannot."""
    fig = make_subplots(rows=1, cols=4)
    fig.add_trace(go.Heatmap(z=[[0, 1]], colorbar={"title": "share"}), row=1, col=1)
    fig.add_trace(go.Heatmap(z=[[0, 1]], showscale=False, colorbar={"title": "off"}), 1, 2)
    marker = {"color": [0, 1], "showscale": True, "colorbar": {"title": "h value"}}
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="markers", marker=marker), 1, 3)
    placed = {"title": {"text": "top", "side": "top"}}
    fig.add_trace(go.Heatmap(z=[[0, 1]], colorbar=placed), row=1, col=4)
    shared = go.Figure(go.Heatmap(z=[[0, 1]], coloraxis="coloraxis"))
    shared.update_layout(coloraxis_colorbar_title_text="class")
    data = _styled(fig, presenter=presenter)["data"]
    assert data[0]["colorbar"]["title"]["side"] == "right"
    assert "side" not in data[1].get("colorbar", {}).get("title", {})  # no bar drawn
    assert data[2]["marker"]["colorbar"]["title"]["side"] == "right"
    assert data[3]["colorbar"]["title"]["side"] == "top"
    layout = _styled(shared, presenter=presenter)["layout"]
    assert layout["coloraxis"]["colorbar"]["title"]["side"] == "right"


@pytest.mark.parametrize("presenter", [False, True])
def test_panel_titles_grow_with_presenter_type_and_other_labels_keep_their_size(presenter):
    fig = make_subplots(rows=1, cols=2, subplot_titles=["left panel", "right panel"])
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1]), row=1, col=1)
    fig.add_annotation(text="a note", x=0.5, y=0.5, xref="paper", yref="paper", font_size=12)
    titles, note = [], None
    for annotation in _styled(fig, presenter=presenter)["layout"]["annotations"]:
        if annotation["text"] == "a note":
            note = annotation
        else:
            titles.append(annotation)
    # make_subplots writes 16 px; presenter type draws ticks at 22 px, panel titles at 20
    assert [t["font"]["size"] for t in titles] == [20 if presenter else 16] * 2
    assert note["font"]["size"] == 12


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_the_toolbar_stands_along_the_right_edge_off_the_title(theme):
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    fig.update_layout(title="a title long enough to reach under a toolbar across the top")
    assert _styled(fig, theme=theme)["layout"]["modebar"]["orientation"] == "v"


@pytest.mark.parametrize(
    ("values", "presenter", "minor_labels", "ticks"),
    [
        ([0.1, 1e-3, 2e-4], True, "none", None),  # 2.7 decades: the decades alone
        ([0.1, 1e-3, 2e-4], False, "none", None),  # and in normal type (plotly's 2..9 met)
        ([2.0, 0.05], True, "none", None),  # 1.6 decades over 0.1 and 1: "10^-1" ran into "2"
        ([0.0, 0.015, 0.0], True, "none", None),  # one value: plotly shows 0.0015..0.15
        ([0.0, -1.0], True, "none", None),  # none: plotly shows 0.1..10
        ([0.0, -1.0, 1e-2, float("nan"), 1.0], True, "none", None),  # what it shows: 1e-2..1
        # fewer than two powers of ten: 1-2-5 from 0.7 of a decade, finer under it, in either
        # type (plotly's own put 2, 3, ..., 9 there: "5" ran into "6", "9" into "10^-2")
        ([0.9, 0.02], True, None, [0.02, 0.05, 0.1, 0.2, 0.5]),
        ([0.2, 0.018, 0.09], True, None, [0.02, 0.05, 0.1, 0.2]),
        ([0.07, 0.0018], False, None, [0.002, 0.005, 0.01, 0.02, 0.05]),
        ([0.7, 0.5, 0.3], True, None, [0.3, 0.4, 0.5, 0.7]),
        ([0.35, 0.14], False, None, [0.15, 0.2, 0.3]),  # plotly turned 0.14, 0.16, ... over
        ([0.149, 0.141], True, None, None),  # under one tick apart: plotly's own labels
    ],
)
def test_log_axes_label_few_decades_by_1_2_5_and_many_by_their_powers(
    values, presenter, minor_labels, ticks
):
    fig = go.Figure(go.Scatter(x=[1, 2, 3, 4, 5][: len(values)], y=values))
    fig.update_layout(yaxis_type="log")
    layout = _styled(fig, presenter=presenter)["layout"]
    assert layout["yaxis"].get("minorloglabels") == minor_labels
    assert layout["yaxis"].get("tickvals") == ticks
    if ticks is not None:
        assert layout["yaxis"]["ticktext"] == [f"{tick:g}" for tick in ticks]
    assert "minorloglabels" not in layout.get("xaxis", {})  # a linear axis is left alone
    assert "tickvals" not in layout.get("xaxis", {})


def test_a_log_axis_with_ticks_of_its_own_keeps_them():
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[0.3, 0.5, 0.7]))
    fig.update_layout(yaxis_type="log", yaxis_dtick=1, xaxis_type="log")
    fig.update_layout(xaxis_tickvals=[1, 3], xaxis_ticktext=["one", "three"])
    layout = _styled(fig, presenter=True)["layout"]
    assert "tickvals" not in layout["yaxis"] and layout["yaxis"]["dtick"] == 1
    assert layout["xaxis"]["tickvals"] == [1, 3] and layout["xaxis"]["ticktext"] == ["one", "three"]


@pytest.mark.parametrize(
    ("log_range", "minor_labels", "ticks"),
    [
        ([-2.8, -0.8], "none", None),  # 0.0016..0.16 around one point at 0.015: 10^-2, 10^-1
        ([-1, 1], "none", None),  # 0.1..10 around no positive value at all (zero singular values)
        ([-0.6, 0.6], None, [0.5, 1.0, 2.0]),  # 0.25..4: one power of ten, so 1-2-5
    ],
)
def test_a_written_log_range_decides_what_the_axis_labels(log_range, minor_labels, ticks):
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[0.0, 0.015, 0.0]))
    fig.update_layout(yaxis_type="log", yaxis_range=log_range)
    layout = _styled(fig, presenter=True)["layout"]
    assert layout["yaxis"].get("minorloglabels") == minor_labels
    assert layout["yaxis"].get("tickvals") == ticks


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_set_template_gives_the_validated_figure_and_keeps_validation_on(theme):
    """The unvalidated assignment gives the same figure as plotly's own validated one, and
    the figure checks what is set on it afterwards as before."""
    name = ui.THEMES[theme]["template"]

    def figure():
        fig = go.Figure()
        fig.add_scatter(x=[0, 1, 2], y=[1, 0, 2], name="a")
        fig.add_bar(x=[0, 1], y=[2, 3], name="b")
        fig.add_heatmap(z=[[0, 1], [1, 0]])
        fig.update_layout(title="t", font={"size": 14})
        return fig

    fast, checked = figure(), figure()
    figure_style.set_template(fast, name)
    checked.update_layout(template=name)
    assert fast.to_plotly_json() == checked.to_plotly_json()
    assert fast.layout.template.layout.paper_bgcolor == checked.layout.template.layout.paper_bgcolor
    with pytest.raises(ValueError):
        fast.update_layout(font={"size": "huge"})


@pytest.mark.parametrize(
    ("name", "updates"),
    [
        ("title", {"text": "t<br>two", "font": {"size": 18}, "pad": {"t": 30}, "y": 1.0}),
        ("legend", {"orientation": "h", "yref": "container", "y": 0.0, "x": 0.0}),
        ("font", {"size": 22, "color": "#eeeeee"}),
    ],
)
def test_merge_into_equals_plotlys_update_layout(name, updates):
    """style_figure assigns merged layout entries (20x faster than update_layout): the figure must
    come out as plotly's own update_layout leaves it, keeping what the builder had set."""

    def built() -> go.Figure:
        fig = go.Figure(go.Scatter(x=[0, 1], y=[1, 0], name="a"))
        fig.update_layout(
            title={"text": "old", "x": 0.5, "font": {"family": "serif", "color": "#123456"}},
            legend={"bgcolor": "#ffffff", "font": {"size": 9}, "y": 0.9},
            font={"family": "monospace", "size": 11},
        )
        return fig

    expected, fig = built(), built()
    expected.update_layout({name: updates})
    plotly_wire.merge_into(fig.layout, name, updates)
    assert fig.to_plotly_json() == expected.to_plotly_json()


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_lines_drawn_as_shapes_show_in_every_theme(theme):
    """The tour's Projector screenshots: the activation grid's probe line and the |x| panel's
    threshold were not drawn (plotly's simple_white draws shapes with no line, at 0.3 opacity).
    A filled band keeps the template's look."""
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    fig.add_vline(x=0.5, line_dash="dot")
    fig.add_hrect(y0=0, y1=0.5, fillcolor="#cccccc")
    line, band = _styled(fig, theme=theme)["layout"]["shapes"]
    defaults = pio.templates[ui.THEMES[theme]["template"]].layout.shapedefaults
    width = line.get("line", {}).get("width", defaults.line.width if defaults.line else 1)
    assert width is None or width >= 1
    assert line.get("opacity", defaults.opacity if defaults.opacity is not None else 1) == 1
    assert "width" not in band.get("line", {}) and "opacity" not in band


@pytest.mark.parametrize("theme", list(ui.THEMES))
@pytest.mark.parametrize("presenter", [False, True])
def test_panels_moved_apart_keep_domains_plotly_accepts(theme, presenter):
    """The gaps are widened in every theme (the Projector theme's outside ticks need more): the
    panels' domains stay in order inside [0, 1] (a last end of 1.0000000000000002 made plotly
    refuse the activation grid in the Projector theme)."""
    from viz import activations as activations_viz

    x = np.linspace(-5, 5, 101)
    curves = activations_viz.curves(activations_viz.ALL_ACTIVATIONS, x)
    for columns in (2, 4):
        fig = activations_viz.activations_grid_figure(x, curves, 1.0, columns=columns)
        layout = _styled(fig, theme=theme, presenter=presenter)["layout"]
        domains = sorted({tuple(v["domain"]) for k, v in layout.items() if k.startswith("xaxis")})
        assert all(0 <= low < high <= 1 for low, high in domains), domains
        assert all(a[1] < b[0] for a, b in zip(domains, domains[1:], strict=False)), domains


def test_a_chart_whose_gaps_hold_labels_keeps_the_width_they_were_sized_at():
    """On a phone the width/depth page's two panels were squeezed to fit their frame and the
    right panel's y tick labels lay on the left panel's curve: a chart with labels in a gap
    between panels keeps the width its gaps were sized at (it scrolls in its frame there), one
    whose inner panels show no labels keeps only PANEL_PX a panel."""
    labelled = make_subplots(rows=1, cols=2)
    bare = make_subplots(rows=1, cols=2, shared_yaxes=True)
    for fig in (labelled, bare):
        fig.add_trace(go.Scatter(x=[-1, 1], y=[-1, 1]), row=1, col=1)
        fig.add_trace(go.Scatter(x=[-1, 1], y=[-1, 1]), row=1, col=2)
    widths = {}
    for name, fig in (("labelled", labelled), ("bare", bare)):
        styled = figure_style.style(fig, ui.THEMES["Standard"], presenter=False)
        widths[name] = margins.narrowest(plotly_wire.sent(styled).to_dict())
    assert widths["labelled"] >= margins.NARROW_MAIN_PX
    assert widths["bare"] < margins.NARROW_MAIN_PX
