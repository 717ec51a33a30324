"""A TF Playground "frame" in nncore: one epoch of training plus every unit's map.

TF Playground's deepest network: 2 inputs, 6 hidden layers of 8 tanh units, one output (here a
sigmoid with its negative log-likelihood; TFP uses tanh and squared error), plain SGD at lr 0.03,
batches of 10, 500 points of the circles set. Each frame TFP trains one epoch and then computes
every node's output on a 100 x 100 grid of the plane (its updateDecisionBoundary; the thumbnails
are those maps shrunk to 10 x 10). Its JavaScript manages about 15 such frames a second; the
target here is 6x that, 90 frames a second.

nncore's frame, as the playground runs it:
  1. one epoch: 50 steps through ``nncore.fused.FusedTrainer`` (nn.Trainer's run, bit for bit,
     over one flat parameter vector), which also evaluates the loss and accuracy on all rows;
  2. every unit's map: ``nncore.unitmaps.layer_outputs`` on the 100 x 100 grid in float32
     (h^1 .. h^7 for all 10,000 points: the 48 hidden maps and the output).
Timed interleaved in the same run against:
  - baseline: the same math as a bare NumPy loop (float64 grid pass, one product per layer);
  - nn.Trainer + the float64 forward trace, i.e. the playground before this change.
Medians of interleaved repeats; the machine is shared, so compare the ratios.

Run: python benchmarks/playground_frame.py
"""

import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import compare  # noqa: E402

import nncore as nn  # noqa: E402
from nncore.fused import FusedTrainer  # noqa: E402
from nncore.unitmaps import layer_outputs, plane_grid  # noqa: E402

SIZES = [2, 8, 8, 8, 8, 8, 8, 1]
LR = 0.03
BATCH = 10
GRID = 100
TFP_FRAMES_PER_SECOND = 15.0
TARGET = 6 * TFP_FRAMES_PER_SECOND


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

    def trace(points):
        hs = [points]
        for W, b in zip(Ws[:-1], bs[:-1], strict=True):
            hs.append(np.tanh(hs[-1] @ W.T + b))
        hs.append(hs[-1] @ Ws[-1].T + bs[-1])
        return hs

    z = trace(x)[-1][:, 0]
    loss = float(np.mean(np.logaddexp(0, z) - y * z))
    accuracy = float(np.mean((z >= 0) == (y == 1)))
    return loss, accuracy, trace(grid)  # every layer on the grid: every unit's map


def main():
    x, y = nn.make_dataset("circles", n=500, noise=0.1, seed=0)
    grid = plane_grid(GRID, 1.5)

    def network():
        return nn.MLP(SIZES, hidden="tanh", output="sigmoid", seed=0)

    fused_net = network()
    fused = FusedTrainer(fused_net, x, y, optimizer="sgd", lr=LR, batch_size=BATCH, epochs=10**6)
    plain_net = network()
    plain = nn.Trainer(plain_net, x, y, optimizer="sgd", lr=LR, batch_size=BATCH, epochs=10**6)
    Ws = [W.copy() for W in plain_net.weights]
    bs = [b.copy() for b in plain_net.biases]
    rng = np.random.default_rng(0)
    y64 = y.astype(np.float64)

    def nncore_frame():
        fused.step_epoch()
        return layer_outputs(fused_net, grid, dtype=np.float32)

    def before_frame():  # nn.Trainer + the float64 forward trace on the grid
        plain.step_epoch()
        return plain_net.forward_trace(grid)

    def baseline():
        return baseline_frame(Ws, bs, x, y64, grid, rng)

    maps = nncore_frame()
    assert len(maps) == 7 and maps[0].shape == (GRID * GRID, 8)  # 48 hidden maps + the output
    frame, base, ratio = compare(nncore_frame, baseline, repeats=21)
    frame2, before, ratio_before = compare(nncore_frame, before_frame, repeats=21)
    epoch, epoch_plain, ratio_epoch = compare(fused.step_epoch, plain.step_epoch, repeats=21)
    print(
        f"playground frame: sizes {SIZES}, 500 points, batch {BATCH}, every unit on a "
        f"{GRID}x{GRID} grid"
    )
    print(
        f"  OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(default)')}, "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    print(
        f"  nncore (FusedTrainer + float32 maps)  median {frame * 1e3:7.2f} ms = "
        f"{1 / frame:6.1f} frames/s"
    )
    print(
        f"  bare NumPy loop (float64)             median {base * 1e3:7.2f} ms = "
        f"{1 / base:6.1f} frames/s   ratio nncore/bare {ratio:.2f}"
    )
    print(
        f"  nn.Trainer + float64 trace (before)   median {before * 1e3:7.2f} ms = "
        f"{1 / before:6.1f} frames/s   speed-up {1 / ratio_before:.2f}x "
        f"(nncore {frame2 * 1e3:.2f} ms in that pairing)"
    )
    print(
        f"  vs TF Playground's {TFP_FRAMES_PER_SECOND:g} frames/s: {1 / frame / 15:.1f}x "
        f"(target 6x = {TARGET:g} frames/s: {'met' if 1 / frame >= TARGET else 'NOT met'})"
    )
    print(
        f"epoch alone: FusedTrainer {epoch * 1e3:.2f} ms, nn.Trainer {epoch_plain * 1e3:.2f} ms "
        f"(ratio {ratio_epoch:.2f})"
    )
    print(
        f"  (training is real: loss {fused.history.loss[0]:.3f} -> "
        f"{fused.history.loss[-1]:.3f} after {fused.epoch} epochs)"
    )


if __name__ == "__main__":
    main()
