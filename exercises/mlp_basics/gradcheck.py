"""Exercise 5: gradient checking with central differences.

    df/dx_j ~ (f(x + eps e_j) - f(x - eps e_j)) / (2 eps)      (error O(eps^2))

The grader calls your code in a separate process where only data can cross, so the scalar
function is named, not passed: f = SCALAR_FUNCTIONS[function_name] (given; do not edit).
This file stands alone: it imports nothing from your other files. Never change the caller's
x in place (perturb a copy).
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
    """Central differences, one entry at a time:

        g_j = (f(x + eps e_j) - f(x - eps e_j)) / (2 eps),   e_j = 1 at entry j, 0 elsewhere,

    with f = SCALAR_FUNCTIONS[function_name]. The error is O(eps^2), much smaller than the O(eps)
    of the one-sided (f(x + eps e_j) - f(x)) / eps. Work on a float64 copy of x and restore each
    entry after perturbing it: x may hold integers or float32, where x_j + eps rounds away
    (1 + 1e-6 is 1 as an integer; float32 keeps only about 7 digits).

    function_name: a key of SCALAR_FUNCTIONS; x: any shape, e.g. (n,) or (n_i, n_{i-1});
    eps: a number > 0 -> g: float64 array with the shape of x.
    An unknown function_name raises ValueError listing the valid names.
    """
    raise NotImplementedError("Exercise 5 (gradcheck.numerical_gradient): central differences")


def relative_error(a, b):
    """How far apart two arrays of the same shape are, relative to their size (as in nncore):

        ||a - b||_2 / (||a||_2 + ||b||_2),   over all entries; 0 when a = b = 0.

    Relative, so it means the same for gradients of size 1e-8 and 1e8. Squares of entries near
    1e300 overflow and of entries near 1e-300 underflow: divide every entry by the largest
    |entry| first (the ratio stays the same).
    a, b: the same shape -> float in [0, 1]. (Scalars are arrays of shape ().)
    a and b of different shapes raise ValueError naming both shapes.
    """
    raise NotImplementedError("Exercise 5 (gradcheck.relative_error): ||a - b|| / (||a|| + ||b||)")


def gradient_check(function_name, x, analytic_grad, eps=1e-6):
    """Check a gradient you derived by hand: relative_error(analytic_grad, numerical_gradient(..)).

    A correct analytic gradient gives about 1e-7 or less; a wrong one about 1e-1 or more.
    function_name: a key of SCALAR_FUNCTIONS; x, analytic_grad: the same shape; eps > 0 -> float.
    """
    raise NotImplementedError("Exercise 5 (gradcheck.gradient_check): compare the two gradients")
