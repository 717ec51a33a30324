"""The gradients page's "After training" tab: the old path against the new one, same run.

Old (before issue 9): ``nn.fit`` on the float64 network, which also evaluates the loss and
accuracy on all 1797 digits and records every gradient norm after each epoch. New:
``nncore.gradflow.MinibatchRun`` on a float32 copy (the same shuffle and Adam steps as fit,
without the per-epoch bookkeeping), one step at a time so the page can show progress and stop.
Both then measure the trained network the same way (``viz.gradients.layer_stats`` in float64).

The machines are shared and noisy, so the two are timed alternately and compared by medians.
Run: python benchmarks/gradients_training.py [--epochs E] [--repeats R] [--heavy]
(--heavy: the tour's case, 30 hidden layers of 256 sigmoid units; default 8 x 256).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nncore as nn  # noqa: E402
from nncore import gradflow  # noqa: E402
from nncore.digits import load_digits  # noqa: E402
from viz import gradients as viz  # noqa: E402


def network(depth: int, width: int) -> nn.MLP:
    """The page's network: [64, width x depth, 10], sigmoid, the old uniform initialisation."""
    return nn.MLP([64] + [width] * depth + [10], hidden="sigmoid", output="softmax",
                  init="uniform", seed=0)  # fmt: skip


def old_path(depth, width, epochs, x, y):
    net = network(depth, width)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        nn.fit(net, x, y, optimizer="adam", lr=1e-3, epochs=epochs, batch_size=64, seed=0)
    return viz.layer_stats(net, x[:256], y[:256])


def new_path(depth, width, epochs, x, y):
    net = gradflow.with_dtype(network(depth, width), np.float32)
    run = gradflow.MinibatchRun(net, x, y, epochs, lr=1e-3, batch_size=64, seed=0)
    while not run.finished:
        run.step()
    trained = gradflow.with_dtype(run.net, np.float64)
    return viz.layer_stats(trained, x[:256], y[:256], product_rows=8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--heavy", action="store_true", help="30 x 256 instead of 8 x 256")
    args = parser.parse_args()
    depth, width = (30, 256) if args.heavy else (8, 256)
    x, y = load_digits(scale="standard")
    old, new = [], []
    for _ in range(args.repeats):
        for times, path in ((new, new_path), (old, old_path)):
            start = time.perf_counter()
            path(depth, width, args.epochs, x, y)
            times.append(time.perf_counter() - start)
    o, n = statistics.median(old), statistics.median(new)
    print(f"{depth} x {width} sigmoid, {args.epochs} epoch(s) of Adam on 1797 digits, "
          f"{args.repeats} alternating repeats")  # fmt: skip
    print(f"  old (fit, float64):           median {o:7.2f} s  {[round(t, 2) for t in old]}")
    print(f"  new (MinibatchRun, float32):  median {n:7.2f} s  {[round(t, 2) for t in new]}")
    print(f"  new / old = {n / o:.2f}  (old is {o / n:.1f}x slower)")


if __name__ == "__main__":
    main()
