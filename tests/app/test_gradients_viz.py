"""Gradients through depth: viz.gradients without the page. Its numbers (layer statistics,
Jacobian singular values, saturation, the flow verdict, the phase map) against closed forms and
independent computations, and its figures (NaN and zero values, exponents written in the map's
cells, snapshots told apart by marker fill)."""

import numpy as np
import pytest

import nncore as nn
from nncore.digits import load_digits
from viz import gradients as viz


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


@pytest.mark.parametrize(
    ("sizes", "hidden", "output"),
    [
        ([64, 16, 8, 12, 10], "sigmoid", "softmax"),
        ([64, 4, 10], "relu", "softmax"),
        ([64, 16, 16, 3], "tanh", "identity"),
        ([64, 8, 8, 8, 1], "softplus", "sigmoid"),
    ],
)
def test_top_down_products_match_nncore_jacobian_products(batch, sizes, hidden, output):
    x, labels = batch
    net = nn.MLP(sizes, hidden=hidden, output=output, seed=2)
    if output == "softmax":
        y = labels[:32]
    elif output == "sigmoid":
        y = (labels[:32] % 2).astype(float)
    else:
        y = np.random.default_rng(0).normal(size=(32, sizes[-1]))
    stats = viz.layer_stats(net, x[:32], y, jacobian_rows=16)
    # reference: every A^j stored by nncore, multiplied by nncore, then an SVD per data point
    products = nn.jacobian_products(net.input_jacobians(x[:16]))
    k = len(net.weights)
    for factors in range(1, k + 1):
        values = np.linalg.svd(products[k - factors], compute_uv=False)
        largest, median = np.median(values[:, 0]), np.median(np.median(values, axis=1))
        assert stats.singular[factors - 1, 0] == pytest.approx(largest, rel=1e-10)
        assert stats.singular[factors - 1, 1] == pytest.approx(median, rel=1e-10)
        # the smallest is 0 up to round-off for a softmax top (rank n_k - 1)
        smallest = np.median(values[:, -1])
        assert stats.singular[factors - 1, 2] == pytest.approx(smallest, rel=1e-8, abs=1e-14)


def test_phase_grid_rows_are_phase_rows(batch):
    x, y = batch
    grid = viz.phase_grid("tanh", 8, [1, 3], [0.5, 2.0], x, y, seed=1)
    assert grid.shape == (2, 2)
    assert np.array_equal(grid[1], viz.phase_row("tanh", 8, [1, 3], 2.0, x, y, seed=1))


def test_map_cells_write_their_exponent_not_colour_alone():
    """Vanishing (-) and exploding (+) read without telling blue from red."""
    grid = np.array([[-12.4, 0.2], [np.nan, 3.6]])
    fig = viz.phase_figure([1, 2], [0.5, 1.0], grid)
    assert [list(row) for row in fig.data[0].text] == [["-12", "0"], ["–", "+4"]]
    assert fig.data[0].texttemplate == "%{text}"


def test_snapshots_differ_by_marker_fill_as_well_as_colour(batch):
    x, y = batch
    net = nn.MLP([64, 8, 8, 10], hidden="tanh", output="softmax", seed=0)
    stats = viz.layer_stats(net, x, y, jacobian_rows=4, product_rows=4)
    both = {"at initialisation": stats, "after training": stats}
    for fig in (viz.gradient_norms_figure(both), viz.singular_values_figure(both)):
        first = {t.marker.symbol for t in fig.data if t.name.endswith("at initialisation")}
        after = {t.marker.symbol for t in fig.data if t.name.endswith("after training")}
        assert all(not s.endswith("-open") for s in first)
        assert after == {f"{s}-open" for s in first}
