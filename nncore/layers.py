"""One layer of the MLP as forward/backward pairs with an explicit cache (CS231n style).

    z^i = h^{i-1} W^{iT} + b^i        (dense: W^i is (n_i, n_{i-1}), one row per output unit)
    h^i = sigma(z^i)                  (activation, elementwise)

Backward passes take the upstream gradient dl/d(out) and the cache and return the gradients of
the inputs and parameters. Gradients of the batch loss are sums over rows of per-row terms, so
dW = dz^T h^{i-1} and db = sum over rows of dz.
"""

from __future__ import annotations

import numpy as np

from nncore._checks import as_float_array
from nncore.activations import Activation, get_activation


def check_dense_shapes(h_prev: np.ndarray, W: np.ndarray, b: np.ndarray | None) -> None:
    """Raise ValueError naming the shapes when h_prev, W^i and b^i do not fit together."""
    if W.ndim != 2:
        raise ValueError(f"W must be a matrix (n_i, n_{{i-1}}), got shape {W.shape}")
    if h_prev.ndim != 2:
        raise ValueError(f"h_prev must be a matrix (m, n_{{i-1}}), got shape {h_prev.shape}")
    if h_prev.shape[1] != W.shape[1]:
        raise ValueError(
            f"W has shape {W.shape} but h_prev has {h_prev.shape[1]} columns "
            f"(shape {h_prev.shape}); W^i must be (n_i, n_{{i-1}}) = "
            f"({W.shape[0]}, {h_prev.shape[1]})"
        )
    if b is not None and b.shape != (W.shape[0],):
        raise ValueError(f"b has shape {b.shape} but W has {W.shape[0]} rows; b^i must be (n_i,)")


def dense_forward(h_prev, W, b=None, check=True):
    """z = h_prev W^T + b.

    h_prev: (m, n_{i-1}); W: (n_i, n_{i-1}); b: (n_i,) or None (no bias).
    Returns z: (m, n_i) and cache = (h_prev, W, has_bias) for dense_backward.
    """
    if check:
        # as float arrays (integer h and W would make z an integer array, which += b cannot take)
        h_prev, W = as_float_array(h_prev, "h_prev"), as_float_array(W, "W")
        b = None if b is None else as_float_array(b, "b")
        check_dense_shapes(h_prev, W, b)
    with np.errstate(under="ignore"):  # a product below the float range is 0, correctly
        z = h_prev @ W.T
    if b is not None:
        z += b
    return z, (h_prev, W, b is not None)


def dense_backward(dz, cache):
    """Gradients of z = h_prev W^T + b.

    dz: (m, n_i) = dl/dz; cache from dense_forward.
    Returns dh_prev (m, n_{i-1}) = dz W, dW (n_i, n_{i-1}) = dz^T h_prev, db (n_i,) = sum_rows dz
    (None when the layer has no bias).
    """
    h_prev, W, has_bias = cache
    with np.errstate(under="ignore"):  # as in dense_forward
        dh_prev = dz @ W
        dW = dz.T @ h_prev
    db = dz.sum(axis=0) if has_bias else None
    return dh_prev, dW, db


def activation_forward(z, activation):
    """h = sigma(z) elementwise. z: (m, n_i). Returns h (m, n_i) and cache = (z, Activation)."""
    act: Activation = get_activation(activation)
    z = as_float_array(z, "z")
    with np.errstate(under="ignore"):  # e^{-745} = 5e-324 and the like are correct
        return act.fn(z), (z, act)


def activation_backward(dh, cache):
    """dl/dz = dl/dh * sigma'(z) (elementwise). dh: (m, n_i) -> dz: (m, n_i)."""
    z, act = cache
    z, dh = as_float_array(z, "z"), as_float_array(dh, "dh")
    if dh.shape != z.shape:
        raise ValueError(f"dh has shape {dh.shape} but the cached z has shape {z.shape}")
    with np.errstate(under="ignore"):  # a vanishing dl/dz is 0 or subnormal, correctly
        return dh * act.derivative(z)


def layer_jacobians(W, z, activation) -> np.ndarray:
    """A^i = d f^i / d h^{i-1} = diag(sigma'(z^i)) W^i for each data point.

    W: (n_i, n_{i-1}); z: (m, n_i) pre-activations of this layer -> A: (m, n_i, n_{i-1}).
    """
    act = get_activation(activation)
    W, z = as_float_array(W, "W"), as_float_array(z, "z")
    if W.ndim != 2 or z.ndim != 2 or z.shape[1] != W.shape[0]:
        raise ValueError(
            f"W has shape {W.shape} and z has shape {z.shape}; layer_jacobians takes W^i "
            "(n_i, n_{i-1}) and z^i (m, n_i), with n_i the rows of W"
        )
    with np.errstate(under="ignore"):  # as in activation_backward
        return act.derivative(z)[:, :, None] * W[None, :, :]
