"""Exercise 3, a student's version, with einsum."""

import numpy as np


def dense_forward(h_prev, W, b):
    h_prev, W, b = np.asarray(h_prev), np.asarray(W), np.asarray(b)
    if W.shape[1] != h_prev.shape[1] or b.shape != (W.shape[0],):
        raise ValueError(f"W {W.shape} does not fit h_prev {h_prev.shape} and b {b.shape}")
    z = np.einsum("mi,oi->mo", h_prev, W) + b
    return z, (h_prev, W)


def dense_backward(dz, cache):
    h_prev, W = cache
    dz = np.asarray(dz)
    return np.einsum("mo,oi->mi", dz, W), np.einsum("mo,mi->oi", dz, h_prev), dz.sum(axis=0)
