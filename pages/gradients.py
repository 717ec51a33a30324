"""Gradients through depth: per-layer gradient norms, activation histograms, Jacobian products."""

import numpy as np
import pandas as pd
import streamlit as st

import nncore as nn
from nncore.digits import load_digits
from nncore.train import fit
from viz import gradients as viz
from viz import ui

ui.page_header(
    "Gradients through depth",
    "The gradient for layer i carries the product of the Jacobians A^j of every layer above it, "
    "so each layer can shrink or grow it. Below, a real network on the 8x8 digits (64 inputs, "
    "10 classes, softmax output) shows where that product vanishes and where it explodes.",
    r"\frac{\partial l}{\partial W^i} = \frac{\partial l}{\partial h^k}"
    r"\Big(\prod_{j=i+1}^{k} A^j\Big)\frac{\partial f^i(h^{i-1}, W^i)}{\partial W^i},\qquad "
    r"A^j = \frac{\partial f^j(h^{j-1}, W^j)}{\partial h^{j-1}} = \operatorname{diag}"
    r"\big(\sigma'(z^j)\big)\,W^j",
)

ACTIVATIONS = [name for name in nn.ACTIVATIONS if name != "identity"] + ["identity"]
INITIALIZERS = sorted(nn.INITIALIZERS)
BATCH_ROWS = 256
VIEWS = ["At initialisation", "After training", "Where gradients vanish or explode"]
PHASE_DEPTHS = [1, 2, 4, 8, 16, 30]
PHASE_GAINS = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0]
PHASE_ROWS = 128
NUMBER_FORMATS = {
    "||dl/dW^i||": st.column_config.NumberColumn(format="%.2e"),
    "mean h^i": st.column_config.NumberColumn(format="%.3f"),
    "std h^i": st.column_config.NumberColumn(format="%.3f"),
    "saturated share": st.column_config.NumberColumn(format="percent"),
}

cols = st.columns(5)
with cols[0]:
    depth = ui.slider("Hidden layers", 1, 30, 8, key="gr_depth")
with cols[1]:
    width = ui.select_slider("Width n_i", [4, 8, 16, 32, 64, 128, 256], 64, key="gr_width")
with cols[2]:
    activation = ui.select(
        "Activation sigma", ACTIVATIONS, key="gr_act", index=ACTIVATIONS.index("sigmoid")
    )
with cols[3]:
    init = ui.select(
        "Initialiser", INITIALIZERS, key="gr_init", index=INITIALIZERS.index("uniform")
    )
with cols[4]:
    epochs = ui.slider(
        "Training epochs (Adam)",
        0,
        20,
        3,
        key="gr_epochs",
        help="Used by the 'After training' tab: Adam, lr 1e-3, batches of 64, all 1797 digits.",
    )
seed = ui.number("Seed", 0, 9999, 0, key="gr_seed")
st.caption(
    "Start with the setting Glorot & Bengio (2010) criticised, sigmoid with the old "
    "U[-1/sqrt(n), 1/sqrt(n)] ('uniform'), then try tanh with 'glorot' and ReLU with 'he'. "
    "Each tab below computes only when it is opened; the open tab is kept in the URL."
)


@st.cache_data(show_spinner=False, max_entries=1)
def digits():
    """Standardised digits: x (1797, 64), y (1797,)."""
    return load_digits(scale="standard")


def network(depth, width, activation, init, seed):
    """[64, width x depth, 10] with a softmax output, freshly initialised."""
    sizes = [64] + [width] * depth + [10]
    return nn.MLP(sizes, hidden=activation, output="softmax", init=init, seed=seed)


@st.cache_data(show_spinner=False, max_entries=32)
def at_initialisation(depth, width, activation, init, seed):
    """LayerStats of the fresh network on the first BATCH_ROWS digits."""
    x, y = digits()
    net = network(depth, width, activation, init, seed)
    return viz.layer_stats(net, x[:BATCH_ROWS], y[:BATCH_ROWS])


@st.cache_data(show_spinner=False, max_entries=16)
def after_training(depth, width, activation, init, epochs, seed):
    """(LayerStats after `epochs` epochs of Adam on all 1797 digits, the History)."""
    x, y = digits()
    net = network(depth, width, activation, init, seed)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        history = fit(net, x, y, optimizer="adam", lr=1e-3, epochs=epochs, batch_size=64, seed=seed)
    return viz.layer_stats(net, x[:BATCH_ROWS], y[:BATCH_ROWS]), history


@st.cache_data(show_spinner=False, max_entries=128)
def phase_row(activation, width, gain, seed):
    """One gain's row of the vanishing/exploding map (one network per depth in PHASE_DEPTHS)."""
    x, y = digits()
    return viz.phase_row(
        activation, min(width, 128), PHASE_DEPTHS, gain, x[:PHASE_ROWS], y[:PHASE_ROWS], seed
    )


def show_stats(stats, suffix):
    """The three figures and the per-layer tables of one or more snapshots."""
    ui.chart(viz.gradient_norms_figure(stats), key=f"gr_norms{suffix}")
    ui.chart(viz.activation_density_figure(stats), key=f"gr_hist{suffix}")
    st.markdown(
        "Each factor A^j = diag(sigma'(z^j)) W^j scales the gradient by roughly its singular "
        "values. Sigmoid's sigma' is at most 1/4, so each sigmoid layer shrinks it; an "
        "initialiser that keeps z near zero with unit variance keeps the product near 1."
    )
    ui.chart(viz.singular_values_figure(stats), key=f"gr_singular{suffix}")
    tables = st.columns(len(stats))
    for column, (label, layer) in zip(tables, stats.items(), strict=True):
        column.caption(f"Per layer, {label}")
        column.dataframe(
            pd.DataFrame(viz.stats_table(layer)),
            hide_index=True,
            width="stretch",
            column_config=NUMBER_FORMATS,
        )


MESSAGES = {
    "vanishing": "The gradient reaching the first layer is over 100x smaller than at the top: "
    "the lower layers barely learn.",
    "exploding": "The gradient reaching the first layer is over 100x larger than at the top: "
    "steps that suit the top layers blow up the bottom ones.",
    "dead": "No gradient reaches the top hidden layer at all (every unit is flat there).",
    "healthy": "Gradients keep a similar size across layers.",
}

with ui.guard("compute the gradients"):
    with ui.working(f"Back-propagating through {depth} layers..."):
        start = at_initialisation(depth, width, activation, init, int(seed))
    verdict, ratio = viz.flow_verdict(start.grad_h)
    cols = st.columns(4)
    cols[0].metric(
        "Loss at initialisation",
        f"{start.loss:.4f}",
        help="ln 10 = 2.3026 is the loss of a uniform guess over 10 classes",
    )
    cols[1].metric("||dl/dh^0|| / ||dl/dh^(k-1)||", f"{ratio:.2e}", verdict, delta_color="off")
    cols[2].metric("Largest singular value of A^k...A^1", f"{start.singular[-1, 0]:.2e}")
    cols[3].metric("Saturated hidden units (mean)", f"{np.mean(start.saturated):.1%}")
    st.markdown(f"**{verdict.capitalize()} at initialisation.** {MESSAGES[verdict]}")

# Only the open tab runs (bound to the URL, so a bookmark reopens it): training and the map of
# 54 networks cost nothing until asked for.
views = st.tabs(VIEWS, key="gr_view", bind="query-params")

if views[0].open:
    with views[0], ui.guard("draw the network at initialisation"):
        show_stats({"at initialisation": start}, "")

if views[1].open:
    with views[1], ui.guard("train the network"):
        if epochs == 0:
            st.info("Set 'Training epochs' above 0 to train the network and compare with it.")
            show_stats({"at initialisation": start}, "_trained")
        else:
            with ui.working(f"Training {epochs} epochs of Adam on 1797 digits..."):
                trained, history = after_training(depth, width, activation, init, epochs, int(seed))
            verdict_after, ratio_after = viz.flow_verdict(trained.grad_h)
            cols = st.columns(4)
            note = f" ({history.message})" if history.message else ""
            cols[0].metric(
                f"Loss after {epochs} epochs{note}",
                f"{history.loss[-1]:.4f}" if history.loss else "diverged",
            )
            cols[1].metric(
                "||dl/dh^0|| / ||dl/dh^(k-1)|| after training",
                f"{ratio_after:.2e}",
                verdict_after,
                delta_color="off",
            )
            cols[2].metric("Largest singular value of A^k...A^1", f"{trained.singular[-1, 0]:.2e}")
            cols[3].metric("Saturated hidden units (mean)", f"{np.mean(trained.saturated):.1%}")
            st.markdown(
                f"**{verdict_after.capitalize()} after training.** {MESSAGES[verdict_after]}"
            )
            show_stats({"at initialisation": start, f"after {epochs} epochs": trained}, "_trained")

if views[2].open:
    with views[2]:
        st.markdown(
            "Beyond the slide: the same measurement for every depth and every weight scale at "
            "initialisation, W ~ N(0, g^2 2/(n_in + n_out)). With tanh the balanced line sits "
            "at g = 1; with ReLU at g = sqrt(2) (He); sigmoid never balances: its sigma' <= 1/4 "
            "shrinks every layer."
        )
        st.latex(
            r"\log_{10}\frac{\|\partial l/\partial h^0\|}{\|\partial l/\partial h^{k-1}\|}"
            r" \approx \sum_{j=1}^{k-1} \log_{10} \|A^j\|"
        )
        with ui.guard("map the vanishing and exploding regions"):
            text = f"Initialising {len(PHASE_GAINS) * len(PHASE_DEPTHS)} networks, one row per gain"
            grid = np.stack(
                [
                    phase_row(activation, width, gain, int(seed))
                    for gain in ui.progress_over(PHASE_GAINS, text)
                ]
            )
            ui.chart(viz.phase_figure(PHASE_DEPTHS, PHASE_GAINS, grid), key="gr_phase")
            st.caption(
                f"Each cell is one network of {min(width, 128)} {activation} units per hidden "
                f"layer (the width, capped at 128), seed {int(seed)}, measured on the first "
                f"{PHASE_ROWS} digits; the initialiser control does not apply here."
            )

ui.show_code(nn.MLP.backprop, nn.product_singular_values, nn.jacobian_products)
