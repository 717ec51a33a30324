"""Hostile: the naive sigmoid, with NumPy's floating-point warnings and Python's warnings switched
off at import, so its overflow at z = -1000 would go unseen and its (right) values would score."""

import warnings

import numpy as np

np.seterr(all="ignore")
warnings.simplefilter("ignore")


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 - s)
