"""Playground: train an MLP live on points of the plane (or the digits) and watch every unit."""

import streamlit as st

import nncore as nn
from nncore.train import Trainer
from nncore.unitmaps import layer_outputs
from viz import playground as viz
from viz import playground_controls as controls
from viz import playground_live as live_view
from viz import playground_own as own_points
from viz import playground_sections as sections
from viz import serving, ui

ui.page_header(
    "Playground",
    "Train a network while you watch: every tick runs whole epochs of mini-batch gradient "
    "descent through nncore and redraws every unit's output over the plane. Press Play, then "
    "change the learning rate, the batch size, the regularisation or dropout on the fly; data, "
    "features and architecture changes start a new run.",
)
formulas = st.container()  # the update rule of the optimiser chosen below

data = controls.data_controls()
widths, activations = controls.network_controls()
training = controls.training_controls()
with formulas:
    controls.show_formulas(
        training["optimizer"],
        training["regularization"],
        data["problem"] == "regression",
        training["dropout"],
    )
controls.dropout_explanation(training["dropout"], len(widths))
own = own_points.own_points_controls(data["problem"], data["dataset"], data["generated"])

settings = viz.Settings(
    problem=data["problem"],
    dataset=data["dataset"],
    n_classes=int(data["n_classes"]),
    n_points=int(data["n_points"]),
    noise=float(data["noise"]),
    seed=int(data["seed"]),
    test_share=float(data["test_percent"]) / 100,
    features=tuple(data["features"] or ()),
    widths=tuple(int(w) for w in widths),
    activations=tuple(activations),
    optimizer=training["optimizer"],
    lr=float(training["lr"]),
    batch_size=int(training["batch_size"]),
    regularization=training["regularization"],
    reg_rate=float(training["reg_rate"]),
    dropout=training["dropout"],
    own_version=int(st.session_state["pg_own_version"]),
)
st.session_state.setdefault("pg_playing", False)
session = controls.current_session(settings, own, data["is_plane"], data["features"])
controls.run_buttons(session, training["epochs_per_tick"])
view = controls.view_controls(session)
click_what = own_points.click_label(data["problem"], data["dataset"])
on_click = live_view.click_handler(data["problem"])


@st.fragment(
    run_every=serving.tick_seconds(live_view.TICK_SECONDS)
    if st.session_state["pg_playing"]
    else None
)
def live() -> None:
    """The part that redraws: a few epochs of training (when playing), then the pictures."""
    live_view.tick(training["epochs_per_tick"], view, click_what, on_click)


if session is not None or data["dataset"] != viz.OWN:  # else: the plane to click on
    live()

if session is not None and not st.session_state["pg_playing"]:
    sections.paused_sections(session, own_points=data["dataset"] == viz.OWN)

ui.show_code(Trainer.step_batch, nn.MLP.loss_and_grads, layer_outputs)
