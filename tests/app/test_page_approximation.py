"""Universal approximation page: fits, exact pieces, sawtooth, bump constructions."""

import numpy as np
import pytest

from viz import approximation as viz

PAGE = "pages/approximation.py"


def test_identity_network_is_one_linear_piece():
    fitted = viz.fit_network([1, 8, 8, 1], "abs", hidden="identity", epochs=5)
    assert fitted.pieces == 1 and fitted.breakpoints.size == 0
    slopes = np.diff(fitted.y_grid) / np.diff(np.linspace(-1, 1, viz.GRID_POINTS))
    np.testing.assert_allclose(slopes, slopes[0], rtol=1e-8)  # a straight line


def test_one_hidden_relu_layer_has_at_most_width_plus_one_pieces():
    fitted = viz.fit_network([1, 6, 1], "sine", hidden="relu", epochs=50)
    assert 1 <= fitted.pieces <= 7
    # the curve really is affine between the reported breakpoints
    x = np.linspace(-1, 1, viz.GRID_POINTS)
    edges = np.concatenate([[-1.0], fitted.breakpoints, [1.0]])
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (x > lo + 1e-6) & (x < hi - 1e-6)
        if inside.sum() >= 3:
            coefficients = np.polyfit(x[inside], fitted.y_grid[inside], 1)
            np.testing.assert_allclose(
                np.polyval(coefficients, x[inside]), fitted.y_grid[inside], atol=1e-9
            )


def test_smooth_units_have_no_piece_count_and_test_error_is_on_the_grid():
    fitted = viz.fit_network([1, 16, 1], "sine", hidden="tanh", epochs=100)
    assert fitted.pieces is None
    x, y = viz.target_on_grid("sine", -1.0, 1.0)
    assert fitted.test_mse == pytest.approx(np.mean((fitted.y_grid - np.sin(np.pi * x)) ** 2))
    np.testing.assert_allclose(y, np.sin(np.pi * x))


def test_formula_targets_and_bad_formulas():
    x, y = viz.target_on_grid("x^2 - 1", -1.0, 1.0)
    np.testing.assert_allclose(y, x**2 - 1)
    with pytest.raises(ValueError):
        viz.target_on_grid("__import__('os')", -1.0, 1.0)


def test_depth_width_figure_closed_forms():
    fig = viz.depth_width_figure(np.arange(1, 4))
    deep, shallow = fig.data
    assert list(deep.x) == [7, 13, 19] and list(deep.y) == [2, 4, 8]
    assert list(shallow.x) == [4, 10, 22]  # 3 (2^k - 1) + 1 parameters


# ---------------------------------------------------------------------------------- the page
def _metrics(at):
    return {metric.label: metric.value for metric in at.metric}


def test_page_defaults(open_page, assert_page_ok):
    at = open_page(PAGE)
    assert_page_ok(at)
    values = _metrics(at)
    assert values["Linear pieces on [0, 1] (exact count)"] == "8"
    assert values["2^k"] == "8" and values["Parameters of the deep net"] == "19"
    assert at.dataframe[0].value.shape[0] == 4  # widths {4, 32} x depths {1, 3}


@pytest.mark.parametrize("k", [1, 12])
def test_sawtooth_pieces_are_two_to_the_k(open_page, assert_page_ok, k):
    at = open_page(PAGE, {"ua_k": k})
    assert_page_ok(at)
    values = _metrics(at)
    assert values["Linear pieces on [0, 1] (exact count)"] == f"{2**k:,}"
    assert values["Parameters of the deep net"] == str(6 * k + 1)


@pytest.mark.parametrize("units", [1, 12, 200])
def test_hinge_construction_error_bound(open_page, assert_page_ok, units):
    at = open_page(PAGE, {"ua_kind": "relu", "ua_units": units})
    assert_page_ok(at)
    error = float(_metrics(at)["max |f(x) - h^2(x)|"])
    # piecewise-linear interpolation of sin(pi x) with h = 2/n: error <= h^2 max|f''| / 8
    bound = (2 / units) ** 2 * np.pi**2 / 8
    assert error <= bound * (1 + 1e-3)  # the metric shows 4 significant digits
    # pieces: 1 + the number of knots where the chord slope of the interpolant changes
    knots = np.linspace(-1, 1, units + 1)
    slopes = np.diff(np.sin(np.pi * knots)) / np.diff(knots)
    changes = np.abs(np.diff(slopes)) > 1e-9 * np.max(np.abs(slopes))
    assert _metrics(at)["Linear pieces"] == str(1 + int(changes.sum()))


@pytest.mark.parametrize(
    "query",
    [
        {"ua_mode": "equal budget"},
        {"ua_mode": "equal budget", "ua_budget": 2048, "ua_depths": "1,8"},
        {"ua_epochs": 10},
        {"ua_hidden": "tanh"},
        {"ua_hidden": "abs"},
        {"ua_widths": "1", "ua_depths": "8"},
        {"ua_noise": 0.5},
        {"ua_seed": 9999},
        {"ua_target": "step"},
        {"ua_target": "sawtooth", "ua_kind": "relu"},
        {"ua_target": "formula", "ua_formula": "exp(x) * cos(5*x)"},
        {"ua_units": 1, "ua_kind": "step", "ua_tol": 0.3},
        {"ua_tol": 0.001, "ua_kind": "relu"},
    ],
)
def test_page_widget_extremes(open_page, assert_page_ok, query):
    assert_page_ok(open_page(PAGE, query))


def test_budget_too_small_is_a_message(open_page):
    at = open_page(PAGE, {"ua_mode": "equal budget", "ua_budget": 16, "ua_depths": "8"})
    assert not at.exception
    assert any("too small" in error.value for error in at.error)


def test_bad_formula_is_a_message(open_page):
    at = open_page(PAGE, {"ua_target": "formula", "ua_formula": "import os"})
    assert not at.exception
    assert at.error and "formula" in at.error[0].value


def test_no_width_chosen_is_a_hint(open_page):
    at = open_page(PAGE)
    at.multiselect(key="ua_widths").set_value([]).run()
    assert not at.exception and any("at least one width" in info.value for info in at.info)
