"""The MLP's default bias initialisation: its distribution, the explicit choices, and the fit it
exists for (sin(3x) on [-pi, pi] with [1, 32, 32, 1] tanh and Adam, as PyTorch's defaults do)."""

import numpy as np
import pytest

import nncore as nn
from nncore.init import BIAS_INITIALIZERS, get_bias_initializer


def test_default_biases_are_uniform_in_one_over_sqrt_fan_in():
    net = nn.MLP([4, 2000, 1], hidden="tanh", seed=3)
    b1, b2 = net.biases
    limit = 1 / np.sqrt(4)
    assert b1.min() >= -limit and b1.max() <= limit
    # U[-a, a]: mean 0, variance a^2 / 3 (2000 draws: standard errors 0.011 and 0.0047)
    assert abs(b1.mean()) < 5 * limit / np.sqrt(3 * 2000)
    assert b1.var() == pytest.approx(limit**2 / 3, rel=0.1)
    assert abs(b2[0]) <= 1 / np.sqrt(2000)
    assert net.bias_init == "fan_in_uniform"


def test_weights_do_not_depend_on_the_bias_choice():
    """Biases are drawn after all the weights, so a seed keeps its weights whatever bias_init."""
    for hidden in ("relu", "tanh"):
        default = nn.MLP([3, 5, 4, 2], hidden=hidden, seed=7)
        zeros = nn.MLP([3, 5, 4, 2], hidden=hidden, seed=7, bias_init="zeros")
        no_bias = nn.MLP([3, 5, 4, 2], hidden=hidden, seed=7, bias=False)
        for a, b, c in zip(default.weights, zeros.weights, no_bias.weights, strict=True):
            np.testing.assert_array_equal(a, b)
            np.testing.assert_array_equal(a, c)


def test_weights_match_the_initialiser_drawn_by_hand():
    """The weights are exactly the initialiser's draws in layer order (Glorot for tanh)."""
    rng = np.random.default_rng(11)
    expected = []
    for n_in, n_out in [(2, 6), (6, 1)]:
        a = np.sqrt(6 / (n_in + n_out))
        expected.append(rng.uniform(-a, a, size=(n_out, n_in)))
    expected_biases = [
        rng.uniform(-1 / np.sqrt(n), 1 / np.sqrt(n), size=m) for n, m in [(2, 6), (6, 1)]
    ]
    net = nn.MLP([2, 6, 1], hidden="tanh", seed=11)
    for W, ref in zip(net.weights, expected, strict=True):
        np.testing.assert_array_equal(W, ref)
    for b, ref in zip(net.biases, expected_biases, strict=True):
        np.testing.assert_array_equal(b, ref)


def test_explicit_bias_choices():
    assert all(b is None for b in nn.MLP([2, 3, 1], bias=False).biases)
    assert all(not b.any() for b in nn.MLP([2, 3, 1], bias_init="zeros").biases)
    wide = nn.MLP([2, 4000, 1], bias_init=("normal", {"std": 0.5}), seed=1)
    assert wide.biases[0].std() == pytest.approx(0.5, rel=0.05)
    custom = nn.MLP([2, 3, 1], bias_init=lambda shape, fan_in, rng, dtype: np.full(shape, fan_in))
    np.testing.assert_array_equal(custom.biases[0], [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(custom.biases[1], [3.0])
    assert sorted(BIAS_INITIALIZERS) == ["fan_in_uniform", "normal", "zeros"]


def test_bias_dtype_and_bad_choices():
    net = nn.MLP([2, 3, 1], dtype=np.float32)
    assert all(b.dtype == np.float32 for b in net.biases)
    with pytest.raises(ValueError, match="unknown bias initialiser 'ones'.*fan_in_uniform"):
        nn.MLP([2, 3, 1], bias_init="ones")
    with pytest.raises(TypeError, match="bias_init must be"):
        nn.MLP([2, 3, 1], bias_init=3)
    with pytest.raises(TypeError, match="does not accept"):
        get_bias_initializer(("zeros", {"std": 1.0}))((3,), 2, np.random.default_rng(0), float)
    with pytest.raises(ValueError, match="returned shape"):
        nn.MLP([2, 3, 1], bias_init=lambda shape, fan_in, rng, dtype: np.zeros(2))


def test_config_round_trip_keeps_the_bias_choice():
    for choice in ("zeros", ("normal", {"std": 0.2})):
        net = nn.MLP([2, 3, 1], bias_init=choice, seed=4)
        rebuilt = nn.MLP.from_config(net.config())
        for a, b in zip(net.biases, rebuilt.biases, strict=True):
            np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match="callable"):
        nn.MLP([2, 3, 1], bias_init=lambda shape, fan_in, rng, dtype: np.zeros(shape)).config()


def _mse_by_hand(net, x, y):
    """The [1, n, n, 1] tanh network's squared error, written out with NumPy only."""
    (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
    h1 = np.tanh(x @ W1.T + b1)
    h2 = np.tanh(h1 @ W2.T + b2)
    return float(np.mean(np.sum((h2 @ W3.T + b3 - y) ** 2, axis=1)))


def _best_mse_in_300_epochs(bias_init, seed):
    x = np.linspace(-np.pi, np.pi, 256)[:, None]
    y = np.sin(3 * x)
    net = nn.MLP([1, 32, 32, 1], hidden="tanh", seed=seed, bias_init=bias_init)
    errors = []

    def record(epoch, history, network):
        errors.append(_mse_by_hand(network, x, y))

    nn.fit(
        net, x, y, optimizer="adam", lr=0.01, epochs=300, batch_size=32, seed=seed, callback=record
    )
    assert len(errors) == 300
    return min(errors)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
def test_default_mlp_fits_sin_3x_within_300_epochs(seed):
    """The issue's criterion: MSE < 1e-3 within 300 epochs for every seed 0-4 (measured after
    every epoch by a hand-written forward pass; Adam at lr 0.01 keeps jittering around it)."""
    assert _best_mse_in_300_epochs("fan_in_uniform", seed) < 1e-3


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 2])
def test_zero_biases_stall_as_the_docstring_says(seed):
    """The reason for the default: with b = 0 the same run stalls above 1e-2 (0.02-0.06)."""
    assert _best_mse_in_300_epochs("zeros", seed) > 1e-2
