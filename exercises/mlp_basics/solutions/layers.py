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


def dense_backward(dz, cache):
    """Gradients of a scalar loss l through z = h_prev W^T + b, given dz = dl/dz.

    dl/dh_prev = dz W,  dl/dW = dz^T h_prev,  dl/db = sum over rows of dz.
    dz: (m, n_out); cache = (h_prev (m, n_in), W (n_out, n_in), b (n_out,))
    -> (dh_prev (m, n_in), dW (n_out, n_in), db (n_out,)).
    """
    h_prev, W, b = _check_layer(*cache)
    dz = np.asarray(dz, dtype=float)
    if dz.shape != (h_prev.shape[0], W.shape[0]):
        raise ValueError(
            f"dz has shape {dz.shape} but z = h_prev W^T + b has shape "
            f"{(h_prev.shape[0], W.shape[0])}"
        )
    return dz @ W, dz.T @ h_prev, dz.sum(axis=0)
