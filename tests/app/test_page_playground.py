"""Playground: the training session, its figures, and the page's controls."""

import io
from types import SimpleNamespace

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

import nncore as nn
from viz import playground as viz
from viz import playground_canvas as canvas
from viz import playground_canvas_digits as canvas_digits
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
    # playing: the live view is one picture (a plotly redraw is too slow for the browser)
    assert len(at.get("image")) == 1 and len(at.get("plotly_chart")) == 0
    assert at.get("image")[0].proto.imgs[0].url.endswith(".jpg")
    at.button(key="pg_play").click().run()
    assert at.session_state["pg_playing"] is False
    assert len(at.get("image")) == 0 and len(at.get("plotly_chart")) == 1  # paused: plotly
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


def test_playing_digits_shows_the_digits_picture(open_page):
    at = open_page(PAGE, {"pg_data": "digits", "pg_layers": 1})
    at.button(key="pg_play").click().run()
    assert not at.exception and not at.error
    assert len(at.get("image")) == 1 and len(at.get("plotly_chart")) == 0


def test_surface_grid_in_blocks_equals_one_pass():
    session = viz.Session.start(viz.Settings(dataset="blobs", n_classes=4))
    axis = np.linspace(-viz.EXTENT, viz.EXTENT, 41)
    grid = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    one_pass = session.net.forward(grid).reshape(41, 41, 4)
    np.testing.assert_allclose(session.surface(resolution=41), one_pass, rtol=1e-12)


# ------------------------------------------------------------------- the pictures (playing)
def _pixel(image, xy):
    return np.asarray(image)[int(round(xy[1])), int(round(xy[0]))]


def _plane_to_pixel(box, x1, x2):
    left, top, right, bottom = box
    scale = (right - left) / (2 * viz.EXTENT)
    return left + (x1 + viz.EXTENT) * scale, bottom - (x2 + viz.EXTENT) * scale


def test_live_image_surface_points_and_class_maps():
    session = viz.Session.start(viz.Settings(dataset="blobs", n_classes=2, seed=4321))
    x_train, y_train, x_test, y_test, _ = session.data
    # one training point at (0.5, 1.0) of class 1, one test point elsewhere
    session.data = (
        np.array([[0.5, 1.0]]),
        np.array([1]),
        np.array([[-1.0, -1.0]]),
        np.array([0]),
        2,
    )
    canvas._POINT_LAYERS.clear()
    probabilities = np.zeros((40, 40, 2))
    probabilities[..., 0] = 1.0  # the network is sure of class 0 everywhere
    image = canvas.live_image(probabilities, session, "title")
    canvas._POINT_LAYERS.clear()
    layout = canvas.live_layout(14)
    assert image.size == layout["size"] == (960, 448)
    box = layout["surface"]
    surface_colour = figures.surface_rgb(probabilities[:1, :1])[0, 0]
    np.testing.assert_array_equal(_pixel(image, _plane_to_pixel(box, -1.5, 1.5)), surface_colour)
    point_colour = figures.CLASS_COLOURS[1]  # the training point's centre has its class colour
    np.testing.assert_array_equal(_pixel(image, _plane_to_pixel(box, 0.5, 1.0)), point_colour)
    tiles = canvas._map_tiles(layout["maps"], 2, 14)
    for c, expected in ((0, [253, 231, 37]), (1, [68, 1, 84])):  # viridis(1), viridis(0)
        left, top, right, bottom = tiles[c]
        centre = ((left + right) / 2, (top + bottom) / 2)
        np.testing.assert_array_equal(_pixel(image, centre), expected)


def test_live_image_presenter_and_dark_stay_within_streamlits_width():
    session = viz.Session.start(viz.Settings(dataset="circles", n_points=100))
    session.advance(2)
    image = canvas.live_image(session.surface(), session, "t", dark=True, font_size=22)
    assert image.size[0] <= 1460  # wider pictures are resized again by st.image
    assert tuple(_pixel(image, (2, 2))) == canvas.PALETTES["dark"][0]


def test_curves_are_drawn_at_their_values():
    history = SimpleNamespace(
        train_loss=[1.0, 0.1, 0.01],
        test_loss=[1.0, 0.1, 0.01],
        train_accuracy=[0.25, 0.25, 0.25],
        test_accuracy=[0.25, 0.25, 0.25],
    )
    picture = canvas.Canvas(400, 300)
    box = (50, 30, 350, 230)
    canvas.draw_curves(picture, box, history, line_width=3)
    quarter_y = box[3] - 0.25 * (box[3] - box[1])  # accuracy 25 % is a quarter of the way up
    np.testing.assert_array_equal(_pixel(picture.image, (200, quarter_y)), canvas.ACCURACY_COLOUR)
    # the loss axis is logarithmic: 0.1 lies half-way between 0.01 and 1 on the line
    low, high = 0.01 / 1.2, 1.2
    fraction = np.log(0.1 / low) / np.log(high / low)
    y = box[3] - fraction * (box[3] - box[1])
    np.testing.assert_array_equal(_pixel(picture.image, (200, y)), canvas.LOSS_COLOUR)


def test_log_ticks():
    assert canvas._log_ticks(0.15, 2.5) == pytest.approx([0.2, 0.5, 1.0, 2.0])
    assert canvas._log_ticks(1.1, 2.5) == pytest.approx([1.5, 2.0])
    assert canvas._log_ticks(1e-4, 2.0) == pytest.approx([1e-4, 1e-3, 1e-2, 1e-1, 1.0])


def test_digits_image_confusion_and_weights():
    session = viz.Session.start(viz.Settings(dataset="digits", layers=1, width=8))
    W = np.zeros((8, 64))
    W[0] = 1.0  # unit 0: every weight at the positive end of the scale (blue)
    image = canvas_digits.digits_image(np.eye(10), W, session, "t")
    assert image.size == canvas.live_layout(14)["size"]
    jpeg = Image.open(io.BytesIO(canvas.jpeg_bytes(image)))
    assert jpeg.format == "JPEG" and jpeg.size == image.size
    pixels = np.asarray(image)
    blues = canvas_digits._BLUES
    # row 0, column 0 (probability 1) dark; row 0, column 1 (probability 0) white-ish
    left, top, right, _ = canvas.live_layout(14)["surface"]  # where the matrix goes
    np.testing.assert_array_equal(pixels[top + 2, left + 2], blues[-1])
    cell = (right - left) / 10
    np.testing.assert_array_equal(pixels[top + 2, int(left + cell + 3)], blues[0])
    assert (pixels == canvas_digits._RDBU[-1].astype(np.uint8)).all(axis=-1).sum() >= 64
