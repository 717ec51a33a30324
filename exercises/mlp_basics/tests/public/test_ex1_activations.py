"""Exercise 1 (public tests): activations and their derivatives.

Expected values come from closed forms evaluated one number at a time with Python's math module,
on inputs small enough for the textbook formulas; the extremes are checked against their limits.
The convention relu'(0) = 0 is checked by one test only (test_relu_grad_is_zero_at_zero); every
other test keeps z = 0 away from relu_grad. One test per function (its first formula test, and
test_relu_grad_returns_floats) also checks that the call left z as it was: backprop reads z^i
again after the forward pass, so a function that changes z in place loses that one point.
"""

import math

import numpy as np
import pytest
from _checks import (
    as_array,
    call_keeping_inputs,
    check_close,
    check_finite,
    check_true,
    describe,
)

# A RuntimeWarning in your code (overflow in exp, 0/0) fails the test: stable forms warn never.
pytestmark = [pytest.mark.ex1_activations, pytest.mark.filterwarnings("error::RuntimeWarning")]

STABLE_SIGMOID = (
    "compute sigma through e^{-|z|}, so the exponent is never positive and nothing overflows"
)
STABLE_SOFTPLUS = "ln(1 + e^z) = max(0, z) + ln(1 + e^{-|z|}) never exponentiates a large number"
DERIVATIVE = "sigma'(z) is the slope of the activation; small slopes make small gradients"
MODERATE = np.array([-30.0, -5.0, -1.5, -0.25, 0.0, 0.3, 1.0, 4.0, 30.0])
EXTREMES = np.array([-1000.0, -745.0, -50.0, 50.0, 745.0, 1000.0])


def _math_sigmoid(z):
    return np.array([1.0 / (1.0 + math.exp(-v)) for v in np.ravel(z)]).reshape(np.shape(z))


def _closed_forms(z):
    """Every activation and derivative at z (moderate, no 0), one number at a time."""
    s = _math_sigmoid(z)
    t = np.array([math.tanh(v) for v in np.ravel(z)]).reshape(np.shape(z))
    return {
        "sigmoid": s,
        "sigmoid_grad": s * (1 - s),
        "tanh": t,
        "tanh_grad": 1 - t * t,
        "relu": np.maximum(z, 0.0),
        "relu_grad": (z > 0).astype(float),
        "softplus": np.array([math.log1p(math.exp(v)) for v in np.ravel(z)]).reshape(z.shape),
        "softplus_grad": s,
    }


@pytest.mark.points(1)
def test_sigmoid_matches_formula(student):
    """sigma(z) = 1 / (1 + e^{-z}) on moderate inputs."""
    got = as_array(
        call_keeping_inputs(student.activations.sigmoid, "sigmoid", ["z"], MODERATE),
        "sigmoid",
        describe(MODERATE),
        (9,),
    )
    check_close(got, _math_sigmoid(MODERATE), "sigmoid", describe(MODERATE), "1 / (1 + e^{-z})")


@pytest.mark.points(1)
def test_sigmoid_is_symmetric_around_one_half(student):
    """sigma(0) = 1/2 and sigma(-z) = 1 - sigma(z): z is the log-odds of Y = 1."""
    z = np.linspace(-8, 8, 17)
    s = as_array(student.activations.sigmoid(z), "sigmoid", describe(z), (17,))
    s_neg = as_array(student.activations.sigmoid(-z), "sigmoid", describe(-z), (17,))
    idea = "sigma(0) = 1/2 and sigma(-z) = 1 - sigma(z): z is the log-odds of Y = 1"
    check_close(s[8], 0.5, "sigmoid(0)", "z = 0", idea)
    check_close(s + s_neg, np.ones(17), "sigmoid(z) + sigmoid(-z)", describe(z), idea)


@pytest.mark.points(2)
def test_sigmoid_is_stable_at_plus_minus_1000(student):
    """A stable sigmoid goes through e^{-|z|}: no overflow at z = +-1000."""
    got = as_array(student.activations.sigmoid(EXTREMES), "sigmoid", describe(EXTREMES), (6,))
    check_finite(got, "sigmoid", describe(EXTREMES), STABLE_SIGMOID)
    limits = np.array([0.0, 0.0, math.exp(-50.0), 1.0, 1.0, 1.0])
    check_close(got, limits, "sigmoid", describe(EXTREMES), STABLE_SIGMOID, atol=1e-15)


@pytest.mark.points(1)
def test_sigmoid_grad_matches_formula(student):
    """sigma'(z) = sigma(z) (1 - sigma(z)), largest (1/4) at z = 0."""
    got = as_array(
        call_keeping_inputs(student.activations.sigmoid_grad, "sigmoid_grad", ["z"], MODERATE),
        "sigmoid_grad",
        describe(MODERATE),
        (9,),
    )
    s = _math_sigmoid(MODERATE)
    idea = "sigma'(z) = sigma(z) (1 - sigma(z)), largest (1/4) at z = 0"
    check_close(got, s * (1 - s), "sigmoid_grad", describe(MODERATE), idea, atol=1e-15)


@pytest.mark.points(1)
def test_sigmoid_grad_is_stable_at_extremes(student):
    """A saturated sigmoid has slope 0, computed stably: no nan at z = +-1000."""
    z = np.concatenate([EXTREMES, [-2.0, 2.0]])
    got = as_array(student.activations.sigmoid_grad(z), "sigmoid_grad", describe(z), (8,))
    check_finite(got, "sigmoid_grad", describe(z), STABLE_SIGMOID)
    s2 = 1.0 / (1.0 + math.exp(-2.0))
    expected = np.concatenate([np.zeros(6), [s2 * (1 - s2)] * 2])
    idea = DERIVATIVE + "; far from 0 the sigmoid saturates and its slope is 0"
    check_close(got, expected, "sigmoid_grad", describe(z), idea, atol=1e-15)


@pytest.mark.points(1)
def test_tanh_matches_formula_and_the_sigmoid_identity(student):
    """tanh(z) = (e^z - e^{-z}) / (e^z + e^{-z}) = 2 sigma(2z) - 1."""
    got = as_array(
        call_keeping_inputs(student.activations.tanh, "tanh", ["z"], MODERATE),
        "tanh",
        describe(MODERATE),
        (9,),
    )
    expected = np.array([math.tanh(v) for v in MODERATE])
    check_close(got, expected, "tanh", describe(MODERATE), "(e^z - e^{-z}) / (e^z + e^{-z})")
    identity = 2 * _math_sigmoid(2 * MODERATE) - 1
    idea = "tanh(z) = 2 sigma(2z) - 1: a sigmoid stretched to (-1, 1) and centred at 0"
    check_close(got, identity, "tanh", describe(MODERATE), idea, atol=1e-15)


@pytest.mark.points(1)
def test_tanh_is_stable_at_extremes(student):
    """tanh saturates at +-1; the textbook quotient is inf/inf at |z| = 1000."""
    got = as_array(student.activations.tanh(EXTREMES), "tanh", describe(EXTREMES), (6,))
    idea = "(e^z - e^{-z}) / (e^z + e^{-z}) is inf/inf at |z| = 1000; use a stable form"
    check_finite(got, "tanh", describe(EXTREMES), idea)
    check_close(got, np.sign(EXTREMES), "tanh", describe(EXTREMES), idea)


@pytest.mark.points(1)
def test_tanh_grad_matches_formula(student):
    """tanh'(z) = 1 - tanh(z)^2, which is 1 at z = 0 (the sigmoid's is 1/4)."""
    got = as_array(
        call_keeping_inputs(student.activations.tanh_grad, "tanh_grad", ["z"], MODERATE),
        "tanh_grad",
        describe(MODERATE),
        (9,),
    )
    expected = np.array([1 - math.tanh(v) ** 2 for v in MODERATE])
    idea = "tanh'(z) = 1 - tanh(z)^2, which is 1 at z = 0: better than the sigmoid's 1/4"
    check_close(got, expected, "tanh_grad", describe(MODERATE), idea, atol=1e-15)


@pytest.mark.points(1)
def test_relu_values(student):
    """relu(z) = max(0, z), elementwise."""
    z = np.array([[-3.0, -0.5, 0.0], [0.5, 2.0, 1e6]])
    got = as_array(
        call_keeping_inputs(student.activations.relu, "relu", ["z"], z), "relu", describe(z), (2, 3)
    )
    expected = np.array([[0.0, 0.0, 0.0], [0.5, 2.0, 1e6]])
    check_close(got, expected, "relu", describe(z), "relu(z) = max(0, z), elementwise")


@pytest.mark.points(1)
def test_relu_grad_is_zero_at_zero(student):
    """The convention relu'(0) = 0 (the only test that evaluates relu' at 0)."""
    z = np.array([-2.0, -1e-12, 0.0, -0.0, 1e-12, 3.0])
    got = as_array(student.activations.relu_grad(z), "relu_grad", describe(z), (6,))
    idea = "relu'(z) is 1 where z > 0 and 0 elsewhere; by convention relu'(0) = 0"
    check_close(got, np.array([0.0, 0.0, 0.0, 0.0, 1.0, 1.0]), "relu_grad", describe(z), idea)


@pytest.mark.points(1)
def test_relu_grad_returns_floats(student):
    """relu'(z) is a number, 0.0 or 1.0, that multiplies gradients: floats, not booleans."""
    z = np.array([[-2.5, 0.75], [4.0, -1e-3]])
    idea = "relu'(z) multiplies gradients: return floats 0.0 and 1.0, not booleans (z > 0)"
    got = as_array(
        call_keeping_inputs(student.activations.relu_grad, "relu_grad", ["z"], z),
        "relu_grad",
        describe(z),
        (2, 2),
        idea,
        dtype="float",
    )
    check_close(got, np.array([[0.0, 1.0], [1.0, 0.0]]), "relu_grad", describe(z), idea)


@pytest.mark.points(1)
def test_softplus_matches_formula(student):
    """softplus(z) = ln(1 + e^z), a smooth ReLU."""
    got = as_array(
        call_keeping_inputs(student.activations.softplus, "softplus", ["z"], MODERATE),
        "softplus",
        describe(MODERATE),
        (9,),
    )
    expected = np.array([math.log1p(math.exp(v)) for v in MODERATE])
    check_close(got, expected, "softplus", describe(MODERATE), "softplus(z) = ln(1 + e^z)")


@pytest.mark.points(1)
def test_softplus_is_stable_at_extremes(student):
    """ln(1 + e^z) = max(0, z) + ln(1 + e^{-|z|}) never exponentiates a large number."""
    got = as_array(student.activations.softplus(EXTREMES), "softplus", describe(EXTREMES), (6,))
    check_finite(got, "softplus", describe(EXTREMES), STABLE_SOFTPLUS)
    limits = np.array([0.0, 0.0, math.exp(-50.0), 50.0, 745.0, 1000.0])
    check_close(got, limits, "softplus", describe(EXTREMES), STABLE_SOFTPLUS, atol=1e-15)


@pytest.mark.points(1)
def test_softplus_grad_is_the_sigmoid(student):
    """d/dz ln(1 + e^z) = e^z / (1 + e^z) = sigma(z), stable at the extremes."""
    z = np.concatenate([MODERATE, EXTREMES])
    got = as_array(
        call_keeping_inputs(student.activations.softplus_grad, "softplus_grad", ["z"], z),
        "softplus_grad",
        describe(z),
        (15,),
    )
    check_finite(got, "softplus_grad", describe(z), STABLE_SIGMOID)
    expected = np.concatenate([_math_sigmoid(MODERATE), [0.0, 0.0, math.exp(-50.0), 1, 1, 1]])
    idea = "d/dz ln(1 + e^z) = e^z / (1 + e^z) = sigma(z): softplus is a smooth ReLU"
    check_close(got, expected, "softplus_grad", describe(z), idea, atol=1e-15)


@pytest.mark.points(1)
def test_every_function_keeps_the_shape_of_a_batch(student):
    """An activation acts elementwise: h^i = sigma(z^i) has the shape (m, n_i) of z^i."""
    z = np.array([[-1.0, 0.5, 2.0], [3.0, -4.0, 0.25]])
    idea = "an activation is applied elementwise: h^i = sigma(z^i) has the shape of z^i"
    for name, expected in _closed_forms(z).items():
        got = as_array(getattr(student.activations, name)(z), name, describe(z), idea=idea)
        check_true(
            got.shape == z.shape,
            name,
            describe(z),
            f"returned shape {got.shape} for input shape {z.shape}",
            idea,
        )
        check_close(got, expected, name, describe(z), idea, atol=1e-15)
