"""Exercise 1 (hidden tests): the forward pass on more networks; the step and hinge networks for
every target, their error bounds and how fast the error falls with the width n."""

import math

import numpy as np
import pytest
from _checks import as_array, check_close, check_raises_value_error, check_true
from _networks import as_network, forward

pytestmark = [pytest.mark.ex1_hand_networks, pytest.mark.filterwarnings("error::RuntimeWarning")]

FORWARD = "z^i = h^{i-1} W^{iT} + b^i, h^i = sigma(z^i) for hidden layers, h^k = z^k"
STEPS = "n steps make n + 1 levels: f(c_j) on bin j, c_j the bin's centre"
HINGES = "n hinges make the piecewise-linear interpolant: f at the knots, linear between"
TARGETS = {
    "sine": np.sin,
    "square": np.square,
    "abs": np.abs,
    "exp": np.exp,
    "cubic": lambda x: x**3 - x,
}
CASES = {
    "sine": (-1.0, 4.0, 7),
    "square": (0.5, 2.0, 3),
    "abs": (-3.0, 1.0, 9),
    "exp": (-2.0, 1.0, 5),
    "cubic": (-1.5, 1.5, 10),
}


def _random_network(seed, sizes):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(n, p)) for p, n in zip(sizes[:-1], sizes[1:], strict=True)]
    return weights, [rng.normal(size=n) for n in sizes[1:]]


@pytest.mark.parametrize("hidden", ["relu", "step", "identity"])
@pytest.mark.points(1)
def test_network_output_random_networks(student, reference, hidden):
    """The forward pass through three hidden layers of one activation, on a batch x (m,)."""
    weights, biases = _random_network(100, [1, 5, 4, 3, 2])
    x = np.random.default_rng(101).normal(scale=2.0, size=9)
    on = f"x of shape (9,), a random 1-5-4-3-2 {hidden} network"
    got = student.hand_networks.network_output(x, weights, biases, hidden)
    got = as_array(got, "network_output", on, (9, 2), FORWARD)
    expected = reference.hand_networks.network_output(x, weights, biases, hidden)
    check_close(got, expected, "network_output", on, FORWARD, reveal=False)


@pytest.mark.points(1)
def test_network_output_rejects_an_unknown_activation(student):
    """An unknown hidden activation name raises ValueError instead of guessing."""
    weights, biases = _random_network(102, [1, 3, 1])
    x = np.linspace(-1, 1, 5)
    as_array(
        student.hand_networks.network_output(x, weights, biases, "relu"),
        "network_output",
        "relu",
        (5, 1),
    )
    check_raises_value_error(
        lambda: student.hand_networks.network_output(x, weights, biases, "tanh"),
        "network_output",
        'hidden = "tanh" (not one of relu, step, identity)',
        "the hidden activation is named: relu, step or identity; any other name is an error",
    )


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.points(1)
def test_step_network_every_target(student, target):
    """For every target, bin j of the step network is the level f(c_j)."""
    a, b, n = CASES[target]
    on = f"target {target!r} on [{a:g}, {b:g}] with n = {n} units"
    weights, biases = as_network(
        student.hand_networks.step_network(target, a, b, n), "step_network", on, [1, n, 1]
    )
    width = (b - a) / (n + 1)
    centres = a + (np.arange(n + 1) + 0.5) * width
    inside = np.concatenate([centres - 0.3 * width, centres, centres + 0.3 * width])
    got = forward(inside, weights, biases, "step")
    expected = TARGETS[target](np.tile(centres, 3))
    check_close(got, expected, "step_network's f_hat", on, STEPS, 1e-9, 1e-12, reveal=False)


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.points(1)
def test_hinge_network_every_target(student, target):
    """For every target, the hinge network is f at the knots and linear between."""
    a, b, n = CASES[target]
    on = f"target {target!r} on [{a:g}, {b:g}] with n = {n} units"
    weights, biases = as_network(
        student.hand_networks.hinge_network(target, a, b, n), "hinge_network", on, [1, n, 1]
    )
    knots = np.linspace(a, b, n + 1)
    f = TARGETS[target](knots)
    points = np.concatenate([knots, knots[:-1] + 0.7 * np.diff(knots)])
    expected = np.concatenate([f, f[:-1] + 0.7 * np.diff(f)])
    got = forward(points, weights, biases)
    check_close(got, expected, "hinge_network's f_hat", on, HINGES, 1e-9, 1e-12, reveal=False)


def _sup_error(weights, biases, hidden, target, a, b):
    x = np.linspace(a, b, 20001)
    return float(np.max(np.abs(forward(x, weights, biases, hidden) - TARGETS[target](x))))


@pytest.mark.points(1)
def test_step_error_falls_like_one_over_n(student):
    """Width buys accuracy: the step network's error is at most h/2 max|f'|, so O(1/n)."""
    errors = []
    for n in (8, 16, 32):
        on = f"target 'sine' on [0, 2 pi] with n = {n} units"
        network = student.hand_networks.step_network("sine", 0.0, 2 * math.pi, n)
        weights, biases = as_network(network, "step_network", on, [1, n, 1])
        error = _sup_error(weights, biases, "step", "sine", 0.0, 2 * math.pi)
        bound = (2 * math.pi / (n + 1)) / 2  # h/2 max|cos|
        idea = "a step network's error is at most h/2 max|f'| with h = (b - a) / (n + 1)"
        check_true(error <= bound * (1 + 1e-9), "step_network", on, f"has error {error:.3g}", idea)
        errors.append(error)
    idea = "four times the width, a quarter of the error: the step network errs by O(1/n)"
    on = "target 'sine' on [0, 2 pi], n = 8, 16, 32"
    check_true(
        0.2 < errors[2] / errors[0] < 0.33,
        "step_network",
        on,
        "error did not fall like 1/n",
        idea,
    )


@pytest.mark.points(1)
def test_hinge_error_falls_like_one_over_n_squared(student):
    """Hinges beat steps: the error is at most h^2/8 max|f''|, so O(1/n^2)."""
    errors = []
    for n in (8, 16, 32):
        on = f"target 'sine' on [0, 2 pi] with n = {n} units"
        network = student.hand_networks.hinge_network("sine", 0.0, 2 * math.pi, n)
        weights, biases = as_network(network, "hinge_network", on, [1, n, 1])
        error = _sup_error(weights, biases, "relu", "sine", 0.0, 2 * math.pi)
        bound = (2 * math.pi / n) ** 2 / 8  # h^2/8 max|sin|
        idea = "the interpolant's error is at most h^2/8 max|f''| with h = (b - a) / n"
        check_true(error <= bound * (1 + 1e-9), "hinge_network", on, f"has error {error:.3g}", idea)
        errors.append(error)
    idea = "four times the width, a sixteenth of the error: the hinge network errs by O(1/n^2)"
    on = "target 'sine' on [0, 2 pi], n = 8, 16, 32"
    check_true(
        0.05 < errors[2] / errors[0] < 0.08,
        "hinge_network",
        on,
        "error did not fall like 1/n^2",
        idea,
    )


@pytest.mark.points(1)
def test_one_unit(student):
    """The narrowest networks: one step gives two levels, one hinge gives the chord."""
    on = "target 'exp' on [0, 1] with n = 1 unit"
    weights, biases = as_network(
        student.hand_networks.step_network("exp", 0.0, 1.0, 1), "step_network", on, [1, 1, 1]
    )
    got = forward(np.array([0.1, 0.4, 0.6, 0.9]), weights, biases, "step")
    expected = np.exp([0.25, 0.25, 0.75, 0.75])
    check_close(got, expected, "step_network's f_hat", on, STEPS, 1e-9, reveal=False)
    weights, biases = as_network(
        student.hand_networks.hinge_network("exp", 0.0, 1.0, 1), "hinge_network", on, [1, 1, 1]
    )
    x = np.linspace(0, 1, 11)
    chord = 1 + (math.e - 1) * x
    check_close(
        forward(x, weights, biases), chord, "hinge_network's f_hat", on, HINGES, 1e-9, reveal=False
    )
