"""Exercise 2 (reference): the linear pieces of a one-input ReLU network, exactly, from its weights.

On an interval where the layer below is affine, h^{i-1}(x) = s x + c (row vectors), each unit of
layer i has z^i_u(x) = S_u x + C_u with S = s W^{iT}, C = c W^{iT} + b^i: it changes sign (and
relu its slope) at most once, at x* = -C_u / S_u. Splitting at those roots layer by layer gives
every piece; neighbours with the same slope are then one piece.
"""

import numpy as np

X_RTOL = 1e-9  # breakpoints closer than X_RTOL (b - a) are one
SLOPE_RTOL = 1e-9  # slopes closer than SLOPE_RTOL max|slope| are equal


def _check(weights, biases, a, b):
    a, b = float(a), float(b)
    if not (np.isfinite(a) and np.isfinite(b)) or a >= b:
        raise ValueError(f"need finite a < b, got a = {a}, b = {b}")
    if len(weights) != len(biases) or not weights:
        raise ValueError(
            f"need as many weights as biases (k >= 1), got {len(weights)}, {len(biases)}"
        )
    weights = [np.asarray(W, dtype=np.float64) for W in weights]
    biases = [np.asarray(c, dtype=np.float64) for c in biases]
    width = 1
    for i, (W, c) in enumerate(zip(weights, biases, strict=True), start=1):
        if W.ndim != 2 or W.shape[1] != width or c.shape != (W.shape[0],):
            raise ValueError(
                f"layer {i}: W has shape {W.shape} and b {c.shape}; expected (n_{i}, {width}) "
                f"and (n_{i},)"
            )
        width = W.shape[0]
    if width != 1:
        raise ValueError(f"the network must have one output, it has {width}")
    return weights, biases, a, b


def _pieces(weights, biases, a, b):
    """Breakpoints (P + 1,) from a to b and the output's slopes (P,), neighbours merged."""
    x_tol = X_RTOL * (b - a)
    points = np.array([a, b])
    slopes, intercepts = np.ones((1, 1)), np.zeros((1, 1))  # h^0 = x
    for i, (W, c) in enumerate(zip(weights, biases, strict=True), start=1):
        z_slopes, z_intercepts = slopes @ W.T, intercepts @ W.T + c
        if i == len(weights):  # the output layer is affine: no new kinks
            slopes, intercepts = z_slopes, z_intercepts
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            roots = -z_intercepts / z_slopes
        inside = (z_slopes != 0) & (roots > points[:-1, None]) & (roots < points[1:, None])
        candidates = np.sort(np.concatenate([points, roots[inside]]))
        keep = np.concatenate([[True], np.diff(candidates) > x_tol])
        candidates = candidates[keep]
        inner = candidates[(candidates > a + x_tol) & (candidates < b - x_tol)]
        new_points = np.concatenate([[a], inner, [b]])
        middles = (new_points[:-1] + new_points[1:]) / 2
        parent = np.clip(np.searchsorted(points, middles, side="right") - 1, 0, len(points) - 2)
        z_mid = z_slopes[parent] * middles[:, None] + z_intercepts[parent]
        active = (z_mid > 0).astype(np.float64)
        points = new_points
        slopes, intercepts = z_slopes[parent] * active, z_intercepts[parent] * active
    slopes = slopes[:, 0]
    scale = np.max(np.abs(slopes))
    changes = np.abs(np.diff(slopes)) > SLOPE_RTOL * scale
    return np.concatenate([[a], points[1:-1][changes], [b]])


def breakpoints(weights, biases, a, b):
    """The x in (a, b), sorted, where the network's output changes slope.

    weights = [W^1 .. W^k], W^1 (n_1, 1), W^k (1, n_{k-1}); biases = [b^1 .. b^k];
    hidden layers relu, output identity -> (p - 1,) float64 for p linear pieces.
    """
    weights, biases, a, b = _check(weights, biases, a, b)
    return _pieces(weights, biases, a, b)[1:-1]


def count_linear_pieces(weights, biases, a, b):
    """p: the number of maximal intervals of [a, b] on which the output is affine -> int."""
    return int(len(breakpoints(weights, biases, a, b)) + 1)
