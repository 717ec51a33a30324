"""Universal approximation, width against depth: fits, exact pieces, sawtooth, bumps."""

import numpy as np
import pandas as pd
import streamlit as st

from nncore.approximation import equal_budget_architectures, hanin_rolnick
from nncore.bumps import approximation_error, bump_network, units_for_error
from nncore.datasets import REGRESSION_TARGETS, make_regression
from nncore.regions import count_linear_regions, linear_pieces, sawtooth_network
from viz import approximation as viz
from viz import ui

ui.page_header(
    "Universal approximation: width against depth",
    "One hidden layer can approximate any continuous f on a compact set to any precision, but it "
    "may need to be very wide, and the theorem does not say how to find the weights. Width "
    "controls how many linear pieces a layer represents; depth repeats patterns, so the number "
    "of pieces grows faster with depth than with width.",
    r"\forall \varepsilon > 0\;\exists\, n_1, W^1, b^1, W^2:\;"
    r"\sup_{x \in \mathcal{X}} \big| f(x) - \sigma(x W^{1\top} + b^1) W^{2\top} \big|"
    r" < \varepsilon",
)

TARGETS = list(REGRESSION_TARGETS) + ["formula"]
LO, HI = -1.0, 1.0
N_TRAIN = 128  # training points per fit: enough for 1-D targets, fast enough to refit live

cols = st.columns([1, 2, 1, 1])
with cols[0]:
    target_name = ui.select("Target f(x)", TARGETS, key="ua_target")
with cols[1]:
    formula = ui.text(
        "Formula in x (when 'formula' is chosen)",
        "sin(3*x) + 0.3*abs(x)",
        key="ua_formula",
        max_chars=200,
    )
with cols[2]:
    noise = ui.slider("Noise on the data", 0.0, 0.5, 0.0, key="ua_noise", step=0.05)
with cols[3]:
    seed = ui.number("Seed", 0, 9999, 0, key="ua_seed")
target = formula if target_name == "formula" else target_name

st.subheader("Fit networks of chosen width and depth, or of equal parameter budgets")
cols = st.columns(5)
with cols[0]:
    mode = ui.radio("Compare", ["width x depth", "equal budget"], key="ua_mode")
with cols[1]:
    hidden = ui.select(
        "Hidden units", ["relu", "abs", "tanh", "leaky_relu", "softplus"], key="ua_hidden"
    )
with cols[2]:
    epochs = ui.select_slider(
        "Epochs (Adam, batch 32)", [10, 50, 100, 200, 300, 500, 1000], 100, key="ua_epochs"
    )
with cols[3]:
    widths = ui.multiselect("Widths", [1, 2, 4, 8, 16, 32, 64], [4, 32], key="ua_widths")
    budget = ui.select_slider(
        "Budget (parameters)", [16, 32, 64, 128, 256, 512, 1024, 2048], 256, key="ua_budget"
    )
with cols[4]:
    depths = ui.multiselect("Depths (hidden layers)", [1, 2, 3, 4, 6, 8], [1, 3], key="ua_depths")


@st.cache_data(show_spinner=False, max_entries=64)
def fit_one(sizes, target, hidden, epochs, noise, seed):
    """One trained network (cached per architecture, so adding one keeps the others)."""
    return viz.fit_network(
        sizes,
        target,
        hidden=hidden,
        epochs=epochs,
        n_train=N_TRAIN,
        noise=noise,
        lo=LO,
        hi=HI,
        seed=seed,
    )


with ui.guard("fit the networks"):
    x_grid, y_true = viz.target_on_grid(target, LO, HI)
    if mode == "width x depth":
        architectures = [[1] + [w] * d + [1] for d in sorted(depths) for w in sorted(widths)]
    else:
        rows = equal_budget_architectures(int(budget), sorted(depths))
        architectures = [row["sizes"] for row in rows]
    if not architectures:
        st.info("Choose at least one width and one depth.")
    else:
        fits = [
            fit_one(tuple(sizes), target, hidden, int(epochs), float(noise), int(seed))
            for sizes in ui.progress_over(architectures, "Training the networks")
        ]
        x_train, y_train = make_regression(target, N_TRAIN, float(noise), int(seed), lo=LO, hi=HI)
        ui.chart(viz.fits_figure(x_grid, y_true, fits, x_train, y_train), key="ua_fits")
        table = pd.DataFrame(
            {
                "network": [f.label for f in fits],
                "depth": [len(f.sizes) - 2 for f in fits],
                "width": [f.sizes[1] for f in fits],
                "parameters": [f.n_params for f in fits],
                "train MSE": [f.train_mse for f in fits],
                "test MSE": [f.test_mse for f in fits],
                "linear pieces (exact)": [f.pieces for f in fits],
                "seconds": [f.seconds for f in fits],
            }
        )
        left, right = st.columns([3, 2])
        left.dataframe(table, hide_index=True, width="stretch")
        with right:
            ui.chart(viz.errors_figure(fits), key="ua_errors")
        best = min(fits, key=lambda f: f.test_mse if np.isfinite(f.test_mse) else np.inf)
        st.metric("Best test MSE", f"{best.test_mse:.2e}", best.label, delta_color="off")
        if any(f.diverged for f in fits):
            st.warning("Some runs diverged (shown as NaN); try fewer epochs or another seed.")
        st.caption(
            "The piece counts come from the weights, not from sampling: nncore splits [-1, 1] "
            "at every unit's kink layer by layer and merges neighbours with equal slopes. Smooth "
            "units (tanh, softplus) have no pieces."
        )

st.subheader("The sawtooth: depth buys pieces exponentially")
st.markdown(
    "Telgarsky's construction: each hidden layer of two ReLU units computes the tent map "
    "T(t) = 2 relu(t) - 4 relu(t - 1/2) of the layer below, so k layers (6k + 1 parameters) "
    "give T composed k times: 2^k linear pieces. One hidden layer needs 2^k - 1 units for as many."
)
st.latex(
    r"T(t) = 2\,\mathrm{relu}(t) - 4\,\mathrm{relu}(t - \tfrac12),\qquad "
    r"h^k(x) = \underbrace{T \circ \cdots \circ T}_{k}(x),\qquad \#\text{pieces} = 2^k"
)
k = ui.slider("Depth k of the sawtooth", 1, 12, 3, key="ua_k")
with ui.guard("build the sawtooth network"):
    saw = sawtooth_network(int(k))
    found = linear_pieces(saw, 0.0, 1.0)
    cols = st.columns(4)
    cols[0].metric("Linear pieces on [0, 1] (exact count)", f"{found.count:,}")
    cols[1].metric("2^k", f"{2 ** int(k):,}")
    cols[2].metric("Parameters of the deep net", f"{saw.n_params}")
    cols[3].metric("Parameters of one hidden layer", f"{3 * (2 ** int(k) - 1) + 1:,}")
    left, right = st.columns(2)
    with left:
        ui.chart(
            viz.pieces_figure(
                found.breakpoints,
                found.values()[:, 0],
                f"Sawtooth with k = {k}: {found.count} pieces",
            ),
            key="ua_saw",
        )
    with right:
        ui.chart(viz.depth_width_figure(np.arange(1, 13)), key="ua_depth_width")


@st.cache_data(show_spinner=False)
def pieces_at_random_init(seed):
    return hanin_rolnick(total_neurons=(16, 32, 64), depths=(1, 2, 4, 8), n_nets=8, seed=seed)


with st.expander("At random initialisation, do deep nets have exponentially many pieces?"):
    st.markdown(
        "No (Hanin & Rolnick, 2019): the count along a line grows with the total number of "
        "neurons, whatever the depth. Depth makes many pieces *possible*, not typical."
    )
    with ui.guard("count the pieces of random networks"):
        with ui.working("Counting the exact pieces of 96 random ReLU networks..."):
            rows = pieces_at_random_init(int(seed))
        ui.chart(viz.hanin_rolnick_figure(rows), key="ua_hanin")

st.subheader("One hidden layer, by construction: steps make bumps")
st.markdown(
    "A steep sigmoid is a step; a step up and a step down is a bump; n bumps approximate f with "
    "error O(1/n). ReLU hinges interpolate f piecewise linearly, with error O(h²) = O(1/n²)."
)
st.latex(
    r"\hat f(x) = f(c_0) + \sum_{j=1}^{n} \big(f(c_j) - f(c_{j-1})\big)\,"
    r"\sigma\big(s\,(x - e_j)\big)"
)
cols = st.columns(3)
with cols[0]:
    units = ui.slider("Hidden units n", 1, 200, 12, key="ua_units")
with cols[1]:
    kind = ui.radio("Construction", ["step", "relu"], key="ua_kind", horizontal=True)
with cols[2]:
    tolerance = ui.select_slider(
        "Target error", [0.3, 0.1, 0.03, 0.01, 0.003, 0.001], 0.03, key="ua_tol"
    )


@st.cache_data(show_spinner=False, max_entries=32)
def bump_errors(target):
    counts = np.unique(np.round(np.logspace(0, np.log10(400), 14)).astype(int))
    return counts, {
        name: np.array(
            [
                approximation_error(
                    bump_network(target, LO, HI, int(n), name), target, LO, HI, n_grid=4001
                )
                for n in counts
            ]
        )
        for name in ("step", "relu")
    }


@st.cache_data(show_spinner=False, max_entries=32)
def units_needed(target, kind, tolerance):
    return units_for_error(target, LO, HI, tolerance, kind=kind, max_units=4000, n_grid=4001)


with ui.guard("build the one-hidden-layer network"):
    net = bump_network(target, LO, HI, int(units), kind)
    y_net = net.forward(x_grid[:, None])[:, 0]
    cols = st.columns(3)
    cols[0].metric("max |f(x) - h^2(x)|", f"{approximation_error(net, target, LO, HI):.3e}")
    pieces = count_linear_regions(net, LO, HI) if kind == "relu" else None
    cols[1].metric("Linear pieces", "smooth" if pieces is None else f"{pieces}")
    with ui.working("Searching the fewest units for the target error..."):
        try:
            needed = f"{units_needed(target, kind, float(tolerance)):,}"
        except ValueError as error:
            needed = "over 4,000"
            st.caption(str(error))
    cols[2].metric(f"Units needed for error {tolerance}", needed)
    left, right = st.columns(2)
    with left:
        ui.chart(viz.bump_figure(x_grid, y_true, y_net, f"{units} {kind} units"), key="ua_bump")
    with right:
        with ui.working("Measuring the error of both constructions..."):
            counts, errors = bump_errors(target)
        ui.chart(viz.bump_error_figure(counts, errors), key="ua_bump_error")

ui.show_code(linear_pieces, sawtooth_network, bump_network)
