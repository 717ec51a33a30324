"""Exercise 4 (reference): softmax with n - 1 parameters.

Softmax is invariant to translation, softmax(z + c) = softmax(z), so one of the n scores is
redundant: fix z_n = 0 and keep the other n - 1 (with n = 2 this is the sigmoid).
"""

import numpy as np


def _scores(z):
    z = np.asarray(z)
    if z.dtype.kind not in "biuf":
        raise TypeError(f"z must hold real numbers, got dtype {z.dtype}")
    z = z.astype(np.float64)
    if z.ndim not in (1, 2):
        raise ValueError(f"z must have shape (m, n-1) or (n-1,), got {z.shape}")
    return z


def log_softmax_reduced(z):
    """ln Pr(Y = i) for the scores [z_1 .. z_{n-1}, 0], max-shifted (finite everywhere).

    z: (m, n-1) or (n-1,) -> (m, n) or (n,), every entry <= 0.
    """
    z = _scores(z)
    full = np.concatenate([z, np.zeros(z.shape[:-1] + (1,))], axis=-1)
    s = full - full.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def softmax_reduced(z):
    """Pr(Y = i) = e^{z_i} / (1 + sum_{j<n} e^{z_j}) (i < n), Pr(Y = n) = 1 / (1 + sum e^{z_j}).

    z: (m, n-1) or (n-1,) -> (m, n) or (n,); stable for |z| up to 1e4.
    """
    return np.exp(log_softmax_reduced(z))


def reduce_scores(z):
    """The n - 1 scores z_i - z_n that give the same probabilities as the n scores z.

    z: (m, n) or (n,) with n >= 2 -> (m, n-1) or (n-1,).
    """
    z = _scores(z)
    if z.shape[-1] < 2:
        raise ValueError(f"need n >= 2 scores per row, got shape {z.shape}")
    return z[..., :-1] - z[..., -1:]
