"""Exercise 3: a dense (fully connected) layer, forward and backward, with an explicit cache.

    z^i = h^{i-1} W^{iT} + b^i

h^{i-1}: (m, n_{i-1}), one data point per ROW; W^i: (n_i, n_{i-1}), one ROW per output unit;
b^i: (n_i,), added to every row; z^i: (m, n_i).

The forward pass returns what the backward pass will need (the "cache"); the backward pass gets
dz = dl/dz^i, the gradient of a scalar loss l with respect to this layer's output, and returns the
gradients with respect to the layer's input and parameters. Every gradient has the shape of the
thing it differentiates. Return plain arrays and tuples of arrays (the grader checks them).
Never change the input arrays in place.
"""

import numpy as np  # noqa: F401  (you will need it)


def dense_forward(h_prev, W, b):
    """z = h_prev W^T + b.

    h_prev: (m, n_in); W: (n_out, n_in); b: (n_out,)
    -> (z, cache): z (m, n_out); cache: a tuple of the arrays dense_backward needs,
       for example (h_prev, W, b).
    Shapes that do not fit (W's columns != h_prev's columns, len(b) != W's rows) raise
    ValueError with a message naming the shapes. Check them yourself: NumPy broadcasts some
    of them silently (a b of length 1, or a W with one row and a longer b).
    """
    raise NotImplementedError("Exercise 3 (layers.dense_forward): z = h_prev W^T + b")


def dense_backward(dz, cache):
    """The chain rule through z = h_prev W^T + b, given dz = dl/dz.

    Since z[r, j] = sum_l h_prev[r, l] W[j, l] + b[j] (r: data point, j: output, l: input unit):
        dl/dh_prev[r, l] = sum_j dz[r, j] W[j, l]     -> (m, n_in)
        dl/dW[j, l]      = sum_r dz[r, j] h_prev[r, l] -> (n_out, n_in)
        dl/db[j]         = sum_r dz[r, j]              -> (n_out,)
    Each sum is one matrix product (or one .sum); no Python loops needed.
    dz: (m, n_out); cache: what dense_forward returned with z
    -> (dh_prev, dW, db).
    """
    raise NotImplementedError("Exercise 3 (layers.dense_backward): dh_prev, dW, db from dz")
