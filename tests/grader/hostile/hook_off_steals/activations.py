"""Hostile: switches the audit hook off (module globals, then its closure cells via gc), then
hunts every visible file for the reference sigmoid, imports the reference, and reads the
grader's command line (security review #1, #18). Earns points only if it found something."""

import gc
import os
import sys


def _disarm():
    child = sys.modules.get("nnlab_sandbox_child")
    if child is not None:
        child._inside = lambda path, roots: True
        for name in (
            "FORBIDDEN_IMPORTS",
            "BLOCKED_EVENTS",
            "WRITE_PATH_EVENTS",
            "READ_PATH_EVENTS",
        ):
            getattr(child, name).clear()
        child.BLOCKED_PREFIXES = ("never-matches",)
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


def _hunt():
    public = tuple(p for p in sys.path if p and p != os.getcwd())
    for folder, dirs, files in os.walk("/"):
        if folder.startswith(("/proc", "/sys", "/dev", "/usr", "/lib", *public)):
            dirs[:] = []
            continue
        for name in files:
            path = os.path.join(folder, name)
            if path == os.path.abspath(__file__):
                continue
            try:
                with open(path, errors="replace") as handle:
                    text = handle.read(200_000)
            except OSError:
                continue
            if "def sigmoid(" in text and "Hostile" not in text:
                return text
    for name in ("solutions.activations", "nncore", "grader"):
        try:
            __import__(name)
            return f"imported {name}"
        except ImportError:
            pass
    return None


def sigmoid(z):
    loot = _hunt()
    if loot and "def sigmoid(" in loot:
        namespace = {}
        exec(loot, namespace)
        return namespace["sigmoid"](z)
    raise NotImplementedError(f"nothing found ({loot})")


def sigmoid_grad(z):
    raise NotImplementedError("nothing found")
