"""The MLP: shapes in the lecture's notation, forward against a hand computation, backprop against
central differences for a spread of configurations, Jacobians, dtypes and errors."""

import itertools
import warnings
import zlib

import numpy as np
import pytest

import nncore as nn


def targets_for(output, m, n_k, rng):
    if output == "identity":
        return rng.normal(size=(m, n_k))
    if output == "sigmoid":
        return rng.integers(0, 2, size=(m, n_k)).astype(float)
    return rng.integers(0, n_k, size=m)


def test_shapes_follow_the_notation():
    net = nn.MLP([4, 7, 5, 3], hidden="tanh", output="softmax")
    assert [W.shape for W in net.weights] == [(7, 4), (5, 7), (3, 5)]
    assert [b.shape for b in net.biases] == [(7,), (5,), (3,)]
    hs, zs = net.forward_trace(np.zeros((6, 4)))
    assert [h.shape for h in hs] == [(6, 4), (6, 7), (6, 5), (6, 3)]
    assert [z.shape for z in zs] == [(6, 7), (6, 5), (6, 3)]
    assert net.n_params == 7 * 4 + 7 + 5 * 7 + 5 + 3 * 5 + 3


def test_forward_equals_the_formula_written_out(rng):
    net = nn.MLP([3, 4, 2], hidden="sigmoid", output="identity", seed=3)
    net.biases[0][:] = rng.normal(size=4)
    net.biases[1][:] = rng.normal(size=2)
    x = rng.normal(size=(5, 3))
    W1, W2, b1, b2 = net.weights[0], net.weights[1], net.biases[0], net.biases[1]
    expected = np.empty((5, 2))
    for r in range(5):  # one data point (one row) at a time, sums written out
        h1 = [
            1 / (1 + np.exp(-(sum(x[r, j] * W1[u, j] for j in range(3)) + b1[u]))) for u in range(4)
        ]
        for o in range(2):
            expected[r, o] = sum(h1[u] * W2[o, u] for u in range(4)) + b2[o]
    np.testing.assert_allclose(net.forward(x), expected, rtol=1e-12)
    hs, zs = net.forward_trace(x)
    np.testing.assert_allclose(hs[1], 1 / (1 + np.exp(-(x @ W1.T + b1))))
    np.testing.assert_array_equal(hs[0], x)


def test_output_units_give_probabilities(rng):
    x = rng.normal(size=(4, 3))
    p = nn.MLP([3, 5, 4], output="softmax").forward(x)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    s = nn.MLP([3, 5, 1], output="sigmoid").forward(x)
    assert ((s > 0) & (s < 1)).all()


CONFIGS = list(
    itertools.product(
        [[3, 2], [3, 5, 2], [2, 4, 4, 3, 2]],  # depths 1, 2, 4
        ["sigmoid", "tanh", "relu", "softplus", "abs", "leaky_relu", "gelu"],
        ["identity", "sigmoid", "softmax"],
        [True, False],
    )
)


@pytest.mark.parametrize("sizes,hidden,output,bias", CONFIGS)
def test_backprop_matches_central_differences(sizes, hidden, output, bias):
    rng = np.random.default_rng(zlib.crc32(f"{sizes}{hidden}{output}{bias}".encode()))
    net = nn.MLP(sizes, hidden=hidden, output=output, bias=bias, init="glorot", seed=1)
    if bias:  # non-zero biases, so their gradients are exercised away from zero
        for b in net.biases:
            b[:] = rng.normal(0, 0.5, size=b.shape)
    x = rng.normal(size=(5, sizes[0]))
    y = targets_for(output, 5, sizes[-1], rng)
    report = nn.check_gradients(net, x, y)
    assert report.max_relative_error < 1e-6, str(report)
    _, grads = net.loss_and_grads(x, y)
    assert all((db is None) == (not bias) for _, db in grads)


@pytest.mark.parametrize("output", ["identity", "sigmoid", "softmax"])
def test_float32_end_to_end(output, rng):
    net = nn.MLP([3, 6, 4, 2], hidden="tanh", output=output, dtype=np.float32, seed=0)
    x = rng.normal(size=(8, 3))  # float64 data is cast to the network's dtype
    y = targets_for(output, 8, 2, rng)
    assert all(W.dtype == np.float32 for W in net.params())
    hs, zs = net.forward_trace(x)
    assert all(a.dtype == np.float32 for a in hs + zs)
    loss, grads = net.loss_and_grads(x, y)
    assert all(g.dtype == np.float32 for g in net.grads_list(grads))
    ref = nn.MLP([3, 6, 4, 2], hidden="tanh", output=output, seed=0)
    for W32, W64 in zip(net.params(), ref.params(), strict=True):
        W64[...] = W32  # the same weights in float64
    loss64, grads64 = ref.loss_and_grads(x, y)
    assert loss == pytest.approx(loss64, rel=1e-5)
    for g32, g64 in zip(net.grads_list(grads), ref.grads_list(grads64), strict=True):
        assert nn.relative_error(g32, g64) < 1e-5


def test_per_layer_hidden_activations_and_initialisers():
    net = nn.MLP([2, 3, 3, 1], hidden=["relu", "tanh"], output="sigmoid", init="he", seed=5)
    assert net.hidden == ["relu", "tanh"]
    for name in ["zeros", "normal", "uniform", "glorot", "xavier", "he", "lecun"]:
        nn.MLP([4, 3, 2], init=name, seed=0)
    W = nn.MLP([400, 300, 1], init=("normal", {"std": 0.5}), seed=0).weights[0]
    assert W.std() == pytest.approx(0.5, rel=0.02)


def test_initialiser_scales():
    n_in, n_out = 500, 400
    cases = {
        "he": np.sqrt(2 / n_in),
        "lecun": np.sqrt(1 / n_in),
        "glorot": np.sqrt(2 / (n_in + n_out)),  # uniform with a = sqrt(6/(fan_in+fan_out))
        "uniform": 1 / np.sqrt(3 * n_in),  # U[-1/sqrt(n), 1/sqrt(n)] has std 1/sqrt(3n)
    }
    for name, std in cases.items():
        W = nn.MLP([n_in, n_out], init=name, seed=0).weights[0]
        assert W.std() == pytest.approx(std, rel=0.02), name
    assert not nn.MLP([3, 2], init="zeros").weights[0].any()


def test_seed_reproducibility():
    a = nn.MLP([3, 8, 2], seed=7)
    b = nn.MLP([3, 8, 2], seed=7)
    c = nn.MLP([3, 8, 2], seed=8)
    np.testing.assert_array_equal(a.weights[0], b.weights[0])
    assert not np.array_equal(a.weights[0], c.weights[0])
    d = nn.MLP([3, 8, 2], seed=np.random.default_rng(7))
    np.testing.assert_array_equal(a.weights[0], d.weights[0])


def test_label_and_one_hot_targets_agree(rng):
    net = nn.MLP([3, 4, 3], output="softmax")
    x, labels = rng.normal(size=(5, 3)), rng.integers(0, 3, 5)
    la, ga = net.loss_and_grads(x, labels)
    lb, gb = net.loss_and_grads(x, nn.one_hot(labels, 3))
    assert la == pytest.approx(lb)
    for a, b in zip(net.grads_list(ga), net.grads_list(gb), strict=True):
        np.testing.assert_allclose(a, b)


def test_loss_is_the_matched_loss(rng):
    x = rng.normal(size=(4, 2))
    for output, loss_fn, y in [
        ("identity", nn.mse, rng.normal(size=(4, 2))),
        ("softmax", nn.cross_entropy_with_logits, rng.integers(0, 2, 4)),
        ("sigmoid", nn.binary_nll_with_logits, rng.integers(0, 2, (4, 2)).astype(float)),
    ]:
        net = nn.MLP([2, 3, 2], output=output, seed=2)
        _, zs = net.forward_trace(x)
        assert net.loss_and_grads(x, y)[0] == pytest.approx(loss_fn(zs[-1], y), rel=1e-12)


def test_backprop_trace_is_consistent(rng):
    net = nn.MLP([3, 5, 4, 2], hidden="tanh", output="softmax", seed=1)
    x, y = rng.normal(size=(6, 3)), rng.integers(0, 2, 6)
    bp = net.backprop(x, y)
    loss, grads = net.loss_and_grads(x, y)
    assert bp.loss == pytest.approx(loss)
    for (a, _), (b, _) in zip(bp.grads, grads, strict=True):
        np.testing.assert_allclose(a, b)
    # dl/dh^0 against central differences of the loss with respect to the input x
    num = nn.numerical_gradient(lambda t: net.loss(t, y), x.copy())
    assert nn.relative_error(bp.dh[0], num) < 1e-7
    # dl/dz^1 = dl/dh^1 * tanh'(z^1)
    np.testing.assert_allclose(bp.dz[0], bp.dh[1] * (1 - np.tanh(bp.zs[0]) ** 2))


@pytest.mark.parametrize("output", ["identity", "sigmoid", "softmax"])
def test_input_jacobians_against_central_differences(output, rng):
    net = nn.MLP([3, 4, 3, 2], hidden="tanh", output=output, seed=4)
    x = rng.normal(size=(2, 3))
    As = net.input_jacobians(x)
    assert [A.shape for A in As] == [(2, 4, 3), (2, 3, 4), (2, 2, 3)]
    hs, _ = net.forward_trace(x)
    # the product A^k ... A^1 is d h^k / d h^0: compare with differences of forward()
    P = nn.jacobian_product(As)
    for r in range(2):
        for o in range(2):
            num = nn.numerical_gradient(lambda t, o=o: net.forward(t[None])[0, o], x[r].copy())
            np.testing.assert_allclose(P[r, o], num, atol=1e-8)
    avg = net.input_jacobians(x, average=True)
    for A, Abar in zip(As, avg, strict=True):
        np.testing.assert_allclose(A.mean(axis=0), Abar, atol=1e-15)


def test_jacobian_products_are_the_chain_of_the_lecture(rng):
    net = nn.MLP([2, 3, 3, 3, 1], hidden="sigmoid", seed=0)
    As = net.input_jacobians(rng.normal(size=(4, 2)))
    P = nn.jacobian_products(As)
    assert len(P) == 5 and P[4].shape == (4, 1, 1)
    np.testing.assert_allclose(P[1], As[3] @ As[2] @ As[1])


def test_copy_config_params():
    net = nn.MLP([2, 3, 1], hidden="tanh", output="sigmoid", seed=3)
    twin = nn.MLP.from_config(net.config())
    np.testing.assert_array_equal(twin.weights[0], net.weights[0])
    c = net.copy()
    c.weights[0] += 1
    assert not np.array_equal(c.weights[0], net.weights[0])
    assert len(net.params()) == 4 and len(nn.MLP([2, 3, 1], bias=False).params()) == 2


@pytest.mark.parametrize(
    "kwargs,error,pattern",
    [
        ({"sizes": [3]}, ValueError, "at least two"),
        ({"sizes": []}, ValueError, "at least two"),
        ({"sizes": [3, 0, 1]}, ValueError, "at least 1"),
        ({"sizes": [3, -2, 1]}, ValueError, "at least 1"),
        ({"sizes": [3, 2.5, 1]}, TypeError, "int"),
        ({"sizes": "3,2"}, TypeError, "list"),
        ({"sizes": [3, 2], "output": "tanh"}, ValueError, "identity.*sigmoid.*softmax"),
        ({"sizes": [3, 2, 1], "hidden": "swish"}, ValueError, "relu"),
        ({"sizes": [3, 2, 2, 1], "hidden": ["relu"]}, ValueError, "2 hidden"),
        ({"sizes": [3, 1], "output": "softmax"}, ValueError, "at least 2"),
        ({"sizes": [3, 2], "init": "kaiming_magic"}, ValueError, "glorot"),
        ({"sizes": [3, 2], "dtype": np.int32}, TypeError, "float32 or float64"),
        ({"sizes": [3, 2], "output": "softmax", "alpha": 0}, ValueError, "alpha"),
    ],
)
def test_constructor_errors(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        nn.MLP(**kwargs)


def test_call_errors_name_the_shapes():
    net = nn.MLP([3, 4, 2], output="softmax")
    with pytest.raises(ValueError, match=r"5 columns.*n_0 = 3"):
        net.forward(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"\(m, n_0\)"):
        net.forward(np.zeros(3))
    with pytest.raises(ValueError, match="non-finite"):
        net.forward(np.array([[0.0, np.inf, 1.0]]))
    with pytest.raises(ValueError, match="out of range"):
        net.loss_and_grads(np.zeros((2, 3)), [0, 2])
    with pytest.raises(ValueError, match="3 labels but x has 2"):
        net.loss_and_grads(np.zeros((2, 3)), [0, 1, 1])
    reg = nn.MLP([3, 2])
    with pytest.raises(ValueError, match=r"\(2, 2\)"):
        reg.loss_and_grads(np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nn.MLP([3, 1], output="sigmoid").loss_and_grads(np.zeros((2, 3)), [0, 2])


def test_stable_training_step_at_extreme_inputs(strict):
    for output, y in [
        ("softmax", [0, 1]),
        ("sigmoid", [[0.0], [1.0]]),
        ("identity", [[0.0], [1.0]]),
    ]:
        n_k = 2 if output == "softmax" else 1
        net = nn.MLP([2, 4, n_k], hidden="tanh", output=output, seed=0)
        x = np.array([[1e4, -1e4], [-1e4, 1e4]])
        loss, grads = net.loss_and_grads(x, y)
        assert np.isfinite(loss) and all(np.isfinite(g).all() for g in net.grads_list(grads))


@pytest.mark.parametrize("output", ["identity", "sigmoid", "softmax"])
def test_loss_and_output_is_one_pass_of_loss_and_forward(output, rng):
    net = nn.MLP([3, 5, 2], hidden="tanh", output=output, seed=6)
    x, y = rng.normal(size=(7, 3)), targets_for(output, 7, 2, rng)
    loss, h = net.loss_and_output(x, y)
    assert loss == pytest.approx(net.loss(x, y), rel=1e-14)
    np.testing.assert_allclose(h, net.forward(x), rtol=1e-14)
    np.testing.assert_array_equal(net.predict_from_output(h), net.predict(x))


def _net_with(sizes, weights, hidden="relu", output="identity", dtype=np.float64):
    net = nn.MLP(sizes, hidden=hidden, output=output, bias=False, dtype=dtype)
    net.weights = [np.array(W, dtype=dtype) for W in weights]
    return net


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    ("output", "w2", "expected"),
    [
        # z^1 = 2 x overflows to +inf (its correctly rounded value), relu keeps it, and z^2 is +-inf
        ("identity", [[-1.0]], [[-np.inf]]),
        ("sigmoid", [[-1.0]], [[0.0]]),  # sigmoid(-inf) = 0 and sigmoid(+inf) = 1, exactly
        ("sigmoid", [[1.0]], [[1.0]]),
        ("softmax", [[1.0], [-1.0]], [[1.0, 0.0]]),  # one infinite logit takes all the mass
    ],
)
def test_a_forward_pass_beyond_the_float_range_takes_the_limit_silently(
    output, w2, expected, dtype
):
    big = np.finfo(dtype).max / 2 * 1.5  # 2 * big is past the largest float of the dtype
    net = _net_with([1, 1, len(w2)], [[[2.0]], w2], output=output, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from an overflow or from inf - inf
        h = net.forward(np.array([[big]], dtype=dtype))
        hs, zs = net.forward_trace(np.array([[big]], dtype=dtype))
    assert h.dtype == dtype
    np.testing.assert_array_equal(h, expected)
    assert zs[0][0, 0] == np.inf


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_forward_pass_that_meets_inf_minus_inf_names_the_overflowing_layer(dtype):
    big = np.finfo(dtype).max / 2 * 1.5
    # two hidden units overflow to +inf, and z^2 = inf - inf has no value
    net = _net_with([1, 2, 1], [[[2.0], [2.0]], [[1.0, -1.0]]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"z\^1 = .* beyond .* z\^2 is then NaN") as info:
            net.forward(np.array([[0.0], [big]], dtype=dtype))
    assert "at row 1" in str(info.value) and "standardize x" in str(info.value)
    net.weights[1][0, 1] = np.nan
    with pytest.raises(
        ValueError, match=r"W\^2 \(net.weights\[1\]\) contains non-finite .* index \(0, 1\): .*nan"
    ):
        net.logits(np.array([[1.0]], dtype=dtype))
    # a caller that asks for IEEE results (the playground, drawing a diverged network) gets NaN
    net.weights[1][0, 1] = -1.0
    with warnings.catch_warnings(), np.errstate(over="ignore", invalid="ignore"):
        warnings.simplefilter("error")
        h = net.forward(np.array([[0.0], [big]], dtype=dtype))
    assert h[0, 0] == 0.0 and np.isnan(h[1, 0])
