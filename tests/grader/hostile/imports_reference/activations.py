"""Hostile: imports the reference (nncore, solutions) in every way it can think of."""

import importlib
import importlib.util
import sys


def sigmoid(z):
    import nncore

    return nncore.sigmoid(z)


def sigmoid_grad(z):
    for name in ("nncore.activations", "solutions.activations", "grader"):
        try:
            return __import__(name).sigmoid_grad(z)
        except Exception:
            pass
        try:
            return importlib.import_module(name).sigmoid_grad(z)
        except Exception:
            pass
    for folder in ("/work/main", "/work/main/exercises/mlp_basics/solutions", "/autograder/source"):
        sys.path.insert(0, folder)
    for path in (
        "/work/main/tests/grader/fixtures/tiny/solutions/activations.py",
        "/work/main/exercises/mlp_basics/solutions/activations.py",
    ):
        spec = importlib.util.spec_from_file_location("stolen", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.sigmoid_grad(z)
