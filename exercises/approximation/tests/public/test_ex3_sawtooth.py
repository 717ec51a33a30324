"""Exercise 3 (public tests): the tent map, composing networks, and the sawtooth T^k.

T(x) = 1 - |2x - 1| on [0, 1]; T^k is T applied k times, computed here one number at a time.
"""

import numpy as np
import pytest
from _checks import call_keeping_inputs, check_close, describe
from _networks import as_network, forward

pytestmark = [pytest.mark.ex3_sawtooth, pytest.mark.filterwarnings("error::RuntimeWarning")]

X = np.linspace(0.0, 1.0, 97)


def _tent(x, k=1):
    for _ in range(k):
        x = 1.0 - np.abs(2.0 * x - 1.0)
    return x


@pytest.mark.points(1)
def test_tent_network(student):
    """T(x) = 2x on [0, 1/2] and 2 - 2x on [1/2, 1], with one hidden layer of 2 relu units."""
    on = "tent_network() on 97 points of [0, 1]"
    weights, biases = as_network(student.sawtooth.tent_network(), "tent_network", on, [1, 2, 1])
    idea = "T(x) = 2 relu(x) - 4 relu(x - 1/2): the second hinge turns slope 2 into -2 at 1/2"
    check_close(forward(X, weights, biases), _tent(X), "tent_network", on, idea, 1e-12, 1e-12)


@pytest.mark.points(2)
def test_compose_merges_the_affine_layers(student):
    """outer(inner(x)) needs no extra layer: inner's output layer merges into outer's first."""
    rng = np.random.default_rng(3)
    inner = (
        [rng.normal(size=(3, 1)), rng.normal(size=(2, 3))],
        [rng.normal(size=3), rng.normal(size=2)],
    )
    outer = (
        [rng.normal(size=(4, 2)), rng.normal(size=(1, 4))],
        [rng.normal(size=4), rng.normal(size=1)],
    )
    on = "inner: a random 1-3-2 relu network, outer: a random 2-4-1 relu network"
    result = call_keeping_inputs(
        student.sawtooth.compose,
        "compose",
        ["inner_weights", "inner_biases", "outer_weights", "outer_biases"],
        *inner,
        *outer,
    )
    idea = "W = W_outer^1 W_inner^k, b = W_outer^1 b_inner^k + b_outer^1: k_in + k_out - 1 layers"
    weights, biases = as_network(result, "compose", on, [1, 3, 4, 1], idea)
    x = np.linspace(-2, 2, 41)
    expected = forward(forward(x, *inner), *outer)
    check_close(forward(x, weights, biases), expected, "compose", on + f", x = {describe(x)}", idea)


@pytest.mark.points(2)
def test_sawtooth_network_of_depth_three(student):
    """T^3: three hidden layers of 2 units, 19 parameters, 8 linear pieces."""
    on = "sawtooth_network(3)"
    weights, biases = as_network(
        student.sawtooth.sawtooth_network(3), "sawtooth_network", on, [1, 2, 2, 2, 1]
    )
    idea = "T^k is T composed k times: k hidden layers of 2 units give 2^k pieces"
    check_close(
        forward(X, weights, biases), _tent(X, 3), "sawtooth_network", on, idea, 1e-12, 1e-12
    )
    dyadic = np.arange(9) / 8
    zigzag = np.array([0.0, 1.0] * 4 + [0.0])
    idea = "T^3 zigzags between 0 and 1: 0 at the multiples of 1/4, 1 at the odd eighths"
    check_close(
        forward(dyadic, weights, biases), zigzag, "sawtooth_network", on + " at j/8", idea, 0, 1e-12
    )
