"""The playground's controls: data, network, training and view widgets (kept in the URL), your
points, and the Play / Step / Reset buttons with their callbacks.

Every widget keeps the key it always had (a bookmarked run's URL must keep working):
pg_problem, pg_data, pg_classes, pg_points, pg_noise, pg_seed, pg_test, pg_features, pg_layers,
pg_w<i>, pg_a<i>, pg_opt, pg_lr, pg_batch, pg_reg, pg_rate, pg_dropout, pg_tick, pg_show_test,
pg_discrete, pg_unit. The run itself lives in st.session_state["pg_session"] (a
viz.playground.Session) and st.session_state["pg_playing"].
"""

from __future__ import annotations

import streamlit as st

import nncore as nn
from nncore.features import FEATURES
from nncore.optim import OPTIMIZERS
from viz import playground as viz
from viz import playground_text as text
from viz import ui
from viz.playground_picture import FEATURE_LABELS, View
from viz.symbols import sub

ACTIVATIONS = list(nn.ACTIVATIONS)
WIDTHS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 48, 64]
BATCHES = [1, 2, 5, 10, 20, 50, 100, 500]
PENALTY_RATES = [0.0, 1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3]
DROPOUT_RATES = [0.0, 0.1, 0.2, 0.3, 0.5]
MAX_LAYERS = 8
# A feature's pill shows its name as the picture writes it (x₁², not nncore's key x1^2). The
# pills' values are these shown names, mapped back to nncore's keys: Streamlit keeps the shown
# text in the URL, and viz.controls compares a link with the values. A link made when the pills
# showed nncore's plain names (x1^2, x1 x2, sin x1) names the same features (the pills' aliases).
FEATURE_NAMES = {name: FEATURE_LABELS[name] for name in FEATURES}
FEATURE_KEYS = {shown: name for name, shown in FEATURE_NAMES.items()}
OLD_FEATURE_NAMES = {FEATURES[name].text: FEATURE_NAMES[name] for name in FEATURES}


def control_columns(spec, per_row: int = 3):
    """st.columns(spec); in presenter mode rows of at most per_row equal columns (large type
    needs the room: six columns at 1024 px cut labels and values off)."""
    n = spec if isinstance(spec, int) else len(spec)
    if not ui.is_presenter():
        return st.columns(spec)
    cols = []
    for _ in range(0, n, per_row):
        cols += st.columns(per_row)
    return cols[:n]


# ----------------------------------------------------------------------------------- the data
def data_controls() -> dict:
    """Problem, data set, classes, points, noise, seed, test share, input features."""
    cols = control_columns([1.2, 1.4, 1, 1, 1, 1])
    with cols[0]:
        problem = ui.radio("Problem", ["classification", "regression"], key="pg_problem")
    data_sets = viz.CLASSIFICATION_SETS if problem == "classification" else viz.REGRESSION_SETS
    if st.session_state.get("pg_data") not in data_sets:  # the other problem's data set
        st.session_state["pg_data"] = data_sets[
            data_sets.index("spirals") if "spirals" in data_sets else 0
        ]
    with cols[1]:
        dataset = ui.select("Data set", data_sets, key="pg_data")
    is_plane = dataset != "digits"
    generated = dataset not in ("digits", viz.OWN)
    with cols[2]:
        n_classes = ui.slider(
            "Classes",
            2,
            6,
            3,
            key="pg_classes",
            disabled=dataset not in ("blobs", "spirals"),
            help="blobs and spirals take 2 to 6 classes; the other sets have 2",
        )
    with cols[3]:
        n_points = ui.select_slider(
            "Points", [100, 200, 500, 1000, 2000], 500, key="pg_points", disabled=not generated
        )
    with cols[4]:
        noise = ui.slider("Noise", 0.0, 0.5, 0.1, key="pg_noise", step=0.05, disabled=not generated)
    with cols[5]:
        seed = ui.number("Seed", 0, 9999, 0, key="pg_seed")
    cols = control_columns([1, 3], per_row=1)
    with cols[0]:
        test_percent = ui.slider(
            "Test points (%)",
            10,
            90,
            30,
            key="pg_test",
            step=5,
            help="The share of the points kept out of training (TF Playground: 50 %).",
        )
    with cols[1]:
        shown = ui.pills(
            "Input features (the columns of h⁰ = x; n₀ follows)",
            list(FEATURE_KEYS),
            selection_mode="multi",
            default=[FEATURE_NAMES["x1"], FEATURE_NAMES["x2"]],
            key="pg_features",
            aliases=OLD_FEATURE_NAMES,
            disabled=not is_plane,
        )
        features = [FEATURE_KEYS[name] for name in shown or ()]
    return {
        "problem": problem,
        "dataset": dataset,
        "is_plane": is_plane,
        "generated": generated,
        "n_classes": n_classes,
        "n_points": n_points,
        "noise": noise,
        "seed": seed,
        "test_percent": test_percent,
        "features": features,
    }


# -------------------------------------------------------------------------------- the network
def network_controls() -> tuple[list[int], list[str]]:
    """The number of hidden layers, then a width n_i and an activation sigma_i per layer."""
    cols = control_columns([1, 1, 1, 1, 1])
    with cols[0]:
        layers = ui.slider("Hidden layers", 0, MAX_LAYERS, 2, key="pg_layers")
    widths, activations = [], []
    per_row = 2 if ui.is_presenter() else 4
    for row_start in range(0, layers, per_row):
        row = st.columns(per_row)
        for i in range(row_start, min(layers, row_start + per_row)):
            with row[i - row_start]:
                inner = st.columns(2)
                with inner[0]:
                    width = ui.select_slider(
                        f"n{sub(i + 1)}", WIDTHS, 16 if i < 2 else 8, key=f"pg_w{i + 1}"
                    )
                    widths.append(width)
                with inner[1]:
                    activations.append(
                        ui.select(
                            f"σ{sub(i + 1)}",
                            ACTIVATIONS,
                            key=f"pg_a{i + 1}",
                            index=ACTIVATIONS.index("tanh"),
                        )
                    )
    return widths, activations


# ------------------------------------------------------------------------------- training
def training_controls() -> dict:
    """Optimiser, learning rate, batch size, regularisation and its rate, dropout, epochs per
    tick."""
    cols = control_columns(7)
    with cols[0]:
        optimizer = ui.select(
            "Optimiser", list(OPTIMIZERS), key="pg_opt", index=list(OPTIMIZERS).index("adam")
        )
    with cols[1]:
        lr = ui.select_slider("Learning rate η", text.RATES, 0.03, key="pg_lr")
    with cols[2]:
        batch_size = ui.select_slider("Batch size |B|", BATCHES, 10, key="pg_batch")
    with cols[3]:
        regularization = ui.select("Regularisation", ["none", "L1", "L2"], key="pg_reg")
    with cols[4]:
        reg_rate = ui.select_slider(
            "Rate λ", PENALTY_RATES, 0.0, key="pg_rate", disabled=regularization == "none"
        )
    with cols[5]:
        dropout = ui.select_slider(
            "Dropout p",
            DROPOUT_RATES,
            0.0,
            key="pg_dropout",
            help="Inverted dropout on the hidden layers, in training steps only: each hidden "
            r"unit dropped with probability $p$, the kept ones scaled by $1/(1 - p)$. Curves, maps "
            "and test numbers are computed without it (eval mode). Combines with L1 or L2.",
        )
    with cols[6]:
        epochs_per_tick = ui.slider("Epochs per tick", 1, 10, 1, key="pg_tick")
    return {
        "optimizer": optimizer,
        "lr": lr,
        "batch_size": batch_size,
        "regularization": regularization,
        "reg_rate": reg_rate,
        "dropout": float(dropout),
        "epochs_per_tick": epochs_per_tick,
    }


def dropout_explanation(p: float, hidden_layers: int) -> None:
    """With dropout on: what it does and what it does not touch, in words."""
    note = text.dropout_note(p, hidden_layers)
    if note:
        st.caption(note)


def show_formulas(
    optimizer: str, regularization: str, regression: bool, dropout: float = 0.0
) -> None:
    """The optimiser's update rule and the loss, in the lecture's notation; with dropout, its
    training-only rule for the hidden layers' outputs."""
    if ui.is_presenter():  # large type: one short formula per line, so none is cut off
        for line in text.update_lines(optimizer, regularization):
            ui.latex(line)
        for line in text.loss_lines(regression, regularization):
            ui.latex(line)
        for line in text.dropout_lines(dropout):
            ui.latex(line)
    else:
        ui.latex(text.update_latex(optimizer, regularization))
        ui.latex(text.loss_latex(regression, regularization))
        if dropout:
            ui.latex(text.dropout_latex(dropout))
    st.caption(f"Optimiser in use: {text.OPTIMISER_NAMES[optimizer]}.")


# ------------------------------------------------------------------------- the training run
def new_run(settings: viz.Settings, own) -> None:
    st.session_state["pg_session"] = viz.Session.start(settings, own)
    st.session_state["pg_playing"] = False


def train_tick(session: viz.Session, epochs: int) -> None:
    """THE place where the page trains: every Step and every tick of Play comes through here
    (a server-wide cap on concurrent trainings wraps this call)."""
    session.advance(epochs)


# The buttons act through callbacks: they run before the script, so their effect survives any
# rerun of the page (a click's True value would not).
def set_playing(value: bool) -> None:
    # idempotent on purpose: a click that lands during a fragment rerun can be replayed
    st.session_state["pg_playing"] = value


def take_step() -> None:
    session = st.session_state.get("pg_session")
    if session is not None:
        train_tick(session, int(st.session_state.get("pg_tick", 1)))


def reset_run() -> None:
    st.session_state.pop("pg_session", None)  # the page starts a fresh run
    st.session_state["pg_playing"] = False


def apply_lower_rate(rate: float) -> None:
    st.session_state["pg_lr"] = rate
    reset_run()


def current_session(settings: viz.Settings, own, is_plane: bool, features) -> viz.Session | None:
    """The run for these settings: the same one (retuned when only the optimiser's settings
    changed) or a new one; None (with an error on the page) when the settings cannot run."""
    session = None
    if settings.dataset == viz.OWN and viz.own_points_missing(own, settings.problem):
        reset_run()  # the page shows the empty plane to click on (viz.playground_own)
        return None
    with ui.guard("set up the training run"):
        if is_plane and not features:
            raise ValueError("choose at least one input feature")
        session = st.session_state.get("pg_session")
        if session is None or session.settings.model_key() != settings.model_key():
            with ui.working("Building the data and the network..."):
                new_run(settings, own)
        elif session.settings.optimiser_key() != settings.optimiser_key():
            session.retune(settings)
        session = st.session_state["pg_session"]
    return session


def run_buttons(session: viz.Session | None, epochs_per_tick: int) -> None:
    """Play / Pause (one button), Step, Reset: real buttons, so Tab reaches them and Enter or
    Space presses them, with the theme's focus ring."""
    presenter = ui.is_presenter()
    buttons = st.columns(3) + [st.container()] if presenter else st.columns([1, 1, 1, 4])
    playing = st.session_state["pg_playing"]
    buttons[0].button(
        "Pause" if playing else "Play",
        key="pg_play",
        type="primary",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        width="stretch",
        on_click=set_playing,
        args=(not playing,),
        disabled=session is None,
    )
    buttons[1].button(
        "Step",
        key="pg_step",
        icon=":material/skip_next:",
        width="stretch",
        on_click=take_step,
        disabled=session is None,
    )
    buttons[2].button(
        "Reset", key="pg_reset", icon=":material/restart_alt:", width="stretch", on_click=reset_run
    )
    buttons[3].caption(
        rf"Step and every tick of Play run {epochs_per_tick} epoch(s). Changing $\eta$, $|B|$, "
        "the optimiser, the regularisation or dropout keeps the weights; the rest starts over."
    )


# --------------------------------------------------------------------------------- the view
def unit_name(net, layer: int, j: int) -> str:
    """The unit selector's label: 'layer 2 unit 3', or 'output 1' for the output layer."""
    return f"layer {layer} unit {j}" if layer < net.depth else f"output {j}"


def parse_unit(net, name: str | None) -> tuple[int, int]:
    """'layer 2 unit 3' -> (2, 3); 'output 1' -> (k, 1); nothing -> (1, 0)."""
    if not name:
        return (1, 0)
    parts = name.split()
    if parts[0] == "output":
        return (net.depth, int(parts[1]))
    return (int(parts[1]), int(parts[3]))


def view_controls(session: viz.Session | None) -> View:
    """Show test points, discretize, the unit drawn large: how the run is drawn."""
    unit_options = []
    if session is not None:
        net = session.net
        for layer in range(1, net.depth + 1):
            unit_options += [unit_name(net, layer, j) for j in range(net.sizes[layer])]
    if st.session_state.get("pg_unit") not in unit_options:
        st.session_state.pop("pg_unit", None)
    cols = control_columns([1, 1, 2], per_row=2)
    with cols[0]:
        show_test = ui.toggle("Show test points", key="pg_show_test", value=True)
    with cols[1]:
        discretize = ui.toggle(
            "Discretize output",
            key="pg_discrete",
            help="Classification: the predicted class only; regression: above or "
            "below the middle of the targets' range.",
        )
    with cols[2]:
        chosen = (
            ui.select("Unit shown large (or click one when paused)", unit_options, key="pg_unit")
            if unit_options
            else None
        )
    return View(
        show_test=bool(show_test),
        discretize=bool(discretize),
        unit=parse_unit(session.net, chosen) if session is not None else (1, 0),
    )
