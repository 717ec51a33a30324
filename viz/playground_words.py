"""The playground's pictures in words: the text alternative a screen reader reaches under them.

The live picture (viz.playground_picture) and the digits picture are raster images, and the paused
view is that image inside a plotly chart with invisible hover targets, so viz.chart_text cannot
read their numbers from a figure. These functions read them from the same arrays the pictures are
drawn from (the session's maps, weights, losses and confusion counts) and return
(name, lines) for ``viz.chart_text.as_html``.

All of it is cheap next to a tick (the maps are already computed and cached per epoch); while
training plays the page still refreshes the words only every few ticks (viz.playground_live).
"""

from __future__ import annotations

import numpy as np

from viz.chart_text import number
from viz.playground import EXTENT, Session
from viz.playground_figures import CLASS_SYMBOLS
from viz.playground_picture import Geometry, View, check_unit
from viz.symbols import sub, sup


def _span(values: np.ndarray) -> str:
    finite = values[np.isfinite(values)]
    if not finite.size:
        return "no finite values (the network diverged)"
    return f"from {number(finite.min())} to {number(finite.max())}"


def _percent(value: float) -> str:
    return f"{value:.1%}"


def curves_line(session: Session) -> str:
    """Loss (and accuracy) at the first and the last epoch, train and test."""
    last = session.epoch
    text = (
        f"Loss against epoch 0 to {last}: training {number(session.train_loss[0])} to "
        f"{number(session.train_loss[-1])}, test {number(session.test_loss[0])} to "
        f"{number(session.test_loss[-1])}"
    )
    if session.test_accuracy:
        text += (
            f"; accuracy: training {_percent(session.train_accuracy[0])} to "
            f"{_percent(session.train_accuracy[-1])}, test {_percent(session.test_accuracy[0])} "
            f"to {_percent(session.test_accuracy[-1])}"
        )
    if session.settings.dropout:
        p = session.settings.dropout
        text += f"; all of it without dropout (p = {p:g} acts in training steps only)"
    return text + " (solid lines: training, dashed: test)."


def confusion_line(counts: np.ndarray) -> str:
    """Counts (C, C), row = true class: 'class 0: 48 predicted 0, 2 predicted 1; ...'."""
    rows = []
    for r in range(counts.shape[0]):
        cells = ", ".join(f"{int(counts[r, c])} as {c}" for c in range(counts.shape[1]))
        rows.append(f"true class {r}: {cells}")
    right, total = int(np.trace(counts)), int(counts.sum())
    return (
        f"Test points by true class and predicted class ({right} of {total} right): "
        + "; ".join(rows)
        + "."
    )


def _network_lines(session: Session, maps: list[np.ndarray], geometry: Geometry | None) -> list:
    net = session.net
    lines = [
        f"Network {' -> '.join(str(n) for n in net.sizes)}: every unit drawn as its output "
        f"over the plane x₁, x₂ in [-{EXTENT:g}, {EXTENT:g}] (a thumbnail per unit; blue above "
        "0, vermillion below)."
    ]
    for layer, values in enumerate(maps[:-1], start=1):
        lines.append(
            f"Layer {layer} ({net.hidden[layer - 1]}, {net.sizes[layer]} units): outputs over "
            f"the plane {_span(values)}."
        )
    if geometry is not None and geometry.edges is not None:
        drawn = geometry.edges
        weights = drawn.weights[np.isfinite(drawn.weights)]
        strongest = float(np.abs(weights).max()) if weights.size else float("nan")
        lines.append(
            f"Edges: {len(drawn.weights)} of {drawn.total} drawn, solid blue for w > 0 and dashed "
            f"vermillion for w < 0, wider as |w| grows; the largest |w| is {number(strongest)}."
        )
    return lines


# CLASS_SYMBOLS in words, plural: what a screen reader says for the points' marks
SHAPE_WORDS = {
    "circle": "circles", "square": "squares", "diamond": "diamonds",
    "triangle-up": "triangles pointing up", "x": "crosses (x)", "cross": "plus signs",
    "star": "stars", "triangle-down": "triangles pointing down", "hexagon": "hexagons",
    "pentagon": "pentagons",
}  # fmt: skip


def class_shapes(c: int) -> str:
    """Class c's mark in the live picture, in words: 'circles', 'triangles pointing up'."""
    return SHAPE_WORDS[CLASS_SYMBOLS[c % len(CLASS_SYMBOLS)]]


def _surface_line(session: Session, output: np.ndarray, view: View) -> str:
    data = session.data
    if data.is_regression:
        shown = f"{len(data.y_train)} training points (circles)"
        if view.show_test:
            shown += f" and {len(data.y_test)} test points (diamonds)"
        return (
            f"Prediction hᵏ(x) over the plane {_span(output[..., 0])}; training targets "
            f"{_span(data.y_train.reshape(-1))}; {shown}."
        )
    probabilities = np.nan_to_num(output, nan=0.0)
    winner = probabilities.argmax(axis=-1)
    shares = np.bincount(winner.ravel(), minlength=output.shape[-1]) / winner.size
    classes = ", ".join(f"class {c} {_percent(share)}" for c, share in enumerate(shares))
    kind = "Predicted class (discretized)" if view.discretize else "Decision surface"
    n_classes = output.shape[-1]
    shapes = ", ".join(f"class {c} {class_shapes(c)}" for c in range(n_classes))
    shown = f"{len(data.y_train)} training points (filled; {shapes})"
    if view.show_test:
        shown += f" and {len(data.y_test)} test points (open shapes)"
    return (
        f"{kind}: share of the plane where each class is the most likely (a grid of open marks "
        f"over the plane shows it by the class's shape): {classes}; {shown}."
    )


def _unit_line(session: Session, maps: list[np.ndarray], unit: tuple) -> str:
    net = session.net
    layer, j = check_unit(session, unit)
    w = net.weights[layer - 1][j]
    b = net.biases[layer - 1]
    bias = 0.0 if b is None else float(b[j])
    weights = ", ".join(number(v) for v in w[:6]) + (", ..." if len(w) > 6 else "")
    if layer < net.depth:
        what = f"layer {layer}, unit {j}: {net.hidden[layer - 1]}(h{sup(layer - 1)} wᵀ + b)"
    elif net.output == "softmax":
        what = f"output unit {j}: Pr(Y = {j} | x)"
    else:
        what = f"output unit {j}: the prediction hᵏ{sub(j)}(x)"
    values = maps[layer - 1][..., j]
    return (
        f"Unit shown large, {what}, w = ({weights}), b = {number(bias)}; its output over the "
        f"plane {_span(values)}."
    )


def plane_words(session: Session, view: View, geometry: Geometry | None = None):
    """(name, lines) for the live picture of a run on the plane (what is drawn, in numbers)."""
    maps = session.maps()
    lines = _network_lines(session, maps, geometry)
    lines.append(_surface_line(session, maps[-1], view))
    lines.append(_unit_line(session, maps, view.unit))
    lines.append(curves_line(session))
    if not session.data.is_regression:
        lines.append(confusion_line(session.confusion()))
    return f"the network and its maps at epoch {session.epoch}", lines


def digits_words(session: Session, mean: np.ndarray):
    """(name, lines) for the digits picture: mean (C, C) soft confusion, the curves, W^1."""
    diagonal = ", ".join(f"{c}: {_percent(mean[c, c])}" for c in range(mean.shape[0]))
    W = session.net.weights[0]
    lines = [
        "Mean Pr(Y = true digit | x) over the test images of each digit (the diagonal of the "
        f"soft confusion matrix): {diagonal}.",
        curves_line(session),
        f"First-layer weights W¹: {W.shape[0]} units of 8 x 8 pixels, values {_span(W)}.",
    ]
    return f"the digits run at epoch {session.epoch}", lines
