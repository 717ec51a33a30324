"""Exercise 5 (reference): gradient checking with central differences.

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
    """Central differences: g_j = (f(x + eps e_j) - f(x - eps e_j)) / (2 eps) for every entry j.

    function_name: a key of SCALAR_FUNCTIONS; x: any shape, e.g. (n,) or (n_i, n_{i-1});
    eps > 0 -> g with x's shape (float64).
    """
    if function_name not in SCALAR_FUNCTIONS:
        raise ValueError(f"unknown function {function_name!r}; valid: {sorted(SCALAR_FUNCTIONS)}")
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps!r}")
    f = SCALAR_FUNCTIONS[function_name]
    x = np.array(x, dtype=np.float64)  # a private copy: we perturb it in place
    grad = np.zeros_like(x)
    for j in np.ndindex(x.shape):
        original = x[j]
        x[j] = original + eps
        f_plus = f(x)
        x[j] = original - eps
        f_minus = f(x)
        x[j] = original
        grad[j] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(a, b):
    """||a - b||_2 / (||a||_2 + ||b||_2) over all entries, and 0 when a = b = 0 (as nncore).

    Every entry is divided by the largest |entry| first, so squaring neither overflows (1e300)
    nor underflows (1e-300); the ratio does not change.
    a, b: the same shape (e.g. an analytic and a numerical gradient) -> float in [0, 1].
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; they must match")
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    if scale == 0:
        return 0.0
    a, b = a / scale, b / scale
    return float(np.sqrt(np.sum((a - b) ** 2)) / (np.sqrt(np.sum(a * a)) + np.sqrt(np.sum(b * b))))


def gradient_check(function_name, x, analytic_grad, eps=1e-6):
    """The relative error between an analytic gradient and the central-difference one.

    function_name: a key of SCALAR_FUNCTIONS; x and analytic_grad: the same shape -> float.
    A correct gradient gives about 1e-7 or less; a wrong one about 1e-1 or more.
    """
    return relative_error(analytic_grad, numerical_gradient(function_name, x, eps))
