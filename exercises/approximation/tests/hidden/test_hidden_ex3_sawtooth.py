"""Exercise 3 (hidden tests): the sawtooth at other depths, its pieces, and composing networks."""

import numpy as np
import pytest
from _checks import check_close, check_raises_value_error, check_true
from _networks import as_network, forward

pytestmark = [pytest.mark.ex3_sawtooth, pytest.mark.filterwarnings("error::RuntimeWarning")]

X = np.linspace(0.0, 1.0, 257)
COMPOSE = "W = W_outer^1 W_inner^k, b = W_outer^1 b_inner^k + b_outer^1: k_in + k_out - 1 layers"
TENT = (
    [np.array([[1.0], [1.0]]), np.array([[2.0, -4.0]])],
    [np.array([0.0, -0.5]), np.array([0.0])],
)


def _tent(x, k=1):
    for _ in range(k):
        x = 1.0 - np.abs(2.0 * x - 1.0)
    return x


def _random_network(seed, sizes):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(n, p)) for p, n in zip(sizes[:-1], sizes[1:], strict=True)]
    return weights, [rng.normal(size=n) for n in sizes[1:]]


@pytest.mark.parametrize("k", [1, 2, 5, 8])
@pytest.mark.points(1)
def test_sawtooth_network(student, k):
    """T^k from k hidden layers of 2 units: 6k + 1 parameters, values T^k(x)."""
    on = f"sawtooth_network({k})"
    weights, biases = as_network(
        student.sawtooth.sawtooth_network(k), "sawtooth_network", on, [1] + [2] * k + [1]
    )
    parameters = sum(W.size + c.size for W, c in zip(weights, biases, strict=True))
    idea = "k layers of 2 units: 4 + 6 (k - 1) + 3 = 6k + 1 parameters, linear in k"
    check_true(
        parameters == 6 * k + 1, "sawtooth_network", on, f"has {parameters} parameters", idea
    )
    idea = "T^k is the tent map T(x) = 1 - |2x - 1| applied k times"
    check_close(
        forward(X, weights, biases),
        _tent(X, k),
        "sawtooth_network",
        on,
        idea,
        1e-9,
        1e-9,
        reveal=False,
    )


@pytest.mark.points(1)
def test_sawtooth_has_two_to_the_k_pieces(student, reference):
    """Depth buys pieces exponentially: T^k has 2^k linear pieces on [0, 1]."""
    idea = "each layer folds every piece in two: 2^k pieces from k layers of width 2"
    for k in (3, 7, 10):
        on = f"sawtooth_network({k}) on [0, 1]"
        weights, biases = as_network(student.sawtooth.sawtooth_network(k), "sawtooth_network", on)
        count = reference.linear_pieces.count_linear_pieces(weights, biases, 0.0, 1.0)
        check_true(count == 2**k, "sawtooth_network", on, f"has {count} linear pieces", idea)


@pytest.mark.points(1)
def test_compose_deeper_networks(student):
    """Composing a 1-3-3-2 and a 2-2-2-1 network gives 1-3-3-2-2-1: one layer merges."""
    inner, outer = _random_network(300, [1, 3, 3, 2]), _random_network(301, [2, 2, 2, 1])
    on = "inner: a random 1-3-3-2 relu network, outer: a random 2-2-2-1 relu network"
    weights, biases = as_network(
        student.sawtooth.compose(*inner, *outer), "compose", on, [1, 3, 3, 2, 2, 1], COMPOSE
    )
    x = np.linspace(-3, 3, 61)
    expected = forward(forward(x, *inner), *outer)
    check_close(forward(x, weights, biases), expected, "compose", on, COMPOSE, reveal=False)


@pytest.mark.points(1)
def test_compose_with_an_affine_inner_network(student):
    """An inner network without hidden layers (k = 1) merges entirely into outer's first layer."""
    inner = ([np.array([[2.0], [-1.0]])], [np.array([0.5, 1.0])])
    outer = _random_network(302, [2, 3, 1])
    on = "inner: one affine layer 1 -> 2, outer: a random 2-3-1 relu network"
    weights, biases = as_network(
        student.sawtooth.compose(*inner, *outer), "compose", on, [1, 3, 1], COMPOSE
    )
    x = np.linspace(-2, 2, 41)
    expected = forward(forward(x, *inner), *outer)
    check_close(forward(x, weights, biases), expected, "compose", on, COMPOSE, reveal=False)


@pytest.mark.points(1)
def test_compose_tent_with_tent(student):
    """compose(T, T) is T^2: two hidden layers of 2 units, 4 pieces."""
    on = "compose(T, T) with T = 2 relu(x) - 4 relu(x - 1/2)"
    weights, biases = as_network(
        student.sawtooth.compose(*TENT, *TENT), "compose", on, [1, 2, 2, 1], COMPOSE
    )
    check_close(
        forward(X, weights, biases), _tent(X, 2), "compose", on, COMPOSE, 1e-9, 1e-12, reveal=False
    )


@pytest.mark.points(1)
def test_compose_rejects_mismatched_widths(student):
    """Inner's output width must equal outer's input width; otherwise ValueError."""
    inner, outer = _random_network(303, [1, 3, 2]), _random_network(304, [3, 2, 1])
    fitting = _random_network(305, [2, 2, 1])
    as_network(student.sawtooth.compose(*inner, *fitting), "compose", "fitting widths 2 -> 2")
    check_raises_value_error(
        lambda: student.sawtooth.compose(*inner, *outer),
        "compose",
        "inner with 2 outputs, outer with 3 inputs",
        "outer(inner(x)) needs outer's W^1 to have as many columns as inner has outputs",
    )
