"""Backprop's cheap forms and their exact fallbacks agree with mpmath on both sides of the switch.

A training step takes sigma'(z) from the layer's output h, the binary NLL and its delta from one
exp(-|z|), and the cross-entropy with labels from the textbook softmax, wherever that loses at most
2^10 ulp; near saturation it switches to forms that keep every digit. These tests put units and
scores just below, at and beyond each switch, in small layers and large ones, and compare every
gradient with the lecture's formulas evaluated in mpmath at 100 digits.
"""

import mpmath
import numpy as np
import pytest

import nncore as nn
from nncore.activations import NEAR_ONE, TANH_FLAT

mpmath.mp.dps = 100
BUDGET = 2.0**10 * np.finfo(np.float64).eps  # what the cheap forms may lose, relative


def mp_sigmoid(v):
    return 1 / (1 + mpmath.exp(-mpmath.mpf(float(v))))


def mp_sigmoid_grad(v):
    s = mp_sigmoid(v)
    return s * (1 - s)


def mp_tanh_grad(v):
    return 1 - mpmath.tanh(mpmath.mpf(float(v))) ** 2


def relative_errors(got, want):
    """|got - want| / |want|; where want lies below float64's normal range, the absolute error in
    units of the smallest normal (the precision there)."""
    got = np.asarray(got, dtype=np.float64).ravel()
    tiny = mpmath.mpf(float(np.finfo(np.float64).tiny))
    return [
        abs(mpmath.mpf(float(g)) - w) / (abs(w) if abs(w) >= tiny else tiny)
        for g, w in zip(got, want, strict=True)
    ]


def sigmoid_at(h):
    """z with sigma(z) = h."""
    return float(mpmath.log(mpmath.mpf(h) / (1 - mpmath.mpf(h))))


def tanh_at(g):
    """z > 0 with 1 - tanh(z)^2 = g."""
    return float(mpmath.acosh(1 / mpmath.sqrt(mpmath.mpf(g))))


# z around each switch: just inside the cheap form's range, at the switch, and beyond it
SIGMOID_Z = [sigmoid_at(NEAR_ONE) * f for f in (0.9, 0.999, 1.001, 1.5)] + [20.0, 40.0]
TANH_Z = [tanh_at(TANH_FLAT) * f for f in (0.9, 0.999, 1.001, 1.5)] + [10.0, 19.5]


@pytest.mark.parametrize("size", [8, 5000])
@pytest.mark.parametrize(
    "name, zs, exact",
    [
        ("sigmoid", SIGMOID_Z, mp_sigmoid_grad),
        ("tanh", TANH_Z, mp_tanh_grad),
    ],
)
def test_sigma_prime_from_the_output_keeps_the_budget_around_the_switch(name, zs, exact, size):
    act = nn.get_activation(name)
    z = np.resize(np.array(zs + [-v for v in zs]), size)
    got = act.grad_from_output(act(z), z)
    errors = relative_errors(got, [exact(v) for v in z])
    assert max(errors) <= BUDGET, (name, size, max(errors))
    # beyond the switch the exact form: a few ulp, not the budget
    far = np.abs(z) >= abs(zs[-2])
    assert max(e for e, f in zip(errors, far, strict=True) if f) <= 8 * np.finfo(float).eps


def test_a_saturated_hidden_layer_gets_its_exact_gradient_in_a_training_step():
    # one hidden tanh unit per switch point, on both sides; W^2 = sign(z) adds up |tanh(z_j)|
    zs = np.array(TANH_Z + [-v for v in TANH_Z])
    n = zs.size
    net = nn.MLP([1, n, 1], hidden="tanh", bias=False)
    net.weights[0][:] = zs[:, None]
    net.weights[1][:] = np.sign(zs)[None, :]
    _, grads = net.loss_and_grads(np.array([[1.0]]), np.array([[0.0]]))
    out = mpmath.fsum(abs(mpmath.tanh(mpmath.mpf(float(v)))) for v in zs)
    # l = (h^2 - 0)^2, dl/dh^2 = 2 h^2, dl/dW^1_j = 2 h^2 W^2_j tanh'(z_j) x with x = 1
    want = [2 * out * float(np.sign(v)) * mp_tanh_grad(v) for v in zs]
    assert max(relative_errors(grads[0][0], want)) <= BUDGET


@pytest.mark.parametrize("gap", [1.0, 6.9, 6.94, 7.0, 8.0, 40.0, 800.0])
@pytest.mark.parametrize("true_class", [0, 1])
def test_cross_entropy_and_its_delta_around_the_softmax_switch(gap, true_class):
    # two scores gap apart: p_top = sigma(gap) crosses 1 - 2^-10 at gap = 6.93
    net = nn.MLP([1, 2], output="softmax", bias=False)
    net.weights[0][:] = [[gap], [0.0]]
    x = np.array([[1.0], [1.0]])
    y = np.array([true_class, true_class])
    loss, grads = net.loss_and_grads(x, y)
    g = mpmath.mpf(gap)
    lse = g + mpmath.log1p(mpmath.exp(-g))
    want_loss = lse - (g if true_class == 0 else 0)
    p0 = 1 / (1 + mpmath.exp(-g))
    # dl/dz_0 = p_0 - y_0 (mean over two equal rows), dl/dW_0 = that times x = 1
    delta0 = p0 - (1 if true_class == 0 else 0)
    delta1 = (1 - p0) - (1 if true_class == 1 else 0)
    assert relative_errors([loss], [want_loss])[0] <= BUDGET
    assert max(relative_errors(grads[0][0], [delta0, delta1])) <= BUDGET


@pytest.mark.parametrize("z", [-800.0, -40.0, -3.0, 0.0, 3.0, 40.0, 800.0])
@pytest.mark.parametrize("y", [0.0, 0.25, 1.0])
def test_binary_nll_and_its_delta_from_one_exponential(z, y):
    net = nn.MLP([1, 1], output="sigmoid", bias=False)
    net.weights[0][:] = [[z]]
    loss, grads = net.loss_and_grads(np.array([[1.0]]), np.array([[y]]))
    zm, ym = mpmath.mpf(z), mpmath.mpf(y)
    softplus = lambda v: mpmath.log1p(mpmath.exp(v))  # noqa: E731
    want_loss = ym * softplus(-zm) + (1 - ym) * softplus(zm)
    want_delta = mp_sigmoid(z) - ym
    assert relative_errors([loss], [want_loss])[0] <= 8 * np.finfo(float).eps
    assert relative_errors(grads[0][0], [want_delta])[0] <= 8 * np.finfo(float).eps
