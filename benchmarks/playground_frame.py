"""A TF Playground "frame": one epoch over 500 2-D points at batch 10, then the decision surface.

The network is TF Playground's deepest: 2 inputs, 6 hidden layers of 8 tanh units, one sigmoid
output (binary classification of the circles data set), plain SGD at lr 0.03. A frame is
  1. one epoch: 50 steps of forward + backward + update on shuffled batches of 10;
  2. the training loss and accuracy over the 500 points (what the page shows each frame);
  3. the forward pass of a 100 x 100 grid over [-1.5, 1.5]^2 (the decision surface).
nncore runs it through ``nn.Trainer.step_epoch`` and ``nn.decision_surface`` (the grid in chunks of
1,024 rows); the baseline is the same math written as a bare NumPy loop (the grid in one product
per layer), on the same weights and data, timed interleaved in the same run.
TF Playground's own JavaScript manages about 15 such frames a second (160 without the grid);
the target for nncore is at least 100 with the grid.

Run: python benchmarks/playground_frame.py
On a busy shared machine OpenBLAS's threads fight other processes over the 2 cores; compare
with OPENBLAS_NUM_THREADS=1 python benchmarks/playground_frame.py (the setting is printed).
"""

import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import compare  # noqa: E402

import nncore as nn  # noqa: E402

SIZES = [2, 8, 8, 8, 8, 8, 8, 1]
LR = 0.03
BATCH = 10
GRID = 100


def make_grid():
    axis = np.linspace(-1.5, 1.5, GRID)
    a, b = np.meshgrid(axis, axis)
    return np.column_stack([a.ravel(), b.ravel()])


def baseline_frame(Ws, bs, x, y, grid, rng):
    """The bare loop: tanh hidden layers, sigmoid output with the fused delta (h - y) / m."""
    order = rng.permutation(len(x))
    for start in range(0, len(x), BATCH):
        rows = order[start : start + BATCH]
        hs = [x[rows]]
        for W, b in zip(Ws[:-1], bs[:-1], strict=True):
            hs.append(np.tanh(hs[-1] @ W.T + b))
        z = hs[-1] @ Ws[-1].T + bs[-1]
        p = 0.5 * (1 + np.tanh(z / 2))  # stable sigmoid
        dz = (p - y[rows, None]) / len(rows)
        for i in range(len(Ws) - 1, -1, -1):
            dW, db = dz.T @ hs[i], dz.sum(axis=0)
            if i > 0:
                dz = (dz @ Ws[i]) * (1 - hs[i] ** 2)
            Ws[i] -= LR * dW
            bs[i] -= LR * db

    def forward(points):
        h = points
        for W, b in zip(Ws[:-1], bs[:-1], strict=True):
            h = np.tanh(h @ W.T + b)
        return h @ Ws[-1].T + bs[-1]

    z = forward(x)[:, 0]
    loss = float(np.mean(np.logaddexp(0, z) - y * z))
    accuracy = float(np.mean((z >= 0) == (y == 1)))
    surface = forward(grid)
    return loss, accuracy, surface


def main():
    x, y = nn.make_dataset("circles", n=500, noise=0.1, seed=0)
    grid = make_grid()
    net = nn.MLP(SIZES, hidden="tanh", output="sigmoid", seed=0)
    trainer = nn.Trainer(net, x, y, optimizer="sgd", lr=LR, batch_size=BATCH, epochs=10**6)
    Ws = [W.copy() for W in net.weights]
    bs = [b.copy() for b in net.biases]
    rng = np.random.default_rng(0)

    def nncore_frame():
        trainer.step_epoch()
        return nn.decision_surface(net, -1.5, 1.5, GRID)

    def nncore_epoch_only():
        trainer.step_epoch()

    def baseline_epoch_only():
        baseline_frame(Ws, bs, x, y.astype(np.float64), grid[:1], rng)

    frame, base, ratio = compare(
        nncore_frame, lambda: baseline_frame(Ws, bs, x, y.astype(np.float64), grid, rng)
    )
    print(f"playground frame, sizes {SIZES}, 500 points, batch {BATCH}, {GRID}x{GRID} grid")
    print(f"  OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(default)')}")
    print(f"  nncore   median {frame * 1e3:7.2f} ms/frame  = {1 / frame:6.1f} frames/s")
    print(f"  baseline median {base * 1e3:7.2f} ms/frame  = {1 / base:6.1f} frames/s")
    print(
        f"  ratio nncore/baseline {ratio:.2f}   target >= 100 frames/s: "
        f"{'met' if 1 / frame >= 100 else 'NOT met'}"
    )
    epoch, base_epoch, ratio_epoch = compare(nncore_epoch_only, baseline_epoch_only)
    print("without the grid (epoch + loss only)")
    print(f"  nncore   median {epoch * 1e3:7.2f} ms  = {1 / epoch:6.1f} frames/s")
    print(f"  baseline median {base_epoch * 1e3:7.2f} ms  = {1 / base_epoch:6.1f} frames/s")
    print(f"  ratio nncore/baseline {ratio_epoch:.2f}")
    print(
        f"  (training is real: loss {trainer.history.loss[0]:.3f} -> {trainer.history.loss[-1]:.3f}"
        f" after {trainer.epoch} epochs)"
    )


if __name__ == "__main__":
    main()
