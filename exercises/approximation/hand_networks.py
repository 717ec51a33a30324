"""Exercise 1: universal approximation by hand: one hidden layer, the weights written down.

The lecture's theorem says one hidden layer can approximate a continuous f on [a, b] as closely
as we like if it is wide enough, but not how to find the weights. Here you write them down.

A network is two lists, weights = [W^1, .., W^k] and biases = [b^1, .., b^k], with the lecture's
shapes: W^i (n_i, n_{i-1}) (one row per unit), b^i (n_i,). For one input and one hidden layer of
n units: W^1 (n, 1), b^1 (n,), W^2 (1, n), b^2 (1,), and

    f_hat(x) = sigma(x W^{1T} + b^1) W^{2T} + b^2.

W orients a unit and b positions it: unit j switches where x W_j + b_j = 0, at x = -b_j / W_j.
Return plain data: lists of NumPy arrays. NumPy only. Never change the input arrays in place.
"""

import numpy as np

# Given (do not edit): the targets f, by name. The grader calls your code in a separate process
# where only data can cross, so a target is named, not passed: f = TARGETS[target].
TARGETS = {
    "sine": np.sin,
    "square": np.square,
    "abs": np.abs,
    "exp": np.exp,
    "cubic": lambda x: x**3 - x,
}


def network_output(x, weights, biases, hidden="relu"):
    """The forward pass: h^0 = x, z^i = h^{i-1} W^{iT} + b^i, h^i = sigma(z^i) for the hidden
    layers i = 1 .. k-1, and the output h^k = z^k (identity).

    sigma by name: "relu" max(0, z); "step" the unit step H(z) = 1 for z > 0, else 0;
    "identity" z.
    x: (m,) (one input per data point) or (m, n_0); weights, biases: lists as above
    -> h^k: (m, n_k).
    An unknown hidden name, or shapes that do not fit, raise ValueError.
    """
    raise NotImplementedError("Exercise 1 (hand_networks.network_output): the forward pass")


def step_network(target, a, b, n_units):
    """Steps make bumps. With n = n_units step units, cut [a, b] into n + 1 equal bins of width
    h = (b - a) / (n + 1), with centres c_j = a + (j + 1/2) h (j = 0 .. n) and inner edges
    e_j = a + j h (j = 1 .. n). The network

        f_hat(x) = f(c_0) + sum_{j=1}^{n} (f(c_j) - f(c_{j-1})) H(x - e_j)

    equals f(c_j) on bin j: each unit steps up (or down) by the change of level at its edge.
    Its error is at most h/2 max|f'|, so it falls like 1/n.

    target: a key of TARGETS; a < b; n_units >= 1
    -> (weights, biases) = ([W^1 (n, 1), W^2 (1, n)], [b^1 (n,), b^2 (1,)]) for hidden "step".
    (Any weights that compute this f_hat with n step units are right; the tests evaluate your
    network inside the bins, never exactly at an edge.)
    """
    raise NotImplementedError("Exercise 1 (hand_networks.step_network): n steps, n + 1 levels")


def hinge_network(target, a, b, n_units):
    """Hinges make the piecewise-linear interpolant. With n = n_units relu units, the knots are
    x_j = a + j (b - a) / n (j = 0 .. n); on [x_j, x_{j+1}] the chord has slope
    m_j = (f(x_{j+1}) - f(x_j)) / (x_{j+1} - x_j). The network

        f_hat(x) = f(x_0) + m_0 relu(x - x_0) + sum_{j=1}^{n-1} (m_j - m_{j-1}) relu(x - x_j)

    equals f at every knot and is linear between them: each hinge changes the slope by as much
    as the chord's slope changes there. Its error is at most h^2/8 max|f''| (h = (b - a) / n),
    so it falls like 1/n^2.

    target: a key of TARGETS; a < b; n_units >= 1
    -> (weights, biases) = ([W^1 (n, 1), W^2 (1, n)], [b^1 (n,), b^2 (1,)]) for hidden "relu".
    (Any weights that compute this f_hat on [a, b] with n relu units are right.)
    """
    raise NotImplementedError("Exercise 1 (hand_networks.hinge_network): n hinges, the chords")
