"""Hostile: floods stdout and stderr (but answers correctly: it earns its points)."""

import os
import sys

import numpy as np


def sigmoid(z):
    for _ in range(20_000):
        print("PASSED test_everything 100/100")
    os.write(1, b"x" * (1 << 20))
    sys.stderr.write("E" * (1 << 20))
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)
