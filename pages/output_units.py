"""Output units and losses: identity, sigmoid and softmax outputs, and why pairs must match."""

import numpy as np
import pandas as pd
import streamlit as st

import nncore as nn
from viz import output_units as viz
from viz import ui

ui.page_header(
    "Output units and losses",
    "The output layer $k$ and the loss come as a pair: identity with squared error for "
    r"regression, sigmoid with the negative log-likelihood for $y \in \{0, 1\}$, softmax with "
    "cross-entropy for $n$ classes. Matched pairs give a gradient with respect to the logits "
    r"that is just the error: $\partial l/\partial z^k = 2(h^k - y)$ for identity with squared "
    r"error, $h^k - y$ for sigmoid with the NLL, $\alpha(h^k - y)$ for softmax with "
    r"cross-entropy and the lecture's $\alpha$ ($T = 1/\alpha$; per data point, and a batch "
    "mean divides by $m$). Mismatched pairs can stall.",
    r"l = \|h^k - y\|_2^2,\qquad l = -y \ln h^k - (1-y)\ln(1-h^k),\qquad "
    r"l = -y\,(\ln h^k)^\top = -\sum_{i=1}^n y_i \ln h^k_{1,i}",
)


def why_logits(prob_loss: float, logit_loss: float, what: str) -> None:
    """Two metrics: the loss from rounded probabilities against the loss from the logits."""
    cols = st.columns(2)
    cols[0].metric(f"from the probabilities: {what}", f"{prob_loss:.6g}")
    cols[1].metric("from the logits (what nncore trains with)", f"{logit_loss:.6g}")


@st.fragment
def task_section() -> None:
    """The task and its part of the page. A fragment: changing the task (or a control of its
    part) reruns this section only; the pairs and the descent below do not depend on it."""
    task = ui.radio("Task", ["Regression", "Binary", "Multiclass"], key="ou_task", horizontal=True)
    # The task's part in one container: its length differs between tasks, and Streamlit matches
    # elements by position, so without it switching the task redrew every formula below it too.
    with st.container():
        if task == "Regression":
            st.header("Regression: identity output, squared error, several outputs")
            ui.latex(
                r"h^k = z^k,\qquad l(x, y, \theta) = \|h^k - y\|_2^2 = "
                r"\sum_{i=1}^{n_y} (h^k_i - y_i)^2"
            )
            cols = st.columns(3)
            with cols[0]:
                n_y = ui.slider(
                    "Outputs", 1, 8, 3, key="ou_ny", help=r"$n_y$: the length of $y$ and of $h^k$."
                )
            with cols[1]:
                error_scale = ui.slider(
                    "Prediction error scale", 0.0, 5.0, 1.0, key="ou_noise", step=0.1
                )
            with cols[2]:
                seed = ui.number("Seed", 0, 9999, 0, key="ou_seed")
            with ui.guard("compute the squared error"):
                rng = np.random.default_rng(int(seed))
                y = rng.standard_normal((1, n_y))
                h = y + error_scale * rng.standard_normal((1, n_y))
                table = pd.DataFrame(
                    {"output i": np.arange(1, n_y + 1), "hᵏᵢ": h[0], "yᵢ": y[0],
                     "(hᵏᵢ − yᵢ)²": (h[0] - y[0]) ** 2}
                )  # fmt: skip
                cols = st.columns(2)
                cols[0].metric("l = nn.mse(hᵏ, y)", f"{nn.mse(h, y):.4f}")
                cols[1].metric("sum of the column (hᵏᵢ − yᵢ)²", f"{table['(hᵏᵢ − yᵢ)²'].sum():.4f}")
                ui.table(table, key="ou_regression_table", lead=["output i", "(hᵏᵢ − yᵢ)²"])
                bars = viz.vector_bars_figure({"hᵏ": h[0], "y": y[0]}, "hᵏ against y", "output i")
                ui.chart(bars, key="ou_regression")
                st.caption(
                    "A batch loss is the mean over rows of this per-example loss. "
                    r"Its gradient is $\partial l/\partial h^k = 2(h^k - y)$: "
                    f"{ui.vector(nn.mse_grad(h, y)[0])}."
                )

        elif task == "Binary":
            st.header("Binary: sigmoid output, z is the log-odds")
            ui.latex(
                r"\Pr(\hat Y = 1 \mid X = x) = \sigma(z) = \frac{1}{1+e^{-z}} = "
                r"\frac{e^z}{1 + e^z},"
                r"\qquad z = \ln \frac{\sigma(z)}{1 - \sigma(z)}"
            )
            z = ui.slider("Logit z (log-odds of Y = 1)", -10.0, 10.0, 1.0, key="ou_z", step=0.1)
            with ui.guard("compute the sigmoid output"):
                p = float(nn.sigmoid(np.array([z]))[0])
                cols = st.columns(4)
                cols[0].metric("Pr(Y = 1) = σ(z)", f"{p:.4f}")
                cols[1].metric("odds Pr(Y=1)/Pr(Y=0) = eᶻ", f"{p / (1 - p):.4g}")
                cols[2].metric("ln odds recovered from p", f"{viz.log_odds(p):.4f}")
                cols[3].metric(
                    "NLL if y = 1 / y = 0",
                    f"{nn.binary_nll_with_logits(np.array([z]), np.array([1.0])):.3f} / "
                    f"{nn.binary_nll_with_logits(np.array([z]), np.array([0.0])):.3f}",
                )
            st.header("The two-logit form")
            ui.latex(
                r"\sigma(z) = \frac{e^{z_1}}{e^{z_0} + e^{z_1}},\qquad "
                r"\Pr(\hat Y = 0 \mid x) = 1 - \sigma(z) = \frac{e^{z_0}}{e^{z_0} + e^{z_1}}"
            )
            cols = st.columns(2)
            with cols[0]:
                z0 = ui.slider("z₀ (score of class 0)", -10.0, 10.0, 0.0, key="ou_z0", step=0.1)
            with cols[1]:
                z1 = ui.slider("z₁ (score of class 1)", -10.0, 10.0, 1.0, key="ou_z1", step=0.1)
            with ui.guard("compute the two-logit form"):
                two = nn.softmax(np.array([z0, z1]))
                cols = st.columns(3)
                cols[0].metric("Pr(Y = 1) = exp z₁ / (exp z₀ + exp z₁)", f"{two[1]:.4f}")
                cols[1].metric("σ(z₁ − z₀)", f"{float(nn.sigmoid(np.array([z1 - z0]))[0]):.4f}")
                cols[2].metric("Pr(Y = 0)", f"{two[0]:.4f}")
                st.caption(
                    r"Only the difference $z_1 - z_0$ matters: raising $z_0$ lowers $\Pr(Y = 1)$."
                )
                ui.chart(
                    viz.two_logit_figure(np.linspace(-10, 10, 201), z1, z0), key="ou_two_logit"
                )

            st.header(r"The lecture's question: if we increase the 1, does $\sigma(z)$ increase?")
            ui.latex(
                r"\sigma(z) = \frac{e^{z}}{1 + e^{z}} = \frac{e^{z}}{e^{z_0} + e^{z}}"
                r"\quad\text{with } z_0 = 0,\ 1 = e^{0}"
            )
            ui.latex(r"\sigma(z) = \operatorname{softmax}([0,\ z])_1 = \Pr(\hat Y = 1 \mid x)")
            one = ui.slider(
                "Replace the 1 by exp z₀: z₀",
                -5.0,
                5.0,
                1.0,
                key="ou_one",
                step=0.1,
                help="Uses the logit z of the first slider of this section.",
            )
            with ui.guard("answer the lecture's question"):
                kept = float(nn.sigmoid(np.array([z]))[0])
                as_softmax = float(nn.softmax(np.array([0.0, z]))[1])
                replaced = float(nn.softmax(np.array([one, z]))[1])
                cols = st.columns(3)
                cols[0].metric(f"σ({z:g}) = eᶻ / (1 + eᶻ)", f"{kept:.4f}")
                cols[1].metric(f"softmax([0, {z:g}])₁", f"{as_softmax:.4f}")
                cols[2].metric(f"eᶻ / (exp({one:g}) + eᶻ)", f"{replaced:.4f}")
                power = f"$e^{{{one:g}}} = {np.exp(one):.3g}$"
                if one > 0:
                    change = rf"raising the 1 to {power} lowers $\sigma$"
                elif one < 0:
                    change = rf"lowering the 1 to {power} raises $\sigma$"
                else:
                    change = r"$z_0 = 0$ keeps the 1, and $\sigma$"
                st.caption(
                    f"The 1 is $e^{{z_0}}$, the score of class 0 fixed at $z_0 = 0$. Here {change} "
                    f"({kept:.4f} to {replaced:.4f}). So no: a larger 1 makes $Y = 0$ more likely "
                    r"and $\sigma(z) = \Pr(Y = 1)$ smaller; a smaller 1 makes it larger."
                )

            st.header("Why the output layer emits logits, not probabilities")
            ui.latex(
                r"y = 0:\quad l = -\ln\big(1 - \sigma(z)\big) = \ln\big(1 + e^{z}\big) "
                r"= \operatorname{softplus}(z)"
            )
            confident = ui.slider(
                "Logit z of a confident prediction (true label y = 0)",
                0.0,
                100.0,
                40.0,
                key="ou_confident",
                step=1.0,
            )
            with ui.guard("compare the loss from probabilities with the loss from logits"):
                h = nn.sigmoid(np.array([confident]))
                why_logits(
                    nn.binary_nll(h, np.array([0.0])),
                    nn.binary_nll_with_logits(np.array([confident]), np.array([0.0])),
                    "binary_nll(sigmoid(z), 0)",
                )
                # numbers in e-notation (1.1e-16) stay outside the formulas: KaTeX would set
                # the e as a variable
                st.caption(
                    rf"In float64, $\sigma({confident:g}) = {h[0]:.17g}$"
                    + (
                        r": $1 - \sigma(z) = \sigma(-z)$ = "
                        f"{float(nn.sigmoid(np.array([-confident]))[0]):.2g} "
                        "is below float64's spacing near 1 (1.1e-16), so $h$ rounds to exactly 1 "
                        r"and $-\ln(1 - h) = -\ln 0$ = inf. "
                        if h[0] == 1.0
                        else f" ($1 - h$ = {1 - h[0]:.3g}). "
                    )
                    + r"From the logit, $\ln(1 + e^z)$ is computed without ever forming "
                    r"$1 - \sigma(z)$: the loss, and its gradient $\sigma(z) - y$, stay exact. So "
                    "the network's last layer outputs $z$ and the loss applies the sigmoid itself."
                )

        else:
            st.header("Multiclass: softmax output, cross-entropy with one-hot y")
            ui.latex(r"y = [0, \dots, 1, \dots, 0],\qquad l(x, y, \theta) = -y\,(\ln h^k)^\top")
            cols = st.columns(3)
            with cols[0]:
                n_classes = ui.slider("Classes n", 2, 8, 4, key="ou_nc")
            with cols[1]:
                if st.session_state.get("ou_y", 1) > n_classes:  # fewer classes than the chosen y
                    st.session_state["ou_y"] = n_classes
                true_class = ui.slider("True class y", 1, n_classes, 1, key="ou_y")
            with cols[2]:
                seed = ui.number("Logit seed", 0, 9999, 0, key="ou_logit_seed")
            with ui.guard("compute the cross-entropy"):
                logits = 2.0 * np.random.default_rng(int(seed)).standard_normal((1, n_classes))
                probs = nn.softmax(logits)
                onehot = nn.one_hot(np.array([true_class - 1]), n_classes)
                cols = st.columns(3)
                cols[0].metric("l = −y (ln hᵏ)ᵀ", f"{nn.cross_entropy(probs, onehot):.4f}")
                cols[1].metric("from the logits (stable)",
                               f"{nn.cross_entropy_with_logits(logits, onehot):.4f}")  # fmt: skip
                cols[2].metric("−ln Pr(Y = y)", f"{-nn.log_softmax(logits)[0, true_class - 1]:.4f}")
                ui.table(
                    pd.DataFrame({"class": np.arange(1, n_classes + 1), "zᵢ": logits[0],
                                  "hᵏᵢ = Pr(Y = i)": probs[0], "one-hot yᵢ": onehot[0],
                                  "∂l/∂zᵢ = hᵢ − yᵢ":
                                      nn.cross_entropy_with_logits_grad(logits, onehot)[0]}),
                    key="ou_multiclass_table", lead=["class", "hᵏᵢ = Pr(Y = i)", "one-hot yᵢ"],
                )  # fmt: skip
                ui.chart(viz.vector_bars_figure({"hᵏ (softmax)": probs[0], "one-hot y": onehot[0]},
                                                "Only the true class's probability counts",
                                                "class i"),
                         key="ou_multiclass")  # fmt: skip

            st.header("Why the output layer emits logits, not probabilities")
            ui.latex(r"l = -\ln \operatorname{softmax}(z)_y = \ln \sum_{j} e^{z_j} - z_y")
            gap = ui.slider(
                "Logit of class 2, z = [0, z₂] (true class y = 1)",
                0.0,
                1000.0,
                800.0,
                key="ou_gap",
                step=10.0,
            )
            with ui.guard("compare the cross-entropy from probabilities with the one from logits"):
                confident_logits = np.array([[0.0, gap]])
                p_confident = nn.softmax(confident_logits)
                why_logits(
                    nn.cross_entropy(p_confident, np.array([0])),
                    nn.cross_entropy_with_logits(confident_logits, np.array([0])),
                    "cross_entropy(softmax(z), y)",
                )
                st.caption(
                    rf"$\operatorname{{softmax}}([0, {gap:g}])$ = [{p_confident[0, 0]:.3g}, "
                    f"{p_confident[0, 1]:.17g}] in float64"
                    + (
                        r": $e^{-z_2}$ underflows, so $\Pr(Y = 1)$ is exactly 0 and $-\ln 0$ = "
                        "inf. "
                        if p_confident[0, 0] == 0.0
                        else ". "
                    )
                    + r"From the logits the loss is $\ln(1 + e^{z_2})$, about $z_2$: the exact, "
                    r"finite answer (computed as $M + \ln \sum_j e^{z_j - M} - z_y$ with "
                    r"$M = \max_j z_j$, which never overflows), with the gradient "
                    r"$\operatorname{softmax}(z) - y$. So the network outputs $z$ and the loss "
                    "applies the softmax itself."
                )


task_section()

# --- matched and mismatched pairs -------------------------------------------------------------
st.header("Matched and mismatched pairs: the gradient against the logit")
# one formula per pair: together they broke inside the second one on a projector
ui.latex(r"\text{sigmoid + NLL: } \frac{\partial l}{\partial z} = \sigma(z) - y")
ui.latex(
    r"\text{sigmoid + squared error: } \frac{\partial l}{\partial z} = "
    r"2\,(\sigma(z) - y)\,\sigma(z)\,(1 - \sigma(z))"
)
cols = st.columns(3)
with cols[0]:
    target = ui.radio("Target y", [1, 0], key="ou_target", horizontal=True)
with cols[1]:
    z_now = ui.slider("Logit z", -15.0, 15.0, -6.0, key="ou_zpair", step=0.1)
with cols[2]:
    shown = ui.multiselect("Pairs", list(viz.PAIRS), list(viz.PAIRS), key="ou_pairs")


@st.cache_data(show_spinner=False)
def cached_curves(names: tuple[str, ...], y: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    grid = np.linspace(-15, 15, 301)
    return grid, viz.pair_curves(list(names), grid, y)


if not shown:
    st.info("Choose at least one output/loss pair.")
else:
    with ui.guard("compare the output/loss pairs"):
        grid, curves = cached_curves(tuple(shown), int(target))
        ui.chart(
            viz.pairs_figure(grid, curves, z_now, ui.theme_colours(), stacked=ui.is_presenter()),
            key="ou_pairs_chart",
            summary=f"At the dotted line z = {z_now:g} with y = {int(target)}, ∂l/∂z is "
            + "; ".join(f"{name} {viz.PAIRS[name][1](z_now, int(target))[1]:.3g}" for name in shown)
            + ". Mismatched pairs are dashed; each pair has its own colour and marker shape.",
        )
        st.caption(
            f"The softmax pairs use {viz.N_SOFTMAX_CLASSES} classes: the varied logit $z$ is "
            "class 1's score and the other two logits are 0; target $y = 1$ means class 1 is the "
            "true class, $y = 0$ that class 2 is. Each pair keeps its colour in both panels."
        )
        rows = []
        for name in shown:
            loss, grad = viz.PAIRS[name][1](z_now, int(target))
            rows.append({"pair": name, "matched": viz.PAIRS[name][0], "∂l/∂z at z": grad,
                         "loss at z": loss,
                         "|error| vs central differences":
                             viz.check_pair_gradient(name, z_now, int(target))})  # fmt: skip
        # ui.table formats: the number formats hold in presenter mode's HTML table too (a
        # saturated gradient of 6e-7 would read 0.0000 at a fixed precision)
        ui.table(
            pd.DataFrame(rows),
            key="ou_pairs_table",
            formats={"∂l/∂z at z": "%.4g", "loss at z": "%.4f",
                     "|error| vs central differences": "%.1e"},
        )  # fmt: skip

st.markdown(
    "**Why sigmoid + squared error stalls.** Its gradient carries "
    r"$\sigma'(z) = \sigma(1 - \sigma)$, which is nearly zero when $|z|$ is large. If the unit "
    "is confidently wrong ($z = -10$ with $y = 1$), the squared-error gradient is about "
    r"$2 \times 4.5 \cdot 10^{-5}$, so gradient descent barely moves; the NLL's log cancels the "
    r"sigmoid's exponential and leaves $\sigma(z) - y$, about $-1$."
)
cols = st.columns(2)
with cols[0]:
    learning_rate = ui.slider("Learning rate", 0.1, 5.0, 1.0, key="ou_lr", step=0.1)
with cols[1]:
    steps = ui.slider("Steps", 1, 200, 50, key="ou_steps")
with ui.guard("run gradient descent on the logit"):
    start = -8.0 if int(target) == 1 else 8.0
    paths = {
        name: viz.descend_logit(name, start, int(target), learning_rate, steps)
        for name in ["sigmoid + NLL", "sigmoid + squared error"]
    }
    ui.chart(
        viz.descent_figure(paths, int(target), ui.theme_colours()),
        key="ou_descent",
        summary=f"Starting confidently wrong at z = {start:g} (target y = {int(target)}), "
        f"{steps} steps of learning rate {learning_rate:g}: sigmoid + NLL ends at σ(z) = "
        f"{float(nn.sigmoid(paths['sigmoid + NLL'][-1:])[0]):.4f}, sigmoid + squared error at "
        f"{float(nn.sigmoid(paths['sigmoid + squared error'][-1:])[0]):.4f}.",
    )
    cols = st.columns(2)
    for col, (name, path) in zip(cols, paths.items(), strict=True):
        col.metric(f"{name}: σ(z) after {steps} steps", f"{float(nn.sigmoid(path[-1:])[0]):.4f}")

ui.show_code(nn.binary_nll_with_logits, nn.binary_nll_with_logits_grad)
