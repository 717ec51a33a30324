"""Structure and notation: build an MLP and look at every array it computes."""

import numpy as np
import streamlit as st

import nncore as nn
from viz import sections, ui
from viz import structure as viz
from viz.symbols import sup

ui.page_header(
    "Structure and notation",
    "A multilayer perceptron is a sequence of layers; layer $i$ multiplies the previous layer's "
    r"output by the transpose of its weight matrix, adds a bias and applies $\sigma$ elementwise; "
    "every row of $x$, $h^i$ and $z^i$ is one data point, every row of $W^i$ holds one unit's "
    "weights.",
    r"h^0 = x \in \mathbb{R}^{m\times n_0},\quad z^i = h^{i-1} W^{i\top} + b^i,\quad "
    r"h^i = \sigma(z^i) \in \mathbb{R}^{m \times n_i},\quad "
    r"W^i \in \mathbb{R}^{n_i \times n_{i-1}}",
)

left, middle, right = st.columns(3)
with left:
    widths_text = ui.text(
        "Widths n₀, n₁, …, nₖ",
        "3, 4, 4, 2",
        key="st_widths",
        help=f"Comma-separated, each 1..{viz.MAX_WIDTH}, at most {viz.MAX_LAYERS} layers.",
    )
    m = ui.slider("Data points m (rows of x)", 1, 8, 2, key="st_m")
with middle:
    hidden = ui.select(
        "Hidden activation σ",
        sorted(nn.ACTIVATIONS),
        key="st_hidden",
        index=sorted(nn.ACTIVATIONS).index("tanh"),
    )
    output = ui.select("Output unit", ["identity", "sigmoid", "softmax"], key="st_output")
    init = ui.select("Initialiser", ["auto", *nn.INITIALIZERS], key="st_init")
with right:
    bias = ui.toggle("Biases bⁱ", key="st_bias", value=True)
    random_bias = ui.toggle(
        "Random biases",
        key="st_random_bias",
        value=True,
        disabled=not bias,
        help="As after training; a freshly initialised network starts with biases at 0.",
    )
    seed = ui.number("Seed", 0, 99_999, 0, key="st_seed", step=1)


@st.cache_data(show_spinner=False)
def build(widths_text, hidden, output, init, bias, random_bias, m, seed):
    """The network's arrays: weights, biases, x, hs = [h^0..h^k], zs = [z^1..z^k]."""
    sizes = viz.parse_widths(widths_text)
    net = nn.MLP(sizes, hidden=hidden, output=output, bias=bias, init=init, seed=int(seed))
    rng = np.random.default_rng(int(seed) + 1)
    if bias and random_bias:
        net.biases = [0.5 * rng.standard_normal(b.shape) for b in net.biases]
    x = rng.standard_normal((m, sizes[0]))
    hs, zs = net.forward_trace(x)
    return sizes, net.n_params, net.weights, net.biases, hs, zs


# A 32 x 32 layer has 1,024 weights: drawn as edges they are a hairball that nobody can read
# and the browser's slowest part of the page (nine layers of width 32 took 9.8 s to appear).
# The graph draws each layer's strongest EDGES_PER_LAYER weights (every weight up to 16 x 16).
EDGES_PER_LAYER = 256


@st.cache_data(show_spinner=False, max_entries=16)
def graph_figure(weights, biases, activations):
    """The network graph for one data point (cached: the same network redraws at once)."""
    return viz.network_graph_figure(
        weights, biases, activations, max_edges_per_layer=EDGES_PER_LAYER
    )


@st.cache_data(show_spinner=False, max_entries=16)
def heatmaps(matrices, titles, per_row):
    """Heat maps of the weights or activations (cached like the graph)."""
    return viz.heatmaps_figure(matrices, titles, per_row=per_row)


@st.fragment
def product_section(hs, weights, biases, zs, hidden: str, output: str) -> None:
    """The layer product with numbers; its slider reruns only this section."""
    k = len(weights)
    with ui.guard("write out the product"):
        layer = ui.slider("Layer i", 1, viz.MAX_LAYERS, 1, key="st_layer")
        if layer > k:
            st.info(f"The network has only $k = {k}$ layers; showing layer {k}.")
            layer = k
        h_prev, W, b, z = hs[layer - 1], weights[layer - 1], biases[layer - 1], zs[layer - 1]
        ui.latex(viz.latex_layer_product(layer, h_prev, W, b, z))
        act_name = hidden if layer < k else output
        residual = viz.product_residual(h_prev, W, b, z)
        act_tex = act_name.replace("_", r"\_")  # leaky_relu: an underscore, not a subscript
        st.caption(
            f"Row $r$ of $z^{{{layer}}}$ is data point $r$: $z^{{{layer}}}_{{r,j}}$ is "
            rf"$\sum_l h^{{{layer - 1}}}_{{r,l}} W^{{{layer}}}_{{j,l}} + b^{{{layer}}}_j$, then "
            rf"$h^{{{layer}}} = \operatorname{{{act_tex}}}(z^{{{layer}}})$. "
            "Larger matrices are elided with dots. Residual of the product against nncore's "
            f"forward pass: {residual:.1e}."
        )


@st.fragment
def graph_section(weights, biases, hs, m: int) -> None:
    """The network as a graph coloured by one data point; its slider reruns only this section."""
    with ui.guard("draw the graph"):
        row = ui.slider("Colour the units by data point r", 1, 8, 1, key="st_row")
        row = min(row, m)
        total = sum(W.size for W in weights)
        shown = sum(min(W.size, EDGES_PER_LAYER) for W in weights)
        left_out = shown < total
        # the edges left out, said in the chart's summary (plain text, read aloud) and in the
        # caption (Markdown, |w| as math)
        showing = (
            f"Showing the {shown:,} strongest of the {total:,} weights (at most "
            f"{EDGES_PER_LAYER} per layer, by"
        )
        ui.chart(
            graph_figure(weights, biases, [h[row - 1] for h in hs]),
            key="structure_graph",
            summary="Edges: blue and solid for positive weights, orange and dashed for "
            "negative, line width grows with |w|; edges from the '+1' bias nodes are dotted "
            "(positive) or dash-dotted (negative)." + (f" {showing} |w|)." if left_out else ""),
        )
        if left_out:
            st.caption(f"{showing} $|w|$). Every weight is in the heat maps (the next tab).")


with ui.guard("build this network"):
    sizes, n_params, weights, biases, hs, zs = build(
        widths_text, hidden, output, init, bias, random_bias, m, seed
    )
    k = len(weights)
    cols = st.columns(4)
    cols[0].metric("Depth k (layers with weights)", k)
    cols[1].metric(
        "Parameters", f"{n_params:,}", help=r"$\sum_i n_i n_{i-1}$ ($+ n_i$ with biases)"
    )
    cols[2].metric("Data points m", m)
    cols[3].metric("Output hᵏ shape", str(hs[-1].shape))

    st.header("Shapes, as computed")
    ui.table(viz.shapes_table(hs, zs, weights, biases), key="st_shapes", lead=["layer i"])

    st.header("The product written out")
    product_section(hs, weights, biases, zs, hidden, output)

    # The pictures in tabs (kept in the URL): only the open one is drawn when the network changes
    # (viz.sections); the numbers above them stay in view.
    pictures = sections.tabs(["Graph", "Heat maps"], key="st_section")
    with pictures[0]:
        st.header("The network as a graph")
        graph_section(weights, biases, hs, m)

    with pictures[1]:
        st.header("Weights and activations as heat maps")
        per_row = 3 if ui.is_presenter() else 5  # more leave each panel too narrow to read
        ui.chart(
            lambda: heatmaps(
                weights, [f"W{sup(i)} {W.shape}" for i, W in enumerate(weights, 1)], per_row
            ),
            key="structure_weights",
        )
        ui.chart(
            lambda: heatmaps(hs, [f"h{sup(i)} {h.shape}" for i, h in enumerate(hs)], per_row),
            key="structure_activations",
        )
        st.caption("Rows of $W^i$ are units, columns are inputs; rows of $h^i$ are data points.")

ui.show_code(nn.MLP.forward_trace, nn.dense_forward)
