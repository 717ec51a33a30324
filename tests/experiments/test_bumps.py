"""Hand-built one-hidden-layer approximations: exact constructions and the units they need."""

import numpy as np
import pytest

from nncore.bumps import approximation_error, bump_network, units_for_error
from nncore.regions import linear_pieces


def test_relu_construction_interpolates_at_the_knots():
    net = bump_network(np.sin, 0, np.pi, 10, kind="relu")
    knots = np.linspace(0, np.pi, 11)
    np.testing.assert_allclose(net.forward(knots[:, None])[:, 0], np.sin(knots), atol=1e-14)
    pieces = linear_pieces(net, 0, np.pi)
    assert pieces.count == 10
    np.testing.assert_allclose(pieces.breakpoints, knots, atol=1e-12)


def test_relu_error_matches_the_interpolation_bound():
    # Linear interpolation of sin with step h errs by at most h^2/8 max|sin''| = h^2/8.
    for n in (8, 32):
        h = np.pi / n
        error = approximation_error(bump_network(np.sin, 0, np.pi, n, "relu"), np.sin, 0, np.pi)
        assert 0.9 * h**2 / 8 < error <= h**2 / 8


def test_step_construction_is_piecewise_constant_at_bin_centres():
    n = 9
    net = bump_network("x^2", -1, 1, n, kind="step")
    width = 2 / (n + 1)
    centres = -1 + (np.arange(n + 1) + 0.5) * width
    np.testing.assert_allclose(net.forward(centres[:, None])[:, 0], centres**2, atol=1e-7)
    assert net.hidden == ["sigmoid"] and net.sizes == [1, n, 1]


def test_step_error_falls_like_one_over_n():
    errors = [
        approximation_error(bump_network(np.sin, 0, np.pi, n, "step"), np.sin, 0, np.pi)
        for n in (20, 40, 80)
    ]
    assert errors[0] / errors[1] == pytest.approx(2, rel=0.15)
    assert errors[1] / errors[2] == pytest.approx(2, rel=0.15)


def test_units_for_error_follows_the_theory():
    # relu: h^2/8 <= tol -> n = ceil(pi / sqrt(8 tol)); step: about max|f'| h / 2 -> pi / (2 tol).
    assert units_for_error(np.sin, 0, np.pi, 1e-3, kind="relu") == int(
        np.ceil(np.pi / np.sqrt(8e-3))
    )
    steps = units_for_error(np.sin, 0, np.pi, 1e-2, kind="step")
    assert steps == pytest.approx(np.pi / 2e-2, rel=0.05)
    n = units_for_error(np.sin, 0, np.pi, 1e-2, kind="relu")
    assert approximation_error(bump_network(np.sin, 0, np.pi, n, "relu"), np.sin, 0, np.pi) <= 1e-2
    assert (
        approximation_error(bump_network(np.sin, 0, np.pi, n - 1, "relu"), np.sin, 0, np.pi) > 1e-2
    )


def test_errors():
    with pytest.raises(ValueError, match="kind must be"):
        bump_network(np.sin, 0, 1, 5, kind="gauss")
    with pytest.raises(ValueError, match="n_units"):
        bump_network(np.sin, 0, 1, 0)
    with pytest.raises(ValueError, match="lo < hi"):
        bump_network(np.sin, 1, 0, 3)
    with pytest.raises(ValueError, match="do not reach"):
        units_for_error("step", -1, 1, 1e-3, kind="relu", max_units=64)


@pytest.mark.parametrize("n_layers", [1, 2, 5, 17])
def test_deep_narrow_network_interpolates_at_width_three(n_layers):
    """Width 3 for every hidden layer, L + 1 pieces, equal to np.interp through the L + 2 knots."""
    from nncore.bumps import deep_narrow_network

    net = deep_narrow_network("exp(2*x) - 3", -1.0, 2.0, n_layers)  # convex: every hinge bends
    assert net.sizes == [1] + [3] * n_layers + [1]
    knots = np.linspace(-1.0, 2.0, n_layers + 2)
    x = np.linspace(-1.0, 2.0, 3001)
    expected = np.interp(x, knots, np.exp(2 * knots) - 3)
    np.testing.assert_allclose(net.forward(x[:, None])[:, 0], expected, rtol=1e-12, atol=1e-11)
    assert linear_pieces(net, -1.0, 2.0).count == n_layers + 1


def test_deep_narrow_error_falls_like_one_over_depth_squared():
    from nncore.bumps import deep_narrow_network

    for n_layers in (9, 39):
        h = 2.0 / (n_layers + 1)
        error = approximation_error(deep_narrow_network("sine", -1, 1, n_layers), "sine", -1, 1)
        assert 0.9 * h**2 * np.pi**2 / 8 < error <= h**2 * np.pi**2 / 8  # max|f''| = pi^2


def test_deep_narrow_errors():
    from nncore.bumps import deep_narrow_network

    with pytest.raises(ValueError, match="n_layers"):
        deep_narrow_network("sine", -1, 1, 0)
    with pytest.raises(ValueError, match="not finite"):
        deep_narrow_network("1/x", -1, 1, 1)  # a knot at x = 0
