"""Exercise 5 (hidden tests): central differences and relative errors, more cases."""

import numpy as np
import pytest
from _checks import as_array, as_number, check_close, check_raises_value_error, check_true, describe

pytestmark = [pytest.mark.ex5_gradcheck, pytest.mark.filterwarnings("error::RuntimeWarning")]

CENTRAL = "g_j = (f(x + eps e_j) - f(x - eps e_j)) / (2 eps): perturb one entry at a time"
RELATIVE = "||a - b||_2 / (||a||_2 + ||b||_2) over all entries, 0 when a = b = 0"


@pytest.mark.points(1)
def test_gradient_of_log_sum_exp_is_softmax(student):
    """Central differences recover the gradient of ln sum e^x, which is the softmax of x."""
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    on = f"f = log_sum_exp, x = {describe(x)}"
    got = student.gradcheck.numerical_gradient("log_sum_exp", x, 1e-6)
    got = as_array(got, "numerical_gradient", on, (2, 2), CENTRAL)
    softmax = np.exp(x) / np.exp(x).sum()
    idea = "the gradient of ln sum_j e^{x_j} is the softmax of x; " + CENTRAL
    check_close(got, softmax, "numerical_gradient", on, idea, 0, 1e-8, reveal=False)


@pytest.mark.points(1)
def test_central_difference_error_is_exactly_eps_squared(student):
    """For x^3 the central difference is exactly 3 x^2 + eps^2: two points 2 eps apart."""
    x = np.array([-2.0, 0.5, 3.0])
    eps = 1e-2
    on = f"f = sum_of_cubes, x = {describe(x)}, eps = {eps}"
    got = as_array(
        student.gradcheck.numerical_gradient("sum_of_cubes", x, eps), "numerical_gradient", on, (3,)
    )
    idea = "for x^3 the central difference is 3 x^2 + eps^2 exactly: use the given eps, 2 eps apart"
    check_close(got, 3 * x**2 + eps**2, "numerical_gradient", on, idea, 0, 1e-9, reveal=False)


@pytest.mark.points(1)
def test_three_dimensional_x(student, reference):
    """numerical_gradient perturbs every entry of an x of any shape, one at a time."""
    x = np.random.default_rng(500).normal(size=(2, 3, 2))
    on = "f = weighted_sum_of_squares, x of shape (2, 3, 2)"
    got = student.gradcheck.numerical_gradient("weighted_sum_of_squares", x, 1e-6)
    got = as_array(got, "numerical_gradient", on, (2, 3, 2), "g has the shape of x")
    expected = reference.gradcheck.numerical_gradient("weighted_sum_of_squares", x, 1e-6)
    check_close(got, expected, "numerical_gradient", on, CENTRAL, 1e-6, 1e-8, reveal=False)


@pytest.mark.points(1)
def test_default_eps(student):
    """The default eps = 1e-6 makes the O(eps^2) error negligible."""
    x = np.array([0.2, -0.7, 1.3])
    on = f"f = sum_of_sines, x = {describe(x)}, default eps"
    got = as_array(
        student.gradcheck.numerical_gradient("sum_of_sines", x), "numerical_gradient", on, (3,)
    )
    check_close(got, np.cos(x), "numerical_gradient", on, CENTRAL, 0, 1e-8, reveal=False)


@pytest.mark.points(1)
def test_unknown_function_name(student):
    """An unknown function name raises ValueError listing the valid names."""
    as_array(
        student.gradcheck.numerical_gradient("sum_of_squares", np.ones(2)),
        "numerical_gradient",
        "x = ones(2)",
    )
    check_raises_value_error(
        lambda: student.gradcheck.numerical_gradient("no_such_function", np.ones(2)),
        "numerical_gradient",
        'function_name = "no_such_function"',
        "an unknown name deserves a ValueError that lists the valid names",
    )


@pytest.mark.points(1)
def test_relative_error_random(student, reference):
    """||a - b|| / (||a|| + ||b||) over all entries; symmetric in a and b."""
    rng = np.random.default_rng(501)
    a, b = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    on = "two random (4, 3) arrays"
    got = as_number(student.gradcheck.relative_error(a, b), "relative_error", on)
    expected = reference.gradcheck.relative_error(a, b)
    check_close(got, expected, "relative_error", on, RELATIVE, 1e-9, reveal=False)
    swapped = as_number(student.gradcheck.relative_error(b, a), "relative_error", on)
    check_close(swapped, got, "relative_error(b, a)", on, "relative error is symmetric")


@pytest.mark.points(1)
def test_relative_error_at_extreme_scales(student, reference):
    """Relative error means the same at 1e300 and 1e-300: scale before squaring."""
    for a, b in [
        (np.array([1e300, -1e300]), np.array([2e300, -1e300])),
        (np.array([1e-300, 0.0]), np.array([3e-300, 0.0])),
        (np.array([5e-324]), np.array([0.0])),
    ]:
        on = f"a = {describe(a)}, b = {describe(b)}"
        got = as_number(student.gradcheck.relative_error(a, b), "relative_error", on)
        idea = RELATIVE + "; divide by the largest |entry| before squaring, add no epsilon"
        check_close(
            got,
            reference.gradcheck.relative_error(a, b),
            "relative_error",
            on,
            idea,
            1e-9,
            reveal=False,
        )


@pytest.mark.points(1)
def test_relative_error_rejects_different_shapes(student):
    """a and b of different shapes raise ValueError instead of broadcasting."""
    as_number(student.gradcheck.relative_error(np.ones(3), np.ones(3)), "relative_error", "ones")
    check_raises_value_error(
        lambda: student.gradcheck.relative_error(np.ones(3), np.ones((3, 1))),
        "relative_error",
        "a of shape (3,) and b of shape (3, 1)",
        "compare arrays of the same shape; broadcasting would compare the wrong entries",
    )


@pytest.mark.points(1)
def test_gradient_check_on_log_sum_exp(student):
    """gradient_check tells a right gradient (error ~1e-8) from a wrong one (error ~1)."""
    x = np.array([0.1, 2.0, -1.5, 0.7])
    softmax = np.exp(x) / np.exp(x).sum()
    on = f"f = log_sum_exp, x = {describe(x)}"
    right = as_number(
        student.gradcheck.gradient_check("log_sum_exp", x, softmax), "gradient_check", on
    )
    idea = "a correct gradient gives a relative error near 1e-8; a wrong one near 1"
    check_true(
        right < 1e-6,
        "gradient_check",
        on + " with the right gradient",
        "called a correct gradient wrong",
        idea,
    )
    wrong = as_number(
        student.gradcheck.gradient_check("log_sum_exp", x, np.exp(x)), "gradient_check", on
    )
    check_true(
        wrong > 0.5,
        "gradient_check",
        on + " with the gradient e^x (unnormalised)",
        "did not notice a wrong gradient",
        idea,
    )
