"""Gradient checking in float32 and at large |x| (audit 39, findings 2 and 12).

Every expected value is a closed form (d/dx x^2 = 2x) or an independent computation (a float64
network's gradient, a difference quotient written out here).
"""

import warnings

import numpy as np
import pytest

import nncore as nn


def square_sum_in_float64(v):
    """f(v) = sum v^2, computed in float64 whatever v's dtype: f is exact, so only the step errs."""
    return float(np.sum(v.astype(np.float64) ** 2))


@pytest.mark.parametrize("value", [1.0, 8.0, 16.0, 31.0, 33.0, 100.0, -1000.0, 3e30])
def test_float32_difference_quotient_divides_by_the_step_taken(value, strict):
    # Measured before the fix: 8 -> 15.26, 16 -> 45.8, 31 -> 118, 33 -> 0, 100 -> 0.
    x = np.array([value], dtype=np.float32)
    grad = nn.numerical_gradient(square_sum_in_float64, x)
    assert grad.dtype == np.float32
    # ((x + a)^2 - (x - b)^2) / (a + b) = 2x + (a - b), and |a - b| is one float32 spacing at most
    np.testing.assert_allclose(grad, 2 * np.float64(value), rtol=1e-6)


@pytest.mark.parametrize(
    ("value", "f", "derivative"),
    [
        (1e10, lambda v: float(np.sum(v**2)), 2e10),
        (-3e12, lambda v: float(np.sum(v**2)), -6e12),
        (1e300, lambda v: float(np.sum((v * 1e-150) ** 2)), 2.0),  # d/dv (v 1e-150)^2 = 2e-300 v
    ],
)
def test_float64_at_large_x(value, f, derivative, strict):
    # Before: 1e10 -> 3.28e10 and 1e300 -> 0 (x + 1e-6 rounds back to x).
    grad = nn.numerical_gradient(f, np.array([value]))
    np.testing.assert_allclose(grad, [derivative], rtol=1e-9)


@pytest.mark.parametrize("value", [0.3, -0.7, 1.0])
def test_float64_default_step_is_still_1e_minus_6_for_small_x(value):
    got = nn.numerical_gradient(lambda v: float(np.sin(v[0])), np.array([value]))
    # the quotient written out with h = 1e-6, dividing by the step as stored
    up, down = value + 1e-6, value - 1e-6
    assert got[0] == pytest.approx((np.sin(up) - np.sin(down)) / (up - down), rel=1e-14)
    assert got[0] == pytest.approx(np.cos(value), rel=1e-9)


def float32_network_and_data():
    net = nn.MLP([3, 4, 2], hidden="tanh", output="softmax", seed=0, dtype=np.float32)
    x = np.random.default_rng(0).normal(size=(5, 3))
    return net, x, np.array([0, 1, 1, 0, 1])


class DoubledFirstLayer:
    """A network whose backprop is deliberately wrong: dl/dW^1 comes out twice too large."""

    def __init__(self, net):
        self.net, self.weights, self.biases = net, net.weights, net.biases

    def loss(self, x, y):
        return self.net.loss(x, y)

    def loss_and_grads(self, x, y):
        loss, grads = self.net.loss_and_grads(x, y)
        grads[0] = (2 * grads[0][0], grads[0][1])
        return loss, grads


def test_a_correct_float32_network_passes_and_a_wrong_one_fails():
    net, x, y = float32_network_and_data()
    report = nn.check_gradients(net, x, y)  # before: 0.205, and passed() was False
    assert report.passed(), str(report)
    assert report.tolerance == 5e-2
    # the float32 analytic gradient against a float64 network with the same weights
    net64 = nn.MLP([3, 4, 2], hidden="tanh", output="softmax", seed=0)
    for i in range(2):
        net64.weights[i][...] = net.weights[i]
        net64.biases[i][...] = net.biases[i]
    exact = net64.loss_and_grads(x, y)[1]
    got = net.loss_and_grads(x, y)[1]
    for (dW, db), (dW64, db64) in zip(got, exact, strict=True):
        np.testing.assert_allclose(dW, dW64, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(db, db64, rtol=1e-4, atol=1e-6)
    wrong = nn.check_gradients(DoubledFirstLayer(net), x, y)
    assert not wrong.passed()
    # ||2a - a|| / (||2a|| + ||a||) = 1/3 for the doubled array
    assert wrong.worst_param == "W^1"
    assert wrong.max_relative_error == pytest.approx(1 / 3, abs=5e-2)


def test_float64_tolerance_is_unchanged():
    net = nn.MLP([3, 4, 2], hidden="tanh", output="softmax", seed=0)
    x = np.random.default_rng(0).normal(size=(5, 3))
    report = nn.check_gradients(net, x, [0, 1, 1, 0, 1])
    assert report.tolerance == 1e-6 and report.passed()
    assert not report.passed(tol=report.max_relative_error / 2)


def test_eps_may_be_a_numpy_number():
    # central differences are exact for a quadratic: d/dv v^2 at 0.5 is 1
    grad = nn.numerical_gradient(
        lambda v: float(np.sum(v**2)), np.array([0.5]), eps=np.float32(1e-3)
    )
    np.testing.assert_allclose(grad, [1.0], rtol=1e-9)


def test_an_f_that_returns_nan_is_named():
    def f(v):  # NaN once x_1 moves away from 0
        return 0.0 if v[1] == 0 else float("nan")

    with pytest.raises(ValueError, match=r"f returned nan at x\[1\] = 1e-06 \(x_j \+ h\)"):
        nn.numerical_gradient(f, np.array([1.0, 0.0]))


def test_float16_is_refused_not_zero():
    with pytest.raises(TypeError, match="float16"):
        nn.numerical_gradient(lambda v: float(np.sum(v)), np.ones(3, dtype=np.float16))


def test_a_step_below_the_float_spacing_is_refused():
    # float64 numbers near 1 are 2.2e-16 apart: 1 +- 1e-20 is 1 itself
    with pytest.raises(
        ValueError, match=r"h = 1e-20 \(eps = 1e-20\) is below the spacing of float64"
    ):
        nn.numerical_gradient(square_sum_in_float64, np.array([1.0]), eps=1e-20)


@pytest.mark.parametrize(
    ("a", "b", "named"),
    [(None, None, "NoneType"), (["1"], ["2"], "<U1"), ([1 + 1j], [1.0], "complex")],
)
def test_relative_error_refuses_what_is_not_a_real_array(a, b, named):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match=f"arrays of real numbers, but a is .*{named}"):
            nn.relative_error(a, b)
