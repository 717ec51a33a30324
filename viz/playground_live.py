"""What the playground redraws on every tick: the metrics, the live picture and its words.

While training plays, ``tick`` (the body of the page's run_every fragment) trains a few epochs
and sends the live view as one JPEG (a browser swaps it in a few ms; redrawing a plotly chart
with new data costs a headless browser 200-280 ms, see viz.playground_canvas). Paused, the same
picture comes back inside a plotly chart with hover labels and click targets
(viz.playground_overlay). Under either, the picture in words (viz.playground_words), refreshed
on every paused draw and every WORDS_EVERY ticks while playing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import numpy as np
import streamlit as st

from viz import chart_text, plotly_wire, serving, ui
from viz import playground as viz
from viz import playground_canvas as canvas
from viz import playground_canvas_digits as canvas_digits
from viz import playground_controls as controls
from viz import playground_figures as figures
from viz import playground_overlay as overlay
from viz import playground_own as own_points
from viz import playground_picture as picture
from viz import playground_text as text
from viz import playground_words as words

TICK_SECONDS = 0.05  # while playing, the fragment asks for a redraw this often
WORDS_EVERY = 10  # while playing, the words follow the picture every this many ticks
PICTURE_NOTE = (  # no "play" or "pause" in it: the picture's toolbar button takes this as its name
    "Drawn as a picture while training runs, so that it keeps up; hover labels and clicks come "
    "back when training stops."
)


def live_chart(figure, key: str, width="stretch", **kwargs) -> None:
    """st.plotly_chart for figures already built with the theme (see playground_figures)."""
    st.plotly_chart(
        plotly_wire.sent(figure), key=key, width=width, theme=None, config=ui.CHART_CONFIG, **kwargs
    )


def live_picture(image, alt: str) -> None:
    """While playing: the live view as one JPEG, with its alt text and a visible caption.

    Sent inside the message as a data URI, not as a media file the browser fetches afterwards:
    at 20 ticks a second the next run replaced (and the server deleted) a frame's file before the
    browser had fetched it, so most frames were dropped and each logged "Image source error" in
    the browser's console."""
    st.image(overlay.data_uri(image), caption=PICTURE_NOTE, alt=alt)


def show_words(describe: Callable[[], tuple[str, list[str]]], playing: bool) -> None:
    """The picture in words, describe() -> (name, lines). While playing, recomputed every
    WORDS_EVERY ticks (the words name their epoch, so they never claim to be newer than they
    are); paused, every draw."""
    if playing:
        count, cached = st.session_state.get("pg_words", (0, None))
        if cached is None or count % WORDS_EVERY == 0:
            cached = chart_text.as_html(*describe())
        st.session_state["pg_words"] = (count + 1, cached)
    else:
        st.session_state.pop("pg_words", None)
        cached = chart_text.as_html(*describe())
    st.html(cached)


def metrics(current: viz.Session, playing: bool) -> None:
    rate = current.tick() if playing else float("nan")
    cols = controls.control_columns(6)
    cols[0].metric("Epoch", f"{current.epoch}")
    cols[1].metric("Train loss", ui.magnitude(current.train_loss[-1], 4))
    cols[2].metric("Test loss", ui.magnitude(current.test_loss[-1], 4))
    accuracy = current.test_accuracy[-1] if current.test_accuracy else None
    train_accuracy = current.train_accuracy[-1] if current.train_accuracy else None
    cols[3].metric("Train accuracy", "n/a" if train_accuracy is None else f"{train_accuracy:.1%}")
    cols[4].metric("Test accuracy", "n/a" if accuracy is None else f"{accuracy:.1%}")
    cols[5].metric(
        "Updates per second",
        (("measuring" if playing else "paused") if np.isnan(rate) else f"{rate:.1f}"),
    )


def divergence_warning(current: viz.Session) -> None:
    """What went wrong, and a button that lowers eta tenfold and starts over."""
    problem_text = current.divergence()
    if not problem_text:
        return
    settings = current.settings
    st.warning(
        text.divergence_advice(
            problem_text, settings.lr, settings.regularization, settings.reg_rate
        ),
        icon=":material/warning:",
    )
    lower = text.lower_rate(settings.lr)
    st.button(
        f"Use η = {lower:g} and start over",
        key="pg_lower",
        on_click=controls.apply_lower_rate,
        args=(lower,),
    )


def draw(
    current: viz.Session,
    playing: bool,
    view: picture.View,
    click_what: str | None,
    on_click: Callable[[], None],
) -> None:
    """Metrics, the divergence warning, the live picture (or its paused, interactive form)."""
    theme = ui.THEMES[ui.theme_name()]
    font_size = canvas.PRESENTER_FONT if ui.is_presenter() else 14
    dark = theme["template"] == "plotly_dark"
    metrics(current, playing)
    divergence_warning(current)
    data = current.data
    st.caption(
        f"{len(data.y_train)} training points, {len(data.y_test)} test points; network "
        f"{' -> '.join(str(n) for n in current.net.sizes)}."
    )
    if not current.settings.is_plane:
        draw_digits(current, playing, font_size, dark, theme)
        return
    if playing:
        title = f"Epoch {current.epoch}"
        image, geometry = picture.live_picture(current, view, title, dark, font_size)
        live_picture(image, f"Live training picture at epoch {current.epoch}; in numbers under it.")
        show_words(partial(words.plane_words, current, view, geometry), playing)
    else:
        geometry, figure, described = paused_view(current, view, click_what, dark, font_size)
        key = f"pg_view_{st.session_state.get('pg_clicks', 0)}"  # a fresh chart after a click
        st.session_state["pg_view_key"] = key
        live_chart(
            figure,
            key,
            "content",
            on_select=on_click,
            selection_mode="points",
            alt=chart_text.accessible_name(described[0]),
        )
        if geometry.edges.total > len(geometry.edges.weights):
            st.caption(
                f"The {len(geometry.edges.weights)} strongest of "
                f"{geometry.edges.total} edges are drawn."
            )
        show_words(lambda: described, playing)
    layer, j = picture.check_unit(current, view.unit)
    if ui.is_presenter():
        for line in text.unit_lines(current.net, layer, j):
            ui.latex(line)
    else:
        ui.latex(text.unit_latex(current.net, layer, j))


def paused_view(current: viz.Session, view: picture.View, click_what, dark: bool, font_size: int):
    """(geometry, the overlay figure, the words) of the paused picture, drawn once for what it
    shows: a paused page reruns for a tab, a toggle or a new learning rate without a new epoch."""
    key = (
        "paused",
        current.epoch,
        len(current.edits),
        current.message,  # a run that stopped mid-epoch (diverged) changed its weights
        view.show_test,
        view.discretize,
        tuple(view.unit),
        click_what,
        dark,
        font_size,
    )
    if key not in current.drawn:
        image, geometry = picture.live_picture(
            current, view, f"Epoch {current.epoch}", dark, font_size
        )
        figure = overlay.overlay_figure(image, geometry, current, click_what, dark)
        current.drawn.clear()  # one paused picture is kept: the current one
        current.drawn[key] = (geometry, figure, words.plane_words(current, view, geometry))
    return current.drawn[key]


def draw_digits(current: viz.Session, playing: bool, font_size: int, dark: bool, theme) -> None:
    """The digits: soft confusion matrix, curves and first-layer weights (no plane to map)."""
    data = current.data
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        probabilities = current.net.forward(data.x_test)
    mean = figures.soft_confusion(probabilities, data.y_test, data.n_classes)
    if playing:
        title = f"Epoch {current.epoch}: mean Pr(Y = column | x), test images"
        image = canvas_digits.digits_image(
            mean, current.net.weights[0], current, title, dark, font_size
        )
        live_picture(image, f"Live training picture at epoch {current.epoch}; in numbers under it.")
        show_words(lambda: words.digits_words(current, mean), playing)
        return
    # one below the other: side by side at 1024 px their titles ran past the half-width charts
    # and the ten-by-ten table of numbers was squeezed
    ui.chart(
        figures.soft_confusion_figure(probabilities, data.y_test, data.n_classes), key="pg_conf"
    )
    ui.chart(figures.first_layer_figure(current.net.weights[0]), key="pg_weights")
    ui.chart(figures.curves_figure(current), key="pg_curves")


def tick(epochs_per_tick: int, view: picture.View, click_what, on_click) -> None:
    """The fragment's body: a few epochs of training (when playing), then the pictures."""
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
            controls.train_tick(current, epochs_per_tick)
            if current.finished or current.divergence():
                st.session_state["pg_playing"] = False
                st.rerun()
        draw(current, playing_now, view, click_what, on_click)
        milliseconds = 1000 * (time.perf_counter() - started)
        st.caption(f"This tick: {milliseconds:.0f} ms of training and drawing in Python.")
        serving.tick_done(turn)  # its CPU time sets the frame rate shared by all trainings


def click_handler(problem: str) -> Callable[[], None]:
    """The paused picture's on_select callback: select a unit, or add a point of your own."""

    def on_picture_click() -> None:
        key = st.session_state.get("pg_view_key", "pg_view")
        hit = overlay.clicked(st.session_state.get(key))
        current = st.session_state.get("pg_session")
        if hit is None or current is None:
            return
        trace, customdata = hit
        if trace == overlay.UNITS and customdata and customdata[0] >= 1:
            layer, j = int(customdata[0]), int(customdata[1])
            st.session_state["pg_unit"] = controls.unit_name(current.net, layer, j)
        elif trace == overlay.CLICK_GRID and customdata:
            own_points.add_point(current, customdata, problem)
        st.session_state["pg_clicks"] = st.session_state.get("pg_clicks", 0) + 1
        st.session_state["pg_full_rerun"] = True

    return on_picture_click
