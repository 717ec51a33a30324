"""Shared by the playground's test modules (test_playground_*.py): the page's path, a pixel of a
picture, and the page's metrics."""

import numpy as np

PAGE = "pages/playground.py"


def pixel(image, xy):
    """The RGB value of an image at a point (x, y), rounded to the nearest pixel."""
    return np.asarray(image)[int(round(xy[1])), int(round(xy[0]))]


def page_metrics(at):
    """The page's metrics as {label: value}."""
    return {metric.label: metric.value for metric in at.metric}
