"""Decision surfaces: the chunked forward equals net.forward; the grid is laid out right."""

import numpy as np
import pytest

import nncore as nn
from nncore.surface import decision_surface, forward_in_chunks, grid_points


@pytest.mark.parametrize(
    ("sizes", "hidden", "output"),
    [
        ([2, 8, 8, 1], "tanh", "sigmoid"),
        ([2, 5, 3], "relu", "softmax"),
        ([3, 4, 2], "abs", "identity"),
    ],
)
@pytest.mark.parametrize("chunk", [1, 7, 1024])
def test_chunked_forward_equals_forward(sizes, hidden, output, chunk):
    net = nn.MLP(sizes, hidden=hidden, output=output, seed=0)
    x = np.random.default_rng(1).uniform(-2, 2, (1000, sizes[0]))
    expected = net.forward(x)
    # rounding is relative to the terms summed, not to the result (an output near 0 comes from
    # cancellation), so the tolerance scales with the outputs' size
    np.testing.assert_allclose(
        forward_in_chunks(net, x, chunk), expected, rtol=1e-13, atol=1e-13 * np.abs(expected).max()
    )


def test_float32_and_softmax_alpha():
    net = nn.MLP([2, 6, 4], hidden="tanh", output="softmax", seed=2, alpha=3.0, dtype=np.float32)
    x = np.random.default_rng(0).normal(size=(50, 2))
    out = forward_in_chunks(net, x, 16)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, net.forward(x), rtol=1e-5)


def test_grid_layout():
    axis, points = grid_points(-1, 1, 5)
    np.testing.assert_allclose(axis, [-1, -0.5, 0, 0.5, 1])
    assert points.shape == (25, 2)
    np.testing.assert_allclose(points[2 * 5 + 3], [axis[3], axis[2]])


def test_decision_surface_matches_pointwise_forward():
    net = nn.MLP([2, 8, 1], hidden="tanh", output="sigmoid", seed=0)
    axis, values = decision_surface(net, -1.5, 1.5, 20)
    assert values.shape == (20, 20, 1)
    r, c = 13, 4
    expected = net.forward(np.array([[axis[c], axis[r]]]))[0]
    np.testing.assert_allclose(values[r, c], expected, rtol=1e-14)


def test_errors():
    with pytest.raises(ValueError, match="2 inputs"):
        decision_surface(nn.MLP([3, 2, 1]))
    with pytest.raises(ValueError, match="chunk"):
        forward_in_chunks(nn.MLP([2, 2, 1]), np.zeros((3, 2)), chunk=0)
    with pytest.raises(ValueError, match=r"shape \(3, 3\)"):
        forward_in_chunks(nn.MLP([2, 2, 1]), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="resolution"):
        grid_points(resolution=1)
