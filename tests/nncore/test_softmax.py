"""Softmax and friends: the properties the lecture states, checked for all inputs."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nncore as nn

logits = arrays(
    np.float64,
    st.tuples(st.integers(1, 6), st.integers(2, 7)),
    elements=st.floats(-1e4, 1e4, allow_nan=False),
)
alphas = st.floats(1e-3, 1e3)


def naive_softmax(z):
    """Independent reference in exact-ish arithmetic for moderate z (math.fsum over rows)."""
    out = np.empty_like(z)
    for r, row in enumerate(z):
        e = [math.exp(v) for v in row]
        s = math.fsum(e)
        out[r] = [v / s for v in e]
    return out


@given(logits, alphas)
def test_rows_are_distributions(z, alpha):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = nn.softmax(z, alpha=alpha)
    assert (p >= 0).all() and (p <= 1).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


@given(logits, st.floats(-1e3, 1e3))
def test_translation_invariance(z, c):
    np.testing.assert_allclose(nn.softmax(z + c), nn.softmax(z), atol=1e-9)


@given(logits, alphas)
def test_exp_log_softmax_is_softmax(z, alpha):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        lp = nn.log_softmax(z, alpha=alpha)
    assert np.isfinite(lp).all() and (lp <= 0).all()
    np.testing.assert_allclose(np.exp(lp), nn.softmax(z, alpha=alpha), atol=1e-12)


def test_matches_the_textbook_formula_for_moderate_logits(rng):
    z = rng.normal(0, 3, size=(5, 4))
    np.testing.assert_allclose(nn.softmax(z), naive_softmax(z), rtol=1e-12)
    np.testing.assert_allclose(nn.softmax(z, alpha=0.5), naive_softmax(0.5 * z), rtol=1e-12)


def test_alpha_to_zero_gives_uniform_and_large_alpha_gives_one_hot():
    z = np.array([[1.0, 3.0, -2.0, 0.5]])
    np.testing.assert_allclose(nn.softmax(z, alpha=1e-9), 0.25, atol=1e-8)
    np.testing.assert_allclose(nn.softmax(z, alpha=1e3), [[0, 1, 0, 0]], atol=1e-300)


@given(logits)
def test_alpha_limits_for_any_logits(z):
    uniform = nn.softmax(z, alpha=1e-3 / (1 + np.abs(z).max()))
    np.testing.assert_allclose(uniform, 1 / z.shape[1], rtol=2e-3)


def test_large_alpha_puts_all_mass_on_the_maximum():
    z = np.array([[0.0, 0.2, 0.1], [5.0, -1.0, 4.0]])
    p = nn.softmax(z, alpha=1e3)
    np.testing.assert_array_equal(p.argmax(axis=1), [1, 0])
    np.testing.assert_allclose(p.max(axis=1), 1.0, atol=1e-40)


def test_overflow_case_from_the_lecture(strict):
    z = np.array([[1000.0, 0.0, -1000.0]])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(z) / np.exp(z).sum()
    assert np.isnan(naive).any()  # the contrast: the naive formula breaks
    np.testing.assert_allclose(nn.softmax(z), [[1.0, 0.0, 0.0]])
    assert nn.log_softmax(z)[0, 2] == pytest.approx(-2000.0)


BIG = np.finfo(np.float64).max  # 1.797e308


@pytest.mark.parametrize(
    ("z", "alpha", "p", "log_p"),
    [
        # a score range wider than the floats: z_2 - z_1 = -2e308 rounds to -inf
        ([[1e308, -1e308, 0.0]], 1.0, [[1, 0, 0]], [[0, -np.inf, -1e308]]),
        # alpha z overflows (2e308) although alpha (z - max z) is what counts
        ([[1e308, 0.0]], 2.0, [[1, 0]], [[0, -np.inf]]),
        ([[BIG, BIG]], 1e3, [[0.5, 0.5]], [[-math.log(2), -math.log(2)]]),
        # alpha < 1 brings a gap of 2e308 back into range: alpha (z_2 - z_1) = -2e305 exactly
        ([[1e308, -1e308]], 1e-3, [[1, 0]], [[0, -2e305]]),
        ([[-BIG, -BIG, BIG]], 0.5, [[0, 0, 1]], [[-BIG, -BIG, 0]]),
    ],
)
def test_scores_over_the_whole_float_range(strict, z, alpha, p, log_p):
    """Closed forms at the edges of float64: no nan, no warning, -inf only where the true value
    lies below the float range."""
    np.testing.assert_array_equal(nn.softmax(np.array(z), alpha=alpha), p)
    np.testing.assert_allclose(nn.log_softmax(np.array(z), alpha=alpha), log_p, rtol=1e-15)


@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(2, 6)),
        elements=st.floats(-BIG, BIG, allow_nan=False, allow_infinity=False),
    ),
    alphas,
)
def test_any_finite_scores_give_distributions(z, alpha):
    """Any finite scores, any alpha in [1e-3, 1e3]: rows sum to 1, the largest score gets the
    largest probability, log_softmax is its logarithm (between -ln n and 0 at the maximum) and
    never nan; no warning."""
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = nn.softmax(z, alpha=alpha)
        log_p = nn.log_softmax(z, alpha=alpha)
    assert np.isfinite(p).all() and not np.isnan(log_p).any()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    rows = np.arange(len(z))
    np.testing.assert_array_equal(p[rows, z.argmax(axis=1)], p.max(axis=1))
    top = log_p.max(axis=1)
    assert (top <= 0).all() and (top >= -math.log(z.shape[1]) * (1 + 1e-15)).all()
    np.testing.assert_allclose(np.exp(log_p), p, rtol=1e-12, atol=1e-300)


def test_float32_scores_at_the_edge_of_float32(strict):
    z = np.array([[3e38, -3e38, 0.0]], dtype=np.float32)
    for alpha in (1e-3, 1.0, 1e3):
        p = nn.softmax(z, alpha=alpha)
        assert p.dtype == np.float32
        np.testing.assert_array_equal(p, [[1, 0, 0]])


@given(
    arrays(
        np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=st.floats(-1e3, 1e3)
    )
)
def test_softmax_reduced_is_softmax_with_last_score_zero(z):
    full = np.concatenate([z, np.zeros((z.shape[0], 1))], axis=1)
    np.testing.assert_allclose(nn.softmax_reduced(z), nn.softmax(full), atol=1e-15)
    assert nn.softmax_reduced(z).shape == (z.shape[0], z.shape[1] + 1)


@given(st.floats(-700, 700))
def test_softmax_reduced_two_classes_is_the_sigmoid(v):
    p = nn.softmax_reduced(np.array([[v]]))
    assert p[0, 0] == pytest.approx(nn.sigmoid(np.array([v]))[0], rel=1e-12, abs=1e-300)
    assert p[0, 1] == pytest.approx(1 / (1 + math.exp(v)), rel=1e-12, abs=1e-300)


def test_softmax_reduced_closed_form():
    z = np.array([0.5, -1.0])
    denom = 1 + math.exp(0.5) + math.exp(-1.0)
    np.testing.assert_allclose(
        nn.softmax_reduced(z), [math.exp(0.5) / denom, math.exp(-1.0) / denom, 1 / denom]
    )


def test_two_logit_view_equals_sigmoid_of_difference():
    z = np.array([[0.3, 1.7]])  # [z_0, z_1]
    p1 = nn.softmax(z)[0, 1]
    assert p1 == pytest.approx(nn.sigmoid(np.array([1.7 - 0.3]))[0], rel=1e-14)


def test_axis_argument():
    z = np.array([[1.0, 2.0], [3.0, 5.0]])
    np.testing.assert_allclose(nn.softmax(z, axis=0), nn.softmax(z.T).T)
    np.testing.assert_allclose(nn.softmax(z[0]), nn.softmax(z)[0])


def test_float32_is_kept(strict):
    z = np.array([[1e4, -1e4, 3.0]], dtype=np.float32)
    for fn in (nn.softmax, nn.log_softmax):
        out = fn(z, alpha=1e3)
        assert out.dtype == np.float32 and np.isfinite(out).all()
    assert nn.softmax_reduced(z).dtype == np.float32


@pytest.mark.parametrize("alpha", [0, -1.0, float("nan"), float("inf")])
def test_bad_alpha(alpha):
    with pytest.raises(ValueError, match="alpha"):
        nn.softmax(np.zeros((1, 3)), alpha=alpha)
    with pytest.raises(ValueError, match="alpha"):
        nn.log_softmax(np.zeros((1, 3)), alpha=alpha)


def test_bad_logits():
    with pytest.raises(ValueError, match="non-finite"):
        nn.softmax(np.array([[1.0, np.nan]]))
    with pytest.raises(ValueError, match="scalar"):
        nn.softmax(np.float64(1.0))
    with pytest.raises(TypeError, match="alpha"):
        nn.softmax(np.zeros((1, 2)), alpha="big")


def test_one_hot():
    y = nn.one_hot(np.array([2, 0, 1]), 3)
    np.testing.assert_array_equal(y, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert y.dtype == np.float64


@pytest.mark.parametrize("labels", [[0, 3], [-1, 0]])
def test_one_hot_out_of_range_names_the_labels(labels):
    with pytest.raises(ValueError, match="out of range"):
        nn.one_hot(np.array(labels), 3)


def test_one_hot_rejects_fractional_labels_and_bad_counts():
    with pytest.raises(ValueError, match="whole numbers"):
        nn.one_hot(np.array([0.5]), 2)
    with pytest.raises(ValueError, match="at least 1"):
        nn.one_hot(np.array([0]), 0)


def test_softmax_jacobian_against_central_differences(rng):
    z = rng.normal(size=(1, 4))
    J = nn.softmax_jacobian(nn.softmax(z))[0]
    for i in range(4):
        num = nn.numerical_gradient(lambda t, i=i: nn.softmax(t)[0, i], z.copy())
        np.testing.assert_allclose(J[i], num[0], atol=1e-9)
