"""Exercise 1 (hidden tests): more inputs, the whole float range, dtypes and shapes.

Compared with the reference solution; messages name the input and the property, never the
expected values. No test here evaluates relu_grad at z = 0: that convention has its own public
test, so a wrong relu'(0) costs its point once. The float range stops at |z| = 1e300, where the
docstrings' stable forms (including tanh = 2 sigma(2z) - 1, whose 2z overflows at 1e308) hold.
"""

import math

import numpy as np
import pytest
from _checks import as_array, check_close, check_dtype, check_true, describe

pytestmark = [pytest.mark.ex1_activations, pytest.mark.filterwarnings("error::RuntimeWarning")]

FUNCTIONS = [
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "relu",
    "relu_grad",
    "softplus",
    "softplus_grad",
]
STABLE = (
    "stable forms never exponentiate a large positive number: sigma through e^{-|z|}, "
    "softplus through max(0, z) + ln(1 + e^{-|z|})"
)
FORMULAS = {
    "sigmoid": "sigma(z) = 1 / (1 + e^{-z})",
    "sigmoid_grad": "sigma'(z) = sigma(z) (1 - sigma(z))",
    "tanh": "tanh(z) = 2 sigma(2z) - 1",
    "tanh_grad": "tanh'(z) = 1 - tanh(z)^2",
    "relu": "relu(z) = max(0, z)",
    "relu_grad": "relu'(z) = 1 for z > 0, else 0 (relu'(0) = 0)",
    "softplus": "softplus(z) = ln(1 + e^z)",
    "softplus_grad": "softplus'(z) = sigma(z)",
}
EXTREMES = np.array(
    [-1e300, -1e4, -1000.0, -710.0, -709.0, -50.0, -1e-300, 1e-300, 50.0, 709.0, 710.0]
    + [1000.0, 1e4, 1e300]
)


def _compare(student, reference, name, z, idea, rtol=1e-7, atol=1e-12):
    on = describe(z)
    got = as_array(getattr(student.activations, name)(z), name, on, z.shape, "keep z's shape")
    expected = getattr(reference.activations, name)(z)
    check_close(got, expected, name, on, idea, rtol, atol, reveal=False)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.points(1)
def test_matches_on_a_wide_random_batch(student, reference, name):
    """Each activation and derivative by its formula on a (6, 7) batch of scale 20."""
    z = np.random.default_rng(100).normal(scale=20.0, size=(6, 7))
    _compare(student, reference, name, z, FORMULAS[name])


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.points(1)
def test_the_whole_float_range(student, reference, name):
    """Stable forms hold from 1e-300 to 1e300 without overflow, nan or warnings."""
    _compare(student, reference, name, EXTREMES, f"{FORMULAS[name]}; {STABLE}")


@pytest.mark.points(1)
def test_float32_stays_float32(student, reference):
    """float32 in, float32 out: every activation keeps the input's precision."""
    z = np.linspace(-30, 30, 12, dtype=np.float32)  # no 0: relu'(0) has its own test
    idea = "keep the input's precision: float32 in, float32 out (mind float64 constants)"
    for name in FUNCTIONS:
        got = getattr(student.activations, name)(z)
        arr = as_array(got, name, describe(z), z.shape, idea)
        if np.asarray(got).dtype.kind == "f":  # booleans from relu_grad: their own test
            check_dtype(got, np.float32, name, describe(z), idea)
        expected = getattr(reference.activations, name)(z)
        check_close(arr, expected, name, describe(z), idea, 1e-5, 1e-6, reveal=False)


@pytest.mark.points(1)
def test_integer_input(student, reference):
    """Integers are numbers too: an integer z gives the same values as the float z."""
    z = np.array([-3, -1, 1, 3])
    for name in FUNCTIONS:
        _compare(student, reference, name, z, f"{FORMULAS[name]}; integers are numbers too")


@pytest.mark.points(1)
def test_three_dimensional_input(student, reference):
    """Activations act elementwise on arrays of any shape, here (2, 3, 4)."""
    z = np.random.default_rng(101).normal(scale=3.0, size=(2, 3, 4))
    for name in FUNCTIONS:
        _compare(student, reference, name, z, f"{FORMULAS[name]}, elementwise on any shape")


@pytest.mark.points(1)
def test_sigmoid_grad_is_at_most_one_quarter(student):
    """sigma' <= 1/4, with equality only at z = 0: sigma's factor shrinks gradients."""
    z = np.linspace(-10, 10, 2001)
    on = "2001 points in [-10, 10]"
    got = as_array(student.activations.sigmoid_grad(z), "sigmoid_grad", on, z.shape)
    idea = "sigma'(z) = sigma(z) (1 - sigma(z)) <= 1/4, with equality only at z = 0"
    check_true(np.all(got <= 0.25 + 1e-15), "sigmoid_grad", on, "exceeded 1/4", idea)
    check_close(got[1000], 0.25, "sigmoid_grad(0)", "z = 0", idea, reveal=False)
    check_true(np.all(got[:1000] < 0.25), "sigmoid_grad", on, "reached 1/4 away from 0", idea)


@pytest.mark.points(1)
def test_softplus_difference_is_z(student):
    """softplus(z) - softplus(-z) = ln e^z = z, also at +-1e4."""
    z = np.array([-1e4, -700.0, -30.0, -1.0, 0.0, 2.0, 35.0, 700.0, 1e4])
    plus = as_array(student.activations.softplus(z), "softplus", describe(z), z.shape)
    minus = as_array(student.activations.softplus(-z), "softplus", describe(-z), z.shape)
    idea = "softplus(z) - softplus(-z) = z: ln(1 + e^z) - ln(1 + e^{-z}) = ln e^z"
    check_close(plus - minus, z, "softplus(z) - softplus(-z)", describe(z), idea, 1e-9, 1e-12)


@pytest.mark.points(1)
def test_tanh_is_odd_and_a_rescaled_sigmoid(student):
    """tanh(z) = 2 sigma(2z) - 1 is odd: a sigmoid stretched to (-1, 1), centred at 0."""
    z = np.linspace(-20, 20, 41)
    t = as_array(student.activations.tanh(z), "tanh", describe(z), z.shape)
    t_neg = as_array(student.activations.tanh(-z), "tanh", describe(-z), z.shape)
    idea = "tanh(z) = 2 sigma(2z) - 1, an odd function: tanh(-z) = -tanh(z)"
    check_close(t_neg, -t, "tanh(-z) vs -tanh(z)", describe(z), idea, 1e-12, 1e-15)
    sigma = np.array([1.0 / (1.0 + math.exp(-2.0 * v)) for v in z])  # sigma(2z), one by one
    check_close(t, 2 * sigma - 1, "tanh vs 2 sigma(2z) - 1", describe(z), idea, 1e-9, 1e-12)


@pytest.mark.points(1)
def test_relu_grad_is_zero_or_one(student):
    """relu' is a step: 1 for every z > 0 however small or large, 0 for every z < 0."""
    z = np.array([-5.0, 5e-324, 7.0, -1e300, 1e300, -5e-324])
    got = as_array(student.activations.relu_grad(z), "relu_grad", describe(z), z.shape)
    idea = "relu'(z) is 1 for every z > 0 (even 5e-324) and 0 for every z < 0"
    check_close(got, np.array([0, 1, 1, 0, 1, 0.0]), "relu_grad", describe(z), idea)


@pytest.mark.points(1)
def test_monotone_activations(student):
    """sigmoid, tanh, relu and softplus never decrease, from their left limit to their right."""
    z = np.linspace(-40, 40, 801)
    on = "801 increasing points in [-40, 40]"
    idea = "sigmoid, tanh, relu and softplus never decrease"
    ends = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 40.0)}
    ends["softplus"] = (0.0, 40.0)
    for name, (left, right) in ends.items():
        got = as_array(getattr(student.activations, name)(z), name, on, z.shape)
        check_true(np.all(np.diff(got) >= 0), name, on, "decreased somewhere", idea)
        limit = f"{idea}; at z = -40 and 40 they are close to {left} and {right}"
        check_close(got[[0, -1]], [left, right], name, "z = -40 and z = 40", limit, 1e-9, 1e-9)
