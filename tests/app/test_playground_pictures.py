"""Playground: the pictures drawn from a session: colour scale, unit thumbnails, edges, decision
surface and points, confusion panel, presenter mode, the plotly overlay, the layer transform,
the curves and the digits picture."""

import io
from types import SimpleNamespace

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image, ImageDraw, ImageFilter
from playground_helpers import pixel

import nncore as nn
from nncore.datasets import train_test_split
from viz import playground as viz
from viz import playground_canvas as canvas
from viz import playground_canvas_digits as canvas_digits
from viz import playground_figures as figures
from viz import playground_network as network
from viz import playground_overlay as overlay
from viz import playground_picture as picture
from viz import playground_transform as transform


def test_diverging_scale_ends_and_middle():
    rgb = network.diverging_rgb(np.array([-1.0, 0.0, 1.0, 5.0, np.nan]), 1.0)
    np.testing.assert_array_equal(rgb[0], network.NEGATIVE)
    np.testing.assert_array_equal(rgb[2], network.POSITIVE)
    np.testing.assert_array_equal(rgb[3], network.POSITIVE)  # clipped
    assert np.abs(rgb[1].astype(int) - network.MIDDLE).max() <= 4
    np.testing.assert_array_equal(rgb[4], rgb[1])


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_diverging_scale_past_float32s_range():
    """Targets of 1e300 on their own scale: the ends of the scale, no overflow on the way."""
    rgb = network.diverging_rgb(np.array([-1e300, 0.0, 1e300, 3e39]), 1e300)
    np.testing.assert_array_equal(rgb[0], network.NEGATIVE)
    np.testing.assert_array_equal(rgb[2], network.POSITIVE)
    np.testing.assert_array_equal(rgb[3], rgb[1])  # 3e39 / 1e300 rounds to the middle


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
        pixel(image, (left + 1, (top + bottom) / 2)),
        network.diverging_rgb(np.tanh(4 * -1.75), 1.0),
    )
    assert pixel(image, (right - 2, (top + bottom) / 2))[2] > 150
    # unit 1 = tanh(4 x2): the top row (x2 = +1.8) is blue, the bottom vermillion
    left, top, right, bottom = boxes[1]
    assert pixel(image, ((left + right) / 2, top + 1))[2] > 150
    assert pixel(image, ((left + right) / 2, bottom - 2))[0] > 150
    # unit 2 = tanh(-2) everywhere: one colour
    left, top, right, bottom = boxes[2]
    expected = network.diverging_rgb(np.tanh(-2.0), 1.0)
    np.testing.assert_array_equal(pixel(image, ((left + right) / 2, (top + bottom) / 2)), expected)
    # the selected unit (layer 1, unit 2) drawn large in the same colour
    left, top, right, bottom = geometry.selected
    np.testing.assert_array_equal(pixel(image, (left + 3, top + 3)), expected)


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
    np.testing.assert_array_equal(pixel(image, xy), figures.CLASS_COLOURS[1])


def test_confusion_panel_shades_rows_by_share():
    paper = canvas.Canvas(200, 200)
    picture.draw_confusion_counts(paper, (50, 50, 150, 150), np.array([[10, 0], [0, 5]]))
    np.testing.assert_array_equal(pixel(paper.image, (55, 55)), picture.BLUES[-1])
    np.testing.assert_array_equal(pixel(paper.image, (145, 55)), picture.BLUES[0])


def test_live_picture_presenter_dark_and_big_networks():
    settings = viz.Settings(
        n_classes=6, widths=(32,) * 6, activations=("relu",) * 3 + ("tanh",) * 3
    )
    session = viz.Session.start(settings)
    image, geometry = picture.live_picture(
        session, picture.View(), "t", dark=True, font_size=canvas.PRESENTER_FONT
    )
    assert image.size[0] <= 1460  # wider pictures are resized again by st.image
    assert tuple(pixel(image, (2, 2))) == canvas.PALETTES["dark"][0]
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
    assert len(edges.x) == 2 * 4 + 4 * 2 and edges.text[0].startswith("W¹[")
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
    assert figure.layout.xaxis.title.text == "h¹₁"
    wide = viz.Session.start(viz.Settings(dataset="spirals", widths=(8, 8)))
    figure = transform.transform_figure(wide, 2, validate=True)
    assert "principal direction 1 of h²" in figure.layout.xaxis.title.text
    assert (
        len(
            [
                t
                for t in figure.data
                if getattr(t, "legendgroup", None) == transform.TIES and t.name.startswith("z")
            ]
        )
        == 3
    )


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
    np.testing.assert_array_equal(pixel(paper.image, (200, quarter_y)), canvas.ACCURACY_COLOUR)
    low, high = 0.01 / 1.2, 1.2
    fraction = np.log(0.1 / low) / np.log(high / low)
    y = box[3] - fraction * (box[3] - box[1])
    np.testing.assert_array_equal(pixel(paper.image, (200, y)), canvas.LOSS_COLOUR)


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


def _ink_rows(image: Image.Image, box, background) -> int:
    """How many pixel rows of `box` (left, top, right, bottom) hold anything but the
    background: the height of the text drawn there."""
    crop = np.asarray(image.crop(box).convert("RGB")).astype(int)
    inked = np.abs(crop - np.asarray(background)).sum(axis=2) > 120
    rows = np.flatnonzero(inked.any(axis=1))
    return int(rows[-1] - rows[0] + 1) if rows.size else 0


def _digit_height(size: int) -> int:
    """The height of "0.5" in the pictures' font at `size` px, drawn alone."""
    paper = canvas.Canvas(200, 100, font_size=size)
    paper.text((10, 10), "0.5")
    return _ink_rows(paper.image, (0, 0, 200, 100), canvas.PALETTES["light"][0])


@pytest.mark.parametrize("kind", ["plane", "digits"])
def test_presenter_pictures_read_as_large_as_the_presenter_charts(kind):
    """Presenter mode at 1024 x 768: st.image shrinks a picture to the main column
    (canvas.PRESENTER_COLUMN_PX wide, checked in test_browser_playground). There, the picture's
    smallest numbers (tick labels) must read at least 0.8 of the presenter charts' tick labels
    (figure_style.FONT_PX[True] px, as drawn in the same font) and its title as large as
    them; the 1000 px picture's ticks read half their size."""
    from viz import figure_style

    font_size = canvas.PRESENTER_FONT
    if kind == "plane":
        session = viz.Session.start(viz.Settings())
        session.advance(3)
        image, geometry = picture.live_picture(session, picture.View(), "Epoch 3", False, font_size)
        left, _, right, bottom = geometry.surface
        ticks = (left - 10, bottom + 6, right + 10, bottom + 6 + font_size)  # x ticks, small type
    else:
        session = viz.Session.start(
            viz.Settings(dataset="digits", widths=(8,), activations=("tanh",))
        )
        session.advance(1)
        image = canvas_digits.digits_image(
            np.eye(10), session.net.weights[0], session, "Epoch 3", font_size=font_size
        )
        left, _, right, bottom = canvas.live_layout(font_size)["surface"]
        ticks = (left, bottom + 4, right, bottom + 4 + font_size)  # class numbers, small type
    shown = min(1.0, canvas.PRESENTER_COLUMN_PX / image.size[0])
    reference = _digit_height(figure_style.FONT_PX[True])
    background = canvas.PALETTES["light"][0]
    assert _ink_rows(image, ticks, background) * shown >= 0.8 * reference
    title = (0, 0, 200, 8 + font_size + 4)
    assert _ink_rows(image, title, background) * shown >= 0.95 * reference


def test_presenter_text_beside_a_panel_wraps_inside_the_picture():
    """The selected unit's formula and numbers wrap (never inside "b = ...") and stay left of
    the confusion counts' class numbers; no line of text is cut at the picture's right edge."""
    session = viz.Session.start(
        viz.Settings(n_classes=6, widths=(32,) * 8, activations=("relu",) * 8)
    )
    font_size = canvas.PRESENTER_FONT
    panels = picture.layout(font_size, 32, True)
    small = canvas.font(canvas.small_size(font_size))
    output_unit = picture.unit_caption(session, (9, 3))
    numbers = picture._unit_numbers(session, (2, 5))
    for text in (output_unit, numbers):
        lines = canvas.wrap(text, small, panels["label_width"])
        assert 1 < len(lines) <= 3, lines
        assert all(small.getlength(line) <= panels["label_width"] for line in lines), lines
        assert panels["selected"][0] + panels["label_width"] < panels["confusion"][0]
    assert canvas.wrap(numbers, small, panels["label_width"])[-1].startswith("b")
    image, _ = picture.live_picture(session, picture.View(unit=(9, 3)), "t", False, font_size)
    right_edge = np.asarray(image)[:, -3:]
    assert (np.abs(right_edge.astype(int) - 255).sum(axis=2) < 60).all()  # nothing reaches it


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_input_and_output_headers_read_over_the_edges(dark):
    """At eight layers of 64 the input column (two units) sits mid-height, and the edges fanning
    out from it to 64 units crossed its header ("inpu"), as they crossed "Pr(Y=c|x)". On each
    header's letters and a pixel around them (the letters drawn alone, on a blank image) only
    its ink, the background and their blends (greys) may show: no edge's blue or orange."""
    settings = viz.Settings(n_classes=5, widths=(64,) * 8, activations=("leaky_relu",) * 8)
    session = viz.Session.start(settings)
    image, geometry = picture.live_picture(
        session, picture.View(), "t", dark=dark, font_size=canvas.PRESENTER_FONT
    )
    painter = canvas.Canvas(*image.size, dark, canvas.PRESENTER_FONT, image=image)
    spots = picture._header_spots(painter, geometry.columns, geometry.side)
    rgb = np.asarray(image.convert("RGB")).astype(int)
    spread = rgb.max(axis=-1) - rgb.min(axis=-1)  # 0 for a grey
    for xy, header in (spots[0], spots[-1]):
        alone = Image.new("L", image.size, 0)
        ImageDraw.Draw(alone).text(xy, header, fill=255, font=painter.small, anchor="md")
        letters = np.asarray(alone.filter(ImageFilter.MaxFilter(3))) > 0  # and a pixel around
        assert letters.sum() > 100, header
        assert spread[letters].max() <= 30, (header, int((spread[letters] > 30).sum()))
