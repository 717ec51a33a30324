"""Exercise 2: output units and their losses.

The output layer's scores z^k = h^{k-1} W^{kT} + b^k have one row per data point: shape (m, n).
- regression: identity output, squared error ||h^k - y||_2^2 (summed over the outputs);
- y in {0, 1}: sigmoid output p = sigma(z), negative log-likelihood -y ln p - (1 - y) ln(1 - p);
- n classes: softmax output, cross-entropy -y (ln h^k)^T with y one-hot.
A batch loss is the MEAN over the m rows of the per-example loss, returned as a Python float.
Class labels are 0-based here: 0 .. n-1 (the lecture counts 1 .. n).

Numerics: scores can be as large as +-1e4. Never exponentiate a large positive number, and never
add a small epsilon inside a log: compute from the logits instead (the *_with_logits functions).
Never change an input array in place (z -= z.max(...) changes the caller's scores): compute new
arrays.
"""

import numpy as np  # noqa: F401  (you will need it)


def softmax(z, alpha=1.0):
    """Pr(Y = i | x) = e^{alpha z_i} / sum_j e^{alpha z_j}, along the last axis (each row).

    "Make the scores positive, then normalise." Softmax is invariant to translation,
    softmax(z + c) = softmax(z), so subtract each row's maximum first: the largest exponent is
    then e^0 = 1. It is NOT invariant to scaling: alpha -> 0 gives the uniform distribution,
    alpha -> infinity puts all mass on the largest score. The lecture calls alpha the
    temperature; most libraries write T = 1/alpha.

    z: (m, n) or (n,); alpha: a number > 0 -> same shape as z, each row >= 0 and summing to 1.
    alpha <= 0 raises ValueError (with a message naming alpha).
    """
    raise NotImplementedError("Exercise 2 (output_units.softmax): e^{alpha z_i} / sum_j e^{...}")


def log_softmax(z, alpha=1.0):
    """ln Pr(Y = i | x) = alpha z_i - ln sum_j e^{alpha z_j}, along the last axis.

    np.log(softmax(z)) gives -inf once a probability underflows to 0; compute it from the
    max-shifted scores s = alpha z - max_j alpha z_j instead: s_i - ln sum_j e^{s_j}.

    z: (m, n) or (n,); alpha: a number > 0 -> same shape as z, every entry <= 0.
    alpha <= 0 raises ValueError.
    """
    raise NotImplementedError("Exercise 2 (output_units.log_softmax): alpha z_i - ln sum_j ...")


def softmax_reduced(z):
    """Softmax with n-1 parameters: the n-th score is fixed at z_n = 0.

    Pr(Y = i) = e^{z_i} / (1 + sum_{j<n} e^{z_j}) for i < n,
    Pr(Y = n) = 1 / (1 + sum_{j<n} e^{z_j}).
    With n = 2 this is the sigmoid: Pr(Y = 1) = sigma(z_1). Keep it stable for large |z|.

    z: (m, n-1) or (n-1,) -> (m, n) or (n,): one more column than z.
    """
    raise NotImplementedError("Exercise 2 (output_units.softmax_reduced): softmax with z_n = 0")


def one_hot(labels, n_classes):
    """y_{r, i} = 1 if labels_r == i else 0: the one-hot rows of the cross-entropy y (ln h^k)^T.

    labels: (m,) integers in 0 .. n_classes-1; n_classes: int -> (m, n_classes) float64.
    A label outside 0 .. n_classes-1 raises ValueError naming it.
    """
    raise NotImplementedError("Exercise 2 (output_units.one_hot): one row per label")


def mse(h, y):
    """Squared error ||h^k - y||_2^2 = sum_i (h_i^k - y_i)^2 per row, then the mean over rows.

    h, y: (m, n_y), or (m,) for one output -> float.
    h and y of different shapes raise ValueError naming both shapes (no silent broadcasting).
    """
    raise NotImplementedError("Exercise 2 (output_units.mse): mean over rows of ||h - y||^2")


def binary_nll(p, y):
    """Mean over rows of -y ln p - (1 - y) ln(1 - p), with p = Pr(Y = 1 | x).

    Only the term whose weight is non-zero counts (0 ln 0 = 0): a confident, correct p = 1 for
    y = 1 costs exactly 0, not nan. A confident, wrong p = 0 for y = 1 (or p = 1 for y = 0)
    costs inf: ln 0 = -inf is the honest loss, so no epsilon and no clip. (NumPy warns "divide
    by zero" when it computes ln 0; the test of certain predictions accepts that warning.)

    p: (m,) or (m, 1) probabilities in [0, 1]; y: same shape, values in {0, 1} -> float.
    """
    raise NotImplementedError("Exercise 2 (output_units.binary_nll): -y ln p - (1-y) ln(1-p)")


def binary_nll_with_logits(z, y):
    """The binary NLL from the log-odds z, p = sigma(z), without computing p.

    -y ln sigma(z) - (1 - y) ln(1 - sigma(z)) = ln(1 + e^z) - y z
                                              = max(z, 0) - y z + ln(1 + e^{-|z|}).
    z: (m,) or (m, 1) log-odds; y: same shape, values in {0, 1} -> float.
    """
    raise NotImplementedError("Exercise 2 (output_units.binary_nll_with_logits): from z stably")


def cross_entropy(p, y):
    """Mean over rows of -y (ln h^k)^T = -sum_i y_i ln p_i.

    Only entries with y_i != 0 count (0 ln 0 = 0): a certain, right prediction costs exactly 0;
    a certain, wrong one (p_i = 0 where y_i = 1) costs inf (no epsilon, no clip).
    p: (m, n) probabilities, rows summing to 1; y: (m,) integer labels 0..n-1 or (m, n) one-hot
    -> float.
    """
    raise NotImplementedError("Exercise 2 (output_units.cross_entropy): -sum_i y_i ln p_i")


def cross_entropy_with_logits(z, y, alpha=1.0):
    """Cross-entropy of p = softmax(alpha z), from the scores: mean of -sum_i y_i log_softmax_i.

    z: (m, n) scores; y: (m,) integer labels 0..n-1 or (m, n) one-hot; alpha > 0 -> float.
    """
    raise NotImplementedError(
        "Exercise 2 (output_units.cross_entropy_with_logits): use log_softmax"
    )
