"""count_linear_regions refuses networks that could have too many pieces to enumerate (audit 39,
finding 13: sawtooth_network(60) asked for 2^60 pieces and was killed at 23 GB)."""

import numpy as np
import pytest

import nncore as nn
from nncore.regions import MAX_PIECES


def test_the_cap_refuses_what_could_exceed_it_and_nothing_else():
    assert MAX_PIECES == 2**21
    # T^k has 2^k pieces on [0, 1] (Telgarsky 2016): k = 20 is the largest sawtooth under the cap
    assert nn.count_linear_regions(nn.sawtooth_network(20), 0, 1) == 2**20
    # before layer 21 there are 2^20 pieces, and its two units could cut each into three
    with pytest.raises(ValueError) as error:
        nn.count_linear_regions(nn.sawtooth_network(21), 0, 1)
    message = str(error.value)
    assert "layer 21" in message and f"{3 * 2**20:,}" in message
    assert "MAX_PIECES = 2,097,152" in message and "sizes [1, 2, 2" in message

    # The bound is per layer, P (n_i + 1) with P the pieces so far, not prod (n_i + 1) = 65^4:
    # a random ReLU network has about one piece per unit on a line (Hanin & Rolnick 2019).
    net = nn.MLP([1, 64, 64, 64, 64, 1], hidden="relu", seed=0)
    pieces = nn.linear_pieces(net, -1.0, 1.0, merge=False)
    assert 65**4 > MAX_PIECES > pieces.count
    # independent check of the pieces: the network is affine between consecutive breakpoints,
    # so its value at each piece's midpoint is the mean of its values at the two ends
    edges = pieces.breakpoints
    middles = (edges[:-1] + edges[1:]) / 2
    h = net.forward(np.concatenate([edges, middles])[:, None])[:, 0]
    at_edges, at_middles = h[: len(edges)], h[len(edges) :]
    np.testing.assert_allclose(at_middles, (at_edges[:-1] + at_edges[1:]) / 2, atol=1e-12)
