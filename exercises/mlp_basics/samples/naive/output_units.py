"""Exercise 2, straight from the textbook formulas."""

import numpy as np


def softmax(z, alpha=1.0):
    e = np.exp(alpha * z)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z, alpha=1.0):
    return np.log(softmax(z, alpha))


def softmax_reduced(z):
    zeros = np.zeros(z.shape[:-1] + (1,))
    return softmax(np.concatenate([z, zeros], axis=-1))


def one_hot(labels, n_classes):
    return np.eye(n_classes)[labels]


def mse(h, y):
    return np.mean((h - y) ** 2)


def binary_nll(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def binary_nll_with_logits(z, y):
    return binary_nll(1 / (1 + np.exp(-z)), y)


def cross_entropy(p, y):
    if y.ndim == 1:
        y = one_hot(y, p.shape[1])
    return -np.mean(np.sum(y * np.log(p), axis=1))


def cross_entropy_with_logits(z, y, alpha=1.0):
    return cross_entropy(softmax(z, alpha), y)
