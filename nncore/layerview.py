"""How a layer transforms the plane: points seen in the coordinates of a hidden layer.

Every layer is a transformation: h^i = sigma(h^{i-1} W^{iT} + b^i) moves each point of the plane
to a point of R^{n_i}. For a layer of 2 units those are coordinates in a plane again; for a wider
one, ``principal_directions`` finds the two directions u_1, u_2 in which the layer's outputs vary
most (principal component analysis: the top right singular vectors of the centred outputs), and
a point h is drawn at its coordinates c = (h - mean) U, U = [u_1 u_2] (n_i, 2).

The output layer is affine in h^{k-1}: z^k = h^{k-1} W^{kT} + b^k. Through the plane of the view,
h = mean + c U^T, classes a and b tie where z_a = z_b, a straight line in c (``tie_lines``):

    c . (U^T (w_a - w_b)) + (mean . (w_a - w_b) + b_a - b_b) = 0.
"""

from __future__ import annotations

import numpy as np

from nncore.activations import ACTIVATIONS
from nncore.softmax import softmax


def principal_directions(h) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean (n,), U (n, 2), share (2,)) of the rows of h (m, n).

    For n = 2 the view is the layer's own coordinates: mean = 0, U = I, share = the variance
    share of each unit. For n = 1 the second direction is 0 (every point lies on a line).
    For n > 2: the two top principal directions; share = the part of the total variance each
    carries (eigenvalues over their sum).
    """
    h = np.asarray(h, dtype=np.float64)
    if h.ndim != 2 or h.shape[0] < 2:
        raise ValueError(f"h must be (m, n) with m >= 2 rows, got {h.shape}")
    n = h.shape[1]
    variance = h.var(axis=0)
    total = float(variance.sum())
    if n <= 2:
        U = np.zeros((n, 2))
        U[np.arange(n), np.arange(n)] = 1.0
        share = np.zeros(2)
        share[:n] = variance / total if total > 0 else 0.0
        return np.zeros(n), U, share
    mean = h.mean(axis=0)
    _, singular, vt = np.linalg.svd(h - mean, full_matrices=False)
    # a deterministic sign: the largest entry of each direction is positive
    U = vt[:2].T * np.sign(vt[:2][np.arange(2), np.abs(vt[:2]).argmax(axis=1)])
    energy = singular**2
    share = energy[:2] / energy.sum() if energy.sum() > 0 else np.zeros(2)
    return mean, U, share


def project(h, mean, U) -> np.ndarray:
    """Coordinates c = (h - mean) U of the rows of h (m, n) in the view: (m, 2)."""
    return (np.asarray(h) - mean) @ U


def lift(c, mean, U) -> np.ndarray:
    """Points h = mean + c U^T of the layer's space for view coordinates c (m, 2): (m, n)."""
    return mean + np.asarray(c) @ U.T


def forward_from(net, layer, h) -> np.ndarray:
    """h^k from h^layer: layers layer+1 .. k applied to h (m, n_layer); layer 0 is the input."""
    if not 0 <= layer < net.depth:
        raise ValueError(f"layer must be in 0..{net.depth - 1}, got {layer}")
    h = np.asarray(h, dtype=net.dtype)
    if h.ndim != 2 or h.shape[1] != net.sizes[layer]:
        raise ValueError(f"h has shape {h.shape}; layer {layer} has {net.sizes[layer]} units")
    last = net.depth - 1
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for i in range(layer, net.depth):
            z = h @ net.weights[i].T
            if net.biases[i] is not None:
                z = z + net.biases[i]
            if i < last:
                h = ACTIVATIONS[net.hidden[i]].fn(z)
            elif net.output == "softmax":
                h = softmax(z, alpha=net.alpha, axis=1)
            elif net.output == "sigmoid":
                h = ACTIVATIONS["sigmoid"].fn(z)
            else:
                h = z
    return h


def tie_lines(net, mean, U) -> list[tuple[int, int, np.ndarray, float]]:
    """For the last hidden layer's view: every pair of classes (a, b) with the line where
    z_a = z_b, as (a, b, normal (2,), offset) meaning normal . c + offset = 0 in view
    coordinates c. (A sigmoid output with one unit: the single line z = 0, as (0, 1, ...).)"""
    W, b = net.weights[-1], net.biases[-1]
    b = np.zeros(W.shape[0]) if b is None else b
    if net.output == "identity":
        return []
    if W.shape[0] == 1:  # sigmoid: Pr(Y = 1) = 1/2 where z = 0
        return [(0, 1, U.T @ W[0], float(mean @ W[0] + b[0]))]
    lines = []
    for a in range(W.shape[0]):
        for c in range(a + 1, W.shape[0]):
            difference = W[a] - W[c]
            lines.append((a, c, U.T @ difference, float(mean @ difference + b[a] - b[c])))
    return lines
