"""Exercise 4 (hidden tests): softmax with n - 1 parameters on more inputs and extremes."""

import numpy as np
import pytest
from _checks import as_array, check_close, check_finite

pytestmark = [pytest.mark.ex4_softmax_reduced, pytest.mark.filterwarnings("error::RuntimeWarning")]

REDUCED = "fix z_n = 0: Pr(Y = i) = e^{z_i} / (1 + sum_{j<n} e^{z_j}), Pr(Y = n) = 1 / (1 + ...)"
SHIFT = "shift the scores [z, 0] by their maximum before exponentiating: nothing overflows"
Z = np.random.default_rng(400).normal(scale=4.0, size=(6, 4))
HUGE = np.array([[1e4, -1e4, 5e3], [-1e4, -1e4, -1e4], [3.0, 1e4, 1e4]])


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.points(1)
def test_softmax_reduced_random(student, reference):
    """n - 1 = 4 scores per row give 5 probabilities on a (6, 4) batch."""
    on = "a (6, 4) batch of scores of scale 4"
    got = as_array(
        student.softmax_reduced.softmax_reduced(Z), "softmax_reduced", on, (6, 5), REDUCED
    )
    check_close(
        got,
        reference.softmax_reduced.softmax_reduced(Z),
        "softmax_reduced",
        on,
        REDUCED,
        reveal=False,
    )


@pytest.mark.points(1)
def test_softmax_reduced_huge_scores(student, reference):
    """Scores of +-1e4 with the fixed 0: finite, rows summing to 1."""
    on = "scores up to +-1e4, shape (3, 3)"
    got = as_array(
        student.softmax_reduced.softmax_reduced(HUGE), "softmax_reduced", on, (3, 4), SHIFT
    )
    check_finite(got, "softmax_reduced", on, SHIFT)
    check_close(got.sum(axis=1), np.ones(3), "softmax_reduced row sums", on, SHIFT, reveal=False)
    expected = reference.softmax_reduced.softmax_reduced(HUGE)
    check_close(got, expected, "softmax_reduced", on, SHIFT, atol=1e-15, reveal=False)


@pytest.mark.points(1)
def test_one_data_point(student, reference):
    """One data point: (n - 1,) scores give (n,) probabilities and log-probabilities."""
    z = np.array([1.5, -0.5, 2.0, 0.0])
    on = "z of shape (4,)"
    got = as_array(student.softmax_reduced.softmax_reduced(z), "softmax_reduced", on, (5,), REDUCED)
    check_close(
        got,
        reference.softmax_reduced.softmax_reduced(z),
        "softmax_reduced",
        on,
        REDUCED,
        reveal=False,
    )
    got = as_array(
        student.softmax_reduced.log_softmax_reduced(z), "log_softmax_reduced", on, (5,), SHIFT
    )
    expected = reference.softmax_reduced.log_softmax_reduced(z)
    check_close(got, expected, "log_softmax_reduced", on, SHIFT, reveal=False)


@pytest.mark.points(1)
def test_log_softmax_reduced_random_and_huge(student, reference):
    """Log-probabilities from the shifted scores, finite at +-1e4."""
    for z, on in ((Z, "a (6, 4) batch of scale 4"), (HUGE, "scores up to +-1e4, shape (3, 3)")):
        got = student.softmax_reduced.log_softmax_reduced(z)
        got = as_array(got, "log_softmax_reduced", on, (z.shape[0], z.shape[1] + 1), SHIFT)
        check_finite(got, "log_softmax_reduced", on, SHIFT)
        expected = reference.softmax_reduced.log_softmax_reduced(z)
        check_close(got, expected, "log_softmax_reduced", on, SHIFT, 1e-9, 1e-9, reveal=False)


@pytest.mark.points(1)
def test_exp_of_log_softmax_reduced_is_softmax_reduced(student):
    """exp(log_softmax_reduced(z)) = softmax_reduced(z)."""
    on = "a (6, 4) batch of scale 4"
    log_p = as_array(
        student.softmax_reduced.log_softmax_reduced(Z), "log_softmax_reduced", on, (6, 5)
    )
    p = as_array(student.softmax_reduced.softmax_reduced(Z), "softmax_reduced", on, (6, 5))
    idea = "the log-probabilities and the probabilities describe the same distribution"
    check_close(np.exp(log_p), p, "exp(log_softmax_reduced)", on, idea, 1e-9, 1e-15)


@pytest.mark.points(1)
def test_reduced_scores_give_the_same_probabilities(student, reference):
    """softmax(z) = softmax_reduced(z_i - z_n): the n-th score carries no information."""
    z = np.random.default_rng(401).normal(scale=3.0, size=(5, 4))
    on = "a (5, 4) batch of scores"
    got = as_array(student.softmax_reduced.reduce_scores(z), "reduce_scores", on, (5, 3))
    idea = "softmax is invariant to translation: subtracting z_n gives the same distribution"
    probabilities = reference.softmax_reduced.softmax_reduced(got)
    check_close(
        probabilities,
        _softmax(z),
        "softmax_reduced(reduce_scores(z))",
        on,
        idea,
        1e-9,
        reveal=False,
    )


@pytest.mark.points(1)
def test_reduce_scores_of_one_vector(student):
    """One data point: (n,) scores become (n - 1,) scores relative to the last."""
    z = np.array([3.0, -1.0, 0.5, 2.0])
    on = "z = [3, -1, 0.5, 2]"
    got = as_array(student.softmax_reduced.reduce_scores(z), "reduce_scores", on, (3,))
    idea = "z_i - z_n moves the last score to 0"
    check_close(got, np.array([1.0, -3.0, -1.5]), "reduce_scores", on, idea, reveal=False)
