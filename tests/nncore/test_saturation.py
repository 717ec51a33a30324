"""Saturated units and extreme scores: derivatives, deltas and losses keep their digits where a
probability rounds to 1, and the network's own passes agree with nncore's stable functions.

Every expected value is computed in mpmath from the lecture's formula (not from nncore's stable
rewriting of it), then rounded to the dtype. 800 digits: 1 - sigma(745) and 1 + tanh(-71) must
keep their digits under the leading 1.
"""

import mpmath
import numpy as np
import pytest

import nncore as nn
from nncore.gradflow import dead_unit_mask

mpmath.mp.dps = 800


def sigmoid(v):
    return 1 / (1 + mpmath.exp(-mpmath.mpf(v)))


def exact(values, dtype=np.float64):
    return np.array([float(v) for v in values], dtype=dtype)


def close(got, want, rtol, dtype=np.float64):
    """Relative error at most rtol where the exact value is a normal number of the dtype; below
    that, within the dtype's smallest normal (its absolute precision there)."""
    tiny = np.finfo(dtype).tiny
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    err = np.abs(got - want)
    return bool(np.all(np.where(np.abs(want) >= tiny, err <= rtol * np.abs(want), err <= tiny)))


Z64 = [
    -745.0,
    -700.0,
    -200.0,
    -40.0,
    -37.0,
    -20.0,
    -1.0,
    0.0,
    1.0,
    20.0,
    37.0,
    40.0,
    200.0,
    700.0,
    745.0,
]
Z32 = [-100.0, -40.0, -20.0, -17.0, -15.0, -9.0, -1.0, 0.0, 1.0, 9.0, 15.0, 17.0, 20.0, 40.0, 100.0]


@pytest.mark.parametrize("dtype, zs", [(np.float64, Z64), (np.float32, Z32)])
def test_sigmoid_and_tanh_derivatives_keep_their_digits_in_saturation(dtype, zs):
    z = np.array(zs, dtype=dtype)
    want_sigmoid = exact([sigmoid(v) * (1 - sigmoid(v)) for v in zs])
    want_tanh = exact([1 - mpmath.tanh(v) ** 2 for v in zs])
    rtol = 8 * np.finfo(dtype).eps
    got_sigmoid = nn.get_activation("sigmoid").grad(z)
    got_tanh = nn.get_activation("tanh").grad(z)
    assert got_sigmoid.dtype == dtype and got_tanh.dtype == dtype
    assert close(got_sigmoid, want_sigmoid, rtol, dtype)
    assert close(got_tanh, want_tanh, rtol, dtype)
    # sigma' is even: mirror-image inputs give the same slope
    assert np.array_equal(got_sigmoid, got_sigmoid[::-1])


def test_derivatives_at_the_ends_of_the_float_range_are_zero_without_warnings():
    z = np.array([-1.7976931348623157e308, -1e300, 1e300, 1.7976931348623157e308])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for name in ("sigmoid", "tanh", "gelu"):
            if name in nn.ACTIVATIONS:
                act = nn.get_activation(name)
                assert np.all(np.isfinite(act(z))), name
                slope = act.grad(z)
                assert np.all(np.isfinite(slope)), name
                assert slope[0] == 0.0 and slope[1] == 0.0, name
    assert np.array_equal(nn.get_activation("tanh").grad(z), np.zeros(4))


def gelu_exact(v):
    """The tanh approximation 0.5 z (1 + tanh(sqrt(2/pi)(z + 0.044715 z^3))) and its derivative."""
    v = mpmath.mpf(v)
    c = mpmath.sqrt(2 / mpmath.pi)

    def f(x):
        return x / 2 * (1 + mpmath.tanh(c * (x + mpmath.mpf("0.044715") * x**3)))

    return f(v), mpmath.diff(f, v)


@pytest.mark.skipif("gelu" not in nn.ACTIVATIONS, reason="gelu is an extra activation")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gelu_keeps_its_negative_tail(dtype):
    zs = [-12.0, -9.0, -5.0, -3.0, -1.0, 0.5, 3.0]
    pairs = [gelu_exact(v) for v in zs]
    act = nn.get_activation("gelu")
    rtol = 64 * np.finfo(dtype).eps
    z = np.array(zs, dtype=dtype)
    assert close(act(z), exact([p[0] for p in pairs]), rtol, dtype)
    assert close(act.grad(z), exact([p[1] for p in pairs]), rtol, dtype)


@pytest.mark.parametrize("target", [0.0, 1.0, 0.3])
def test_binary_delta_from_logits_keeps_its_digits(target):
    zs = [-700.0, -40.0, -1.0, 0.5, 20.0, 40.0, 700.0]
    z = np.array(zs)
    y = np.full_like(z, target)
    m = len(zs)
    want = exact([(sigmoid(v) - mpmath.mpf(target)) / m for v in zs])
    got = nn.binary_nll_with_logits_grad(z, y)
    if target in (0.0, 1.0):  # an exact target: every digit of the delta is kept
        assert close(got, want, 4e-16)
    else:  # a rounded target: the difference of sigma(z) and y, each to its last digit
        bound = 4 * np.finfo(float).eps * (exact([sigmoid(v) for v in zs]) + target) / m
        assert np.all(np.abs(got - want) <= bound)


def log_softmax_exact(row, alpha=1):
    scores = [alpha * mpmath.mpf(v) for v in row]
    total = mpmath.fsum(mpmath.exp(s) for s in scores)
    return [s - mpmath.log(total) for s in scores]


ROWS = [[40.0, 0.0], [20.0, 0.0], [3.0, 3.0, 0.0], [50.0, 10.0, -30.0], [0.1, -0.2, 0.05]]


@pytest.mark.parametrize("alpha", [1.0, 2.5])
def test_log_softmax_and_cross_entropy_keep_their_digits(alpha):
    z = np.array([row + [0.0] * (3 - len(row)) for row in ROWS])[:, :3]
    z[:2, 2] = -1e4  # rows of two scores, a third far below
    exact_rows = [log_softmax_exact(row, alpha) for row in z.tolist()]
    want = np.array([[float(v) for v in row] for row in exact_rows])
    assert close(nn.log_softmax(z, alpha=alpha), want, 4e-16)
    labels = np.array([0, 0, 1, 0, 2])
    m = len(labels)
    want_loss = float(-mpmath.fsum(exact_rows[r][labels[r]] for r in range(m)) / m)
    assert close(nn.cross_entropy_with_logits(z, labels, alpha=alpha), want_loss, 4e-16)
    want_grad = np.array(
        [
            [float(alpha * (mpmath.exp(exact_rows[r][i]) - (i == labels[r])) / m) for i in range(3)]
            for r in range(m)
        ]
    )
    assert close(nn.cross_entropy_with_logits_grad(z, labels, alpha=alpha), want_grad, 1e-15)


def one_layer(output, W, dtype=np.float64, alpha=1.0):
    W = np.atleast_2d(np.asarray(W, dtype=dtype))
    net = nn.MLP(
        [W.shape[1], W.shape[0]], hidden=[], output=output, bias=False, dtype=dtype, alpha=alpha
    )
    net.weights[0][:] = W
    return net


@pytest.mark.parametrize("dtype, w", [(np.float64, 37.0), (np.float64, 40.0), (np.float32, 17.0)])
def test_chain_rule_of_a_saturated_sigmoid_output_is_finite_and_exact(dtype, w):
    net = one_layer("sigmoid", [[w]], dtype)
    rule = net.chain_rule([1.0], [0.0], 1)
    want = float(sigmoid(w))  # dl/dW = (sigma(w x) - y) x with x = 1, y = 0
    assert rule.grad_W.dtype == dtype
    assert close(rule.grad_W, [[want]], 4 * np.finfo(dtype).eps, dtype)
    assert close(net.loss_and_grads([[1.0]], [0.0])[1][0][0], [[want]], 4 * np.finfo(dtype).eps)


def test_chain_rule_of_a_saturated_softmax_output_is_finite_and_exact():
    net = one_layer("softmax", [[800.0], [0.0]])
    rule = net.chain_rule([1.0], 1, 1)  # the true class has probability e^-800, 0 in float64
    assert np.isinf(rule.dl_dh_k[1])  # the honest dl/dh^k: -1/p with p = 0
    assert np.array_equal(rule.grad_W, [[1.0], [-1.0]])  # (p - y) x, exactly
    hidden = nn.MLP([1, 2, 2], hidden="sigmoid", output="softmax", bias=False)
    hidden.weights[0][:] = [[1.0], [-1.0]]
    hidden.weights[1][:] = [[400.0, 400.0], [-400.0, -400.0]]
    for layer in (1, 2):
        rule = hidden.chain_rule([0.5], 1, layer)
        grads = hidden.loss_and_grads([[0.5]], [1])[1][layer - 1][0]
        assert np.all(np.isfinite(rule.grad_W)) and np.allclose(rule.grad_W, grads, rtol=1e-12)


def test_mirror_image_saturated_units_get_the_same_verdict_and_gradient():
    net = nn.MLP([1, 2, 1], hidden="sigmoid", bias=False)
    net.weights[0][:] = [[40.0], [-40.0]]
    net.weights[1][:] = [[1.0, 1.0]]
    x = np.array([[1.0], [1.2]])
    _, zs = net.forward_trace(x)
    assert [mask.tolist() for mask in dead_unit_mask(net, zs)] == [[False, False]]
    dW = net.loss_and_grads(x, np.zeros((2, 1)))[1][0][0].ravel()
    # dl/dW^1_a = mean_r 2 (h^2_r - 0) sigma'(z_ar) x_r with sigma' even: the same for both units
    h2 = [2 * (sigmoid(40 * v) + sigmoid(-40 * v)) for v in (1.0, 1.2)]
    want = [
        float(
            mpmath.fsum(
                h2[r] * sigmoid(40 * v) * sigmoid(-40 * v) * v for r, v in enumerate((1.0, 1.2))
            )
            / 2
        )
    ] * 2
    assert close(dW, want, 1e-14)


def test_the_networks_losses_agree_with_nncores_stable_losses_at_the_extremes():
    # softmax with alpha 1e3 and a score of 1e306: alpha z overflows unless shifted first
    net = one_layer("softmax", [[1e306], [0.0]], alpha=1e3)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert net.loss([[1.0]], [0]) == 0.0
        assert np.array_equal(net.forward([[1.0]]), [[1.0, 0.0]])
        assert np.array_equal(net.loss_and_grads([[1.0]], [0])[1][0][0], [[0.0], [0.0]])
    # one-hot targets with a score below the float range under the maximum: 0 * -inf is not nan
    net = one_layer("softmax", [[1e308], [-1e308]])
    assert net.loss([[1.0]], np.array([[1.0, 0.0]])) == 0.0
    # squared error whose square overflows while the mean does not: (1.5e154)^2 / 2
    net = one_layer("identity", [[1.5e154]])
    assert net.loss([[1.0], [0.0]], [0.0, 0.0]) == pytest.approx(1.125e308, rel=1e-15)
    # binary NLL of two rows of 1e308 each (softplus(1e308) = 1e308): the mean, not inf
    net = one_layer("sigmoid", [[-1e308]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert net.loss([[1.0], [1.0]], [1.0, 1.0]) == 1e308


def test_softmax_alpha_beyond_float32_is_refused_by_name():
    z32 = np.array([[1.0, 0.0]], dtype=np.float32)
    with pytest.raises(ValueError, match="alpha = 1e.39 is beyond the range .*float32"):
        nn.softmax(z32, alpha=1e39)
    with pytest.raises(ValueError, match="alpha"):
        nn.cross_entropy_with_logits(z32, [0], alpha=1e39)
    assert np.array_equal(nn.softmax(z32, alpha=1e30), [[1.0, 0.0]])  # in range: the limit
