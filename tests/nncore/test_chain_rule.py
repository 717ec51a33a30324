"""MLP.chain_rule: every factor of dl/dW^i = dl/dh^k A^k ... A^{i+1} df^i/dW^i for one data point,
checked against NumPy written out here and against central differences of the loss."""

import numpy as np
import pytest

import nncore as nn

ACTS = {
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "softplus": (lambda z: np.log1p(np.exp(z)), lambda z: 1 / (1 + np.exp(-z))),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
}


def _by_hand(net, x, y, output, hidden):
    """Forward pass, dl/dh^k and the Jacobians A^j written out with NumPy only."""
    fn, grad = ACTS[hidden]
    hs, zs, A = [x], [], []
    k = net.depth
    for j, (W, b) in enumerate(zip(net.weights, net.biases, strict=True), start=1):
        z = hs[-1] @ W.T + b
        zs.append(z)
        if j < k:
            hs.append(fn(z))
            A.append(grad(z)[:, None] * W)
        elif output == "identity":
            hs.append(z)
            A.append(W)
        elif output == "sigmoid":
            h = 1 / (1 + np.exp(-z))
            hs.append(h)
            A.append((h * (1 - h))[:, None] * W)
        else:
            e = np.exp(z - z.max())
            h = e / e.sum()
            hs.append(h)
            A.append((np.diag(h) - np.outer(h, h)) @ W)
    h = hs[-1]
    if output == "identity":
        dl_dh = 2 * (h - y)
    elif output == "sigmoid":
        dl_dh = -y / h + (1 - y) / (1 - h)
    else:
        dl_dh = -np.eye(len(h))[y] / h
    return hs, zs, A, dl_dh


CASES = [
    ([2, 3, 3, 2], "tanh", "identity", np.array([0.4, -1.1])),
    ([2, 3, 3, 2], "sigmoid", "sigmoid", np.array([1.0, 0.0])),
    ([3, 4, 5, 4, 3], "tanh", "softmax", 2),
    ([2, 4, 4, 1], "softplus", "identity", np.array([0.7])),
    ([2, 5, 3], "relu", "softmax", 0),
]


@pytest.mark.parametrize(("sizes", "hidden", "output", "y"), CASES)
def test_every_factor_against_numpy(sizes, hidden, output, y):
    net = nn.MLP(sizes, hidden=hidden, output=output, seed=5)
    x = np.random.default_rng(1).standard_normal(sizes[0])
    hs, zs, A, dl_dh = _by_hand(net, x, y, output, hidden)
    k = net.depth
    for i in range(1, k + 1):
        chain = net.chain_rule(x, y, i)
        np.testing.assert_allclose(chain.dl_dh_k, dl_dh, rtol=1e-12)
        assert len(chain.jacobians) == k - i
        for got, want in zip(chain.jacobians, A[i:], strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
        product = np.eye(sizes[-1])
        for j in range(k, i, -1):  # A^k A^{k-1} ... A^{i+1}
            product = product @ A[j - 1]
        np.testing.assert_allclose(chain.product, product, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(chain.h_prev, hs[i - 1], rtol=1e-15)
        if i < k or output != "softmax":
            sp = ACTS[hidden][1](zs[i - 1]) if i < k else None
            if i == k:
                sp = np.ones(sizes[-1]) if output == "identity" else hs[-1] * (1 - hs[-1])
            np.testing.assert_allclose(chain.sigma_prime, sp, rtol=1e-12)
            np.testing.assert_allclose(chain.outer, np.outer(sp, hs[i - 1]), rtol=1e-12)
            expected = np.outer((dl_dh @ product) * sp, hs[i - 1])
        else:
            assert chain.sigma_prime is None and chain.outer is None
            expected = np.outer(hs[-1] - np.eye(sizes[-1])[y], hs[i - 1])
        np.testing.assert_allclose(chain.grad_W, expected, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize(("sizes", "hidden", "output", "y"), CASES)
def test_product_form_equals_backprop_and_central_differences(sizes, hidden, output, y):
    net = nn.MLP(sizes, hidden=hidden, output=output, seed=2)
    x = np.random.default_rng(3).standard_normal(sizes[0])
    y_batch = [y] if output == "softmax" else np.atleast_1d(y)[None, :]
    _, grads = net.loss_and_grads(x[None, :], y_batch)
    for i in range(1, net.depth + 1):
        chain = net.chain_rule(x, y, i)
        scale = np.abs(grads[i - 1][0]).max()
        np.testing.assert_allclose(chain.grad_W, grads[i - 1][0], rtol=1e-12, atol=1e-14 * scale)
        np.testing.assert_allclose(chain.grad_b, grads[i - 1][1], rtol=1e-12, atol=1e-14)
        numerical = nn.numerical_gradient(
            lambda _: net.loss(x[None, :], y_batch), net.weights[i - 1], eps=1e-6
        )
        assert nn.relative_error(chain.grad_W, numerical) < 1e-7


def test_the_order_of_the_product_matters():
    """For square Jacobians the reverse product A^{i+1} ... A^k is a different matrix."""
    net = nn.MLP([3, 4, 4, 4, 4], hidden="tanh", seed=0)
    x = np.random.default_rng(0).standard_normal(3)
    chain = net.chain_rule(x, np.zeros(4), 1)
    A2, A3, A4 = chain.jacobians
    np.testing.assert_allclose(chain.product, A4 @ A3 @ A2, rtol=1e-12)
    assert nn.relative_error(chain.product, A2 @ A3 @ A4) > 0.1


def test_bad_arguments():
    net = nn.MLP([2, 3, 2], output="softmax")
    with pytest.raises(ValueError, match="outside 1..k = 1..2"):
        net.chain_rule([0.1, 0.2], 0, 3)
    with pytest.raises(TypeError, match="layer must be an int"):
        net.chain_rule([0.1, 0.2], 0, 1.0)
    with pytest.raises(ValueError, match="one data point"):
        net.chain_rule(np.zeros((2, 2)), 0, 1)
    with pytest.raises(ValueError, match="labels out of range|label|class"):
        net.chain_rule([0.1, 0.2], 5, 1)
    with pytest.raises(ValueError, match="n_0 = 2"):
        net.chain_rule([0.1, 0.2, 0.3], 0, 1)
