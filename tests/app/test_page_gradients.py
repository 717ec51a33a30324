"""Gradients through depth: viz.gradients against independent computations, and the page."""

import numpy as np
import pytest

import nncore as nn
from nncore.digits import load_digits
from viz import gradients as viz

PAGE = "pages/gradients.py"


@pytest.fixture(scope="module")
def batch():
    x, y = load_digits(scale="standard")
    return x[:64], y[:64]


def test_one_factor_is_the_softmax_jacobian_times_the_top_weights(batch):
    x, y = batch
    net = nn.MLP([64, 16, 10], hidden="tanh", output="softmax", seed=3)
    stats = viz.layer_stats(net, x, y, jacobian_rows=8)
    # A^k = (diag(p) - p p^T) W^k for each data point, built here from the forward pass alone
    z1 = x[:8] @ net.weights[0].T + net.biases[0]
    z2 = np.tanh(z1) @ net.weights[1].T + net.biases[1]
    p = np.exp(z2 - z2.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    largest = []
    for row in p:
        A = (np.diag(row) - np.outer(row, row)) @ net.weights[1]
        largest.append(np.linalg.svd(A, compute_uv=False)[0])
    assert stats.singular[0, 0] == pytest.approx(np.median(largest), rel=1e-10)
    assert stats.singular.shape == (2, 3)


def test_gradient_norms_match_finite_differences(batch):
    x, y = batch
    net = nn.MLP([64, 8, 8, 10], hidden="sigmoid", output="softmax", seed=1)
    stats = viz.layer_stats(net, x, y)
    W = net.weights[0]
    numeric = np.zeros_like(W)
    eps = 1e-6
    for index in np.ndindex(W.shape):
        saved = W[index]
        W[index] = saved + eps
        up = net.loss(x, y)
        W[index] = saved - eps
        down = net.loss(x, y)
        W[index] = saved
        numeric[index] = (up - down) / (2 * eps)
    assert stats.grad_W[0] == pytest.approx(np.linalg.norm(numeric), rel=1e-5)
    assert stats.loss == pytest.approx(net.loss(x, y))


def test_relu_saturation_is_the_share_of_negative_inputs(batch):
    x, y = batch
    net = nn.MLP([64, 32, 10], hidden="relu", output="softmax", seed=0)
    _, zs = net.forward_trace(x)
    share = viz.saturated_share(net, zs)
    assert share[0] == pytest.approx(np.mean(zs[0] <= 0))


def test_frobenius_does_not_overflow():
    huge = np.full((3, 4), 1e200)
    assert viz._frobenius(huge) == pytest.approx(1e200 * np.sqrt(12))
    assert viz._frobenius(np.zeros((2, 2))) == 0.0


@pytest.mark.parametrize(
    ("norms", "verdict"),
    [
        ([1e-5, 1.0], "vanishing"),
        ([1e3, 1.0], "exploding"),
        ([0.5, 1.0], "healthy"),
        ([1.0, 0.0], "dead"),
        ([np.inf, 1.0], "exploding"),
    ],
)
def test_flow_verdict(norms, verdict):
    assert viz.flow_verdict(np.array(norms))[0] == verdict


def test_phase_grid_one_layer_is_the_ratio_through_W1(batch):
    x, y = batch
    grid = viz.phase_grid("identity", 8, [1], [1.0], x, y, seed=5)
    net = nn.MLP(
        [64, 8, 10],
        hidden="identity",
        output="softmax",
        init=("glorot_normal", {"gain": 1.0}),
        seed=5,
    )
    dh1 = net.backprop(x, y).dh[1]
    expected = np.log10(np.linalg.norm(dh1 @ net.weights[0]) / np.linalg.norm(dh1))
    assert grid[0, 0] == pytest.approx(expected)


def test_sigmoid_with_old_uniform_init_vanishes_and_tanh_glorot_does_not(batch):
    x, y = batch
    sigmoid = viz.layer_stats(
        nn.MLP([64] + [64] * 8 + [10], hidden="sigmoid", output="softmax", init="uniform", seed=0),
        x,
        y,
    )
    tanh = viz.layer_stats(
        nn.MLP([64] + [64] * 8 + [10], hidden="tanh", output="softmax", init="glorot", seed=0), x, y
    )
    assert viz.flow_verdict(sigmoid.grad_h)[0] == "vanishing"
    assert viz.flow_verdict(tanh.grad_h)[0] == "healthy"


def test_figures_build_with_nan_and_zero_values(batch):
    x, y = batch
    stats = {
        "a": viz.layer_stats(
            nn.MLP([64, 4, 10], hidden="relu", output="softmax", init="zeros", seed=0), x, y
        )
    }
    for figure in (
        viz.gradient_norms_figure(stats),
        viz.activation_density_figure(stats),
        viz.singular_values_figure(stats),
    ):
        assert figure.data
    grid = np.array([[np.nan, 1.0], [-30.0, 0.0]])
    assert viz.phase_figure([1, 2], [0.5, 1.0], grid, current=(2, 1.0)).data[0].zmin == -10.0


# ---------------------------------------------------------------------------------- the page
def test_page_defaults(open_page, assert_page_ok, batch):
    at = open_page(PAGE)
    assert_page_ok(at)
    x, y = load_digits(scale="standard")
    net = nn.MLP([64] + [64] * 8 + [10], hidden="sigmoid", output="softmax", init="uniform", seed=0)
    assert at.metric[0].value == f"{net.loss(x[:256], y[:256]):.4f}"
    assert at.metric[1].delta == "vanishing"
    assert len(at.get("plotly_chart")) == 4


@pytest.mark.parametrize(
    "query",
    [
        {"gr_depth": 1},
        {"gr_depth": 30},
        {"gr_width": 4},
        {"gr_width": 256},
        {"gr_epochs": 0},
        {"gr_epochs": 20, "gr_depth": 2, "gr_width": 16},
        {"gr_init": "zeros"},
        {"gr_init": "normal", "gr_act": "relu"},
        {"gr_seed": 9999},
        {"gr_act": "identity", "gr_init": "he", "gr_depth": 30},
    ],
)
def test_page_widget_extremes(open_page, assert_page_ok, query):
    at = open_page(PAGE, query)
    assert_page_ok(at)


@pytest.mark.parametrize("activation", [name for name in nn.ACTIVATIONS])
def test_page_every_activation(open_page, assert_page_ok, activation):
    at = open_page(PAGE, {"gr_act": activation, "gr_depth": 3, "gr_epochs": 1})
    assert_page_ok(at)


def test_page_widget_change_updates_numbers(open_page):
    at = open_page(PAGE)
    before = at.metric[1].value
    at.selectbox(key="gr_act").select("tanh").run()
    at.selectbox(key="gr_init").select("glorot").run()
    assert not at.exception
    assert at.metric[1].value != before
    assert at.metric[1].delta == "healthy"
