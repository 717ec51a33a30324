"""Hostile: submitted one folder deeper (hw1/), so it looks for classmates two levels up
(review #9: the whole class folder stayed visible)."""

import glob
import os


def _classmate():
    here = os.path.dirname(os.path.abspath(__file__))
    for pattern in ("../../*/activations.py", "../*/activations.py", "/**/good/activations.py"):
        for path in glob.glob(os.path.join(here, pattern), recursive=True):
            text = open(path).read()
            if "def sigmoid(" in text and "Hostile" not in text:
                return text
    return None


def sigmoid(z):
    text = _classmate()
    if text is None:
        raise NotImplementedError("nothing found one level up")
    namespace = {}
    exec(text, namespace)
    return namespace["sigmoid"](z)


def sigmoid_grad(z):
    raise NotImplementedError("nothing found")
