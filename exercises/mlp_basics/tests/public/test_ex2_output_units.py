"""Exercise 2 (public tests): output units and losses.

Expected values are closed forms worked out by hand or with Python's math module, one number at
a time; properties (rows sum to 1, translation invariance) need no expected values at all.
Certain predictions (p = 0 or 1) are checked by one test per loss: right costs exactly 0,
wrong costs inf.
"""

import math

import numpy as np
import pytest
from _checks import (
    as_array,
    as_number,
    call_keeping_inputs,
    check_close,
    check_finite,
    check_true,
    describe,
    warnings_allowed,
)

# A RuntimeWarning in your code (overflow in exp, 0/0) fails the test: stable forms warn never.
pytestmark = [pytest.mark.ex2_output_units, pytest.mark.filterwarnings("error::RuntimeWarning")]

SHIFT = "softmax(z) = softmax(z - max_j z_j): subtract each row's maximum before exponentiating"
NORMALISE = "softmax makes the scores positive (e^z > 0), then normalises so each row sums to 1"
FROM_LOGITS = "compute the loss from the logits (log-softmax, softplus), never ln of a rounded p"
CERTAIN = (
    "only the term with a non-zero weight counts (0 ln 0 = 0), so a certain, right prediction "
    "costs exactly 0; a certain, wrong one costs ln 0 = inf: no epsilon or clip inside the log"
)


def _math_softmax(z, alpha=1.0):
    rows = []
    for row in np.atleast_2d(z):
        e = [math.exp(alpha * v) for v in row]
        rows.append([v / sum(e) for v in e])
    return np.array(rows).reshape(np.shape(z))


@pytest.mark.points(1)
def test_softmax_rows_are_probability_distributions(student):
    """softmax makes the scores positive, then normalises: each row is a distribution."""
    z = np.random.default_rng(0).normal(scale=3.0, size=(5, 4))
    p = as_array(student.output_units.softmax(z), "softmax", describe(z), (5, 4), NORMALISE)
    check_true((p >= 0).all(), "softmax", describe(z), "returned a negative entry", NORMALISE)
    check_close(p.sum(axis=1), np.ones(5), "softmax row sums", describe(z), NORMALISE)


@pytest.mark.points(1)
def test_softmax_matches_formula(student):
    """softmax(z)_i = e^{z_i} / sum_j e^{z_j}, row by row."""
    z = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 0.5]])
    p = as_array(student.output_units.softmax(z), "softmax", describe(z), (2, 3), NORMALISE)
    check_close(p, _math_softmax(z), "softmax", describe(z), "e^{z_i} / sum_j e^{z_j}, per row")


@pytest.mark.points(2)
def test_softmax_is_translation_invariant_and_stable(student):
    """softmax(z + c) = softmax(z): subtract the row maximum, nothing overflows."""
    z = np.array([[1.0, 2.0, 3.0], [1001.0, 1002.0, 1003.0], [-997.0, -998.0, -999.0]])
    p = as_array(student.output_units.softmax(z), "softmax", describe(z), (3, 3), SHIFT)
    check_finite(p, "softmax", describe(z), SHIFT)
    expected = _math_softmax(np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]))
    check_close(p, expected, "softmax", describe(z), SHIFT)
    z = np.array([[1000.0, 0.0, -1000.0]])
    p = as_array(student.output_units.softmax(z), "softmax", describe(z), (1, 3), SHIFT)
    check_finite(p, "softmax", describe(z), SHIFT)
    check_close(p, np.array([[1.0, 0.0, 0.0]]), "softmax", describe(z), SHIFT, atol=1e-15)


@pytest.mark.points(1)
def test_softmax_alpha_scales_the_scores(student):
    """softmax is not invariant to scaling: alpha z changes the distribution (T = 1/alpha)."""
    z = np.array([[0.5, -1.0, 2.0]])
    idea = "softmax is not invariant to scaling: alpha z changes the distribution (T = 1/alpha)"
    p = as_array(
        call_keeping_inputs(student.output_units.softmax, "softmax", ["z"], z, alpha=2.0),
        "softmax(alpha=2)",
        describe(z),
    )
    check_close(p, _math_softmax(z, alpha=2.0), "softmax with alpha=2", describe(z), idea)
    p = as_array(student.output_units.softmax(z, alpha=1e-3), "softmax(alpha=1e-3)", describe(z))
    idea = "alpha -> 0 (T -> infinity) makes the probabilities uniform, 1/n each"
    check_close(p, np.full((1, 3), 1 / 3), "softmax with alpha=1e-3", describe(z), idea, 1e-2)


@pytest.mark.points(1)
def test_softmax_with_large_alpha_is_one_hot(student):
    """alpha -> infinity (T -> 0) puts all the mass on the largest score."""
    z = np.array([[1.0, 2.0, 3.0], [-4.0, 5.0, 4.5]])
    got = student.output_units.softmax(z, alpha=1000.0)
    idea = "alpha -> infinity (T -> 0) puts all the mass on the largest score; shift first"
    p = as_array(got, "softmax with alpha=1000", describe(z), (2, 3), idea)
    check_finite(p, "softmax with alpha=1000", describe(z), idea)
    expected = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    check_close(p, expected, "softmax with alpha=1000", describe(z), idea, atol=1e-15)


@pytest.mark.points(1)
def test_softmax_of_a_single_vector(student):
    """softmax of one data point z of shape (n,)."""
    z = np.array([0.0, math.log(3.0)])
    p = as_array(student.output_units.softmax(z), "softmax", describe(z), (2,), NORMALISE)
    check_close(p, np.array([0.25, 0.75]), "softmax", describe(z), NORMALISE)


@pytest.mark.points(1)
def test_log_softmax_is_the_log_of_softmax(student):
    """ln softmax(z)_i = z_i - ln sum_j e^{z_j}."""
    z = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 0.5]])
    got = as_array(
        call_keeping_inputs(student.output_units.log_softmax, "log_softmax", ["z"], z),
        "log_softmax",
        describe(z),
        (2, 3),
    )
    idea = "ln softmax(z)_i = z_i - ln sum_j e^{z_j}"
    check_close(got, np.log(_math_softmax(z)), "log_softmax", describe(z), idea)


@pytest.mark.points(1)
def test_log_softmax_is_finite_where_softmax_underflows(student):
    """log-softmax from the max-shifted scores stays finite where softmax underflows to 0."""
    z = np.array([[1000.0, 0.0, -1000.0]])
    got = as_array(student.output_units.log_softmax(z), "log_softmax", describe(z), (1, 3))
    idea = "log(softmax) is -inf once a probability underflows: use z_i - max - ln sum e^{z - max}"
    check_finite(got, "log_softmax", describe(z), idea)
    check_close(got, np.array([[0.0, -1000.0, -2000.0]]), "log_softmax", describe(z), idea)


@pytest.mark.points(1)
def test_softmax_reduced_with_two_classes_is_the_sigmoid(student):
    """With n = 2 and z_2 fixed at 0, softmax is the sigmoid of z_1."""
    z = np.array([[-2.0], [0.0], [3.0]])
    got = student.output_units.softmax_reduced(z)
    p = as_array(got, "softmax_reduced", describe(z), (3, 2), "n-1 scores give n probabilities")
    s = np.array([1 / (1 + math.exp(-v)) for v in z[:, 0]])
    idea = "with z_2 fixed at 0, e^{z_1} / (e^{z_1} + e^0) = sigma(z_1): softmax generalises it"
    check_close(p, np.stack([s, 1 - s], axis=1), "softmax_reduced", describe(z), idea)


@pytest.mark.points(1)
def test_softmax_reduced_adds_the_fixed_class(student):
    """n - 1 scores are enough: fix z_n = 0 and append its probability."""
    z = np.array([[0.0, 0.0, 0.0], [1.0, -1.0, 2.0], [1000.0, -1000.0, 0.0]])
    idea = "softmax is over-parameterised: fixing z_n = 0 still represents every distribution"
    p = as_array(
        call_keeping_inputs(student.output_units.softmax_reduced, "softmax_reduced", ["z"], z),
        "softmax_reduced",
        describe(z),
        (3, 4),
    )
    check_finite(p, "softmax_reduced", describe(z), SHIFT)
    e = [math.exp(1.0), math.exp(-1.0), math.exp(2.0), 1.0]  # z_4 = 0 adds e^0 = 1
    row1 = np.array(e) / sum(e)
    expected = np.array([[0.25] * 4, row1, [1.0, 0.0, 0.0, 0.0]])
    check_close(p, expected, "softmax_reduced", describe(z), idea, atol=1e-15)


@pytest.mark.points(1)
def test_one_hot(student):
    """The one-hot rows y of the cross-entropy -y (ln h^k)^T, as float64."""
    labels = np.array([2, 0, 1, 2])
    idea = "row r of y is 1 in column labels[r] and 0 elsewhere (classes counted from 0)"
    result = call_keeping_inputs(
        student.output_units.one_hot, "one_hot", ["labels", "n_classes"], labels, 3
    )
    got = as_array(result, "one_hot", describe(labels) + ", n_classes = 3", (4, 3), idea)
    expected = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=float)
    check_close(got, expected, "one_hot", describe(labels) + ", n_classes = 3", idea)
    as_array(
        result,
        "one_hot",
        describe(labels) + ", n_classes = 3",
        idea="y enters the loss as numbers: the docstring asks for float64 (np.zeros, not ints)",
        dtype=np.float64,
    )


@pytest.mark.points(1)
def test_mse_sums_over_outputs_and_averages_over_rows(student):
    """Squared error ||h^k - y||^2 sums over outputs; the batch loss is the mean over rows."""
    h, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [0.0, 4.0]])
    on = f"h = {describe(h)}, y = {describe(y)}"
    idea = "l = ||h^k - y||_2^2 summed over the outputs; the batch loss is the mean over rows"
    check_close(
        as_number(
            call_keeping_inputs(student.output_units.mse, "mse", ["h", "y"], h, y), "mse", on
        ),
        6.5,
        "mse",
        on,
        idea,
    )
    h, y = np.array([1.0, 2.0, 3.0]), np.zeros(3)
    on = f"h = {describe(h)}, y = {describe(y)} (one output)"
    check_close(as_number(student.output_units.mse(h, y), "mse", on), 14 / 3, "mse", on, idea)


@pytest.mark.points(1)
def test_binary_nll(student):
    """The binary negative log-likelihood -y ln p - (1 - y) ln(1 - p), mean over rows."""
    p, y = np.array([0.9, 0.2]), np.array([1.0, 0.0])
    on = f"p = {describe(p)}, y = {describe(y)}"
    idea = "l = -y ln p - (1 - y) ln(1 - p), averaged over the rows"
    got = as_number(
        call_keeping_inputs(student.output_units.binary_nll, "binary_nll", ["p", "y"], p, y),
        "binary_nll",
        on,
    )
    check_close(got, -(math.log(0.9) + math.log(0.8)) / 2, "binary_nll", on, idea)


@pytest.mark.points(1)
def test_binary_nll_of_certain_predictions(student):
    """0 ln 0 = 0: a certain, right prediction costs exactly 0, a certain, wrong one inf."""
    p, y = np.array([1.0, 0.0]), np.array([1.0, 0.0])
    on = f"p = {describe(p)}, y = {describe(y)} (certain and right)"
    with warnings_allowed():  # ln 0 may warn here; only the value counts
        got = as_number(student.output_units.binary_nll(p, y), "binary_nll", on)
    check_close(got, 0.0, "binary_nll", on, CERTAIN, rtol=0, atol=0)
    p = np.array([0.0, 1.0])
    on = f"p = {describe(p)}, y = {describe(y)} (certain and wrong)"
    with warnings_allowed():
        got = as_number(student.output_units.binary_nll(p, y), "binary_nll", on)
    check_true(got == math.inf, "binary_nll", on, f"returned {got}, expected inf", CERTAIN)


@pytest.mark.points(1)
def test_binary_nll_with_logits(student):
    """The binary NLL from the log-odds z: ln(1 + e^z) - y z, stable at |z| = 1000."""
    z, y = np.array([0.0, 2.0, -1.0]), np.array([1.0, 0.0, 1.0])
    on = f"z = {describe(z)}, y = {describe(y)}"
    expected = (math.log(2.0) + math.log1p(math.exp(2.0)) + math.log1p(math.exp(1.0))) / 3
    got = call_keeping_inputs(
        student.output_units.binary_nll_with_logits, "binary_nll_with_logits", ["z", "y"], z, y
    )
    got = as_number(got, "binary_nll_with_logits", on)
    idea = "-y ln sigma(z) - (1 - y) ln(1 - sigma(z)) = ln(1 + e^z) - y z"
    check_close(got, expected, "binary_nll_with_logits", on, idea)
    z, y = np.array([1000.0, -1000.0, 1000.0]), np.array([1.0, 0.0, 0.0])
    on = f"z = {describe(z)}, y = {describe(y)}"
    got = student.output_units.binary_nll_with_logits(z, y)
    got = as_number(got, "binary_nll_with_logits", on)
    check_finite(got, "binary_nll_with_logits", on, FROM_LOGITS)
    check_close(got, 1000.0 / 3, "binary_nll_with_logits", on, FROM_LOGITS)


@pytest.mark.points(1)
def test_cross_entropy_with_labels_and_one_hot(student):
    """Cross-entropy -y (ln h^k)^T picks -ln p of the true class; labels or one-hot rows."""
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    idea = "l = -y (ln h^k)^T picks ln p of the true class; the batch loss is the mean over rows"
    expected = -(math.log(0.7) + math.log(0.8)) / 2
    for y in (np.array([0, 2]), np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])):
        on = f"p = {describe(p)}, y = {describe(y)}"
        got = as_number(
            call_keeping_inputs(
                student.output_units.cross_entropy, "cross_entropy", ["p", "y"], p, y
            ),
            "cross_entropy",
            on,
        )
        check_close(got, expected, "cross_entropy", on, idea)


@pytest.mark.points(1)
def test_cross_entropy_of_certain_predictions(student):
    """0 ln 0 = 0: a certain, right prediction costs exactly 0, a certain, wrong one inf."""
    p, y = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), np.array([0, 2])
    on = f"p = {describe(p)}, y = {describe(y)} (certain and right)"
    with warnings_allowed():  # ln 0 may warn here; only the value counts
        got = as_number(student.output_units.cross_entropy(p, y), "cross_entropy", on)
    check_close(got, 0.0, "cross_entropy", on, CERTAIN, rtol=0, atol=0)
    p = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    on = f"p = {describe(p)}, y = {describe(y)} (the second row certain and wrong)"
    with warnings_allowed():
        got = as_number(student.output_units.cross_entropy(p, y), "cross_entropy", on)
    check_true(got == math.inf, "cross_entropy", on, f"returned {got}, expected inf", CERTAIN)


@pytest.mark.points(1)
def test_cross_entropy_with_logits(student):
    """Cross-entropy from the scores via log-softmax: finite at 1e4, alpha scales z."""
    z, y = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), np.array([0, 1])
    on = f"z = {describe(z)}, y = {describe(y)}"
    expected = -(math.log(_math_softmax(z[:1])[0, 0]) + math.log(1 / 3)) / 2
    got = call_keeping_inputs(
        student.output_units.cross_entropy_with_logits,
        "cross_entropy_with_logits",
        ["z", "y"],
        z,
        y,
    )
    got = as_number(got, "cross_entropy_with_logits", on)
    check_close(got, expected, "cross_entropy_with_logits", on, "-ln softmax(z)_y per row")
    z, y = np.array([[1e4, 0.0, -1e4]]), np.array([2])
    on = f"z = {describe(z)}, y = {describe(y)}"
    got = student.output_units.cross_entropy_with_logits(z, y)
    got = as_number(got, "cross_entropy_with_logits", on)
    check_finite(got, "cross_entropy_with_logits", on, FROM_LOGITS)
    check_close(got, 2e4, "cross_entropy_with_logits", on, FROM_LOGITS)
    z, y = np.array([[1.0, 0.0]]), np.array([1])
    on = f"z = {describe(z)}, y = {describe(y)}, alpha = 2"
    got = student.output_units.cross_entropy_with_logits(z, y, alpha=2.0)
    got = as_number(got, "cross_entropy_with_logits", on)
    check_close(got, math.log1p(math.exp(2.0)), "cross_entropy_with_logits", on, "alpha z")
