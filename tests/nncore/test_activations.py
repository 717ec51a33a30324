"""Activations: closed forms, the lecture's identities, derivatives against central differences."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nncore as nn

finite = st.floats(-50, 50, allow_nan=False)
vectors = arrays(np.float64, st.integers(1, 20), elements=finite)

CLOSED_FORMS = {
    "identity": (lambda v: v, lambda v: 1.0),
    "sigmoid": (
        lambda v: 1 / (1 + math.exp(-v)),
        lambda v: math.exp(-v) / (1 + math.exp(-v)) ** 2,
    ),
    "tanh": (math.tanh, lambda v: 1 / math.cosh(v) ** 2),
    "relu": (lambda v: max(0.0, v), lambda v: 1.0 if v > 0 else 0.0),
    "softplus": (lambda v: math.log1p(math.exp(v)), lambda v: 1 / (1 + math.exp(-v))),
    "abs": (abs, lambda v: math.copysign(1.0, v) if v else 0.0),
}


def test_registry_has_the_lecture_activations():
    assert {"identity", "sigmoid", "tanh", "relu", "softplus", "abs"} <= set(nn.ACTIVATIONS)


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
@pytest.mark.parametrize("v", [-7.5, -1.0, -0.25, 0.3, 2.0, 9.0])
def test_matches_closed_form_with_math_module(name, v):
    fn, grad = CLOSED_FORMS[name]
    act = nn.get_activation(name)
    assert act(np.array([v]))[0] == pytest.approx(fn(v), rel=1e-12, abs=1e-15)
    assert act.grad(np.array([v]))[0] == pytest.approx(grad(v), rel=1e-9, abs=1e-15)


def test_kinks_follow_the_documented_convention():
    z = np.array([0.0])
    assert nn.get_activation("relu").grad(z)[0] == 0.0
    assert nn.get_activation("abs").grad(z)[0] == 0.0


@pytest.mark.parametrize("name", sorted(nn.ACTIVATIONS))
def test_derivative_matches_central_differences(name):
    act = nn.get_activation(name)
    z = np.array([-3.1, -1.2, -0.4, 0.35, 0.9, 2.7])  # away from kinks
    numeric = np.array([nn.numerical_gradient(lambda t: act(t).sum(), np.array([v]))[0] for v in z])
    np.testing.assert_allclose(act.grad(z), numeric, rtol=1e-6, atol=1e-9)


@given(vectors)
def test_tanh_is_a_rescaled_sigmoid(z):
    np.testing.assert_allclose(nn.tanh(z), 2 * nn.sigmoid(2 * z) - 1, atol=1e-12)


@given(vectors)
def test_softplus_derivative_is_the_sigmoid(z):
    np.testing.assert_allclose(nn.get_activation("softplus").grad(z), nn.sigmoid(z), rtol=1e-12)


@given(vectors)
def test_sigmoid_symmetry(z):
    np.testing.assert_allclose(nn.sigmoid(-z), 1 - nn.sigmoid(z), atol=1e-15)


@pytest.mark.parametrize("name", sorted(nn.ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_stable_at_extremes_and_keeps_dtype(name, dtype, strict):
    z = np.array([-1e4, -1e3, -30.0, 0.0, 30.0, 1e3, 1e4], dtype=dtype)
    act = nn.get_activation(name)
    h, g = act(z), act.grad(z)
    assert h.dtype == dtype and g.dtype == dtype
    assert np.isfinite(h).all() and np.isfinite(g).all()


@pytest.mark.parametrize("name", sorted(nn.ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_stable_over_the_whole_float_range(name, dtype, strict):
    """The largest and smallest floats of each dtype, subnormals included: no overflow, no nan."""
    info = np.finfo(dtype)
    edges = [info.max, info.max / 7, 1e30, info.tiny, info.smallest_subnormal]
    z = np.array(edges + [-v for v in edges], dtype=dtype)
    act = nn.get_activation(name)
    h, g = act(z), act.grad(z)
    assert h.dtype == dtype and g.dtype == dtype
    assert not np.isnan(h).any() and np.isfinite(g).all()


def test_gelu_at_the_largest_floats_is_its_limit(strict):
    """gelu(z) = z Phi(z) -> z for z -> inf and 0 for z -> -inf; its slope -> 1 and 0 (z^3
    inside its tanh overflowed from |z| = 1e103)."""
    gelu = nn.get_activation("gelu")
    z = np.array([1e308, 1e103, -1e103, -1e308])
    np.testing.assert_array_equal(gelu(z), [1e308, 1e103, 0.0, 0.0])
    np.testing.assert_array_equal(gelu.grad(z), [1.0, 1.0, 0.0, 0.0])


def test_extreme_values_are_the_limits(strict):
    z = np.array([-1e4, 1e4])
    np.testing.assert_array_equal(nn.sigmoid(z), [0.0, 1.0])
    np.testing.assert_array_equal(nn.softplus(z), [0.0, 1e4])
    np.testing.assert_array_equal(nn.tanh(z), [-1.0, 1.0])
    # softplus keeps precision far in the left tail: ln(1 + e^-40) = e^-40 to first order
    assert nn.softplus(np.array([-40.0]))[0] == pytest.approx(math.exp(-40), rel=1e-12)


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="relu.*"):
        nn.get_activation("rellu")
    with pytest.raises(ValueError) as err:
        nn.get_activation("swish")
    for name in ("sigmoid", "tanh", "relu", "softplus", "abs", "identity"):
        assert name in str(err.value)


def test_bad_input_types():
    with pytest.raises(TypeError):
        nn.get_activation(3)
    with pytest.raises(TypeError):
        nn.sigmoid(np.array(["a", "b"]))
    with pytest.raises(ValueError, match="non-finite"):
        nn.sigmoid(np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="non-finite"):
        nn.get_activation("relu").grad(np.array([np.inf]))
