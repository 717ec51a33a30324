"""Glorot & Bengio (2010), qualitatively: which initialisations keep gradients alive with depth."""

import numpy as np
import pytest

import nncore as nn
from nncore import gradflow
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


# ------------------------------------------------------------------ plain-NumPy references
def numpy_forward(weights, biases, hidden, x):
    """z^1..z^k and h^0..h^k of a softmax MLP, written out in plain NumPy."""
    functions = {
        "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
        "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
        "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    }
    sigma, slope = functions[hidden]
    hs, zs, slopes = [x], [], []
    for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
        z = hs[-1] @ W.T + b
        zs.append(z)
        if i < len(weights) - 1:
            slopes.append(slope(z))
            hs.append(sigma(z))
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            hs.append(e / e.sum(axis=1, keepdims=True))
    return hs, zs, slopes


def numpy_log_ratio(weights, biases, hidden, x, labels):
    """log10 ||dl/dh^0||_F / ||dl/dh^{k-1}||_F for the mean cross-entropy, in plain NumPy, and
    the share of hidden entries with sigma' < 5% of its maximum."""
    hs, zs, slopes = numpy_forward(weights, biases, hidden, x)
    m = x.shape[0]
    delta = hs[-1].copy()
    delta[np.arange(m), labels] -= 1.0
    delta /= m  # dl/dz^k
    dh = delta @ weights[-1]  # dl/dh^{k-1}
    top = np.linalg.norm(dh)
    for j in range(len(weights) - 2, -1, -1):
        dh = (dh * slopes[j]) @ weights[j]
    peak = {"relu": 1.0, "tanh": 1.0, "sigmoid": 0.25}[hidden]
    saturated = np.mean([np.mean(s < 0.05 * peak) for s in slopes])
    return np.log10(np.linalg.norm(dh)) - np.log10(top), saturated


def glorot_weights(sizes, gain, seed):
    rng = np.random.default_rng(seed)
    weights = [
        rng.normal(0.0, gain * np.sqrt(2.0 / (n_in + n_out)), size=(n_out, n_in))
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    return weights, [np.zeros(n) for n in sizes[1:]]


# ------------------------------------------------------------- entries, units and dead units
def test_dead_units_are_units_below_zero_on_every_input(digits):
    x, y = digits
    net = nn.MLP([64] + [64] * 8 + [10], hidden="relu", output="softmax", init="he", seed=0)
    _, zs, _ = numpy_forward(net.weights, net.biases, "relu", x[:256])
    expected = [int(np.all(z <= 0, axis=0).sum()) for z in zs[:-1]]
    _, nn_zs = net.forward_trace(x[:256])
    assert gradflow.dead_units(net, nn_zs).tolist() == expected
    assert sum(expected) > 0  # deep ReLU layers do have dead units on these digits
    # the share of entries is far larger than the share of dead units: it counts entries
    entries = gradflow.saturated_fraction(net, nn_zs)
    np.testing.assert_allclose(entries, [np.mean(z <= 0) for z in zs[:-1]])
    assert np.all(entries > 0.3) and max(expected) / 64 < 0.3


def test_a_unit_with_one_positive_input_is_alive():
    net = nn.MLP([2, 3, 2], hidden="relu", output="softmax", seed=0)
    net.weights[0][:] = [[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]]
    net.biases[0][:] = 0.0  # (the default biases are small random numbers)
    x = np.array([[1.0, 0.0], [-1.0, 0.0], [-2.0, 0.0]])
    _, zs = net.forward_trace(x)
    # unit 1 positive on row 0, unit 2 on rows 1 and 2, unit 3 is 0 everywhere (relu'(0) = 0)
    assert gradflow.dead_unit_mask(net, zs)[0].tolist() == [False, False, True]
    tanh = nn.MLP([2, 3, 2], hidden="tanh", output="softmax", seed=0)
    assert gradflow.dead_units(tanh, tanh.forward_trace(x)[1]).tolist() == [0]


def test_gradient_flow_reports_dead_units(digits):
    x, y = digits
    net = nn.MLP([64, 32, 32, 10], hidden="relu", output="softmax", seed=0)
    _, zs, _ = numpy_forward(net.weights, net.biases, "relu", x)
    flow = gradient_flow(net, x, y)
    assert flow.dead_units == [int(np.all(z <= 0, axis=0).sum()) for z in zs[:-1]]


# --------------------------------------------------------------- norms of the Jacobians A^j
def explicit_jacobians(net, x):
    """A^j per data point, built from the plain-NumPy forward pass: (m, n_j, n_{j-1})."""
    hs, _, slopes = numpy_forward(net.weights, net.biases, net.hidden[0], x)
    As = [s[:, :, None] * W[None] for s, W in zip(slopes, net.weights[:-1], strict=True)]
    p = hs[-1]
    J = np.stack([np.diag(row) - np.outer(row, row) for row in p])
    As.append(J @ net.weights[-1])
    return As


@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid"])
def test_rms_gains_and_spectral_norms_match_explicit_jacobians(digits, hidden):
    x, y = digits
    net = nn.MLP([64, 12, 9, 10], hidden=hidden, output="softmax", seed=4)
    As = explicit_jacobians(net, x[:20])
    hs, zs = net.forward_trace(x[:20])
    gains = gradflow.rms_gains(net, hs, zs)
    spectral = gradflow.spectral_norms(net, hs, zs)
    for j, A in enumerate(As):
        np.testing.assert_allclose(
            gains[:, j], np.linalg.norm(A, axis=(1, 2)) / np.sqrt(A.shape[1])
        )
        np.testing.assert_allclose(spectral[:, j], np.linalg.norm(A, ord=2, axis=(1, 2)))


def test_hidden_product_singular_values_match_the_explicit_product(digits):
    x, _ = digits
    net = nn.MLP([64, 12, 9, 7, 10], hidden="tanh", output="softmax", seed=5)
    As = explicit_jacobians(net, x[:6])
    product = As[2] @ As[1] @ As[0]  # A^3 A^2 A^1: the hidden layers only
    _, zs = net.forward_trace(x[:6])
    np.testing.assert_allclose(
        gradflow.hidden_product_singular_values(net, zs),
        np.linalg.svd(product, compute_uv=False),
        rtol=1e-10,
    )


@pytest.mark.parametrize(
    ("hidden", "init"),
    [("relu", "he"), ("tanh", ("glorot_normal", {"gain": 1.0})), ("sigmoid", "glorot")],
)
def test_the_rms_gain_sum_predicts_the_ratio_and_the_spectral_norm_does_not(digits, hidden, init):
    x, y = digits
    net = nn.MLP([64] + [64] * 16 + [10], hidden=hidden, output="softmax", init=init, seed=0)
    measured, _ = numpy_log_ratio(net.weights, net.biases, hidden, x[:128], y[:128])
    result = net.backprop(x[:128], y[:128])
    estimates = gradflow.log10_ratio_estimates(
        net, result.hs, result.zs, result.dh, spectral_rows=16
    )
    assert estimates["measured"] == pytest.approx(measured, abs=1e-9)
    assert abs(estimates["rms"] - measured) < 0.3
    assert estimates["spectral"] - measured > 3  # off by orders of magnitude
    # the plain-NumPy RMS-gain sum, mean over data points
    As = explicit_jacobians(net, x[:128])[:-1]
    per_point = sum(np.log10(np.linalg.norm(A, axis=(1, 2)) / np.sqrt(A.shape[1])) for A in As)
    assert estimates["rms"] == pytest.approx(per_point.mean(), abs=1e-9)


def test_unit_variance_is_not_enough_for_the_sigmoid(digits):
    """z with mean ~0 and std ~1 in every layer, yet the gradient vanishes: the condition is
    n Var(W) E[sigma'(z)^2] ~ 1, not Var(z) ~ 1."""
    x, y = digits
    sizes = [64] + [64] * 16 + [10]
    weights, biases = glorot_weights(sizes, 1.8, seed=0)
    hs, zs, slopes = numpy_forward(weights, biases, "sigmoid", x[:128])
    assert all(0.7 < z.std() < 1.5 and abs(z.mean()) < 0.5 for z in zs[1:-1])
    measured, _ = numpy_log_ratio(weights, biases, "sigmoid", x[:128], y[:128])
    assert measured < -5
    conditions = [
        64 * W.var() * np.mean(s**2) for W, s in zip(weights[1:-1], slopes[1:], strict=True)
    ]
    assert max(conditions) < 0.5
    assert abs(0.5 * np.sum(np.log10(conditions)) - measured) < 1.5


def test_sigmoid_balances_near_gain_ten_by_saturating_half_its_activations(digits):
    """Depth 30, width 64, W ~ N(0, g^2 2/(n_in + n_out)), plain NumPy: sigmoid vanishes up to
    g = 4, balances near g = 10 with about half its activations saturated, explodes at 16."""
    x, y = digits
    sizes = [64] + [64] * 30 + [10]
    results = {g: numpy_log_ratio(*glorot_weights(sizes, g, 0), "sigmoid", x[:128], y[:128])
               for g in (1.0, 4.0, 10.0, 16.0)}  # fmt: skip
    assert results[1.0][0] < -10 and results[4.0][0] < -3
    assert abs(results[10.0][0]) < 0.7
    assert 0.4 < results[10.0][1] < 0.6
    assert results[16.0][0] > 2 and results[16.0][1] > 0.6


# --------------------------------------------------------------------- training in steps
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_minibatch_run_takes_exactly_fits_steps(digits, dtype):
    x, y = digits
    start = nn.MLP([64, 16, 16, 10], hidden="tanh", output="softmax", seed=2, dtype=dtype)
    reference = start.copy()
    nn.fit(reference, x, y, optimizer="adam", lr=1e-3, epochs=3, batch_size=64, seed=7)
    run = gradflow.MinibatchRun(start.copy(), x, y, 3, lr=1e-3, batch_size=64, seed=7)
    assert run.total_steps == 3 * 7  # 400 rows in batches of 64
    steps = 0
    while not run.finished:
        run.step()
        steps += 1
    assert steps == 21 and run.epoch == 3 and len(run.batch_losses) == 3
    for got, expected in zip(run.net.params(), reference.params(), strict=True):
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, expected)
    assert run.step() is None


def test_minibatch_run_resumes_where_it_stopped(digits):
    x, y = digits
    whole = gradflow.MinibatchRun(nn.MLP([64, 8, 10], output="softmax"), x, y, 2, seed=1)
    while not whole.finished:
        whole.step()
    parts = gradflow.MinibatchRun(nn.MLP([64, 8, 10], output="softmax"), x, y, 2, seed=1)
    for _ in range(5):
        parts.step()
    assert (parts.epoch, parts.batch, parts.steps_done) == (0, 5, 5)
    while not parts.finished:
        parts.step()
    for a, b in zip(parts.net.params(), whole.net.params(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_minibatch_run_stops_on_divergence_without_a_bad_step():
    x = np.array([[1.0], [2.0]])
    y = np.array([[1.0], [2.0]])
    net = nn.MLP([1, 4, 1], hidden="relu", output="identity", seed=0)
    run = gradflow.MinibatchRun(net, x, y, 50, optimizer="sgd", lr=1e3, batch_size=2)
    with np.errstate(over="ignore", invalid="ignore"):
        while not run.finished:
            run.step()
    assert run.diverged and "diverged" in run.message
    assert all(np.all(np.isfinite(p)) for p in run.net.params())


def test_minibatch_run_rejects_bad_settings(digits):
    x, y = digits
    net = nn.MLP([64, 4, 10], output="softmax")
    with pytest.raises(ValueError, match="epochs"):
        gradflow.MinibatchRun(net, x, y, 0)
    with pytest.raises(ValueError, match="batch_size"):
        gradflow.MinibatchRun(net, x, y, 1, batch_size=0)
    with pytest.raises(ValueError, match="rows"):
        gradflow.MinibatchRun(net, x, y[:5], 1)


def test_with_dtype_copies_and_casts():
    net = nn.MLP([3, 4, 2], seed=0)
    single = gradflow.with_dtype(net, np.float32)
    assert single.dtype == np.float32 and single.weights[0].dtype == np.float32
    np.testing.assert_allclose(single.weights[0], net.weights[0], rtol=1e-7)
    single.weights[0][0, 0] = 99.0
    assert net.weights[0][0, 0] != 99.0
    with pytest.raises(TypeError, match="float32 or float64"):
        gradflow.with_dtype(net, np.int32)
