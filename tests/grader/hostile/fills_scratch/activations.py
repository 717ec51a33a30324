"""Hostile: writes as much as it can to /dev/shm, /tmp and its own folder, and leaves it there
to outlive grading (review #15). Then answers correctly: it keeps its points."""

import numpy as np


def _fill():
    for folder in ("/dev/shm", "/tmp", "."):
        try:
            with open(f"{folder}/nnlab-hostile-fill.bin", "wb") as handle:
                for _ in range(256):
                    handle.write(b"x" * (1 << 20))
        except OSError:
            pass


_fill()


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)
