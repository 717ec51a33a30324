"""Every unit's output over the plane: the per-neuron maps of the playground.

For points x of the plane (a grid, one point per row) the network's forward pass gives every
layer's output h^i (m, n_i); column j of h^i, drawn over the grid, is the map of unit j of
layer i: what that unit computes, sigma(h^{i-1} w^T + b) with w = row j of W^i and b = b^i_j.

``layer_outputs`` runs the grid through the network in chunks of rows and, on request, in float32
(a picture needs three significant digits; float32's tanh and products run several times faster).
The chunks are small enough that OpenBLAS computes each product on one thread (it spreads a
product over threads from m n k = 4 * 65536 on): on a machine whose cores are busy, a 6400 x 16
by 16 x 16 product took 30 ms threaded and 0.6 ms on one thread.
"""

from __future__ import annotations

import numpy as np

from nncore.activations import ACTIVATIONS
from nncore.softmax import softmax

SINGLE_THREAD_WORK = 200_000  # m n k below OpenBLAS's threading threshold (262,144)


def single_thread_chunk(net) -> int:
    """Rows per chunk so that every layer's product stays on one BLAS thread (32..4096)."""
    widest = max(n_in * n_out for n_in, n_out in zip(net.sizes[:-1], net.sizes[1:], strict=True))
    return int(min(4096, max(32, SINGLE_THREAD_WORK // widest)))


def layer_outputs(net, x, dtype=None, chunk=None) -> list[np.ndarray]:
    """[h^1, ..., h^k] for every row of x (h^k: probabilities for sigmoid/softmax outputs).

    Args:
        net: nn.MLP; x: (m, n_0) finite inputs; dtype: None (the network's dtype) or np.float32;
        chunk: rows per pass (>= 1); None: ``single_thread_chunk(net)``.

    Returns:
        k arrays, the i-th of shape (m, n_i) and the requested dtype.
    """
    chunk = single_thread_chunk(net) if chunk is None else chunk
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk must be an int >= 1, got {chunk!r}")
    dtype = net.dtype if dtype is None else np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"dtype must be float32 or float64, got {dtype}")
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != net.sizes[0]:
        raise ValueError(f"x has shape {x.shape}; the network takes (m, {net.sizes[0]})")
    if not np.isfinite(x).all():
        raise ValueError("x contains NaN or inf")
    x = x.astype(dtype, copy=False)
    weights = [W.astype(dtype, copy=False) for W in net.weights]
    biases = [None if b is None else b.astype(dtype, copy=False) for b in net.biases]
    hidden = [ACTIVATIONS[name].fn for name in net.hidden]
    m = x.shape[0]
    outputs = [np.empty((m, n), dtype=dtype) for n in net.sizes[1:]]
    last = net.depth - 1
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for start in range(0, m, chunk):
            h = x[start : start + chunk]
            for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
                z = h @ W.T
                if b is not None:
                    z += b
                if i < last:
                    h = hidden[i](z)
                elif net.output == "sigmoid":
                    h = ACTIVATIONS["sigmoid"].fn(z)
                elif net.output == "softmax":
                    h = softmax(z, alpha=net.alpha, axis=1)
                else:
                    h = z
                outputs[i][start : start + len(h)] = h
    return outputs


def plane_grid(resolution, extent) -> np.ndarray:
    """(resolution^2, 2) points of [-extent, extent]^2; row r * resolution + c is
    (axis[c], axis[r]): x_1 varies fastest, row 0 of an image is x_2 = -extent."""
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int >= 2, got {resolution!r}")
    if not (np.isfinite(extent) and extent > 0):
        raise ValueError(f"extent must be finite and > 0, got {extent}")
    axis = np.linspace(-extent, extent, resolution)
    first, second = np.meshgrid(axis, axis)
    return np.column_stack([first.ravel(), second.ravel()])
