"""Exercise 6 (hidden tests): layer Jacobians, deep products and norms on more networks."""

import numpy as np
import pytest
from _checks import as_array, check_close, check_finite, check_true, fail

pytestmark = [pytest.mark.ex6_vanishing, pytest.mark.filterwarnings("error::RuntimeWarning")]

JACOBIAN = "A^i = diag(sigma'(z^i)) W^i: row j of W^i scaled by sigma'(z^i_j), one per data point"
PRODUCT = "d h^k / d h^i = A^k ... A^{i+1}: the top layer multiplies from the left"
NORMS = "entry i-1 is the mean over rows of ||A^k ... A^i||_F"


def _stack(seed, sizes, m=3, scale=1.0):
    rng = np.random.default_rng(seed)
    shapes = [(n, n_prev) for n_prev, n in zip(sizes[:-1], sizes[1:], strict=True)]
    weights = [rng.normal(scale=scale / np.sqrt(shape[1]), size=shape) for shape in shapes]
    biases = [rng.normal(scale=0.1, size=n) for n in sizes[1:]]
    return rng.normal(size=(m, sizes[0])), weights, biases


@pytest.mark.parametrize("activation", ["identity", "sigmoid", "tanh", "relu", "softplus"])
@pytest.mark.points(1)
def test_layer_jacobian(student, reference, activation):
    """A^i = diag(sigma'(z^i)) W^i for every data point and each activation."""
    rng = np.random.default_rng(600)
    z, W = rng.normal(scale=2.0, size=(4, 5)), rng.normal(size=(5, 3))
    on = f"a (4, 5) z, a (5, 3) W, {activation}"
    got = student.vanishing.layer_jacobian(z, W, activation)
    got = as_array(got, "layer_jacobian", on, (4, 5, 3), "shape (m, n_i, n_{i-1})")
    expected = reference.vanishing.layer_jacobian(z, W, activation)
    check_close(got, expected, "layer_jacobian", on, JACOBIAN, reveal=False)


@pytest.mark.points(1)
def test_layer_jacobian_at_huge_pre_activations(student, reference):
    """A saturated sigmoid has sigma' = 0, computed without nan; unsaturated units scale W."""
    z = np.array([[1e4, -1e4, 800.0, -800.0, 0.5, -2.0]])
    W = np.arange(1.0, 13.0).reshape(6, 2)
    on = "z = [1e4, -1e4, 800, -800, 0.5, -2], sigmoid"
    got = as_array(
        student.vanishing.layer_jacobian(z, W, "sigmoid"), "layer_jacobian", on, (1, 6, 2)
    )
    idea = "a saturated sigmoid has sigma' = 0: compute sigma' stably, it must not be nan"
    check_finite(got, "layer_jacobian", on, idea)
    check_close(
        got,
        reference.vanishing.layer_jacobian(z, W, "sigmoid"),
        "layer_jacobian",
        on,
        idea,
        reveal=False,
    )


@pytest.mark.points(1)
def test_jacobian_product_of_a_long_chain(student, reference):
    """d h^k / d h^i = A^k ... A^{i+1}: the top layer multiplies from the left."""
    rng = np.random.default_rng(601)
    widths = [3, 5, 2, 4, 4, 1, 3, 2]
    jacobians = [
        rng.normal(size=(2, n, n_prev)) for n_prev, n in zip(widths[:-1], widths[1:], strict=True)
    ]
    on = "7 Jacobians with widths 3-5-2-4-4-1-3-2, bottom first"
    got = as_array(
        student.vanishing.jacobian_product(jacobians), "jacobian_product", on, (2, 2, 3), PRODUCT
    )
    check_close(
        got,
        reference.vanishing.jacobian_product(jacobians),
        "jacobian_product",
        on,
        PRODUCT,
        reveal=False,
    )


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
@pytest.mark.points(1)
def test_input_jacobians(student, reference, activation):
    """Each A^i is evaluated at z^i computed from the previous layer's output h^{i-1}."""
    sizes = [4, 6, 5, 3]
    x, weights, biases = _stack(602, sizes)
    on = f"a 4-6-5-3 {activation} stack on 3 rows"
    result = student.vanishing.input_jacobians(x, weights, biases, activation)
    expected = reference.vanishing.input_jacobians(x, weights, biases, activation)
    if not isinstance(result, list | tuple) or len(result) != len(expected):
        fail("input_jacobians", on, f"did not return a list of {len(expected)} arrays", JACOBIAN)
    for i, (got, want) in enumerate(zip(result, expected, strict=True), start=1):
        got = as_array(
            got, f"input_jacobians' A^{i}", on, want.shape, "A^i has shape (m, n_i, n_{i-1})"
        )
        idea = JACOBIAN + "; z^i comes from the previous layer's OUTPUT h^{i-1}"
        check_close(got, want, f"input_jacobians' A^{i}", on, idea, reveal=False)


@pytest.mark.parametrize("activation", ["tanh", "softplus"])
@pytest.mark.points(1)
def test_jacobian_norms_random(student, reference, activation):
    """Entry i-1 is the mean over rows of ||A^k ... A^i||_F."""
    sizes = [5, 7, 6, 6, 4]
    x, weights, biases = _stack(603, sizes)
    on = f"a 5-7-6-6-4 {activation} stack on 3 rows"
    got = as_array(
        student.vanishing.jacobian_norms(x, weights, biases, activation),
        "jacobian_norms",
        on,
        (4,),
        "one norm per layer",
    )
    check_close(
        got,
        reference.vanishing.jacobian_norms(x, weights, biases, activation),
        "jacobian_norms",
        on,
        NORMS,
        1e-6,
        reveal=False,
    )


@pytest.mark.points(1)
def test_jacobian_norms_vanish_over_thirty_sigmoid_layers(student, reference):
    """Thirty factors with sigma' <= 1/4: the gradient norm vanishes but stays positive."""
    sizes = [4] * 31
    x, weights, biases = _stack(604, sizes)
    on = "30 sigmoid layers of width 4"
    got = as_array(
        student.vanishing.jacobian_norms(x, weights, biases, "sigmoid"), "jacobian_norms", on, (30,)
    )
    idea = "the product of 30 factors each <= 1/4 ||W||: tiny but finite and positive"
    check_finite(got, "jacobian_norms", on, idea)
    check_true((got > 0).all(), "jacobian_norms", on, "underflowed to 0 or went negative", idea)
    # finite and positive but not the right value: what is off is the product, not vanishing
    value = NORMS + ", the top layer on the left"
    check_close(
        got,
        reference.vanishing.jacobian_norms(x, weights, biases, "sigmoid"),
        "jacobian_norms",
        on,
        value,
        1e-6,
        0,
        reveal=False,
    )


@pytest.mark.points(1)
def test_jacobian_norms_explode_over_forty_relu_layers(student):
    """Forty layers with W = 3 I multiply the gradient by 3 each: it explodes."""
    k, n = 40, 2
    weights, biases = [3.0 * np.eye(n)] * k, [np.zeros(n)] * k
    x = np.array([[1.0, 0.5]])
    on = f"{k} relu layers with W = 3 I on a positive x"
    got = as_array(
        student.vanishing.jacobian_norms(x, weights, biases, "relu"), "jacobian_norms", on, (k,)
    )
    expected = np.sqrt(n) * 3.0 ** np.arange(k, 0, -1)
    idea = "each layer with W = 3 I multiplies the gradient by 3: the product explodes with depth"
    check_close(got, expected, "jacobian_norms", on, idea, 1e-9, reveal=False)


@pytest.mark.points(1)
def test_sigmoid_jacobians_are_at_most_a_quarter_of_w(student):
    """sigma' <= 1/4, so |A^i| <= |W^i| / 4 entrywise, with equality where z = 0."""
    sizes = [5, 5, 5]
    x, weights, biases = _stack(605, sizes, scale=3.0)
    biases[0] = -weights[0] @ x[0]  # z^1 = 0 on row 0: there sigma' = 1/4 exactly
    on = "a 5-5-5 sigmoid stack, z^1 = 0 on the first row"
    result = student.vanishing.input_jacobians(x, weights, biases, "sigmoid")
    if not isinstance(result, list | tuple) or len(result) != 2:
        fail("input_jacobians", on, "did not return a list of 2 arrays", JACOBIAN)
    idea = "sigma' <= 1/4, so every entry |A^i_{jl}| <= |W^i_{jl}| / 4: the sigmoid shrinks"
    for i, (A, W) in enumerate(zip(result, weights, strict=True), start=1):
        A = as_array(A, f"input_jacobians' A^{i}", on, (3, 5, 5))
        check_true(
            np.all(np.abs(A) <= np.abs(W) / 4 + 1e-15),
            f"input_jacobians' A^{i}",
            on,
            "has an entry larger than |W| / 4",
            idea,
        )
    A1 = as_array(result[0], "input_jacobians' A^1", on, (3, 5, 5))
    check_close(
        A1[0], weights[0] / 4, "input_jacobians' A^1", on + ", row 0", idea + "; at z = 0 it is 1/4"
    )
