"""Playground: train an MLP live on points of the plane (or the digits) and watch every unit."""

import time
from dataclasses import asdict

import numpy as np
import pandas as pd
import streamlit as st

import nncore as nn
from nncore.export import numpy_code, torch_code
from nncore.features import FEATURES
from nncore.io import network_bytes, read_points_csv
from nncore.optim import OPTIMIZERS
from nncore.train import Trainer
from nncore.unitmaps import layer_outputs
from viz import playground as viz
from viz import playground_canvas as canvas
from viz import playground_canvas_digits as canvas_digits
from viz import playground_figures as figures
from viz import playground_overlay as overlay
from viz import playground_picture as picture
from viz import playground_text as text
from viz import playground_transform as transform
from viz import serving, ui

ui.page_header(
    "Playground",
    "Train a network while you watch: every tick runs whole epochs of mini-batch gradient "
    "descent through nncore and redraws every unit's output over the plane. Press Play, then "
    "change the learning rate, the batch size or the regularisation on the fly; data, features "
    "and architecture changes start a new run.",
)
formulas = st.container()  # the update rule of the optimiser chosen below

TICK_SECONDS = 0.05  # while playing, the fragment asks for a redraw this often
ACTIVATIONS = list(nn.ACTIVATIONS)
WIDTHS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 48, 64]
BATCHES = [1, 2, 5, 10, 20, 50, 100, 500]
PENALTY_RATES = [0.0, 1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3]
MAX_LAYERS = 8
FEATURE_NAMES = {name: FEATURES[name].text for name in FEATURES}


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


# --------------------------------------------------------------------------------- the data
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
    features = st.pills(
        "Input features (the columns of h^0 = x; n_0 follows)",
        list(FEATURES),
        selection_mode="multi",
        default=["x1", "x2"],
        format_func=FEATURE_NAMES.get,
        key="pg_features",
        bind="query-params",
        disabled=not is_plane,
    )

# ------------------------------------------------------------------------------ the network
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
                widths.append(
                    ui.select_slider(f"n_{i + 1}", WIDTHS, 16 if i < 2 else 8, key=f"pg_w{i + 1}")
                )
            with inner[1]:
                activations.append(
                    ui.select(
                        f"sigma_{i + 1}",
                        ACTIVATIONS,
                        key=f"pg_a{i + 1}",
                        index=ACTIVATIONS.index("tanh"),
                    )
                )

# ----------------------------------------------------------------------------- training
cols = control_columns(6)
with cols[0]:
    optimizer = ui.select(
        "Optimiser", list(OPTIMIZERS), key="pg_opt", index=list(OPTIMIZERS).index("adam")
    )
with cols[1]:
    lr = ui.select_slider("Learning rate eta", text.RATES, 0.03, key="pg_lr")
with cols[2]:
    batch_size = ui.select_slider("Batch size |B|", BATCHES, 10, key="pg_batch")
with cols[3]:
    regularization = ui.select("Regularisation", ["none", "L1", "L2"], key="pg_reg")
with cols[4]:
    reg_rate = ui.select_slider(
        "Rate lambda", PENALTY_RATES, 0.0, key="pg_rate", disabled=regularization == "none"
    )
with cols[5]:
    epochs_per_tick = ui.slider("Epochs per tick", 1, 10, 1, key="pg_tick")

with formulas:
    if ui.is_presenter():  # large type: one short formula per line, so none is cut off
        for line in text.update_lines(optimizer, regularization):
            st.latex(line)
        for line in text.loss_lines(problem == "regression", regularization):
            st.latex(line)
    else:
        st.latex(text.update_latex(optimizer, regularization))
        st.latex(text.loss_latex(problem == "regression", regularization))
    st.caption(f"Optimiser in use: {text.OPTIMISER_NAMES[optimizer]}.")

# ------------------------------------------------------------------------------ your points
st.session_state.setdefault("pg_own_version", 0)


def load_csv() -> None:
    """Upload callback: parse the file (errors name the row and column), start a new run."""
    uploaded = st.session_state.get("pg_csv")
    st.session_state.pop("pg_csv_error", None)
    if uploaded is None:
        return
    try:
        x, y = read_points_csv(uploaded.getvalue(), problem)
    except (ValueError, TypeError) as error:
        st.session_state["pg_csv_error"] = f"{uploaded.name}: {error}"
        return
    x, scale = viz.fit_to_plane(x)
    st.session_state["pg_own"] = viz.OwnPoints(x, y, problem)
    st.session_state["pg_own_note"] = f"{len(x)} points from {uploaded.name}" + (
        f", divided by {scale:.3g} to fit the plane" if scale != 1 else ""
    )
    st.session_state["pg_own_version"] += 1


def edit_points() -> None:
    """Copy the current data set's points into your points and switch to them."""
    session = st.session_state.get("pg_session")
    if session is None or not session.settings.is_plane:
        return
    data = session.data
    x = np.vstack([data.p_train, data.p_test])
    y = np.concatenate([data.y_train, data.y_test])
    st.session_state["pg_own"] = viz.OwnPoints(x, y, session.settings.problem)
    st.session_state["pg_own_note"] = f"{len(x)} points copied from {session.settings.dataset}"
    st.session_state["pg_own_version"] += 1
    st.session_state["pg_data"] = viz.OWN


own = st.session_state.get("pg_own")
if own is not None and own.problem != problem:
    own = None
click_value = 0
if dataset == viz.OWN:
    cols = st.columns([2, 1, 1])
    with cols[0]:
        third = "label" if problem == "classification" else "target"
        st.file_uploader(
            f"CSV with columns x1, x2, {third} (a header row is optional)",
            type=["csv", "txt"],
            key="pg_csv",
            on_change=load_csv,
        )
    with cols[1]:
        if problem == "classification":
            click_value = ui.select("Class of a clicked point", list(range(10)), key="pg_click")
        else:
            click_value = ui.slider(
                "Target of a clicked point", -1.0, 1.0, 0.5, step=0.1, key="pg_click_target"
            )
    with cols[2]:
        if st.button("Clear your points", key="pg_clear", icon=":material/delete:"):
            st.session_state.pop("pg_own", None)
            st.session_state["pg_own_version"] += 1
            own = None
    if "pg_csv_error" in st.session_state:
        st.error(st.session_state["pg_csv_error"], icon=":material/error:")
    note = st.session_state.get("pg_own_note")
    st.caption(
        (note + ". " if note and own is not None else "")
        + "Pause, then click the decision surface to add a point; your points live in this "
        "browser session, not in the URL."
    )
elif generated:
    st.button(
        "Edit these points (click to add, export them)",
        key="pg_edit",
        icon=":material/edit:",
        on_click=edit_points,
    )

settings = viz.Settings(
    problem=problem,
    dataset=dataset,
    n_classes=int(n_classes),
    n_points=int(n_points),
    noise=float(noise),
    seed=int(seed),
    test_share=float(test_percent) / 100,
    features=tuple(features or ()),
    widths=tuple(int(w) for w in widths),
    activations=tuple(activations),
    optimizer=optimizer,
    lr=float(lr),
    batch_size=int(batch_size),
    regularization=regularization,
    reg_rate=float(reg_rate),
    own_version=int(st.session_state["pg_own_version"]),
)
st.session_state.setdefault("pg_playing", False)


# ------------------------------------------------------------------------- the training run
def new_run() -> None:
    st.session_state["pg_session"] = viz.Session.start(settings, own)
    st.session_state["pg_playing"] = False


# The buttons act through callbacks: they run before the script, so their effect survives any
# rerun of the page (a click's True value would not).
def set_playing(value: bool) -> None:
    # idempotent on purpose: a click that lands during a fragment rerun can be replayed
    st.session_state["pg_playing"] = value


def train_tick(session: viz.Session, epochs: int) -> None:
    """THE place where the page trains: every Step and every tick of Play comes through here
    (a server-wide cap on concurrent trainings wraps this call)."""
    session.advance(epochs)


def take_step() -> None:
    session = st.session_state.get("pg_session")
    if session is not None:
        train_tick(session, int(st.session_state.get("pg_tick", 1)))


def reset_run() -> None:
    st.session_state.pop("pg_session", None)  # the script below starts a fresh run
    st.session_state["pg_playing"] = False


def apply_lower_rate(rate: float) -> None:
    st.session_state["pg_lr"] = rate
    reset_run()


session = None
with ui.guard("set up the training run"):
    if is_plane and not features:
        raise ValueError("choose at least one input feature")
    session = st.session_state.get("pg_session")
    if session is None or session.settings.model_key() != settings.model_key():
        with ui.working("Building the data and the network..."):
            new_run()
    elif session.settings.optimiser_key() != settings.optimiser_key():
        session.retune(settings)
    session = st.session_state["pg_session"]

buttons = st.columns(3) + [st.container()] if ui.is_presenter() else st.columns([1, 1, 1, 4])
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
    f"Step and every tick of Play run {epochs_per_tick} epoch(s). Changing eta, |B|, the "
    "optimiser or the regularisation keeps the weights; the rest starts over."
)

# --------------------------------------------------------------------------------- the view
unit_options = []
if session is not None:
    net = session.net
    for layer in range(1, net.depth + 1):
        for j in range(net.sizes[layer]):
            unit_options.append(f"layer {layer} unit {j}" if layer < net.depth else f"output {j}")
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
    unit_name = (
        ui.select("Unit shown large (or click one when paused)", unit_options, key="pg_unit")
        if unit_options
        else None
    )


def parse_unit(name):
    if not name:
        return (1, 0)
    parts = name.split()
    if parts[0] == "output":
        return (session.net.depth, int(parts[1]))
    return (int(parts[1]), int(parts[3]))


view = picture.View(
    show_test=bool(show_test),
    discretize=bool(discretize),
    unit=parse_unit(unit_name) if session is not None else (1, 0),
)


def on_picture_click() -> None:
    """A click on the paused picture: select a unit, or add a point of your own."""
    key = st.session_state.get("pg_view_key", "pg_view")
    hit = overlay.clicked(st.session_state.get(key))
    current = st.session_state.get("pg_session")
    if hit is None or current is None:
        return
    trace, customdata = hit
    if trace == overlay.UNITS and customdata and customdata[0] >= 1:
        layer, j = int(customdata[0]), int(customdata[1])
        st.session_state["pg_unit"] = (
            f"layer {layer} unit {j}" if layer < current.net.depth else f"output {j}"
        )
    elif trace == overlay.CLICK_GRID and customdata:
        add_point(current, customdata)
    st.session_state["pg_clicks"] = st.session_state.get("pg_clicks", 0) + 1
    st.session_state["pg_full_rerun"] = True


def add_point(current: viz.Session, point) -> None:
    """Your points: add one at point (x_1, x_2) with the chosen class or target."""
    if problem == "classification":
        value = st.session_state.get("pg_click", 0)
    else:
        value = st.session_state.get("pg_click_target", 0.5)
    stored, restart = viz.add_clicked_point(
        current, st.session_state.get("pg_own"), point, value, problem
    )
    st.session_state["pg_own"] = stored
    if restart:
        st.session_state["pg_own_version"] += 1


def click_label() -> str | None:
    if dataset != viz.OWN:
        return None
    if problem == "classification":
        return f"a class-{st.session_state.get('pg_click', 0)} point"
    return f"a point with target {st.session_state.get('pg_click_target', 0.5):g}"


def live_chart(figure, key: str, width="stretch", **kwargs) -> None:
    """Like ui.chart, for figures already built with the theme (see playground_figures)."""
    st.plotly_chart(
        figure, key=key, width=width, theme=None, config={"displaylogo": False}, **kwargs
    )


def live_picture(image, caption: str) -> None:
    """While playing: the live view as one JPEG (a browser swaps it in a few ms; redrawing a
    plotly chart with new data costs a headless browser 200-280 ms, see playground_canvas)."""
    st.image(canvas.jpeg_bytes(image), output_format="JPEG", caption=caption)


PICTURE_NOTE = (  # no "play" or "pause" in it: the picture's toolbar button takes this as its name
    "Drawn as a picture while training runs, so that it keeps up; hover labels and clicks come "
    "back when training stops."
)


def metrics(current: viz.Session, playing: bool) -> None:
    rate = current.tick() if playing else float("nan")
    cols = control_columns(6)
    cols[0].metric("Epoch", f"{current.epoch}")
    cols[1].metric("Train loss", f"{current.train_loss[-1]:.4f}")
    cols[2].metric("Test loss", f"{current.test_loss[-1]:.4f}")
    accuracy = current.test_accuracy[-1] if current.test_accuracy else None
    train_accuracy = current.train_accuracy[-1] if current.train_accuracy else None
    cols[3].metric("Train accuracy", "n/a" if train_accuracy is None else f"{train_accuracy:.1%}")
    cols[4].metric("Test accuracy", "n/a" if accuracy is None else f"{accuracy:.1%}")
    cols[5].metric(
        "Updates per second",
        (("measuring" if playing else "paused") if np.isnan(rate) else f"{rate:.1f}"),
    )


def draw(current: viz.Session, playing: bool) -> None:
    """Metrics, the divergence warning, the live picture (or its paused, interactive form)."""
    theme = ui.THEMES[ui.theme_name()]
    font_size = 22 if ui.is_presenter() else 14
    dark = theme["template"] == "plotly_dark"
    metrics(current, playing)
    problem_text = current.divergence()
    if problem_text:
        st.warning(
            text.divergence_advice(
                problem_text,
                current.settings.lr,
                current.settings.regularization,
                current.settings.reg_rate,
            ),
            icon=":material/warning:",
        )
        lower = text.lower_rate(current.settings.lr)
        st.button(
            f"Use eta = {lower:g} and start over",
            key="pg_lower",
            on_click=apply_lower_rate,
            args=(lower,),
        )
    data = current.data
    st.caption(
        f"{len(data.y_train)} training points, {len(data.y_test)} test points; network "
        f"{' -> '.join(str(n) for n in current.net.sizes)}."
    )
    if not current.settings.is_plane:
        draw_digits(current, playing, font_size, dark, theme)
        return
    title = f"Epoch {current.epoch}"
    image, geometry = picture.live_picture(current, view, title, dark, font_size)
    if playing:
        live_picture(image, PICTURE_NOTE)
    else:
        key = f"pg_view_{st.session_state.get('pg_clicks', 0)}"  # a fresh chart after a click
        st.session_state["pg_view_key"] = key
        figure = overlay.overlay_figure(image, geometry, current, click_label())
        live_chart(figure, key, "content", on_select=on_picture_click, selection_mode="points")
        if geometry.edges.total > len(geometry.edges.weights):
            st.caption(
                f"The {len(geometry.edges.weights)} strongest of "
                f"{geometry.edges.total} edges are drawn."
            )
    layer, j = picture.check_unit(current, view.unit)
    if ui.is_presenter():
        for line in text.unit_lines(current.net, layer, j):
            st.latex(line)
    else:
        st.latex(text.unit_latex(current.net, layer, j))


def draw_digits(current, playing, font_size, dark, theme) -> None:
    """The digits: soft confusion matrix, curves and first-layer weights (no plane to map)."""
    style = figures.theme_style(theme["template"], font_size, theme["colorway"])
    data = current.data
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        probabilities = current.net.forward(data.x_test)
    if playing:
        mean = figures.soft_confusion(probabilities, data.y_test, data.n_classes)
        title = f"Epoch {current.epoch}: mean Pr(Y = column | x), test images by true digit"
        image = canvas_digits.digits_image(
            mean, current.net.weights[0], current, title, dark, font_size
        )
        live_picture(image, PICTURE_NOTE)
        return
    left, right = st.columns(2)
    with left:
        live_chart(
            figures.soft_confusion_figure(probabilities, data.y_test, data.n_classes, style),
            key="pg_conf",
        )
    with right:
        live_chart(
            figures.first_layer_figure(current.net.weights[0], style=style), key="pg_weights"
        )
        live_chart(figures.curves_figure(current, style), key="pg_curves")


@st.fragment(
    run_every=serving.tick_seconds(TICK_SECONDS) if st.session_state["pg_playing"] else None
)
def live() -> None:
    """The part that redraws: a few epochs of training (when playing), then the pictures."""
    if st.session_state.pop("pg_full_rerun", False):
        st.rerun()  # a click changed the unit or the data: redraw the whole page
    started = time.perf_counter()
    with ui.guard("train and draw"):
        current = st.session_state.get("pg_session")
        if current is None:
            st.info("Choose settings above to start a run.")
            return
        playing_now = bool(st.session_state.get("pg_playing"))
        turn = serving.training_turn(playing_now)  # the server's fair share of training
        if turn.rerun:  # waiting, training, or more or fewer trainers: the tick rate changes
            st.rerun()
        if turn.message:  # plain text: readable in every theme
            st.markdown(f":material/hourglass_top: **{turn.message}**")
        if playing_now and turn.granted:
            train_tick(current, epochs_per_tick)
            if current.finished or current.divergence():
                st.session_state["pg_playing"] = False
                st.rerun()
        draw(current, playing_now)
        milliseconds = 1000 * (time.perf_counter() - started)
        st.caption(f"This tick: {milliseconds:.0f} ms of training and drawing in Python.")
        serving.tick_done(turn)  # its CPU time sets the frame rate shared by all trainings


live()

# ------------------------------------------------------------- sections shown when paused
if session is not None and not st.session_state["pg_playing"]:
    tabs = st.tabs(["Test points", "How the layers transform the plane", "Export"])
    with tabs[0], ui.guard("show the test points"):
        if session.data.is_regression:
            st.markdown(
                f"Regression: test loss (mean squared error) **{session.test_loss[-1]:.4f}**, "
                f"training loss {session.train_loss[-1]:.4f}."
            )
        else:
            counts = session.confusion()
            accuracy = np.trace(counts) / max(counts.sum(), 1)
            st.markdown(
                f"Test accuracy **{accuracy:.1%}** ({np.trace(counts)} of {counts.sum()} test "
                "points). Confusion matrix: rows are the true classes, columns the predicted."
            )
            names = [f"class {c}" for c in range(counts.shape[0])]
            st.dataframe(
                pd.DataFrame(
                    counts,
                    index=[f"true {n}" for n in names],
                    columns=[f"predicted {n}" for n in names],
                ),
                key="pg_confusion",
            )
    with tabs[1], ui.guard("draw the layers' view of the plane"):
        if not session.settings.is_plane:
            st.info("The digits have 64 inputs, not a plane: choose a 2-D data set.")
        else:
            hidden = list(range(1, session.net.depth))
            if not hidden:
                st.info("No hidden layer: the output layer works on the input features directly.")
            options = [0, *hidden]
            chosen = ui.select(
                "Layer",
                options,
                key="pg_lview",
                index=len(options) - 1,
                format_func=lambda i: "input features" if i == 0 else f"layer {i}",
            )
            theme = ui.THEMES[ui.theme_name()]
            style = figures.theme_style(
                theme["template"], 22 if ui.is_presenter() else 14, theme["colorway"]
            )
            live_chart(transform.transform_figure(session, int(chosen), style), key="pg_transform")
            st.caption(
                "Every training point and every line of a square grid of the plane, moved by "
                "layers 1..i: at their coordinates h^i for a 2-unit layer, else along the two "
                "principal directions of h^i. The background shows what the rest of the network "
                "decides for the points of this plane; in the last hidden layer the classes are "
                "cut by straight lines z_a = z_b."
            )
    with tabs[2], ui.guard("export the run"):
        st.markdown(
            "**The URL** holds every setting (copy it from the address bar)"
            + (", except your points." if dataset == viz.OWN else ".")
        )
        spec = session.run_spec()
        meta = {"playground_settings": asdict(session.settings), "epochs": session.epoch}
        cols = st.columns(4)
        cols[0].download_button(
            "Weights (.npz)",
            network_bytes(session.net, "npz", meta),
            "playground.npz",
            key="pg_dl_npz",
        )
        cols[1].download_button(
            "Weights (.json)",
            network_bytes(session.net, "json", meta),
            "playground.json",
            key="pg_dl_json",
        )
        numpy_source, torch_source = numpy_code(spec), torch_code(spec)
        cols[2].download_button(
            "NumPy + nncore (.py)", numpy_source, "playground_numpy.py", key="pg_dl_numpy"
        )
        cols[3].download_button(
            "PyTorch (.py)", torch_source, "playground_torch.py", key="pg_dl_torch"
        )
        st.caption(
            "Both scripts rebuild this run from the start and print its train and test loss "
            f"after {session.epoch} epochs: the NumPy one with nncore's Trainer (the same numbers "
            "as here), the PyTorch one with torch.nn and torch.optim (float64; the same starting "
            "weights and batch order, so the losses agree up to rounding)."
        )
        for note in spec.notes:
            st.warning(note)
        code_tabs = st.tabs(["NumPy + nncore", "PyTorch"])
        for tab, source in zip(code_tabs, (numpy_source, torch_source), strict=True):
            with tab:
                shown = source if len(source) < 6000 else source[:6000] + "\n# ... (download it)"
                st.code(shown, language="python")

ui.show_code(Trainer.step_batch, nn.MLP.loss_and_grads, layer_outputs)
