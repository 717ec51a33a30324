"""Hostile: raises KeyboardInterrupt (as if the grader was interrupted)."""


def sigmoid(z):
    raise KeyboardInterrupt


def sigmoid_grad(z):
    raise KeyboardInterrupt
