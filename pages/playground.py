"""Playground: train an MLP live on 2-D data (multiclass spirals included) or on the digits."""

import time

import numpy as np
import streamlit as st

import nncore as nn
from nncore.optim import OPTIMIZERS
from nncore.train import Trainer
from viz import playground as viz
from viz import playground_canvas as canvas
from viz import playground_canvas_digits as canvas_digits
from viz import playground_figures as figures
from viz import serving, ui

ui.page_header(
    "Playground",
    "Train a network while you watch: every tick runs whole epochs of mini-batch gradient "
    "descent through nncore and redraws what the network believes. Press Play, then change the "
    "learning rate, the batch size or the regularisation on the fly; data and architecture "
    "changes start a new run.",
    r"\theta \leftarrow \theta - \eta\Big(\frac{1}{|B|}\sum_{r \in B}"
    r"\frac{\partial l(x_r, y_r, \theta)}{\partial \theta} + \lambda\,\theta\Big),\qquad "
    r"l = -\,y\,(\ln h^k)^\top,\quad h^k = \operatorname{softmax}(z^k)",
)

TICK_SECONDS = 0.05  # while playing, the fragment asks for a redraw this often
ACTIVATIONS = [name for name in nn.ACTIVATIONS]
WIDTHS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]
RATES = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
BATCHES = [1, 2, 5, 10, 20, 50, 100, 500]
PENALTIES = [0.0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1]

cols = st.columns(5)
with cols[0]:
    dataset = ui.select(
        "Data set", viz.DATA_SETS, key="pg_data", index=viz.DATA_SETS.index("spirals")
    )
with cols[1]:
    n_classes = ui.slider("Classes (blobs, spirals)", 2, 6, 3, key="pg_classes")
with cols[2]:
    n_points = ui.select_slider("Points", [100, 200, 500, 1000, 2000], 500, key="pg_points")
with cols[3]:
    noise = ui.slider("Noise", 0.0, 0.5, 0.1, key="pg_noise", step=0.05)
with cols[4]:
    seed = ui.number("Seed", 0, 9999, 0, key="pg_seed")
cols = st.columns(5)
with cols[0]:
    layers = ui.slider("Hidden layers", 0, 6, 2, key="pg_layers")
with cols[1]:
    width = ui.select_slider("Neurons per layer", WIDTHS, 16, key="pg_width")
with cols[2]:
    activation = ui.select("Activation", ACTIVATIONS, key="pg_act", index=ACTIVATIONS.index("tanh"))
with cols[3]:
    optimizer = ui.select(
        "Optimiser", list(OPTIMIZERS), key="pg_opt", index=list(OPTIMIZERS).index("adam")
    )
with cols[4]:
    epochs_per_tick = ui.slider("Epochs per tick", 1, 10, 1, key="pg_tick")
cols = st.columns(3)
with cols[0]:
    lr = ui.select_slider("Learning rate eta", RATES, 0.03, key="pg_lr")
with cols[1]:
    batch_size = ui.select_slider("Batch size |B|", BATCHES, 10, key="pg_batch")
with cols[2]:
    l2 = ui.select_slider("L2 regularisation lambda", PENALTIES, 0.0, key="pg_l2")

settings = viz.Settings(
    dataset=dataset,
    n_classes=int(n_classes),
    n_points=int(n_points),
    noise=float(noise),
    seed=int(seed),
    layers=int(layers),
    width=int(width),
    activation=activation,
    optimizer=optimizer,
    lr=float(lr),
    batch_size=int(batch_size),
    l2=float(l2),
)
st.session_state.setdefault("pg_playing", False)


def new_run() -> None:
    st.session_state["pg_session"] = viz.Session.start(settings)
    st.session_state["pg_playing"] = False


# The buttons act through callbacks: they run before the script, so their effect survives any
# rerun of the page (a click's True value would not).
def set_playing(value: bool) -> None:
    # idempotent on purpose: a click that lands during a fragment rerun can be replayed
    st.session_state["pg_playing"] = value


def take_step() -> None:
    session = st.session_state.get("pg_session")
    if session is not None:
        session.advance(int(st.session_state.get("pg_tick", 1)))


def reset_run() -> None:
    st.session_state.pop("pg_session", None)  # the script below starts a fresh run
    st.session_state["pg_playing"] = False


with ui.guard("set up the training run"):
    session = st.session_state.get("pg_session")
    if session is None or session.settings.model_key() != settings.model_key():
        with ui.working("Building the data and the network..."):
            new_run()
    elif session.settings.optimiser_key() != settings.optimiser_key():
        session.retune(settings)

buttons = st.columns([1, 1, 1, 4])
playing = st.session_state["pg_playing"]
buttons[0].button(
    "Pause" if playing else "Play",
    key="pg_play",
    type="primary",
    icon=":material/pause:" if playing else ":material/play_arrow:",
    width="stretch",
    on_click=set_playing,
    args=(not playing,),
)
buttons[1].button(
    "Step", key="pg_step", icon=":material/skip_next:", width="stretch", on_click=take_step
)
buttons[2].button(
    "Reset", key="pg_reset", icon=":material/restart_alt:", width="stretch", on_click=reset_run
)
buttons[3].caption(
    f"Step and every tick of Play run {epochs_per_tick} epoch(s). Changing eta, |B|, lambda or "
    "the optimiser keeps the weights; the rest starts over."
)


def live_chart(figure, key: str) -> None:
    """Like ui.chart, for figures already built with the theme (see playground_figures)."""
    st.plotly_chart(figure, key=key, width="stretch", theme=None, config={"displaylogo": False})


def live_picture(picture, caption: str) -> None:
    """While playing: the live view as one JPEG (a browser swaps it in a few ms; redrawing a
    plotly chart with new data costs a headless browser 200-280 ms, see playground_canvas)."""
    st.image(canvas.jpeg_bytes(picture), output_format="JPEG", caption=caption)


PICTURE_NOTE = (  # no "play" or "pause" in it: the picture's toolbar button takes this as its name
    "Drawn as a picture while training runs, so that it keeps up; the interactive chart (zoom, "
    "hover) comes back when training stops."
)


def draw(session: viz.Session) -> None:
    """Metrics, the decision surface (2-D) or the digits views, and the curves."""
    theme = ui.THEMES[ui.theme_name()]
    font_size = 22 if ui.is_presenter() else 14
    style = figures.theme_style(theme["template"], font_size, theme["colorway"])
    dark = theme["template"] == "plotly_dark"
    x_train, y_train, x_test, y_test, n_classes = session.data
    playing = bool(st.session_state.get("pg_playing"))
    rate = session.tick() if playing else float("nan")
    cols = st.columns(6)
    cols[0].metric("Epoch", f"{session.epoch}")
    cols[1].metric("Train loss", f"{session.train_loss[-1]:.4f}")
    cols[2].metric("Test loss", f"{session.test_loss[-1]:.4f}")
    cols[3].metric("Train accuracy", f"{session.train_accuracy[-1]:.1%}")
    cols[4].metric("Test accuracy", f"{session.test_accuracy[-1]:.1%}")
    cols[5].metric(
        "Updates per second",
        (("measuring" if playing else "paused") if np.isnan(rate) else f"{rate:.1f}"),
    )
    if session.message:
        st.warning(f"{session.message}. Press Reset to start over.")
    if session.settings.dataset == "digits":
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            probabilities = session.net.forward(x_test)
        if playing:
            mean = figures.soft_confusion(probabilities, y_test, n_classes)
            title = f"Epoch {session.epoch}: mean Pr(Y = column | x), test images by true digit"
            picture = canvas_digits.digits_image(
                mean, session.net.weights[0], session, title, dark, font_size
            )
            live_picture(picture, PICTURE_NOTE)
            return
        left, right = st.columns(2)
        with left:
            live_chart(
                figures.soft_confusion_figure(probabilities, y_test, n_classes, style),
                key="pg_conf",
            )
        with right:
            live_chart(
                figures.first_layer_figure(session.net.weights[0], style=style), key="pg_weights"
            )
            live_chart(figures.curves_figure(session, style), key="pg_curves")
        return
    probabilities = session.surface()
    if playing:
        title = (
            f"Epoch {session.epoch}: decision surface (circles: training points, diamonds: test "
            "points), curves, Pr(Y = c | x)"
        )
        picture = canvas.live_image(probabilities, session, title, dark, font_size)
        live_picture(picture, PICTURE_NOTE)
        return
    title = f"Epoch {session.epoch}: decision surface (diamonds: test points)"
    live_chart(figures.live_figure(probabilities, session, title, style), key="pg_live")


@st.fragment(
    run_every=serving.tick_seconds(TICK_SECONDS) if st.session_state["pg_playing"] else None
)
def live() -> None:
    """The part that redraws: a few epochs of training (when playing), then the figures."""
    started = time.perf_counter()
    with ui.guard("train and draw"):
        session = st.session_state.get("pg_session")
        if session is None:
            st.info("Choose settings above to start a run.")
            return
        turn = serving.training_turn(bool(st.session_state.get("pg_playing")))  # fair share
        if turn.rerun:  # waiting, training, or more or fewer trainers: the tick rate changes
            st.rerun()
        if turn.message:  # plain text: readable in every theme (Dark room's alerts are not)
            st.markdown(f":material/hourglass_top: **{turn.message}**")
        if st.session_state.get("pg_playing") and turn.granted:
            session.advance(epochs_per_tick)
            if session.finished:
                st.session_state["pg_playing"] = False
                st.rerun()
        draw(session)
        milliseconds = 1000 * (time.perf_counter() - started)
        st.caption(f"This tick: {milliseconds:.0f} ms of training and drawing in Python.")
        serving.tick_done(turn)  # its CPU time sets the frame rate shared by all trainings


live()

st.caption(
    "Beyond TF Playground: any number of classes (softmax output), the 8x8 digits with a soft "
    "confusion matrix and the first layer's weights as images, and every number computed by "
    "nncore's MLP and Trainer."
)
ui.show_code(Trainer.step_batch, nn.MLP.loss_and_grads)
