"""Exercise 1 (public tests): a forward pass, and the step and hinge networks written by hand.

Your networks are run by the tests' own forward pass (tests/public/_networks.py) and compared
with closed forms: the step network is constant f(c_j) inside bin j, the hinge network equals f
at the knots and is linear between them. The forward pass by hand also checks that
network_output left x and the lists of weights and biases as they were.
"""

import math

import numpy as np
import pytest
from _checks import as_array, call_keeping_inputs, check_close, describe
from _networks import as_network, describe_network, forward

pytestmark = [pytest.mark.ex1_hand_networks, pytest.mark.filterwarnings("error::RuntimeWarning")]

FORWARD = "z^i = h^{i-1} W^{iT} + b^i, h^i = sigma(z^i) for hidden layers, h^k = z^k"
STEPS = (
    "n steps H(x - e_j) make n + 1 levels: on bin j the network is f(c_j), the target at the "
    "bin's centre; each unit steps by the change of level at its edge"
)
HINGES = (
    "n hinges relu(x - x_j) make the piecewise-linear interpolant: f at every knot, linear "
    "between; each hinge changes the slope by the change of the chord's slope"
)
TARGETS = {"sine": np.sin, "square": np.square, "abs": np.abs}


def _output(student, x, weights, biases, hidden, on, keep_inputs=False):
    args = (x, weights, biases, hidden)
    if keep_inputs:
        names = ["x", "weights", "biases", "hidden"]
        got = call_keeping_inputs(
            student.hand_networks.network_output, "network_output", names, *args
        )
    else:
        got = student.hand_networks.network_output(*args)
    return as_array(got, "network_output", on, (len(x), np.shape(weights[-1])[0]), FORWARD)


@pytest.mark.points(1)
def test_network_output_relu_by_hand(student):
    """The forward pass of a one-hidden-layer relu network, worked out by hand."""
    W1, b1 = np.array([[1.0], [-1.0]]), np.array([0.0, 1.0])
    W2, b2 = np.array([[2.0, 3.0]]), np.array([-1.0])
    x = np.array([-2.0, 0.5, 3.0])
    on = f"x = {describe(x)}, {describe_network([W1, W2], [b1, b2])}, relu"
    # z^1 = [x, 1 - x]; h^1 = relu; h^2 = 2 relu(x) + 3 relu(1 - x) - 1
    expected = np.array([[8.0], [1.5], [5.0]])
    got = _output(student, x, [W1, W2], [b1, b2], "relu", on, keep_inputs=True)
    check_close(got, expected, "network_output", on, FORWARD)


@pytest.mark.points(1)
def test_network_output_step_and_identity(student):
    """The unit step H(z) = 1 for z > 0, else 0, and the identity as hidden activations."""
    W1, b1 = np.array([[1.0], [2.0]]), np.array([-1.0, 1.0])
    W2, b2 = np.array([[1.0, 10.0]]), np.array([0.5])
    x = np.array([-3.0, 0.0, 2.0])  # z^1 = [x - 1, 2x + 1]: never exactly 0 here
    on = f"x = {describe(x)}, {describe_network([W1, W2], [b1, b2])}"
    got = _output(student, x, [W1, W2], [b1, b2], "step", on + ", step")
    idea = "the step H(z) = 1 for z > 0, 0 for z < 0: a unit is on or off"
    check_close(got, np.array([[0.5], [10.5], [11.5]]), "network_output", on + ", step", idea)
    got = _output(student, x, [W1, W2], [b1, b2], "identity", on + ", identity")
    idea = "identity hidden layers make the whole network affine: (x - 1) + 10 (2x + 1) + 0.5"
    expected = (x - 1 + 10 * (2 * x + 1) + 0.5)[:, None]
    check_close(got, expected, "network_output", on + ", identity", idea)


@pytest.mark.points(1)
def test_network_output_deep_batch(student):
    """A deeper relu network on a batch with two inputs per data point, one per row."""
    rng = np.random.default_rng(1)
    sizes = [2, 4, 3, 2]
    weights = [rng.normal(size=(n, p)) for p, n in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.normal(size=n) for n in sizes[1:]]
    x = rng.normal(size=(5, 2))
    on = "x of shape (5, 2), a 2-4-3-2 relu network"
    got = student.hand_networks.network_output(x, weights, biases, "relu")
    got = as_array(got, "network_output", on, (5, 2), FORWARD)
    check_close(got, forward(x, weights, biases, "relu"), "network_output", on, FORWARD)


def _inside_bins(a, b, n):
    """Points inside the n + 1 bins (centres and quarter points, never an edge), their centres."""
    width = (b - a) / (n + 1)
    centres = a + (np.arange(n + 1) + 0.5) * width
    inside = np.concatenate([centres - width / 4, centres, centres + width / 4])
    return inside, np.tile(centres, 3)


@pytest.mark.parametrize(
    ("target", "a", "b", "n"), [("square", -1.0, 1.0, 4), ("sine", 0.0, 3.0, 5)]
)
@pytest.mark.points(1)
def test_step_network_levels(student, target, a, b, n):
    """Steps make bumps: n step units give n + 1 levels, f(c_j) on bin j."""
    on = f"target {target!r} on [{a:g}, {b:g}] with n = {n} units"
    result = student.hand_networks.step_network(target, a, b, n)
    weights, biases = as_network(result, "step_network", on, sizes=[1, n, 1])
    inside, centre_of = _inside_bins(a, b, n)
    got = forward(inside, weights, biases, "step")
    check_close(got, TARGETS[target](centre_of), "step_network's f_hat", on, STEPS, 1e-9, 1e-12)


@pytest.mark.parametrize(
    ("target", "a", "b", "n"), [("sine", 0.0, math.pi, 6), ("square", -2.0, 1.0, 3)]
)
@pytest.mark.points(1)
def test_hinge_network_interpolates(student, target, a, b, n):
    """Hinges make the interpolant: f at every knot, linear between the knots."""
    on = f"target {target!r} on [{a:g}, {b:g}] with n = {n} units"
    result = student.hand_networks.hinge_network(target, a, b, n)
    weights, biases = as_network(result, "hinge_network", on, sizes=[1, n, 1])
    knots = np.linspace(a, b, n + 1)
    f = TARGETS[target](knots)
    check_close(forward(knots, weights, biases), f, "hinge_network at the knots", on, HINGES, 1e-9)
    thirds = knots[:-1] + (knots[1:] - knots[:-1]) / 3
    between = f[:-1] + (f[1:] - f[:-1]) / 3  # one third along each chord
    check_close(
        forward(thirds, weights, biases),
        between,
        "hinge_network between knots",
        on,
        HINGES,
        1e-9,
        1e-12,
    )


@pytest.mark.points(1)
def test_hinge_network_of_abs_is_exact(student):
    """|x| is two hinges: the network with knots -1, 0, 1 is |x| itself on [-1, 1]."""
    on = "target 'abs' on [-1, 1] with n = 2 units"
    weights, biases = as_network(
        student.hand_networks.hinge_network("abs", -1.0, 1.0, 2), "hinge_network", on, [1, 2, 1]
    )
    x = np.linspace(-1, 1, 41)
    idea = "|x| is piecewise linear with one kink: the interpolant at knots -1, 0, 1 is exact"
    check_close(forward(x, weights, biases), np.abs(x), "hinge_network", on, idea, 1e-9, 1e-12)
