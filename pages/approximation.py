"""Universal approximation, width against depth: fits, exact pieces, sawtooth, bumps."""

import numpy as np
import streamlit as st

from nncore.approximation import equal_budget_architectures
from nncore.bumps import approximation_error, bump_network, deep_narrow_network
from nncore.datasets import REGRESSION_TARGETS, make_regression
from nncore.formula import FormulaError, parse_formula
from nncore.regions import count_linear_regions, linear_pieces, sawtooth_network
from viz import approximation as viz
from viz import constructions, grid, sections, ui, width_depth
from viz.approximation_runs import (
    DEFAULTS,
    HI,
    LO,
    N_TRAIN,
    NARROW_DEEP,
    NARROW_EPOCHS,
    NARROW_GOOD,
    bump_errors,
    fit_one,
    load_preset,
    pieces_at_random_init,
    trained_narrow,
    units_needed,
)

ui.page_header(
    "Universal approximation: width against depth",
    r"For every continuous $f$ on a compact set $\mathcal{X}$ and every precision "
    r"$\varepsilon > 0$, one hidden layer of a non-polynomial activation (sigmoid, tanh, ReLU, "
    r"...) is enough, if it is wide enough: the width $n_1$ is finite for each $\varepsilon$ but "
    r"may have to grow without bound as $\varepsilon$ goes to 0 (Cybenko 1989, Hornik 1991, "
    "Leshno et al. 1993). With a polynomial "
    "activation, such as the identity, it fails at any width. The theorem does not say how to "
    "find the weights. Width controls how many linear pieces a layer represents; depth repeats "
    "patterns, so the number of pieces can grow faster with depth than with width.",
)
# the theorem in two display lines, each of unbreakable groups that fit a presenter column (one
# gathered block was a single piece, shrunk to tiny type; bare relations wrapped mid-statement)
ui.latex(
    r"{f \in C(\mathcal{X}),\ \mathcal{X} \subset \mathbb{R}^{n_0}\ \text{compact},\ "
    r"\sigma\ \text{not a polynomial}:}"
)
ui.latex(
    r"{\forall \varepsilon > 0\;\exists\, n_1, W^1, b^1, W^2:}\qquad {\sup_{x \in \mathcal{X}} "
    r"\big| f(x) - \sigma(x W^{1\top} + b^1) W^{2\top} \big| < \varepsilon}"
)

PALETTE = ui.THEMES[ui.theme_name()]["colorway"]  # every figure's colours, in the page's theme
TARGETS = list(REGRESSION_TARGETS) + ["formula"]
MODES = ["width × depth", "equal budget", "width lists"]


def show_target_error(error: ValueError) -> None:
    """One message for a target that cannot be used, the formula and its caret in monospace."""
    reason = error.reason if isinstance(error, FormulaError) else str(error)
    st.error("This target cannot be used; the problem is shown below.", icon=":material/error:")
    text = reason if not isinstance(error, FormulaError) else reason + "\n" + error.pointer()
    st.code(text.rstrip(), language=None, wrap_lines=True)


cols = grid.cells([1, 2, 1, 1])
with cols[0]:
    target_name = ui.select("Target f(x)", TARGETS, key="ua_target")
with cols[1]:
    formula = ui.text(
        "Formula in x (when 'formula' is chosen)",
        "sin(3*x) + 0.3*abs(x)",
        key="ua_formula",
        max_chars=200,
        disabled=target_name != "formula",
    )
with cols[2]:
    noise = ui.slider("Noise on the data", 0.0, 0.5, 0.0, key="ua_noise", step=0.05)
with cols[3]:
    seed = ui.number("Seed", 0, 9999, 0, key="ua_seed")
target = formula if target_name == "formula" else target_name

target_error = None
try:
    if target_name == "formula":
        parse_formula(formula)
    x_grid, y_true = viz.target_on_grid(target, LO, HI)
except ValueError as error:  # shown once; the sections that need the target are skipped
    target_error = error
    show_target_error(error)


# One tab per idea, kept in the URL; every tab's numbers are computed (the fitting tool's table
# of exact piece counts included), only the open tab's charts are drawn (viz.sections).
parts = sections.tabs(
    ["Fit networks", "Narrow and deep", "Sawtooth", "Bumps"],
    key="ua_section",
    opened_by={
        "Narrow and deep": ["ua_narrow_layers"],
        "Sawtooth": ["ua_k"],
        "Bumps": ["ua_units", "ua_kind", "ua_tol"],
    },
)

with parts[0]:
    st.header("Fit networks of chosen width and depth, of equal budgets, or of any widths")
    cols = grid.cells(4)
    with cols[0]:
        mode = ui.radio("Compare", MODES, key="ua_mode")
    with cols[1]:
        hidden = ui.select(
            "Hidden units", ["relu", "abs", "tanh", "leaky_relu", "softplus"], key="ua_hidden"
        )
        epochs = ui.select_slider(
            "Epochs (Adam, batch 32)", [10, 50, 100, 200, 300, 500, 1000], 100, key="ua_epochs"
        )
    with cols[2]:
        if mode == "width × depth":
            widths = ui.multiselect("Widths", [1, 2, 4, 8, 16, 32, 64], [8, 16], key="ua_widths")
        elif mode == "equal budget":
            budget = ui.select_slider(
                "Budget (parameters)",
                [16, 32, 64, 128, 256, 512, 1024, 2048],
                256,
                key="ua_budget",
            )
        else:
            lists = ui.text(
                "Width lists n₀, …, 1 (networks separated by ';')",
                DEFAULTS["ua_lists"],
                key="ua_lists",
                help=f"Up to {width_depth.MAX_NETWORKS} networks, "
                f"widths 1..{width_depth.MAX_WIDTH}.",
            )
    with cols[3]:
        if mode != "width lists":
            depths = ui.multiselect(
                "Depths (hidden layers)", [1, 2, 3, 4, 6, 8], [1, 2], key="ua_depths"
            )
    buttons = grid.cells(3, per_row=1)
    with buttons[0]:
        st.button(
            "Where depth wins (sawtooth)",
            on_click=load_preset,
            args=("depth wins",),
            key="ua_preset_depth",
            help="Equal budget of 256 on the sawtooth, depths 1 and 3; the URL keeps it.",
        )
    with buttons[1]:
        st.button(
            "Width first or last",
            on_click=load_preset,
            args=("width first",),
            key="ua_preset_width",
            help="[1, 32, 2, 1] against [1, 2, 32, 1] (133 parameters each) and [1, 2, 2, 1].",
        )
    with buttons[2]:
        st.button("Defaults", on_click=load_preset, args=("defaults",), key="ua_preset_reset")

    if target_error is None:
        with ui.guard("fit the networks"):
            if mode == "width × depth":
                architectures = [
                    [1] + [w] * d + [1] for d in sorted(depths) for w in sorted(widths)
                ]
            elif mode == "equal budget":
                rows = equal_budget_architectures(int(budget), sorted(depths))
                architectures = [row["sizes"] for row in rows]
            else:
                architectures = width_depth.parse_width_lists(lists, 1)
            fits = []
            if not architectures:
                st.info("Choose at least one width and one depth.")
            else:
                # trained even in a closed tab: the table's exact piece counts come from them
                jobs = [
                    (tuple(sizes), target, hidden, int(epochs), float(noise), int(seed))
                    for sizes in architectures
                ]
                fits = [
                    fit_one(*job)
                    for job in ui.stoppable_jobs(jobs, "Training the networks", key="ua_training")
                ]
            if fits:  # none when Stop came before the first network was done
                ui.chart(
                    lambda: grid.legend_room(
                        viz.fits_figure(
                            x_grid,
                            y_true,
                            fits,
                            # the training points: only this chart shows them
                            *make_regression(
                                target, N_TRAIN, float(noise), int(seed), lo=LO, hi=HI
                            ),
                            colours=PALETTE,
                        )
                    ),
                    key="ua_fits",
                    summary="Test MSE and exact linear pieces per network: "
                    + "; ".join(
                        f"{f.short_label}: {f.test_mse:.2e}"
                        + ("" if f.pieces is None else f", {f.pieces} pieces")
                        for f in fits
                    )
                    + ".",
                )
                ui.table(
                    viz.results_table(fits),
                    "ua_table",
                    lead=["network", "linear pieces (exact)", "test MSE", "parameters"],
                    formats={
                        "linear pieces (exact)": "%d",
                        "test MSE": "%.2e",
                        "train MSE": "%.2e",
                        "seconds": "%.2f",
                    },
                    lead_only_when_presenting=True,
                )
                left, right = grid.cells([2, 3], per_row=1)
                with left:
                    best = min(
                        fits, key=lambda f: f.test_mse if np.isfinite(f.test_mse) else np.inf
                    )
                    st.metric(f"Best test MSE: {best.label}", f"{best.test_mse:.2e}")
                    if any(f.diverged for f in fits):
                        st.warning(
                            "Some runs diverged (shown as NaN); try fewer epochs or another seed."
                        )
                    st.caption(
                        "The piece counts come from the weights, not from sampling: nncore splits "
                        "[-1, 1] at every unit's kink layer by layer and merges neighbours with "
                        "equal slopes. Smooth units (tanh, softplus) have no pieces. Every "
                        "network trains on the targets put on a standard scale (mean 0, "
                        "variance 1) and takes their scale back in its output layer, so its "
                        "errors are in $f$'s units and $1000 f$ changes them by $1000^2$, "
                        "nothing else."
                    )
                    if mode == "width × depth":
                        st.caption(
                            "Here a deeper network also has more parameters. For a fair "
                            "comparison of depth and width, compare at an equal budget."
                        )
                    elif mode == "equal budget" and target != "sawtooth":
                        st.caption(
                            "At an equal budget on a target without repeats, depth often buys "
                            "nothing: the wide layer places its kinks freely. Depth pays off on "
                            "repeating patterns: try 'Where depth wins (sawtooth)'."
                        )
                    elif mode == "equal budget":
                        st.caption(
                            "The sawtooth repeats one shape: deeper layers can fold the output of "
                            "the layers below and repeat it, which one wide layer cannot do as "
                            "cheaply. Trained nets still use far fewer pieces than their "
                            r"$2^{\text{depth}}$ capacity."
                        )
                with right:
                    ui.chart(lambda: viz.errors_figure(fits, PALETTE), key="ua_errors")

with parts[1]:
    st.header("Universality in depth: narrow deep networks approximate too")
    st.markdown(
        "Width is not the only road: ReLU networks of width $n_0 + 1$ (here 2) approximate any "
        "continuous $f$ on a compact set if they may be deep enough (Hanin & Sellke 2017). The "
        "network built below by hand has width 3 (simpler to write down): each layer keeps $x$, "
        "keeps the sum so far and adds one hinge, so $L$ layers give $L + 1$ pieces and the "
        "error falls like $1/L^2$, as for one wide layer of $L$ hinges."
    )
    n_layers = ui.slider("Layers L of width 3 (built by hand)", 1, 40, 5, key="ua_narrow_layers")
    if target_error is None:
        with ui.guard("build the narrow deep network"):
            built = deep_narrow_network(target, LO, HI, int(n_layers))
            built_error = approximation_error(built, target, LO, HI)
            # trained even in a closed tab: its test MSE and seeds are metrics of the section
            with ui.working(f"Training {NARROW_DEEP}..."):
                runs = trained_narrow(target, int(seed))
            last = runs[-1]
            collapsed = sum(1 for f in runs if f.pieces == 1)
            cols = grid.cells(3)
            cols[0].metric(f"Built, {n_layers} layers of 3: max |f − hᵏ|", f"{built_error:.3e}")
            cols[1].metric(
                f"Trained {NARROW_DEEP}, seed {int(seed) + len(runs) - 1}: test MSE",
                f"{last.test_mse:.1e}",
            )
            cols[2].metric(
                "Seeds tried (collapsed to a constant)",
                f"{len(runs)} ({collapsed})",
                help=f"Seeds from the page's seed on, until one reaches a test MSE under "
                f"{NARROW_GOOD:.0%} of the variance of f ({NARROW_EPOCHS} epochs of Adam on the "
                "noiseless target)",
            )
            ui.chart(
                lambda: grid.legend_room(
                    constructions.narrow_deep_figure(
                        x_grid,
                        y_true,
                        built.forward(x_grid[:, None])[:, 0],
                        last,
                        int(n_layers),
                        PALETTE,
                    )
                ),
                key="ua_narrow",
            )
            st.caption(
                "Existence is not the same as being found: gradient descent on a narrow deep ReLU "
                "network often kills every unit of some layer and leaves a constant (one piece), "
                "as the theorem for width does not say how to find the weights either."
            )

with parts[2]:
    st.header("The sawtooth: depth buys pieces exponentially")
    st.markdown(
        "Telgarsky's construction: each hidden layer of two ReLU units computes the tent map "
        # two inline formulas, split at the minus (\: is its space): one is too wide to keep short
        r"$T(t) = 2\,\mathrm{relu}(t)$ $-\:4\,\mathrm{relu}(t - 1/2)$ of the layer below, so "
        "$k$ layers ($6k + 1$ parameters) give $T$ composed $k$ times: $2^k$ linear pieces. One "
        "hidden layer needs $2^k - 1$ units for as many."
    )
    ui.latex(
        r"T(t) = 2\,\mathrm{relu}(t) - 4\,\mathrm{relu}(t - \tfrac12),\qquad "
        r"h^k(x) = \underbrace{T \circ \cdots \circ T}_{k}(x),\qquad \#\text{pieces} = 2^k"
    )
    k = ui.slider("Depth k of the sawtooth", 1, 12, 3, key="ua_k")
    with ui.guard("build the sawtooth network"):
        saw = sawtooth_network(int(k))
        found = linear_pieces(saw, 0.0, 1.0)
        cols = grid.cells(4)
        cols[0].metric("Linear pieces on [0, 1] (exact count)", f"{found.count:,}")
        cols[1].metric("2ᵏ", f"{2 ** int(k):,}")
        cols[2].metric("Parameters of the deep net", f"{saw.n_params}")
        cols[3].metric("Parameters of one hidden layer", f"{3 * (2 ** int(k) - 1) + 1:,}")
        left, right = grid.cells(2, per_row=1)
        with left:
            ui.chart(
                lambda: constructions.pieces_figure(
                    found.breakpoints,
                    found.values()[:, 0],
                    f"Sawtooth, k = {k}: {found.count} pieces",
                    PALETTE,
                ),
                key="ua_saw",
                summary=f"{k} layers of 2 ReLU units ({saw.n_params} parameters) give "
                f"{found.count:,} linear pieces on [0, 1], rising from 0 to 1 and back "
                f"{2 ** (int(k) - 1):,} times; one hidden layer needs {2 ** int(k) - 1:,} units.",
            )
        with right:
            ui.chart(
                lambda: constructions.depth_width_figure(np.arange(1, 13), PALETTE),
                key="ua_depth_width",
            )

    with st.expander("At random initialisation, do deep nets have exponentially many pieces?"):
        with ui.guard("count the pieces of random networks"):
            # counted even in a closed tab: the text below quotes the counts
            with ui.working("Counting the exact pieces of 96 random ReLU networks..."):
                rows = pieces_at_random_init(int(seed))
            by_key = {(row["total_neurons"], row["depth"]): row for row in rows}
            shallow, deepest = by_key[(16, 1)], by_key[(16, 8)]
            st.markdown(
                "No (Hanin & Rolnick, 2019): along a line, the count at initialisation grows with "
                "the total number of neurons, not exponentially with depth. Depth makes many "
                "pieces *possible*, not typical; at a fixed number of neurons, deeper nets here "
                f"even have fewer: 16 neurons give {shallow['mean_pieces']:.1f} pieces on average "
                f"in one layer and {deepest['mean_pieces']:.1f} in 8 layers of 2."
            )
            ui.chart(lambda: constructions.hanin_rolnick_figure(rows), key="ua_hanin")

with parts[3]:
    st.header("One hidden layer, by construction: steps make bumps")
    st.markdown(
        "A steep sigmoid is a step; a step up and a step down make a bump. $n$ step units make "
        "$n$ steps ($n + 1$ levels), with error $O(1/n)$. ReLU hinges interpolate $f$ piecewise "
        "linearly, with error $O(h^2) = O(1/n^2)$."
    )
    ui.latex(
        r"\hat f(x) = f(c_0) + \sum_{j=1}^{n} \big(f(c_j) - f(c_{j-1})\big)\,"
        r"\sigma\big(s\,(x - e_j)\big)"
    )
    cols = st.columns(3)
    with cols[0]:
        units = ui.slider("Hidden units n", 1, 200, 12, key="ua_units")
    with cols[1]:
        kind = ui.radio("Construction", ["step", "relu"], key="ua_kind", horizontal=True)
    with cols[2]:
        share = ui.select_slider(
            "Target error (share of f's amplitude)",
            [0.3, 0.1, 0.03, 0.01, 0.003, 0.001],
            0.03,
            key="ua_tol",
            help=r"The largest $|f(x) - h^2(x)|$ allowed, as a share of $f$'s amplitude "
            r"$(\max f - \min f) / 2$ on $[-1, 1]$ (0.03 = 3 %): the same setting asks as much "
            "of $1000 f$ as of $f$.",
        )
    if target_error is None:
        with ui.guard("build the one-hidden-layer network"):
            net = bump_network(target, LO, HI, int(units), kind)
            cols = grid.cells(3)
            bump_error = approximation_error(net, target, LO, HI)
            cols[0].metric("max |f(x) − h²(x)|", f"{bump_error:.3e}")
            pieces = count_linear_regions(net, LO, HI) if kind == "relu" else None
            cols[1].metric("Linear pieces", "smooth" if pieces is None else f"{pieces}")
            tolerance = float(share) * (float(y_true.max()) - float(y_true.min())) / 2
            with ui.working("Searching the fewest units for the target error..."):
                try:
                    needed = f"{units_needed(target, kind, tolerance):,}"
                except ValueError as error:
                    needed = "over 4,000"
                    st.caption(str(error))
            cols[2].metric(f"Units needed for error {tolerance:.3g}", needed)
            left, right = grid.cells(2, per_row=1)
            with left:
                ui.chart(
                    lambda: constructions.bump_figure(
                        x_grid,
                        y_true,
                        net.forward(x_grid[:, None])[:, 0],
                        f"{units} {kind} units",
                        kind,
                        PALETTE,
                    ),
                    key="ua_bump",
                    summary=f"{units} {kind} units approximate the target with max error "
                    f"{bump_error:.3e}.",
                )
            with right:
                # the sweep (both constructions at 14 widths) feeds only this chart, so a closed
                # tab skips it
                if parts[3].open:
                    with ui.working("Measuring the error of both constructions..."):
                        counts, errors = bump_errors(target)
                    ui.chart(
                        lambda: constructions.bump_error_figure(counts, errors, PALETTE),
                        key="ua_bump_error",
                    )
    else:
        st.caption("The fits and the constructions need a target that can be used (see above).")

st.page_link(
    "pages/width_depth.py",
    label="Choosing width and depth",
    help="A bottleneck, width first or last, depth on repeating patterns",
    icon=":material/view_column:",
)
ui.show_code(linear_pieces, sawtooth_network, bump_network, deep_narrow_network)
