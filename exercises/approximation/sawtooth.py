"""Exercise 3: depth composes: the tent map T and the sawtooth T^k (Telgarsky 2016).

    T(x) = 2x on [0, 1/2],  2 - 2x on [1/2, 1]       (T(x) = 1 - |2x - 1|)

maps [0, 1] onto itself with 2 linear pieces. T composed with itself k times, T^k, zigzags
2^{k-1} times: 2^k pieces. A deep network computes it with k hidden layers of 2 relu units,
6k + 1 parameters; one hidden layer needs about 2^k units for as many pieces. The number of
functions a network can represent grows faster with depth than with width.

Networks are (weights, biases) lists as in hand_networks.py: W^i (n_i, n_{i-1}), b^i (n_i,),
relu hidden layers, identity output. This file stands alone: write what you need here (you may
copy your forward pass from hand_networks.py to test locally). NumPy only. Never change the
input arrays in place.
"""

import numpy as np  # noqa: F401  (you will need it)


def tent_network():
    """T on [0, 1] as a network with one hidden layer of 2 relu units, for example
    T(x) = 2 relu(x) - 4 relu(x - 1/2).

    -> (weights, biases) = ([W^1 (2, 1), W^2 (1, 2)], [b^1 (2,), b^2 (1,)]).
    """
    raise NotImplementedError("Exercise 3 (sawtooth.tent_network): T with 2 relu units")


def compose(inner_weights, inner_biases, outer_weights, outer_biases):
    """The network computing outer(inner(x)).

    inner's output layer is affine (no relu) and so is outer's first layer before its relu, so
    the two affine maps merge into one layer:

        W = W_outer^1 W_inner^k,    b = W_outer^1 b_inner^k + b_outer^1.

    The result is inner's hidden layers, the merged layer, then outer's other layers:
    k_inner + k_outer - 1 layers in all.
    inner_weights, inner_biases: the inner network (k_inner layers); outer_*: the outer one,
    whose input width equals inner's output width -> (weights, biases) lists.
    Widths that do not fit raise ValueError.
    """
    raise NotImplementedError("Exercise 3 (sawtooth.compose): merge the two affine layers")


def sawtooth_network(k):
    """T^k as a network: T composed with itself k times (k >= 1).

    -> (weights, biases) lists of k + 1 arrays: k hidden layers of 2 relu units, sizes
    [1, 2, .., 2, 1], 6k + 1 parameters; on [0, 1] the output has 2^k linear pieces.
    """
    raise NotImplementedError("Exercise 3 (sawtooth.sawtooth_network): compose T k times")
