"""Exercise 3 (public tests): a dense layer's forward and backward pass.

The forward pass is checked against a hand-worked example and an entry-by-entry sum; the backward
pass against directional derivatives of the scalar loss l = sum(G * z), whose dl/dz is G. One
test per function (test_dense_forward_on_a_batch, test_dense_backward_shapes) also checks that
the call left its arguments as they were.
"""

import numpy as np
import pytest
from _checks import (
    as_array,
    call_keeping_inputs,
    check_close,
    check_true,
    describe,
    directional_derivative,
    fail,
)

# A RuntimeWarning in your code (overflow in exp, 0/0) fails the test: stable forms warn never.
pytestmark = [pytest.mark.ex3_dense_layer, pytest.mark.filterwarnings("error::RuntimeWarning")]

ROWS = "z^i = h^{i-1} W^{iT} + b^i: one data point per row of h, one output unit per row of W"
CHAIN = "each gradient has the shape of what it differentiates; check it along a few directions"


def _layer(seed, m=4, n_in=3, n_out=2):
    rng = np.random.default_rng(seed)
    h_prev = rng.normal(size=(m, n_in))
    W = rng.normal(size=(n_out, n_in))
    b = rng.normal(size=n_out)
    return h_prev, W, b


def _z(h_prev, W, b):
    # z[r, j] = sum_l h_prev[r, l] W[j, l] + b[j], written as an explicit index sum
    return np.einsum("rl,jl->rj", h_prev, W) + b


def _forward(student, h_prev, W, b, keep_inputs=False):
    forward = student.layers.dense_forward
    if keep_inputs:
        names = ["h_prev", "W", "b"]
        result = call_keeping_inputs(forward, "dense_forward", names, h_prev, W, b)
    else:
        result = forward(h_prev, W, b)
    on = f"h_prev {h_prev.shape}, W {W.shape}, b {b.shape}"
    if not isinstance(result, list | tuple) or len(result) != 2:
        fail("dense_forward", on, "did not return a pair (z, cache)", "return z, cache")
    return result[0], result[1], on


def _backward(student, dz, cache, on, keep_inputs=False):
    backward = student.layers.dense_backward
    if keep_inputs:
        result = call_keeping_inputs(backward, "dense_backward", ["dz", "cache"], dz, cache)
    else:
        result = backward(dz, cache)
    if not isinstance(result, list | tuple) or len(result) != 3:
        fail("dense_backward", on, "did not return (dh_prev, dW, db)", "return dh_prev, dW, db")
    return result


@pytest.mark.points(1)
def test_dense_forward_by_hand(student):
    """z^i = h^{i-1} W^{iT} + b^i worked out by hand: one data point per row of h."""
    h_prev = np.array([[1.0, 2.0], [0.0, -1.0]])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    b = np.array([0.5, -1.0, 0.0])
    z, _, on = _forward(student, h_prev, W, b)
    z = as_array(z, "dense_forward's z", on, (2, 3), ROWS)
    # row 1: [1 + 0.5, 2 - 1, 1 + 2]; row 2: [0 + 0.5, -1 - 1, 0 - 1]
    expected = np.array([[1.5, 1.0, 3.0], [0.5, -2.0, -1.0]])
    check_close(z, expected, "dense_forward's z", f"h_prev = {describe(h_prev)}", ROWS)


@pytest.mark.points(1)
def test_dense_forward_on_a_batch(student):
    """z[r, j] = sum_l h[r, l] W[j, l] + b[j] on a (5, 4) batch, leaving h, W and b as they
    were."""
    h_prev, W, b = _layer(1, m=5, n_in=4, n_out=3)
    z, _, on = _forward(student, h_prev, W, b, keep_inputs=True)
    z = as_array(z, "dense_forward's z", on, (5, 3), ROWS)
    check_close(z, _z(h_prev, W, b), "dense_forward's z", on, ROWS)


@pytest.mark.points(1)
def test_dense_backward_shapes(student):
    """Every gradient has the shape of what it differentiates; dz = 1 makes them sums; dz and
    the cache are left as they were."""
    h_prev, W, b = _layer(2, m=5, n_in=4, n_out=3)
    _, cache, on = _forward(student, h_prev, W, b)
    dh, dW, db = _backward(student, np.ones((5, 3)), cache, on, keep_inputs=True)
    on += ", dz = ones((5, 3))"
    dh = as_array(dh, "dense_backward's dh_prev", on, (5, 4), "dl/dh_prev has the shape of h_prev")
    dW = as_array(dW, "dense_backward's dW", on, (3, 4), "dl/dW has the shape of W: (n_out, n_in)")
    db = as_array(db, "dense_backward's db", on, (3,), "dl/db has the shape of b: (n_out,)")
    # With dz = 1: dh_prev[r, l] = sum_j W[j, l], dW[j, l] = sum_r h_prev[r, l], db[j] = m.
    sums = "with dz = 1 every gradient is a sum: "
    idea = sums + "dl/dh_prev[r, l] = sum_j W[j, l] (dz W)"
    check_close(dh, np.tile(W.sum(axis=0), (5, 1)), "dense_backward's dh_prev", on, idea)
    idea = sums + "dl/dW[j, l] = sum_r h_prev[r, l] (dz^T h_prev)"
    check_close(dW, np.tile(h_prev.sum(axis=0), (3, 1)), "dense_backward's dW", on, idea)
    idea = sums + "dl/db[j] = m, the number of rows (the column sums of dz)"
    check_close(db, np.full(3, 5.0), "dense_backward's db", on, idea)


def _check_gradient(student, which, seed):
    h_prev, W, b = _layer(seed)
    G = np.random.default_rng(seed + 100).normal(size=(4, 2))  # dl/dz for l = sum(G * z)
    _, cache, on = _forward(student, h_prev, W, b)
    grads = dict(zip(("h_prev", "W", "b"), _backward(student, G, cache, on), strict=True))
    point = {"h_prev": h_prev, "W": W, "b": b}
    grad = as_array(grads[which], f"dense_backward's d{which}", on, point[which].shape, CHAIN)

    def loss(value):
        args = dict(point, **{which: value})
        return float(np.sum(G * _z(args["h_prev"], args["W"], args["b"])))

    rng = np.random.default_rng(seed + 200)
    for _ in range(3):
        v = rng.normal(size=point[which].shape)
        slope = directional_derivative(loss, point[which], v)
        on_v = f"{on}, l = sum(G * z), a random direction in {which}"
        check_close(
            np.sum(grad * v),
            slope,
            f"dense_backward's d{which} along a direction",
            on_v,
            CHAIN,
            1e-6,
        )


@pytest.mark.points(2)
def test_dense_backward_dW(student):
    """dl/dW^i = dz^T h^{i-1}, checked along random directions of W."""
    _check_gradient(student, "W", seed=3)


@pytest.mark.points(1)
def test_dense_backward_db(student):
    """dl/db^i sums dz over the rows: the bias is added to every data point."""
    _check_gradient(student, "b", seed=4)


@pytest.mark.points(2)
def test_dense_backward_dh_prev(student):
    """dl/dh^{i-1} = dz W^i, checked along random directions of h^{i-1}."""
    _check_gradient(student, "h_prev", seed=5)


@pytest.mark.points(1)
def test_dense_backward_is_linear_in_dz(student):
    """Backprop is linear in the incoming gradient: doubling dl/dz doubles every gradient."""
    h_prev, W, b = _layer(6)
    _, cache, on = _forward(student, h_prev, W, b)
    G = np.random.default_rng(7).normal(size=(4, 2))
    once = [as_array(g, "dense_backward", on) for g in _backward(student, G, cache, on)]
    twice = [as_array(g, "dense_backward", on) for g in _backward(student, 2 * G, cache, on)]
    idea = "backprop is linear in the incoming gradient: doubling dl/dz doubles every gradient"
    for name, g1, g2 in zip(("dh_prev", "dW", "db"), once, twice, strict=True):
        what = f"dense_backward's {name}"
        check_true(g1.shape == g2.shape, what, on, "changed shape with dz", idea)
        check_true(np.any(g1 != 0), what, f"{on}, a random dz", "was 0 for a non-zero dz", idea)
        check_close(g2, 2 * g1, what, f"{on}, dz and 2 dz", idea)
