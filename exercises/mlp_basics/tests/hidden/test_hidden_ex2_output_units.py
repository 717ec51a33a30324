"""Exercise 2 (hidden tests): output units and losses on more inputs, extremes and bad input."""

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
    _array(student, reference, "softmax", (Z_WIDE,), {}, describe(Z_WIDE), "e^{z_i} / sum e^{z_j}")


@pytest.mark.parametrize("alpha", [1e-3, 0.5, 3.0, 1e3])
@pytest.mark.points(1)
def test_softmax_alpha_on_huge_scores(student, reference, alpha):
    on = f"{describe(Z_HUGE)}, alpha = {alpha}"
    p = _array(student, reference, "softmax", (Z_HUGE,), {"alpha": alpha}, on, SHIFT, atol=1e-9)
    check_close(p.sum(axis=1), np.ones(3), "softmax row sums", on, ALPHA, reveal=False)


@pytest.mark.points(1)
def test_softmax_of_one_long_vector(student, reference):
    z = np.linspace(-800, 800, 9)
    _array(student, reference, "softmax", (z,), {}, describe(z), SHIFT, atol=1e-15)


@pytest.mark.points(1)
def test_softmax_rejects_a_non_positive_alpha(student):
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
    on = f"{describe(Z_HUGE)}, alpha = {alpha}"
    idea = "log-softmax = s - ln sum e^{s}, s = alpha z - max(alpha z): finite where p underflows"
    _array(student, reference, "log_softmax", (Z_HUGE,), {"alpha": alpha}, on, idea, atol=1e-9)


@pytest.mark.points(1)
def test_exp_log_softmax_is_softmax(student):
    on = describe(Z_WIDE)
    log_p = as_array(student.output_units.log_softmax(Z_WIDE, alpha=2.0), "log_softmax", on)
    p = as_array(student.output_units.softmax(Z_WIDE, alpha=2.0), "softmax", on)
    idea = "exp(log_softmax(z)) = softmax(z), for the same alpha"
    check_close(np.exp(log_p), p, "exp(log_softmax)", on + ", alpha = 2", idea, 1e-9, 1e-15)


@pytest.mark.points(1)
def test_softmax_reduced_random_and_huge(student, reference):
    idea = "append the fixed score z_n = 0, then a stable softmax"
    for z in (Z_WIDE[:, :3], Z_HUGE):
        _array(student, reference, "softmax_reduced", (z,), {}, describe(z), idea, atol=1e-15)


@pytest.mark.points(1)
def test_softmax_reduced_of_one_vector(student, reference):
    z = np.array([2.0, -1.0])
    _array(student, reference, "softmax_reduced", (z,), {}, describe(z), "(n-1,) -> (n,)", (3,))


@pytest.mark.points(1)
def test_one_hot_more_cases(student, reference):
    on = f"labels {describe(LABELS)}, n_classes = 5"
    _array(student, reference, "one_hot", (LABELS, 5), {}, on, "one 1 per row, in column y_r")
    labels = np.zeros(3, dtype=np.int64)
    on = "labels [0, 0, 0], n_classes = 4"
    _array(student, reference, "one_hot", (labels, 4), {}, on, "n_classes sets the width")


@pytest.mark.points(1)
def test_one_hot_rejects_a_label_out_of_range(student):
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
    rng = np.random.default_rng(201)
    h, y = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    idea = "sum over the outputs, mean over the rows"
    _loss(student, reference, "mse", (h, y), {}, "a (7, 3) batch", idea)
    _loss(student, reference, "mse", (h[:, 0], y[:, 0]), {}, "a (7,) batch", idea)


@pytest.mark.points(1)
def test_mse_rejects_mismatched_shapes(student):
    as_number(student.output_units.mse(np.zeros((4, 2)), np.ones((4, 2))), "mse", "(4, 2) zeros")
    check_raises_value_error(
        lambda: student.output_units.mse(np.zeros((4, 2)), np.zeros((4, 1))),
        "mse",
        "h of shape (4, 2) and y of shape (4, 1)",
        "h and y must have the same shape; broadcasting would silently compute a wrong loss",
    )


@pytest.mark.points(1)
def test_binary_nll_random(student, reference):
    rng = np.random.default_rng(202)
    p = rng.uniform(0.01, 0.99, size=9)
    y = rng.integers(0, 2, size=9).astype(float)
    idea = "-y ln p - (1 - y) ln(1 - p), mean over the rows"
    _loss(student, reference, "binary_nll", (p, y), {}, "9 random p, y", idea)
    _loss(
        student, reference, "binary_nll", (p[:, None], y[:, None]), {}, "p, y of shape (9, 1)", idea
    )


@pytest.mark.points(1)
def test_binary_nll_of_certain_predictions(student, reference):
    p, y = np.array([1.0, 0.0, 0.5]), np.array([1.0, 0.0, 1.0])
    on = f"p = {describe(p)}, y = {describe(y)}"
    _loss(student, reference, "binary_nll", (p, y), {}, on, "0 ln 0 = 0: skip zero-weight terms")


@pytest.mark.points(2)
def test_binary_nll_with_logits_random_and_huge(student, reference):
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
    p = np.exp(Z_WIDE) / np.exp(Z_WIDE).sum(axis=1, keepdims=True)
    on = "a (6, 5) batch of probabilities"
    idea = "-ln p of the true class, mean over the rows"
    _loss(student, reference, "cross_entropy", (p, LABELS), {}, on + ", labels", idea)
    one_hot = np.eye(5)[LABELS]
    _loss(student, reference, "cross_entropy", (p, one_hot), {}, on + ", one-hot", idea)


@pytest.mark.parametrize("alpha", [1e-3, 1.0, 1e3])
@pytest.mark.points(1)
def test_cross_entropy_with_logits_huge(student, reference, alpha):
    name = "cross_entropy_with_logits"
    labels = np.array([1, 0, 3])
    on = f"z = {describe(Z_HUGE)}, labels [1, 0, 3], alpha = {alpha}"
    got = as_number(student.output_units.cross_entropy_with_logits(Z_HUGE, labels, alpha), name, on)
    check_finite(got, name, on, FROM_LOGITS)
    _loss(student, reference, name, (Z_HUGE, labels), {"alpha": alpha}, on, FROM_LOGITS, atol=1e-9)


@pytest.mark.points(1)
def test_cross_entropy_with_logits_one_hot_equals_labels(student):
    on = describe(Z_WIDE)
    a = as_number(student.output_units.cross_entropy_with_logits(Z_WIDE, LABELS), "ce", on)
    b = as_number(
        student.output_units.cross_entropy_with_logits(Z_WIDE, np.eye(5)[LABELS]), "ce", on
    )
    idea = "y as labels (m,) or as one-hot rows (m, n) is the same target"
    check_true(
        np.isclose(a, b, rtol=1e-12),
        "cross_entropy_with_logits",
        on,
        "differs between integer labels and their one-hot rows",
        idea,
    )
