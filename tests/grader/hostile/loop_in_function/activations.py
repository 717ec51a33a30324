"""Hostile: sigmoid never returns; sigmoid_grad is right (and must still earn its points)."""

import numpy as np


def sigmoid(z):
    while True:
        pass


def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    s = np.where(
        z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z)))
    )
    return s * (1 - s)
