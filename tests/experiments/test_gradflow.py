"""Glorot & Bengio (2010), qualitatively: which initialisations keep gradients alive with depth."""

import numpy as np
import pytest

import nncore as nn
from nncore.digits import load_digits
from nncore.gradflow import (
    gradient_flow,
    gradient_flow_during_training,
    jacobian_singular_values,
    max_derivative,
)


@pytest.fixture(scope="module")
def digits():
    x, y = load_digits(scale="standard")
    return x[:400], y[:400]


def deep_net(hidden, init, seed=0, width=100, depth=5):
    return nn.MLP(
        [64] + [width] * depth + [10], hidden=hidden, output="softmax", init=init, seed=seed
    )


def spread(values):
    """max / min of a list of positive numbers."""
    values = np.asarray(values)
    return values.max() / values.min()


def test_fields_match_an_independent_computation(digits):
    x, y = digits
    net = nn.MLP([64, 12, 8, 10], hidden=["tanh", "relu"], output="softmax", seed=1)
    flow = gradient_flow(net, x, y)
    hs, zs = net.forward_trace(x)
    _, grads = net.loss_and_grads(x, y)
    assert flow.activation_mean == pytest.approx([hs[1].mean(), hs[2].mean()])
    assert flow.activation_std == pytest.approx([hs[1].std(), hs[2].std()])
    # tanh: sigma' = 1 - h^2 < 0.05;  relu: z <= 0.
    assert flow.saturated_fraction[0] == pytest.approx(np.mean(1 - hs[1] ** 2 < 0.05))
    assert flow.saturated_fraction[1] == pytest.approx(np.mean(zs[1] <= 0))
    assert flow.weight_grad_norm == pytest.approx([np.linalg.norm(dW) for dW, _ in grads])
    assert len(flow.delta_norm) == 3 and flow.loss == pytest.approx(net.loss(x, y))


def test_max_derivative():
    assert max_derivative("sigmoid") == pytest.approx(0.25)
    assert max_derivative("tanh") == pytest.approx(1.0)
    assert max_derivative("relu") == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [0, 1])
def test_sigmoid_with_old_uniform_init_gradients_shrink_layer_by_layer(digits, seed):
    # sigma' <= 1/4 and Var(W) = 1/(3 n): each layer multiplies the delta by about 1/7.
    flow = gradient_flow(deep_net("sigmoid", "uniform", seed), *digits)
    hidden_deltas = flow.delta_norm[:-1]
    ratios = np.array(hidden_deltas[:-1]) / np.array(hidden_deltas[1:])
    assert np.all(ratios < 0.5)
    assert hidden_deltas[0] / hidden_deltas[-1] < 1e-2


@pytest.mark.parametrize("seed", [0, 1])
def test_glorot_tanh_keeps_gradients_similar_but_old_init_does_not(digits, seed):
    glorot = gradient_flow(deep_net("tanh", "glorot", seed), *digits)
    old = gradient_flow(deep_net("tanh", "uniform", seed), *digits)
    assert spread(glorot.delta_norm[:-1]) < 3
    assert spread(glorot.weight_grad_norm[:-1]) < 1.5
    assert spread(old.delta_norm[:-1]) > 3 * spread(glorot.delta_norm[:-1])


@pytest.mark.parametrize("seed", [0, 1])
def test_he_relu_keeps_gradients_similar(digits, seed):
    he = gradient_flow(deep_net("relu", "he", seed), *digits)
    assert spread(he.delta_norm[:-1]) < 1.5
    old = gradient_flow(deep_net("relu", "uniform", seed), *digits)
    assert spread(old.delta_norm[:-1]) > 10


def test_sigmoid_top_hidden_layer_saturates_during_training(digits):
    # Glorot & Bengio's Figure 2: with sigmoid units and the old initialisation the top hidden
    # layer is driven towards 0 early in training while the layers below stay near 1/2 and the
    # loss sits on a plateau near ln 10.
    x, y = load_digits(scale="unit")
    net = deep_net("sigmoid", "uniform", seed=0, width=60, depth=4)
    records = gradient_flow_during_training(
        net,
        x,
        y,
        steps=2000,
        record_every=500,
        optimizer="sgd",
        lr=0.2,
        batch_size=10,
        probe=(x[:300], y[:300]),
    )
    start, end = records[0][1], records[-1][1]
    assert [step for step, _ in records] == [0, 500, 1000, 1500, 2000]
    top_means = [flow.activation_mean[-1] for _, flow in records]
    assert all(a > b for a, b in zip(top_means, top_means[1:], strict=False))
    assert start.activation_mean[-1] == pytest.approx(0.5, abs=0.05)
    assert end.activation_mean[-1] < 0.15
    assert all(0.4 < mean < 0.75 for mean in end.activation_mean[:-1])
    hs, _ = net.forward_trace(x[:300])
    assert np.mean(hs[-2] < 0.25) > 0.8
    assert end.loss > 2.0  # still on the plateau (ln 10 = 2.30)


def test_jacobian_singular_values(digits):
    x, _ = digits
    net = nn.MLP([64, 10, 10, 3], hidden="relu", seed=0)
    values = jacobian_singular_values(net, x[:5])
    assert values.shape == (5, 10)
    # Independent: finite differences of h^{k-1} with respect to x for one data point.
    point = x[0]

    def top_hidden(v):
        return net.forward_trace(v[None, :])[0][-2][0]

    eps = 1e-6
    jac = np.stack(
        [
            (top_hidden(point + eps * e) - top_hidden(point - eps * e)) / (2 * eps)
            for e in np.eye(64)
        ],
        axis=1,
    )
    np.testing.assert_allclose(values[0], np.linalg.svd(jac, compute_uv=False), atol=1e-6)
    assert np.all(np.diff(values, axis=1) <= 0)


def test_jacobian_singular_values_vanish_for_sigmoid_old_init(digits):
    x, _ = digits
    vanishing = jacobian_singular_values(deep_net("sigmoid", "uniform"), x[:20])
    healthy = jacobian_singular_values(deep_net("relu", "he"), x[:20])
    assert np.median(vanishing[:, 0]) < 1e-2
    assert 0.3 < np.median(healthy[:, 0]) < 30


def test_errors(digits):
    net = nn.MLP([64, 5, 10], output="softmax")
    with pytest.raises(ValueError, match="first <= last"):
        jacobian_singular_values(net, digits[0][:2], first=2, last=1)
    with pytest.raises(ValueError, match="saturation"):
        gradient_flow(net, *digits, saturation=2.0)


@pytest.mark.parametrize("hidden,output", [("tanh", "softmax"), ("relu", "identity")])
def test_product_singular_values_match_the_explicit_products(hidden, output):
    """The top-down product P_f = A^k ... A^{k-f+1} against nn.jacobian_products, f = 1..k."""
    net = nn.MLP([3, 5, 4, 3], hidden=hidden, output=output, seed=2)
    x = np.random.default_rng(3).normal(size=(6, 3))
    hs, zs = net.forward_trace(x)
    got = nn.product_singular_values(net, hs, zs)
    products = nn.jacobian_products(net.input_jacobians(x))  # P[i] = d h^k / d h^i
    k = net.depth
    for factors in range(1, k + 1):
        values = np.linalg.svd(products[k - factors], compute_uv=False)
        expected = [np.median(values[:, 0]), np.median(np.median(values, axis=1)),
                    np.median(values[:, -1])]  # fmt: skip
        np.testing.assert_allclose(got[factors - 1], expected, rtol=1e-9, atol=1e-13)
