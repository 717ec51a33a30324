"""A complete submission: the fixed score appended, then a max-shifted softmax."""

import numpy as np


def log_softmax_reduced(z):
    z = np.asarray(z, dtype=float)
    scores = np.concatenate([z, np.zeros_like(z[..., :1])], axis=-1)
    shifted = scores - np.max(scores, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def softmax_reduced(z):
    return np.exp(log_softmax_reduced(z))


def reduce_scores(z):
    z = np.asarray(z, dtype=float)
    return z[..., :-1] - z[..., -1:]
