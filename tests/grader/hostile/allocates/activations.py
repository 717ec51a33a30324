"""Hostile: tries to allocate many gigabytes."""

import numpy as np


def sigmoid(z):
    blocks = [np.ones(1 << 30) for _ in range(64)]
    return blocks[0][: np.size(z)]


def sigmoid_grad(z):
    return bytearray(16 * (1 << 30))
