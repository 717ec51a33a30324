"""Exercise 1 (public tests): activations and their derivatives.

Expected values come from closed forms evaluated one number at a time with Python's math module,
on inputs small enough for the textbook formulas; the extremes are checked against their limits.
"""

import math

import numpy as np
import pytest
from _checks import as_array, check_close, check_finite, check_true, describe

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


@pytest.mark.points(1)
def test_sigmoid_matches_formula(student):
    got = as_array(student.activations.sigmoid(MODERATE), "sigmoid", describe(MODERATE), (9,))
    check_close(got, _math_sigmoid(MODERATE), "sigmoid", describe(MODERATE), "1 / (1 + e^{-z})")


@pytest.mark.points(1)
def test_sigmoid_is_symmetric_around_one_half(student):
    z = np.linspace(-8, 8, 17)
    s = as_array(student.activations.sigmoid(z), "sigmoid", describe(z), (17,))
    s_neg = as_array(student.activations.sigmoid(-z), "sigmoid", describe(-z), (17,))
    idea = "sigma(0) = 1/2 and sigma(-z) = 1 - sigma(z): z is the log-odds of Y = 1"
    check_close(s[8], 0.5, "sigmoid(0)", "z = 0", idea)
    check_close(s + s_neg, np.ones(17), "sigmoid(z) + sigmoid(-z)", describe(z), idea)


@pytest.mark.points(2)
def test_sigmoid_is_stable_at_plus_minus_1000(student):
    got = as_array(student.activations.sigmoid(EXTREMES), "sigmoid", describe(EXTREMES), (6,))
    check_finite(got, "sigmoid", describe(EXTREMES), STABLE_SIGMOID)
    limits = np.array([0.0, 0.0, math.exp(-50.0), 1.0, 1.0, 1.0])
    check_close(got, limits, "sigmoid", describe(EXTREMES), STABLE_SIGMOID, atol=1e-15)


@pytest.mark.points(1)
def test_sigmoid_grad_matches_formula(student):
    got = as_array(
        student.activations.sigmoid_grad(MODERATE), "sigmoid_grad", describe(MODERATE), (9,)
    )
    s = _math_sigmoid(MODERATE)
    idea = "sigma'(z) = sigma(z) (1 - sigma(z)), largest (1/4) at z = 0"
    check_close(got, s * (1 - s), "sigmoid_grad", describe(MODERATE), idea, atol=1e-15)


@pytest.mark.points(1)
def test_sigmoid_grad_is_stable_at_extremes(student):
    got = as_array(
        student.activations.sigmoid_grad(EXTREMES), "sigmoid_grad", describe(EXTREMES), (6,)
    )
    check_finite(got, "sigmoid_grad", describe(EXTREMES), STABLE_SIGMOID)
    check_close(got, np.zeros(6), "sigmoid_grad", describe(EXTREMES), DERIVATIVE, atol=1e-15)


@pytest.mark.points(1)
def test_tanh_matches_formula_and_the_sigmoid_identity(student):
    got = as_array(student.activations.tanh(MODERATE), "tanh", describe(MODERATE), (9,))
    expected = np.array([math.tanh(v) for v in MODERATE])
    check_close(got, expected, "tanh", describe(MODERATE), "(e^z - e^{-z}) / (e^z + e^{-z})")
    identity = 2 * _math_sigmoid(2 * MODERATE) - 1
    idea = "tanh(z) = 2 sigma(2z) - 1: a sigmoid stretched to (-1, 1) and centred at 0"
    check_close(got, identity, "tanh", describe(MODERATE), idea, atol=1e-15)


@pytest.mark.points(1)
def test_tanh_is_stable_at_extremes(student):
    got = as_array(student.activations.tanh(EXTREMES), "tanh", describe(EXTREMES), (6,))
    idea = "(e^z - e^{-z}) / (e^z + e^{-z}) is inf/inf at |z| = 1000; use a stable form"
    check_finite(got, "tanh", describe(EXTREMES), idea)
    check_close(got, np.sign(EXTREMES), "tanh", describe(EXTREMES), idea)


@pytest.mark.points(1)
def test_tanh_grad_matches_formula(student):
    got = as_array(student.activations.tanh_grad(MODERATE), "tanh_grad", describe(MODERATE), (9,))
    expected = np.array([1 - math.tanh(v) ** 2 for v in MODERATE])
    idea = "tanh'(z) = 1 - tanh(z)^2, which is 1 at z = 0: better than the sigmoid's 1/4"
    check_close(got, expected, "tanh_grad", describe(MODERATE), idea, atol=1e-15)


@pytest.mark.points(1)
def test_relu_values(student):
    z = np.array([[-3.0, -0.5, 0.0], [0.5, 2.0, 1e6]])
    got = as_array(student.activations.relu(z), "relu", describe(z), (2, 3))
    expected = np.array([[0.0, 0.0, 0.0], [0.5, 2.0, 1e6]])
    check_close(got, expected, "relu", describe(z), "relu(z) = max(0, z), elementwise")


@pytest.mark.points(1)
def test_relu_grad_is_zero_at_zero(student):
    z = np.array([-2.0, -1e-12, 0.0, 1e-12, 3.0])
    got = as_array(student.activations.relu_grad(z), "relu_grad", describe(z), (5,))
    idea = "relu'(z) is 1 where z > 0 and 0 elsewhere; by convention relu'(0) = 0"
    check_close(got, np.array([0.0, 0.0, 0.0, 1.0, 1.0]), "relu_grad", describe(z), idea)


@pytest.mark.points(1)
def test_softplus_matches_formula(student):
    got = as_array(student.activations.softplus(MODERATE), "softplus", describe(MODERATE), (9,))
    expected = np.array([math.log1p(math.exp(v)) for v in MODERATE])
    check_close(got, expected, "softplus", describe(MODERATE), "softplus(z) = ln(1 + e^z)")


@pytest.mark.points(1)
def test_softplus_is_stable_at_extremes(student):
    got = as_array(student.activations.softplus(EXTREMES), "softplus", describe(EXTREMES), (6,))
    check_finite(got, "softplus", describe(EXTREMES), STABLE_SOFTPLUS)
    limits = np.array([0.0, 0.0, math.exp(-50.0), 50.0, 745.0, 1000.0])
    check_close(got, limits, "softplus", describe(EXTREMES), STABLE_SOFTPLUS, atol=1e-15)


@pytest.mark.points(1)
def test_softplus_grad_is_the_sigmoid(student):
    z = np.concatenate([MODERATE, EXTREMES])
    got = as_array(student.activations.softplus_grad(z), "softplus_grad", describe(z), (15,))
    check_finite(got, "softplus_grad", describe(z), STABLE_SIGMOID)
    expected = np.concatenate([_math_sigmoid(MODERATE), [0.0, 0.0, math.exp(-50.0), 1, 1, 1]])
    idea = "d/dz ln(1 + e^z) = e^z / (1 + e^z) = sigma(z): softplus is a smooth ReLU"
    check_close(got, expected, "softplus_grad", describe(z), idea, atol=1e-15)


@pytest.mark.points(1)
def test_every_function_keeps_the_shape_of_a_batch(student):
    z = np.array([[-1.0, 0.0, 2.0], [3.0, -4.0, 0.5]])
    names = ["sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "softplus"]
    for name in names + ["softplus_grad"]:
        got = getattr(student.activations, name)(z)
        arr = as_array(got, name, describe(z), idea="activations act elementwise on (m, n_i)")
        check_true(
            arr.shape == z.shape,
            name,
            describe(z),
            f"returned shape {arr.shape} for input shape {z.shape}",
            "an activation is applied elementwise: h^i = sigma(z^i) has the shape of z^i",
        )
