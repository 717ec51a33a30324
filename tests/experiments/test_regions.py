"""Exact linear pieces: closed forms, an exact rational-arithmetic recount, and the sawtooth."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nncore as nn
from nncore.regions import count_linear_regions, linear_pieces, restrict_to_line, sawtooth_network


def one_layer_net(w, b, v, c=0.0, hidden="relu"):
    """h(x) = sum_j v_j sigma(w_j x + b_j) + c, as an nn.MLP [1, n, 1]."""
    net = nn.MLP([1, len(w), 1], hidden=hidden, init="zeros")
    net.weights[0][:, 0] = w
    net.biases[0][:] = b
    net.weights[1][0, :] = v
    net.biases[1][:] = c
    return net


def random_net(sizes, seed, hidden="relu", bias_std=0.5):
    net = nn.MLP(sizes, hidden=hidden, seed=seed)
    rng = np.random.default_rng(seed + 1000)
    for b in net.biases:
        b[:] = rng.normal(0.0, bias_std, b.shape)
    return net


def exact_count(net, lo, hi):
    """Independent recount in exact rational arithmetic (Fractions of the float weights).

    Walk the pieces left to right: on each interval the output is affine, so find every unit's
    root by exact division, split, and compare slopes exactly. Slow, simple, no tolerance.
    """
    weights = [[[Fraction(float(v)) for v in row] for row in W] for W in net.weights]
    biases = [[Fraction(float(v)) for v in b] for b in net.biases]
    kinds = {"relu": (0, 1), "abs": (-1, 1), "identity": (1, 1)}

    def affine_pieces(layer, pieces):
        """pieces: list of (left, right, slopes, intercepts) of h^{layer}; returns next layer's."""
        W, b = weights[layer], biases[layer]
        last = layer == len(weights) - 1
        out = []
        for left, right, a, c in pieces:
            za = [sum(wi * ai for wi, ai in zip(row, a, strict=True)) for row in W]
            zc = [
                sum(wi * ci for wi, ci in zip(row, c, strict=True)) + bu
                for row, bu in zip(W, b, strict=False)
            ]
            if last:
                out.append((left, right, za, zc))
                continue
            roots = sorted(
                {
                    -cc / aa
                    for aa, cc in zip(za, zc, strict=False)
                    if aa != 0 and left < -cc / aa < right
                }
            )
            edges = [left, *roots, right]
            neg, pos = kinds[net.hidden[layer]]
            for l, r in zip(edges[:-1], edges[1:], strict=False):
                mid = (l + r) / 2
                f = [pos if aa * mid + cc > 0 else neg for aa, cc in zip(za, zc, strict=False)]
                out.append(
                    (
                        l,
                        r,
                        [fi * aa for fi, aa in zip(f, za, strict=False)],
                        [fi * cc for fi, cc in zip(f, zc, strict=False)],
                    )
                )
        return out

    pieces = [(Fraction(lo), Fraction(hi), [Fraction(1)], [Fraction(0)])]
    for layer in range(len(weights)):
        pieces = affine_pieces(layer, pieces)
    count = 1
    for before, after in zip(pieces[:-1], pieces[1:], strict=False):
        count += before[2] != after[2]
    return count


def test_one_hidden_layer_closed_form():
    # Kinks at -b/w: 0.5, -0.25, 2.0 (outside [-1, 1]), and a unit with v = 0 (no kink).
    net = one_layer_net(w=[2.0, -4.0, 1.0, 3.0], b=[-1.0, -1.0, -2.0, 0.3], v=[1.0, 2.0, 5.0, 0.0])
    pieces = linear_pieces(net, -1, 1)
    assert pieces.count == 3
    np.testing.assert_allclose(pieces.breakpoints, [-1, -0.25, 0.5, 1])
    # Slopes: left of -0.25 only unit 2 is on (-4 * 2 = -8); between, none; right of 0.5, unit 1.
    np.testing.assert_allclose(pieces.slopes, [-8.0, 0.0, 2.0])
    breakpoints, slopes = pieces
    assert slopes.shape == (3,) and breakpoints.shape == (4,)


def test_cancelling_kinks_do_not_count():
    # relu(x) - relu(x) + relu(-x) + relu(x) = |x|: the double kink at 0 still counts once,
    # and relu(x - 0.5) - relu(x - 0.5) adds nothing.
    net = one_layer_net(
        w=[1.0, 1.0, -1.0, 1.0, 1.0, 1.0],
        b=[0.0, 0.0, 0.0, 0.0, -0.5, -0.5],
        v=[1.0, -1.0, 1.0, 1.0, 1.0, -1.0],
    )
    assert count_linear_regions(net, -1, 1) == 2
    assert linear_pieces(net, -1, 1, merge=False).count == 3
    # x = relu(x) - relu(-x) is affine everywhere: one piece.
    assert count_linear_regions(one_layer_net([1.0, -1.0], [0.0, 0.0], [1.0, -1.0]), -5, 5) == 1


def test_tolerance_is_documented_scale():
    # A genuine slope change of 1e-6 (relative) counts; 1e-12 is rounding-level and merges.
    net = one_layer_net(w=[1.0, 1.0], b=[0.0, -0.5], v=[1.0, 1e-6], c=0.0, hidden="relu")
    assert count_linear_regions(net, -1, 1) == 3
    net = one_layer_net(w=[1.0, 1.0], b=[0.0, -0.5], v=[1.0, 1e-12], c=0.0, hidden="relu")
    assert count_linear_regions(net, -1, 1) == 2


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7, 12])
def test_sawtooth_has_two_to_the_k_pieces(k):
    net = sawtooth_network(k)
    pieces = linear_pieces(net, 0, 1)
    assert pieces.count == 2**k
    np.testing.assert_allclose(pieces.breakpoints, np.arange(2**k + 1) / 2**k, atol=1e-15)
    np.testing.assert_allclose(np.abs(pieces.slopes), 2.0**k)
    assert net.sizes == [1] + [2] * k + [1]
    assert net.n_params == 6 * k + 1


def test_sawtooth_is_the_tent_map_composed():
    k = 5
    x = np.linspace(0, 1, 4097)
    t = x.copy()
    for _ in range(k):
        t = np.where(t <= 0.5, 2 * t, 2 - 2 * t)
    np.testing.assert_allclose(sawtooth_network(k).forward(x[:, None])[:, 0], t, atol=1e-12)


@pytest.mark.parametrize(
    ("sizes", "hidden", "seed"),
    [
        ([1, 6, 1], "relu", 0),
        ([1, 5, 4, 1], "relu", 1),
        ([1, 4, 4, 3, 1], "abs", 2),
        ([1, 3, 5, 2], "relu", 3),
        ([1, 4, 3, 1], "identity", 4),
    ],
)
def test_agrees_with_exact_rational_recount(sizes, hidden, seed):
    net = random_net(sizes, seed, hidden=hidden)
    assert count_linear_regions(net, -2.0, 2.0) == exact_count(net, -2.0, 2.0)


@pytest.mark.parametrize("seed", range(3))
def test_pieces_reproduce_the_network_and_sampling_finds_no_extra_kinks(seed):
    net = random_net([1, 16, 16, 1], seed)
    pieces = linear_pieces(net, -3, 3)
    x = np.linspace(-3, 3, 20001)
    np.testing.assert_allclose(pieces(x), net.forward(x[:, None]), atol=1e-12)
    # Dense-sampling baseline: a kink shows as a non-zero second difference. Each sampled kink
    # must lie within one grid step of an exact breakpoint.
    y = net.forward(x[:, None])[:, 0]
    second = np.abs(np.diff(y, 2))
    kinks = x[1:-1][second > 1e-9 * np.abs(y).max()]
    distance = np.min(np.abs(kinks[:, None] - pieces.breakpoints[None, :]), axis=1)
    assert np.all(distance <= 2 * (x[1] - x[0]))


def test_multi_output_and_sigmoid_logits():
    net = random_net([1, 8, 3], 5)
    pieces = linear_pieces(net, -2, 2)
    assert pieces.slopes.shape == (pieces.count, 3) == pieces.intercepts.shape
    assert count_linear_regions(net, -2, 2) == exact_count(net, -2, 2)
    logit_net = random_net([1, 8, 1], 6)
    logit_net.output = "sigmoid"
    assert count_linear_regions(logit_net, -2, 2) == exact_count(logit_net, -2, 2)


def test_restrict_to_line():
    net = random_net([3, 8, 8, 1], 7)
    start, end = np.array([-1.0, 0.5, 2.0]), np.array([1.0, -1.0, 0.0])
    line = restrict_to_line(net, start, end)
    t = np.linspace(0, 1, 50)
    points = start + t[:, None] * (end - start)
    np.testing.assert_allclose(line.forward(t[:, None]), net.forward(points), atol=1e-12)
    assert count_linear_regions(line, 0, 1) == exact_count(line, 0, 1)


def test_errors():
    with pytest.raises(ValueError, match="one input"):
        count_linear_regions(nn.MLP([2, 3, 1]), 0, 1)
    with pytest.raises(ValueError, match=r"\['tanh'\] are not piecewise linear"):
        count_linear_regions(nn.MLP([1, 3, 1], hidden="tanh"), 0, 1)
    with pytest.raises(ValueError, match="lo < hi"):
        count_linear_regions(nn.MLP([1, 3, 1]), 1, 0)
    with pytest.raises(ValueError, match="k must be an int >= 1"):
        sawtooth_network(0)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    widths=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    hidden=st.sampled_from(["relu", "abs"]),
    bias_std=st.sampled_from([0.0, 0.3, 2.0]),
)
def test_property_exact_count_and_values(seed, widths, hidden, bias_std):
    net = random_net([1, *widths, 1], seed, hidden=hidden, bias_std=bias_std)
    assert count_linear_regions(net, -2.0, 2.0) == exact_count(net, -2.0, 2.0)
    x = np.linspace(-2.0, 2.0, 257)
    np.testing.assert_allclose(
        linear_pieces(net, -2.0, 2.0)(x), net.forward(x[:, None]), atol=1e-12
    )


def test_kinks_far_apart_over_nearly_the_whole_float_range():
    """relu(x + 1e305) + relu(x) + relu(x - 1e305): 4 pieces of slopes 0, 1, 2, 3. On
    [-1e308, 1e308] the interval's width overflows; it made the merge tolerance inf (1 piece)."""
    net = one_layer_net([1.0, 1.0, 1.0], [1e305, 0.0, -1e305], [1.0, 1.0, 1.0])
    pieces = nn.linear_pieces(net, -1e308, 1e308)
    np.testing.assert_array_equal(pieces.breakpoints, [-1e308, -1e305, 0.0, 1e305, 1e308])
    np.testing.assert_array_equal(pieces.slopes, [0.0, 1.0, 2.0, 3.0])
