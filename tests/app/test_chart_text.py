"""viz.chart_text, the text alternative of every chart: the numbers it reads from a figure (lines,
bars, heat maps, cached arrays, non-finite values), the chart's and each trace's name (panels,
subtitles, colour bars) and the HTML it is shown in."""

import pickle

import numpy as np
import plotly.graph_objects as go

from viz import chart_text


def test_chart_text_reads_the_figures_own_numbers():
    x = np.linspace(0.0, 4.0, 41)
    y = (x - 1.0) ** 2
    fig = go.Figure(go.Scatter(x=x, y=y, mode="lines", name="(x - 1)^2"))
    fig.add_trace(go.Bar(x=["a", "b", "c"], y=[3, 1, 2], name="counts"))
    fig.update_layout(title="A parabola", xaxis_title="x", yaxis_title="loss")
    name, lines = chart_text.describe(fig)
    assert name == "A parabola"
    assert lines[0] == "Axes: x: x; y: loss."
    # the minimum (x - 1)^2 = 0 sits at x = 1, the maximum 9 at x = 4, 41 points
    assert lines[1] == (
        "(x - 1)^2: line through 41 points, x from 0 to 4, y from 0 (at x = 1) to 9 (at x = 4), "
        "last 9 at x = 4."
    )
    assert lines[2] == "counts: 3 bars: a: 3, b: 1, c: 2."
    html = chart_text.as_html(name, lines)
    assert html.startswith('<details class="nnlab-chart-text"><summary>Chart in words: A parabola')


def test_chart_text_describes_heat_maps_and_non_finite_values():
    fig = go.Figure(go.Heatmap(z=[[1.0, -2.0, 3.0], [0.5, 0.0, 7.5]], name="W^1"))
    _, lines = chart_text.describe(fig)
    assert lines == ["W^1: heatmap of 2 rows x 3 columns, values from -2 to 7.5."]
    # a figure out of st.cache_data carries plotly's base64 form of the array, with its shape
    fig = go.Figure(go.Heatmap(z=np.array([[1.0, -2.0, 3.0], [0.5, 0.0, 7.5]]), name="W^1"))
    cached = pickle.loads(pickle.dumps(fig))
    assert "bdata" in cached.data[0].z
    assert chart_text.describe(cached)[1] == lines
    y = np.array([1.0, np.nan, 3.0, np.inf, 2.0, 0.5, 4.0, 6.0, 1.5, 2.5])
    _, lines = chart_text.describe(go.Figure(go.Scatter(y=y, mode="markers", name="p")))
    assert lines[0].endswith("; 2 points not finite (not drawn).")
    assert "y from 0.5 (at x = 5) to 6 (at x = 7)" in lines[0]


def test_chart_text_names_every_panel_and_reads_a_subtitle_as_words():
    """A grid's name lists all its panels (not the first four of eight), a title's
    "<br><sup>note</sup>" (plotly's subtitle) reads as ": note", a <sup> after a word as ^."""
    from plotly.subplots import make_subplots

    names = ["identity", "sigmoid", "tanh", "relu", "softplus", "abs", "leaky_relu", "gelu"]
    fig = make_subplots(rows=2, cols=4, subplot_titles=names)
    name, _ = chart_text.describe(fig)
    assert name == "; ".join(names)
    fig = go.Figure(layout={"title": "|sigma'(z)|<sup>L</sup> at z = 1<br><sup>one line</sup>"})
    name, _ = chart_text.describe(fig)
    assert name == "|sigma'(z)|^L at z = 1: one line"
    # viz.figure_style's subtitle: the title's last lines in a type size of their own
    fig = go.Figure(
        layout={"title": 'a title<br><span style="font-size:0.893em">one<br>line</span>'}
    )
    assert chart_text.describe(fig)[0] == "a title: one line"
    fig = go.Figure(layout={"title": {"text": "a title", "subtitle": {"text": "one line"}}})
    assert chart_text.describe(fig)[0] == "a title: one line"
    assert chart_text.accessible_name(name, "Key: 2.") == (
        "Chart: |sigma'(z)|^L at z = 1: one line. Key: 2. In numbers below, under 'Chart in words'."
    )


def test_chart_text_names_the_panel_of_traces_repeated_in_every_panel():
    """Small multiples (the activation grid) name the same two traces in every panel: each line
    says whose panel it is ("relu, sigma(x)"), not eight lines of "sigma(x)" alone."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, subplot_titles=["relu", "identity"])
    x = [-1.0, 0.0, 2.0]
    for col, (values, slopes) in enumerate([([0.0, 0.0, 2.0], [0.0, 0.0, 1.0]), (x, [1.0] * 3)]):
        fig.add_trace(go.Scatter(x=x, y=values, name="sigma(x)"), row=1, col=col + 1)
        fig.add_trace(go.Scatter(x=x, y=slopes, name="sigma'(x)"), row=1, col=col + 1)
    fig.add_trace(go.Scatter(x=x, y=x, name="identity"), row=1, col=2)  # named as its panel
    _, lines = chart_text.describe(fig)
    assert [line.split(":")[0] for line in lines] == [
        "relu, sigma(x)",
        "relu, sigma'(x)",
        "identity, sigma(x)",
        "identity, sigma'(x)",
        "identity",
    ]
    assert lines[0] == "relu, sigma(x): 3 points: -1: 0, 0: 0, 2: 2."  # max(0, x) at -1, 0, 2


def test_chart_text_calls_an_unnamed_trace_by_its_panel_or_colour_bar():
    """A grid of unnamed heat maps reads "A^2: heatmap ...", not "trace 2: heatmap ..."."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=2, subplot_titles=["dl/dh^k", "A^2", "A^1", "dl/dW^1"])
    for index, z in enumerate([[[1.0, 2.0]], [[3.0]], [[-1.0], [4.0]], [[0.5, 0.25]]]):
        fig.add_trace(go.Heatmap(z=z), row=index // 2 + 1, col=index % 2 + 1)
    _, lines = chart_text.describe(fig)
    assert lines == [
        "dl/dh^k: heatmap of 1 rows x 2 columns, values from 1 to 2.",
        "A^2: heatmap of 1 rows x 1 columns, values from 3 to 3.",
        "A^1: heatmap of 2 rows x 1 columns, values from -1 to 4.",
        "dl/dW^1: heatmap of 1 rows x 2 columns, values from 0.25 to 0.5.",
    ]
    # the only trace of a titled chart takes the chart's name
    fig = go.Figure(go.Heatmap(z=[[2.0]]), layout={"title": {"text": "W^1"}})
    assert chart_text.describe(fig)[1] == [
        "W^1: heatmap of 1 rows x 1 columns, values from 2 to 2."
    ]
    fig = go.Figure(go.Heatmap(z=[[0.0, 1.0]], colorbar={"title": {"text": "h"}}))
    # a trace that is not drawn on x/y axes (a pie) beside titled panels: no panel, no error
    pie = make_subplots(
        rows=1, cols=2, specs=[[{"type": "xy"}, {"type": "domain"}]], subplot_titles=["a", "b"]
    )
    pie.add_trace(go.Bar(y=[1.0]), row=1, col=1)
    pie.add_trace(go.Pie(values=[1, 2], name="shares"), row=1, col=2)
    assert chart_text.describe(pie)[1][0] == "a: 1 bars: 0: 1."
    # an outline drawn under a line is not data: left out
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", meta="decoration"))
    assert chart_text.describe(fig)[1] == ["h: heatmap of 1 rows x 2 columns, values from 0 to 1."]
