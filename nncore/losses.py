"""Losses of the three output units, each with its gradient with respect to its input.

Per-example losses as in the lecture; a batch loss is the MEAN over the m rows:

    identity + squared error:   l = ||h^k - y||_2^2 = sum_i (h^k_i - y_i)^2
    sigmoid  + negative log-likelihood:   l = -y ln h^k - (1 - y) ln(1 - h^k)
    softmax  + cross-entropy:   l = -y (ln h^k)^T = -sum_i y_i ln h^k_i   (y one-hot)

The `*_with_logits` forms take z^k instead of h^k and never form ln of a rounded probability:
ln sigma(z) = -softplus(-z) and ln softmax(z) = log_softmax(z). For the matched pairs the
gradient with respect to z^k is the fused delta (h^k - y), scaled by the loss:
    d mse / d z = 2 (h - y) / m,   d nll / d z = (sigma(z) - y) / m,
    d ce / d z = alpha (softmax(alpha z) - y) / m.
No epsilon is added inside any log: a probability of exactly 0 on the true class gives +inf.

Targets take the dtype of the network's side (h^k, p or z): a float32 network's loss and
gradient stay float32 against float64 targets, and a target beyond float32's range is a
ValueError naming y, not an inf.

Every loss and gradient ignores underflow (np.errstate(under=...)), whose 0 or subnormal is the
correct result (e^{-2000}, a squared error of 1e-200), and nothing else: they run under
np.errstate(all="raise").
"""

from __future__ import annotations

import numpy as np

from nncore._checks import as_float_array, check_alpha, check_labels, check_probabilities
from nncore.softmax import _log_softmax, _softmax_rows


def _as_2d(a: np.ndarray, name: str) -> np.ndarray:
    if a.ndim == 0:  # one data point, one output
        return a.reshape(1, 1)
    if a.ndim == 1:
        return a[:, None]
    if a.ndim != 2:
        raise ValueError(f"{name} must have shape (m, n) or (m,), got {a.shape}")
    return a


def _pair(h, y, name_h: str, name_y: str, dtype=None):
    """Both as (m, n) float arrays; (m,) and (m, 1) may be mixed."""
    h = _as_2d(as_float_array(h, name_h), name_h)
    y = _as_2d(as_float_array(y, name_y, dtype=h.dtype), name_y)
    if h.shape != y.shape:
        raise ValueError(
            f"{name_h} has shape {h.shape} but {name_y} has shape {y.shape}; "
            "they must match (one row per data point, one column per output)"
        )
    if h.shape[0] == 0:
        raise ValueError(f"{name_h} has no rows (shape {h.shape}); a batch needs m >= 1")
    if h.shape[1] == 0:
        raise ValueError(
            f"{name_h} has no outputs (shape {h.shape}); a loss needs n >= 1 output per row"
        )
    return h, y


def _check_binary_targets(y: np.ndarray, name: str = "y") -> None:
    if (y < 0).any() or (y > 1).any():
        raise ValueError(
            f"{name} must lie in [0, 1] for the binary NLL, got values {y.min()}..{y.max()}"
        )


def _class_targets(y, n: int, m: int, dtype) -> np.ndarray:
    """y as int labels (m,) or one-hot / probability rows (m, n) -> (m, n) target matrix."""
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape == (m, n) and not (n > 1 and arr.shape[1] == 1):
        t = as_float_array(arr, "y", dtype=dtype)
        if (t < 0).any() or not np.allclose(t.sum(axis=1), 1.0):
            raise ValueError(
                "y as a matrix must be one-hot (or probability) rows: entries >= 0 summing to 1 "
                f"per row; got row sums {np.round(t.sum(axis=1)[:5], 6)}..."
            )
        return t
    if arr.ndim == 2 and arr.shape[1] != 1:
        raise ValueError(
            f"y has shape {arr.shape}; expected labels (m,) = ({m},) or one-hot ({m}, {n})"
        )
    labels = check_labels(arr, n, "y")
    if labels.shape[0] != m:
        raise ValueError(f"y has {labels.shape[0]} labels but there are {m} rows of scores")
    t = np.zeros((m, n), dtype=dtype)
    t[np.arange(m), labels] = 1
    return t


def _scores(z, name: str) -> np.ndarray:
    z = as_float_array(z, name)
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] == 0:
        raise ValueError(f"{name} must have shape (m, n) with m, n >= 1, got {z.shape}")
    return z


def _scores_and_targets(z, y, name: str):
    """(z as (m, n), y as an (m, n) target matrix, whether z was one data point (n,)).

    One data point may be given as z of shape (n,) with a label (a scalar) or a one-hot (n,).
    """
    z = as_float_array(z, name)
    single = z.ndim == 1
    if single:
        z = z[None, :]
        y = np.asarray(y)
        if y.ndim == 0:  # a label
            y = y[None]
        elif y.shape == (z.shape[1],):  # a one-hot row
            y = y[None, :]
    z = _scores(z, name)
    return z, _class_targets(y, z.shape[1], z.shape[0], z.dtype), single


def _batch_mean(terms: np.ndarray) -> float:
    """The losses' batch value: the mean over the m rows of each row's sum over the outputs.

    Where the plain sum overflows but the mean is in range (two rows of loss 1e308 each: sum inf,
    mean 1e308), the rows are divided by m before they are added. A mean beyond the float range
    stays +inf, its correctly rounded value, without a warning.
    """
    with np.errstate(over="ignore", under="ignore"):
        value = np.mean(np.sum(terms, axis=1))
        if np.isinf(value) and np.isfinite(terms).all():
            value = np.sum(np.sum(terms / terms.shape[0], axis=1))
    return float(value)


# --- identity + squared error -------------------------------------------------------------


def mse(h, y) -> float:
    """mean over rows of ||h - y||_2^2 (summed over the n outputs).

    h: (m, n) or (m,) predictions h^k; y: same shape (targets).
    """
    h, y = _pair(h, y, "h", "y")
    # a loss beyond the float range is +inf, honestly; a square below it is 0, correctly
    with np.errstate(over="ignore", under="ignore"):
        d = h - y
        squares = d * d
        if not np.isfinite(squares).all():
            # a difference or a square beyond the range can leave the mean in range (rows with
            # errors 1.5e154 and 0: 2.25e308 / 2): scale each entry by 1/sqrt(m) first
            root_m = np.sqrt(np.asarray(h.shape[0], dtype=h.dtype))
            scaled = h / root_m - y / root_m
            return float(np.sum(scaled * scaled))
    return _batch_mean(squares)


def mse_grad(h, y) -> np.ndarray:
    """d mse / d h = 2 (h - y) / m. h, y: (m, n) or (m,) -> shape of h."""
    shape = np.shape(h)
    h2, y2 = _pair(h, y, "h", "y")
    m = h2.shape[0]
    # an entry beyond the float range is +-inf, honestly; one below it is 0, correctly
    with np.errstate(over="ignore", under="ignore"):
        d = h2 - y2
        if not np.isfinite(d).all():  # 1e308 - (-1e308): with m = 4 the gradient is 1e308
            return (2.0 * (h2 / m - y2 / m)).reshape(shape)
        return (2.0 * d / m).reshape(shape)


# --- sigmoid + negative log-likelihood ----------------------------------------------------


def binary_nll(p, y) -> float:
    """mean over rows of -y ln p - (1 - y) ln(1 - p), summed over columns.

    p: (m,) or (m, n) probabilities in [0, 1]; y: same shape, targets in [0, 1] (usually 0/1).
    ln(1 - p) is computed as log1p(-p). p = 0 with y = 1 (or p = 1 with y = 0) gives +inf,
    honestly: use binary_nll_with_logits to stay finite.
    """
    p, y = _pair(p, y, "p", "y")
    check_probabilities(p)
    _check_binary_targets(y)
    # ln 0 = -inf is the honest answer (masked where y = 0); a term below the float range is 0
    with np.errstate(divide="ignore", under="ignore"):
        pos = np.where(y > 0, -y * np.log(np.where(y > 0, p, 1)), 0)
        neg = np.where(y < 1, -(1 - y) * np.log1p(-np.where(y < 1, p, 0)), 0)
    return _batch_mean(pos + neg)


def binary_nll_grad(p, y) -> np.ndarray:
    """d binary_nll / d p = (-y / p + (1 - y) / (1 - p)) / m. Shapes as binary_nll."""
    shape = np.shape(p)
    p2, y2 = _pair(p, y, "p", "y")
    check_probabilities(p2)
    _check_binary_targets(y2)
    m = p2.shape[0]
    # y / m first, then / p: -1 / (m p) is in range for a subnormal p where -1 / p is not; a
    # value beyond the range (p = 0, or 1 / (m p) > max) is its honest limit, +-inf
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        g = np.where(y2 > 0, -(y2 / m) / np.where(y2 > 0, p2, 1), 0) + np.where(
            y2 < 1, ((1 - y2) / m) / (1 - np.where(y2 < 1, p2, 0)), 0
        )
    return g.reshape(shape)


def _binary_nll_parts(z: np.ndarray, y: np.ndarray):
    """(the binary NLL per entry, sigma(z) - y, sigma(z)) from one e = exp(-|z|), with
    q = sigma(-|z|) = e / (1 + e):

        l = ln(1 + e) + y max(-z, 0) + (1 - y) max(z, 0)   (y softplus(-z) + (1 - y) softplus(z))
        sigma(z) - y = q - y where z <= 0, (1 - y) - q where z > 0

    Every term of l is >= 0, and neither the delta nor sigma(z) = 1 - q subtracts from a rounded
    1: sigma(40) - 1 is 0 in floating point, -q = -4.2e-18 is the exact delta."""
    e = np.exp(-np.abs(z))
    q = e / (1.0 + e)
    up = z > 0
    y_up = np.where(up, 1.0 - y, -y)  # (1 - y) where z > 0, -y elsewhere: l's linear part / z
    rows = np.log1p(e) + y_up * z
    return rows, np.where(up, y_up - q, q + y_up), np.where(up, 1.0 - q, q)


def binary_nll_with_logits(z, y) -> float:
    """binary NLL from the log-odds z (h = sigma(z)), without forming ln of a rounded sigma(z).

        l = y softplus(-z) + (1 - y) softplus(z),   softplus(z) = ln(1 + e^z)

    z: (m,) or (m, n) logits; y: same shape, targets in [0, 1]. Finite for |z| up to 1e4 and beyond.
    """
    z, y = _pair(z, y, "z", "y")
    _check_binary_targets(y)
    with np.errstate(under="ignore"):  # e^{-|z|} = 0 for |z| > 745 is correct
        return _batch_mean(_binary_nll_parts(z, y)[0])


def binary_nll_with_logits_grad(z, y) -> np.ndarray:
    """d/dz of binary_nll_with_logits = (sigma(z) - y) / m: the fused delta. Shape of z."""
    shape = np.shape(z)
    z2, y2 = _pair(z, y, "z", "y")
    _check_binary_targets(y2)
    with np.errstate(under="ignore"):  # as in binary_nll_with_logits
        return (_binary_nll_parts(z2, y2)[1] / z2.shape[0]).reshape(shape)


# --- softmax + cross-entropy --------------------------------------------------------------


def cross_entropy(p, y) -> float:
    """mean over rows of -sum_i y_i ln p_i = -y (ln h^k)^T.

    p: (m, n) probabilities (rows of a softmax); y: int labels (m,) or one-hot (m, n).
    One data point may be given as p (n,) with a label or a one-hot (n,).
    A zero probability on the true class gives +inf (no epsilon is added). Rows are not required
    to sum to 1: -y ln p is the loss as a function of p, which a gradient check perturbs off the
    simplex (softmax_jacobian, whose formula holds only for a softmax row, does require it).
    """
    p, t, _ = _scores_and_targets(p, y, "p")
    check_probabilities(p)
    with np.errstate(divide="ignore", under="ignore"):
        terms = np.where(t > 0, -t * np.log(np.where(t > 0, p, 1)), 0)
    return _batch_mean(terms)


def cross_entropy_grad(p, y) -> np.ndarray:
    """d cross_entropy / d p = -y / p / m (zero where y = 0). p: (m, n) -> (m, n)."""
    p, t, single = _scores_and_targets(p, y, "p")
    check_probabilities(p)
    # t / m first, then / p (in range for a subnormal p); beyond the range: -inf, no warning
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        g = np.where(t > 0, -(t / p.shape[0]) / np.where(t > 0, p, 1), 0)
    return g[0] if single else g


def cross_entropy_with_logits(z, y, alpha=1.0) -> float:
    """Cross-entropy of softmax(alpha z) against y from logits: -sum_i y_i log_softmax(alpha z)_i.

    z: (m, n) logits; y: int labels (m,) or one-hot (m, n); alpha > 0 (T = 1/alpha).
    One data point may be given as z (n,) with a label or a one-hot (n,).
    """
    alpha = check_alpha(alpha)
    z, t, _ = _scores_and_targets(z, y, "z")
    # only the classes with target mass count: 0 * ln 0 would be nan where a score lies below
    # the float range under the maximum (log_softmax = -inf there); e^s underflows correctly
    with np.errstate(under="ignore"):
        return _batch_mean(-t * np.where(t > 0, _log_softmax(z, alpha, -1), 0))


def cross_entropy_with_logits_grad(z, y, alpha=1.0) -> np.ndarray:
    """d/dz of cross_entropy_with_logits = alpha (softmax(alpha z) - y) / m. z: (m, n) -> (m, n)."""
    alpha = check_alpha(alpha)
    z, t, single = _scores_and_targets(z, y, "z")
    with np.errstate(under="ignore"):  # a far class's p underflows to 0 or a subnormal, correctly
        g = alpha * _softmax_delta(z, alpha, t) / z.shape[0]
    return g[0] if single else g


def _softmax_delta(z: np.ndarray, alpha: float, t: np.ndarray) -> np.ndarray:
    """softmax(alpha z) - t for z (m, n), as (1 - t) p - t (1 - p) (the same): on the true class
    p - 1 is 0 once p rounds to 1, where -(1 - p) keeps the other classes' mass (4.2e-18 for
    scores [40, 0])."""
    _, p, complement, _ = _softmax_rows(z, alpha)
    return (1 - t) * p - t * complement


# --- the output units and their matched losses ---------------------------------------------

#: output unit -> (name of its matched loss, the loss from logits, its fused delta d l / d z^k)
OUTPUT_UNITS = {
    "identity": ("mse", mse, mse_grad),
    "sigmoid": ("binary_nll", binary_nll_with_logits, binary_nll_with_logits_grad),
    "softmax": ("cross_entropy", cross_entropy_with_logits, cross_entropy_with_logits_grad),
}

#: loss name -> (loss(input, y), its gradient with respect to that input)
LOSSES = {
    "mse": (mse, mse_grad),
    "binary_nll": (binary_nll, binary_nll_grad),
    "binary_nll_with_logits": (binary_nll_with_logits, binary_nll_with_logits_grad),
    "cross_entropy": (cross_entropy, cross_entropy_grad),
    "cross_entropy_with_logits": (cross_entropy_with_logits, cross_entropy_with_logits_grad),
}


def get_output_unit(name: str):
    """(loss name, loss from z^k, fused delta) of an output unit; unknown names list the valid."""
    if not isinstance(name, str) or name.strip().lower() not in OUTPUT_UNITS:
        raise ValueError(f"unknown output unit {name!r}; valid: {', '.join(OUTPUT_UNITS)}")
    return OUTPUT_UNITS[name.strip().lower()]
