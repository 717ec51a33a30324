"""Home: the lecture map, with the lecture's own example network built live."""

import numpy as np
import streamlit as st

import nncore as nn
from viz import grid, navigation, ui
from viz import structure as structure_viz

ui.page_header(
    "nnlab: the math of multilayer perceptrons",
    "A live companion to the lecture on multilayer perceptrons: every page pairs a formula "
    "from the slides with numbers computed by nncore and a picture you can move. "
    "Every control is kept in the URL, so a bookmark reopens the exact setting of a slide.",
    # each equation a {group}: KaTeX then wraps between equations, never inside one
    r"{h^0 = x},\quad {h^1 = f^1(h^0, W^1)},\quad {\dots},\quad {h^i = f^i(h^{i-1}, W^i)},\quad "
    r"{\dots},\quad {h^k = f^k(h^{k-1}, W^k) = f(x, \theta)},\quad {\theta = \{W^i, b^i\}_{i=1}^k}",
)

left, right = grid.cells([3, 2], per_row=1)  # stacked in presenter mode: links in full


@st.fragment
def example_network() -> None:
    """The widths box and what it builds; typing new widths reruns only this part."""
    st.header("The lecture's example network, live")
    widths = ui.text("Widths n\u2080, \u2026, n\u2096", "3, 4, 4, 2", key="home_widths")
    # the rules as a caption, not a help tooltip: the tooltip's button would be named after the
    # box ("Help for Widths ..."), so the box's label would name two controls
    st.caption(
        f"Whole numbers from 1 to {structure_viz.MAX_WIDTH} separated by commas, the input's "
        f"$n_0$ first and the output's $n_k$ last, at most {structure_viz.MAX_LAYERS} layers."
    )
    with ui.guard("build the example network"):
        sizes = structure_viz.parse_widths(widths)
        net = nn.MLP(sizes, hidden="tanh", output="softmax" if sizes[-1] > 1 else "sigmoid",
                     seed=0)  # fmt: skip
        x = np.random.default_rng(0).standard_normal((1, sizes[0]))
        hs, _ = net.forward_trace(x)
        cols = st.columns(3)
        cols[0].metric("Depth k", net.depth)
        cols[1].metric("Widest hidden layer", max(sizes[1:-1], default=0))
        cols[2].metric("Parameters θ", f"{net.n_params:,}")
        ui.chart(
            structure_viz.network_graph_figure(net.weights, net.biases, [h[0] for h in hs]),
            key="home_network",
            summary=f"The network {', '.join(map(str, sizes))}: depth k = {net.depth}, "
            f"{net.n_params:,} parameters; for one random input x the output hᵏ is "
            + ", ".join(f"{value:.3f}" for value in hs[-1][0])
            + ".",
        )
        st.caption(
            "Input layer $h^0 = x$ on the left, hidden layers in the middle, the output layer "
            "$h^k$ on the right; units are coloured by their value for one random input."
        )


with left:
    example_network()
with right:
    st.header("The lecture, page by page")
    current_section = None
    for section, filename, title, icon, summary in navigation.existing_pages():
        if filename == "home.py":
            continue
        if section != current_section:
            st.markdown(f"**{section}**")
            current_section = section
        st.page_link(f"pages/{filename}", label=title, icon=icon)
        st.caption(summary)

with st.expander("For lecturers: presenting from this app", icon=":material/co_present:"):
    st.markdown(
        "- Turn on **presenter mode** in the sidebar for large type; choose the **projector** "
        "theme for black-on-white, thick lines and colour-blind-safe colours.\n"
        "- Set the sliders for a slide, then bookmark the URL: it holds every setting "
        "(for example `/softmax?sm_alpha=10.0`).\n"
        "- Every page has a **Show the code** box with the nncore function behind it."
    )
