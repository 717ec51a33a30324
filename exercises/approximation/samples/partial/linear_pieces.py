"""Exercise 2 half done: only the first layer's kinks, and kinks that cancel still count."""

import numpy as np


def breakpoints(weights, biases, a, b):
    W = np.asarray(weights[0], dtype=float)[:, 0]
    c = np.asarray(biases[0], dtype=float)
    roots = -c[W != 0] / W[W != 0]
    return np.unique(roots[(roots > a) & (roots < b)])


def count_linear_pieces(weights, biases, a, b):
    return len(breakpoints(weights, biases, a, b)) + 1
