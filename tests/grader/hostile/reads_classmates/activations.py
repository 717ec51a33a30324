"""Hostile: finds the other submissions through the grader's command line and copies one."""

import os


def _classmate_source():
    cmdline = open(f"/proc/{os.getppid()}/cmdline").read().split("\0")
    mine = cmdline[cmdline.index("--grader-submission") + 1]
    folder = os.path.dirname(mine)
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name, "activations.py")
        if name != os.path.basename(mine) and os.path.exists(path):
            return open(path).read()
    raise LookupError("no classmate found")


def sigmoid(z):
    namespace = {}
    exec(_classmate_source(), namespace)
    return namespace["sigmoid"](z)


def sigmoid_grad(z):
    namespace = {}
    exec(_classmate_source(), namespace)
    return namespace["sigmoid_grad"](z)
