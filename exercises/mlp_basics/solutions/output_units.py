"""Exercise 2 (reference): output units and losses.

Notation: z^k = h^{k-1} W^{kT} + b^k holds the output scores, one row per data point, shape (m, n).
A batch loss is the MEAN over the m rows of the per-example loss. Labels are 0-based: 0..n-1.
"""

import numpy as np


def _as_float(a, name):
    a = np.asarray(a)
    if a.dtype.kind in "biu":
        return a.astype(np.float64)
    if a.dtype.kind != "f":
        raise TypeError(f"{name} must hold real numbers, got dtype {a.dtype} (shape {a.shape})")
    return a


def _check_alpha(alpha):
    alpha = float(alpha)
    if not np.isfinite(alpha) or alpha <= 0:
        raise ValueError(f"alpha must be a finite number > 0 (T = 1/alpha), got {alpha!r}")
    return alpha


def _scores(z, alpha):
    z = _as_float(z, "z")
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"z needs at least one score along its last axis, got shape {z.shape}")
    return z * z.dtype.type(_check_alpha(alpha))


def softmax(z, alpha=1.0):
    """Pr(Y = i | x) = e^{alpha z_i} / sum_j e^{alpha z_j}, along the last axis.

    Stable: softmax(z) = softmax(z - max_j z_j) (translation invariance), so the largest
    exponent is e^0 = 1. alpha is the lecture's temperature; libraries use T = 1/alpha.
    z: (m, n) or (n,) -> same shape; every row is >= 0 and sums to 1.
    """
    s = _scores(z, alpha)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z, alpha=1.0):
    """ln Pr(Y = i | x) = alpha z_i - ln sum_j e^{alpha z_j}, max-shifted (finite everywhere).

    z: (m, n) or (n,) -> same shape; every entry <= 0.
    """
    s = _scores(z, alpha)
    s = s - s.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def softmax_reduced(z):
    """Softmax with the n-th score fixed at 0 (n-1 parameters for n probabilities).

    Pr(Y = i) = e^{z_i} / (1 + sum_{j<n} e^{z_j}) for i < n,
    Pr(Y = n) = 1 / (1 + sum_{j<n} e^{z_j}).
    With n = 2 the first probability is sigma(z_1).
    z: (m, n-1) or (n-1,) -> (m, n) or (n,).
    """
    z = _as_float(z, "z")
    if z.ndim == 0:
        raise ValueError("softmax_reduced needs a vector or a matrix of scores, got a scalar")
    zero = np.zeros(z.shape[:-1] + (1,), dtype=z.dtype)
    return softmax(np.concatenate([z, zero], axis=-1))


def _labels(labels, n_classes):
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(
            f"labels must be integers of shape (m,), got dtype {labels.dtype}, shape {labels.shape}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"labels must lie in 0..{n_classes - 1}, got values {labels.min()}..{labels.max()}"
        )
    return labels


def one_hot(labels, n_classes):
    """y_{r, i} = 1 if labels_r == i else 0.

    labels: (m,) integers in 0..n_classes-1 -> (m, n_classes) float64.
    """
    n_classes = int(n_classes)
    if n_classes < 1:
        raise ValueError(f"n_classes must be >= 1, got {n_classes}")
    labels = _labels(labels, n_classes)
    y = np.zeros((labels.shape[0], n_classes))
    y[np.arange(labels.shape[0]), labels] = 1.0
    return y


def _pair(h, y, h_name):
    h, y = _as_float(h, h_name), _as_float(y, "y")
    if h.shape != y.shape:
        raise ValueError(f"{h_name} has shape {h.shape} but y has shape {y.shape}; they must match")
    if h.ndim == 1:  # one output per data point: (m,) -> (m, 1)
        h, y = h[:, None], y[:, None]
    if h.ndim != 2 or h.shape[0] == 0:
        raise ValueError(f"{h_name} must have shape (m, n) with m >= 1, got {h.shape}")
    return h, y


def mse(h, y):
    """Mean over rows of ||h^k - y||_2^2 = sum_i (h_i^k - y_i)^2 (summed over outputs).

    h, y: (m, n_y) or (m,) -> float.
    """
    h, y = _pair(h, y, "h")
    return float(np.mean(np.sum((h - y) ** 2, axis=1)))


def binary_nll(p, y):
    """Mean over rows of -y ln p - (1 - y) ln(1 - p), p = Pr(Y = 1 | x) = sigma(z).

    Only the term with a non-zero weight is evaluated (0 ln 0 counts as 0).
    p: (m,) or (m, 1) in [0, 1]; y: same shape, in {0, 1} -> float.
    """
    p, y = _pair(p, y, "p")
    with np.errstate(divide="ignore"):  # ln 0 = -inf is the honest loss of a certain mistake
        log_p = np.log(p, out=np.zeros_like(p), where=y != 0)
        log_q = np.log1p(-p, out=np.zeros_like(p), where=y != 1)
    return float(np.mean(np.sum(-y * log_p - (1.0 - y) * log_q, axis=1)))


def binary_nll_with_logits(z, y):
    """The binary NLL from the log-odds z, with p = sigma(z): softplus(z) - y z.

    Written max(z, 0) - y z + ln(1 + e^{-|z|}) so nothing overflows or cancels.
    z: (m,) or (m, 1); y: same shape, in {0, 1} -> float.
    """
    z, y = _pair(z, y, "z")
    per_entry = np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(np.sum(per_entry, axis=1)))


def _targets(y, n_classes):
    y = np.asarray(y)
    if y.ndim == 1:
        return one_hot(y, n_classes)
    return _as_float(y, "y")


def cross_entropy(p, y):
    """Mean over rows of -y (ln h^k)^T = -sum_i y_i ln p_i.

    p: (m, n) probabilities (rows sum to 1); y: (m,) integer labels or (m, n) one-hot -> float.
    Only entries with y_i != 0 are evaluated (0 ln 0 counts as 0).
    """
    p = _as_float(p, "p")
    if p.ndim != 2:
        raise ValueError(f"p must have shape (m, n), got {p.shape}")
    y = _targets(y, p.shape[1])
    if y.shape != p.shape:
        raise ValueError(f"y has shape {y.shape} but p has shape {p.shape}")
    with np.errstate(divide="ignore"):
        log_p = np.log(p, out=np.zeros_like(p), where=y != 0)
    return float(np.mean(-np.sum(y * log_p, axis=1)))


def cross_entropy_with_logits(z, y, alpha=1.0):
    """Cross-entropy of softmax(alpha z): mean over rows of -sum_i y_i log_softmax(alpha z)_i.

    z: (m, n) scores; y: (m,) integer labels or (m, n) one-hot; alpha > 0 (T = 1/alpha) -> float.
    """
    log_p = log_softmax(z, alpha)
    if log_p.ndim != 2:
        raise ValueError(f"z must have shape (m, n), got {log_p.shape}")
    y = _targets(y, log_p.shape[1])
    if y.shape != log_p.shape:
        raise ValueError(f"y has shape {y.shape} but z has shape {log_p.shape}")
    return float(np.mean(-np.sum(y * log_p, axis=1)))
