"""One training step (forward + backward, no update) of nncore's MLP against a hand-written loop.

The baseline is the shortest NumPy code that does the same math: dense layers, ReLU/tanh hidden
units, a stable softmax cross-entropy (or squared error) output with its fused delta, and every
layer's (dW, db). Both run on the same weights and data, interleaved, in the same process.
Run: python benchmarks/train_step.py  (prints medians in microseconds and nncore/baseline ratios)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import compare  # noqa: E402

import nncore as nn  # noqa: E402

CASES = [
    ("large [784, 256, 128, 10]", [784, 256, 128, 10], 256, "relu", "softmax"),
    ("tiny [2, 8, 8, 2]", [2, 8, 8, 2], 32, "tanh", "softmax"),
    ("deep-narrow [1, 64, 64, 64, 1]", [1, 64, 64, 64, 1], 256, "relu", "identity"),
]


def hand_written_step(Ws, bs, x, y, hidden, output):
    """The baseline: forward, loss and backward written out for this one configuration."""
    hs, zs = [x], []
    for W, b in zip(Ws[:-1], bs[:-1], strict=True):
        z = hs[-1] @ W.T + b
        zs.append(z)
        hs.append(np.maximum(z, 0) if hidden == "relu" else np.tanh(z))
    z = hs[-1] @ Ws[-1].T + bs[-1]
    m = x.shape[0]
    if output == "softmax":
        s = z - z.max(axis=1, keepdims=True)
        e = np.exp(s)
        se = e.sum(axis=1, keepdims=True)
        loss = float((np.log(se[:, 0]) - s[np.arange(m), y]).sum() / m)
        dz = e / se
        dz[np.arange(m), y] -= 1
        dz /= m
    else:
        d = z - y
        loss = float((d * d).sum() / m)
        dz = d * (2.0 / m)
    grads = []
    for i in range(len(Ws) - 1, -1, -1):
        grads.append((dz.T @ hs[i], dz.sum(axis=0)))
        if i:
            dh = dz @ Ws[i]
            dz = dh * (zs[i - 1] > 0) if hidden == "relu" else dh * (1 - hs[i] * hs[i])
    return loss, grads[::-1]


def main() -> None:
    rng = np.random.default_rng(0)
    print(f"{'case':34} {'dtype':8} {'nncore us':>10} {'hand us':>10} {'ratio':>6}")
    for name, sizes, m, hidden, output in CASES:
        for dtype in (np.float32, np.float64):
            net = nn.MLP(sizes, hidden=hidden, output=output, seed=0, dtype=dtype)
            x = rng.standard_normal((m, sizes[0])).astype(dtype)
            if output == "softmax":
                y = rng.integers(0, sizes[-1], size=m)
            else:
                y = rng.standard_normal((m, 1)).astype(dtype)
            Ws, bs = net.weights, net.biases
            loss_a, grads_a = net.loss_and_grads(x, y)
            loss_b, grads_b = hand_written_step(Ws, bs, x, y, hidden, output)
            tol = 1e-4 if dtype == np.float32 else 1e-10
            assert abs(loss_a - loss_b) <= tol * max(1.0, abs(loss_b)), (loss_a, loss_b)
            for (dWa, dba), (dWb, dbb) in zip(grads_a, grads_b, strict=True):
                assert nn.relative_error(dWa, dWb) < tol and nn.relative_error(dba, dbb) < tol
                assert dWa.dtype == dtype
            c, b, r = compare(
                lambda net=net, x=x, y=y: net.loss_and_grads(x, y),
                lambda Ws=Ws, bs=bs, x=x, y=y, h=hidden, o=output: hand_written_step(
                    Ws, bs, x, y, h, o
                ),
            )
            print(f"{name:34} {np.dtype(dtype).name:8} {c * 1e6:10.1f} {b * 1e6:10.1f} {r:6.2f}")


if __name__ == "__main__":
    main()
