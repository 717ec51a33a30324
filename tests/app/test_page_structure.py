"""AppTests for the structure page, plus the figure builders it uses."""

import json

import numpy as np
import pytest

import nncore as nn
from viz import structure as viz

PAGE = "pages/structure.py"


def parameter_count(sizes, bias=True):
    """sum_i n_i n_{i-1} (+ n_i with biases), the closed form."""
    return sum(a * b + (b if bias else 0) for a, b in zip(sizes[:-1], sizes[1:], strict=False))


def test_defaults(open_page, assert_page_ok, metric):
    at = open_page(PAGE)
    assert_page_ok(at)
    assert metric(at, "Depth k") == "3"
    assert metric(at, "Parameters") == str(parameter_count([3, 4, 4, 2]))
    assert metric(at, "Output hᵏ shape") == "(2, 2)"
    table = at.table[0].value
    assert list(table["Wⁱ"]) == ["(4, 3)", "(4, 4)", "(2, 4)"]
    assert list(table["zⁱ"]) == ["(2, 4)", "(2, 4)", "(2, 2)"]
    assert list(table["parameters"]) == [16, 20, 10]
    product = at.latex[1].value
    assert r"_{W^{1\top}}" in product and r"_{z^{1}}" in product and r"_{b^{1}}" in product
    assert "Residual of the product against nncore's forward pass: 0.0e+00" in at.caption[0].value
    assert r"$h^{1} = \operatorname{tanh}(z^{1})$" in at.caption[0].value


def test_the_products_caption_writes_an_underscored_activation_as_one_name(open_page):
    """leaky_relu as one operator name: its underscore escaped, not a subscript."""
    at = open_page(PAGE, {"st_hidden": "leaky_relu"})
    assert not at.exception and not at.error
    assert r"$h^{1} = \operatorname{leaky\_relu}(z^{1})$" in at.caption[0].value


def test_weight_heat_maps_show_the_networks_weights(open_page, plotly_specs, decode):
    at = open_page(PAGE, {"st_widths": "2, 3, 1", "st_seed": 7, "st_section": "Heat maps"})
    weights_spec = plotly_specs(at)[0]
    net = nn.MLP([2, 3, 1], hidden="tanh", output="identity", seed=7)  # same settings as the URL
    for trace, W in zip(weights_spec["data"], net.weights, strict=True):
        np.testing.assert_allclose(decode(trace["z"]).reshape(W.shape), W)


def test_without_biases(open_page, assert_page_ok, widget, metric):
    at = open_page(PAGE)
    widget(at, "st_bias").set_value(False).run()
    assert_page_ok(at)
    assert metric(at, "Parameters") == str(parameter_count([3, 4, 4, 2], bias=False))
    assert list(at.table[0].value["bⁱ"]) == ["none"] * 3
    assert r"_{b^{1}}" not in at.latex[1].value


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("st_m", [1, 8]),
        ("st_layer", [1, 8]),
        ("st_row", [1, 8]),
        ("st_seed", [0, 99_999]),
        ("st_random_bias", [False, True]),
        ("st_hidden", sorted(nn.ACTIVATIONS)),
        ("st_output", ["identity", "sigmoid", "softmax"]),
        ("st_init", ["auto", *nn.INITIALIZERS]),
        ("st_widths", ["1, 1", ", ".join(["32"] * (viz.MAX_LAYERS + 1))]),
    ],
)
def test_every_widget_at_its_extremes(open_page, assert_page_ok, widget, key, values):
    at = open_page(PAGE)
    for value in values:
        widget(at, key).set_value(value).run()
        assert_page_ok(at)


def test_layer_beyond_depth_is_clamped_with_a_message(open_page, widget):
    at = open_page(PAGE)
    widget(at, "st_layer").set_value(8).run()
    assert not at.exception
    assert "only $k = 3$ layers" in at.info[0].value
    assert r"_{z^{3}}" in at.latex[1].value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3, abc", "whole numbers"),
        ("abc", "whole numbers separated by commas, got 'abc'"),
        ("3,,2", "an empty width in '3,,2'"),
        ("3", "at least two widths"),
        ("3, 0, 2", "between 1 and 32"),
        ("3, 99, 2", "between 1 and 32"),
        (", ".join(["2"] * 12), "at most 8 layers"),
    ],
)
def test_bad_widths_give_a_clear_message_not_a_traceback(open_page, widget, text, message):
    at = open_page(PAGE)
    widget(at, "st_widths").set_value(text).run()
    assert not at.exception
    assert at.error and message in at.error[0].value


def test_softmax_with_one_output_unit_is_explained(open_page, widget):
    at = open_page(PAGE, {"st_widths": "3, 4, 1"})
    widget(at, "st_output").set_value("softmax").run()
    assert not at.exception
    assert at.error and "softmax output needs at least 2 units" in at.error[0].value


def test_latex_matrix_elides_large_matrices():
    text = viz.latex_matrix(np.arange(100.0).reshape(10, 10), max_rows=4, max_cols=4, digits=0)
    assert text.count(r"\\") == 3  # 4 rows shown: 2 first, dots, last
    assert r"\cdots" in text and r"\vdots" in text and r"\ddots" in text
    assert "99" in text and "0 & 1 &" in text


def test_parse_widths():
    assert viz.parse_widths("3, 4;4 2") == [3, 4, 4, 2]
    assert viz.parse_widths(" 3 ,4 2; 5") == [3, 4, 2, 5]
    with pytest.raises(ValueError, match="at least two"):
        viz.parse_widths("")
    # an empty entry is a typo, not a width to drop: "3,,2" is not the network [3, 2]
    for text in ["3,,2", "3, , 2", ",3,2", "3, 2,"]:
        with pytest.raises(ValueError, match=f"an empty width in {text.strip()!r}"):
            viz.parse_widths(text)
    for text, bad in [("3.5, 2", "3.5"), ("3, x", "x"), ("3, 2a", "2a")]:
        with pytest.raises(ValueError, match=f"whole numbers separated by commas, got {bad!r}"):
            viz.parse_widths(text)
    with pytest.raises(ValueError, match="between 1 and 32, got \\[-3, 2\\]"):
        viz.parse_widths("-3, 2")


def test_network_graph_draws_every_edge_once():
    net = nn.MLP([3, 5, 2], seed=1)
    net.biases = [np.ones(5), -np.ones(2)]
    fig = viz.network_graph_figure(net.weights, net.biases)
    edge_traces = [t for t in fig.data if t.mode == "lines"]
    # every segment is (x0, x1, None): count segments across the grouped traces
    segments = sum(len(t.x) // 3 for t in edge_traces)
    assert segments == 3 * 5 + 5 * 2 + 5 + 2  # weights plus one bias edge per unit
    units = next(t for t in fig.data if t.name == "units")
    assert len(units.x) == 3 + 5 + 2


def test_strongest_edges_keeps_the_largest_magnitudes():
    W = np.array([[0.1, -3.0, 2.0], [-0.5, 1.0, 0.0]])
    # by hand: |W| sorted = 3.0, 2.0, 1.0, 0.5, ...; the three largest are (0,1), (0,2), (1,1)
    expected = np.array([[False, True, True], [False, True, False]])
    np.testing.assert_array_equal(viz.strongest_edges(W, 3), expected)
    assert viz.strongest_edges(W, 6).all() and viz.strongest_edges(W, None).all()


def test_nine_layers_of_width_32_draw_the_strongest_edges_and_say_so(
    open_page, assert_page_ok, plotly_specs, decode
):
    """The tour: nine layers of width 32 (8,192 weights) took 9.8 s to appear in the browser;
    the graph now draws at most EDGES_PER_LAYER weights per layer and the page says so."""
    widths = ", ".join(["32"] * 9)
    at = open_page(PAGE, {"st_widths": widths})
    assert_page_ok(at)
    per_layer, layers = 256, 8  # pages/structure.py: EDGES_PER_LAYER
    graph = plotly_specs(at)[0]
    weight_edges = sum(
        len(decode(trace["x"])) // 3
        for trace in graph["data"]
        if trace.get("name") in ("weight ≥ 0", "weight < 0")
    )
    assert weight_edges == per_layer * layers
    shown = f"{per_layer * layers:,} strongest of the {32 * 32 * layers:,} weights"
    assert any(shown in caption.value for caption in at.caption)
    # the weight heat maps (the next tab) still hold every weight
    at = open_page(PAGE, {"st_widths": widths, "st_section": "Heat maps"})
    assert sum(decode(t["z"]).size for t in plotly_specs(at)[0]["data"]) == 32 * 32 * layers


def test_a_small_network_draws_every_edge(open_page, plotly_specs, decode):
    at = open_page(PAGE, {"st_widths": "16, 16, 3"})
    graph = plotly_specs(at)[0]
    weight_edges = sum(
        len(decode(trace["x"])) // 3
        for trace in graph["data"]
        if trace.get("name") in ("weight ≥ 0", "weight < 0")
    )
    assert weight_edges == 16 * 16 + 16 * 3
    assert not any("strongest" in caption.value for caption in at.caption)


@pytest.mark.parametrize(
    ("panels", "per_row", "rows"), [(1, 5, 1), (5, 5, 1), (9, 3, 3), (9, 5, 2)]
)
def test_heat_maps_lay_out_in_a_grid_without_overlap(panels, per_row, rows):
    """At most per_row panels side by side, ceil(panels / per_row) rows, no two panels' areas
    overlapping and every domain inside the figure (nine side by side overlapped their titles)."""
    rng = np.random.default_rng(0)
    mats = [rng.normal(size=(4, 3)) for _ in range(panels)]
    fig = viz.heatmaps_figure(mats, [f"W^{i}" for i in range(panels)], per_row=per_row)
    layout = fig.to_plotly_json()["layout"]
    boxes = []
    for index in range(panels):
        suffix = "" if index == 0 else str(index + 1)
        x, y = layout[f"xaxis{suffix}"]["domain"], layout[f"yaxis{suffix}"]["domain"]
        assert 0 <= x[0] < x[1] <= 1 and 0 <= y[0] < y[1] <= 1
        boxes.append((x, y))
    assert len({round(y[0], 6) for _, y in boxes}) == rows
    for row_start in {round(y[0], 6) for _, y in boxes}:
        assert sum(round(y[0], 6) == row_start for _, y in boxes) <= per_row
    for i, (xa, ya) in enumerate(boxes):
        for xb, yb in boxes[i + 1 :]:
            apart = xa[1] <= xb[0] or xb[1] <= xa[0] or ya[1] <= yb[0] or yb[1] <= ya[0]
            assert apart, f"panels overlap: {xa, ya} and {xb, yb}"
    titles = [a["text"] for a in layout["annotations"]]
    assert titles == [f"W^{i}" for i in range(panels)]
    with pytest.raises(ValueError, match="per_row"):
        viz.heatmaps_figure(mats, ["x"] * panels, per_row=0)


@pytest.mark.parametrize(
    ("section", "charts"),
    [
        (None, ["structure_graph"]),
        ("Graph", ["structure_graph"]),
        ("Heat maps", ["structure_weights", "structure_activations"]),
    ],
)
def test_only_the_open_tabs_pictures_are_drawn_and_the_numbers_stay(open_page, section, charts):
    at = open_page(PAGE, {} if section is None else {"st_section": section})
    assert not at.exception and not at.error
    assert [c.key for c in at.get("plotly_chart")] == charts
    # the shapes and the written-out product are above the tabs, whichever is open
    assert [m.label for m in at.metric][:2] == ["Depth k (layers with weights)", "Parameters"]
    assert "layer i" in at.table[0].value.columns
    assert any(r"_{b^{1}}" in formula.value for formula in at.latex)


def test_network_graph_in_words_names_each_layers_numbers():
    """The graph's text alternative, from its arrays (hand-made here): the layers and the
    parameter count, each W^i's range and strongest weight with the units it joins (row j of
    W^i is unit j of h^i, column l unit l of h^{i-1}), biases and unit values; and, when only
    the strongest edges are drawn, how many."""
    from viz import chart_text

    W1 = np.array([[0.5, -2.0], [1.0, 0.25], [0.0, 0.75]])  # h^0 (2) -> h^1 (3)
    W2 = np.array([[3.0, -1.0, 0.5]])  # h^1 (3) -> h^2 (1)
    b1, b2 = np.array([0.1, 0.2, 0.3]), None  # 6 + 3 + 3 = 12 parameters
    h = [np.array([1.0, -1.0]), np.array([0.5, 0.25, 0.125]), np.array([0.75])]
    name, lines = chart_text.describe(viz.network_graph_figure([W1, W2], [b1, b2], h))
    assert name.startswith("The network [2, 3, 1]: ")
    assert lines == [
        "h⁰ (2 units) -> h¹ (3 units) -> h² (1 unit); 12 weights and biases.",
        "h⁰ = x for this data point: 1, -1.",
        "W¹ (3 × 2): weights from -2 to 1; the strongest, -2, joins unit 2 of h⁰ to unit 1 "
        "of h¹; biases b¹: 0.1, 0.2, 0.3; units h¹: 0.5, 0.25, 0.125.",
        "W² (1 × 3): weights from -1 to 3; the strongest, 3, joins unit 1 of h¹ to unit 1 "
        "of h²; no biases; units h²: 0.75.",
    ]
    _, lines = chart_text.describe(
        viz.network_graph_figure([W1, W2], [b1, b2], max_edges_per_layer=2)
    )
    assert "(2 of 6 edges drawn, the strongest)" in lines[1]
    assert "(2 of 3 edges drawn, the strongest)" in lines[2]
    _, lines = chart_text.describe(
        viz.network_graph_figure([W1, W2], [b1, b2], max_edges_per_layer=3)
    )
    assert "edges drawn" in lines[1] and "edges drawn" not in lines[2]  # all 3 of W^2


@pytest.mark.parametrize(
    ("page", "query"),
    [("pages/structure.py", {}), ("pages/home.py", {}), ("pages/quiz.py", {})],
)
def test_an_edges_sign_shows_by_its_stroke_as_well_as_its_colour(open_page, page, query):
    """WCAG 1.4.1: a negative weight is dashed (as in the playground's picture), a positive one
    solid; biases dotted or dash-dotted; the chart's key and its words say so."""
    at = open_page(page, query)
    graphs = [
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if "bias" in json.dumps(json.loads(c.proto.spec)["layout"].get("title", ""))
    ]
    assert graphs, f"no network graph on {page}"
    for graph in graphs:
        strokes = {}
        for trace in graph["data"]:
            if trace.get("mode") == "lines":
                strokes.setdefault(trace["name"], set()).add(trace["line"].get("dash", "solid"))
        assert strokes.get("weight ≥ 0") == {"solid"} and strokes.get("weight < 0") == {"dash"}
        assert set().union(*strokes.values()) <= {"solid", "dash", "dot", "dashdot"}
        if "bias ≥ 0" in strokes and "bias < 0" in strokes:
            assert strokes["bias ≥ 0"] == {"dot"} and strokes["bias < 0"] == {"dashdot"}
        key = graph["layout"]["title"]["text"].replace("\u00a0", " ")
        assert "− orange dashed" in key and "+ blue solid" in key and "bias dotted" in key
    # the text alternative ("Chart in words") names both cues too
    words = " ".join(element.proto.body for element in at.get("html")).replace("\u00a0", " ")
    assert "− orange dashed" in words


def test_the_graphs_summary_names_both_cues(open_page):
    at = open_page(PAGE)
    words = " ".join(element.proto.body for element in at.get("html"))
    assert "orange and dashed for negative" in words
