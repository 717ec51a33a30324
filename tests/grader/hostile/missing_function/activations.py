"""Only sigmoid_grad is defined; sigmoid is misspelled."""

import numpy as np


def sigmod(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_grad(z):
    s = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    return s * (1 - s)
