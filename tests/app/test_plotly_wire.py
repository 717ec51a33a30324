"""The figure a chart sends (viz.plotly_wire.sent): plotly's template written in where the figure
leaves a value unset, arrays as JSON lists, a fixed data revision. Expected values come from
plotly's own template objects, not from the module under test."""

import math

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from viz import figure_style, plotly_wire, ui

TEMPLATES = sorted({theme["template"] for theme in ui.THEMES.values()})


def _spec(fig: go.Figure) -> dict:
    return plotly_wire.sent(fig).to_dict()


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_template_fills_what_the_figure_leaves_unset_and_is_not_sent(name):
    fig = go.Figure(go.Scatter(x=[0.0, 1.0], y=[1.0, 2.0]))
    figure_style.set_template(fig, name)
    fig.update_layout(font_size=22, plot_bgcolor="#123456")
    template = pio.templates[name].layout
    layout = _spec(fig)["layout"]
    assert "template" not in layout
    assert layout["paper_bgcolor"] == template.paper_bgcolor
    assert layout["plot_bgcolor"] == "#123456"  # the figure's own value wins
    assert layout["font"]["size"] == 22
    assert layout["font"]["color"] == template.font.color
    assert layout["colorway"] == list(template.colorway)
    assert layout["xaxis"]["gridcolor"] == template.xaxis.gridcolor
    assert layout["yaxis"]["zerolinecolor"] == template.yaxis.zerolinecolor


def test_every_axis_of_a_grid_gets_the_template_axis_under_its_own_settings():
    fig = make_subplots(rows=1, cols=3)
    for col in (1, 2, 3):
        fig.add_trace(go.Scatter(x=[0, 1], y=[0, col]), row=1, col=col)
    figure_style.set_template(fig, "plotly_white")
    fig.update_xaxes(title_text="x")
    fig.update_layout(xaxis2_gridcolor="red")
    template = pio.templates["plotly_white"].layout
    layout = _spec(fig)["layout"]
    for axis in ("xaxis", "xaxis3"):
        assert layout[axis]["gridcolor"] == template.xaxis.gridcolor
    assert layout["xaxis2"]["gridcolor"] == "red"
    assert [layout[a]["title"]["text"] for a in ("xaxis", "xaxis2", "xaxis3")] == ["x"] * 3
    for axis in ("yaxis", "yaxis2", "yaxis3"):
        assert layout[axis]["linecolor"] == template.yaxis.linecolor
    # the axes' places on the page are the figure's own
    assert layout["xaxis2"]["domain"] == list(fig.layout.xaxis2.domain)


def test_annotations_and_shapes_get_the_template_item_defaults():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    figure_style.set_template(fig, "plotly_dark")
    fig.add_annotation(x=0.5, y=0.5, text="a", showarrow=True)
    fig.add_annotation(x=0.2, y=0.2, text="b", arrowcolor="red")
    fig.add_shape(type="line", x0=0, x1=1, y0=0, y1=0)
    template = pio.templates["plotly_dark"].layout
    layout = _spec(fig)["layout"]
    first, second = layout["annotations"]
    assert first["arrowcolor"] == template.annotationdefaults.arrowcolor
    assert first["arrowhead"] == template.annotationdefaults.arrowhead
    assert (first["text"], second["text"]) == ("a", "b")
    assert second["arrowcolor"] == "red"
    assert layout["shapes"][0]["line"]["color"] == template.shapedefaults.line.color
    assert "annotationdefaults" not in layout and "shapedefaults" not in layout


def test_traces_take_their_types_template_entries_in_turn():
    fig = go.Figure(
        [
            go.Bar(x=[0], y=[1]),
            go.Scatter(x=[0], y=[1]),
            go.Bar(x=[0], y=[2]),
            go.Bar(x=[0], y=[3]),
            go.Bar(x=[0], y=[4], marker_color="green"),
        ]
    )
    fig.layout.template = go.layout.Template(
        data={"bar": [go.Bar(marker_color="red"), go.Bar(marker_color="blue")]}
    )
    data = _spec(fig)["data"]
    bars = [trace for trace in data if trace["type"] == "bar"]
    assert [bar["marker"]["color"] for bar in bars] == ["red", "blue", "red", "green"]
    assert "marker" not in data[1]  # a scatter takes nothing from the bar entries
    assert [bar["y"] for bar in bars] == [[1], [2], [3], [4]]


def test_a_heatmap_takes_the_template_colour_scale_unless_it_has_its_own():
    z = np.arange(6.0).reshape(2, 3)
    fig = go.Figure([go.Heatmap(z=z), go.Heatmap(z=z, colorscale="Viridis")])
    figure_style.set_template(fig, "plotly_white")
    first, second = _spec(fig)["data"]
    expected = [list(pair) for pair in pio.templates["plotly_white"].data.heatmap[0].colorscale]
    assert [list(pair) for pair in first["colorscale"]] == expected
    assert second["colorscale"] != first["colorscale"]


def test_arrays_are_sent_as_lists_with_non_finite_values_as_null():
    x = np.array([0.0, np.nan, np.inf, -np.inf, 2.5])
    z = np.array([[1.0, np.nan], [3.0, 4.0]])
    fig = go.Figure(
        [
            go.Scatter(x=x, y=np.arange(5), text=np.array(["a", "b", "c", "d", "e"])),
            go.Heatmap(z=z),
        ]
    )
    line, heat = _spec(fig)["data"]
    assert line["x"] == [0.0, None, None, None, 2.5]
    assert line["y"] == [0, 1, 2, 3, 4] and all(isinstance(v, int) for v in line["y"])
    assert line["text"] == ["a", "b", "c", "d", "e"]
    assert heat["z"] == [[1.0, None], [3.0, 4.0]]
    floats = [v for v in line["x"] if v is not None]
    assert all(isinstance(v, float) and math.isfinite(v) for v in floats)


def test_every_figure_carries_the_same_fixed_data_revision():
    one = _spec(go.Figure(go.Scatter(x=[0], y=[1])))["layout"]["datarevision"]
    two = _spec(go.Figure(go.Bar(x=[0, 1], y=[2, 3])))["layout"]["datarevision"]
    assert one == two == plotly_wire.DATA_REVISION


def test_the_sent_figure_is_what_plotly_serialises():
    """st.plotly_chart serialises figure.to_dict() with plotly.io.to_json: the lists stay lists
    (no base64 typed arrays) and the JSON is valid (null, not NaN)."""
    import json

    import plotly.tools

    fig = go.Figure(go.Scatter(x=np.array([0.0, np.nan, 1.0]), y=np.array([1.0, 2.0, 3.0])))
    figure_style.set_template(fig, "plotly_white")
    as_sent = plotly.tools.return_figure_from_figure_or_data(plotly_wire.sent(fig), True)
    text = pio.to_json(as_sent, validate=False)
    decoded = json.loads(text)
    assert "NaN" not in text and "bdata" not in text
    assert decoded["data"][0]["x"] == [0.0, None, 1.0]
    assert decoded["layout"]["datarevision"] == plotly_wire.DATA_REVISION


def test_a_figure_that_went_through_a_cache_is_sent_as_lists_too():
    """st.cache_data pickles a figure through plotly's to_dict: its arrays come back as base64
    {dtype, bdata, shape} entries, which plotly.js cannot compare either."""
    import pickle

    z = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]])
    fig = pickle.loads(pickle.dumps(go.Figure([go.Heatmap(z=z), go.Scatter(x=np.arange(3))])))
    assert isinstance(fig.data[0].z, dict) or "bdata" in str(fig.to_plotly_json())
    heat, line = _spec(fig)["data"]
    assert heat["z"] == [[1.0, None, 3.0], [4.0, 5.0, 6.0]]
    assert line["x"] == [0, 1, 2]


def test_the_same_figure_is_the_same_text_whatever_order_it_was_built_in():
    """A figure rebuilt from a cache sets its layout in plotly's order, not the page's: the text
    sent must not differ (a different text is a new chart element, drawn again)."""
    one = go.Figure(go.Scatter(x=[0, 1], y=[1, 2]))
    one.update_layout(title_text="t", height=300)
    one.update_layout(margin={"l": 1, "r": 2})
    two = go.Figure(go.Scatter(x=[0, 1], y=[1, 2]))
    two.update_layout(margin={"r": 2, "l": 1})
    two.update_layout(height=300, title_text="t")
    assert pio.to_json(one.layout) != pio.to_json(two.layout)  # plotly's own text differs
    assert pio.to_json(plotly_wire.sent(one)) == pio.to_json(plotly_wire.sent(two))
