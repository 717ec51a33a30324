"""Exercise 2 (hidden tests): output units and losses on more inputs, extremes and bad input.

Certain predictions (0 ln 0, ln 0) are left to their public tests: every p here lies in (0, 1).
"""

import numpy as np
import pytest
from _checks import (
    as_array,
    as_number,
    check_close,
    check_finite,
    check_raises_value_error,
    check_true,
    describe,
)

pytestmark = [pytest.mark.ex2_output_units, pytest.mark.filterwarnings("error::RuntimeWarning")]

SHIFT = "softmax(z) = softmax(z - max_j z_j): subtract each row's maximum before exponentiating"
FROM_LOGITS = "compute the loss from the logits (log-softmax, softplus), never ln of a rounded p"
ALPHA = "alpha scales the scores before the shift; alpha -> 0 uniform, alpha -> inf one-hot"
Z_WIDE = np.random.default_rng(200).normal(scale=10.0, size=(6, 5))
Z_HUGE = np.array([[1e4, -1e4, 0.0, 5e3], [-1e4, -1e4, -1e4, -1e4], [3.0, 1e4, 1e4, -2.0]])
LABELS = np.array([0, 3, 1, 4, 2, 2])


def _array(student, reference, name, args, kwargs, on, idea, shape=None, rtol=1e-7, atol=1e-12):
    got = getattr(student.output_units, name)(*args, **kwargs)
    expected = np.asarray(getattr(reference.output_units, name)(*args, **kwargs))
    got = as_array(got, name, on, expected.shape if shape is None else shape, idea)
    check_close(got, expected, name, on, idea, rtol, atol, reveal=False)
    return got


def _loss(student, reference, name, args, kwargs, on, idea, rtol=1e-7, atol=1e-12):
    got = as_number(getattr(student.output_units, name)(*args, **kwargs), name, on)
    expected = float(getattr(reference.output_units, name)(*args, **kwargs))
    check_close(got, expected, name, on, idea, rtol, atol, reveal=False)


@pytest.mark.points(1)
def test_softmax_random_batch(student, reference):
    """softmax row by row on a (6, 5) batch of scale 10."""
    _array(student, reference, "softmax", (Z_WIDE,), {}, describe(Z_WIDE), "e^{z_i} / sum e^{z_j}")


@pytest.mark.parametrize("alpha", [1e-3, 0.5, 3.0, 1e3])
@pytest.mark.points(1)
def test_softmax_alpha_on_huge_scores(student, reference, alpha):
    """alpha scales the scores before the max-shift; stable from alpha = 1e-3 to 1e3 at 1e4."""
    on = f"{describe(Z_HUGE)}, alpha = {alpha}"
    idea = "e^{alpha z_i} / sum_j e^{alpha z_j}: scale by alpha, then subtract each row's maximum"
    p = _array(student, reference, "softmax", (Z_HUGE,), {"alpha": alpha}, on, idea, atol=1e-9)
    check_close(p.sum(axis=1), np.ones(3), "softmax row sums", on, ALPHA, reveal=False)


@pytest.mark.points(1)
def test_softmax_of_one_long_vector(student, reference):
    """One data point z of shape (n,) with scores up to +-800: shift by the maximum."""
    z = np.linspace(-800, 800, 9)
    _array(student, reference, "softmax", (z,), {}, describe(z), SHIFT, atol=1e-15)


@pytest.mark.points(1)
def test_softmax_rejects_a_non_positive_alpha(student):
    """alpha must be > 0 (T = 1/alpha): a clear ValueError for 0 or less."""
    valid = student.output_units.softmax(Z_WIDE, alpha=0.5)  # a valid alpha must still work
    as_array(valid, "softmax", describe(Z_WIDE) + ", alpha = 0.5", Z_WIDE.shape)
    idea = "alpha must be > 0 (T = 1/alpha): raise ValueError naming alpha for 0 or less"
    for alpha in (0.0, -1.0):
        check_raises_value_error(
            lambda alpha=alpha: student.output_units.softmax(Z_WIDE, alpha=alpha),
            "softmax",
            f"alpha = {alpha}",
            idea,
        )


@pytest.mark.parametrize("alpha", [1e-3, 1.0, 1e3])
@pytest.mark.points(1)
def test_log_softmax_on_huge_scores(student, reference, alpha):
    """log-softmax from the max-shifted scores stays finite where softmax underflows."""
    on = f"{describe(Z_HUGE)}, alpha = {alpha}"
    idea = "log-softmax = s - ln sum e^{s}, s = alpha z - max(alpha z): finite where p underflows"
    _array(student, reference, "log_softmax", (Z_HUGE,), {"alpha": alpha}, on, idea, atol=1e-9)


@pytest.mark.points(1)
def test_exp_log_softmax_is_softmax(student):
    """exp(log_softmax(z)) = softmax(z) for the same alpha."""
    on = describe(Z_WIDE)
    log_p = as_array(student.output_units.log_softmax(Z_WIDE, alpha=2.0), "log_softmax", on)
    p = as_array(student.output_units.softmax(Z_WIDE, alpha=2.0), "softmax", on)
    idea = "exp(log_softmax(z)) = softmax(z), for the same alpha"
    check_close(np.exp(log_p), p, "exp(log_softmax)", on + ", alpha = 2", idea, 1e-9, 1e-15)


@pytest.mark.points(1)
def test_softmax_reduced_random_and_huge(student, reference):
    """n - 1 scores with z_n = 0 appended, stable at +-1e4."""
    idea = "append the fixed score z_n = 0, then a stable softmax"
    for z in (Z_WIDE[:, :3], Z_HUGE):
        _array(student, reference, "softmax_reduced", (z,), {}, describe(z), idea, atol=1e-15)


@pytest.mark.points(1)
def test_softmax_reduced_of_one_vector(student, reference):
    """softmax_reduced of one data point: (n-1,) scores give (n,) probabilities."""
    z = np.array([2.0, -1.0])
    _array(student, reference, "softmax_reduced", (z,), {}, describe(z), "(n-1,) -> (n,)", (3,))


@pytest.mark.points(1)
def test_one_hot_more_cases(student, reference):
    """One 1 per row in column labels[r]; n_classes sets the width."""
    on = f"labels {describe(LABELS)}, n_classes = 5"
    _array(student, reference, "one_hot", (LABELS, 5), {}, on, "one 1 per row, in column y_r")
    labels = np.zeros(3, dtype=np.int64)
    on = "labels [0, 0, 0], n_classes = 4"
    _array(student, reference, "one_hot", (labels, 4), {}, on, "n_classes sets the width")


@pytest.mark.points(1)
def test_one_hot_rejects_a_label_out_of_range(student):
    """Labels lie in 0 .. n-1: a clear ValueError, not NumPy's silent wrap-around at -1."""
    valid = student.output_units.one_hot(np.array([0, 4, 1]), 5)
    as_array(valid, "one_hot", "labels [0, 4, 1], n_classes = 5", (3, 5))
    idea = "labels lie in 0 .. n_classes-1; NumPy indexing would wrap -1 around silently"
    for labels in (np.array([0, 5, 1]), np.array([-1, 0])):
        check_raises_value_error(
            lambda labels=labels: student.output_units.one_hot(labels, 5),
            "one_hot",
            f"labels {describe(labels)}, n_classes = 5",
            idea,
        )


@pytest.mark.points(1)
def test_mse_random(student, reference):
    """Squared error sums over outputs and averages over rows, for (m, n) and (m,)."""
    rng = np.random.default_rng(201)
    h, y = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    idea = "sum over the outputs, mean over the rows"
    _loss(student, reference, "mse", (h, y), {}, "a (7, 3) batch", idea)
    _loss(student, reference, "mse", (h[:, 0], y[:, 0]), {}, "a (7,) batch", idea)


@pytest.mark.points(1)
def test_mse_rejects_mismatched_shapes(student):
    """h and y of different shapes raise ValueError: broadcasting would give a wrong loss."""
    as_number(student.output_units.mse(np.zeros((4, 2)), np.ones((4, 2))), "mse", "(4, 2) zeros")
    check_raises_value_error(
        lambda: student.output_units.mse(np.zeros((4, 2)), np.zeros((4, 1))),
        "mse",
        "h of shape (4, 2) and y of shape (4, 1)",
        "h and y must have the same shape; broadcasting would silently compute a wrong loss",
    )


@pytest.mark.points(1)
def test_binary_nll_random(student, reference):
    """-y ln p - (1 - y) ln(1 - p), mean over rows, for (m,) and (m, 1)."""
    rng = np.random.default_rng(202)
    p = rng.uniform(0.01, 0.99, size=9)
    y = rng.integers(0, 2, size=9).astype(float)
    idea = "-y ln p - (1 - y) ln(1 - p), mean over the rows"
    _loss(student, reference, "binary_nll", (p, y), {}, "9 random p, y", idea)
    _loss(
        student, reference, "binary_nll", (p[:, None], y[:, None]), {}, "p, y of shape (9, 1)", idea
    )


@pytest.mark.points(1)
def test_binary_nll_is_symmetric_in_the_labels(student, reference):
    """Swapping the classes (p -> 1 - p, y -> 1 - y) leaves the binary NLL unchanged."""
    rng = np.random.default_rng(204)
    p = rng.uniform(0.05, 0.95, size=7)
    y = rng.integers(0, 2, size=7).astype(float)
    on = "7 random p in (0.05, 0.95) with labels y"
    idea = "-y ln p - (1 - y) ln(1 - p) names the classes 1 and 0; naming them 0 and 1 is the same"
    got = as_number(student.output_units.binary_nll(p, y), "binary_nll", on)
    swapped = as_number(student.output_units.binary_nll(1 - p, 1 - y), "binary_nll", on)
    check_close(swapped, got, "binary_nll(1 - p, 1 - y)", on, idea, 1e-12)
    _loss(student, reference, "binary_nll", (p, y), {}, on, idea)


@pytest.mark.points(2)
def test_binary_nll_with_logits_random_and_huge(student, reference):
    """The binary NLL from logits: max(z, 0) - y z + ln(1 + e^{-|z|}), finite at 1e4."""
    name = "binary_nll_with_logits"
    rng = np.random.default_rng(203)
    z = np.concatenate([rng.normal(scale=5.0, size=8), [1e4, -1e4, 1e4, -1e4, 800.0, -800.0]])
    y = np.concatenate([rng.integers(0, 2, size=8), [1, 0, 0, 1, 0, 1]]).astype(float)
    on = f"z = {describe(z)}, mixed labels"
    got = as_number(student.output_units.binary_nll_with_logits(z, y), name, on)
    check_finite(got, name, on, FROM_LOGITS)
    _loss(student, reference, name, (z, y), {}, on, FROM_LOGITS)


@pytest.mark.points(1)
def test_cross_entropy_random(student, reference):
    """-ln p of the true class, mean over rows, with labels or one-hot rows."""
    scores = Z_WIDE / 5  # moderate: every p is above 5e-4 (tiny p: the public tests)
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    on = "a (6, 5) batch of probabilities in (5e-4, 1)"
    idea = "-ln p of the true class, mean over the rows"
    _loss(student, reference, "cross_entropy", (p, LABELS), {}, on + ", labels", idea)
    one_hot = np.eye(5)[LABELS]
    _loss(student, reference, "cross_entropy", (p, one_hot), {}, on + ", one-hot", idea)


@pytest.mark.parametrize("alpha", [1e-3, 1.0, 1e3])
@pytest.mark.points(1)
def test_cross_entropy_with_logits_huge(student, reference, alpha):
    """Cross-entropy from scores up to 1e4 via log-softmax, for alpha from 1e-3 to 1e3."""
    name = "cross_entropy_with_logits"
    labels = np.array([1, 0, 3])
    on = f"z = {describe(Z_HUGE)}, labels [1, 0, 3], alpha = {alpha}"
    got = as_number(student.output_units.cross_entropy_with_logits(Z_HUGE, labels, alpha), name, on)
    check_finite(got, name, on, FROM_LOGITS)
    _loss(student, reference, name, (Z_HUGE, labels), {"alpha": alpha}, on, FROM_LOGITS, atol=1e-9)


@pytest.mark.points(1)
def test_cross_entropy_with_logits_one_hot_equals_labels(student, reference):
    """Integer labels (m,) and their one-hot rows (m, n) describe the same target."""
    name = "cross_entropy_with_logits"
    on = describe(Z_WIDE)
    a = as_number(student.output_units.cross_entropy_with_logits(Z_WIDE, LABELS), name, on)
    b = as_number(
        student.output_units.cross_entropy_with_logits(Z_WIDE, np.eye(5)[LABELS]), name, on
    )
    idea = "y as labels (m,) or as one-hot rows (m, n) is the same target"
    check_true(
        np.isclose(a, b, rtol=1e-12),
        name,
        on,
        "differs between integer labels and their one-hot rows",
        idea,
    )
    _loss(student, reference, name, (Z_WIDE, LABELS), {}, on + ", labels", idea)
