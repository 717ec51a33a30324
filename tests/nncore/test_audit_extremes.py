"""Numerics at the edges and bad input, from the audit of 2026-12-07.

Every expected value is a closed form or an independent computation: mpmath at 60 digits from the
exact float inputs, a derivative worked out by hand in the test, or a limit.
"""

import math
import warnings

import mpmath
import numpy as np
import pytest

import nncore as nn

mpmath.mp.dps = 60


def exact_log_softmax(z, alpha):
    """alpha z_i - ln sum_j e^{alpha z_j} in 60-digit arithmetic, from the floats as stored."""
    scores = [mpmath.mpf(float(v)) * mpmath.mpf(alpha) for v in z]
    top = max(scores)
    total = mpmath.fsum(mpmath.exp(s - top) for s in scores)
    return [float(s - top - mpmath.log(total)) for s in scores]


@pytest.mark.parametrize(
    ("z", "alpha"),
    [
        ([1e4, -1e4, 9999.0], 0.3),
        ([1e4, 9990.0], 1e-3),
        ([1e20, 1e20 - 2.0**24], 1e-3),
        ([5e15, 5e15 - 3.0, 5e15 + 1.0], 0.5),
        ([-7e8, -7e8 - 0.25], 0.01),
    ],
)
def test_a_small_alpha_keeps_the_digits_of_the_gap(z, alpha):
    # alpha z - max(alpha z) rounds alpha z_i at the size of z_i: 600 ulp off at the first case,
    # 9 units off (-16768 for -16777.216) at the third. alpha (z - max z) keeps the gap's digits.
    expected = exact_log_softmax(z, alpha)
    got = nn.log_softmax(np.array(z), alpha=alpha)
    np.testing.assert_allclose(got, expected, rtol=8 * np.finfo(float).eps, atol=1e-300)
    ce = [nn.cross_entropy_with_logits(np.array([z]), [i], alpha=alpha) for i in range(len(z))]
    np.testing.assert_allclose(ce, [-v for v in expected], rtol=8 * np.finfo(float).eps)


def test_a_gap_beyond_the_float_range_is_scaled_from_the_products():
    # z_1 - z_0 = -2e308 is beyond the range; alpha z_1 - alpha z_0 = -2e305 is not
    got = nn.log_softmax(np.array([1e308, -1e308]), alpha=1e-3)
    assert got[0] == 0.0
    assert got[1] == pytest.approx(-2e305, rel=1e-15)
    np.testing.assert_array_equal(nn.softmax(np.array([1e308, -1e308]), alpha=1e-3), [1.0, 0.0])


def test_a_small_alpha_in_float32():
    z = np.array([1e4, 9990.0], dtype=np.float32)
    expected = exact_log_softmax(z, 1e-3)
    got = nn.log_softmax(z, alpha=1e-3)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=4 * np.finfo(np.float32).eps)


def test_tied_largest_scores_share_the_limit():
    # alpha -> inf: uniform over the tied largest scores, not one-hot
    np.testing.assert_allclose(nn.softmax([1.0, 1.0, 0.0], alpha=1e3), [0.5, 0.5, 0.0])


@pytest.mark.parametrize("z", [-30.0, -2.0, 0.0, 0.5, 2.0, 30.0])
def test_softmax_reduced_with_two_classes_is_the_sigmoid_of_label_0(z):
    # Pr(label 0) = e^z / (1 + e^z) = 1 / (1 + e^-z); the cross-entropy of label 0 is ln(1 + e^-z)
    p = nn.softmax_reduced(np.array([[z]]))
    assert p[0, 0] == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-15)
    assert nn.cross_entropy(p, [0]) == pytest.approx(math.log1p(math.exp(-z)), rel=1e-12)
    assert nn.binary_nll(nn.sigmoid(np.array([[z]])), [[1.0]]) == pytest.approx(
        math.log1p(math.exp(-z)), rel=1e-12
    )


# --- the MLP's passes at the float range's edge -------------------------------------------------


def test_a_dead_unit_under_huge_weights_has_gradient_zero_not_nan():
    # x = 1, W^1 = [[1], [-1]]: z^1 = [1, -1], h^1 = [1, 0] (unit 2 dead, relu'(-1) = 0).
    # W^2 = [[-1, 1.5e308], [-1, 1.5e308]]: z^2 = [-1, -1], two sigmoid outputs with y = [1, 1].
    # dl/dz^2 = sigma(-1) - 1 each; dl/dh^1_1 = -2 (sigma(-1) - 1) = 2 sigma(1) (finite), while
    # dl/dh^1_2 = 2 (sigma(-1) - 1) 1.5e308 is beyond the range, times relu'(-1) = 0: exactly 0.
    net = nn.MLP([1, 2, 2], hidden="relu", output="sigmoid", bias=False)
    net.weights[0][:] = [[1.0], [-1.0]]
    net.weights[1][:] = [[-1.0, 1.5e308], [-1.0, 1.5e308]]
    sigma_1 = 1 / (1 + math.exp(-1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grads = net.loss_and_grads(np.array([[1.0]]), np.array([[1.0, 1.0]]))
        report = net.backprop(np.array([[1.0]]), np.array([[1.0, 1.0]]))
    assert loss == pytest.approx(-2 * math.log(1 - sigma_1), rel=1e-14)
    for dW in (grads[0][0], report.grads[0][0]):
        assert dW[0, 0] == pytest.approx(2 * sigma_1, rel=1e-14)
        assert dW[1, 0] == 0.0
    np.testing.assert_allclose(grads[1][0], [[-sigma_1, 0.0], [-sigma_1, 0.0]], rtol=1e-14)


@pytest.mark.parametrize(
    ("where", "value", "named"),
    [
        ("bias", np.nan, "b^1"),
        ("bias", -np.inf, "b^1"),  # a dead unit's output would even be finite
        ("weight", np.inf, "W^2"),
    ],
)
@pytest.mark.parametrize("call", ["forward", "loss", "loss_and_grads", "backprop"])
def test_a_non_finite_parameter_is_named_by_every_pass(where, value, named, call):
    net = nn.MLP([2, 3, 1])
    if where == "bias":
        net.biases[0][0] = value
    else:
        net.weights[1][0, 0] = value
    args = (np.ones((1, 2)),) if call == "forward" else (np.ones((1, 2)), [0.0])
    with pytest.raises(ValueError, match=r"\^\d \(net\.\w+\[\d\]\) contains non-finite") as err:
        getattr(net, call)(*args)
    assert str(err.value).startswith(named)


def test_ieee_results_asked_for_let_a_non_finite_parameter_pass():
    # the trainers and the playground run under np.errstate(invalid="ignore") and stop or draw a
    # diverged network themselves
    net = nn.MLP([2, 3, 1])
    net.weights[1][0, 0] = np.nan
    with np.errstate(invalid="ignore"):
        loss, _ = net.loss_and_grads(np.ones((1, 2)), [0.0])
    assert math.isnan(loss)


def test_a_loss_beyond_the_range_is_inf_without_a_warning():
    net = nn.MLP([2, 3, 1])
    x = np.array([[1e308, 1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grads = net.loss_and_grads(x, [0.0])
        assert net.loss(x, [0.0]) == loss
    assert loss == math.inf
    assert not any(np.isnan(g).any() for pair in grads for g in pair)


def backward_overflow_net():
    """Forward finite, backward inf - inf: identity layers, x = 1e-300 keeps z^3 = 2 small,
    W^3 = [1e308, 1e308] makes dl/dh^2 = 2 (z^3 - y) W^3 = [+inf, +inf], and W^2 = [[1], [-1]]
    then gives dl/dh^1 = inf - inf."""
    net = nn.MLP([1, 1, 2, 1], hidden="identity", bias=False)
    net.weights[0][:] = [[1.0]]
    net.weights[1][:] = [[1.0], [-1.0]]
    net.weights[2][:] = [[1e308, 1e308]]
    return net


def test_a_backward_pass_with_no_value_names_the_layer():
    net = backward_overflow_net()
    for call in ("loss_and_grads", "backprop"):
        with pytest.raises(ValueError, match=r"backward pass left the float64 range: dl/dh\^2"):
            getattr(net, call)(np.array([[1e-300]]), [-1.0])


def test_a_backward_pass_with_no_value_is_nan_when_ieee_results_are_asked_for():
    with np.errstate(invalid="ignore"):
        loss, grads = backward_overflow_net().loss_and_grads(np.array([[1e-300]]), [-1.0])
    assert math.isfinite(loss)
    assert np.isnan(grads[0][0]).all()


# --- gradient checking at a kink -----------------------------------------------------------------


def test_gradient_check_names_the_kinks_it_straddles():
    # zero biases and x = 0: every z^1 is exactly 0, where relu' jumps; a central difference
    # there gives 1/2 of the one-sided slopes' sum while backprop takes relu'(0) = 0
    net = nn.MLP([2, 3, 1], hidden="relu", bias_init="zeros")
    report = nn.check_gradients(net, np.zeros((3, 2)), np.ones(3))
    assert report.kinks == [{"layer": 1, "activation": "relu", "count": 9}]
    assert "kink at z = 0" in str(report)


def test_gradient_check_away_from_kinks_names_none():
    net = nn.MLP([1, 2, 1], hidden="relu", bias=False)
    net.weights[0][:] = [[2.0], [-3.0]]  # z^1 = [2x, -3x] at x in {1, 2}: far from 0
    report = nn.check_gradients(net, np.array([[1.0], [2.0]]), np.ones(2))
    assert report.kinks == []
    assert report.passed()
    assert "kink" not in str(report)


# --- bad input ---------------------------------------------------------------------------------


def test_numerical_gradient_names_a_function_that_is_not_one():
    with pytest.raises(TypeError, match="f must be a function of x"):
        nn.numerical_gradient(3, np.ones(2))


def test_numerical_gradient_of_no_entries():
    with pytest.raises(ValueError, match=r"x has no entries \(shape \(0,\)\)"):
        nn.numerical_gradient(lambda v: 0.0, np.zeros(0))


@pytest.mark.parametrize(
    ("loss", "name"),
    [(nn.mse, "h"), (nn.binary_nll, "p"), (nn.binary_nll_with_logits, "z")],
)
def test_a_loss_of_no_outputs_is_refused(loss, name):
    with pytest.raises(ValueError, match=rf"{name} has no outputs \(shape \(2, 0\)\)"):
        loss(np.zeros((2, 0)), np.zeros((2, 0)))
