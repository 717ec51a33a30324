"""Gradients through depth: per-layer gradient norms, activation histograms, Jacobian products."""

import time

import numpy as np
import pandas as pd
import streamlit as st

import nncore as nn
from nncore import gradflow
from nncore.digits import load_digits
from viz import gradients as viz
from viz import grid, ui

ui.page_header(
    "Gradients through depth",
    "The gradient for layer $i$ carries the Jacobians $A^j$ of every layer above it, multiplied "
    r"in order from the top, $A^k A^{k-1} \cdots A^{i+1}$, so each layer can shrink or grow it. "
    "Below, a real network on the 8x8 digits (64 inputs, 10 classes, softmax output) shows "
    "where that product vanishes and where it explodes.",
)
ui.latex(
    r"\frac{\partial l}{\partial W^i} = \frac{\partial l}{\partial h^k}\,"
    r"A^k A^{k-1} \cdots A^{i+1}\,\frac{\partial f^i(h^{i-1}, W^i)}{\partial W^i}"
)
ui.latex(
    r"A^j = \frac{\partial f^j(h^{j-1}, W^j)}{\partial h^{j-1}} = \operatorname{diag}"
    r"\big(\sigma'(z^j)\big)\,W^j"
)

ACTIVATIONS = [name for name in nn.ACTIVATIONS if name != "identity"] + ["identity"]
INITIALIZERS = sorted(nn.INITIALIZERS)
BATCH_ROWS = 256
JACOBIAN_ROWS = 64  # data points for the singular values of A^k ... A^(k-f+1) (the figure)
PRODUCT_ROWS = 8  # data points for the singular values of A^(k-1) ... A^1 (the metric)
VIEWS = ["At initialisation", "After training", "Where gradients vanish or explode"]
PHASE_DEPTHS = [1, 2, 4, 8, 16, 30]
# Up to 16: sigmoid balances only near g = 10 (by saturating half its activations), so a map that
# stopped at 4 would suggest it never does.
PHASE_GAINS = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0, 16.0]
PHASE_ROWS = 128
LEARNING_RATE = 1e-3
BATCH_SIZE = 64
KEPT_RUNS = 2  # unfinished training runs kept per session (a Stop keeps one to continue)
FINISHED_KEPT = 8  # finished runs kept for every session (each holds its activations)
NUMBER_FORMATS = {"‖∂l/∂Wⁱ‖": "%.2e", "‖∂l/∂hⁱ⁻¹‖": "%.2e", "RMS gain of Aⁱ": "%.3g"}
TABLE_LEAD = ["layer i", "‖∂l/∂Wⁱ‖", "‖∂l/∂hⁱ⁻¹‖", "RMS gain of Aⁱ"]

# rows of three in presenter mode: five in a row at 1024 px cut "sigmoid" in its select box
cols = grid.cells(5, per_row=3)
with cols[0]:
    depth = ui.slider("Hidden layers", 1, 30, 8, key="gr_depth")
with cols[1]:
    width = ui.select_slider("Width nᵢ", [4, 8, 16, 32, 64, 128, 256], 64, key="gr_width")
with cols[2]:
    activation = ui.select(
        "Activation σ", ACTIVATIONS, key="gr_act", index=ACTIVATIONS.index("sigmoid")
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
seed = int(ui.number("Seed", 0, 9999, 0, key="gr_seed"))
st.caption(
    "Start with the setting Glorot & Bengio (2010) criticised, sigmoid with the old "
    r"$U[-1/\sqrt{n}, 1/\sqrt{n}]$ ('uniform'), then try tanh with 'glorot' and ReLU with 'he'. "
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
    """LayerStats of the fresh network on the first BATCH_ROWS digits, and whether W^k = 0."""
    x, y = digits()
    net = network(depth, width, activation, init, seed)
    stats = viz.layer_stats(
        net, x[:BATCH_ROWS], y[:BATCH_ROWS], jacobian_rows=JACOBIAN_ROWS, product_rows=PRODUCT_ROWS
    )
    return stats, not np.any(net.weights[-1])


@st.cache_data(show_spinner=False, max_entries=128)
def phase_cells(activation, width, gain, seed):
    """One gain's row of the vanishing/exploding map: (log10 ratios, saturated shares)."""
    x, y = digits()
    return viz.phase_cells(
        activation, min(width, 128), PHASE_DEPTHS, gain, x[:PHASE_ROWS], y[:PHASE_ROWS], seed
    )


@st.cache_resource(show_spinner=False)
def finished_runs() -> dict:
    """Finished training runs shared by every session: config -> (LayerStats, loss, W^k = 0)."""
    return {}


def verdict_message(verdict: str, stats, top_weights_zero: bool) -> str:
    """What the verdict means for this network, naming the real cause."""
    if verdict == "dead":
        if top_weights_zero:
            return (
                "The output layer's weights $W^k$ are all zero (the 'zeros' initialiser), so "
                r"$\partial l/\partial h^{k-1} =$ $(\partial l/\partial z^k)\,W^k = 0$: no "
                "gradient passes back at all, and zero weights never break the symmetry between "
                "units."
            )
        return (
            r"$\partial l/\partial h^{k-1} =$ $(\partial l/\partial z^k)\,W^k$ is exactly zero: "
            "no gradient passes back."
        )
    if verdict == "vanishing":
        pairs = zip(stats.dead, stats.widths, strict=True)
        blocked = [i + 1 for i, (dead, n) in enumerate(pairs) if dead == n]
        if stats.grad_h[0] == 0.0 and blocked:
            return (
                f"No gradient reaches the first layer: every unit of hidden layer "
                rf"{blocked[0]} is dead ($\sigma' = 0$ on every input), which blocks it."
            )
        return (
            "The gradient reaching the first layer is over 100x smaller than at the top: "
            "the lower layers barely learn."
        )
    if verdict == "exploding":
        return (
            "The gradient reaching the first layer is over 100x larger than at the top: "
            "steps that suit the top layers blow up the bottom ones."
        )
    return "Gradients keep a similar size across the hidden layers."


def power_of_ten(exponent: float) -> str:
    """10^exponent as text: "0" for -inf, "inf" beyond float64, "-" for NaN."""
    if np.isnan(exponent):
        return "-"
    with np.errstate(over="ignore", under="ignore"):
        return f"{np.power(10.0, exponent):.2e}"


def show_metrics(stats, loss_label: str, loss_text: str) -> str:
    """Two rows of metrics for one snapshot; returns the verdict."""
    verdict, ratio = viz.flow_verdict(stats.grad_h)
    estimate = stats.log_ratio.get("rms", np.nan)
    units = int(sum(stats.widths))
    top = st.columns(3)
    top[0].metric(loss_label, loss_text)
    top[1].metric(
        "‖∂l/∂h⁰‖ / ‖∂l/∂hᵏ⁻¹‖",
        "0 / 0" if verdict == "dead" else f"{ratio:.2e}",
        help="Frobenius norms over the batch of 256 digits: the hidden layers' product only.",
    )
    top[2].metric(
        "Estimate from the RMS gains",
        power_of_ten(estimate),
        help=r"10 to the power $\sum_j \log_{10} \|A^j\|_F / \sqrt{n_j}$ over the hidden "
        "layers, averaged over the data points (formula below).",
    )
    bottom = st.columns(3)
    bottom[0].metric(
        "Largest singular value of Aᵏ⁻¹⋯A¹",
        f"{stats.hidden_singular:.2e}",
        help=f"Per data point, median over the first {PRODUCT_ROWS} digits: the most one "
        "digit's gradient can grow through the hidden layers (the output layer's $A^k$ is left "
        "out, as in the ratio).",
    )
    bottom[1].metric(
        "Activations with σ′ ≈ 0",
        f"{np.mean(stats.saturated):.1%}" if stats.saturated.size else "-",
        help=r"Share of entries (one digit, one unit) with $\sigma'(z) < 5\%$ of its maximum: "
        "entries, not units (a ReLU unit below zero on half the digits counts half).",
    )
    bottom[2].metric(
        "Dead units",
        f"{int(np.sum(stats.dead))} of {units}",
        help=r"Units with $\sigma'(z) = 0$ on every one of the 256 digits (ReLU: $z \le 0$ on "
        "every input): the lecture's useless units, whose weights never get a gradient.",
    )
    return verdict


def show_stats(stats, suffix):
    """The three figures and the per-layer tables of one or more snapshots."""
    verdicts = []
    for label, layer in stats.items():
        verdict, ratio = viz.flow_verdict(layer.grad_h)
        verdicts.append(f"{label}: ‖∂l/∂h⁰‖ / ‖∂l/∂hᵏ⁻¹‖ = {ratio:.2e}, {verdict}")
    ui.chart(
        viz.gradient_norms_figure(stats, ui.theme_colours()),
        key=f"gr_norms{suffix}",
        summary="; ".join(verdicts) + ".",
    )
    ui.chart(viz.activation_density_figure(stats), key=f"gr_hist{suffix}")
    st.markdown(
        r"Each factor $A^j = \operatorname{diag}(\sigma'(z^j))\,W^j$ scales a gradient by about "
        r"its RMS gain $\|A^j\|_F / \sqrt{n_j}$ (the table's column). With weights of variance "
        r"$\operatorname{Var}(W)$ that gain is about "
        r"$\sqrt{n \operatorname{Var}(W)\, \mathbb{E}[\sigma'(z)^2]}$ (equal widths $n$), so "
        r"the product stays near 1 only when $n \operatorname{Var}(W)\, \mathbb{E}[\sigma'(z)^2]$ "
        r"is near 1: tanh with $z$ near 0 ($\sigma'$ near 1) and Glorot's "
        r"$\operatorname{Var}(W) = 1/n$, ReLU ($\mathbb{E}[\sigma'^2] = 1/2$ when half the inputs "
        r"are positive) with He's $2/n$. Sigmoid's $\sigma'^2 \le 1/16$ would need "
        r"$\operatorname{Var}(W) \ge 16/n$, weights large enough to saturate many units. "
        "Keeping $z$ near 0 with unit variance is not enough."
    )
    ui.latex(
        r"\frac{\|A^j\|_F^2}{n_j} = \frac{1}{n_j}\sum_{r=1}^{n_j} \sigma'(z^j_r)^2\,"
        r"\|W^j_{r}\|^2 \approx n_{j-1}\,\operatorname{Var}(W^j)\,"
        r"\mathbb{E}\big[\sigma'(z^j)^2\big]"
    )
    ui.chart(viz.singular_values_figure(stats, ui.theme_colours()), key=f"gr_singular{suffix}")
    st.caption(
        "Singular values are per data point (the median over the first "
        f"{JACOBIAN_ROWS} digits), and this product starts at the output layer: its first factor "
        r"$A^k = (\operatorname{diag}(p) - p^\top p)\,W^k$ shrinks as the predictions grow "
        "confident (after training $p$ is nearly one-hot). So after training these values can "
        "be tiny while the verdict, a ratio of batch norms over the hidden layers only, says "
        "healthy: the gradient is small because the loss is small, not because depth swallows "
        "it. The metric above leaves $A^k$ out, like the verdict."
    )
    # one under the other in every mode: side by side, each table had half the column and hid
    # its last columns (473 px of columns in 400 px at 1280 px); ui.table keeps the number
    # formats in its HTML table, the lecture's columns first
    for index, (label, layer) in enumerate(stats.items()):
        st.caption(
            f"Per layer, {label} ({viz.NOT_HIDDEN}: the output layer has no hidden units; "
            "RMS gain: mean over the batch)"
        )
        ui.table(
            pd.DataFrame(viz.stats_table(layer)),
            key=f"gr_table{suffix}_{index}",
            lead=TABLE_LEAD,
            formats=NUMBER_FORMATS,
        )


def train_with_progress(config: tuple, epochs: int):
    """Train (or continue) the run for `config` with a progress bar and a Stop button.

    Returns (LayerStats, loss on all digits, W^k = 0, epochs done, batches of the next epoch
    done, message); the run is kept in the session, so Stop (or any other rerun) pauses it and
    "Continue training" resumes it.
    """
    depth, width, activation, init, _, seed = config
    x, y = digits()
    runs: dict = st.session_state.setdefault("gr_runs", {})
    run = runs.get(config)
    if run is None:
        net = gradflow.with_dtype(network(depth, width, activation, init, seed), np.float32)
        run = gradflow.MinibatchRun(
            net, x, y, epochs, optimizer="adam", lr=LEARNING_RATE, batch_size=BATCH_SIZE, seed=seed
        )
        runs[config] = run
        if st.session_state.get("gr_stopped") == config:  # a Stop from an earlier, dropped run
            del st.session_state["gr_stopped"]
        while len(runs) > KEPT_RUNS:
            runs.pop(next(iter(runs)))
    stopped = st.session_state.get("gr_stopped") == config
    if not run.finished and not stopped:
        stop_slot = st.empty()
        if stop_slot.button("Stop training", key="gr_stop", icon=":material/stop:"):
            st.session_state["gr_stopped"] = config
            stopped = True
        else:
            bar = st.progress(run.steps_done / run.total_steps, text="Training...")
            started, shown = time.perf_counter(), 0.0
            while not run.finished:
                run.step()
                now = time.perf_counter() - started
                if now - shown > 0.25 or run.finished:
                    shown = now
                    bar.progress(
                        run.steps_done / run.total_steps,
                        text=f"Training epoch {min(run.epoch + 1, epochs)} of {epochs} "
                        f"(batch {run.batch} of {run.batches_per_epoch}), {now:.0f} s: "
                        "Stop keeps what is trained so far",
                    )
            bar.empty()
        stop_slot.empty()
    trained = gradflow.with_dtype(run.net, np.float64)
    stats = viz.layer_stats(
        trained,
        x[:BATCH_ROWS],
        y[:BATCH_ROWS],
        jacobian_rows=JACOBIAN_ROWS,
        product_rows=PRODUCT_ROWS,
    )
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        loss = trained.loss(x, y)
    result = (stats, loss, not np.any(trained.weights[-1]), run.epoch, run.batch, run.message)
    if run.finished:
        finished_runs()[config] = result
        while len(finished_runs()) > FINISHED_KEPT:
            finished_runs().pop(next(iter(finished_runs())))
        runs.pop(config, None)
    return result


with ui.guard("compute the gradients"):
    with ui.working(f"Back-propagating through {depth} layers..."):
        start, start_top_zero = at_initialisation(depth, width, activation, init, seed)
    verdict = show_metrics(start, "Loss at initialisation", ui.magnitude(start.loss, 4))
    st.markdown(
        f"**{verdict.capitalize()} at initialisation.** "
        f"{verdict_message(verdict, start, start_top_zero)}"
    )

# Only the open tab runs (bound to the URL, so a bookmark reopens it): training and the map of
# 84 networks cost nothing until asked for.
views = ui.tabs(VIEWS, key="gr_view")

if views[0].open:
    with views[0], ui.guard("draw the network at initialisation"):
        show_stats({"at initialisation": start}, "")

if views[1].open:
    with views[1], ui.guard("train the network"):
        if epochs == 0:
            st.info("Set 'Training epochs' above 0 to train the network and compare with it.")
            show_stats({"at initialisation": start}, "_trained")
        else:
            config = (depth, width, activation, init, epochs, seed)
            result = finished_runs().get(config)
            if result is None:
                result = train_with_progress(config, epochs)
            trained, loss, top_zero, done, batches, message = result
            trained_for = f"{done} epochs" + (f" and {batches} batches" if batches else "")
            if message:
                st.warning(
                    f"Adam with lr {LEARNING_RATE:g} {message}. Showing the network as it was "
                    "before that step.",
                    icon=":material/warning:",
                )
            elif done < epochs:
                st.info(
                    f"Stopped after {trained_for} of {epochs} epochs: showing the network as "
                    "trained so far.",
                    icon=":material/pause:",
                )
                if st.button("Continue training", key="gr_continue", icon=":material/play_arrow:"):
                    st.session_state.pop("gr_stopped", None)
                    st.rerun()
            verdict_after = show_metrics(
                trained, f"Loss after {trained_for}", ui.magnitude(loss, 4)
            )
            st.markdown(
                f"**{verdict_after.capitalize()} after training.** "
                f"{verdict_message(verdict_after, trained, top_zero)}"
            )
            st.caption(
                "Trained in float32, as PyTorch does by default, with exactly nn.fit's "
                "updates (same shuffling, same Adam steps); measured in float64. The loss is "
                "over all 1797 digits."
            )
            show_stats({"at initialisation": start, f"after {trained_for}": trained}, "_trained")

if views[2].open:
    with views[2]:
        st.markdown(
            "Beyond the slide: the same measurement for every depth and every weight scale at "
            # in braces: one piece that KaTeX does not break after the dot or the tilde
            r"initialisation, ${W \sim N\big(0,\ g^2 \cdot \frac{2}{n_{in} + n_{out}}\big)}$ "
            "(Glorot normal scaled by the gain $g$). With tanh the balanced line sits "
            r"a little above $g = 1$ (Glorot); with ReLU near $g = \sqrt{2}$ (He). Sigmoid "
            r"vanishes at every gain up to 4: its $\sigma' \le 1/4$ shrinks each layer unless the "
            "weights are large. It balances only near $g = 10$ (at width 64; narrower layers "
            "need larger $g$), and it gets there by saturating about half of its activations "
            "(hover a cell for the share); beyond that it explodes."
        )
        ui.latex(
            r"\log_{10}\frac{\|\partial l/\partial h^0\|}{\|\partial l/\partial h^{k-1}\|}"
            r" \approx \sum_{j=1}^{k-1} \log_{10} \frac{\|A^j\|_F}{\sqrt{n_j}}"
        )
        log_ratio = {
            name: (f"{value:+.2f}" if np.isfinite(value) else "undefined (a zero norm)")
            for name, value in start.log_ratio.items()
        }
        st.markdown(
            r"The norm is the RMS gain $\|A^j\|_F / \sqrt{n_j}$: the factor by which $A^j$ "
            "scales a gradient with no preferred direction. For the network above (at "
            rf"initialisation): measured {log_ratio['measured']}, sum of $\log_{{10}}$ RMS gains "
            rf"{log_ratio['rms']}. With the spectral norm $\|A^j\|_2$ the relation is only an "
            "upper bound (per data point), and a loose one"
            + (
                f": its sum is {log_ratio['spectral']} here."
                if width <= viz.SPECTRAL_MAX_WIDTH
                else f" (computed for widths up to {viz.SPECTRAL_MAX_WIDTH})."
            )
        )
        with ui.guard("map the vanishing and exploding regions"):
            text = f"Initialising {len(PHASE_GAINS) * len(PHASE_DEPTHS)} networks, one row per gain"
            # sigmoid at width 128 takes several seconds: a Stop keeps the rows measured so far
            jobs = [(activation, width, gain, seed) for gain in PHASE_GAINS]
            cells = [
                phase_cells(*job)
                for job in ui.stoppable_jobs(jobs, text, key="gr_phase_rows", action="measuring")
            ]
            if cells:  # none when Stop came before the first row was measured
                gains = PHASE_GAINS[: len(cells)]
                ratios = np.stack([ratio for ratio, _ in cells])
                saturated = np.stack([share for _, share in cells])
                ui.chart(
                    viz.phase_figure(PHASE_DEPTHS, gains, ratios, saturated=saturated),
                    key="gr_phase",
                )
                balanced = viz.balanced_gain(gains, ratios[:, -1])
                deepest = PHASE_DEPTHS[-1]
                if balanced is None:
                    found = (
                        f"no gain in this map balances {activation} at depth {deepest}."
                        if len(gains) == len(PHASE_GAINS)
                        else f"no gain measured so far (up to $g = {gains[-1]:g}$) balances "
                        f"{activation} at depth {deepest}."
                    )
                else:
                    nearest = int(np.argmin(np.abs(np.log(gains) - np.log(balanced))))
                    found = (
                        f"at depth {deepest}, {activation} balances near $g = {balanced:.3g}$, "
                        f"where {saturated[nearest, -1]:.0%} of its activations are saturated "
                        f"(at $g = {gains[nearest]:g}$)."
                    )
                st.caption(
                    f"Each cell is one network of {min(width, 128)} {activation} units per hidden "
                    f"layer (the width, capped at 128), seed {seed}, measured on the first "
                    f"{PHASE_ROWS} digits; the initialiser control does not apply here. Here: "
                    + found
                )

ui.show_code(nn.MLP.backprop, gradflow.rms_gains, gradflow.dead_unit_mask)
