"""Exercise 1, a student's version: everything through softplus, which never overflows."""

import numpy as np


def _floats(z):
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(np.float64)


def sigmoid(z):
    # ln sigma(z) = -ln(1 + e^{-z}) = -softplus(-z)
    return np.exp(-softplus(-_floats(z)))


def sigmoid_grad(z):
    # sigma(z) sigma(-z) = exp(-softplus(-z) - softplus(z))
    z = _floats(z)
    return np.exp(-softplus(-z) - softplus(z))


def tanh(z):
    return np.tanh(_floats(z))


def tanh_grad(z):
    # 1 / cosh(z)^2 = 4 e^{-2|z|} / (1 + e^{-2|z|})^2
    e = np.exp(-np.abs(_floats(z))) ** 2
    return 4.0 * e / (1.0 + e) ** 2


def relu(z):
    z = _floats(z)
    return np.where(z > 0, z, np.zeros_like(z))


def relu_grad(z):
    z = _floats(z)
    return np.where(z > 0, np.ones_like(z), np.zeros_like(z))


def softplus(z):
    z = _floats(z)
    out = np.empty_like(z)
    pos = z > 0
    out[pos] = z[pos] + np.log1p(np.exp(-z[pos]))
    out[~pos] = np.log1p(np.exp(z[~pos]))
    return out


def softplus_grad(z):
    return sigmoid(z)
