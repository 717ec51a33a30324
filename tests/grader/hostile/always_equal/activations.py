"""Hostile: returns objects that claim to equal anything."""

import numpy as np


class Liar:
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        return np.full(3, 0.5)


class LiarArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)


def sigmoid(z):
    return Liar()


def sigmoid_grad(z):
    return np.zeros(np.shape(z)).view(LiarArray)
