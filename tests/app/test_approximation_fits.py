"""Universal approximation's computations without the page: the fits (nn.fit's run on the
targets' standard scale, exact pieces), the targets it accepts or refuses, the seeds tried for
the narrow deep network, the constructions' figure."""

import numpy as np
import pytest

import nncore as nn
from nncore.approximation import random_biases
from nncore.datasets import make_regression
from viz import approximation as viz
from viz import constructions


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


@pytest.mark.parametrize("hidden", ["relu", "tanh"])
def test_fit_network_is_nn_fits_run_on_the_standardized_targets(hidden):
    """The page's fits (through FusedTrainer, for speed) are nn.fit's run, the same floats, on
    the targets put on a standard scale; the curve is back in the target's units."""
    sizes, seed = [1, 8, 8, 1], 3
    fitted = viz.fit_network(sizes, "sawtooth", hidden=hidden, epochs=40, n_train=64, seed=seed)
    x_train, y_train = make_regression("sawtooth", 64, 0.0, seed, dim=1, lo=-1.0, hi=1.0)
    mean, std = float(np.mean(y_train)), float(np.std(y_train))
    net = nn.MLP(sizes, hidden=hidden, output="identity", seed=seed)
    random_biases(net, seed=seed + 10_000)
    nn.fit(net, x_train, (y_train - mean) / std, optimizer="adam", lr=0.01, epochs=40,
           batch_size=32, seed=seed)  # fmt: skip
    x = np.linspace(-1.0, 1.0, viz.GRID_POINTS)[:, None]
    np.testing.assert_allclose(fitted.y_grid, mean + std * net.forward(x)[:, 0], rtol=1e-12,
                               atol=1e-12 * std)  # fmt: skip


def test_a_targets_scale_changes_the_fit_by_exactly_that_scale():
    """Training on 1024 f (a power of two: every rounding scales with it) gives exactly 1024
    times the curve of f, and 1024^2 times its errors; before the targets were standardized,
    Adam's steps of about lr from weights of order 1 could not reach a large target at all."""
    small = viz.fit_network([1, 8, 8, 1], "sin(3*x) + 0.3*abs(x)", epochs=30, seed=1)
    large = viz.fit_network([1, 8, 8, 1], "1024*(sin(3*x) + 0.3*abs(x))", epochs=30, seed=1)
    np.testing.assert_array_equal(large.y_grid, 1024 * small.y_grid)
    assert large.test_mse == 1024**2 * small.test_mse
    assert large.pieces == small.pieces
    np.testing.assert_array_equal(large.breakpoints, small.breakpoints)


def test_how_many_narrow_seeds_are_tried_does_not_depend_on_the_targets_units():
    """A run of the narrow deep network fits when its test MSE is under a share of Var f: on
    1024 f every run's error is exactly 1024^2 times f's, so the same seeds are tried."""
    from viz.approximation_runs import NARROW_GOOD, trained_narrow

    small = trained_narrow.__wrapped__("sin(3*x)", 0)
    large = trained_narrow.__wrapped__("1024*sin(3*x)", 0)
    assert len(small) == len(large)
    assert [run.test_mse * 1024**2 for run in small] == [run.test_mse for run in large]
    _, y = viz.target_on_grid("sin(3*x)", -1.0, 1.0)
    fits = [run.test_mse < NARROW_GOOD * np.var(y) for run in small]
    assert fits[:-1] == [False] * (len(small) - 1)  # it stops at the first run that fits
    assert fits[-1] or len(small) == 3


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


def test_a_target_too_large_for_any_error_to_be_measured_is_refused_by_name():
    # 401 grid points: a prediction within +-max|f| errs by at most (2 max|f|)^2 per point, so
    # the sum of squared errors stays finite while max|f| <= sqrt(float64 max / 401) / 2
    largest = np.sqrt(np.finfo(np.float64).max / viz.GRID_POINTS) / 2
    assert 3.3e152 < largest < 3.4e152
    _, y = viz.target_on_grid("3e152 * x^2", -1.0, 1.0)
    assert y.max() == pytest.approx(3e152)
    with pytest.raises(ValueError, match=r"'1e300\*x\*x' reaches 1e\+300 on \[-1.0, 1.0\].*"
                       r"at most 3.35e\+152"):  # fmt: skip
        viz.target_on_grid("1e300*x*x", -1.0, 1.0)


def test_a_target_too_flat_for_any_error_to_be_measured_is_refused_by_name():
    # a spread s = max f - min f bounds every error of a fit within it; its square is a normal
    # float64 only while s >= sqrt(smallest normal) = sqrt(2.2e-308) = 1.49e-154
    smallest = np.sqrt(np.finfo(np.float64).tiny)
    assert 1.49e-154 < smallest < 1.5e-154
    _, y = viz.target_on_grid("1e-150 * x", -1.0, 1.0)
    assert y.max() - y.min() == pytest.approx(2e-150)
    with pytest.raises(ValueError, match=r"'1e-300\*x' varies by only 2e-300 on \[-1.0, 1.0\].*"
                       r"at least 1.49e-154"):  # fmt: skip
        viz.target_on_grid("1e-300*x", -1.0, 1.0)
    _, constant = viz.target_on_grid("5", -1.0, 1.0)  # no spread at all: nothing to underflow
    assert np.all(constant == 5)


def test_depth_width_figure_closed_forms():
    fig = constructions.depth_width_figure(np.arange(1, 4))
    deep, shallow = fig.data
    assert list(deep.x) == [7, 13, 19] and list(deep.y) == [2, 4, 8]
    assert list(shallow.x) == [4, 10, 22]  # 3 (2^k - 1) + 1 parameters
    # its two log axes write the powers of ten alike (10³ beside 10⁴, not 1000 beside 10k)
    assert fig.layout.xaxis.exponentformat == fig.layout.yaxis.exponentformat == "power"
