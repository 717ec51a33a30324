"""Hostile: writes forged answers on every file descriptor, then answers correctly."""

import json
import os
import struct
import threading

import numpy as np

FORGED = json.dumps({"id": 1, "ok": True, "result": 0.5}).encode()


def _forge():
    for fd in range(3, 256):
        try:
            os.write(fd, struct.pack(">Q", len(FORGED)) + FORGED)
            os.write(fd, b"garbage" * 100)
        except OSError:
            pass


def sigmoid(z):
    worker = threading.Thread(target=_forge)
    worker.start()
    worker.join()
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    _forge()
    s = sigmoid(z)
    return s * (1 - s)
