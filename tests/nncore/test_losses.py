"""Losses: the lecture's per-example formulas, batch means, gradients, the fused deltas."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nncore as nn


def test_mse_is_mean_over_rows_of_summed_squares():
    h = np.array([[1.0, 2.0], [0.0, -1.0]])
    y = np.array([[0.0, 0.0], [1.0, 1.0]])
    assert nn.mse(h, y) == pytest.approx(((1 + 4) + (1 + 4)) / 2)
    assert nn.mse(np.array([1.0, 3.0]), np.array([[0.0], [1.0]])) == pytest.approx((1 + 4) / 2)


def test_binary_nll_closed_form():
    p, y = np.array([0.9, 0.2, 0.5]), np.array([1.0, 0.0, 1.0])
    expected = (-math.log(0.9) - math.log(0.8) - math.log(0.5)) / 3
    assert nn.binary_nll(p, y) == pytest.approx(expected, rel=1e-14)


def test_binary_nll_with_logits_equals_probability_form(rng):
    z = rng.normal(0, 4, size=(7, 1))
    y = rng.integers(0, 2, size=(7, 1)).astype(float)
    p = 1 / (1 + np.exp(-z))
    assert nn.binary_nll_with_logits(z, y) == pytest.approx(nn.binary_nll(p, y), rel=1e-12)


def test_cross_entropy_with_labels_and_one_hot(rng):
    p = nn.softmax(rng.normal(size=(4, 3)))
    labels = np.array([0, 2, 1, 2])
    expected = -np.mean([math.log(p[r, c]) for r, c in enumerate(labels)])
    assert nn.cross_entropy(p, labels) == pytest.approx(expected, rel=1e-14)
    assert nn.cross_entropy(p, nn.one_hot(labels, 3)) == pytest.approx(expected, rel=1e-14)


@given(
    arrays(
        np.float64, st.tuples(st.integers(1, 5), st.integers(2, 5)), elements=st.floats(-1e4, 1e4)
    ),
    st.floats(1e-3, 1e3),
    st.data(),
)
def test_cross_entropy_with_logits_is_stable_and_matches_log_softmax(z, alpha, data):
    labels = np.array(
        data.draw(
            st.lists(st.integers(0, z.shape[1] - 1), min_size=z.shape[0], max_size=z.shape[0])
        )
    )
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = nn.cross_entropy_with_logits(z, labels, alpha=alpha)
        grad = nn.cross_entropy_with_logits_grad(z, labels, alpha=alpha)
    lp = nn.log_softmax(z, alpha=alpha)
    assert loss == pytest.approx(-lp[np.arange(len(labels)), labels].mean(), rel=1e-12)
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-9 * alpha)  # rows of p - y sum to 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_from_logits_at_extremes(dtype, strict):
    z = np.array([[1e4], [-1e4], [0.0]], dtype=dtype)
    y = np.array([[0.0], [1.0], [1.0]], dtype=dtype)
    assert nn.binary_nll_with_logits(z, y) == pytest.approx((1e4 + 1e4 + math.log(2)) / 3, rel=1e-6)
    g = nn.binary_nll_with_logits_grad(z, y)
    assert g.dtype == dtype
    np.testing.assert_allclose(g[:, 0], [1 / 3, -1 / 3, -0.5 / 3], rtol=1e-6)
    zc = np.array([[1e4, -1e4, 0.0]], dtype=dtype)
    assert nn.cross_entropy_with_logits(zc, [1], alpha=1e3) == pytest.approx(2e7, rel=1e-6)


@pytest.mark.parametrize(
    ("z", "y", "alpha", "loss"),
    [
        # all the mass on the true class, another score 2e308 below: ln p = -inf there, 0 counts
        ([[1e308, -1e308, 0.0]], [0], 1.0, 0.0),
        # the true class 2e308 below the maximum: the loss 2e308 lies beyond the float range
        ([[1e308, -1e308, 0.0]], [1], 1.0, math.inf),
        ([[1e308, 0.0]], [1], 2.0, math.inf),  # alpha z = 2e308 overflowed to inf - inf = nan
        ([[1e308, -1e308]], [1], 1e-3, 2e305),  # alpha brings the gap back into range
        # two rows of loss 1e308: their sum overflows, their mean does not
        ([[1e308, -1e308], [-1e308, 1e308]], [1, 0], 0.5, 1e308),
    ],
)
def test_cross_entropy_with_logits_over_the_whole_float_range(strict, z, y, alpha, loss):
    """Closed forms: -alpha (z_y - max z) when the other classes' terms round away."""
    assert nn.cross_entropy_with_logits(np.array(z), np.array(y), alpha=alpha) == loss


def test_a_batch_mean_in_range_is_not_lost_to_an_overflowing_sum(strict):
    """softplus(1e308) = 1e308 per row: the mean of two is 1e308, their sum is beyond range."""
    z = np.array([1e308, 1e308])
    assert nn.binary_nll_with_logits(z, np.zeros(2)) == 1e308
    assert nn.binary_nll(np.array([0.5, 0.5]), np.zeros(2)) == pytest.approx(math.log(2))
    assert nn.mse(np.array([1e154, 1e154]), np.zeros(2)) == pytest.approx(1e308)


@pytest.mark.parametrize(
    "dtype, a, want, rel",
    [(np.float64, 1.5e154, 1.125e308, 1e-15), (np.float32, 2e19, 2e38, 1e-6)],
)
def test_mse_in_range_when_a_square_is_not(strict, dtype, a, want, rel):
    """Rows with errors a and 0: mse = a^2 / 2, in range although a^2 is not (1.5e154^2 =
    2.25e308 in float64, 2e19^2 = 4e38 in float32)."""
    h = np.array([a, 0.0], dtype=dtype)
    assert nn.mse(h, np.zeros(2, dtype=dtype)) == pytest.approx(want, rel=rel)


def test_mse_and_its_gradient_beyond_the_float_range(strict):
    """A loss beyond the range is +inf without a warning; a gradient 2 (h - y) / m whose
    difference overflows but whose value does not is that value."""
    assert nn.mse(np.array([1e308]), np.array([-1e308])) == math.inf
    assert nn.mse(np.array([1e200]), np.array([0.0])) == math.inf
    assert nn.mse(np.array([3e19, 0], np.float32), np.zeros(2, np.float32)) == math.inf  # 4.5e38
    h, y = np.array([1e308, 0, 0, 0]), np.array([-1e308, 0, 0, 0])
    np.testing.assert_allclose(nn.mse_grad(h, y), [1e308, 0, 0, 0], rtol=1e-15)  # 2 * 2e308 / 4
    assert nn.mse_grad(np.array([1e308]), np.array([-1e308]))[0] == math.inf
    g32 = nn.mse_grad(np.array([3e38, 0, 0, 0], np.float32), np.array([-3e38, 0, 0, 0], np.float32))
    assert g32.dtype == np.float32 and g32[0] == pytest.approx(3e38, rel=1e-6)


@pytest.mark.parametrize("dtype, m, p", [(np.float64, 100, 1e-310), (np.float32, 100, 1e-40)])
def test_probability_gradients_in_range_for_a_subnormal_probability(strict, dtype, m, p):
    """d/dp of -ln p averaged over m rows is -1 / (m p): 1e-310 and 1e-40 are subnormal, 1 / p
    is beyond the range, 1 / (m p) (1e308, 1e38) is not."""
    want = -1.0 / (m * float(p))
    g = nn.binary_nll_grad(np.full(m, p, dtype), np.ones(m, dtype))
    assert g.dtype == dtype and g[0] == pytest.approx(want, rel=1e-4)
    probs = np.zeros((m, 2), dtype)
    probs[:, 0], probs[:, 1] = p, 1 - np.asarray(p, dtype)
    g = nn.cross_entropy_grad(probs, np.zeros(m, int))
    assert g.dtype == dtype and g[0, 0] == pytest.approx(want, rel=1e-4) and g[0, 1] == 0


def test_probability_gradients_beyond_the_range_are_infinite_without_a_warning(strict):
    """-1 / (1 * 5e-324) is beyond float64's range: -inf, the honest limit, and no warning."""
    assert nn.binary_nll_grad(np.array([5e-324]), np.array([1.0]))[0] == -math.inf
    assert nn.cross_entropy_grad(np.array([[5e-324, 1.0]]), [0])[0, 0] == -math.inf
    assert nn.binary_nll_grad(np.array([1.0]), np.array([0.0]))[0] == math.inf


def test_probability_losses_are_honestly_infinite_on_a_certain_mistake():
    assert nn.binary_nll(np.array([0.0]), np.array([1.0])) == math.inf
    assert nn.cross_entropy(np.array([[1.0, 0.0]]), [1]) == math.inf
    # ... but a certain correct answer costs nothing, with no 0 * ln 0 = nan
    assert nn.binary_nll(np.array([1.0, 0.0]), np.array([1.0, 0.0])) == 0.0
    assert nn.cross_entropy(np.array([[1.0, 0.0]]), [0]) == 0.0


LOSS_CASES = [
    ("mse", lambda r: r.normal(size=(4, 3)), lambda r: r.normal(size=(4, 3))),
    (
        "binary_nll",
        lambda r: r.uniform(0.05, 0.95, (5, 1)),
        lambda r: r.integers(0, 2, (5, 1)) * 1.0,
    ),
    ("binary_nll_with_logits", lambda r: r.normal(0, 3, (5, 2)), lambda r: r.uniform(0, 1, (5, 2))),
    ("cross_entropy", lambda r: nn.softmax(r.normal(size=(4, 3))), lambda r: r.integers(0, 3, 4)),
    ("cross_entropy_with_logits", lambda r: r.normal(0, 3, (4, 3)), lambda r: r.integers(0, 3, 4)),
]


@pytest.mark.parametrize("name,make_input,make_y", LOSS_CASES, ids=[c[0] for c in LOSS_CASES])
def test_every_loss_gradient_against_central_differences(name, make_input, make_y, rng):
    loss, grad = nn.LOSSES[name]
    inp, y = make_input(rng), make_y(rng)
    numeric = nn.numerical_gradient(lambda t: loss(t, y), inp.copy())
    assert nn.relative_error(grad(inp, y), numeric) < 1e-7


def test_softmax_ce_gradient_with_alpha(rng):
    z, y = rng.normal(size=(3, 4)), np.array([1, 3, 0])
    for alpha in (0.1, 2.5):
        num = nn.numerical_gradient(
            lambda t, a=alpha: nn.cross_entropy_with_logits(t, y, a), z.copy()
        )
        assert nn.relative_error(nn.cross_entropy_with_logits_grad(z, y, alpha), num) < 1e-7


def test_fused_deltas_are_h_minus_y(rng):
    """For the matched pairs, d loss / d z^k reduces to (h - y), up to the loss's scaling."""
    m = 6
    z = rng.normal(size=(m, 3))
    y = rng.normal(size=(m, 3))
    np.testing.assert_allclose(nn.mse_grad(z, y), 2 * (z - y) / m)  # identity: h = z
    zb, yb = rng.normal(size=(m, 1)), rng.integers(0, 2, (m, 1)).astype(float)
    np.testing.assert_allclose(
        nn.binary_nll_with_logits_grad(zb, yb), (1 / (1 + np.exp(-zb)) - yb) / m, rtol=1e-12
    )
    labels = rng.integers(0, 3, m)
    np.testing.assert_allclose(
        nn.cross_entropy_with_logits_grad(z, labels), (nn.softmax(z) - nn.one_hot(labels, 3)) / m
    )
    # the chain rule through the unit gives the same: dl/dh * dh/dz
    p = nn.softmax(z)
    chain = np.einsum("ri,rij->rj", nn.cross_entropy_grad(p, labels), nn.softmax_jacobian(p))
    np.testing.assert_allclose(chain, nn.cross_entropy_with_logits_grad(z, labels), atol=1e-12)


def test_sigmoid_with_squared_error_stalls_where_nll_does_not():
    """Mismatched pair: d/dz (sigma(z) - y)^2 = 2 (h - y) sigma'(z) -> 0 on a confident mistake."""
    z, y = np.array([[-12.0]]), np.array([[1.0]])
    mismatched = nn.numerical_gradient(lambda t: nn.mse(nn.sigmoid(t), y), z.copy())[0, 0]
    matched = nn.binary_nll_with_logits_grad(z, y)[0, 0]
    assert abs(mismatched) < 1e-4 and matched == pytest.approx(-1.0, abs=1e-5)


def test_bad_shapes_and_labels_are_named():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(2, 2\)"):
        nn.mse(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="out of range"):
        nn.cross_entropy_with_logits(np.zeros((2, 3)), [0, 3])
    with pytest.raises(ValueError, match="labels"):
        nn.cross_entropy_with_logits(np.zeros((2, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match="one-hot"):
        nn.cross_entropy_with_logits(np.zeros((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nn.binary_nll_with_logits(np.zeros(2), np.array([0.0, 2.0]))
    with pytest.raises(ValueError, match="probabilities"):
        nn.binary_nll(np.array([1.5]), np.array([1.0]))
    with pytest.raises(ValueError, match="non-finite"):
        nn.mse(np.array([np.nan]), np.array([0.0]))


def test_targets_take_the_dtype_of_the_networks_side():
    h32 = np.array([[0.5, 1.5], [-2.0, 0.25]], np.float32)
    y64 = np.array([[0.1, 2.0], [-1.0, 1.0]])
    grad = nn.mse_grad(h32, y64)
    assert grad.dtype == np.float32
    # by hand, in float32: 2 (h - y) / m with m = 2
    np.testing.assert_array_equal(grad, (h32 - y64.astype(np.float32)) * np.float32(2 / 2))
    z32 = np.array([[1.0, -1.0, 0.0]], np.float32)
    assert nn.cross_entropy_with_logits_grad(z32, [2]).dtype == np.float32
    assert nn.binary_nll_with_logits_grad(z32, np.array([[1.0, 0.0, 1.0]])).dtype == np.float32
    assert nn.mse_grad(y64, h32).dtype == np.float64
    # a target a float32 network cannot hold is named, not turned into inf
    with pytest.raises(ValueError, match=r"y has a value beyond the range of float32.*1e\+300"):
        nn.mse(h32, np.array([[1e300, 0.0], [0.0, 0.0]]))


def test_one_data_point_as_a_vector():
    z = np.array([2.0, -1.0, 0.5])
    expected = -(2.0 - math.log(math.exp(2.0) + math.exp(-1.0) + math.exp(0.5)))
    assert nn.cross_entropy_with_logits(z, 0) == pytest.approx(expected, rel=1e-14)
    assert nn.cross_entropy_with_logits(z, [1.0, 0.0, 0.0]) == pytest.approx(expected, rel=1e-14)
    grad = nn.cross_entropy_with_logits_grad(z, 0)
    assert grad.shape == (3,)
    np.testing.assert_allclose(grad, nn.softmax(z) - [1, 0, 0])
    p = nn.softmax(z)
    assert nn.cross_entropy(p, 0) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="out of range"):
        nn.cross_entropy_with_logits(z, 3)


def test_scalar_losses_for_one_data_point_with_one_output():
    assert nn.binary_nll_with_logits(0.0, 1) == pytest.approx(math.log(2))
    assert nn.binary_nll(0.25, 0) == pytest.approx(-math.log(0.75))
    assert nn.mse(3.0, 1.0) == pytest.approx(4.0)
    assert float(nn.binary_nll_with_logits_grad(0.0, 1)) == pytest.approx(-0.5)


@pytest.mark.parametrize(
    ("call", "values"),
    [
        (lambda: nn.binary_nll(np.array([1.5, 0.2]), np.array([1.0, 0.0])), "0.2..1.5"),
        (lambda: nn.binary_nll_grad(np.array([1.5, 0.2]), np.array([1.0, 0.0])), "0.2..1.5"),
        (lambda: nn.cross_entropy(np.array([[1.5, -0.5]]), np.array([0])), "-0.5..1.5"),
        (lambda: nn.cross_entropy_grad(np.array([[1.5, -0.5]]), np.array([0])), "-0.5..1.5"),
        (lambda: nn.softmax_jacobian(np.array([[2.0, -1.0]])), "-1.0..2.0"),
    ],
)
def test_functions_of_probabilities_reject_other_numbers(call, values):
    """Scores or any numbers given where probabilities belong: a ValueError naming the range,
    for the gradients and the softmax Jacobian as for the losses (they returned numbers)."""
    with pytest.raises(ValueError, match=r"p must be probabilities in \[0, 1\], got values ") as e:
        call()
    assert values in str(e.value)
