"""Exercise 2: the linear pieces of a one-input ReLU network, counted exactly from its weights.

With relu hidden layers and an identity output, x -> h^k(x) is continuous and piecewise linear
(affine). Width controls how many pieces a layer can make; depth composes them. Count them
exactly, from the weights (no sampling: two kinks 1e-5 apart are two kinks).

The network: weights = [W^1 .. W^k], biases = [b^1 .. b^k], W^1 (n_1, 1), W^i (n_i, n_{i-1}),
W^k (1, n_{k-1}); relu on layers 1 .. k-1, identity output (one input, one output).

The method, layer by layer: on an interval where the layer below is affine,
h^{i-1}(x) = s x + c (row vectors of length n_{i-1}), every unit u of layer i has

    z^i_u(x) = S_u x + C_u,   S = s W^{iT},   C = c W^{iT} + b^i,

a line, so it changes sign at most once, at x* = -C_u / S_u (if S_u != 0), and relu changes
its slope only there. Split each interval at the roots that fall inside it; on each new piece
the unit is either on (z > 0: slope S_u, intercept C_u) or off (both 0). Finally, neighbouring
pieces whose output slopes are equal are one piece (two kinks can cancel).

Tolerances: breakpoints closer than 1e-9 (b - a) to each other (or to a or b) are one; output
slopes that differ by at most 1e-9 max|slope| are equal. The tests keep distinct kinks at least
1e-6 (b - a) apart and real slope changes far above 1e-9, so any tolerance in between works.
NumPy only. Never change the input arrays in place.
"""

import numpy as np  # noqa: F401  (you will need it)


def breakpoints(weights, biases, a, b):
    """The points x strictly inside (a, b) where the network's output changes slope, sorted.

    weights, biases: the network as above; a < b: the interval
    -> (p - 1,) float64 array for an output with p linear pieces on [a, b] (empty if p = 1).
    A kink outside (a, b) or exactly at a or b is not a breakpoint, and neither is a kink where
    the slopes on both sides are equal.
    """
    raise NotImplementedError("Exercise 2 (linear_pieces.breakpoints): split at -C_u / S_u")


def count_linear_pieces(weights, biases, a, b):
    """p: the number of maximal intervals of [a, b] on which the network's output is affine.

    Arguments as in breakpoints -> int (at least 1).
    """
    raise NotImplementedError("Exercise 2 (linear_pieces.count_linear_pieces): the pieces")
