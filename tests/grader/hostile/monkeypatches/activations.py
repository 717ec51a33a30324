"""Hostile: monkeypatches numpy, pytest and builtins, then returns wrong answers."""

import builtins

import numpy as np

try:
    import pytest

    pytest.approx = lambda *args, **kwargs: 0
    pytest.fail = lambda *args, **kwargs: None
except Exception:
    pass
np.allclose = lambda *args, **kwargs: True
np.isfinite = lambda x: np.ones(np.shape(x), dtype=bool)
np.testing.assert_allclose = lambda *args, **kwargs: None


def sigmoid(z):
    builtins.abs = lambda x: 0
    builtins.isinstance = lambda *args: True
    return np.zeros(np.shape(z))


def sigmoid_grad(z):
    builtins.AssertionError = None
    return np.zeros(np.shape(z))
