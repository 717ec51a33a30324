"""Wrong dtypes, shapes, NaN and text instead of numbers."""

import numpy as np


def sigmoid(z):
    z = np.asarray(z)
    if z.size == 3:
        return np.full(z.shape, 0.5, dtype=np.float32).reshape(1, -1)
    return np.full(z.shape, np.nan)


def sigmoid_grad(z):
    return "0.25"
