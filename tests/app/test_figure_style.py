"""ui.style_figure and viz.figure_style without a browser: colours per quantity and per theme,
titles, legends, tick labels and log axes in normal and presenter type, the toolbar; and the fast
paths it takes (set_template, plotly_wire.merge_into) giving plotly's own result."""

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots
from streamlit.testing.v1 import AppTest

from viz import figure_style, palette, plotly_wire, ui


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
    # shrunk to fit one line where it can (83 characters: at normal size, 64 / 0.77), wrapped
    # at the shrunk width only beyond that (presenter: 38 / 0.7 = 54 characters a line)
    scale = styled["layout"]["title"]["font"]["size"] / (1.2 * (22 if presenter else 14))
    assert scale >= figure_style.MIN_TITLE_SCALE - 0.01
    assert len(lines) == (2 if presenter else 1)
    assert max(len(line) for line in lines) <= figure_style.TITLE_CHARS[presenter] / scale + 1
    legend = styled["layout"].get("legend", {})
    if presenter:  # below the plot, referenced to the container: plotly makes room for it
        assert legend["orientation"] == "h" and legend["yref"] == "container"


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
    assert _styled(fig, theme=theme)["layout"]["modebar"] == {"orientation": "v"}


@pytest.mark.parametrize(
    ("values", "presenter", "minor_labels"),
    [
        ([0.1, 1e-3, 2e-4], True, "none"),  # 2.7 decades: the decades alone
        ([0.1, 1e-3, 2e-4], False, None),  # normal type has room for 2 and 5
        ([0.7, 0.5, 0.3], True, None),  # under a decade: 2 and 5 are its only labels
        ([2.0, 0.05], True, "none"),  # 1.6 decades over 0.1 and 1: "10^-1" ran into "2"
        ([0.9, 0.02], True, None),  # 1.7 decades, one power of ten (0.1): 2 and 5 say the scale
        ([0.0, 0.015, 0.0], True, "none"),  # one value: plotly shows 0.0015..0.15
        ([0.0, -1.0], True, "none"),  # none: plotly shows 0.1..10
        ([0.0, -1.0, 1e-2, float("nan"), 1.0], True, "none"),  # what a log axis shows: 1e-2..1
    ],
)
def test_presenter_log_axes_spanning_decades_label_only_the_decades(
    values, presenter, minor_labels
):
    fig = go.Figure(go.Scatter(x=[1, 2, 3, 4, 5][: len(values)], y=values))
    fig.update_layout(yaxis_type="log")
    layout = _styled(fig, presenter=presenter)["layout"]
    assert layout["yaxis"].get("minorloglabels") == minor_labels
    assert "minorloglabels" not in layout.get("xaxis", {})  # a linear axis is left alone


@pytest.mark.parametrize(
    ("log_range", "minor_labels"),
    [
        ([-2.8, -0.8], "none"),  # 0.0016..0.16 around one point at 0.015: 10^-2 and 10^-1 shown
        ([-1, 1], "none"),  # 0.1..10 around no positive value at all (zero singular values)
        ([-0.6, 0.6], None),  # 0.25..4: one power of ten, so 2 and 5 stay
    ],
)
def test_a_written_log_range_decides_what_the_axis_labels(log_range, minor_labels):
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[0.0, 0.015, 0.0]))
    fig.update_layout(yaxis_type="log", yaxis_range=log_range)
    layout = _styled(fig, presenter=True)["layout"]
    assert layout["yaxis"].get("minorloglabels") == minor_labels


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
