"""Exercise 4: softmax with n - 1 parameters.

Softmax is invariant to translation, softmax(z + c) = softmax(z): n scores carry only n - 1
numbers' worth of information (softmax is over-parameterised). Fix the last score at z_n = 0
and keep the other n - 1:

    Pr(Y = i) = e^{z_i} / (1 + sum_{j<n} e^{z_j})   for i < n,
    Pr(Y = n) = 1 / (1 + sum_{j<n} e^{z_j}).

With n = 2 this is the sigmoid: Pr(Y = 1) = sigma(z_1). Scores can be as large as +-1e4:
never exponentiate a large positive number (shift by the maximum, including the fixed 0).
NumPy only. Never change the input arrays in place.
"""

import numpy as np  # noqa: F401  (you will need it)


def log_softmax_reduced(z):
    """ln Pr(Y = i) for the n scores [z_1, .., z_{n-1}, 0]: with s = those scores minus their
    maximum, ln Pr(Y = i) = s_i - ln sum_j e^{s_j}. Finite wherever a probability underflows.

    z: (m, n-1) or (n-1,) -> (m, n) or (n,), every entry <= 0.
    """
    raise NotImplementedError("Exercise 4 (softmax_reduced.log_softmax_reduced): append 0, shift")


def softmax_reduced(z):
    """Pr(Y = i) for the n scores [z_1, .., z_{n-1}, 0] (the formula above), stable at +-1e4.

    z: (m, n-1) or (n-1,) -> (m, n) or (n,): each row >= 0 and summing to 1.
    """
    raise NotImplementedError("Exercise 4 (softmax_reduced.softmax_reduced): n-1 scores, n probs")


def reduce_scores(z):
    """The n - 1 scores that give the same probabilities as n scores z: subtract the last one,
    z_i - z_n (translation invariance moves z_n to 0).

    z: (m, n) or (n,) with n >= 2 -> (m, n-1) or (n-1,).
    """
    raise NotImplementedError("Exercise 4 (softmax_reduced.reduce_scores): z_i - z_n")
