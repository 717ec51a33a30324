"""Exercise 3 (reference): a dense layer's forward and backward pass, with an explicit cache.

z^i = h^{i-1} W^{iT} + b^i
h^{i-1}: (m, n_{i-1}), one data point per row;  W^i: (n_i, n_{i-1}), one row per output unit;
b^i: (n_i,);  z^i: (m, n_i).
"""

import numpy as np


def _check_layer(h_prev, W, b):
    h_prev, W, b = (np.asarray(a, dtype=float) for a in (h_prev, W, b))
    if h_prev.ndim != 2 or W.ndim != 2 or b.ndim != 1:
        raise ValueError(
            f"need h_prev (m, n_{{i-1}}), W (n_i, n_{{i-1}}), b (n_i,); got shapes "
            f"{h_prev.shape}, {W.shape}, {b.shape}"
        )
    if W.shape[1] != h_prev.shape[1] or b.shape[0] != W.shape[0]:
        raise ValueError(
            f"W has shape {W.shape}, h_prev {h_prev.shape}, b {b.shape}: W^i must be "
            "(n_i, n_{i-1}) with n_{i-1} = h_prev's columns and n_i = b's length"
        )
    return h_prev, W, b


def dense_forward(h_prev, W, b):
    """z = h_prev W^T + b.

    h_prev: (m, n_in); W: (n_out, n_in); b: (n_out,)
    -> (z, cache) with z: (m, n_out) and cache = (h_prev, W, b), what the backward pass needs.
    """
    h_prev, W, b = _check_layer(h_prev, W, b)
    z = h_prev @ W.T + b
    return z, (h_prev, W, b)


def _from_cache(cache, dz):
    """h_prev and W from a cache, found by their shapes.

    The stub lets a student's cache be any tuple of the arrays the backward pass needs:
    (h_prev, W, b), (h_prev, W), (W, h_prev), ... The grader runs a student's backprop.py with
    this file in place of theirs (one bug, one charge), and that backprop.py may build its own
    cache in its own convention, so this reads any of them. h_prev is (m, n_in) and W is
    (n_out, n_in) for dz of shape (m, n_out). When shapes alone cannot tell them apart (m = n_out),
    h_prev is taken to come before W, as in the stub's example.
    """
    if isinstance(cache, dict):
        cache = list(cache.values())
    if not isinstance(cache, (tuple, list)):
        raise TypeError(f"cache must be a tuple of arrays, got {type(cache).__name__}")
    arrays = [np.asarray(a, dtype=float) for a in cache]
    if dz.ndim != 2:
        raise ValueError(f"dz must be (m, n_out), got shape {dz.shape}")
    m, n_out = dz.shape
    for i, h_prev in enumerate(arrays):
        for j, W in enumerate(arrays):
            if (
                i != j
                and h_prev.ndim == W.ndim == 2
                and h_prev.shape[0] == m
                and W.shape[0] == n_out
                and h_prev.shape[1] == W.shape[1]
            ):
                return h_prev, W
    raise ValueError(
        f"dz has shape {dz.shape}, but the cache holds no h_prev (m, n_in) and W (n_out, n_in) "
        f"that fit it (the cache's shapes: {[a.shape for a in arrays]})"
    )


def dense_backward(dz, cache):
    """Gradients of a scalar loss l through z = h_prev W^T + b, given dz = dl/dz.

    dl/dh_prev = dz W,  dl/dW = dz^T h_prev,  dl/db = sum over rows of dz.
    dz: (m, n_out); cache: what dense_forward returned, (h_prev (m, n_in), W (n_out, n_in), b),
    or any other tuple holding h_prev and W (see _from_cache)
    -> (dh_prev (m, n_in), dW (n_out, n_in), db (n_out,)).
    """
    dz = np.asarray(dz, dtype=float)
    h_prev, W = _from_cache(cache, dz)
    return dz @ W, dz.T @ h_prev, dz.sum(axis=0)
