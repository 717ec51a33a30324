"""The chain rule with numbers: every factor of dl/dW^i for one data point, beside backprop."""

import numpy as np
import pandas as pd
import streamlit as st

import nncore as nn
from viz import chain_rule as viz
from viz import grid, ui
from viz.symbols import sup

ui.page_header(
    "The chain rule with numbers",
    "For one data point the gradient of layer $i$ is a product: the loss's gradient at the "
    "output, the Jacobians $A^j$ of every layer above $i$ in order from the top, and the layer's "
    "own derivative. Below, a tiny network evaluates every factor, and the result is set beside "
    "what backpropagation computes without ever forming the product.",
    r"\frac{\partial l}{\partial W^i} = \frac{\partial l}{\partial h^k}\,A^k A^{k-1}\cdots "
    r"A^{i+1}\,\frac{\partial f^i(h^{i-1}, W^i)}{\partial W^i} = "
    # braced: a wrapped line does not break inside the parentheses (viz.formula)
    r"{\Big(\big(\tfrac{\partial l}{\partial h^k} A^k \cdots A^{i+1}\big) \odot "
    r"\sigma'(z^i)\Big)^{\!\top}} h^{i-1},\qquad "
    r"A^j = \operatorname{diag}\big(\sigma'(z^j)\big)\,W^j",
)

ACTIVATIONS = [name for name in nn.ACTIVATIONS if name != "identity"] + ["identity"]
cols = st.columns(4)
with cols[0]:
    widths_text = ui.text(
        "Widths n₀, …, nₖ",
        "2, 3, 3, 2",
        key="cr_widths",
        help=f"Comma-separated, each 1..{viz.MAX_WIDTH}, at most {viz.MAX_LAYERS} layers.",
    )
with cols[1]:
    hidden = ui.select(
        "Hidden activation σ", ACTIVATIONS, key="cr_hidden", index=ACTIVATIONS.index("tanh")
    )
with cols[2]:
    output = ui.select(
        "Output unit and loss",
        list(viz.OUTPUT_LOSSES),
        key="cr_output",
        help="; ".join(f"{name}: {loss}" for name, loss in viz.OUTPUT_LOSSES.items()),
    )
with cols[3]:
    seed = ui.number("Seed (weights and data point)", 0, 9999, 0, key="cr_seed")

with ui.guard("build the network"):
    sizes = viz.parse_small_widths(widths_text)
    net, x, y = viz.example(sizes, hidden, output, int(seed))
    k = net.depth
    layer = ui.slider(
        "Layer i (the weights Wⁱ to differentiate)",
        1,
        viz.MAX_LAYERS,
        1,
        key="cr_layer",
        help="$i = 1$ is the deepest product; $i = k$ has no $A^j$ at all.",
    )
    if layer > k:
        st.info(f"The network has only $k = {k}$ layers; showing layer $i = {k}$.")
        layer = k
    i = int(layer)

    chain = net.chain_rule(x, y, i)
    backprop = net.backprop(x[None, :], np.atleast_1d(y)[None, :] if output != "softmax" else [y])
    grad_backprop = backprop.grads[i - 1][0]
    hs, zs = backprop.hs, backprop.zs

    st.header("One data point through the network")
    y_text = f"class {y + 1} of {sizes[-1]}" if output == "softmax" else ui.vector(y)
    st.markdown(
        f"$x = h^0 =$ `{ui.vector(x)}`, $y =$ `{y_text}`, "
        f"loss $l =$ **{chain.loss:.4f}** ({viz.OUTPUT_LOSSES[output]})."
    )
    forward_rows = []
    for j in range(1, k + 1):
        name = net.hidden[j - 1] if j < k else output
        forward_rows.append(
            {
                "layer j": j,
                "σ": name,
                "zʲ": ui.vector(zs[j - 1][0]),
                "hʲ": ui.vector(hs[j][0]),
            }
        )
    ui.table(pd.DataFrame(forward_rows), key="cr_forward", lead=["layer j", "hʲ"])

    st.header("1. The loss's gradient at the output")
    ui.latex(viz.latex_output_gradient(output, hs[-1][0], y, chain.dl_dh_k))

    st.header(
        rf"2. The Jacobians above layer {i}, each $A^j = \operatorname{{diag}}(\sigma'(z^j))\,W^j$"
    )
    factors = viz.local_jacobians(net, x, y, i)
    if not chain.jacobians:
        st.markdown(f"Layer $i = k = {k}$ is the output layer: no $A^j$ stands above it.")
    above = list(zip(range(i + 1, k + 1), factors, chain.jacobians, strict=True))
    for j, local, A in reversed(above):  # from the top: A^k first, as in the product
        ui.latex(viz.latex_jacobian(j, k, output, net.alpha, local, net.weights[j - 1], A))
    if output == "softmax" and i < k:
        st.caption(
            "The softmax output is not elementwise: its derivative is the full matrix "
            r"$\alpha\,(\operatorname{diag}(h^k) - h^{k\top} h^k)$, so $A^k = J(z^k)\,W^k$, not "
            r"$\operatorname{diag}(\dots)\,W^k$."
        )

    st.header("3. Their product, in order from the top")
    ui.latex(viz.latex_product(i, k, chain.product))
    ui.latex(
        rf"\frac{{\partial l}}{{\partial h^{{{i}}}}} = \frac{{\partial l}}{{\partial h^k}}"
        rf"\,{''.join(f'A^{{{j}}}' for j in range(k, i, -1))} = {viz.row(chain.dl_dh_i)}"
    )
    square = len(chain.jacobians) >= 2 and all(A.shape[0] == A.shape[1] for A in chain.jacobians)
    if square:
        reversed_product = np.linalg.multi_dot(chain.jacobians)  # A^{i+1} ... A^k
        gap = nn.relative_error(chain.product, reversed_product)
        st.caption(
            rf"Order matters: $A^{{{i + 1}}} \cdots A^{{{k}}}$ (the reverse order) differs from "
            rf"$A^{{{k}}} \cdots A^{{{i + 1}}}$ by a relative {gap:.2f}."
        )

    st.header(rf"4. The layer's own derivative $\partial f^{{{i}}} / \partial W^{{{i}}}$")
    if chain.outer is not None:
        st.markdown(
            rf"$\partial f^{i} / \partial W^{i}$ is a 3-D array "
            rf"($n_{i} \times n_{i} \times n_{{{i - 1}}}$): "
            rf"$\partial h^{i}_a / \partial W^{i}_{{bc}} = \sigma'(z^{i}_a)\, h^{{{i - 1}}}_c$ "
            "when $b = a$ and 0 otherwise, because row $a$ of $W$ only feeds unit $a$. Its "
            "non-zero entries are the outer product the lecture writes; contracting the array "
            rf"with the row vector $\partial l / \partial h^{i}$ from step 3 leaves the same "
            r"outer product with $\sigma'$ scaled by it, which is step 5."
        )
        ui.latex(
            rf"\sigma'(z^{{{i}}})^\top h^{{{i - 1}}} = {viz.row(chain.sigma_prime)}^{{\!\top}}"
            rf"{viz.row(chain.h_prev)} = {viz.mat(chain.outer)}"
        )
    else:
        st.markdown(
            "The softmax output layer is not elementwise: "
            r"$\partial l/\partial z^k = \partial l/\partial h^k\, J(z^k)$, which for "
            r"cross-entropy with a one-hot $y$ is $\alpha\,(h^k - y)$."
        )

    st.header("5. The result, beside backpropagation")
    left, right = grid.cells(2, per_row=1)
    with left:
        ui.latex(
            rf"\Big(\tfrac{{\partial l}}{{\partial h^{{{i}}}}} \odot \sigma'(z^{{{i}}})\Big)"
            rf"^{{\!\top}} h^{{{i - 1}}} = {viz.mat(chain.grad_W)}"
        )
    with right:
        ui.latex(
            rf"\text{{backprop: }}\frac{{\partial l}}{{\partial W^{{{i}}}}} = "
            + viz.mat(grad_backprop)
        )

    def loss_of_weights(_):
        return net.loss(x[None, :], np.atleast_1d(y)[None, :] if output != "softmax" else [y])

    numerical = nn.numerical_gradient(loss_of_weights, net.weights[i - 1])
    cols = st.columns(3)
    cols[0].metric(
        "max |product form − backprop|",
        f"{float(np.max(np.abs(chain.grad_W - grad_backprop))):.1e}",
    )
    cols[1].metric(
        "max |backprop − central differences|",
        f"{float(np.max(np.abs(grad_backprop - numerical))):.1e}",
        help=r"$(l(W + \varepsilon e) - l(W - \varepsilon e)) / (2 \varepsilon)$, "
        r"$\varepsilon = 10^{-6}$, entry by entry",
    )
    cols[2].metric("‖∂l/∂Wⁱ‖ (Frobenius)", f"{float(np.linalg.norm(grad_backprop)):.3e}")
    st.caption(
        "The two forms agree to rounding (about 1e-16): backprop carries "
        r"$\partial l/\partial z$ down one layer at a time, $\partial l/\partial z^{j-1} =$ "
        r"$(\partial l/\partial z^j\, W^j) \odot \sigma'(z^{j-1})$, which is the same product "
        r"evaluated from the left, one row vector at a time, so it never forms an $n \times n$ "
        "matrix."
    )
    ui.chart(
        viz.chain_figure(chain, grad_backprop, presenter=ui.is_presenter()),
        key="cr_chain",
        summary=f"Every factor of ∂l/∂W{sup(i)} as a heat map with its numbers; the product "
        "form and backprop give the same gradient, differing by at most "
        f"{float(np.max(np.abs(chain.grad_W - grad_backprop))):.1e}.",
    )

ui.show_code(nn.MLP.chain_rule)
