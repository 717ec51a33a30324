"""Playground: the training session, its pictures, and the page's controls (AppTest)."""

import io
from types import SimpleNamespace

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

import nncore as nn
from nncore.datasets import train_test_split
from nncore.features import feature_matrix
from viz import playground as viz
from viz import playground_canvas as canvas
from viz import playground_canvas_digits as canvas_digits
from viz import playground_figures as figures
from viz import playground_network as network
from viz import playground_overlay as overlay
from viz import playground_picture as picture
from viz import playground_text as text
from viz import playground_transform as transform
from viz import playground_words as words

PAGE = "pages/playground.py"


# ------------------------------------------------------------------------------ the session
def test_session_starts_at_the_initial_loss_and_trains():
    settings = viz.Settings(
        dataset="moons", n_points=200, noise=0.1, widths=(8,), activations=("tanh",)
    )
    session = viz.Session.start(settings)
    data = session.data
    assert data.n_classes == 2 and len(data.y_train) + len(data.y_test) == 200
    assert len(data.y_test) == 60  # 30 % of 200
    fresh = nn.MLP([2, 8, 2], hidden="tanh", output="softmax", seed=0)
    assert session.train_loss[0] == pytest.approx(fresh.loss(data.x_train, data.y_train))
    session.advance(20)
    assert session.epoch == 20 and len(session.train_loss) == 21
    assert session.train_loss[-1] < session.train_loss[0]


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_the_split_follows_the_share(share):
    session = viz.Session.start(viz.Settings(dataset="xor", n_points=200, test_share=share))
    assert len(session.data.y_test) == round(share * 200)
    assert len(session.data.y_train) == 200 - round(share * 200)


def test_features_are_the_networks_inputs():
    features = ("x1", "x1^2", "x1*x2", "sin(x2)")
    session = viz.Session.start(viz.Settings(dataset="circles", features=features))
    data = session.data
    assert session.net.sizes[0] == 4  # n_0 follows the features
    p = data.p_train
    np.testing.assert_array_equal(
        data.x_train, np.column_stack([p[:, 0], p[:, 0] ** 2, p[:, 0] * p[:, 1], np.sin(p[:, 1])])
    )


def test_retune_keeps_the_weights_and_notes_the_edit():
    session = viz.Session.start(viz.Settings(dataset="xor", n_points=100))
    session.advance(2)
    before = [W.copy() for W in session.net.weights]
    settings = viz.Settings(
        dataset="xor", n_points=100, lr=0.001, batch_size=50, regularization="L1", reg_rate=0.01
    )
    session.retune(settings)
    assert all(np.array_equal(a, b) for a, b in zip(before, session.net.weights, strict=True))
    assert session.trainer.optimizer.lr == 0.001 and session.trainer.batch_size == 50
    assert session.trainer.l1 == 0.01 and session.trainer.l2 == 0.0
    session.advance(1)
    assert session.epoch == 3 and session.edits == [(2, "optimiser settings changed")]


def test_dropout_session_trains_with_it_and_shows_the_network_without_it():
    settings = viz.Settings(
        dataset="blobs", n_classes=3, widths=(6, 4), activations=("tanh", "relu"), dropout=0.3
    )
    session = viz.Session.start(settings)
    session.advance(3)
    assert session.trainer.dropout == 0.3
    assert session.run_spec().dropout == 0.3
    # the curves' numbers, the maps and the test accuracy: an independent pass without dropout
    data, net = session.data, session.net

    def plain(x):
        h = np.tanh(x @ net.weights[0].T + net.biases[0])
        h = np.maximum(h @ net.weights[1].T + net.biases[1], 0)
        z = h @ net.weights[2].T + net.biases[2]
        return z - z.max(axis=1, keepdims=True)

    for x, y, recorded in (
        (data.x_train, data.y_train, session.train_loss[-1]),
        (data.x_test, data.y_test, session.test_loss[-1]),
    ):
        shifted = plain(x)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        assert recorded == pytest.approx(-log_p[np.arange(len(y)), y].mean(), rel=1e-12)
    accuracy = np.mean(plain(data.x_test).argmax(axis=1) == data.y_test)
    assert session.test_accuracy[-1] == pytest.approx(accuracy)
    axis = np.linspace(-viz.EXTENT, viz.EXTENT, 11)
    shifted = plain(np.array([[axis[3], axis[8]]]))
    expected = np.exp(shifted) / np.exp(shifted).sum()
    np.testing.assert_allclose(session.surface(11)[8, 3], expected[0], atol=2e-6)
    _, lines = words.plane_words(session, picture.View())
    assert any(
        "all of it without dropout (p = 0.3 acts in training steps only)" in line for line in lines
    )


def test_changing_dropout_keeps_the_weights():
    shape = {"dataset": "xor", "n_points": 100, "widths": (8,), "activations": ("tanh",)}
    session = viz.Session.start(viz.Settings(**shape))
    session.advance(1)
    before = [W.copy() for W in session.net.weights]
    settings = viz.Settings(**shape, dropout=0.2)
    assert settings.model_key() == session.settings.model_key()
    assert settings.optimiser_key() != session.settings.optimiser_key()
    session.retune(settings)
    assert all(np.array_equal(a, b) for a, b in zip(before, session.net.weights, strict=True))
    assert session.trainer.dropout == 0.2 and session.edits == [(1, "optimiser settings changed")]


def test_unit_maps_are_the_units_outputs_on_the_grid():
    session = viz.Session.start(
        viz.Settings(dataset="blobs", n_classes=4, widths=(5, 3), activations=("relu", "tanh"))
    )
    session.advance(2)
    maps = session.maps(resolution=11)
    axis = np.linspace(-viz.EXTENT, viz.EXTENT, 11)
    # row r, column c of a map is the point (axis[c], axis[r])
    point = np.array([[axis[7], axis[2]]])
    h = point
    for i, name in enumerate(session.net.hidden):  # an independent forward pass, in NumPy
        z = h @ session.net.weights[i].T + session.net.biases[i]
        h = np.maximum(z, 0) if name == "relu" else np.tanh(z)
        np.testing.assert_allclose(maps[i][2, 7], h[0], atol=2e-6)
    z = h @ session.net.weights[-1].T + session.net.biases[-1]
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(maps[-1][2, 7], p[0], atol=2e-6)
    np.testing.assert_allclose(session.surface(11).sum(axis=-1), 1.0, atol=1e-5)


def test_confusion_counts_the_test_points():
    session = viz.Session.start(viz.Settings(dataset="blobs", n_classes=3))
    session.advance(3)
    counts = session.confusion()
    data = session.data
    predicted = session.net.predict(data.x_test)
    assert counts.sum() == len(data.y_test)
    for r in range(3):
        for c in range(3):
            assert counts[r, c] == np.sum((data.y_test == r) & (predicted == c))
    assert np.trace(counts) / counts.sum() == pytest.approx(session.test_accuracy[-1])


def test_regression_session_uses_identity_and_squared_error():
    settings = viz.Settings(
        problem="regression", dataset="plane", widths=(6,), activations=("tanh",)
    )
    session = viz.Session.start(settings)
    assert session.net.output == "identity" and session.net.sizes[-1] == 1
    data = session.data
    h = session.net.forward(data.x_train)
    assert session.train_loss[0] == pytest.approx(np.mean(np.sum((h - data.y_train) ** 2, 1)))
    assert session.train_accuracy == []
    session.advance(10)
    assert session.train_loss[-1] < session.train_loss[0]


def test_your_points_and_a_clicked_point():
    rng = np.random.default_rng(0)
    own = viz.OwnPoints(rng.uniform(-1, 1, (30, 2)), np.arange(30) % 2, "classification")
    session = viz.Session.start(viz.Settings(dataset=viz.OWN), own)
    n_train = len(session.data.y_train)
    session.advance(1)
    weights = [W.copy() for W in session.net.weights]
    session.add_point([0.25, -0.5], 1)
    assert len(session.data.y_train) == n_train + 1
    np.testing.assert_array_equal(session.data.p_train[-1], [0.25, -0.5])
    assert session.data.y_train[-1] == 1
    np.testing.assert_array_equal(session.data.x_train[-1], feature_matrix([[0.25, -0.5]])[0])
    assert all(np.array_equal(a, b) for a, b in zip(weights, session.net.weights, strict=True))
    session.advance(1)  # trains on the new point
    assert session.trainer.m == n_train + 1
    with pytest.raises(ValueError, match="class 5"):
        session.add_point([0, 0], 5)
    bigger = own.with_point([0.1, 0.1], 1)
    assert len(bigger.x) == 31 and bigger.y[-1] == 1 and len(own.x) == 30


def test_fit_to_plane_scales_far_points_only():
    x = np.array([[10.0, -3.0], [0.0, 1.0]])
    scaled, s = viz.fit_to_plane(x)
    assert s == pytest.approx(10 / 1.5) and np.abs(scaled).max() == pytest.approx(1.5)
    same, one = viz.fit_to_plane(np.array([[1.0, -1.7]]))
    assert one == 1.0 and same[0, 1] == -1.7


def test_divergence_is_detected_and_a_lower_rate_suggested():
    session = viz.Session.start(
        viz.Settings(
            dataset="spirals", n_classes=6, widths=(64,) * 6, activations=("tanh",) * 6, lr=3.0
        )
    )
    session.advance(3)
    assert session.train_loss[-1] > 10 * session.train_loss[0]
    message = session.divergence()
    assert "diverging" in message and "rose from" in message
    advice = text.divergence_advice(message, 3.0, "none", 0.0)
    assert "Lower the learning rate eta from 3 to 0.3" in advice
    assert text.lower_rate(0.03) == 0.003 and text.lower_rate(1e-4) == 1e-4
    calm = viz.Session.start(viz.Settings(dataset="moons", widths=(4,), activations=("tanh",)))
    calm.advance(2)
    assert calm.divergence() == ""


def test_header_formula_follows_the_optimiser():
    assert r"\frac{\hat m}{\sqrt{\hat v} + \epsilon}" in text.update_latex("adam")
    assert text.update_latex("sgd").startswith(r"\theta \leftarrow \theta - \eta\, g")
    assert r"\mu v" in text.update_latex("momentum")
    assert r"\lambda\,\operatorname{sign}(W)" in text.update_latex("sgd", "L1")
    assert r"\lambda\,W" in text.update_latex("adam", "L2")
    assert r"\lVert h^k - y \rVert_2^2" in text.loss_latex(True)
    assert text.dropout_lines(0.0) == [] and text.dropout_latex(0.0) == ""
    dropout = text.dropout_latex(0.2)
    assert r"\tilde h^i = \frac{d^i \odot h^i}{1 - p}" in dropout
    assert r"\operatorname{Bernoulli}(1 - p)" in dropout and "p = 0.2" in dropout
    assert r"\text{training only: }" in dropout and r"\text{evaluation" in dropout
    assert "nothing to drop" in text.dropout_note(0.3, hidden_layers=0)
    assert text.dropout_note(0.0, hidden_layers=2) == ""


def test_unit_formula_holds_the_units_numbers():
    net = nn.MLP([2, 3, 2], hidden="tanh", output="softmax", seed=0)
    net.biases[0][1] = 0.25
    latex = text.unit_latex(net, 1, 1)
    assert latex.startswith(r"h^{1}_{1} = \tanh\big(h^{0} w^\top + b\big)")
    w = net.weights[0][1]
    assert f"{w[0]:.2f}" in latex and "b = 0.25" in latex
    assert r"\operatorname{softmax}(z^{2})_{0}" in text.unit_latex(net, 2, 0)


# ------------------------------------------------------------------------------ pictures
def _pixel(image, xy):
    return np.asarray(image)[int(round(xy[1])), int(round(xy[0]))]


def test_diverging_scale_ends_and_middle():
    rgb = network.diverging_rgb(np.array([-1.0, 0.0, 1.0, 5.0, np.nan]), 1.0)
    np.testing.assert_array_equal(rgb[0], network.NEGATIVE)
    np.testing.assert_array_equal(rgb[2], network.POSITIVE)
    np.testing.assert_array_equal(rgb[3], network.POSITIVE)  # clipped
    assert np.abs(rgb[1].astype(int) - network.MIDDLE).max() <= 4
    np.testing.assert_array_equal(rgb[4], rgb[1])


def test_picture_thumbnails_show_each_units_map():
    session = viz.Session.start(viz.Settings(dataset="moons", widths=(3,), activations=("tanh",)))
    W = session.net.weights[0]
    W[...] = [[4.0, 0.0], [0.0, 4.0], [0.0, 0.0]]  # unit 0 follows x1, unit 1 x2, unit 2 is 0
    session.net.biases[0][...] = [0.0, 0.0, -2.0]
    session._maps = (None, None)
    image, geometry = picture.live_picture(session, picture.View(unit=(1, 2)), "t")
    boxes = geometry.columns[1].boxes
    left, top, right, bottom = boxes[0]
    # unit 0 = tanh(4 x1): negative (vermillion) on the left edge, positive (blue) on the right
    np.testing.assert_array_equal(
        _pixel(image, (left + 1, (top + bottom) / 2)),
        network.diverging_rgb(np.tanh(4 * -1.75), 1.0),
    )
    assert _pixel(image, (right - 2, (top + bottom) / 2))[2] > 150
    # unit 1 = tanh(4 x2): the top row (x2 = +1.8) is blue, the bottom vermillion
    left, top, right, bottom = boxes[1]
    assert _pixel(image, ((left + right) / 2, top + 1))[2] > 150
    assert _pixel(image, ((left + right) / 2, bottom - 2))[0] > 150
    # unit 2 = tanh(-2) everywhere: one colour
    left, top, right, bottom = boxes[2]
    expected = network.diverging_rgb(np.tanh(-2.0), 1.0)
    np.testing.assert_array_equal(_pixel(image, ((left + right) / 2, (top + bottom) / 2)), expected)
    # the selected unit (layer 1, unit 2) drawn large in the same colour
    left, top, right, bottom = geometry.selected
    np.testing.assert_array_equal(_pixel(image, (left + 3, top + 3)), expected)


def test_picture_edges_are_coloured_and_sized_by_weight():
    session = viz.Session.start(viz.Settings(dataset="moons", widths=(2,), activations=("tanh",)))
    session.net.weights[0][...] = [[3.0, 0.0], [0.0, -3.0]]
    _, geometry = picture.live_picture(session, picture.View(), "t")
    drawn = geometry.edges
    assert drawn.total == 2 * 2 + 2 * 2
    strongest = {tuple(ids): w for ids, w in zip(drawn.ids.tolist(), drawn.weights, strict=True)}
    assert strongest[(1, 0, 0)] == 3.0 and strongest[(1, 1, 1)] == -3.0
    colours, widths = network.edge_styles(np.array([3.0, -3.0, 0.0]), (255, 255, 255))
    np.testing.assert_array_equal(colours[0], network.POSITIVE)
    np.testing.assert_array_equal(colours[1], network.NEGATIVE)
    assert widths.tolist() == [3, 3, 1]
    many = network.edges(geometry.columns, session.net.weights, limit=3)
    every = np.concatenate([W.ravel() for W in session.net.weights])
    top3 = np.sort(np.abs(every))[-3:]
    np.testing.assert_array_equal(np.abs(many.weights), top3)  # the strongest kept, weakest first


def test_surface_discretized_and_points():
    session = viz.Session.start(viz.Settings(dataset="blobs", n_classes=2, seed=4321))
    data = session.data
    data.p_train, data.y_train = np.array([[0.5, 1.0]]), np.array([1])
    data.p_test, data.y_test = np.array([[-1.0, -1.0]]), np.array([0])
    canvas._POINT_LAYERS.clear()
    output = np.zeros((10, 10, 2), dtype=np.float32)
    output[..., 0] = 0.6
    output[..., 1] = 0.4
    hard = picture._surface_rgb(session, output, discretize=True)
    expected = (255 * 0.15 + 0.85 * figures.CLASS_COLOURS[0]).astype(np.uint8)
    np.testing.assert_array_equal(hard[0, 0], expected)
    soft = picture._surface_rgb(session, output, discretize=False)
    assert not np.array_equal(soft[0, 0], hard[0, 0])  # 0.6 is unsure: paler
    image, geometry = picture.live_picture(session, picture.View(show_test=False), "t")
    canvas._POINT_LAYERS.clear()
    xy = picture.plane_to_pixel(geometry.surface, np.array([[0.5, 1.0]]))[0]
    np.testing.assert_array_equal(_pixel(image, xy), figures.CLASS_COLOURS[1])


def test_confusion_panel_shades_rows_by_share():
    paper = canvas.Canvas(200, 200)
    picture.draw_confusion_counts(paper, (50, 50, 150, 150), np.array([[10, 0], [0, 5]]))
    np.testing.assert_array_equal(_pixel(paper.image, (55, 55)), picture.BLUES[-1])
    np.testing.assert_array_equal(_pixel(paper.image, (145, 55)), picture.BLUES[0])


def test_live_picture_presenter_dark_and_big_networks():
    settings = viz.Settings(
        n_classes=6, widths=(32,) * 6, activations=("relu",) * 3 + ("tanh",) * 3
    )
    session = viz.Session.start(settings)
    image, geometry = picture.live_picture(session, picture.View(), "t", dark=True, font_size=22)
    assert image.size[0] <= 1460  # wider pictures are resized again by st.image
    assert tuple(_pixel(image, (2, 2))) == canvas.PALETTES["dark"][0]
    assert len(geometry.columns) == 8 and all(len(c.boxes) == 32 for c in geometry.columns[1:7])
    assert geometry.side >= 5
    boxes = [box for column in geometry.columns for box in column.boxes]
    for a, b in zip(boxes, boxes[1:], strict=False):  # no two thumbnails overlap
        assert a[2] <= b[0] or a[3] <= b[1] or b[2] <= a[0] or b[3] <= a[1]


def test_overlay_figure_is_valid_and_its_targets_sit_on_the_picture():
    session = viz.Session.start(viz.Settings(dataset="moons", widths=(4,), activations=("tanh",)))
    session.advance(2)
    image, geometry = picture.live_picture(session, picture.View(), "t")
    figure = overlay.overlay_figure(image, geometry, session, "a class-1 point")
    go.Figure(figure.to_dict())  # plotly validates every property
    units = figure.data[overlay.UNITS]
    assert len(units.x) == sum(session.net.sizes)
    assert list(units.customdata[2]) == [1, 0]  # after the two inputs: layer 1, unit 0
    edges = figure.data[overlay.EDGES]
    assert len(edges.x) == 2 * 4 + 4 * 2 and "W<sup>" in edges.text[0]
    grid = figure.data[overlay.CLICK_GRID]
    left, top, right, bottom = geometry.surface
    # the click target at plane point p sits where the picture draws p
    p = np.asarray(grid.customdata[100])
    xy = picture.plane_to_pixel(geometry.surface, p[None])[0]
    assert grid.x[100] == pytest.approx(xy[0]) and grid.y[100] == pytest.approx(xy[1])
    assert left <= grid.x.min() and grid.x.max() <= right
    click = {"selection": {"points": [{"curve_number": 3, "customdata": [0.1, 0.2]}]}}
    assert overlay.clicked(click) == (3, [0.1, 0.2]) and overlay.clicked({}) is None


def test_transform_view_of_a_two_unit_layer():
    session = viz.Session.start(viz.Settings(dataset="moons", widths=(2,), activations=("tanh",)))
    session.advance(3)
    view = transform.transform_view(session, 1)
    hs, _ = session.net.forward_trace(session.data.x_train)
    np.testing.assert_allclose(view["coords"], hs[1])  # a 2-unit layer: its own coordinates
    assert len(view["ties"]) == 1  # two classes: one line z_0 = z_1
    figure = transform.transform_figure(session, 1, validate=True)
    assert figure.layout.xaxis.title.text == "h^1_1"
    wide = viz.Session.start(viz.Settings(dataset="spirals", widths=(8, 8)))
    figure = transform.transform_figure(wide, 2, validate=True)
    assert "principal direction 1 of h^2" in figure.layout.xaxis.title.text
    assert len([t for t in figure.data if t.name and t.name.startswith("z_")]) == 3


def test_curves_are_drawn_at_their_values():
    history = SimpleNamespace(
        train_loss=[1.0, 0.1, 0.01],
        test_loss=[1.0, 0.1, 0.01],
        train_accuracy=[0.25, 0.25, 0.25],
        test_accuracy=[0.25, 0.25, 0.25],
    )
    paper = canvas.Canvas(400, 300)
    box = (50, 30, 350, 230)
    canvas.draw_curves(paper, box, history, line_width=3)
    quarter_y = box[3] - 0.25 * (box[3] - box[1])  # accuracy 25 % is a quarter of the way up
    np.testing.assert_array_equal(_pixel(paper.image, (200, quarter_y)), canvas.ACCURACY_COLOUR)
    low, high = 0.01 / 1.2, 1.2
    fraction = np.log(0.1 / low) / np.log(high / low)
    y = box[3] - fraction * (box[3] - box[1])
    np.testing.assert_array_equal(_pixel(paper.image, (200, y)), canvas.LOSS_COLOUR)


def test_digits_session_and_picture():
    session = viz.Session.start(viz.Settings(dataset="digits", widths=(8,), activations=("tanh",)))
    session.advance(1)
    data = session.data
    assert data.x_test.shape[1] == 64 and data.n_classes == 10
    W = np.zeros((8, 64))
    W[0] = 1.0
    image = canvas_digits.digits_image(np.eye(10), W, session, "t")
    jpeg = Image.open(io.BytesIO(canvas.jpeg_bytes(image)))
    assert jpeg.format == "JPEG" and jpeg.size == image.size
    points, labels = nn.load_digits(scale="unit")
    expected = train_test_split(points, labels, 0.3, 0)[3]
    np.testing.assert_array_equal(data.y_test, expected)


# ---------------------------------------------------------------------------------- the page
def _metrics(at):
    return {metric.label: metric.value for metric in at.metric}


def test_page_defaults_and_initial_loss(open_page, assert_page_ok):
    at = open_page(PAGE)
    assert_page_ok(at)
    values = _metrics(at)
    assert values["Epoch"] == "0" and values["Updates per second"] == "paused"
    session = viz.Session.start(viz.Settings())
    fresh = nn.MLP([2, 16, 16, 3], hidden="tanh", output="softmax", seed=0)
    assert values["Train loss"] == f"{fresh.loss(session.data.x_train, session.data.y_train):.4f}"
    latex = [element.value for element in at.latex]
    assert r"\frac{\hat m}{\sqrt{\hat v} + \epsilon}" in latex[0]  # Adam, the default
    assert any(r"h^{1}_{0} = \tanh" in value for value in latex)  # the selected unit
    confusion = at.table[0].value  # the lecture's column (the true class) first
    assert list(confusion.columns) == ["true \\ predicted"] + [str(c) for c in range(3)]
    counts = confusion.drop(columns="true \\ predicted").to_numpy()
    assert counts.shape == (3, 3) and counts.sum() == len(session.data.y_test)


def test_header_shows_the_chosen_optimiser(open_page):
    at = open_page(PAGE, {"pg_opt": "sgd", "pg_reg": "L2", "pg_rate": 0.01})
    assert at.latex[0].value.startswith("$$\n" + r"\theta \leftarrow \theta - \eta\, g")
    assert r"\lambda\,W" in at.latex[0].value
    assert "plain SGD" in at.caption[0].value


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
    assert len(at.get("image")) == 1 and len(at.get("plotly_chart")) == 0
    assert at.get("image")[0].proto.imgs[0].url.endswith(".jpg")
    at.button(key="pg_play").click().run()
    assert at.session_state["pg_playing"] is False
    assert len(at.get("image")) == 0 and len(at.get("plotly_chart")) == 1  # the overlay
    at.button(key="pg_reset").click().run()
    assert _metrics(at)["Epoch"] == "0"
    assert not at.exception


def test_features_toggle_changes_n0(open_page):
    at = open_page(PAGE)
    at.button_group(key="pg_features").set_value(["x1", "x2", "x1^2", "x2^2"]).run()
    assert not at.exception and not at.error
    session = at.session_state["pg_session"]
    assert session.net.sizes[0] == 4 and session.settings.features == ("x1", "x2", "x1^2", "x2^2")
    at.button_group(key="pg_features").set_value([]).run()
    assert "choose at least one input feature" in at.error[0].value


def test_per_layer_widths_and_activations(open_page):
    query = {"pg_layers": 6, "pg_a1": "relu", "pg_a6": "sigmoid"}
    query |= {f"pg_w{i}": 32 for i in range(1, 7)}
    at = open_page(PAGE, query)
    assert not at.exception and not at.error
    session = at.session_state["pg_session"]
    assert session.net.sizes == [2, 32, 32, 32, 32, 32, 32, 3]
    assert session.net.hidden == ["relu", "tanh", "tanh", "tanh", "tanh", "sigmoid"]
    at.button(key="pg_step").click().run()
    assert _metrics(at)["Epoch"] == "1" and not at.exception


def test_test_share_and_show_test(open_page):
    at = open_page(PAGE, {"pg_test": 50, "pg_show_test": False, "pg_points": 200})
    session = at.session_state["pg_session"]
    assert len(session.data.y_test) == 100 and len(session.data.y_train) == 100
    assert "100 training points, 100 test points" in " ".join(c.value for c in at.caption)


def test_regression_page(open_page, assert_page_ok):
    at = open_page(PAGE, {"pg_problem": "regression", "pg_data": "gaussians", "pg_discrete": True})
    assert_page_ok(at)
    assert _metrics(at)["Test accuracy"] == "n/a"
    assert r"\lVert h^k - y \rVert_2^2" in at.latex[1].value
    at.button(key="pg_step").click().run()
    assert not at.exception and not at.error


def test_your_points_from_a_csv_and_a_bad_csv(open_page):
    at = open_page(PAGE, {"pg_data": viz.OWN})
    assert not at.error  # no points yet is where your points start, not an error
    assert "Your points: no points yet" in at.info[0].value
    assert "pg_session" not in at.session_state
    at.session_state["pg_own"] = viz.OwnPoints(
        np.array([[0.1, 0.2], [-0.5, 0.4], [0.3, -0.6], [0.9, 0.9]]),
        np.array([0, 1, 0, 1]),
        "classification",
    )
    at.session_state["pg_own_version"] = 1
    at.run()
    assert not at.error
    session = at.session_state["pg_session"]
    assert len(session.data.y_train) + len(session.data.y_test) == 4
    at.session_state["pg_csv_error"] = "bad.csv: row 3, column x2: 'abc' is not a number"
    at.run()
    assert "row 3, column x2" in at.error[0].value


def test_clicking_adds_a_point(open_page):
    at = open_page(PAGE, {"pg_data": "moons", "pg_points": 100})
    at.button(key="pg_edit").click().run()
    assert at.selectbox(key="pg_data").value == viz.OWN
    session = at.session_state["pg_session"]
    assert len(session.data.y_train) == 70 and not at.error
    # what the paused chart's click callback does with a click on the surface at (0.3, -0.6)
    own, restart = viz.add_clicked_point(
        session, at.session_state["pg_own"], [0.3, -0.6], 1, "classification"
    )
    assert not restart and len(own.x) == 101 and own.y[-1] == 1
    at.session_state["pg_own"] = own
    at.run()
    assert at.session_state["pg_session"] is session  # same run, same weights
    assert "71 training points, 30 test points" in " ".join(c.value for c in at.caption)
    own, restart = viz.add_clicked_point(session, own, [0.0, 0.0], 2, "classification")
    assert restart  # a third class: a new output layer
    at.session_state["pg_own"] = own
    at.session_state["pg_own_version"] = at.session_state["pg_own_version"] + 1
    at.run()
    assert at.session_state["pg_session"].net.sizes[-1] == 3 and not at.exception


def test_dropout_control_explains_training_only(open_page, assert_page_ok):
    at = open_page(PAGE, {"pg_dropout": 0.2, "pg_reg": "L2", "pg_rate": 0.01})  # from the URL
    assert_page_ok(at)
    at.button(key="pg_step").click().run()
    assert not at.exception and not at.error and _metrics(at)["Epoch"] == "1"
    trainer = at.session_state["pg_session"].trainer
    assert trainer.dropout == 0.2 and trainer.l2 == 0.01  # dropout combines with L2
    captions = " ".join(caption.value for caption in at.caption)
    assert "Dropout p = 0.2 acts only while training" in captions
    assert "computed without dropout (eval mode" in captions
    assert any(r"\operatorname{Bernoulli}(1 - p)" in latex.value for latex in at.latex)
    # a new p keeps the weights and the epoch, like a new regularisation
    at.select_slider(key="pg_dropout").set_value(0.5).run()
    assert _metrics(at)["Epoch"] == "1" and at.session_state["pg_session"].trainer.dropout == 0.5
    at.select_slider(key="pg_dropout").set_value(0.0).run()
    assert not any("acts only while training" in caption.value for caption in at.caption)
    assert not any("Bernoulli" in latex.value for latex in at.latex)


@pytest.mark.parametrize(
    "query",
    [
        {"pg_layers": 0},
        {"pg_layers": 8, "pg_w8": 64},
        {"pg_w1": 1},
        {"pg_classes": 2},
        {"pg_classes": 6},
        {"pg_points": 100},
        {"pg_points": 2000},
        {"pg_noise": 0.0},
        {"pg_noise": 0.5},
        {"pg_seed": 9999},
        {"pg_batch": 1},
        {"pg_batch": 500},
        {"pg_reg": "L1", "pg_rate": 0.3},
        {"pg_dropout": 0.5},
        {"pg_dropout": 0.3, "pg_layers": 0},
        {"pg_lr": 0.0001},
        {"pg_tick": 10},
        {"pg_test": 90},
        {"pg_data": "digits"},
        {"pg_data": "digits", "pg_layers": 0},
        {"pg_a1": "abs"},
        {"pg_a1": "identity"},
        {"pg_opt": "sgd"},
        {"pg_opt": "nesterov"},
        {"pg_problem": "regression", "pg_data": "step"},
    ],
)
def test_page_widget_extremes(open_page, assert_page_ok, query):
    at = open_page(PAGE, query)
    assert_page_ok(at)
    at.button(key="pg_step").click().run()
    assert not at.exception and not at.error
    assert int(_metrics(at)["Epoch"]) == int(query.get("pg_tick", 1))


def test_divergence_warns_and_offers_a_lower_rate(open_page):
    query = {"pg_lr": 3.0, "pg_classes": 6, "pg_layers": 6, "pg_tick": 3}
    query |= {f"pg_w{i}": 64 for i in range(1, 7)}
    at = open_page(PAGE, query)
    at.button(key="pg_step").click().run()
    assert not at.exception and not at.error
    warning = at.warning[0].value
    assert "diverging" in warning and "Lower the learning rate eta from 3 to 0.3" in warning
    at.button(key="pg_lower").click().run()
    assert at.select_slider(key="pg_lr").value == 0.3 and _metrics(at)["Epoch"] == "0"
    assert at.warning == []


def test_export_tab_offers_weights_and_code(open_page):
    at = open_page(PAGE, {"pg_points": 100, "pg_tab": "Export"})
    at.button(key="pg_step").click().run()
    codes = [element.value for element in at.code]
    assert any("nn.Trainer(" in code and "trainer.run(epochs=1)" in code for code in codes)
    assert any("torch.optim.Adam(params" in code for code in codes)
    labels = [element.proto.label for element in at.get("download_button")]
    assert labels == ["Weights (.npz)", "Weights (.json)", "NumPy + nncore (.py)", "PyTorch (.py)"]


def test_only_the_open_tab_is_computed(open_page, plotly_specs):
    at = open_page(PAGE)
    assert len(at.get("plotly_chart")) == 1 and not at.get("download_button")  # the overlay only
    at = open_page(PAGE, {"pg_tab": "How the layers transform the plane"})
    specs = plotly_specs(at)
    assert len(specs) == 2 and specs[1]["layout"]["title"]["text"].startswith(
        "The plane as layer 2"
    )
    assert at.table == [] and not at.get("download_button")


# ------------------------------------------------------------------------- the picture in words
def test_plane_words_carry_the_pictures_numbers():
    session = viz.Session.start(
        viz.Settings(dataset="blobs", n_classes=3, widths=(5,), activations=("tanh",))
    )
    session.advance(4)
    view = picture.View(unit=(1, 2))
    name, lines = words.plane_words(session, view)
    text_ = " ".join(lines)
    assert name.endswith("epoch 4")
    # the decision surface: where each class wins, from an independent pass over the same grid
    axis = np.linspace(-viz.EXTENT, viz.EXTENT, viz.GRID)
    a, b = np.meshgrid(axis, axis)
    h = np.column_stack([a.ravel(), b.ravel()])
    W1, W2, b1, b2 = session.net.weights[0], session.net.weights[1], *session.net.biases
    winner = (np.tanh(h @ W1.T + b1) @ W2.T + b2).argmax(axis=1)
    for c in range(3):
        assert f"class {c} {np.mean(winner == c):.1%}" in text_
    # the selected unit: its weights, bias and its range over the plane
    unit = np.tanh(h @ W1[2] + b1[2])
    assert f"b = {words.number(b1[2])}" in text_
    assert f"from {words.number(unit.min())} to {words.number(unit.max())}" in text_
    # the curves and the confusion counts
    assert f"training {words.number(session.train_loss[0])} to " in text_
    predicted = session.net.predict(session.data.x_test)
    y = session.data.y_test
    row0 = ", ".join(f"{np.sum((y == 0) & (predicted == c))} as {c}" for c in range(3))
    assert f"true class 0: {row0}" in text_
    assert f"({np.sum(predicted == y)} of {len(y)} right)" in text_


def test_regression_and_digits_words():
    session = viz.Session.start(
        viz.Settings(problem="regression", dataset="plane", widths=(4,), activations=("tanh",))
    )
    _, lines = words.plane_words(session, picture.View(show_test=False))
    assert any(line.startswith("Prediction h^k(x) over the plane from") for line in lines)
    assert not any("diamonds" in line or "true class" in line for line in lines)
    digits = viz.Session.start(viz.Settings(dataset="digits", widths=(8,), activations=("tanh",)))
    mean = np.eye(10) * 0.5
    name, lines = words.digits_words(digits, mean)
    assert "0: 50.0%" in lines[0] and "8 units of 8 x 8 pixels" in lines[2]


def test_every_picture_has_words_and_the_live_one_alt_text(open_page):
    at = open_page(PAGE)
    html = [element.proto.body for element in at.get("html")]
    overlay_words = [body for body in html if "the network and its maps at epoch 0" in body]
    assert len(overlay_words) == 1 and "Decision surface" in overlay_words[0]
    at.button(key="pg_play").click().run()
    image = at.get("image")[0].proto.imgs[0]
    assert "Live training picture" in image.alt and image.caption
    epoch = int(_metrics(at)["Epoch"])
    html = " ".join(element.proto.body for element in at.get("html"))
    assert "Chart in words: the network and its maps at epoch" in html
    at.button(key="pg_play").click().run()  # paused: the words match the picture's epoch
    html = " ".join(element.proto.body for element in at.get("html"))
    assert f"maps at epoch {_metrics(at)['Epoch']}</summary>" in html and epoch >= 1
    at = open_page(PAGE, {"pg_data": "digits", "pg_tab": "How the layers transform the plane"})
    charts, texts = len(at.get("plotly_chart")), at.get("html")
    assert charts == 3 and sum("Chart in words" in t.proto.body for t in texts) >= charts
