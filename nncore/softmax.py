"""Softmax output units: "make the scores positive, then normalise".

    Pr(Y = i | x) = e^{alpha z_i} / sum_j e^{alpha z_j}

alpha is what the lecture calls the temperature; most libraries write T = 1/alpha instead
(alpha -> 0, i.e. T -> inf: uniform; alpha -> inf, i.e. T -> 0: one-hot on the largest z_i, or
uniform over the largest z_i where several are tied: softmax([1, 1, 0]) -> [1/2, 1/2, 0]).
Softmax is invariant to translation, softmax(z + c) = softmax(z), so the stable form subtracts the
row maximum before exponentiating: the largest exponent is then e^0 = 1 and nothing overflows.
A far score's e^s may underflow to 0 or a subnormal, its correct value: the public functions
ignore underflow (and only underflow), so they run under np.errstate(all="raise").
"""

from __future__ import annotations

import numpy as np

from nncore._checks import as_float_array, check_alpha, check_distributions, check_labels


def _check_axis(z: np.ndarray, axis: int) -> int:
    if z.ndim == 0:
        raise ValueError("softmax needs at least one axis of scores; got a scalar z")
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise TypeError(f"axis must be one int (the axis of the scores), got {axis!r}")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis={axis} is out of range for z of shape {z.shape}")
    if z.shape[axis] == 0:
        raise ValueError(f"z has no scores along axis {axis} (shape {z.shape})")
    return axis


_LARGEST = {np.dtype(t): float(np.finfo(t).max) for t in (np.float32, np.float64)}


def _shifted(z: np.ndarray, alpha: float, axis: int) -> np.ndarray:
    """alpha (z - max z) along `axis`: every entry <= 0, the largest exactly 0.

    The shift comes first: alpha z - max(alpha z) would round alpha z_i at the size of z_i, and
    the difference of two large products keeps only the digits of the products (alpha = 1e-3 at
    z = [1e4, -1e4, 9999] loses about 600 ulp), where alpha (z_i - max z) is rounded at the size
    of the gap. Only a gap beyond the float range (z = [1e308, -1e308]) takes the products' form
    for alpha < 1: there z_i - max z is -inf, and alpha times it would be -inf too, not the
    finite alpha z_i - alpha max z. A shifted score can still lie below the float range (alpha
    > 1 times a wide gap): it becomes -inf, its correctly rounded value, whose e^s is exactly 0,
    so that overflow is not reported.
    """
    largest = _LARGEST.get(z.dtype) or float(np.finfo(z.dtype).max)
    if alpha > largest:  # alpha itself would round to inf, and inf * 0 is nan
        raise ValueError(
            f"alpha = {alpha:g} is beyond the range of z's dtype {z.dtype} (largest "
            f"{largest:g}); give z as float64"
        )
    with np.errstate(over="ignore"):
        return _scaled_gap(z, z.max(axis=axis, keepdims=True), alpha, axis)


def _scaled_gap(z: np.ndarray, top: np.ndarray, alpha: float, axis: int) -> np.ndarray:
    """alpha (z - top) for top = max z along `axis` (call inside np.errstate(over="ignore")),
    with alpha z - alpha top where z - top left the float range and alpha < 1 (see _shifted)."""
    gap = z - top
    if alpha == 1.0:
        return gap
    s = gap * alpha
    if alpha < 1.0:
        wide = np.isinf(gap)
        if wide.any():
            scaled = z * alpha
            s[wide] = (scaled - scaled.max(axis=axis, keepdims=True))[wide]
    return s


def _rest(s: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(e^s, r) for shifted scores s (the largest exactly 0): sum_j e^{s_j} = 1 + r, with r the
    sum of every term but one largest, added without the 1 (where 1 + r would round r away)."""
    e = np.exp(s)
    top = np.argmax(s, axis=axis, keepdims=True)
    others = e.copy()
    np.put_along_axis(others, top, 0, axis=axis)
    return e, others.sum(axis=axis, keepdims=True)


def _log_softmax_shifted(s: np.ndarray, axis: int) -> np.ndarray:
    # s - ln(1 + r) = s - log1p(r): ln of the rounded sum would lose r where r < 1e-16
    # (log_softmax([40, 0])_0 = -4.2e-18, not 0)
    return s - np.log1p(_rest(s, axis)[1])


def _log_softmax(z: np.ndarray, alpha: float, axis: int) -> np.ndarray:
    # alpha z - logsumexp(alpha z), with the max subtracted first: every exponent is <= 0 and the
    # sum is at least 1
    return _log_softmax_shifted(_shifted(z, alpha, axis), axis)


#: 1 + r at least this (every p at most 1 - 2^-10): 1 - p and r = (1 + r) - 1 then lose at most
#: about 2^10 ulp, as sigma' from h does (nncore.activations.NEAR_ONE)
_SPREAD = 1.0 / (1.0 - 2.0**-10)


def _softmax_rows(z: np.ndarray, alpha: float):
    """Softmax along the rows of z (m, n), the MLP's and the losses' form: (s, p, 1 - p, r) with
    s = `_shifted` scores and r as in `_rest`. Where every row's largest p is at most
    1 - 2^-10, 1 - p and r = sum_j e^{s_j} - 1 are formed by subtraction (at most 2^10 ulp lost);
    otherwise r is summed without the largest term and, at one largest score, p = 1 / (1 + r) and
    1 - p = r / (1 + r): a subtraction from 1 would give 0 once p rounds to 1. Every other p is at
    most 1/2, where 1 - p is exact to rounding. One arg-max per row finds that score and shifts
    the row."""
    m = z.shape[0]
    rows = np.arange(m)
    top = z.argmax(axis=1)
    if alpha > (_LARGEST.get(z.dtype) or float(np.finfo(z.dtype).max)):
        _shifted(z, alpha, 1)  # raises, naming alpha and the dtype
    with np.errstate(over="ignore"):  # a shifted score below the float range is -inf, see _shifted
        s = _scaled_gap(z, z[rows, top][:, None], alpha, 1)
    e = np.exp(s)
    total = np.add.reduce(e, axis=1, keepdims=True)
    if m and np.minimum.reduce(total, axis=None) >= _SPREAD:
        p = e / total
        return s, p, 1.0 - p, total - 1.0
    e[rows, top] = 0
    rest = np.add.reduce(e, axis=1, keepdims=True)
    total = 1.0 + rest
    p = e / total
    complement = 1.0 - p
    p[rows, top] = 1.0 / total[:, 0]
    complement[rows, top] = rest[:, 0] / total[:, 0]
    return s, p, complement, rest


def _softmax(z: np.ndarray, alpha: float, axis: int) -> np.ndarray:
    e = np.exp(_shifted(z, alpha, axis))
    return e / e.sum(axis=axis, keepdims=True)


def softmax(z, alpha=1.0, axis=-1) -> np.ndarray:
    """Pr(Y = i | x) = e^{alpha z_i} / sum_j e^{alpha z_j}, along `axis`.

    Naive `np.exp(z) / np.exp(z).sum()` overflows to inf/inf = nan at z = 1000; here the row
    maximum is subtracted first (translation invariance), so the largest term is e^0 = 1.

    z: (m, n) scores (any shape; normalised along `axis`) -> same shape, rows sum to 1.
    alpha: > 0; T = 1/alpha is the temperature in most libraries.
    """
    alpha = check_alpha(alpha)
    z = as_float_array(z, "z")
    axis = _check_axis(z, axis)
    with np.errstate(under="ignore"):  # e^{-2000} = 0 is the correct e^s of a far score
        return _softmax(z, alpha, axis)


def log_softmax(z, alpha=1.0, axis=-1) -> np.ndarray:
    """ln Pr(Y = i | x) = alpha z_i - ln sum_j e^{alpha z_j}, stable (max-shifted).

    Naive `np.log(softmax(z))` gives -inf once a probability underflows to 0; this stays finite.
    z: (m, n) -> (m, n). alpha: > 0 (T = 1/alpha).
    """
    alpha = check_alpha(alpha)
    z = as_float_array(z, "z")
    axis = _check_axis(z, axis)
    with np.errstate(under="ignore"):  # e^s underflows to 0 for a far score, correctly
        return _log_softmax(z, alpha, axis)


def softmax_reduced(z, alpha=1.0) -> np.ndarray:
    """Softmax with only n - 1 free scores: z_n is fixed at 0 (softmax is over-parameterised).

        Pr(Y = i | x) = e^{z_i} / (1 + sum_{j<n} e^{z_j})  for i < n,
        Pr(Y = n | x) = 1 / (1 + sum_{j<n} e^{z_j}).

    With two classes this is the sigmoid of the one free score: Pr(Y = 1) = sigma(z_1), the
    lecture's class 1 (its classes count from 1). That is column 0 of the result, which nncore's
    0-based labels (one_hot, cross_entropy) call label 0, while binary_nll's y = 1 is the class
    whose probability is sigma(z). So softmax_reduced(z)[:, 0] = sigmoid(z[:, 0]), and
    cross_entropy(softmax_reduced(z), labels) = binary_nll(sigmoid(z), 1 - labels).
    z: (m, n - 1) or (n - 1,) -> (m, n) or (n,) probabilities.
    """
    alpha = check_alpha(alpha)
    z = as_float_array(z, "z")
    if z.ndim not in (1, 2):
        raise ValueError(f"softmax_reduced takes z of shape (m, n-1) or (n-1,), got {z.shape}")
    pad = [(0, 0)] * (z.ndim - 1) + [(0, 1)]
    padded = np.pad(z, pad)
    with np.errstate(under="ignore"):  # as in softmax
        return _softmax(padded, alpha, -1)


def softmax_jacobian(p) -> np.ndarray:
    """d softmax(z) / d z for each row: J = diag(p) - p^T p, from probabilities p.

    p: (m, n) -> (m, n, n), J[r, i, j] = p_i (1[i = j] - p_j) for row r.
    """
    p = as_float_array(p, "p")
    if p.ndim != 2:
        raise ValueError(f"softmax_jacobian takes p of shape (m, n), got {p.shape}")
    check_distributions(p)
    with np.errstate(under="ignore"):  # p_i p_j below the float range is 0 or subnormal, correctly
        jac = -p[:, :, None] * p[:, None, :]
    idx = np.arange(p.shape[1])
    jac[:, idx, idx] += p
    return jac


def one_hot(labels, n_classes) -> np.ndarray:
    """y[r, i] = 1 if labels[r] == i else 0.

    labels: (m,) integers in 0..n_classes-1 -> (m, n_classes) float64.
    """
    if isinstance(n_classes, bool) or not isinstance(n_classes, int | np.integer):
        raise TypeError(f"n_classes must be an int, got {n_classes!r}")
    if n_classes < 1:
        raise ValueError(f"n_classes must be at least 1, got {n_classes}")
    labels = check_labels(labels, int(n_classes), "labels")
    y = np.zeros((labels.shape[0], int(n_classes)))
    y[np.arange(labels.shape[0]), labels] = 1.0
    return y
