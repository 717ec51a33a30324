"""Your points on the playground before a run can start on them: no error, what they lack, and
an empty plane whose clicks add points (the browser half is in test_browser_playground.py)."""

import numpy as np
import plotly.graph_objects as go
import pytest
from playground_helpers import PAGE

from viz import playground as viz
from viz import playground_own as own_points
from viz.playground_overlay import clicked


@pytest.mark.parametrize(
    ("problem", "x", "y", "missing"),
    [
        ("classification", [[0.1, 0.2]], [0], "one point so far"),
        ("classification", [[0.1, 0.2], [0.5, -0.5], [1, 1]], [3, 3, 3], "one class so far"),
        ("regression", [[0.1, 0.2]], [[0.4]], "one point so far"),
    ],
)
def test_your_points_that_cannot_start_a_run_wait_on_the_plane(open_page, problem, x, y, missing):
    at = open_page(PAGE, {"pg_data": viz.OWN, "pg_problem": problem})
    at.session_state["pg_own"] = viz.OwnPoints(np.array(x, float), np.array(y), problem)
    at.session_state["pg_own_version"] = 1
    at.run()
    assert not at.error and not at.exception
    assert f"Your points: {missing}" in at.info[0].value
    assert "pg_session" not in at.session_state
    # two classes (or a second target): the run starts on them
    second = 0 if problem == "classification" else 0.1
    own = viz.add_clicked_point(None, at.session_state["pg_own"], [-0.5, 0.5], second, problem)[0]
    if problem == "classification":
        own = viz.add_clicked_point(None, own, [0.5, 0.5], 1, problem)[0]
    at.session_state["pg_own"] = own
    at.session_state["pg_own_version"] = 2
    at.run()
    assert not at.error and not at.info
    session = at.session_state["pg_session"]
    assert len(session.data.y_train) + len(session.data.y_test) == len(own.x)


def test_points_of_the_other_problem_are_named_not_hidden(open_page):
    """Points made for classification, on the regression problem: the page says they are there
    and what adding a point here does to them, instead of 'no points yet'."""
    at = open_page(PAGE, {"pg_data": viz.OWN, "pg_problem": "regression"})
    at.session_state["pg_own"] = viz.OwnPoints(
        np.array([[0.1, 0.2], [-0.5, 0.4], [0.3, -0.6]]), np.array([0, 1, 0]), "classification"
    )
    at.run()
    assert not at.error and not at.exception
    assert "Your points: the 3 you have are for classification" in at.info[0].value
    assert "in their place" in at.info[0].value
    at.radio(key="pg_problem").set_value("classification").run()
    assert not at.info and not at.error  # back: the run starts on them
    assert len(at.session_state["pg_own"].x) == 3


def test_points_typed_in_from_the_keyboard_start_the_run(open_page):
    """The keyboard's way to add points: x_1, x_2 and 'Add this point', with the class chosen
    above; two points of two classes start the run, and a third joins it."""
    at = open_page(PAGE, {"pg_data": viz.OWN})
    for (x1, x2), label in (((-0.5, 0.25), 0), ((1.2, -0.7), 1), ((0.0, 1.5), 1)):
        at.selectbox(key="pg_click").set_value(label)
        at.number_input(key="pg_add_x1").set_value(x1)
        at.number_input(key="pg_add_x2").set_value(x2)
        at.button(key="pg_add").click().run()
        assert not at.exception and not at.error
    own = at.session_state["pg_own"]
    assert own.x.tolist() == [[-0.5, 0.25], [1.2, -0.7], [0.0, 1.5]]
    assert own.y.tolist() == [0, 1, 1]
    session = at.session_state["pg_session"]
    assert len(session.data.y_train) + len(session.data.y_test) == 3
    assert not at.info  # no "no points yet" any more


def test_a_point_past_the_limit_is_named_not_raised(open_page):
    at = open_page(PAGE, {"pg_data": viz.OWN})
    n = viz.MAX_OWN_POINTS
    at.session_state["pg_own"] = viz.OwnPoints(
        np.random.default_rng(0).uniform(-1, 1, (n, 2)), np.arange(n) % 2, "classification"
    )
    at.session_state["pg_own_version"] = 1
    at.run()
    at.button(key="pg_add").click().run()
    assert not at.exception and not at.error
    assert f"The point was not added: at most {n} points" in at.warning[0].value
    assert len(at.session_state["pg_own"].x) == n


def test_the_plane_tells_classes_by_shape_and_takes_clicks_where_they_land():
    own = viz.OwnPoints(np.array([[0.1, 0.2], [-1.0, 1.5], [0.7, -0.3]]), np.array([0, 2, 0]),
                        "classification")  # fmt: skip
    fig = own_points.plane_figure(own, "classification", "a class-1 point")
    go.Figure(fig.to_dict())  # plotly validates every attribute
    points = [t for t in fig.data if t.meta != "decoration"]
    assert [t.name for t in points] == ["class 0", "class 2"]
    assert [len(t.x) for t in points] == [2, 1]
    assert (points[1].x[0], points[1].y[0]) == (-1.0, 1.5)
    assert len({t.marker.symbol for t in points}) == 2  # not colour alone
    assert len({t.marker.color for t in points}) == 2
    grid = next(t for t in fig.data if t.meta == "decoration")
    # a click on grid point k adds a point at that point's own coordinates
    k = 777
    selection = {"selection": {"points": [{"curve_number": len(points), "customdata": list(
        grid.customdata[k])}]}}  # fmt: skip
    trace, where = clicked(selection)
    assert trace == len(points) and where == pytest.approx([grid.x[k], grid.y[k]])
    assert -viz.EXTENT <= min(grid.x) and max(grid.y) <= viz.EXTENT
    assert "a class-1 point" in grid.hovertemplate
    assert list(fig.layout.xaxis.range) == [-viz.EXTENT, viz.EXTENT]


def test_regression_targets_are_written_beside_their_points():
    own = viz.OwnPoints(np.array([[0.1, 0.2]]), np.array([[0.25]]), "regression")
    fig = own_points.plane_figure(own, "regression", "a point with target 0.5")
    (points,) = [t for t in fig.data if t.meta != "decoration"]
    assert list(points.text) == ["0.25"]


@pytest.mark.parametrize(
    ("own", "problem", "missing"),
    [
        (None, "classification", "no points yet"),
        (viz.OwnPoints(np.zeros((3, 2)), np.array([0, 1, 0]), "classification"), "regression",
         "the 3 you have are for classification; switch the problem back to use them (a point "
         "added here starts new ones for regression in their place)"),
        (viz.OwnPoints(np.zeros((0, 2)), np.zeros((0, 1)), "regression"), "classification",
         "no points yet"),
        (viz.OwnPoints(np.zeros((2, 2)), np.array([4, 4]), "classification"), "classification",
         "one class so far"),
        (viz.OwnPoints(np.zeros((2, 2)), np.array([4, 1]), "classification"), "classification",
         None),
        (viz.OwnPoints(np.zeros((2, 2)), np.zeros((2, 1)), "regression"), "regression", None),
    ],
)  # fmt: skip
def test_what_your_points_lack(own, problem, missing):
    assert viz.own_points_missing(own, problem) == missing
