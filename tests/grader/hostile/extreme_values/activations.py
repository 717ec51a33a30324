"""Hostile: values at the edges of the float range (+-1e308, inf, nan, subnormals), meant to make
the grader's own comparisons overflow or warn, so that a failure turns into something else."""

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.where(np.arange(z.size).reshape(z.shape) % 2 == 0, 1e308, -1e308)
    return out


def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    out = np.full(z.shape, -1e308)
    out.flat[::3] = np.inf
    out.flat[1::3] = 5e-324
    return out
