"""Hostile: returns results far too large to send back (or to allocate)."""

import numpy as np


def sigmoid(z):
    return np.ones(200_000_000)


def sigmoid_grad(z):
    return np.ones(30_000_000)
