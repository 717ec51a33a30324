"""Playground: the training session, its figures, and the page's controls."""

import numpy as np
import plotly.graph_objects as go
import pytest

import nncore as nn
from viz import playground as viz
from viz import playground_figures as figures

PAGE = "pages/playground.py"


def test_session_starts_at_the_initial_loss_and_trains():
    settings = viz.Settings(dataset="moons", n_points=200, noise=0.1, layers=1, width=8)
    session = viz.Session.start(settings)
    x_train, y_train, x_test, y_test, n_classes = session.data
    assert n_classes == 2 and len(x_train) + len(x_test) == 200 and len(x_test) == 60
    fresh = nn.MLP([2, 8, 2], hidden="tanh", output="softmax", seed=0)
    assert session.train_loss[0] == pytest.approx(fresh.loss(x_train, y_train))
    session.advance(20)
    assert session.epoch == 20 and len(session.train_loss) == 21
    assert session.train_loss[-1] < session.train_loss[0]


def test_retune_keeps_the_weights():
    session = viz.Session.start(viz.Settings(dataset="xor", n_points=100))
    session.advance(2)
    before = [W.copy() for W in session.net.weights]
    session.retune(viz.Settings(dataset="xor", n_points=100, lr=0.001, batch_size=50, l2=0.01))
    assert all(np.array_equal(a, b) for a, b in zip(before, session.net.weights, strict=True))
    assert session.trainer.optimizer.lr == 0.001 and session.trainer.batch_size == 50
    session.advance(1)
    assert session.epoch == 3


def test_surface_is_a_probability_map():
    session = viz.Session.start(viz.Settings(dataset="spirals", n_classes=4))
    probabilities = session.surface(resolution=20)
    assert probabilities.shape == (20, 20, 4)
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-12)
    # the grid's corner (-EXTENT, -EXTENT) gives the same probabilities as a direct forward pass
    corner = session.net.forward(np.array([[-viz.EXTENT, -viz.EXTENT]]))[0]
    np.testing.assert_allclose(probabilities[0, 0], corner)


def test_surface_colours_closed_form():
    one_hot = np.zeros((1, 1, 3))
    one_hot[0, 0, 1] = 1.0
    expected = 255 * 0.15 + 0.85 * figures.CLASS_COLOURS[1]
    np.testing.assert_array_equal(figures.surface_rgb(one_hot)[0, 0], expected.astype(np.uint8))
    uniform = np.full((1, 1, 2), 0.5)
    mix = 0.75 * 255 + 0.25 * (figures.CLASS_COLOURS[0] + figures.CLASS_COLOURS[1]) / 2
    np.testing.assert_array_equal(figures.surface_rgb(uniform)[0, 0], mix.astype(np.uint8))


def test_digits_session_and_figures_are_valid_plotly():
    session = viz.Session.start(viz.Settings(dataset="digits", layers=1, width=16))
    session.advance(1)
    _, _, x_test, y_test, n_classes = session.data
    assert x_test.shape[1] == 64 and n_classes == 10
    probabilities = session.net.forward(x_test)
    style = figures.theme_style("simple_white", 22, ["#000000"])
    built = [
        figures.soft_confusion_figure(probabilities, y_test, 10, style, validate=True),
        figures.first_layer_figure(session.net.weights[0], style=style, validate=True),
        figures.curves_figure(session, style, validate=True),
    ]
    spiral = viz.Session.start(viz.Settings())
    p = spiral.surface()
    built += [
        figures.live_figure(p, spiral, "t", style, validate=True),
    ]
    for figure in built:  # validate=True: plotly checks every property of the dict specs
        assert isinstance(figure, go.Figure) and figure.data


def test_soft_confusion_rows_are_class_means():
    probabilities = np.array([[0.9, 0.1], [0.7, 0.3], [0.2, 0.8]])
    figure = figures.soft_confusion_figure(probabilities, np.array([0, 0, 1]), 2, validate=True)
    np.testing.assert_allclose(np.asarray(figure.data[0].z), [[0.8, 0.2], [0.2, 0.8]])


# ---------------------------------------------------------------------------------- the page
def _metrics(at):
    return {metric.label: metric.value for metric in at.metric}


def test_page_defaults_and_initial_loss(open_page, assert_page_ok):
    at = open_page(PAGE)
    assert_page_ok(at)
    values = _metrics(at)
    assert values["Epoch"] == "0" and values["Updates per second"] == "paused"
    session = viz.Session.start(viz.Settings())
    x_train, y_train, *_ = session.data
    fresh = nn.MLP([2, 16, 16, 3], hidden="tanh", output="softmax", seed=0)
    assert values["Train loss"] == f"{fresh.loss(x_train, y_train):.4f}"
    assert len(at.get("plotly_chart")) == 1  # surface, curves and class maps in one figure


def test_step_play_pause_reset(open_page):
    at = open_page(PAGE)
    at.button(key="pg_step").click().run()
    assert _metrics(at)["Epoch"] == "1"
    at.select_slider(key="pg_lr").set_value(0.001).run()  # keeps the weights and the epoch
    assert _metrics(at)["Epoch"] == "1"
    at.button(key="pg_play").click().run()
    assert at.session_state["pg_playing"] is True
    assert at.button(key="pg_play").label == "Pause"
    assert int(_metrics(at)["Epoch"]) >= 2  # the fragment trained while playing
    at.button(key="pg_play").click().run()
    assert at.session_state["pg_playing"] is False
    at.button(key="pg_reset").click().run()
    assert _metrics(at)["Epoch"] == "0"
    assert not at.exception


def test_data_change_starts_a_new_run(open_page):
    at = open_page(PAGE)
    at.button(key="pg_step").click().run()
    at.selectbox(key="pg_data").select("circles").run()
    assert _metrics(at)["Epoch"] == "0" and not at.exception


@pytest.mark.parametrize(
    "query",
    [
        {"pg_layers": 0},
        {"pg_layers": 6, "pg_width": 64},
        {"pg_width": 1},
        {"pg_classes": 2},
        {"pg_classes": 6},
        {"pg_points": 100},
        {"pg_points": 2000},
        {"pg_noise": 0.0},
        {"pg_noise": 0.5},
        {"pg_seed": 9999},
        {"pg_batch": 1},
        {"pg_batch": 500},
        {"pg_l2": 0.1},
        {"pg_lr": 0.0001},
        {"pg_tick": 10},
        {"pg_data": "digits"},
        {"pg_data": "digits", "pg_layers": 0},
        {"pg_act": "relu"},
        {"pg_act": "abs"},
        {"pg_act": "identity"},
        {"pg_opt": "sgd"},
        {"pg_opt": "nesterov"},
    ],
)
def test_page_widget_extremes(open_page, assert_page_ok, query):
    at = open_page(PAGE, query)
    assert_page_ok(at)
    at.button(key="pg_step").click().run()
    assert not at.exception and not at.error
    assert int(_metrics(at)["Epoch"]) == int(query.get("pg_tick", 1))


def test_divergence_is_a_message_not_a_traceback(open_page):
    at = open_page(
        PAGE,
        {
            "pg_lr": 3.0,
            "pg_opt": "sgd",
            "pg_act": "relu",
            "pg_layers": 6,
            "pg_width": 64,
            "pg_tick": 10,
        },
    )
    for _ in range(3):
        at.button(key="pg_step").click().run()
    assert not at.exception and not at.error
    # either it trained or it stopped with a warning naming the divergence
    assert at.warning == [] or "diverged" in at.warning[0].value


def test_surface_colours_of_a_diverged_network_are_pale_not_garbage():
    nan_map = np.full((2, 2, 3), np.nan)
    uniform = np.full((2, 2, 3), 1 / 3)
    np.testing.assert_array_equal(figures.surface_rgb(nan_map), figures.surface_rgb(uniform))


def test_live_figure_holds_surface_points_curves_and_one_map_per_class():
    session = viz.Session.start(viz.Settings(dataset="blobs", n_classes=5))
    session.advance(2)
    figure = figures.live_figure(session.surface(), session, "t", validate=True)
    kinds = [trace.type for trace in figure.data]
    assert kinds.count("image") == 2  # the decision surface and the strip of 5 class maps
    strip = np.asarray(figure.data[-1].z)
    size = session.surface().shape[0] // 2
    assert strip.shape == (size, 5 * (size + 2) - 2, 3)
    points = figure.data[1]
    assert len(points.x) == len(session.data[0])  # every training point, coloured by class
    losses = [trace for trace in figure.data if trace.name == "train loss"][0]
    np.testing.assert_allclose(losses.y, session.train_loss)


def test_viridis_end_points_and_nan():
    rgb = figures.viridis(np.array([0.0, 1.0, np.nan, 2.0]))
    assert rgb.tolist() == [[68, 1, 84], [253, 231, 37], [128, 128, 128], [253, 231, 37]]
