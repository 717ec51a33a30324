"""Exercise 2 (hidden tests): linear pieces of random and structured ReLU networks.

Every network here keeps distinct kinks far apart (at least 1e-3 of the interval) and real slope
changes far from 0, so any tolerance the docstring allows gives the same answer.
"""

import numpy as np
import pytest
from _checks import as_array, as_number, check_close, check_true
from _networks import describe_network

pytestmark = [pytest.mark.ex2_linear_pieces, pytest.mark.filterwarnings("error::RuntimeWarning")]

PIECES = "on a piece where h^{i-1} = s x + c, unit u of layer i kinks at x = -C_u / S_u"


def _random_network(seed, sizes):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(n, p)) for p, n in zip(sizes[:-1], sizes[1:], strict=True)]
    return weights, [rng.normal(size=n) for n in sizes[1:]]


def _compare(student, reference, weights, biases, a, b, idea, on=None):
    on = on or f"{describe_network(weights, biases)} on [{a:g}, {b:g}]"
    expected = reference.linear_pieces.breakpoints(weights, biases, a, b)
    got = as_array(student.linear_pieces.breakpoints(weights, biases, a, b), "breakpoints", on)
    found = f"returned {got.size} breakpoints (shape {got.shape}), which is wrong"
    check_true(got.shape == expected.shape, "breakpoints", on, found, idea)  # hides the count
    check_close(got, expected, "breakpoints", on, idea, 1e-9, 1e-9 * (b - a), reveal=False)
    count = as_number(
        student.linear_pieces.count_linear_pieces(weights, biases, a, b), "count_linear_pieces", on
    )
    check_true(
        count == len(expected) + 1,
        "count_linear_pieces",
        on,
        f"returned {count:g}, which is wrong",
        idea,
    )


@pytest.mark.parametrize(("seed", "width"), [(701, 3), (702, 8), (703, 20)])
@pytest.mark.points(1)
def test_random_one_hidden_layer(student, reference, seed, width):
    """One hidden layer: a kink per unit whose -b_j / W_j lies inside (a, b)."""
    weights, biases = _random_network(seed, [1, width, 1])
    on = f"a random 1-{width}-1 network on [-3, 3]"
    _compare(
        student, reference, weights, biases, -3.0, 3.0, "each unit kinks at x = -b_j / W_j", on
    )


@pytest.mark.parametrize(
    ("seed", "sizes"), [(711, [1, 6, 6, 1]), (712, [1, 4, 4, 4, 1]), (713, [1, 8, 8, 1])]
)
@pytest.mark.points(1)
def test_random_deep_networks(student, reference, seed, sizes):
    """Deeper layers kink where their own z crosses 0 on each piece of the layer below."""
    weights, biases = _random_network(seed, sizes)
    on = f"a random {'-'.join(map(str, sizes))} network on [-3, 3]"
    _compare(student, reference, weights, biases, -3.0, 3.0, PIECES, on)


@pytest.mark.points(1)
def test_width_bounds_the_pieces(student):
    """Width controls pieces: n units of one layer make at most n + 1 pieces, here exactly."""
    n = 7
    kinks = np.linspace(-0.9, 0.9, n)
    weights = [np.ones((n, 1)), np.arange(1.0, n + 1)[None, :]]
    biases = [-kinks, np.array([0.5])]
    on = f"a 1-{n}-1 network with kinks at {np.round(kinks, 2).tolist()} on [-1, 1]"
    idea = "one hidden layer of n units has at most n + 1 pieces: width controls the pieces"
    count = as_number(
        student.linear_pieces.count_linear_pieces(weights, biases, -1.0, 1.0),
        "count_linear_pieces",
        on,
    )
    check_true(count == n + 1, "count_linear_pieces", on, f"returned {count:g}", idea)
    for seed in range(720, 730):
        w, c = _random_network(seed, [1, n, 1])
        on = f"a random 1-{n}-1 network (seed {seed}) on [-3, 3]"
        count = as_number(
            student.linear_pieces.count_linear_pieces(w, c, -3.0, 3.0), "count_linear_pieces", on
        )
        check_true(1 <= count <= n + 1, "count_linear_pieces", on, f"returned {count:g}", idea)


@pytest.mark.points(1)
def test_deep_sawtooth_weights(student, reference):
    """Depth multiplies pieces: T^6 has 64 pieces on [0, 1], 58 of them on [0.05, 0.95]."""
    weights, biases = reference.sawtooth.sawtooth_network(6)
    on = "the sawtooth T^6 (sizes 1-2-2-2-2-2-2-1) on [0.05, 0.95]"
    idea = "each layer of the sawtooth folds every piece in two: 2^6 pieces on [0, 1] from 6 layers"
    _compare(student, reference, weights, biases, 0.05, 0.95, idea, on)


@pytest.mark.points(1)
def test_a_wide_interval(student, reference):
    """Tolerances are relative to the interval: kinks at +-500 and 250.5 on [-1000, 1000]."""
    weights = [np.array([[1.0], [1.0], [2.0]]), np.array([[1.0, -3.0, 2.0]])]
    biases = [np.array([500.0, -500.0, -501.0]), np.array([7.0])]
    idea = "each unit kinks at -b_j / W_j; compare breakpoints relative to b - a"
    _compare(student, reference, weights, biases, -1000.0, 1000.0, idea)


@pytest.mark.points(1)
def test_dead_and_flat_units(student, reference):
    """A unit that is off on all of [a, b], or has W = 0, adds no kink; the others still do."""
    weights = [np.array([[1.0], [0.0], [-1.0], [2.0]]), np.array([[3.0, 5.0, -2.0, 1.0]])]
    biases = [np.array([-5.0, 1.0, -4.0, 0.5]), np.array([0.0])]
    on = f"{describe_network(weights, biases)} on [-2, 2]"
    idea = "a unit off everywhere on [a, b] (kink outside) or with W = 0 (no kink) adds no piece"
    _compare(student, reference, weights, biases, -2.0, 2.0, idea, on)
