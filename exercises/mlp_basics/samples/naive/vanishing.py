"""Exercise 6."""

import numpy as np
from backprop import ACTS


def layer_jacobian(z, W, activation):
    return ACTS[activation][1](z)[:, :, None] * W[None]


def jacobian_product(jacobians):
    product = jacobians[0]
    for A in jacobians[1:]:
        product = product @ A
    return product


def input_jacobians(x, weights, biases, activation):
    h, out = x, []
    for W, b in zip(weights, biases, strict=True):
        z = h @ W.T + b
        out.append(layer_jacobian(z, W, activation))
        h = ACTS[activation][0](z)
    return out


def jacobian_norms(x, weights, biases, activation):
    As = input_jacobians(x, weights, biases, activation)
    return np.array(
        [
            np.mean(np.sqrt(np.sum(jacobian_product(As[i:]) ** 2, axis=(1, 2))))
            for i in range(len(As))
        ]
    )
