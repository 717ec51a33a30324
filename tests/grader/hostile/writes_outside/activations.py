"""Hostile: writes files outside its folder (markers nnlab-hostile-*)."""

import os
import tempfile


def sigmoid(z):
    for target in [
        "/tmp/nnlab-hostile-marker",
        os.path.expanduser("~/nnlab-hostile-marker"),
        "/work/nnlab-hostile-marker",
        os.path.join(tempfile.gettempdir(), "..", "nnlab-hostile-marker2"),
    ]:
        with open(target, "w") as handle:
            handle.write("owned")
    return z


def sigmoid_grad(z):
    os.makedirs("/tmp/nnlab-hostile-dir", exist_ok=True)
    os.rename("activations.py", "/tmp/nnlab-hostile-moved.py")
    return z
