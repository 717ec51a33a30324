"""Shared by the gradients page's test modules (test_gradients_*.py): the page's path, the names
of its two other tabs, the page's default network and the page's metrics."""

import nncore as nn

PAGE = "pages/gradients.py"
TRAINING = "After training"
MAP = "Where gradients vanish or explode"


def digits_net(depth=8, width=64, activation="sigmoid", init="uniform", seed=0):
    """The page's network for the 8x8 digits: 64 inputs, `depth` hidden layers of `width`, 10
    softmax outputs."""
    sizes = [64] + [width] * depth + [10]
    return nn.MLP(sizes, hidden=activation, output="softmax", init=init, seed=seed)


def page_metrics(at):
    """The page's metrics as {label: value}."""
    return {metric.label: metric.value for metric in at.metric}
