"""Exercise 3 (hidden tests): the dense layer on more shapes, larger values and bad input."""

import numpy as np
import pytest
from _checks import as_array, check_close, check_raises_value_error, fail

pytestmark = [pytest.mark.ex3_dense_layer, pytest.mark.filterwarnings("error::RuntimeWarning")]

ROWS = "z^i = h^{i-1} W^{iT} + b^i: one data point per row of h, one output unit per row of W"
BACKWARD = {
    "dh_prev": "dl/dh^{i-1} = dz W^i: (m, n_out) @ (n_out, n_in)",
    "dW": "dl/dW^i = dz^T h^{i-1}: (n_out, m) @ (m, n_in)",
    "db": "dl/db^i sums dz over the rows (the bias is added to every data point)",
}
SHAPES = [(1, 3, 2), (7, 1, 4), (5, 6, 1), (16, 9, 12)]


def _layer(seed, m, n_in, n_out, scale=1.0):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(scale=scale, size=(m, n_in)),
        rng.normal(scale=scale, size=(n_out, n_in)),
        rng.normal(scale=scale, size=n_out),
        rng.normal(scale=scale, size=(m, n_out)),
    )


def _pair(result, name, on, size):
    if not isinstance(result, list | tuple) or len(result) != size:
        fail(name, on, f"did not return {size} values", "return z, cache / dh_prev, dW, db")
    return result


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.points(1)
def test_dense_forward_shapes(student, reference, shape):
    """z^i = h^{i-1} W^{iT} + b^i for widths 1 to 16, one data point per row."""
    m, n_in, n_out = shape
    h_prev, W, b, _ = _layer(300 + m, m, n_in, n_out)
    on = f"m = {m}, n_in = {n_in}, n_out = {n_out}"
    z, _ = _pair(student.layers.dense_forward(h_prev, W, b), "dense_forward", on, 2)
    z = as_array(z, "dense_forward's z", on, (m, n_out), ROWS)
    expected = reference.layers.dense_forward(h_prev, W, b)[0]
    check_close(z, expected, "dense_forward's z", on, ROWS, reveal=False)


@pytest.mark.parametrize("which", ["dh_prev", "dW", "db"])
@pytest.mark.parametrize("shape", SHAPES[:1] + SHAPES[-1:])
@pytest.mark.points(1)
def test_dense_backward(student, reference, shape, which):
    """dh_prev = dz W, dW = dz^T h_prev, db = the column sums of dz."""
    m, n_in, n_out = shape
    h_prev, W, b, dz = _layer(310 + m, m, n_in, n_out)
    on = f"m = {m}, n_in = {n_in}, n_out = {n_out}"
    _, cache = _pair(student.layers.dense_forward(h_prev, W, b), "dense_forward", on, 2)
    grads = _pair(student.layers.dense_backward(dz, cache), "dense_backward", on, 3)
    _, ref_cache = reference.layers.dense_forward(h_prev, W, b)
    expected = dict(zip(BACKWARD, reference.layers.dense_backward(dz, ref_cache), strict=True))
    what = f"dense_backward's {which}"
    got = as_array(grads[list(BACKWARD).index(which)], what, on, expected[which].shape)
    check_close(got, expected[which], what, on, BACKWARD[which], reveal=False)


@pytest.mark.points(1)
def test_dense_layer_with_large_values(student, reference):
    """Forward and backward with entries of size 1e3: the same products, no rescaling."""
    h_prev, W, b, dz = _layer(320, 4, 3, 5, scale=1e3)
    on = "entries of size about 1e3"
    z, cache = _pair(student.layers.dense_forward(h_prev, W, b), "dense_forward", on, 2)
    _, ref_cache = reference.layers.dense_forward(h_prev, W, b)
    check_close(
        as_array(z, "dense_forward's z", on, (4, 5)),
        reference.layers.dense_forward(h_prev, W, b)[0],
        "dense_forward's z",
        on,
        ROWS,
        reveal=False,
    )
    grads = _pair(student.layers.dense_backward(dz, cache), "dense_backward", on, 3)
    for name, got, expected in zip(
        BACKWARD, grads, reference.layers.dense_backward(dz, ref_cache), strict=True
    ):
        what = f"dense_backward's {name}"
        check_close(
            as_array(got, what, on, expected.shape),
            expected,
            what,
            on,
            BACKWARD[name],
            reveal=False,
        )


@pytest.mark.points(1)
def test_dense_forward_rejects_mismatched_shapes(student):
    """W^i is (n_i, n_{i-1}) and b^i (n_i,): shapes that do not fit raise ValueError."""
    h_prev, W, b, _ = _layer(330, 4, 3, 2)
    _pair(student.layers.dense_forward(h_prev, W, b), "dense_forward", "fitting shapes", 2)
    idea = "W^i is (n_i, n_{i-1}); a wrong shape deserves a ValueError that names the shapes"
    check_raises_value_error(
        lambda: student.layers.dense_forward(h_prev, W.T, b),
        "dense_forward",
        "h_prev (4, 3) with W given transposed, (3, 2), and b (2,)",
        idea,
    )
    check_raises_value_error(
        lambda: student.layers.dense_forward(h_prev, W, np.zeros(3)),
        "dense_forward",
        "h_prev (4, 3), W (2, 3) and b of length 3",
        idea,
    )
    # NumPy would broadcast these silently into a (4, 2) or (4, 3) z: only a check catches them.
    check_raises_value_error(
        lambda: student.layers.dense_forward(h_prev, W, np.zeros(1)),
        "dense_forward",
        "h_prev (4, 3), W (2, 3) and b of length 1 (NumPy would broadcast b silently)",
        idea + "; len(b) must equal W's rows even where NumPy would broadcast",
    )
    check_raises_value_error(
        lambda: student.layers.dense_forward(h_prev, W[:1], np.zeros(3)),
        "dense_forward",
        "h_prev (4, 3), W (1, 3) and b of length 3 (NumPy would broadcast z silently)",
        idea + "; W's rows must equal len(b) even where NumPy would broadcast",
    )
