"""Exercise 5 (started): gradient checking with central differences.

    df/dx_j ~ (f(x + eps e_j) - f(x - eps e_j)) / (2 eps)      (error O(eps^2))

The grader calls your code in a separate process where only data can cross, so the scalar
function is named, not passed: f = SCALAR_FUNCTIONS[function_name] (given; do not edit).
"""

import numpy as np


def _log_sum_exp(x):
    shift = np.max(x)
    return float(shift + np.log(np.sum(np.exp(x - shift))))


def _weighted_sum_of_squares(x):
    weights = np.arange(1, x.size + 1).reshape(x.shape)  # weight j+1 for the j-th entry (C order)
    return float(np.sum(weights * x * x))


# Given: the scalar functions f(x) -> float that numerical_gradient can differentiate.
SCALAR_FUNCTIONS = {
    "sum_of_squares": lambda x: float(np.sum(x * x)),
    "sum_of_cubes": lambda x: float(np.sum(x**3)),
    "sum_of_sines": lambda x: float(np.sum(np.sin(x))),
    "log_sum_exp": _log_sum_exp,
    "weighted_sum_of_squares": _weighted_sum_of_squares,
}


def numerical_gradient(function_name, x, eps=1e-6):
    f = SCALAR_FUNCTIONS[function_name]
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + eps
        up = f(x)
        x[index] = old - eps
        down = f(x)
        x[index] = old
        grad[index] = (up - down) / (2 * eps)
    return grad


def relative_error(a, b):
    """The largest relative difference between two arrays of the same shape:

        max_j |a_j - b_j| / max(|a_j|, |b_j|),   where an entry with a_j = b_j = 0 counts as 0.

    Relative, so it means the same for gradients of size 1e-8 and 1e8.
    a, b: the same shape -> float in [0, 2]. (Scalars are arrays of shape ().)
    a and b of different shapes raise ValueError naming both shapes.
    """
    raise NotImplementedError("Exercise 5 (gradcheck.relative_error): max |a - b| / max(|a|, |b|)")


def gradient_check(function_name, x, analytic_grad, eps=1e-6):
    """Check a gradient you derived by hand: relative_error(analytic_grad, numerical_gradient(..)).

    A correct analytic gradient gives about 1e-7 or less; a wrong one about 1e-1 or more.
    function_name: a key of SCALAR_FUNCTIONS; x, analytic_grad: the same shape; eps > 0 -> float.
    """
    raise NotImplementedError("Exercise 5 (gradcheck.gradient_check): compare the two gradients")
