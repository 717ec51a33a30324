"""Exercise 4 (hidden tests): forward pass, loss and backprop on many networks."""

import numpy as np
import pytest
from _checks import as_array, as_number, check_close, check_finite, fail

pytestmark = [pytest.mark.ex4_backprop, pytest.mark.filterwarnings("error::RuntimeWarning")]

CHAIN = (
    "dl/dW^i = dz^{iT} h^{i-1} with dz^i = (dz^{i+1} W^{i+1}) * sigma'(z^i): the chain rule, "
    "layer by layer from the top"
)
FORWARD = "h^0 = x, z^i = h^{i-1} W^{iT} + b^i, h^i = sigma(z^i); the output unit on z^k"
LOSS = "identity: ||h - y||^2, sigmoid: binary NLL, softmax: cross-entropy; mean over rows"
DELTA = {
    "identity": "d/dz^k of mean ||z^k - y||^2 is 2 (z^k - y) / m",
    "sigmoid": "sigmoid + binary NLL fuse to (sigma(z^k) - y) / m",
    "softmax": "softmax + cross-entropy fuse to (softmax(z^k) - one_hot(y)) / m",
}


def _network(seed, sizes, output, m=6, scale=0.7):
    rng = np.random.default_rng(seed)
    shapes = [(n, n_prev) for n_prev, n in zip(sizes[:-1], sizes[1:], strict=True)]
    weights = [rng.normal(scale=scale, size=shape) for shape in shapes]
    biases = [rng.normal(scale=0.3, size=n) for n in sizes[1:]]
    x = rng.normal(size=(m, sizes[0]))
    if output == "identity":
        y = rng.normal(size=(m, sizes[-1]))
    elif output == "sigmoid":
        y = rng.integers(0, 2, size=(m, sizes[-1])).astype(float)
    else:
        y = rng.integers(0, sizes[-1], size=m)
    return x, y, weights, biases


def _describe(sizes, hidden, output):
    return f"a {'-'.join(map(str, sizes))} network, {hidden} hidden, {output} output"


def _check_grads(student, reference, args, on, rtol=1e-6, atol=1e-10):
    got = student.backprop.mlp_backprop(*args)
    expected = reference.backprop.mlp_backprop(*args)
    if not isinstance(got, list | tuple) or len(got) != len(expected):
        fail("mlp_backprop", on, f"did not return a list of {len(expected)} pairs", CHAIN)
    for i, (pair, (eW, eb)) in enumerate(zip(got, expected, strict=True), start=1):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            fail("mlp_backprop", on, f"entry {i - 1} is not a pair (dW^{i}, db^{i})", CHAIN)
        dW = as_array(pair[0], f"mlp_backprop's dW^{i}", on, eW.shape, "dW^i has the shape of W^i")
        db = as_array(pair[1], f"mlp_backprop's db^{i}", on, eb.shape, "db^i has the shape of b^i")
        check_close(dW, eW, f"mlp_backprop's dW^{i}", on, CHAIN, rtol, atol, reveal=False)
        check_close(db, eb, f"mlp_backprop's db^{i}", on, CHAIN, rtol, atol, reveal=False)


@pytest.mark.parametrize("hidden", ["identity", "sigmoid", "tanh", "relu", "softplus"])
@pytest.mark.points(1)
def test_mlp_forward_each_hidden_activation(student, reference, hidden):
    """The forward pass keeps h^0 = x, every z^i and h^i = sigma(z^i), for each activation."""
    sizes = [4, 6, 5, 3]
    x, _, weights, biases = _network(400, sizes, "identity")
    on = _describe(sizes, hidden, "identity")
    hs, zs = reference.backprop.mlp_forward(x, weights, biases, hidden, "identity")
    result = student.backprop.mlp_forward(x, weights, biases, hidden, "identity")
    if not isinstance(result, list | tuple) or len(result) != 2:
        fail("mlp_forward", on, "did not return (hs, zs)", FORWARD)
    if len(result[0]) != len(hs) or len(result[1]) != len(zs):
        fail("mlp_forward", on, "returned the wrong number of layers", FORWARD)
    for i, (got, expected) in enumerate(zip(result[0], hs, strict=True)):
        check_close(
            as_array(got, f"mlp_forward's h^{i}", on, expected.shape),
            expected,
            f"mlp_forward's h^{i}",
            on,
            FORWARD,
            reveal=False,
        )
    for i, (got, expected) in enumerate(zip(result[1], zs, strict=True), start=1):
        check_close(
            as_array(got, f"mlp_forward's z^{i}", on, expected.shape),
            expected,
            f"mlp_forward's z^{i}",
            on,
            FORWARD,
            reveal=False,
        )


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
@pytest.mark.points(1)
def test_mlp_forward_output_units(student, reference, output):
    """The output unit acts on z^k: h^k = sigmoid(z^k) or softmax(z^k)."""
    sizes = [3, 5, 4]
    x, _, weights, biases = _network(401, sizes, output)
    on = _describe(sizes, "tanh", output)
    hs, _ = reference.backprop.mlp_forward(x, weights, biases, "tanh", output)
    result = student.backprop.mlp_forward(x, weights, biases, "tanh", output)
    if not isinstance(result, list | tuple) or len(result) != 2 or len(result[0]) != len(hs):
        fail("mlp_forward", on, "did not return (hs, zs) with k+1 hs", FORWARD)
    check_close(
        as_array(result[0][-1], "mlp_forward's h^k", on, hs[-1].shape),
        hs[-1],
        "mlp_forward's h^k",
        on,
        f"h^k = {output}(z^k)",
        reveal=False,
    )


@pytest.mark.parametrize("output", ["identity", "sigmoid", "softmax"])
@pytest.mark.points(1)
def test_mlp_loss(student, reference, output):
    """The loss follows the output unit (squared error, NLL, cross-entropy), mean over rows."""
    sizes = [5, 4, 3]
    args = _network(402, sizes, output)
    on = _describe(sizes, "relu", output)
    got = as_number(student.backprop.mlp_loss(*args, "relu", output), "mlp_loss", on)
    expected = reference.backprop.mlp_loss(*args, "relu", output)
    check_close(got, expected, "mlp_loss", on, LOSS, reveal=False)


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
@pytest.mark.points(1)
def test_mlp_loss_with_huge_logits(student, reference, output):
    """Losses computed from the logits z^k stay finite when |z^k| is in the thousands."""
    sizes = [3, 4, 2]
    x, y, weights, biases = _network(403, sizes, output, scale=60.0)
    on = _describe(sizes, "relu", output) + " with weights of size 60 (|z^k| in the thousands)"
    got = as_number(
        student.backprop.mlp_loss(x, y, weights, biases, "relu", output), "mlp_loss", on
    )
    idea = "compute the loss from z^k: log-softmax or max(z, 0) - y z + ln(1 + e^{-|z|})"
    check_finite(got, "mlp_loss", on, idea)
    expected = reference.backprop.mlp_loss(x, y, weights, biases, "relu", output)
    check_close(got, expected, "mlp_loss", on, idea, reveal=False)


@pytest.mark.points(1)
def test_mlp_loss_softmax_one_hot_equals_labels(student, reference):
    """Integer labels and their one-hot rows are the same softmax target."""
    sizes = [3, 4, 5]
    x, y, weights, biases = _network(404, sizes, "softmax")
    on = _describe(sizes, "relu", "softmax") + ", y given as one-hot rows"
    got = student.backprop.mlp_loss(x, np.eye(5)[y], weights, biases, "relu", "softmax")
    expected = reference.backprop.mlp_loss(x, y, weights, biases, "relu", "softmax")
    check_close(
        as_number(got, "mlp_loss", on),
        expected,
        "mlp_loss",
        on,
        "labels y and one-hot rows describe the same target",
        reveal=False,
    )


@pytest.mark.parametrize("output", ["identity", "sigmoid", "softmax"])
@pytest.mark.points(1)
def test_output_delta(student, reference, output):
    """dl/dz^k fuses the output unit with its loss: 2 (h - y) / m or (p - y) / m."""
    z_k = np.random.default_rng(405).normal(scale=3.0, size=(7, 3))
    _, y, _, _ = _network(406, [2, 3], output, m=7)
    on = f"a (7, 3) z^k, {output} output"
    expected = reference.backprop.output_delta(z_k, y, output)
    got = as_array(student.backprop.output_delta(z_k, y, output), "output_delta", on, (7, 3))
    check_close(got, expected, "output_delta", on, DELTA[output], reveal=False)


@pytest.mark.parametrize(
    ("hidden", "output", "sizes"),
    [
        ("relu", "identity", [4, 8, 3]),
        ("tanh", "softmax", [5, 6, 6, 4]),
        ("sigmoid", "sigmoid", [3, 5, 4, 1]),
        ("softplus", "identity", [2, 7, 2]),
        ("identity", "softmax", [3, 3, 3]),
        ("relu", "softmax", [6, 4]),
        ("tanh", "identity", [3, 6, 6, 6, 6, 6, 2]),
    ],
)
@pytest.mark.points(2)
def test_mlp_backprop(student, reference, hidden, output, sizes):
    """The chain rule from the top: dW^i = dz^{iT} h^{i-1}, dz^{i-1} = dz^i W^i * sigma'."""
    x, y, weights, biases = _network(410 + len(sizes), sizes, output)
    _check_grads(
        student,
        reference,
        (x, y, weights, biases, hidden, output),
        _describe(sizes, hidden, output),
    )


@pytest.mark.points(1)
def test_mlp_backprop_sigmoid_labels_as_a_vector(student, reference):
    """A sigmoid net with one output accepts y of shape (m,) as well as (m, 1)."""
    sizes = [3, 4, 1]
    x, y, weights, biases = _network(420, sizes, "sigmoid")
    on = _describe(sizes, "relu", "sigmoid") + ", y of shape (m,)"
    _check_grads(student, reference, (x, y[:, 0], weights, biases, "relu", "sigmoid"), on)


@pytest.mark.points(1)
def test_mlp_backprop_relu_at_exactly_zero(student, reference):
    """Backprop through relu uses relu'(0) = 0 where z^i is exactly 0."""
    x = np.array([[1.0, 2.0], [-1.0, 0.5]])
    W1 = np.array([[1.0, 1.0], [2.0, -1.0], [0.5, 0.5]])
    b1 = -W1 @ x[0]  # row 1's pre-activations are exactly 0
    W2, b2 = np.array([[1.0, -2.0, 0.5]]), np.array([0.1])
    y = np.array([[1.0], [-1.0]])
    on = "a relu layer whose pre-activations z^1 are exactly 0 on the first row"
    args = (x, y, [W1, W2], [b1, b2], "relu", "identity")
    _check_grads(student, reference, args, on + "; relu'(0) = 0")
