"""Activation functions: sigma and sigma' side by side, tanh as a rescaled sigmoid, |x| folds."""

import numpy as np
import streamlit as st

import nncore as nn
from viz import activations as viz
from viz import sections, ui

ui.page_header(
    "Activation functions",
    "With enough hidden units, any activation that is not a polynomial (sigmoid, tanh, ReLU, "
    "softplus, $|x|$, ...) can approximate any continuous function on a compact set: the "
    "universal approximation theorem (Leshno et al. 1993), so these all represent similar "
    "functions. The identity cannot: a network of identity units is one affine map, however "
    "wide. Among the others we pick the one that makes learning easy: its derivative should "
    "not be flat where the units live. Every curve below is computed by nncore.",
)
# two formulas: as one, a projector's column broke it inside tanh's and softplus's formulas
ui.latex(
    r"\text{Sigmoid: } \sigma(x) = \frac{1}{1+e^{-x}},\quad \text{ReLU: } \max(0, x),\quad "
    r"\text{Softplus: } \ln(1 + e^x)"
)
ui.latex(r"\text{Tanh: } \frac{e^x - e^{-x}}{e^x + e^{-x}} = 2\,\frac{1}{1+e^{-2x}} - 1")


def depth_factor_figure(names: list[str], probe: float, depth: int, colours: list[str]):
    """viz.depth_factor_figure, taller in presenter mode, where the legend moves below the plot:
    the plot keeps its height."""
    figure = viz.depth_factor_figure(names, probe, depth, colours)
    if ui.is_presenter():
        figure.update_layout(height=figure.layout.height + 40 * len(names))
    return figure


ALL = list(nn.ACTIVATIONS)
with ui.guard("build the identity network"):
    slope, intercept, deviation = viz.identity_network_line()
    st.caption(
        "Why not the identity: nncore's [1, 32, 32, 1] network of identity units (random "
        rf"weights and biases) computes $h = {slope:.3f}\,x {'+' if intercept >= 0 else '-'} "
        f"{abs(intercept):.3f}$ on $[-3, 3]$, off that line by at most {deviation:.0e} "
        "(rounding): a straight line, whatever the width."
    )

# x feeds the curves and the tanh section, so its range sits above the tabs; every other control
# feeds one section and sits in it.
half_range = ui.slider("x range: [−r, r]", 1.0, 20.0, 5.0, key="act_range", step=0.5)
x = np.linspace(-half_range, half_range, 401)

# One tab per idea, kept in the URL; every tab's numbers are computed, only the open tab's
# charts are drawn (viz.sections).
parts = sections.tabs(
    ["Curves and derivatives", "tanh and sigmoid", "|x| and symmetry"],
    key="act_section",
    opened_by={"|x| and symmetry": ["act_fold_fn", "act_theta", "act_bias", "act_seed"]},
)

with parts[0]:
    names = ui.multiselect("Activations", ALL, ALL, key="act_show")
    cols = st.columns(2)
    with cols[0]:
        probe = ui.slider(
            "Probe point z",
            -10.0,
            10.0,
            1.0,
            key="act_probe",
            step=0.1,
            help="At $z = 0$ exactly ReLU and $|x|$ have no derivative; nncore uses "
            r"$\mathrm{relu}'(0) = \mathrm{abs}'(0) = 0$ there (a convention at one point), so the "
            "default probe sits off zero.",
        )
    with cols[1]:
        depth = ui.slider("Layers L (for σ′ᴸ)", 1, 50, 10, key="act_depth")
    if not names:
        st.info("Choose at least one activation above to see its curves.")
    else:
        with ui.guard("draw the activation functions"):
            colours = ui.theme_colours()
            ui.chart(
                lambda: viz.activations_grid_figure(
                    x, viz.curves(names, x), probe, colours, columns=2 if ui.is_presenter() else 4
                ),
                key="act_grid",
            )
            ui.table(
                viz.activation_table(names, probe, x),
                key="act_table",
                lead=["activation", "σ′(probe)", "flat share (|σ′| < 0.01)"],
            )
            st.caption(
                r"Convention: at the kink $z = 0$, nncore uses $\mathrm{relu}'(0) = "
                r"\mathrm{abs}'(0) = 0$ and $\mathrm{leaky\_relu}'(0) = 0.01$ (the slope of the "
                "flat side); any value between the two one-sided slopes would do, and it matters "
                "only at exactly $z = 0$."
            )
            st.markdown(
                "\n".join(
                    f"- **{name}**: {nn.get_activation(name).note}"
                    for name in names
                    if nn.get_activation(name).note
                )
            )
            st.markdown(
                r"**Which makes learning easy?** The gradient for $W^i$ carries $\sigma'(z^i)$ "
                "of its own layer and, inside each "
                r"$A^j = \operatorname{diag}(\sigma'(z^j))\,W^j$, $\sigma'(z^j)$ of every layer "
                "above it: where any of them is near 0, so is the gradient. Sigmoid's derivative "
                r"is at most 1/4, so each sigmoid layer shrinks it; $\tanh'(0) = 1$ (initialise "
                "so $z$ stays near 0); ReLU passes 1 where $z > 0$ but 0 where $z < 0$ (a unit "
                "below zero on every input is dead); softplus is a smooth ReLU whose derivative "
                "is the sigmoid."
            )
            ui.latex(
                r"\frac{\partial l}{\partial W^i} = \Big(\big(\frac{\partial l}{\partial h^k}\,"
                r"A^k A^{k-1}\cdots A^{i+1}\big) \odot \sigma'(z^i)\Big)^{\!\top} h^{i-1}"
            )
            ui.latex(r"A^j = \operatorname{diag}\big(\sigma'(z^j)\big)\,W^j")
            st.caption(
                "For one data point (row vectors): the product runs from the output layer down, "
                r"$A^k$ first; the result of $\partial l/\partial h^k\, A^k \cdots A^{i+1}$ is "
                r"$\partial l/\partial h^i\ (1, n_i)$; the elementwise product with "
                r"$\sigma'(z^i)$ gives $\partial l/\partial z^i$, and its outer product with "
                r"$h^{i-1}$ has $W^i$'s shape $(n_i, n_{i-1})$. For a batch, sum over the rows. "
                r"(A softmax output's $A^k$ is $(\operatorname{diag}(p) - p^\top p)\,W^k$.) "
                r"Below: the factor $\sigma'$ alone contributes when every layer's units sit at "
                r"the same $z$, as its $\log_{10}$ (-20 means $10^{-20}$), so even factors too "
                "small for float64 (below about 1e-308, or 5e-324 with subnormals) are drawn "
                "instead of vanishing."
            )
            ui.chart(
                lambda: depth_factor_figure(names, probe, depth, colours), key="act_depth_factor"
            )

with parts[1]:
    st.header("tanh is a rescaled sigmoid")
    ui.latex(r"\tanh(x) = 2\,\sigma(2x) - 1,\qquad \tanh'(0) = 1 \;>\; \sigma'(0) = \tfrac14")
    with ui.guard("compare tanh with the rescaled sigmoid"):
        figure, difference = viz.tanh_sigmoid_figure(x, ui.theme_colours())  # three lines: cheap
        cols = st.columns(3)
        cols[0].metric("max |tanh(x) − (2σ(2x) − 1)|", f"{difference:.1e}")
        cols[1].metric("tanh′(0)", f"{float(nn.get_activation('tanh').grad(np.zeros(1))[0]):.4f}")
        cols[2].metric("σ′(0)", f"{float(nn.get_activation('sigmoid').grad(np.zeros(1))[0]):.4f}")
        ui.chart(figure, key="act_tanh")

with parts[2]:
    st.header("What $|x|$ does with symmetric data")
    st.markdown(
        "The classes below are mirror images: class 1 where $|x_1| > 1$. One unit "
        r"$h = \sigma(x\,w^\top + b)$ with $\sigma = |x|$ folds the plane along its hyperplane, "
        "so $x$ and its mirror image land on the same $h$ and one threshold separates the "
        "classes. Try ReLU or tanh with the same $w$ and $b$."
    )
    ui.latex(r"h = \sigma(x\,w^\top + b),\quad w = (\cos\theta, \sin\theta)")
    ui.latex(r"\sigma(z) = |z| \;\Rightarrow\; \sigma(z) = \sigma(-z)")
    cols = st.columns(4)
    with cols[0]:
        fold_name = ui.select("σ of the unit", ALL, key="act_fold_fn", index=ALL.index("abs"))
    with cols[1]:
        theta = ui.slider("Direction θ of w (degrees)", 0, 180, 0, key="act_theta")
    with cols[2]:
        offset = ui.slider("Bias b", -3.0, 3.0, 0.0, key="act_bias", step=0.1)
    with cols[3]:
        seed = ui.number("Data seed", 0, 9999, 0, key="act_seed")
    with ui.guard("fold the symmetric data"):
        x2, y2 = viz.symmetric_data(300, int(seed))
        w = np.array([np.cos(np.radians(theta)), np.sin(np.radians(theta))])
        z, _ = nn.dense_forward(x2, w[None, :], np.array([offset]))
        h = nn.get_activation(fold_name)(z)[:, 0]
        accuracy, threshold = viz.best_threshold_accuracy(h, y2)
        cols = st.columns(2)
        cols[0].metric(f"Best accuracy of one threshold on h ({fold_name})", f"{accuracy:.1%}")
        cols[1].metric("Threshold t", f"{threshold:.3f}")
        ui.chart(
            lambda: viz.symmetry_figure(x2, y2, h, w, offset, threshold, ui.theme_colours()),
            key="act_symmetry",
            summary=f"Class 1 (crosses) lies where |x₁| > 1, class 0 (circles) between; one "
            f"threshold on h = {fold_name}(x wᵀ + b) separates {accuracy:.1%} of the points.",
        )

ui.show_code(nn.get_activation, nn.sigmoid, nn.softplus)
