"""bump_network and make_regression on intervals near the float range, and the sign of the
steepness (audit 39, finding 12)."""

import warnings

import numpy as np
import pytest

import nncore as nn
from nncore.bumps import bump_network


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("kind", ["step", "relu"])
def test_an_interval_whose_width_overflows_is_refused(kind, no_warnings):
    # before: RuntimeWarnings (overflow in subtract, invalid value in sin), then NaN weights
    with pytest.raises(ValueError, match=r"\[-1e\+308, 1e\+308\] is too wide: .*hi - lo overflows"):
        bump_network("sine", -1e308, 1e308, 5, kind=kind)


@pytest.mark.parametrize("kind", ["step", "relu"])
def test_f_overflowing_far_out_is_reported_without_warnings(kind, no_warnings):
    # the width 1.6e308 is finite, but sin(pi x) needs pi x, which overflows at x = 8e307
    with pytest.raises(ValueError, match=r"f is not finite on \[-8e\+307, 8e\+307\]"):
        bump_network("sine", -8e307, 8e307, 5, kind=kind)


@pytest.mark.parametrize("steepness", [-1.0, 0.0, float("nan"), float("inf")])
def test_steepness_must_be_positive(steepness):
    # before: -1.0 built an inverted staircase (sup error 1.20 on "sine")
    with pytest.raises(ValueError, match="steepness must be finite and > 0"):
        bump_network("sine", -1, 1, 9, steepness=steepness)


def test_a_positive_steepness_still_builds_the_staircase():
    """At the bin centres c_j the steps below are complete, the ones above not yet started: the
    network equals f(c_j) up to sigma(-steepness / 2) per step (closed form of the construction)."""
    n, steepness = 9, 30.0
    net = bump_network(np.cos, -1, 1, n, steepness=steepness)
    width = 2 / (n + 1)
    centres = -1 + (np.arange(n + 1) + 0.5) * width
    tail = 1 / (1 + np.exp(steepness / 2))  # sigma(-15): how far a step is from done at +-h/2
    levels = np.cos(centres)
    bound = tail * np.abs(np.diff(levels)).sum() * 2
    np.testing.assert_allclose(net.forward(centres[:, None])[:, 0], levels, atol=bound)
    with pytest.raises(TypeError, match="steepness must be a number"):
        bump_network(np.cos, -1, 1, n, steepness="steep")


def test_make_regression_refuses_an_interval_whose_width_overflows(no_warnings):
    # before: NumPy's OverflowError "high - low range exceeds valid bounds"
    with pytest.raises(ValueError, match=r"\[-1e\+308, 1e\+308\] is too wide"):
        nn.make_regression(lo=-1e308, hi=1e308)
    # a width that fits float64 still samples U[lo, hi], with f reported if it overflows
    with pytest.raises(ValueError, match="gives non-finite values"):
        nn.make_regression("sine", lo=-8e307, hi=8e307)
    x, y = nn.make_regression("x", n=50, lo=-1e300, hi=1e300)
    assert x.min() >= -1e300 and x.max() <= 1e300 and np.array_equal(y[:, 0], x[:, 0])
