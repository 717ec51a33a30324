"""Exercise 1, done: activations and their derivatives, in the stable forms.

Every function is elementwise: z of any shape, e.g. (m, n_i) -> the same shape and dtype
(float32 stays float32; integers become float64). Stable over the whole float range.
"""

import numpy as np


def _as_float(z):
    z = np.asarray(z)
    if z.dtype.kind in "biu":
        return z.astype(np.float64)
    if z.dtype.kind != "f":
        raise TypeError(f"z must hold real numbers, got dtype {z.dtype} (shape {z.shape})")
    return z


def sigmoid(z):
    """sigma(z) = 1 / (1 + e^{-z}), computed through e^{-|z|} so no exponent is positive.

    z: any shape -> same shape, values in [0, 1].
    """
    z = _as_float(z)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_grad(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)); at most 1/4, at z = 0.

    z: any shape -> same shape.
    """
    s = sigmoid(z)
    # 1 - s loses every digit for z >> 0; sigma(-z) = 1 - sigma(z) keeps them.
    return s * sigmoid(-_as_float(z))


def tanh(z):
    """tanh(z) = (e^z - e^{-z}) / (e^z + e^{-z}) = 2 sigma(2z) - 1.

    z: any shape -> same shape, values in [-1, 1].
    """
    return np.tanh(_as_float(z))


def tanh_grad(z):
    """tanh'(z) = 1 - tanh(z)^2; equals 1 at z = 0.

    z: any shape -> same shape.
    """
    t = np.tanh(_as_float(z))
    return 1.0 - t * t


def relu(z):
    """relu(z) = max(0, z).

    z: any shape -> same shape.
    """
    z = _as_float(z)
    return np.maximum(z, np.zeros((), dtype=z.dtype))


def relu_grad(z):
    """relu'(z) = 1 if z > 0 else 0; by convention relu'(0) = 0.

    z: any shape -> same shape (floats 0.0 / 1.0).
    """
    z = _as_float(z)
    return (z > 0).astype(z.dtype)


def softplus(z):
    """softplus(z) = ln(1 + e^z) = max(0, z) + ln(1 + e^{-|z|}) (logaddexp(0, z)).

    z: any shape -> same shape, values > 0 (may underflow to 0 for z << 0).
    """
    z = _as_float(z)
    return np.logaddexp(np.zeros((), dtype=z.dtype), z)


def softplus_grad(z):
    """softplus'(z) = e^z / (1 + e^z) = sigma(z).

    z: any shape -> same shape.
    """
    return sigmoid(z)
