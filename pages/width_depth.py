"""Choosing width and depth (the slide L581-593): bottlenecks, width first or last, depth."""

import numpy as np
import pandas as pd
import streamlit as st

from nncore.approximation import equal_budget_architectures, n_params_of, one_projection_floor
from nncore.datasets import REGRESSION_TARGETS
from nncore.formula import FormulaError, parse_formula
from viz import approximation as approximation_viz
from viz import grid, margins, sections, ui
from viz import width_depth as viz
from viz.approximation_runs import DEPTH_BUDGET, DEPTH_EPOCHS, PRESETS

ui.page_header(
    "Choosing width and depth",
    "The slide's advice (L581-593): width controls how many linear pieces a layer can make; "
    "keep the widths the same or decreasing; a wide layer after a narrow one cannot bring back "
    "what the narrow one discarded (the slide says it 'provides no value', which overstates: "
    "it can still add pieces, measured below); depth identifies and repeats patterns. Every "
    "network here is trained with Adam (lr 0.01, batch 32); sections 1 and 2 run several "
    "seeds and show the median and the range.",
    r"\frac{\partial h^k}{\partial h^0} = A^k A^{k-1} \cdots A^1,\quad A^j = "
    r"\operatorname{diag}\big(\sigma'(z^j)\big) W^j\ \Rightarrow\ "
    r"\operatorname{rank} \frac{\partial h^k}{\partial h^0} \le \min_j n_j",
)

PALETTE = ui.THEMES[ui.theme_name()]["colorway"]  # every figure's colours, in the page's theme
EPOCHS = [100, 200, 300, 500]
HIDDEN = ["relu", "abs", "leaky_relu", "tanh"]
N_TRAIN = 128  # training points per fit, for one input and for two
# section 3 is the approximation page's preset "Where depth wins (sawtooth)"
DEPTH_DEPTHS = PRESETS["depth wins"]["ua_depths"]


@st.cache_data(show_spinner=False, max_entries=256)
def fit_cached(sizes, target, hidden, epochs, seed, n_train):
    return viz.fit_one(list(sizes), target, hidden, int(epochs), int(seed), int(n_train))


def fit_all(networks, target, hidden, epochs, n_seeds, n_train, text, key):
    """Every network for seeds 0..n_seeds-1, with a progress bar and a Stop button; a list of
    SeededFits (after Stop: the networks whose every seed was trained)."""
    jobs = [
        (tuple(sizes), target, hidden, epochs, seed, n_train)
        for sizes in networks
        for seed in range(n_seeds)
    ]
    done = {}
    for job in ui.stoppable_jobs(jobs, text, key=key):
        done[(job[0], job[4])] = fit_cached(*job)
    fits = []
    for sizes in networks:
        if any((tuple(sizes), seed) not in done for seed in range(n_seeds)):
            continue  # stopped before all its seeds were trained
        results = [done[(tuple(sizes), seed)] for seed in range(n_seeds)]
        errors = np.array([r[0] for r in results])
        order = np.argsort(errors)
        middle = int(order[(len(order) - 1) // 2])
        pieces = [r[3] for r in results]
        fits.append(
            viz.SeededFits(
                sizes=list(sizes),
                n_params=n_params_of(sizes),
                seeds=list(range(n_seeds)),
                test_mse=errors,
                directions=np.array([r[1] for r in results]),
                grid_values=results[middle][2],
                pieces=None if any(p is None for p in pieces) else np.array(pieces),
            )
        )
    return fits


@st.cache_data(show_spinner=False, max_entries=16)
def floor_cached(target):
    return one_projection_floor(target)


@st.cache_data(show_spinner=False, max_entries=16)
def depth_on_two_targets(seed):
    rows = equal_budget_architectures(DEPTH_BUDGET, DEPTH_DEPTHS)
    panels = []
    for name in ("sine", "sawtooth"):
        x, y = approximation_viz.target_on_grid(name, -1.0, 1.0)
        fits = [
            approximation_viz.fit_network(
                row["sizes"], name, epochs=DEPTH_EPOCHS, n_train=N_TRAIN, seed=seed
            )
            for row in rows
        ]
        panels.append((name, y, fits))
    return x, panels


FORMATS = {"test MSE (median)": "%.2e", "best seed": "%.2e", "worst seed": "%.2e"}

cols = st.columns(3)
with cols[0]:
    hidden = ui.select("Hidden units", HIDDEN, key="wd_hidden")
with cols[1]:
    epochs = ui.select_slider("Epochs", EPOCHS, 200, key="wd_epochs")
with cols[2]:
    n_seeds = ui.slider("Seeds per network", 1, 5, 3, key="wd_seeds")
st.caption(
    f"These three settings apply to sections 1 and 2. Section 3 (Depth on repeats) keeps its "
    f"own: ReLU units, {DEPTH_EPOCHS} epochs and one seed, chosen in its tab. Every network "
    "trains on its target put on a standard scale (mean 0, variance 1) and takes the scale back "
    "in its output layer: the errors are in $f$'s units, and $1000 f$ changes them by $1000^2$ "
    "and nothing else."
)

# One tab per section, kept in the URL; every tab's networks are trained and its numbers
# computed (each section's table needs its training), only the open tab's chart is drawn
# (viz.sections).
parts = sections.tabs(
    ["Bottleneck", "Width first or last", "Depth on repeats"],
    key="wd_section",
    opened_by={
        "Width first or last": ["wd_lists1", "wd_target1"],
        "Depth on repeats": ["wd_depth_seed"],
    },
)

with parts[0]:
    st.header("1. A bottleneck nothing after it can undo (two inputs)")
    st.markdown(
        r"With two inputs, a hidden layer of one unit passes on a single number, $x w^\top + b$. "
        "Whatever comes after it, however wide, sees only that number, so the network is "
        r"constant along the parallel lines $x w^\top = c$ (stripes in the picture). Its error "
        "cannot drop below the error of the best function of one projection of $x$, computed "
        "below directly from the target."
    )
    cols = st.columns([2, 3])
    with cols[0]:
        target_2d = ui.text(
            "Target f(x1, x2)", "x1^2 - x2^2 + x1*x2", key="wd_target", max_chars=200
        )
    with cols[1]:
        lists_2d = ui.text(
            "Networks (width lists n₀, …, 1; separated by ';')",
            "2, 1, 64, 1; 2, 2, 64, 1; 2, 64, 1",
            key="wd_lists2",
            help=f"Up to {viz.MAX_NETWORKS} networks, widths 1..{viz.MAX_WIDTH}.",
        )

    with ui.guard("fit the two-input networks"):
        try:
            if target_2d.strip().lower() not in REGRESSION_TARGETS:
                parse_formula(target_2d, variables=("x1", "x2", "x", "y"))
            target_grid = viz.target_values(target_2d, 2)
        except ValueError as error:  # one message, in monospace so the caret sits under the column
            st.error(
                "This target cannot be used; the problem is shown below.", icon=":material/error:"
            )
            shown = (
                error.reason + "\n" + error.pointer() if isinstance(error, FormulaError) else error
            )
            st.code(str(shown).rstrip(), language=None, wrap_lines=True)
        else:
            networks = viz.parse_width_lists(lists_2d, 2)
            with ui.working("Computing the best error of one projection..."):
                floor = floor_cached(target_2d)
            fits = fit_all(
                networks, target_2d, hidden, epochs, n_seeds, N_TRAIN, "Training", "wd_training2"
            )
            cols = grid.cells(3)
            cols[0].metric(
                "Best error of any g(x uᵀ)",
                ui.magnitude(floor["mse"]),
                help=r"min over directions $u$ of $E[(f - E[f \mid x u^\top])^2]$ on the square "
                "(binned)",
            )
            cols[1].metric("Its direction u (degrees)", f"{floor['angle']:.0f}")
            cols[2].metric("Variance of f (a constant's error)", ui.magnitude(np.var(target_grid)))
            if fits:  # none when Stop came before a network's last seed
                ui.table(
                    viz.summary_table(fits, floor["mse"]),
                    "wd_table2",
                    lead=[
                        "network",
                        "test MSE (median)",
                        "input directions used",
                        "lowest error possible",
                    ],
                    formats=FORMATS,
                    lead_only_when_presenting=True,
                )
                ui.chart(
                    lambda: viz.surfaces_figure(
                        viz.grid_2d()[0],
                        target_grid,
                        fits,
                        per_row=2 if ui.is_presenter() else 4,
                        # presenter mode: the main column of a projector at 1024 px
                        width_px=(
                            margins.NARROW_MAIN_PX if ui.is_presenter() else margins.MAIN_WIDTH
                        ),
                    ),
                    key="wd_surfaces",
                )
                st.caption(
                    "'Input directions used' counts the singular values of "
                    r"$\partial h^k/\partial x$ (stacked over the test grid) above rounding: a "
                    "width-1 layer leaves exactly one, whatever follows. Width $2 = n_0$ keeps "
                    "both, unless one of its two ReLU units dies in training, which some seeds "
                    "show as a worst case near the floor."
                )

with parts[1]:
    st.header("2. Same or decreasing widths: width first against width last (one input)")
    st.markdown(
        "[1, 32, 2, 1] and [1, 2, 32, 1] have the same 133 parameters. Put first, the wide layer "
        "makes the pieces from x itself; put last, it can only bend what two units passed on. "
        "[1, 2, 2, 1] against [1, 2, 32, 1] asks the slide's question directly: does a wide layer "
        "after a narrow one add anything?"
    )
    cols = st.columns([3, 2])
    with cols[0]:
        lists_1d = ui.text(
            "Networks (one input; width lists separated by ';')",
            "1, 32, 2, 1; 1, 2, 32, 1; 1, 2, 2, 1",
            key="wd_lists1",
        )
    with cols[1]:
        target_1d = ui.select("Target f(x)", ["sine", "abs", "sawtooth", "step"], key="wd_target1")

    with ui.guard("fit the one-input networks"):
        networks = viz.parse_width_lists(lists_1d, 1)
        fits_1d = fit_all(
            networks, target_1d, hidden, epochs, n_seeds, N_TRAIN, "Training", "wd_training1"
        )
        if fits_1d:  # none when Stop came before a network's last seed
            ui.table(
                viz.summary_table(fits_1d),
                "wd_table1",
                lead=["network", "test MSE (median)", "parameters", "linear pieces (median)"],
                formats=FORMATS,
                lead_only_when_presenting=True,
            )
            ui.chart(lambda: viz.errors_strip_figure(fits_1d, PALETTE), key="wd_strip")
            by_sizes = {tuple(f.sizes): f for f in fits_1d}
            verdicts = []
            first, last, narrow = (32, 2), (2, 32), (2, 2)
            if (1, *first, 1) in by_sizes and (1, *last, 1) in by_sizes:
                a, b = by_sizes[(1, *first, 1)].median, by_sizes[(1, *last, 1)].median
                verdicts.append(
                    f"Width first: [1, 32, 2, 1] has median test MSE {a:.1e}, width last "
                    f"[1, 2, 32, 1] {b:.1e}, "
                    f"{'a factor ' + ui.factor(b / a) + ' worse' if b > a else 'no worse'} "
                    "at the same parameter count."
                )
            if (1, *narrow, 1) in by_sizes and (1, *last, 1) in by_sizes:
                a, b = by_sizes[(1, *narrow, 1)].median, by_sizes[(1, *last, 1)].median
                verdicts.append(
                    f"Wide after narrow: [1, 2, 2, 1] has {a:.1e}, [1, 2, 32, 1] {b:.1e}: "
                    "the wide layer "
                    + (
                        f"lowers the error by a factor {ui.factor(a / b)}, so it is not without "
                        "value; it "
                        "cannot bring back what the narrow layer discarded (section 1), but it "
                        "can add pieces."
                        if b < a
                        else "does not help here."
                    )
                )
            for verdict in verdicts:
                st.markdown(f"- {verdict}")

with parts[2]:
    st.header("3. Depth pays off on repeating patterns")
    st.markdown(
        f"The same budget of {DEPTH_BUDGET} parameters spent on one wide ReLU layer or on three "
        "narrow ones, the same training, on a smooth target and on one that repeats a pattern."
    )
    st.info(
        "This section does not use the Hidden units, Epochs and Seeds per network above: it "
        f"always trains ReLU units for {DEPTH_EPOCHS} epochs with one seed (below). The setting "
        "is the approximation page's preset 'Where depth wins (sawtooth)', so both pages show the "
        "same comparison; the table's exact count of linear pieces needs piecewise-linear units "
        "(tanh is not one); and its four networks are not trained again when a control above "
        "changes.",
        icon=":material/info:",
    )
    depth_seed = ui.number("Seed for this comparison", 0, 9999, 0, key="wd_depth_seed")
    with ui.guard("compare depth on the sine and the sawtooth"):
        with ui.working("Training 4 networks (one wide and one deep, on two targets)..."):
            x_depth, panels = depth_on_two_targets(int(depth_seed))
        cols = grid.cells(2, per_row=1)  # stacked in presenter mode: each value is "a / b"
        for col, (name, _, (wide, deep)) in zip(cols, panels, strict=True):
            winner = deep if deep.test_mse < wide.test_mse else wide
            col.metric(
                f"{name}: test MSE of {wide.short_label} / {deep.short_label}",
                f"{wide.test_mse:.1e} / {deep.test_mse:.1e}",
            )
            kind = "the deep net" if winner is deep else "the wide layer"
            col.markdown(f"**{kind} wins** ({winner.short_label})")
        ui.table(
            pd.DataFrame(
                [
                    {
                        "target": name,
                        "network": fitted.short_label,
                        "test MSE": fitted.test_mse,
                        "linear pieces (exact)": fitted.pieces,
                        "most pieces possible, ∏ (nᵢ + 1)": int(
                            np.prod([n + 1 for n in fitted.sizes[1:-1]])
                        ),
                        "parameters": fitted.n_params,
                    }
                    for name, _, fits in panels
                    for fitted in fits
                ]
            ),
            "wd_depth_table",
            lead=["target", "network", "test MSE", "linear pieces (exact)"],
            formats={"test MSE": "%.2e"},
            lead_only_when_presenting=True,
        )
        ui.chart(
            lambda: grid.legend_room(
                approximation_viz.depth_comparison_figure(
                    x_depth,
                    [(f"{name}: f(x)", y, fits) for name, y, fits in panels],
                    PALETTE,
                )
            ),
            key="wd_depth_two",
        )
        st.caption(
            "Why: depth composes. Each layer can fold what the layer below computed, so a deep net "
            "repeats one shape many times for the price of one layer (the sawtooth on the "
            "approximation page doubles its teeth per layer of 2 units). A smooth target without "
            "repeats gains nothing from that, and one wide layer places its kinks more freely. "
            "Trained networks also rarely use their exponential capacity: the deep net's linear "
            "pieces stay far below the most its widths allow (each layer can split every piece "
            "into at most $n_i + 1$). The approximation page keeps this "
            "comparison as a bookmarkable preset: 'Where depth wins (sawtooth)'."
        )
