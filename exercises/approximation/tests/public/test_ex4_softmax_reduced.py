"""Exercise 4 (public tests): softmax with n - 1 parameters, from closed forms.

One test per function (by hand, the log-probabilities, reduce_scores) also checks that the call
left z as it was.
"""

import math

import numpy as np
import pytest
from _checks import as_array, call_keeping_inputs, check_close, check_finite, describe

pytestmark = [pytest.mark.ex4_softmax_reduced, pytest.mark.filterwarnings("error::RuntimeWarning")]

REDUCED = "fix z_n = 0: Pr(Y = i) = e^{z_i} / (1 + sum_{j<n} e^{z_j}), Pr(Y = n) = 1 / (1 + ...)"
SHIFT = "shift the scores [z, 0] by their maximum before exponentiating: nothing overflows"


@pytest.mark.points(1)
def test_two_classes_is_the_sigmoid(student):
    """With n = 2, e^{z_1} / (e^{z_1} + e^0) = sigma(z_1): softmax generalises the sigmoid."""
    z = np.array([[-2.0], [0.0], [3.0]])
    got = student.softmax_reduced.softmax_reduced(z)
    got = as_array(
        got, "softmax_reduced", describe(z), (3, 2), "n - 1 = 1 score gives 2 probabilities"
    )
    s = np.array([1 / (1 + math.exp(-v)) for v in z[:, 0]])
    idea = "with n = 2, Pr(Y = 1) = sigma(z_1) and Pr(Y = 2) = 1 - sigma(z_1)"
    check_close(got, np.stack([s, 1 - s], axis=1), "softmax_reduced", describe(z), idea)


@pytest.mark.points(1)
def test_softmax_reduced_by_hand(student):
    """n - 1 scores give n probabilities: the fixed score z_n = 0 contributes e^0 = 1."""
    z = np.array([[0.0, 0.0], [math.log(2.0), math.log(5.0)]])
    got = call_keeping_inputs(student.softmax_reduced.softmax_reduced, "softmax_reduced", ["z"], z)
    got = as_array(got, "softmax_reduced", describe(z), (2, 3), REDUCED)
    expected = np.array([[1 / 3, 1 / 3, 1 / 3], [2 / 8, 5 / 8, 1 / 8]])
    check_close(got, expected, "softmax_reduced", describe(z), REDUCED)
    z = np.array([math.log(3.0)])
    got = as_array(student.softmax_reduced.softmax_reduced(z), "softmax_reduced", describe(z), (2,))
    check_close(got, np.array([0.75, 0.25]), "softmax_reduced", describe(z), REDUCED)


@pytest.mark.points(1)
def test_softmax_reduced_is_stable(student):
    """Scores of +-1e4 with the fixed 0: shift by the maximum, no overflow, no nan."""
    z = np.array([[1e4, -1e4], [-1e4, -1e4]])
    got = as_array(
        student.softmax_reduced.softmax_reduced(z), "softmax_reduced", describe(z), (2, 3)
    )
    check_finite(got, "softmax_reduced", describe(z), SHIFT)
    check_close(
        got,
        np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
        "softmax_reduced",
        describe(z),
        SHIFT,
        atol=1e-15,
    )


@pytest.mark.points(1)
def test_log_softmax_reduced(student):
    """ln Pr(Y = i) = s_i - ln sum_j e^{s_j}, s = [z, 0] minus its maximum: finite everywhere."""
    z = np.array([[math.log(2.0), math.log(5.0)], [1e4, -1e4]])
    got = call_keeping_inputs(
        student.softmax_reduced.log_softmax_reduced, "log_softmax_reduced", ["z"], z
    )
    got = as_array(got, "log_softmax_reduced", describe(z), (2, 3), SHIFT)
    check_finite(got, "log_softmax_reduced", describe(z), SHIFT)
    expected = np.array([[math.log(2 / 8), math.log(5 / 8), math.log(1 / 8)], [0.0, -2e4, -1e4]])
    idea = "log-probabilities from the shifted scores stay finite where a probability underflows"
    check_close(got, expected, "log_softmax_reduced", describe(z), idea)


@pytest.mark.points(1)
def test_reduce_scores(student):
    """softmax(z + c) = softmax(z): subtracting z_n leaves n - 1 scores, same probabilities."""
    z = np.array([[1.0, 2.0, 4.0], [0.5, -0.5, 0.0]])
    got = as_array(
        call_keeping_inputs(student.softmax_reduced.reduce_scores, "reduce_scores", ["z"], z),
        "reduce_scores",
        describe(z),
        (2, 2),
    )
    idea = "translation invariance: z_i - z_n gives the same softmax and fixes the last score at 0"
    check_close(got, np.array([[-3.0, -2.0], [0.5, -0.5]]), "reduce_scores", describe(z), idea)
