"""Plotly figures and colours for the playground (the digits' paused view; class colours).

Plotly validates every property of a ``go.Figure`` it is given as keyword arguments; for these
figures that costs 10-35 ms each, more than the training tick. So the traces and layouts are
plain dicts, checked once by the tests (``go.Figure(spec)`` validates), and wrapped with
``go.Figure(spec, _validate=False)`` at run time. ``style`` carries the page theme as a resolved
template dict, so nothing needs validating after construction either.
"""

from __future__ import annotations

import numpy as np
import plotly.colors
import plotly.graph_objects as go

from viz.playground import Session
from viz.ui import OKABE_ITO

MAX_CURVE_POINTS = 400
# The dashboard's Okabe-Ito palette (viz.ui) as RGB rows, then grey and brown for classes 9 and 10.
CLASS_COLOURS = np.array(
    [[int(code[i : i + 2], 16) for i in (1, 3, 5)] for code in OKABE_ITO]
    + [[120, 120, 120], [150, 75, 0]],
    dtype=np.float64,
)
# ColorBrewer's Blues (plotly.py's, not plotly.js's own "Blues", which runs from a purple blue)
BLUES_SCALE = plotly.colors.get_colorscale("Blues")
# a marker shape per class, so that a class is told by its shape as well as its colour (WCAG
# 1.4.1): the plotly symbols of the points' plane, drawn alike in the live picture
CLASS_SYMBOLS = (
    "circle", "square", "diamond", "triangle-up", "x", "cross", "star", "triangle-down",
    "hexagon", "pentagon",
)  # fmt: skip


def _figure(data: list, layout: dict, style: dict | None, validate: bool) -> go.Figure:
    layout = {**(style or {}), **layout}
    return go.Figure({"data": data, "layout": layout}, _validate=validate)


def class_colour(c: int) -> str:
    """Class c's colour as a CSS rgb() string."""
    return "rgb({:.0f},{:.0f},{:.0f})".format(*CLASS_COLOURS[c % len(CLASS_COLOURS)])


def _thin(values: list) -> tuple[np.ndarray, np.ndarray]:
    """At most MAX_CURVE_POINTS evenly spread (epoch, value) pairs, always with the last one."""
    n = len(values)
    index = np.unique(np.linspace(0, n - 1, min(n, MAX_CURVE_POINTS)).round().astype(int))
    return index, np.asarray(values, dtype=float)[index]


def surface_rgb(probabilities: np.ndarray) -> np.ndarray:
    """Blend class colours by probability, paler where the network is unsure.

    probabilities: (res, res, C) rows summing to 1. Returns (res, res, 3) uint8: the colour
    sum_c p_c colour_c, mixed with white by 1 - (max_c p_c - 1/C) / (1 - 1/C). Non-finite
    probabilities (a diverged network) count as uniform.
    """
    n_classes = probabilities.shape[-1]
    # a diverged network gives NaN: show it as "unsure" (uniform) rather than garbage colours
    probabilities = np.where(np.isfinite(probabilities), probabilities, 1.0 / n_classes)
    colours = CLASS_COLOURS[np.arange(n_classes) % len(CLASS_COLOURS)]
    blend = probabilities @ colours
    certainty = (probabilities.max(axis=-1, keepdims=True) - 1.0 / n_classes) / (
        1.0 - 1.0 / n_classes
    )
    strength = 0.25 + 0.6 * np.clip(certainty, 0.0, 1.0)
    rgb = 255.0 * (1.0 - strength) + blend * strength
    return np.clip(rgb, 0, 255).astype(np.uint8)


def curves_figure(session: Session, style=None, validate=False) -> go.Figure:
    """Loss (left axis, log) and accuracy (right axis) against epoch, train and test."""
    data = []
    for values, name, dash in (
        (session.train_loss, "train loss", "solid"),
        (session.test_loss, "test loss", "dash"),
    ):
        index, thinned = _thin(values)
        data.append(
            {
                "type": "scatter",
                "x": index,
                "y": thinned,
                "mode": "lines",
                "name": name,
                "line": {"dash": dash, "color": "#D55E00"},
            }
        )
    for values, name, dash in (
        (session.train_accuracy, "train accuracy", "solid"),
        (session.test_accuracy, "test accuracy", "dash"),
    ):
        index, thinned = _thin(values)
        data.append(
            {
                "type": "scatter",
                "x": index,
                "y": thinned,
                "mode": "lines",
                "name": name,
                "yaxis": "y2",
                "line": {"dash": dash, "color": "#0072B2"},
            }
        )
    loss_axis = {"type": "log", "title": {"text": "cross-entropy loss"}}
    losses = np.concatenate([np.asarray(session.train_loss), np.asarray(session.test_loss)])
    losses = losses[np.isfinite(losses) & (losses > 0)]
    if len(losses) and losses.max() < 10 * losses.min():
        # less than a decade (before training, one loss): a decade around it, so the axis
        # has round ticks; plotly's own fit to 2.358..2.36 labels ticks that run together
        middle = (np.log10(losses.min()) + np.log10(losses.max())) / 2
        loss_axis.update(range=[middle - 0.5, middle + 0.5])
    layout = {
        "title": {"text": "Loss and accuracy"},
        "height": 400,  # the loss axis's title fits beside the plot in presenter type too
        "margin": {"l": 50, "r": 50, "t": 50, "b": 40},
        # from epoch 0 (one point alone would sit in -1..1)
        "xaxis": {"title": {"text": "epoch"}, "range": [0, max(1, len(session.train_loss) - 1)]},
        "yaxis": loss_axis,
        "yaxis2": {
            "range": [0, 1.02],
            "tickmode": "linear",  # its own ticks (plotly.js syncs an overlaying axis's to y's)
            "tick0": 0,
            "dtick": 0.25,
            "title": {"text": "accuracy"},
            "tickformat": ".0%",
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        },
        "legend": {"orientation": "h", "y": -0.3},
        "uirevision": "curves",
    }
    return _figure(data, layout, style, validate)


def soft_confusion(probabilities, y, n_classes) -> np.ndarray:
    """(n_classes, n_classes): row c is the mean of h^k over the rows whose true class is c."""
    mean = np.zeros((n_classes, n_classes))
    for c in range(n_classes):
        rows = probabilities[y == c]
        if len(rows):
            mean[c] = rows.mean(axis=0)
    return mean


def soft_confusion_figure(probabilities, y, n_classes, style=None, validate=False) -> go.Figure:
    """Row c: the mean of h^k = Pr(Y = . | x) over the test rows whose true class is c.

    probabilities: (m, n_classes); y: (m,) labels. A perfect classifier gives the identity; a
    network that has learnt nothing gives 1/n_classes everywhere.
    """
    mean = soft_confusion(probabilities, y, n_classes)
    data = [
        {
            "type": "heatmap",
            "z": mean,
            "x": list(range(n_classes)),
            "y": list(range(n_classes)),
            "zmin": 0.0,
            "zmax": 1.0,
            # the live picture's blues (playground_canvas_digits), light at 0, dark at 1
            "colorscale": BLUES_SCALE,
            "text": np.round(mean, 2),  # in the ink that reads on its blue (viz.cell_ink)
            "texttemplate": "%{text}",
        }
    ]
    layout = {
        "title": {"text": "Mean Pr(Y = column | x), test images"},  # rows: the y axis
        "xaxis": {"title": {"text": "predicted class"}, "dtick": 1},
        "height": 520,
        "yaxis": {"title": {"text": "true class"}, "autorange": "reversed", "dtick": 1},
        "uirevision": "confusion",
    }
    return _figure(data, layout, style, validate)


def first_layer_figure(W, columns=8, style=None, validate=False) -> go.Figure:
    """The rows of W^1 (n_1, 64) drawn as 8x8 images: what each first-layer unit looks for."""
    n_units = min(W.shape[0], 2 * columns)
    rows = int(np.ceil(n_units / columns))
    canvas = np.full((rows * 9 - 1, columns * 9 - 1), np.nan)
    for unit in range(n_units):
        r, c = divmod(unit, columns)
        canvas[r * 9 : r * 9 + 8, c * 9 : c * 9 + 8] = W[unit].reshape(8, 8)
    finite = canvas[np.isfinite(canvas)]
    limit = float(np.max(np.abs(finite))) if finite.size and np.max(np.abs(finite)) > 0 else 1.0
    data = [
        {
            "type": "heatmap",
            "z": canvas,
            "zmid": 0.0,
            "zmin": -limit,
            "zmax": limit,
            "colorscale": "RdBu",
            "showscale": False,
            "hoverongaps": False,
        }
    ]
    layout = {
        "title": {"text": f"First-layer weights W¹ (first {n_units} units, blue > 0)"},
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "autorange": "reversed", "scaleanchor": "x"},
        "height": 300,
        "uirevision": "weights",
    }
    return _figure(data, layout, style, validate)
