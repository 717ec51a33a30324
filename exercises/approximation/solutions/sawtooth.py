"""Exercise 3 (reference): depth composes: the tent map T and the sawtooth T^k (Telgarsky 2016).

T(x) = 2x on [0, 1/2], 2 - 2x on [1/2, 1] maps [0, 1] onto itself with 2 linear pieces; T^k
(T composed k times) has 2^k pieces from k hidden layers of 2 units: depth buys pieces
exponentially, while one hidden layer needs about 2^k units for as many.
"""

import numpy as np


def tent_network():
    """T(x) = 2 relu(x) - 4 relu(x - 1/2) on [0, 1]: one hidden layer of 2 relu units.

    -> ([W^1 (2, 1), W^2 (1, 2)], [b^1 (2,), b^2 (1,)]).
    """
    return (
        [np.array([[1.0], [1.0]]), np.array([[2.0, -4.0]])],
        [np.array([0.0, -0.5]), np.array([0.0])],
    )


def _network(weights, biases, name):
    weights = [np.asarray(W, dtype=np.float64) for W in weights]
    biases = [np.asarray(c, dtype=np.float64) for c in biases]
    if len(weights) != len(biases) or not weights:
        raise ValueError(f"{name}: need as many weights as biases (k >= 1)")
    return weights, biases


def compose(inner_weights, inner_biases, outer_weights, outer_biases):
    """The network of outer(inner(x)), merging inner's affine output layer into outer's first:

        W = W_outer^1 W_inner^k,   b = W_outer^1 b_inner^k + b_outer^1,

    so the result has k_inner + k_outer - 1 layers: inner's hidden layers, the merged layer,
    then outer's other layers. -> (weights, biases) lists.
    """
    inner_w, inner_b = _network(inner_weights, inner_biases, "inner")
    outer_w, outer_b = _network(outer_weights, outer_biases, "outer")
    if outer_w[0].shape[1] != inner_w[-1].shape[0]:
        raise ValueError(
            f"inner has {inner_w[-1].shape[0]} outputs but outer's W^1 has shape "
            f"{outer_w[0].shape}: its columns must match"
        )
    merged_w = outer_w[0] @ inner_w[-1]
    merged_b = outer_w[0] @ inner_b[-1] + outer_b[0]
    return (
        [*inner_w[:-1], merged_w, *outer_w[1:]],
        [*inner_b[:-1], merged_b, *outer_b[1:]],
    )


def sawtooth_network(k):
    """T^k: the tent network composed with itself k times -> k hidden layers of 2 units.

    Sizes [1, 2, .., 2, 1], 6k + 1 parameters; 2^k linear pieces on [0, 1].
    -> (weights, biases) lists of k + 1 arrays each.
    """
    if isinstance(k, bool) or int(k) != k or k < 1:
        raise ValueError(f"k must be an integer >= 1, got {k!r}")
    weights, biases = tent_network()
    tent_w, tent_b = tent_network()
    for _ in range(int(k) - 1):
        weights, biases = compose(weights, biases, tent_w, tent_b)
    return weights, biases
