"""The paused view: the live picture inside a plotly chart, with hover labels and click targets.

When training pauses, the page shows the very picture that was playing (no jump to another
layout), as the background image of a plotly chart whose axes are the picture's pixels. Invisible
markers on top make it interactive: hovering a unit shows its formula and bias, hovering an edge's
midpoint its weight W^l[j, i], hovering the curves the epoch's numbers; clicking a unit selects it
(shown large with its formula); with your own points, clicking the decision surface adds a point.

The traces are plain dicts (``go.Figure(spec, _validate=False)``, as in viz.playground_figures);
the tests validate them once. Trace order (the click handler reads ``curve_number``): 0 units,
1 edges, 2 curves, 3 the click grid (only when points can be added).
"""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go

from viz import figure_style
from viz.playground import EXTENT, Session
from viz.playground_canvas import jpeg_bytes
from viz.playground_picture import FEATURE_LABELS, Geometry
from viz.symbols import sub, sup

UNITS, EDGES, CURVES, CLICK_GRID = 0, 1, 2, 3
CLICK_RESOLUTION = 49  # the click grid: 49 x 49 points over the plane (a step of 0.075)
INVISIBLE = "rgba(0,0,0,0)"


def data_uri(image) -> str:
    """The picture as a JPEG data URI (the live frames' encoding: viz.playground_canvas)."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg_bytes(image)).decode("ascii")


def _markers(x, y, text, size, customdata=None, hover="text") -> dict:
    trace = {
        "type": "scatter",
        "mode": "markers",
        "x": np.asarray(x, dtype=float),
        "y": np.asarray(y, dtype=float),
        "marker": {"size": size, "color": INVISIBLE, "symbol": "square"},
        "hoverinfo": hover,
        "showlegend": False,
    }
    if text is not None:
        trace["text"] = list(text)
    if customdata is not None:
        trace["customdata"] = np.asarray(customdata).tolist()
    return trace


def _unit_trace(session: Session, geometry: Geometry) -> dict:
    net = session.net
    xs, ys, text, ids = [], [], [], []
    for column in geometry.columns:
        for j, (left, top, right, bottom) in enumerate(column.boxes):
            xs.append((left + right) / 2)
            ys.append((top + bottom) / 2)
            layer = column.layer
            if layer == 0:
                name = session.settings.features[j]
                text.append(f"input x{sub(j)} = {FEATURE_LABELS[name]}")
            elif layer < net.depth:
                b = net.biases[layer - 1]
                text.append(
                    f"layer {layer}, unit {j}: {net.hidden[layer - 1]}(h{sup(layer - 1)}"
                    f" wᵀ + b), b = {0.0 if b is None else b[j]:.3f}<br>click: show it"
                    " large"
                )
            else:
                what = f"Pr(Y = {j} | x)" if net.output == "softmax" else "the prediction"
                text.append(f"output unit {j}: {what}<br>click: show it large")
            ids.append([layer, j])
    return _markers(xs, ys, text, max(6, geometry.side), ids)


def _edge_trace(geometry: Geometry) -> dict:
    drawn = geometry.edges
    middle_x = (drawn.ends[:, 0] + drawn.ends[:, 2]) / 2
    middle_y = (drawn.ends[:, 1] + drawn.ends[:, 3]) / 2
    text = [
        f"W{sup(layer)}[{j}, {i}] = {w:.3f}: unit {i} of layer {layer - 1} to unit {j}"
        f" of layer {layer}"
        for (layer, j, i), w in zip(drawn.ids.tolist(), drawn.weights.tolist(), strict=True)
    ]
    return _markers(middle_x, middle_y, text, 7)


def _curve_trace(session: Session, geometry: Geometry) -> dict:
    left, top, right, bottom = geometry.curves
    n = len(session.train_loss)
    epochs = np.unique(np.linspace(0, n - 1, min(n, 120)).round().astype(int))
    xs = left + epochs / max(1, n - 1) * (right - left)
    text = []
    for epoch in epochs:
        line = (
            f"epoch {epoch}: train loss {session.train_loss[epoch]:.4g}, "
            f"test loss {session.test_loss[epoch]:.4g}"
        )
        if session.test_accuracy:
            line += f"<br>train accuracy {session.train_accuracy[epoch]:.1%}, "
            line += f"test accuracy {session.test_accuracy[epoch]:.1%}"
        text.append(line)
    trace = _markers(xs, np.full(len(xs), (top + bottom) / 2), text, 8)
    trace["marker"]["symbol"] = "line-ns"
    trace["marker"]["size"] = bottom - top
    return trace


def click_grid() -> np.ndarray:
    """The points a click can add, (CLICK_RESOLUTION^2, 2): a grid over [-1.8, 1.8]^2."""
    axis = np.linspace(-1.8, 1.8, CLICK_RESOLUTION)
    a, b = np.meshgrid(axis, axis)
    return np.column_stack([a.ravel(), b.ravel()])


def _click_trace(geometry: Geometry, what: str) -> dict:
    points = click_grid()
    left, top, right, bottom = geometry.surface
    scale = (right - left) / (2 * EXTENT)
    xs = left + (points[:, 0] + EXTENT) * scale
    ys = bottom - (points[:, 1] + EXTENT) * scale
    text = [f"click: add {what} at ({p:.2f}, {q:.2f})" for p, q in points]
    step = (right - left) / (CLICK_RESOLUTION - 1)
    return _markers(xs, ys, text, max(4, step), points)


def overlay_figure(
    image, geometry: Geometry, session: Session, click_what: str | None = None, dark: bool = False
):
    """The picture with its hover labels and click targets (see the module docstring).

    click_what: e.g. "a class-2 point"; None: the surface takes no clicks.
    dark: the Dark room's colours for the chart's toolbar.
    """
    width, height = geometry.size
    data = [_unit_trace(session, geometry), _edge_trace(geometry), _curve_trace(session, geometry)]
    if click_what:
        data.append(_click_trace(geometry, click_what))
    layout = {
        "images": [
            {
                "source": data_uri(image),
                "xref": "x",
                "yref": "y",
                "x": 0,
                "y": 0,
                "sizex": width,
                "sizey": height,
                "sizing": "stretch",
                "layer": "below",
                "xanchor": "left",
                "yanchor": "top",
            }
        ],
        "xaxis": {
            "range": [0, width],
            "visible": False,
            "fixedrange": True,
            "constrain": "domain",
            "constraintoward": "left",
        },
        "yaxis": {
            "range": [height, 0],
            "visible": False,
            "scaleanchor": "x",
            "fixedrange": True,
            "constrain": "domain",
            "constraintoward": "top",
        },
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "width": width,
        "height": height,
        "hovermode": "closest",
        "hoverdistance": 12,
        "dragmode": False,
        "plot_bgcolor": "rgba(0,0,0,0)",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "modebar": figure_style.toolbar_colours(dark),
    }
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def clicked(selection) -> tuple[int, list] | None:
    """(trace number, customdata) of the first clicked point of a plotly selection, or None."""
    try:
        point = selection["selection"]["points"][0]
    except (KeyError, IndexError, TypeError):
        return None
    return int(point.get("curve_number", -1)), point.get("customdata")
