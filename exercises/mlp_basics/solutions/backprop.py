"""Exercise 4 (reference): the forward pass and backpropagation through a whole MLP.

    h^0 = x,  z^i = h^{i-1} W^{iT} + b^i,  h^i = sigma(z^i) (i < k),  h^k = output(z^k)
x: (m, n_0); W^i: (n_i, n_{i-1}); b^i: (n_i,); z^i, h^i: (m, n_i).
The loss follows the output unit: identity -> squared error, sigmoid -> binary NLL,
softmax -> cross-entropy; a batch loss is the MEAN over rows.
"""

import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _softplus(z):
    return np.logaddexp(0.0, z)


# name -> (sigma, sigma'); relu'(0) = 0.
ACTIVATIONS = {
    "identity": (lambda z: z, np.ones_like),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * _sigmoid(-z)),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "softplus": (_softplus, _sigmoid),
}
OUTPUTS = ("identity", "sigmoid", "softmax")


def _log_softmax(z):
    s = z - z.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def _check_network(x, weights, biases, hidden, output):
    if hidden not in ACTIVATIONS:
        raise ValueError(f"unknown hidden activation {hidden!r}; valid: {sorted(ACTIVATIONS)}")
    if output not in OUTPUTS:
        raise ValueError(f"unknown output unit {output!r}; valid: {list(OUTPUTS)}")
    x = np.asarray(x, dtype=float)
    weights = [np.asarray(W, dtype=float) for W in weights]
    biases = [np.asarray(b, dtype=float) for b in biases]
    if len(weights) == 0 or len(weights) != len(biases):
        raise ValueError(f"need k >= 1 layers: got {len(weights)} weights, {len(biases)} biases")
    if x.ndim != 2:
        raise ValueError(f"x must have shape (m, n_0), one data point per row; got {x.shape}")
    n_prev = x.shape[1]
    for i, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
        if W.ndim != 2 or W.shape[1] != n_prev or b.shape != (W.shape[0],):
            raise ValueError(
                f"layer {i}: W^{i} has shape {W.shape} and b^{i} {b.shape}; expected "
                f"(n_{i}, {n_prev}) and (n_{i},): W^{i}'s columns follow the previous width"
            )
        n_prev = W.shape[0]
    return x, weights, biases


def _targets(y, z_k, output):
    y = np.asarray(y)
    m, n_k = z_k.shape
    if output == "softmax" and y.ndim == 1:
        if y.dtype.kind not in "iu" or y.shape[0] != m or y.min() < 0 or y.max() >= n_k:
            raise ValueError(f"labels y must be (m,) = ({m},) integers in 0..{n_k - 1}")
        return np.eye(n_k)[y]
    y = np.asarray(y, dtype=float)
    if y.ndim == 1 and n_k == 1:
        y = y[:, None]
    if y.shape != (m, n_k):
        raise ValueError(f"y has shape {y.shape}; the network's output has shape {(m, n_k)}")
    return y


def mlp_forward(x, weights, biases, hidden="relu", output="identity"):
    """The forward pass, keeping every layer: h^0 = x, z^i = h^{i-1} W^{iT} + b^i, h^i = sigma(z^i).

    x: (m, n_0); weights: [W^1 .. W^k], W^i (n_i, n_{i-1}); biases: [b^1 .. b^k], b^i (n_i,);
    hidden: the name of sigma for layers 1..k-1; output: "identity", "sigmoid" or "softmax".
    -> (hs, zs): hs = [h^0 .. h^k] with h^i (m, n_i); zs = [z^1 .. z^k] with z^i (m, n_i).
    """
    x, weights, biases = _check_network(x, weights, biases, hidden, output)
    sigma = ACTIVATIONS[hidden][0]
    hs, zs = [x], []
    for i, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
        z = hs[-1] @ W.T + b
        zs.append(z)
        if i < len(weights):
            hs.append(sigma(z))
        elif output == "identity":
            hs.append(z)
        elif output == "sigmoid":
            hs.append(_sigmoid(z))
        else:
            hs.append(np.exp(_log_softmax(z)))
    return hs, zs


def mlp_loss(x, y, weights, biases, hidden="relu", output="identity"):
    """The batch loss l = mean over rows of the output unit's loss, computed from z^k (stable).

    identity: ||h^k - y||^2 (summed over outputs), y (m, n_k);
    sigmoid: -y ln h^k - (1 - y) ln(1 - h^k) (summed over outputs), y (m, n_k) or (m,) in {0, 1};
    softmax: -y (ln h^k)^T, y (m,) integer labels 0..n_k-1 or (m, n_k) one-hot. -> float.
    """
    hs, zs = mlp_forward(x, weights, biases, hidden, output)
    z_k = zs[-1]
    y = _targets(y, z_k, output)
    if output == "identity":
        per_row = np.sum((z_k - y) ** 2, axis=1)
    elif output == "sigmoid":
        per_row = np.sum(np.maximum(z_k, 0) - y * z_k + np.log1p(np.exp(-np.abs(z_k))), axis=1)
    else:
        per_row = -np.sum(y * _log_softmax(z_k), axis=1)
    return float(np.mean(per_row))


def output_delta(z_k, y, output):
    """dl/dz^k for the batch loss (mean over m rows), output unit fused with its loss.

    identity + squared error: 2 (h^k - y) / m; sigmoid + binary NLL and softmax + cross-entropy:
    (h^k - y) / m (the p - y rule; y one-hot for softmax).
    z_k: (m, n_k); y as in mlp_loss -> (m, n_k).
    """
    if output not in OUTPUTS:
        raise ValueError(f"unknown output unit {output!r}; valid: {list(OUTPUTS)}")
    z_k = np.asarray(z_k, dtype=float)
    if z_k.ndim != 2:
        raise ValueError(f"z_k must have shape (m, n_k), got {z_k.shape}")
    y = _targets(y, z_k, output)
    m = z_k.shape[0]
    if output == "identity":
        return 2.0 * (z_k - y) / m
    if output == "sigmoid":
        return (_sigmoid(z_k) - y) / m
    return (np.exp(_log_softmax(z_k)) - y) / m


def mlp_backprop(x, y, weights, biases, hidden="relu", output="identity"):
    """Every layer's gradient of the batch loss, by the chain rule from the top down.

    dz^k = output_delta;  dW^i = dz^{iT} h^{i-1},  db^i = sum over rows of dz^i,
    dh^{i-1} = dz^i W^i,  dz^{i-1} = dh^{i-1} * sigma'(z^{i-1}).
    Arguments as in mlp_loss -> [(dW^1, db^1), .., (dW^k, db^k)], shapes of (W^i, b^i).
    """
    hs, zs = mlp_forward(x, weights, biases, hidden, output)
    sigma_grad = ACTIVATIONS[hidden][1]
    dz = output_delta(zs[-1], y, output)
    grads = []
    for i in range(len(weights), 0, -1):  # layer i uses weights[i-1], hs[i-1], zs[i-1]
        W = np.asarray(weights[i - 1], dtype=float)
        grads.append((dz.T @ hs[i - 1], dz.sum(axis=0)))
        if i > 1:
            dz = (dz @ W) * sigma_grad(zs[i - 2])
    return grads[::-1]
