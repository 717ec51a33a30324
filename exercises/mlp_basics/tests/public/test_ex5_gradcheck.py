"""Exercise 5 (public tests): gradient checking with central differences.

Each function in SCALAR_FUNCTIONS has a gradient known in closed form (2x, cos x, ...), which is
what your numerical gradient must approach. One test per function (the sum of squares, the
closed forms of relative_error, gradient_check's) also checks that the call left x, a and b as they
were: a gradient check must not move the point it checks.
"""

import math

import numpy as np
import pytest
from _checks import (
    as_array,
    as_number,
    call_keeping_inputs,
    check_close,
    check_true,
    describe,
)

# A RuntimeWarning in your code (overflow in exp, 0/0) fails the test: stable forms warn never.
pytestmark = [pytest.mark.ex5_gradcheck, pytest.mark.filterwarnings("error::RuntimeWarning")]

CENTRAL = "g_j = (f(x + eps e_j) - f(x - eps e_j)) / (2 eps): perturb one entry at a time"
RELATIVE = "relative error ||a - b|| / (||a|| + ||b||) means the same at every scale"


@pytest.mark.points(1)
def test_numerical_gradient_of_sum_of_squares(student):
    """Central differences approach the gradient 2x of sum x^2."""
    x = np.array([-1.5, 0.0, 0.5, 2.0])
    on = f"f = sum_of_squares, x = {describe(x)}"
    got = call_keeping_inputs(
        student.gradcheck.numerical_gradient,
        "numerical_gradient",
        ["function_name", "x", "eps"],
        "sum_of_squares",
        x,
        1e-6,
    )
    got = as_array(got, "numerical_gradient", on, (4,), "the gradient has the shape of x")
    check_close(got, 2 * x, "numerical_gradient", on, "d/dx_j sum x^2 = 2 x_j; " + CENTRAL, 0, 1e-6)


@pytest.mark.points(2)
def test_numerical_gradient_of_a_matrix_keeps_every_entry_in_place(student):
    """The numerical gradient of a matrix is a matrix of the same shape, entry by entry."""
    x = np.array([[1.0, -2.0, 0.5], [0.25, 3.0, -1.0]])
    on = f"f = weighted_sum_of_squares (entry j weighted j+1 in C order), x = {describe(x)}"
    got = student.gradcheck.numerical_gradient("weighted_sum_of_squares", x, 1e-6)
    idea = "the gradient of a (n_i, n_{i-1}) matrix is a matrix of the same shape: " + CENTRAL
    got = as_array(got, "numerical_gradient", on, (2, 3), idea)
    weights = np.arange(1, 7).reshape(2, 3)
    check_close(got, 2 * weights * x, "numerical_gradient", on, idea, 0, 1e-5)


@pytest.mark.points(1)
def test_numerical_gradient_of_sum_of_sines(student):
    """Central differences approach cos x, the gradient of sum sin x."""
    x = np.linspace(-3, 3, 7)
    on = f"f = sum_of_sines, x = {describe(x)}"
    got = as_array(
        student.gradcheck.numerical_gradient("sum_of_sines", x, 1e-5),
        "numerical_gradient",
        on,
        (7,),
    )
    check_close(got, np.cos(x), "numerical_gradient", on, "d/dx sin x = cos x; " + CENTRAL, 0, 1e-8)


@pytest.mark.points(1)
def test_numerical_gradient_uses_central_differences(student):
    """Central differences err by O(eps^2), one-sided ones by O(eps)."""
    x = np.array([1.0, 2.0])
    eps = 1e-3
    on = f"f = sum_of_cubes, x = {describe(x)}, eps = {eps}"
    got = as_array(
        student.gradcheck.numerical_gradient("sum_of_cubes", x, eps), "numerical_gradient", on, (2,)
    )
    idea = (
        "central differences err by O(eps^2) (here eps^2 = 1e-6); the one-sided "
        "(f(x + eps) - f(x)) / eps errs by O(eps) (here about 3 x eps = 6e-3)"
    )
    check_close(got, 3 * x**2, "numerical_gradient", on, idea, 0, 1e-5)


@pytest.mark.points(1)
def test_numerical_gradient_works_on_a_float64_copy(student):
    """Perturb a float64 copy of x: integer or float32 entries cannot hold x_j + eps.

    Only the dtype is checked here, to 1e-4 relative: an integer copy gives 0 (x_j + eps rounds
    back to x_j), a float32 one errs by a few percent, while a one-sided difference (another
    mistake, charged by test_numerical_gradient_uses_central_differences) errs by under 1e-6.
    """
    idea = (
        "work on a float64 copy of x: x_j + eps rounds back to x_j in an integer array and "
        "loses most digits of eps in float32"
    )
    x = np.array([1, 2, 3])
    on = f"f = sum_of_squares, integer x = {describe(x)}, eps = 1e-6"
    got = student.gradcheck.numerical_gradient("sum_of_squares", x, 1e-6)
    got = as_array(got, "numerical_gradient", on, (3,), idea)
    check_close(got, 2.0 * x, "numerical_gradient", on, idea, 1e-4, 0)
    x = np.array([1.5, -2.25, 3.0], dtype=np.float32)
    on = f"f = sum_of_cubes, float32 x = {describe(x)}, eps = 1e-6"
    got = student.gradcheck.numerical_gradient("sum_of_cubes", x, 1e-6)
    got = as_array(got, "numerical_gradient", on, (3,), idea)
    check_close(got, 3.0 * x.astype(np.float64) ** 2, "numerical_gradient", on, idea, 1e-4, 0)


@pytest.mark.points(1)
def test_relative_error_closed_forms(student):
    """Relative error ||a - b|| / (||a|| + ||b||) means the same at every scale."""
    close = 0.2 / (math.sqrt(5.0) + math.sqrt(5.84))  # ||(0, 0.2)|| / (||(1, 2)|| + ||(1, 2.2)||)
    cases = [
        (np.array([1.0, 2.0]), np.array([1.0, 2.2]), close),
        (np.array([1e-8, 2e-8]), np.array([1e-8, 2.2e-8]), close),
        (np.array([3e8, -1e8]), np.array([3e8, -1e8]), 0.0),
        (np.array([1.0, -1.0]), np.array([1.0, 1.0]), 2.0 / (2 * math.sqrt(2.0))),
        (np.array([[2.0, -3.0]]), np.array([[-2.0, 3.0]]), 1.0),
    ]
    for a, b, expected in cases:
        on = f"a = {describe(a)}, b = {describe(b)}"
        got = as_number(
            call_keeping_inputs(
                student.gradcheck.relative_error, "relative_error", ["a", "b"], a, b
            ),
            "relative_error",
            on,
        )
        check_close(got, expected, "relative_error", on, RELATIVE, 1e-9)


@pytest.mark.points(1)
def test_relative_error_where_both_are_zero(student):
    """The convention: relative error 0 when a = b = 0, not 0/0."""
    a, b = np.array([[0.0, 1.0], [0.0, 4.0]]), np.array([[0.0, 1.0], [0.0, 5.0]])
    on = f"a = {describe(a)}, b = {describe(b)}"
    got = as_number(student.gradcheck.relative_error(a, b), "relative_error", on)
    idea = "sum over ALL entries; when a = b = 0 everywhere the error is 0, not 0/0 = nan"
    check_close(got, 1 / (math.sqrt(17.0) + math.sqrt(26.0)), "relative_error", on, idea, 1e-9)
    got = as_number(
        student.gradcheck.relative_error(np.zeros(3), np.zeros(3)),
        "relative_error",
        "a = b = [0, 0, 0]",
    )
    check_close(got, 0.0, "relative_error", "a = b = [0, 0, 0]", idea)


@pytest.mark.points(1)
def test_gradient_check_tells_right_from_wrong(student):
    """A right gradient has relative error ~1e-7 or less, a wrong one ~1e-1."""
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    on = f"f = sum_of_cubes, x = {describe(x)}"
    idea = "a correct gradient has relative error about 1e-7 or less, a wrong one about 1e-1"
    right = call_keeping_inputs(
        student.gradcheck.gradient_check,
        "gradient_check",
        ["function_name", "x", "analytic_grad", "eps"],
        "sum_of_cubes",
        x,
        3 * x**2,
        1e-6,
    )
    right = as_number(right, "gradient_check", on + " with the right gradient 3 x^2")
    check_true(
        right < 1e-6,
        "gradient_check",
        on + " with the right gradient 3 x^2",
        f"gave {right:.2e}, expected < 1e-6",
        idea,
    )
    wrong = student.gradcheck.gradient_check("sum_of_cubes", x, 2 * x**2, 1e-6)
    wrong = as_number(wrong, "gradient_check", on + " with the wrong gradient 2 x^2")
    check_true(
        math.isclose(wrong, 1 / 5, rel_tol=1e-5),  # ||x^2|| / (||2 x^2|| + ||3 x^2||)
        "gradient_check",
        on + " with the wrong gradient 2 x^2",
        f"gave {wrong:.2e}",
        idea,
    )
