"""Exercise 4: the forward pass and backpropagation through a whole MLP.

    h^0 = x,   z^i = h^{i-1} W^{iT} + b^i,   h^i = sigma(z^i) for hidden layers i = 1 .. k-1,
    h^k = output(z^k) with output "identity", "sigmoid" or "softmax".

x: (m, n_0), one data point per row; W^i: (n_i, n_{i-1}); b^i: (n_i,); z^i, h^i: (m, n_i).
Networks arrive as plain lists: weights = [W^1, .., W^k], biases = [b^1, .., b^k], and the hidden
activation as a NAME: "identity", "sigmoid", "tanh", "relu" or "softplus" (the same for every
hidden layer). The loss follows the output unit, as in the lecture:
    identity -> ||h^k - y||_2^2,   sigmoid -> -y ln h^k - (1 - y) ln(1 - h^k),
    softmax -> -y (ln h^k)^T,
each summed over the outputs of a row, and the batch loss is the MEAN over the m rows.

You may import from activations.py, output_units.py and layers.py (for example
`from activations import sigmoid`; the files sit side by side), or write small helpers here.
NumPy only. Never change the input arrays (x, the weights, y) in place.

Grading: this exercise is graded with the reference's activations.py, output_units.py and
layers.py, so a bug in one of those costs points only in its own exercise. Locally (pytest in
the bundle) your own files are imported, so a bug there can make tests here fail too.
"""

import numpy as np  # noqa: F401  (you will need it)


def mlp_forward(x, weights, biases, hidden="relu", output="identity"):
    """The forward pass, keeping every layer (backprop needs them).

    x: (m, n_0); weights: [W^1 .. W^k] with W^i (n_i, n_{i-1}); biases: [b^1 .. b^k], b^i (n_i,);
    hidden: the activation name for layers 1 .. k-1; output: "identity", "sigmoid" or "softmax"
    -> (hs, zs): hs = [h^0, h^1, .., h^k] (k+1 arrays, h^0 = x, h^i (m, n_i)),
                 zs = [z^1, .., z^k] (k arrays, z^i (m, n_i)).
    """
    raise NotImplementedError("Exercise 4 (backprop.mlp_forward): hs = [h^0..h^k], zs = [z^1..z^k]")


def mlp_loss(x, y, weights, biases, hidden="relu", output="identity"):
    """The batch loss: the mean over rows of the output unit's loss. Stable for |z^k| up to 1e4.

    identity: y (m, n_k) real targets;
    sigmoid: y (m, n_k) or (m,) when n_k = 1, values in {0, 1};
    softmax: y (m,) integer labels 0 .. n_k-1, or (m, n_k) one-hot.
    Other arguments as in mlp_forward -> float.
    """
    raise NotImplementedError("Exercise 4 (backprop.mlp_loss): the mean loss over the batch")


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
