"""Exercise 4 (half done): the forward pass and backpropagation through a whole MLP.

    h^0 = x,   z^i = h^{i-1} W^{iT} + b^i,   h^i = sigma(z^i) for hidden layers i = 1 .. k-1,
    h^k = output(z^k) with output "identity", "sigmoid" or "softmax".

x: (m, n_0), one data point per row; W^i: (n_i, n_{i-1}); b^i: (n_i,); z^i, h^i: (m, n_i).
Networks arrive as plain lists: weights = [W^1, .., W^k], biases = [b^1, .., b^k], and the hidden
activation as a NAME: "identity", "sigmoid", "tanh", "relu" or "softplus" (the same for every
hidden layer). The loss follows the output unit, as in the lecture:
    identity -> ||h^k - y||_2^2,   sigmoid -> -y ln h^k - (1 - y) ln(1 - h^k),
    softmax -> -y (ln h^k)^T,
each summed over the outputs of a row, and the batch loss is the MEAN over the m rows.

You may reuse your own code from the other files, e.g. `from activations import sigmoid` (the
files sit side by side), or write small helpers here. NumPy only.
"""

import numpy as np
from activations import relu, sigmoid, softplus, tanh
from output_units import log_softmax, softmax

SIGMA = {
    "identity": lambda z: z,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "softplus": softplus,
}


def mlp_forward(x, weights, biases, hidden="relu", output="identity"):
    hs, zs = [np.asarray(x, dtype=float)], []
    for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
        z = hs[-1] @ np.asarray(W).T + b
        zs.append(z)
        if i < len(weights) - 1:
            hs.append(SIGMA[hidden](z))
        else:
            hs.append({"identity": z, "sigmoid": sigmoid(z), "softmax": softmax(z)}[output])
    return hs, zs


def mlp_loss(x, y, weights, biases, hidden="relu", output="identity"):
    hs, zs = mlp_forward(x, weights, biases, hidden, output)
    z = zs[-1]
    if output == "identity":
        return float(np.mean(np.sum((z - y) ** 2, axis=1)))
    if output == "sigmoid":
        y = np.asarray(y, dtype=float).reshape(z.shape)
        per_entry = np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))
        return float(np.mean(np.sum(per_entry, axis=1)))
    y = np.asarray(y)
    log_p = log_softmax(z)
    if y.ndim == 1:
        return float(-np.mean(log_p[np.arange(len(y)), y]))
    return float(-np.mean(np.sum(y * log_p, axis=1)))


def output_delta(z_k, y, output):
    """dl/dz^k, the gradient of the batch loss (mean over m rows) with respect to the top scores.

    The output unit and its loss are fused, and the derivative is short:
        identity + squared error:  2 (h^k - y) / m
        sigmoid + binary NLL:      (h^k - y) / m       (h^k = sigma(z^k))
        softmax + cross-entropy:   (h^k - y) / m       (h^k = softmax(z^k), y one-hot)
    z_k: (m, n_k); y as in mlp_loss; output: the output unit's name -> (m, n_k).
    """
    raise NotImplementedError("Exercise 4 (backprop.output_delta): dl/dz^k, e.g. (p - y) / m")


def mlp_backprop(x, y, weights, biases, hidden="relu", output="identity"):
    """Every layer's gradient of the batch loss, by the chain rule from the top layer down.

    Start from dz^k = output_delta(z^k, y, output); then, for i = k, k-1, .., 1:
        dW^i = dl/dW^i and db^i = dl/db^i from dz^i and h^{i-1} (the dense layer's backward),
        dh^{i-1} = dl/dh^{i-1} = dz^i W^i,   dz^{i-1} = dh^{i-1} * sigma'(z^{i-1})  (elementwise).
    Arguments as in mlp_loss
    -> [(dW^1, db^1), .., (dW^k, db^k)], a list of k pairs; dW^i (n_i, n_{i-1}), db^i (n_i,).
    """
    raise NotImplementedError("Exercise 4 (backprop.mlp_backprop): [(dW^1, db^1), ..]")
