"""Exercise 4 (public tests): the forward pass and backpropagation through an MLP.

A tiny network is worked out by hand (values and gradients); larger ones are checked against
directional derivatives of a loss computed in this file, independently of your code. One test
per function (mlp_forward's first, mlp_loss's softmax one, output_delta's, backprop by hand) also
checks that the call left its arguments (x, y, the lists of weights and biases) as they were.
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
    directional_derivative,
    fail,
)

# A RuntimeWarning in your code (overflow in exp, 0/0) fails the test: stable forms warn never.
pytestmark = [pytest.mark.ex4_backprop, pytest.mark.filterwarnings("error::RuntimeWarning")]

CHAIN = (
    "dl/dW^i = dz^{iT} h^{i-1} with dz^i = (dz^{i+1} W^{i+1}) * sigma'(z^i): the chain rule, "
    "layer by layer from the top"
)
FORWARD = "h^0 = x, z^i = h^{i-1} W^{iT} + b^i, h^i = sigma(z^i); keep every h^i and z^i"

# The hand-worked network: x = [1, 2], relu hidden layer, one output.
X = np.array([[1.0, 2.0]])
W1, B1 = np.array([[1.0, -1.0], [0.5, 0.5]]), np.array([0.0, -1.0])
W2, B2 = np.array([[2.0, -2.0]]), np.array([0.25])
# z^1 = [1 - 2 + 0, 0.5 + 1 - 1] = [-1, 0.5]; h^1 = relu(z^1) = [0, 0.5]
# z^2 = 2 * 0 - 2 * 0.5 + 0.25 = -0.75
Z1, H1, Z2 = np.array([[-1.0, 0.5]]), np.array([[0.0, 0.5]]), np.array([[-0.75]])
HAND = "the hand-worked net x = [1, 2], W^1 = [[1, -1], [0.5, 0.5]], b^1 = [0, -1], relu, " + (
    "W^2 = [[2, -2]], b^2 = [0.25]"
)

ACTS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),  # fine for the moderate z used here
    "softplus": lambda z: np.log1p(np.exp(z)),
    "identity": lambda z: z,
}


def _independent_loss(x, y, weights, biases, hidden, output):
    """The batch loss, written directly from the lecture's formulas (moderate values only)."""
    h = x
    for i, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
        z = np.einsum("rl,jl->rj", h, W) + b
        h = ACTS[hidden](z) if i < len(weights) else z
    if output == "identity":
        return float(np.mean(np.sum((h - y) ** 2, axis=1)))
    if output == "sigmoid":
        p = 1.0 / (1.0 + np.exp(-h))
        return float(np.mean(np.sum(-y * np.log(p) - (1 - y) * np.log(1 - p), axis=1)))
    p = np.exp(h) / np.exp(h).sum(axis=1, keepdims=True)
    return float(np.mean(-np.log(p[np.arange(len(y)), y])))


def _network(seed, sizes, output):
    rng = np.random.default_rng(seed)
    weights = [
        rng.normal(scale=0.8, size=(n, n_prev))
        for n_prev, n in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    biases = [rng.normal(scale=0.3, size=n) for n in sizes[1:]]
    x = rng.normal(size=(5, sizes[0]))
    if output == "identity":
        y = rng.normal(size=(5, sizes[-1]))
    elif output == "sigmoid":
        y = rng.integers(0, 2, size=(5, sizes[-1])).astype(float)
    else:
        y = rng.integers(0, sizes[-1], size=5)
    return x, y, weights, biases


def _grads(student, x, y, weights, biases, hidden, output, on, keep_inputs=False):
    args = (x, y, weights, biases, hidden, output)
    if keep_inputs:
        names = ["x", "y", "weights", "biases", "hidden", "output"]
        grads = call_keeping_inputs(student.backprop.mlp_backprop, "mlp_backprop", names, *args)
    else:
        grads = student.backprop.mlp_backprop(*args)
    if not isinstance(grads, list | tuple) or len(grads) != len(weights):
        fail("mlp_backprop", on, f"did not return a list of {len(weights)} pairs", CHAIN)
    checked = []
    for i, (pair, W, b) in enumerate(zip(grads, weights, biases, strict=True), start=1):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            fail("mlp_backprop", on, f"entry {i - 1} is not a pair (dW^{i}, db^{i})", CHAIN)
        dW = as_array(
            pair[0], f"mlp_backprop's dW^{i}", on, W.shape, "dl/dW^i has the shape of W^i"
        )
        db = as_array(
            pair[1], f"mlp_backprop's db^{i}", on, b.shape, "dl/db^i has the shape of b^i"
        )
        checked.append((dW, db))
    return checked


@pytest.mark.points(1)
def test_mlp_forward_keeps_every_layer(student):
    """The forward pass keeps every layer: hs = [h^0 .. h^k], zs = [z^1 .. z^k]."""
    x, _, weights, biases = _network(0, [3, 4, 5, 2], "identity")
    on = "a 3-4-5-2 relu network on 5 rows"
    result = call_keeping_inputs(
        student.backprop.mlp_forward,
        "mlp_forward",
        ["x", "weights", "biases", "hidden", "output"],
        x,
        weights,
        biases,
        "relu",
        "identity",
    )
    if not isinstance(result, list | tuple) or len(result) != 2:
        fail("mlp_forward", on, "did not return a pair (hs, zs)", FORWARD)
    hs, zs = result
    check_true(
        len(hs) == 4 and len(zs) == 3,
        "mlp_forward",
        on,
        "hs needs k+1 = 4 arrays "
        f"[h^0..h^3] and zs k = 3 arrays [z^1..z^3]; got {len(hs)} and {len(zs)}",
        FORWARD,
    )
    check_close(
        as_array(hs[0], "mlp_forward's h^0", on, (5, 3)), x, "mlp_forward's h^0", on, "h^0 = x"
    )
    for i, n in enumerate([4, 5, 2], start=1):
        as_array(hs[i], f"mlp_forward's h^{i}", on, (5, n), "h^i has shape (m, n_i)")
        as_array(zs[i - 1], f"mlp_forward's z^{i}", on, (5, n), "z^i has shape (m, n_i)")


@pytest.mark.points(1)
def test_mlp_forward_by_hand(student):
    """h^0 = x, z^i = h^{i-1} W^{iT} + b^i, h^i = sigma(z^i), worked out by hand."""
    hs, zs = student.backprop.mlp_forward(X, [W1, W2], [B1, B2], "relu", "identity")
    check_close(
        as_array(zs[0], "mlp_forward's z^1", HAND, (1, 2)), Z1, "mlp_forward's z^1", HAND, FORWARD
    )
    check_close(
        as_array(hs[1], "mlp_forward's h^1", HAND, (1, 2)),
        H1,
        "mlp_forward's h^1",
        HAND,
        "h^1 = relu(z^1)",
    )
    check_close(
        as_array(hs[2], "mlp_forward's h^2", HAND, (1, 1)),
        Z2,
        "mlp_forward's h^2",
        HAND,
        "identity output: h^k = z^k",
    )
    hs, _ = student.backprop.mlp_forward(X, [W1, W2], [B1, B2], "relu", "sigmoid")
    p = 1 / (1 + math.exp(0.75))
    check_close(
        as_array(hs[2], "mlp_forward's h^2", HAND),
        [[p]],
        "mlp_forward's sigmoid output h^2",
        HAND,
        "h^k = sigma(z^k)",
    )


@pytest.mark.points(1)
def test_mlp_loss_by_hand(student):
    """The loss follows the output unit: squared error for identity, binary NLL for sigmoid."""
    got = student.backprop.mlp_loss(X, np.array([[0.25]]), [W1, W2], [B1, B2], "relu")
    got = as_number(got, "mlp_loss", HAND)
    idea = "identity output: l = ||h^k - y||^2 = (-0.75 - 0.25)^2"
    check_close(got, 1.0, "mlp_loss (identity, y = 0.25)", HAND, idea)
    got = student.backprop.mlp_loss(X, np.array([[1.0]]), [W1, W2], [B1, B2], "relu", "sigmoid")
    got = as_number(got, "mlp_loss", HAND)
    idea = "sigmoid output: l = -ln sigma(z^k) for y = 1, which is ln(1 + e^{-z^k})"
    check_close(got, math.log1p(math.exp(0.75)), "mlp_loss (sigmoid, y = 1)", HAND, idea)


@pytest.mark.points(1)
def test_mlp_loss_softmax_by_hand(student):
    # one layer, no hidden: z = x W^T + b = [[ln 3, 0], [0, 0]] for the two rows
    """A softmax output is scored by the cross-entropy -ln p_y, mean over rows."""
    x, W, b = np.array([[1.0], [0.0]]), np.array([[math.log(3.0)], [0.0]]), np.zeros(2)
    on = "x = [[1], [0]], W = [[ln 3], [0]], b = [0, 0], softmax output, labels [1, 0]"
    got = as_number(
        call_keeping_inputs(
            student.backprop.mlp_loss,
            "mlp_loss",
            ["x", "y", "weights", "biases", "hidden", "output"],
            x,
            np.array([1, 0]),
            [W],
            [b],
            "relu",
            "softmax",
        ),
        "mlp_loss",
        on,
    )
    idea = "cross-entropy -ln p_y: p = [3/4, 1/4] in row 1 (label 1), [1/2, 1/2] in row 2"
    check_close(got, (math.log(4.0) + math.log(2.0)) / 2, "mlp_loss (softmax)", on, idea)


@pytest.mark.points(1)
def test_mlp_loss_is_finite_for_huge_logits(student):
    """Losses from the logits stay finite at |z^k| = 1e4 (log-softmax, softplus)."""
    x, W, b = np.array([[1.0], [-1.0]]), np.array([[1e4], [0.0]]), np.zeros(2)
    on = "z^k = [[1e4, 0], [-1e4, 0]] (a one-layer softmax net), labels [1, 1]"
    got = as_number(
        student.backprop.mlp_loss(x, np.array([1, 1]), [W], [b], "relu", "softmax"), "mlp_loss", on
    )
    idea = "compute the loss from the logits with log-softmax (max-shifted), not ln of softmax"
    check_finite(got, "mlp_loss", on, idea)
    check_close(got, 5e3, "mlp_loss", on, idea)
    on = "z^k = [[1e4], [-1e4]] (a one-layer sigmoid net), y = [[0], [1]]"
    got = student.backprop.mlp_loss(
        x, np.array([[0.0], [1.0]]), [W[:1]], [b[:1]], "relu", "sigmoid"
    )
    got = as_number(got, "mlp_loss", on)
    idea = "binary NLL from the log-odds: max(z, 0) - y z + ln(1 + e^{-|z|})"
    check_finite(got, "mlp_loss", on, idea)
    check_close(got, 1e4, "mlp_loss", on, idea)


@pytest.mark.parametrize("output", ["identity", "sigmoid", "softmax"])
@pytest.mark.points(1)
def test_output_delta_is_the_gradient_of_the_loss(student, output):
    """dl/dz^k is the gradient of the batch loss: 2 (z - y) / m or (p - y) / m."""
    rng = np.random.default_rng(11)
    z_k = rng.normal(size=(4, 3))
    _, y, _, _ = _network(12, [2, 3], output)
    y = y[:4]
    on = f"a (4, 3) z^k, {output} output"
    got = as_array(
        call_keeping_inputs(
            student.backprop.output_delta, "output_delta", ["z_k", "y", "output"], z_k, y, output
        ),
        "output_delta",
        on,
        (4, 3),
    )

    def loss(z):  # a one-layer net with W = I, b = 0 has z^k = x
        return _independent_loss(z, y, [np.eye(3)], [np.zeros(3)], "identity", output)

    idea = {
        "identity": "d/dz of mean ||z - y||^2 is 2 (z - y) / m: do not forget the 2 and the 1/m",
        "sigmoid": "sigmoid + binary NLL fuse to (sigma(z) - y) / m",
        "softmax": "softmax + cross-entropy fuse to (softmax(z) - one_hot(y)) / m",
    }[output]
    for _ in range(3):
        v = rng.normal(size=(4, 3))
        slope = directional_derivative(loss, z_k, v)
        check_close(np.sum(got * v), slope, "output_delta along a direction", on, idea, 1e-6)


@pytest.mark.points(1)
def test_mlp_backprop_by_hand(student):
    """Backprop by hand: dz^2 = 2 (z^2 - y), dh^1 = dz^2 W^2, dz^1 = dh^1 * relu'(z^1)."""
    y = np.array([[0.25]])
    grads = _grads(student, X, y, [W1, W2], [B1, B2], "relu", "identity", HAND, keep_inputs=True)
    # dl/dz^2 = 2 (z^2 - y) = -2; dW^2 = -2 h^1; db^2 = -2
    # dh^1 = -2 W^2 = [-4, 4]; dz^1 = dh^1 * relu'(z^1) = [0, 4]; dW^1 = dz^{1T} x; db^1 = dz^1
    expected = [
        (np.array([[0.0, 0.0], [4.0, 8.0]]), np.array([0.0, 4.0])),
        (np.array([[0.0, -1.0]]), np.array([-2.0])),
    ]
    for i, ((dW, db), (eW, eb)) in enumerate(zip(grads, expected, strict=True), start=1):
        check_close(dW, eW, f"mlp_backprop's dW^{i}", HAND + ", y = 0.25", CHAIN)
        check_close(db, eb, f"mlp_backprop's db^{i}", HAND + ", y = 0.25", CHAIN)


@pytest.mark.parametrize(
    ("hidden", "output", "sizes"),
    [
        ("relu", "identity", [3, 4, 2]),
        ("tanh", "softmax", [4, 5, 3, 3]),
        ("sigmoid", "sigmoid", [2, 3, 3, 1]),
    ],
)
@pytest.mark.points(2)
def test_mlp_backprop_matches_directional_derivatives(student, hidden, output, sizes):
    """Every dW^i and db^i agrees with a central difference of the loss along a direction."""
    x, y, weights, biases = _network(sum(sizes), sizes, output)
    on = f"a {'-'.join(map(str, sizes))} {hidden} network with a {output} output"
    grads = _grads(student, x, y, weights, biases, hidden, output, on)
    rng = np.random.default_rng(len(sizes))
    for i in range(len(weights)):
        for which in ("W", "b"):
            params = [weights, biases][which == "b"]

            def loss(value, i=i, which=which):
                ws, bs = list(weights), list(biases)
                (ws if which == "W" else bs)[i] = value
                return _independent_loss(x, y, ws, bs, hidden, output)

            v = rng.normal(size=params[i].shape)
            slope = directional_derivative(loss, params[i], v)
            got = np.sum(grads[i][which == "b"] * v)
            name = f"mlp_backprop's d{which}^{i + 1} along a random direction"
            check_close(got, slope, name, on, CHAIN, rtol=1e-5, atol=1e-9)
