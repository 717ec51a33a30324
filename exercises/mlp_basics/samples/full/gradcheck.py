"""Exercise 5, a student's version (the given SCALAR_FUNCTIONS kept as they were).

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
    if function_name not in SCALAR_FUNCTIONS:
        raise ValueError(f"no function {function_name!r}; choose from {list(SCALAR_FUNCTIONS)}")
    f = SCALAR_FUNCTIONS[function_name]
    x = np.array(x, dtype=np.float64)
    flat = x.reshape(-1)  # a view: writing flat[j] changes x
    grad = np.empty_like(flat)
    for j in range(flat.size):
        keep = flat[j]
        flat[j] = keep + eps
        up = f(x)
        flat[j] = keep - eps
        down = f(x)
        flat[j] = keep
        grad[j] = (up - down) / (2 * eps)
    return grad.reshape(x.shape)


def relative_error(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    biggest = np.max(np.abs(np.concatenate([a.ravel(), b.ravel()])))
    if biggest == 0:
        return 0.0
    a, b = a / biggest, b / biggest  # so that squares neither overflow nor underflow
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def gradient_check(function_name, x, analytic_grad, eps=1e-6):
    return relative_error(analytic_grad, numerical_gradient(function_name, x, eps))
