"""Exercise 2 (public tests): linear pieces of one-input ReLU networks, counted from the weights.

Every network here is small enough to work out by hand: each relu unit of the first layer kinks
where x W_j + b_j = 0, at x = -b_j / W_j; deeper units kink where their own z crosses 0.
"""

import numpy as np
import pytest
from _checks import as_array, as_number, call_keeping_inputs, check_close, check_true
from _networks import describe_network

pytestmark = [pytest.mark.ex2_linear_pieces, pytest.mark.filterwarnings("error::RuntimeWarning")]

KINKS = "each relu unit of the first layer kinks where x W_j + b_j = 0, at x = -b_j / W_j"


def _check_pieces(student, weights, biases, a, b, expected, idea, keep_inputs=False):
    on = f"{describe_network(weights, biases)} on [{a:g}, {b:g}]"
    pieces = student.linear_pieces
    if keep_inputs:  # one test checks that both functions leave the lists as they were
        names = ["weights", "biases", "a", "b"]
        got = call_keeping_inputs(pieces.breakpoints, "breakpoints", names, weights, biases, a, b)
        count = call_keeping_inputs(
            pieces.count_linear_pieces, "count_linear_pieces", names, weights, biases, a, b
        )
    else:
        got = pieces.breakpoints(weights, biases, a, b)
        count = pieces.count_linear_pieces(weights, biases, a, b)
    got = as_array(got, "breakpoints", on, (len(expected),), idea)
    check_close(got, np.asarray(expected, dtype=float), "breakpoints", on, idea, 1e-9, 1e-12)
    count = as_number(count, "count_linear_pieces", on, idea)
    check_true(
        count == len(expected) + 1,
        "count_linear_pieces",
        on,
        f"returned {count:g}, expected {len(expected) + 1}",
        idea,
    )


# f(x) = relu(x) - 2 relu(x - 1) + relu(0.5 - x): kinks at 0, 1 and 0.5, each a slope change
W1, B1 = np.array([[1.0], [1.0], [-1.0]]), np.array([0.0, -1.0, 0.5])
W2, B2 = np.array([[1.0, -2.0, 1.0]]), np.array([0.0])


@pytest.mark.points(1)
def test_one_hidden_layer_by_hand(student):
    """A width-3 layer kinks at -b_j / W_j: three kinks inside make four pieces."""
    _check_pieces(student, [W1, W2], [B1, B2], -1.0, 2.0, [0.0, 0.5, 1.0], KINKS, keep_inputs=True)


@pytest.mark.points(1)
def test_kinks_outside_or_at_the_ends_do_not_count(student):
    """Only kinks strictly inside (a, b) split [a, b]; a kink at an end splits nothing."""
    idea = KINKS + "; only kinks strictly inside (a, b) split the interval"
    _check_pieces(student, [W1, W2], [B1, B2], 0.25, 2.0, [0.5, 1.0], idea)
    _check_pieces(student, [W1, W2], [B1, B2], 0.0, 1.0, [0.5], idea)


@pytest.mark.points(1)
def test_kinks_that_cancel_or_coincide(student):
    """A breakpoint is where the slope changes: kinks that cancel, or coincide, count once."""
    # relu(x) - relu(-x) = x has no kink at 0; relu(x - 0.5) adds one at 0.5
    weights = [np.array([[1.0], [-1.0], [1.0]]), np.array([[1.0, -1.0, 1.0]])]
    biases = [np.array([0.0, 0.0, -0.5]), np.array([0.25])]
    idea = "a kink whose slope change is 0 is not a breakpoint: relu(x) - relu(-x) = x"
    _check_pieces(student, weights, biases, -1.0, 1.0, [0.5], idea)
    # two units with the same kink at 0.25: one breakpoint
    weights = [np.array([[1.0], [2.0]]), np.array([[1.0, 1.0]])]
    biases = [np.array([-0.25, -0.5]), np.array([0.0])]
    idea = "two units kinking at the same x make one breakpoint"
    _check_pieces(student, weights, biases, -1.0, 1.0, [0.25], idea)


@pytest.mark.points(2)
def test_deeper_layers_kink_where_their_z_crosses_zero(student):
    """A second layer's unit kinks where its own z crosses 0: depth composes kinks."""
    # h^1 = relu(x); h^2 = [relu(h^1), relu(h^1 - 1)]; f = h^2_1 + h^2_2: kinks at 0 and 1
    weights = [np.array([[1.0]]), np.array([[1.0], [1.0]]), np.array([[1.0, 1.0]])]
    biases = [np.array([0.0]), np.array([0.0, -1.0]), np.array([0.0])]
    idea = "on a piece where h^{i-1} = s x + c, unit u of layer i kinks at x = -C_u / S_u"
    _check_pieces(student, weights, biases, -1.0, 2.0, [0.0, 1.0], idea)
    # the tent map composed twice (written out): kinks at 0, 1/4, 1/2, 3/4 (0 is outside)
    weights = [
        np.array([[1.0], [1.0]]),
        np.array([[2.0, -4.0], [2.0, -4.0]]),
        np.array([[2.0, -4.0]]),
    ]
    biases = [np.array([0.0, -0.5]), np.array([0.0, -0.5]), np.array([0.0])]
    idea = "the second layer folds each piece of the first again: T(T(x)) has 4 pieces"
    _check_pieces(student, weights, biases, 0.1, 0.9, [0.25, 0.5, 0.75], idea)


@pytest.mark.points(1)
def test_exact_not_sampled(student):
    """Counted from the weights, not sampled: kinks 1e-5 apart are two kinks."""
    weights = [np.array([[1.0], [1.0]]), np.array([[1.0, 1.0]])]
    biases = [np.array([-0.3, -0.30001]), np.array([0.0])]
    idea = "find the kinks from the weights (x = -b_j / W_j), not from a grid of samples"
    _check_pieces(student, weights, biases, 0.0, 1.0, [0.3, 0.30001], idea)
