"""Exercise 6 (public tests): layer Jacobians, their product across depth, and its norm.

Expected values are closed forms (identity and scaled-identity weights, orthogonal matrices,
the sigmoid's bound sigma' <= 1/4) or directional derivatives of a layer computed in this file.
One test per function (the sigmoid layer, the product's, the directional derivatives, the
rotations) also checks that the call left its arguments, lists included, as they were.
"""

import math

import numpy as np
import pytest
from _checks import (
    as_array,
    call_keeping_inputs,
    check_close,
    check_finite,
    check_true,
    describe,
    fail,
)

# A RuntimeWarning in your code (overflow in exp, 0/0) fails the test: stable forms warn never.
pytestmark = [pytest.mark.ex6_vanishing, pytest.mark.filterwarnings("error::RuntimeWarning")]

JACOBIAN = "A^i = diag(sigma'(z^i)) W^i: row j of W^i scaled by sigma'(z^i_j), one per data point"
PRODUCT = "d h^k / d h^i = A^k ... A^{i+1}: the top layer multiplies from the left"
VANISH = "each sigmoid layer scales the gradient by sigma' <= 1/4: the product vanishes with depth"


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))  # fine for the moderate z used here


def _jacobians(student, x, weights, biases, activation, on, keep_inputs=False):
    args = (x, weights, biases, activation)
    if keep_inputs:
        names = ["x", "weights", "biases", "activation"]
        result = call_keeping_inputs(
            student.vanishing.input_jacobians, "input_jacobians", names, *args
        )
    else:
        result = student.vanishing.input_jacobians(*args)
    if not isinstance(result, list | tuple) or len(result) != len(weights):
        fail("input_jacobians", on, f"did not return a list of {len(weights)} arrays", JACOBIAN)
    m = x.shape[0]
    return [
        as_array(A, f"input_jacobians' A^{i}", on, (m, *W.shape), "A^i has shape (m, n_i, n_{i-1})")
        for i, (A, W) in enumerate(zip(result, weights, strict=True), start=1)
    ]


@pytest.mark.points(1)
def test_layer_jacobian_of_a_linear_layer_is_w(student):
    """With sigma' = 1 (identity) the layer Jacobian A^i is W^i itself."""
    z = np.array([[0.5, -2.0, 3.0], [1.0, 0.0, -1.0]])
    W = np.arange(6.0).reshape(3, 2)
    on = f"z = {describe(z)}, W = {describe(W)}, identity activation"
    got = as_array(
        student.vanishing.layer_jacobian(z, W, "identity"),
        "layer_jacobian",
        on,
        (2, 3, 2),
        "one (n_i, n_{i-1}) Jacobian per data point: shape (m, n_i, n_{i-1})",
    )
    check_close(got, np.stack([W, W]), "layer_jacobian", on, "sigma' = 1 gives A^i = W^i")


@pytest.mark.points(1)
def test_layer_jacobian_relu_by_hand(student):
    """relu' keeps the rows of W^i where z > 0 and zeroes the others, with relu'(0) = 0."""
    z = np.array([[1.0, -1.0, 0.0]])
    W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    on = f"z = {describe(z)}, W = {describe(W)}, relu"
    got = as_array(student.vanishing.layer_jacobian(z, W, "relu"), "layer_jacobian", on, (1, 3, 2))
    # relu'(z) = [1, 0, 0] (relu'(0) = 0): only the first row of W survives
    expected = np.array([[[1.0, 2.0], [0.0, 0.0], [0.0, 0.0]]])
    check_close(got, expected, "layer_jacobian", on, JACOBIAN + "; relu'(0) = 0")


@pytest.mark.points(1)
def test_layer_jacobian_sigmoid(student):
    """A^i = diag(sigma'(z^i)) W^i: row j of W^i scaled by sigma'(z^i_j)."""
    rng = np.random.default_rng(20)
    z, W = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    on = "a (3, 4) z and a (4, 2) W, sigmoid"
    got = as_array(
        call_keeping_inputs(
            student.vanishing.layer_jacobian,
            "layer_jacobian",
            ["z", "W", "activation"],
            z,
            W,
            "sigmoid",
        ),
        "layer_jacobian",
        on,
        (3, 4, 2),
    )
    slope = _sigmoid(z) * (1 - _sigmoid(z))
    expected = np.einsum("rj,jl->rjl", slope, W)
    check_close(got, expected, "layer_jacobian", on, JACOBIAN)


@pytest.mark.points(2)
def test_jacobian_product_multiplies_top_layer_on_the_left(student):
    """d h^k / d h^i = A^k ... A^{i+1}: the top layer multiplies from the left."""
    rng = np.random.default_rng(21)
    A1, A2, A3 = rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 1, 4))
    on = "Jacobians of shapes (2, 3, 2), (2, 4, 3), (2, 1, 4) (bottom layer first)"
    got = as_array(
        call_keeping_inputs(
            student.vanishing.jacobian_product, "jacobian_product", ["jacobians"], [A1, A2, A3]
        ),
        "jacobian_product",
        on,
        (2, 1, 2),
        PRODUCT + ", so the result is (m, n_k, n_i)",
    )
    expected = np.stack([A3[r] @ A2[r] @ A1[r] for r in range(2)])
    check_close(got, expected, "jacobian_product", on, PRODUCT)
    on = "a single Jacobian of shape (2, 3, 2)"
    got = as_array(student.vanishing.jacobian_product([A1]), "jacobian_product", on, (2, 3, 2))
    check_close(got, A1, "jacobian_product", on, "a product of one factor is that factor")


@pytest.mark.points(2)
def test_input_jacobians_match_directional_derivatives(student):
    """A^i times a direction equals the layer's central difference along it."""
    rng = np.random.default_rng(22)
    sizes = [3, 4, 2]
    weights = [
        rng.normal(size=(n, n_prev)) for n_prev, n in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    biases = [rng.normal(size=n) for n in sizes[1:]]
    x = rng.normal(size=(2, 3))
    on = "a 3-4-2 tanh stack on 2 rows"
    As = _jacobians(student, x, weights, biases, "tanh", on, keep_inputs=True)
    h = x
    for i, (W, b, A) in enumerate(zip(weights, biases, As, strict=True), start=1):
        v = rng.normal(size=h.shape)
        eps = 1e-6
        layer = lambda h_in, W=W, b=b: np.tanh(h_in @ W.T + b)  # noqa: E731
        slopes = (layer(h + eps * v) - layer(h - eps * v)) / (2 * eps)  # (m, n_i), row by row
        check_close(
            np.einsum("rjl,rl->rj", A, v),
            slopes,
            f"input_jacobians' A^{i} times a direction",
            on,
            JACOBIAN + " (evaluated at this layer's own input h^{i-1})",
            1e-6,
            1e-9,
        )
        h = layer(h)


@pytest.mark.points(1)
def test_jacobian_norms_of_rotations_stay_constant(student):
    """A product of rotations is a rotation: ||Q||_F = sqrt(n) at every depth."""
    theta = [0.3, 1.1, -0.7]
    weights = [np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]]) for t in theta]
    biases = [np.zeros(2)] * 3
    x = np.array([[1.0, 2.0], [-0.5, 0.1]])
    on = "three 2x2 rotation matrices, identity activation"
    got = call_keeping_inputs(
        student.vanishing.jacobian_norms,
        "jacobian_norms",
        ["x", "weights", "biases", "activation"],
        x,
        weights,
        biases,
        "identity",
    )
    got = as_array(got, "jacobian_norms", on, (3,), "one norm per layer: shape (k,)")
    idea = "a product of rotations is a rotation: ||Q||_F = sqrt(n) at every depth"
    check_close(got, np.full(3, math.sqrt(2)), "jacobian_norms", on, idea)


@pytest.mark.points(1)
def test_jacobian_norms_explode_with_large_weights(student):
    """Each layer with W = 2 I doubles the gradient: the product explodes with depth."""
    k, n = 6, 3
    weights, biases = [2.0 * np.eye(n)] * k, [np.zeros(n)] * k
    x = np.array([[1.0, 2.0, 3.0]])
    on = f"{k} relu layers with W = 2 I, positive x = {describe(x)}"
    got = as_array(
        student.vanishing.jacobian_norms(x, weights, biases, "relu"), "jacobian_norms", on, (k,)
    )
    expected = math.sqrt(n) * 2.0 ** np.arange(k, 0, -1)  # layer i sees k - i + 1 factors of 2 I
    idea = "each layer with W = 2 I doubles the gradient: the product explodes with depth"
    check_close(got, expected, "jacobian_norms", on, idea)


@pytest.mark.points(1)
def test_jacobian_norms_vanish_for_a_deep_sigmoid_stack(student):
    """Each sigmoid layer scales the gradient by sigma' <= 1/4: it vanishes with depth."""
    k, n = 12, 3
    weights, biases = [np.eye(n)] * k, [np.zeros(n)] * k
    x = np.array([[0.0, 1.0, -1.0], [2.0, 0.5, 0.0]])
    on = f"{k} sigmoid layers with W = I, b = 0"
    got = as_array(
        student.vanishing.jacobian_norms(x, weights, biases, "sigmoid"), "jacobian_norms", on, (k,)
    )
    check_finite(got, "jacobian_norms", on, VANISH)
    bound = math.sqrt(n) * 0.25 ** np.arange(k, 0, -1)  # ||diag(s') ...||_F <= sqrt(n) (1/4)^depth
    check_true(
        (got > 0).all() and (got <= bound * (1 + 1e-12)).all(),
        "jacobian_norms",
        on,
        "exceeded sqrt(n) (1/4)^(k-i+1) or was not positive",
        VANISH,
    )
    check_true(
        np.all(np.diff(got) > 0),
        "jacobian_norms",
        on,
        "did not grow from layer 1 to layer k",
        VANISH,
    )
