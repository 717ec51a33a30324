"""count_linear_regions on a [1, 64, 64, 64, 1] ReLU network against dense sampling.

nncore computes the pieces exactly from the weights (nncore/regions.py). The baseline evaluates
the network on an evenly spaced grid and counts the grid cells where the slope changes (second
differences above a relative threshold): the usual way to draw or count pieces, whose answer
depends on the grid. Both run on the same network, interleaved, in the same process.
The network: He-normal weights, biases N(0, 0.5^2) (nn.MLP starts biases at 0, which would put
every first-layer kink at x = 0), interval [-3, 3]. Target: under 50 ms.
A second case, Telgarsky's sawtooth with k = 18 (262,144 pieces on [0, 1]), shows what sampling
misses when pieces are narrower than the grid.

Run: python benchmarks/regions.py
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import compare  # noqa: E402

import nncore as nn  # noqa: E402

GRID_POINTS = 100_001


def sampled_count(net, lo, hi, points=GRID_POINTS):
    """Baseline: 1 + number of grid cells where the sampled slope changes."""
    x = np.linspace(lo, hi, points)
    y = net.forward(x[:, None])[:, 0]
    second = np.abs(np.diff(y, 2))
    changed = second > 1e-9 * max(np.abs(y).max(), 1e-300)
    # Neighbouring flagged cells usually belong to one kink: count runs of flags.
    starts = changed & ~np.concatenate([[False], changed[:-1]])
    return 1 + int(starts.sum())


def run_case(name, net, lo, hi):
    exact = nn.count_linear_regions(net, lo, hi)
    sampled = sampled_count(net, lo, hi)
    ours, base, ratio = compare(
        lambda: nn.count_linear_regions(net, lo, hi), lambda: sampled_count(net, lo, hi)
    )
    print(name)
    print(f"  exact count_linear_regions: {exact:6d} pieces   median {ours * 1e3:8.3f} ms")
    print(f"  sampling {GRID_POINTS} points:   {sampled:6d} pieces   median {base * 1e3:8.3f} ms")
    print(f"  ratio exact/sampling {ratio:.3f}")
    return ours


def main():
    net = nn.MLP([1, 64, 64, 64, 1], hidden="relu", init="he", seed=0)
    nn.random_biases(net, kind="normal", std=0.5, seed=1)
    ours = run_case("[1, 64, 64, 64, 1] ReLU on [-3, 3]", net, -3.0, 3.0)
    print(f"  target < 50 ms: {'met' if ours < 0.05 else 'NOT met'}")
    run_case("sawtooth k = 18 on [0, 1] (2^18 = 262144 pieces)", nn.sawtooth_network(18), 0.0, 1.0)


if __name__ == "__main__":
    main()
