"""Exercise 6 (reference): vanishing and exploding gradients through the layer Jacobians.

Layer i maps h^{i-1} to h^i = sigma(h^{i-1} W^{iT} + b^i). Its Jacobian with respect to its input,
for one data point (one row), is

    A^i = d h^i / d h^{i-1} = diag(sigma'(z^i)) W^i          shape (n_i, n_{i-1}),

and the gradient for W^i carries the product A^k A^{k-1} ... A^{i+1}: when every factor shrinks
vectors (sigma' <= 1/4 for the sigmoid) the product vanishes with depth; when they stretch, it
explodes. In this exercise every layer uses the same activation (a deep stack).
"""

import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


# sigma' by name; relu'(0) = 0.
ACTIVATION_GRADS = {
    "identity": np.ones_like,
    "sigmoid": lambda z: _sigmoid(z) * _sigmoid(-z),
    "tanh": lambda z: 1.0 - np.tanh(z) ** 2,
    "relu": lambda z: (z > 0).astype(float),
    "softplus": _sigmoid,
}
ACTIVATIONS = {
    "identity": lambda z: z,
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "softplus": lambda z: np.logaddexp(0.0, z),
}


def _grad_of(activation):
    if activation not in ACTIVATION_GRADS:
        raise ValueError(f"unknown activation {activation!r}; valid: {sorted(ACTIVATION_GRADS)}")
    return ACTIVATION_GRADS[activation]


def layer_jacobian(z, W, activation):
    """A^i = diag(sigma'(z^i)) W^i for every data point: A[r] = sigma'(z[r])[:, None] * W.

    z: (m, n_i) the layer's pre-activations; W: (n_i, n_{i-1}); activation: a name
    -> A: (m, n_i, n_{i-1}).
    """
    z, W = np.asarray(z, dtype=float), np.asarray(W, dtype=float)
    if z.ndim != 2 or W.ndim != 2 or z.shape[1] != W.shape[0]:
        raise ValueError(f"need z (m, n_i) and W (n_i, n_{{i-1}}); got {z.shape} and {W.shape}")
    return _grad_of(activation)(z)[:, :, None] * W[None, :, :]


def jacobian_product(jacobians):
    """prod_{j} A^j = A^top ... A^bottom, for every data point.

    jacobians: [A^{i+1}, .., A^k], bottom layer first, A^j (m, n_j, n_{j-1})
    -> (m, n_k, n_i) = A^k A^{k-1} ... A^{i+1}  (the derivative d h^k / d h^i).
    """
    if len(jacobians) == 0:
        raise ValueError("need at least one Jacobian")
    product = np.asarray(jacobians[0], dtype=float)
    for j, A in enumerate(jacobians[1:], start=1):
        A = np.asarray(A, dtype=float)
        if A.ndim != 3 or A.shape[0] != product.shape[0] or A.shape[2] != product.shape[1]:
            raise ValueError(
                f"Jacobian {j} has shape {A.shape} but the product so far has shape "
                f"{product.shape}: A^j must be (m, n_j, n_(j-1)) with n_(j-1) = {product.shape[1]}"
            )
        product = A @ product  # (m, n_j, n_{j-1}) @ (m, n_{j-1}, n_i) -> (m, n_j, n_i)
    return product


def input_jacobians(x, weights, biases, activation):
    """Forward through the deep stack h^i = sigma(h^{i-1} W^{iT} + b^i) and return [A^1 .. A^k].

    x: (m, n_0); weights: [W^1 .. W^k], W^i (n_i, n_{i-1}); biases: [b^1 .. b^k], b^i (n_i,)
    -> [A^1 .. A^k] with A^i (m, n_i, n_{i-1}).
    """
    _grad_of(activation)  # validates the name
    sigma = ACTIVATIONS[activation]
    h = np.asarray(x, dtype=float)
    jacobians = []
    for W, b in zip(weights, biases, strict=True):
        W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
        if h.ndim != 2 or W.ndim != 2 or W.shape[1] != h.shape[1] or b.shape != (W.shape[0],):
            raise ValueError(
                f"h has shape {h.shape}, W {W.shape}, b {b.shape}: need W (n_i, {h.shape[-1]}), "
                "b (n_i,)"
            )
        z = h @ W.T + b
        jacobians.append(layer_jacobian(z, W, activation))
        h = sigma(z)
    return jacobians


def jacobian_norms(x, weights, biases, activation):
    """How much of the gradient reaches each layer: for i = 1..k, the mean over data points of

        || A^k A^{k-1} ... A^i ||_F   (Frobenius norm of d h^k / d h^{i-1}).

    Arguments as in input_jacobians -> (k,) array; entry i-1 belongs to layer i. Small entries at
    small i mean vanishing gradients in the first layers; large ones, exploding gradients.
    """
    jacobians = input_jacobians(x, weights, biases, activation)
    k = len(jacobians)
    norms = np.zeros(k)
    product = None
    for i in range(k, 0, -1):  # grow the product downwards: A^k, A^k A^{k-1}, ...
        A = jacobians[i - 1]
        product = A if product is None else product @ A
        norms[i - 1] = np.mean(_frobenius(product))
    return norms


def _frobenius(P):
    # sqrt(sum P^2) with the largest entry factored out, so squaring cannot overflow.
    scale = np.max(np.abs(P), axis=(1, 2))
    safe = np.where(scale > 0, scale, 1.0)
    return scale * np.sqrt(np.sum((P / safe[:, None, None]) ** 2, axis=(1, 2)))
