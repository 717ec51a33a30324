"""The playground's live picture carries nothing by colour alone (WCAG 1.4.1): classes by shape
(the points, the decision regions, the confusion counts' rows and columns, the output units,
the words), and a weight's sign by its edge's stroke."""

import math

import numpy as np
import pytest
from PIL import Image, ImageDraw

from viz import playground as viz
from viz import playground_canvas as canvas
from viz import playground_figures as figures
from viz import playground_marks as marks
from viz import playground_picture as picture
from viz import playground_words as words

RED = (200, 0, 0)


def _mark(c: int, filled: bool = True, r: float = 12.0) -> np.ndarray:
    """Class c's mark drawn alone, centred in a 64 px square: a boolean mask of its pixels."""
    image = Image.new("RGB", (64, 64), (255, 255, 255))
    marks.class_mark(ImageDraw.Draw(image), c, 32, 32, r, RED, (255, 255, 255), filled)
    return np.all(np.asarray(image) == RED, axis=-1)


def test_every_class_a_plane_can_hold_has_a_shape_of_its_own():
    n = len(figures.CLASS_SYMBOLS)
    masks = [_mark(c) for c in range(n)]
    for c in range(n):
        for d in range(c + 1, n):
            differ = int(np.sum(masks[c] != masks[d]))
            assert differ >= 40, (figures.CLASS_SYMBOLS[c], figures.CLASS_SYMBOLS[d], differ)


def test_the_marks_are_the_shapes_their_names_say():
    r = 12.0
    inside = {name: _mark(c, r=r) for c, name in enumerate(figures.CLASS_SYMBOLS)}
    # the circle: about pi r^2 pixels; the square, half side 0.85 r: (1.7 r)^2
    assert inside["circle"].sum() == pytest.approx(math.pi * r * r, rel=0.1)
    assert inside["square"].sum() == pytest.approx((1.7 * r) ** 2, rel=0.1)
    # the square fills its corners (0.75 r out on both axes, 1.06 r from the centre), the
    # circle does not; the diamond fills the ends of its axes, not the corners
    corner, end = (32 + 9, 32 + 9), (32, 32 + 13)  # (row, column)
    assert inside["square"][corner] and not inside["circle"][corner]
    assert inside["diamond"][end] and not inside["diamond"][corner]
    # a triangle pointing up is wider at the bottom; one pointing down at the top
    up, down = inside["triangle-up"], inside["triangle-down"]
    assert up[40].sum() > up[24].sum() and down[24].sum() > down[40].sum()
    # the plus has its arms on the axes, the x on the diagonals; neither fills the other's
    assert inside["cross"][32, 32 + 12] and not inside["cross"][32 + 9, 32 + 9]
    assert inside["x"][32 + 7, 32 + 7] and not inside["x"][32, 32 + 12]


@pytest.mark.parametrize("c", range(4))  # circle, square, diamond, triangle: open in the middle
def test_a_test_points_mark_is_open_and_a_training_points_filled(c):
    assert _mark(c, filled=True)[32, 32]
    assert not _mark(c, filled=False)[32, 32]
    assert _mark(c, filled=False).sum() > 0


def test_points_are_drawn_in_their_classes_shapes():
    session = viz.Session.start(viz.Settings(dataset="blobs", n_classes=2, seed=1))
    data = session.data
    data.p_train, data.y_train = np.array([[-0.9, 0.0], [0.9, 0.0]]), np.array([0, 1])
    data.p_test, data.y_test = np.zeros((0, 2)), np.zeros(0, dtype=int)
    canvas._POINT_LAYERS.clear()
    side, radius = 360, 20  # 100 px per unit of the plane; the points at x = 90 and 270
    layer = np.asarray(canvas.points_layer(session, side, radius, show_test=False))
    canvas._POINT_LAYERS.clear()
    colours = figures.CLASS_COLOURS.astype(int)
    # the centres: each point in its class's colour
    np.testing.assert_array_equal(layer[180, 90, :3], colours[0])
    np.testing.assert_array_equal(layer[180, 270, :3], colours[1])
    # 0.75 r off the centre on both axes: inside class 1's square, outside class 0's circle
    assert layer[180 + 15, 90 + 15, 3] == 0
    np.testing.assert_array_equal(layer[180 + 15, 270 + 15, :3], colours[1])


def test_the_confusion_counts_name_their_classes_rows_and_columns():
    paper = canvas.Canvas(300, 300)
    counts = np.array([[10, 0, 0], [0, 5, 1], [2, 0, 7]])
    box = (90, 50, 240, 200)  # cells of 50 px
    picture.draw_confusion_counts(paper, box, counts)
    pixels = np.asarray(paper.image)
    mark = int(50 * 0.3)
    for k in range(3):  # each row's mark, left of the box, in its class's colour
        x, y = box[0] - 4 - mark / 2, box[1] + (k + 0.5) * 50
        np.testing.assert_array_equal(pixels[int(y), int(x)], figures.CLASS_COLOURS[k])
        # its number further left, and each column's number below the box: dark ink there
        digit = pixels[int(y) - 6 : int(y) + 6, int(x) - mark - 14 : int(x - mark / 2 - 4)]
        assert digit.min() < 100
        below = pixels[box[3] + 4 : box[3] + 18, box[0] + 50 * k + 18 : box[0] + 50 * k + 32]
        assert below.min() < 100


def test_the_words_name_each_classes_shape_as_the_picture_draws_it():
    session = viz.Session.start(viz.Settings(dataset="blobs", n_classes=4, seed=2))
    line = words._surface_line(session, session.maps()[-1], picture.View(show_test=True))
    assert (
        "training points (filled; class 0 circles, class 1 squares, class 2 diamonds, "
        "class 3 triangles pointing up)" in line
    )
    assert "test points (open shapes)" in line
    regression = viz.Session.start(viz.Settings(problem="regression", dataset="plane"))
    line = words._surface_line(regression, regression.maps()[-1], picture.View(show_test=True))
    assert "training points (circles)" in line and "test points (diamonds)" in line


def _regions(probabilities: np.ndarray, discretize: bool) -> tuple[np.ndarray, np.ndarray]:
    """The surface (white) with its region marks drawn over a 320 px box: (pixels, surface)."""
    paper = canvas.Canvas(400, 400)
    surface = np.full(probabilities.shape[:2] + (3,), 255, dtype=np.uint8)
    box = (40, 40, 360, 360)
    marks.draw_region_marks(paper.draw, box, probabilities, surface, discretize)
    return np.asarray(paper.image)[40:360, 40:360], surface


def _shade(c: int) -> np.ndarray:
    return np.round(marks.REGION_SHADE * figures.CLASS_COLOURS[c]).astype(int)


def test_the_decision_regions_carry_their_classes_marks():
    # class 0 certain where x_1 < 0 (columns 0..39 of 80), class 1 where x_1 > 0
    p = np.zeros((80, 80, 2))
    p[:, :40, 0] = p[:, 40:, 1] = 1.0
    pixels, _ = _regions(p, discretize=False)
    for c, half in ((0, pixels[:, :160]), (1, pixels[:, 160:])):
        here = np.all(half == _shade(c), axis=-1)
        assert here.sum() > 8 * 8 * 10  # 32 marks in each half, each more than a few pixels
        other = pixels[:, 160:] if c == 0 else pixels[:, :160]
        assert not np.all(other == _shade(c), axis=-1).any()
    # the left half holds circles, the right squares: each cell of 40 px has one mark whose
    # pixels match class_mark's own (drawn alone at the cell's centre)
    for c, column in ((0, 0), (1, 7)):
        alone = Image.new("RGB", (40, 40), (255, 255, 255))
        radius = max(3.0, 0.14 * 320 / marks.REGION_MARKS)
        colour = tuple(int(v) for v in _shade(c))
        marks.class_mark(ImageDraw.Draw(alone), c, 20, 20, radius, colour, filled=False)
        cell = pixels[0:40, 40 * column : 40 * column + 40]
        np.testing.assert_array_equal(cell, np.asarray(alone))


def test_region_marks_fade_where_the_network_is_unsure_unless_discretized():
    uniform = np.full((80, 80, 3), 1.0 / 3)
    pixels, _ = _regions(uniform, discretize=False)
    assert np.all(pixels == 255)  # certainty 0 everywhere: nothing drawn over the surface
    pixels, _ = _regions(uniform, discretize=True)
    assert np.all(pixels == _shade(0), axis=-1).any()  # discretized: the winner at full strength
    broken = np.full((80, 80, 3), np.nan)  # a diverged network: uniform, no mark
    assert np.all(_regions(broken, discretize=False)[0] == 255)


def test_a_negative_weights_edge_is_dashed_and_a_positive_ones_solid():
    from viz import playground_network as network

    # two horizontal edges, 3 px wide (|w| >= 2): w = +3 on row 20, w = -3 on row 60
    drawn = network.Edges(
        ends=np.array([[10.0, 20.0, 110.0, 20.0], [10.0, 60.0, 110.0, 60.0]]),
        weights=np.array([3.0, -3.0]),
        ids=np.array([[1, 0, 0], [1, 1, 0]]),
        total=2,
    )
    image = Image.new("RGB", (120, 80), (255, 255, 255))
    network.draw_edges(image, drawn, (255, 255, 255))
    pixels = np.asarray(image)
    solid, dashed = pixels[20, 12:108], pixels[60, 12:108]
    assert np.all(solid == network.POSITIVE.astype(int), axis=-1).all()
    # the dashed one: in the negative colour where (x // DASH_PX) is even, white where odd
    x = np.arange(12, 108)
    on = (x // network.DASH_PX) % 2 == 0
    assert np.all(dashed[on] == network.NEGATIVE.astype(int), axis=-1).all()
    assert np.all(dashed[~on] == 255)
