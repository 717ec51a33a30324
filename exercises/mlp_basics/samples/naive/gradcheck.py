"""Exercise 5, as first written: one-sided differences and an epsilon in the division.

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
    grad = np.zeros_like(x)
    f0 = f(x)
    for j in range(x.size):
        step = np.zeros(x.size)
        step[j] = eps
        grad.flat[j] = (f(x + step.reshape(x.shape)) - f0) / eps
    return grad


def relative_error(a, b):
    return np.max(np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-12))


def gradient_check(function_name, x, analytic_grad, eps=1e-6):
    return relative_error(analytic_grad, numerical_gradient(function_name, x, eps))
