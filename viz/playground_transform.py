"""How the layers transform the plane: the data and a grid drawn in a hidden layer's coordinates.

For the chosen layer i, every training point x and every line of a square grid over the plane go
through layers 1..i; the figure draws them at their coordinates h^i (a 2-unit layer) or at their
coordinates along the layer's two principal directions (a wider one; nncore.layerview). The
background is what the rest of the network (layers i+1..k) decides for the points of that plane,
and for the last hidden layer the output layer's tie lines z_a = z_b are drawn: the straight lines
that now separate the classes (the lecture's "every layer is a transformation").
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nncore.features import feature_matrix
from nncore.layerview import forward_from, lift, principal_directions, project, tie_lines
from viz.playground import EXTENT, Session
from viz.playground_figures import CLASS_COLOURS, surface_rgb
from viz.playground_network import diverging_rgb
from viz.symbols import sub, sup

GRID_LINES = 13  # lines per direction of the warped grid
LINE_POINTS = 60  # points along each grid line
BACKGROUND = 90  # background resolution
TIES = "tie lines"  # the legend group of the output layer's tie lines (named z₀ = z₁ ...)


def _layer_points(session: Session, layer: int, points: np.ndarray) -> np.ndarray:
    """h^layer for points of the plane (m, 2)."""
    h = feature_matrix(points, session.settings.features)
    if layer == 0:
        return h
    hs, _ = session.net.forward_trace(h)
    return hs[layer]


def transform_view(session: Session, layer: int) -> dict:
    """The numbers behind the figure: coordinates of the training points, the grid lines,
    the background and the tie lines in the view of ``layer`` (0 = the input features)."""
    data = session.data
    h_train = _layer_points(session, layer, data.p_train)
    mean, U, share = principal_directions(h_train)
    coords = project(h_train, mean, U)
    axis = np.linspace(-EXTENT, EXTENT, GRID_LINES)
    along = np.linspace(-EXTENT, EXTENT, LINE_POINTS)
    lines = []
    for value in axis:
        for points in (
            np.column_stack([along, np.full(LINE_POINTS, value)]),
            np.column_stack([np.full(LINE_POINTS, value), along]),
        ):
            lines.append(project(_layer_points(session, layer, points), mean, U))
    low, high = coords.min(axis=0), coords.max(axis=0)
    pad = 0.1 * np.maximum(high - low, 1e-6)
    low, high = low - pad, high + pad
    gx, gy = np.linspace(low[0], high[0], BACKGROUND), np.linspace(low[1], high[1], BACKGROUND)
    a, b = np.meshgrid(gx, gy)
    plane = np.column_stack([a.ravel(), b.ravel()])
    output = forward_from(session.net, layer, lift(plane, mean, U))
    ties = tie_lines(session.net, mean, U) if layer == session.net.depth - 1 else []
    return {
        "coords": coords,
        "lines": lines,
        "share": share,
        "width": session.net.sizes[layer],
        "axes": (gx, gy),
        "output": output.reshape(BACKGROUND, BACKGROUND, -1),
        "ties": ties,
        "low": low,
        "high": high,
    }


def _tie_segments(session: Session, view: dict) -> list[dict]:
    """The tie lines, drawn only where their two classes are the top two (the real border)."""
    low, high = view["low"], view["high"]
    traces = []
    for a, c, normal, offset in view["ties"]:
        if abs(normal[1]) >= abs(normal[0]):  # y = -(offset + n0 x) / n1
            xs = np.linspace(low[0], high[0], 400)
            ys = -(offset + normal[0] * xs) / normal[1] if normal[1] else np.full(400, np.nan)
        else:
            ys = np.linspace(low[1], high[1], 400)
            xs = -(offset + normal[1] * ys) / normal[0]
        coords = np.column_stack([xs, ys])
        if session.net.sizes[-1] > 2:
            mean, U, _ = principal_directions(
                _layer_points(session, session.net.depth - 1, session.data.p_train)
            )
            z = lift(coords, mean, U) @ session.net.weights[-1].T + session.net.biases[-1]
            others = np.delete(z, [a, c], axis=1).max(axis=1)
            keep = z[:, a] >= others - 1e-9
            ys = np.where(keep, ys, np.nan)
        inside = (xs >= low[0]) & (xs <= high[0]) & (ys >= low[1]) & (ys <= high[1])
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": np.where(inside, xs, np.nan),
                "y": np.where(inside, ys, np.nan),
                "line": {"color": "black", "width": 3},
                "name": f"z{sub(a)} = z{sub(c)}",
                "legendgroup": TIES,
                "hoverinfo": "name",
                "showlegend": False,
            }
        )
    return traces


def transform_figure(session: Session, layer: int, style: dict | None = None, validate=False):
    """The figure (see the module docstring); style: layout entries for the page theme."""
    return _figure(session, layer, transform_view(session, layer), style, validate)


def summary(session: Session, layer: int, view: dict, ties_drawn: int = 0) -> str:
    """The figure's key numbers in a sentence (its text alternative's first line)."""
    width = view["width"]
    where = "the input features" if layer == 0 else f"layer {layer} ({width} units)"
    if width > 2:
        share = view["share"]
        how = (
            f"along its two principal directions, which keep {share[0]:.0%} and {share[1]:.0%} "
            "of the variance"
        )
    else:
        how = "at its own coordinates"
    text = (
        f"{len(view['coords'])} training points and a {GRID_LINES} x {GRID_LINES} grid of the "
        f"plane drawn as {where} sees them, {how}"
    )
    if ties_drawn:
        text += (
            f"; {ties_drawn} straight tie line(s) of the output layer (where two classes' "
            "scores are equal) cross this view and separate the classes"
        )
    return text + "."


def transform_figure_and_summary(session: Session, layer: int, style=None):
    """(the figure, its summary sentence) from one computation of the view."""
    view = transform_view(session, layer)
    figure = _figure(session, layer, view, style, False)
    ties_drawn = sum(
        1
        for trace in figure.data
        if getattr(trace, "legendgroup", None) == TIES
        and np.isfinite(np.asarray(trace.y, float)).any()
    )
    return figure, summary(session, layer, view, ties_drawn)


def _figure(session: Session, layer: int, view: dict, style: dict | None, validate: bool):
    data = session.data
    output = view["output"]
    if data.is_regression:
        scale = max(float(np.abs(data.y_train).max()), 1e-3)
        background = diverging_rgb(output[..., 0], scale)
        colours = [
            "rgb({},{},{})".format(*c) for c in diverging_rgb(data.y_train[:, 0], scale).tolist()
        ]
    else:
        background = surface_rgb(output)
        colours = [
            "rgb({:.0f},{:.0f},{:.0f})".format(*CLASS_COLOURS[c % len(CLASS_COLOURS)])
            for c in data.y_train
        ]
    gx, gy = view["axes"]
    traces = [
        {
            "type": "image",
            "z": background,
            "x0": gx[0],
            "dx": gx[1] - gx[0],
            "y0": gy[0],
            "dy": gy[1] - gy[0],
            "hoverinfo": "skip",
            "name": "what layers i+1..k decide",
        }
    ]
    xs, ys = [], []
    for line in view["lines"]:
        xs += [*line[:, 0], None]
        ys += [*line[:, 1], None]
    traces.append(
        {
            "type": "scatter",
            "mode": "lines",
            "x": xs,
            "y": ys,
            "line": {"color": "rgba(60,60,60,0.45)", "width": 1},
            "name": "grid of the plane",
            "hoverinfo": "skip",
        }
    )
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": view["coords"][:, 0],
            "y": view["coords"][:, 1],
            "marker": {"color": colours, "size": 6, "line": {"color": "white", "width": 1}},
            "name": "training points",
            "hoverinfo": "skip",
        }
    )
    traces += _tie_segments(session, view)
    width = view["width"]
    if layer == 0 and width == 2:
        names = ("h⁰₁ = x₁", "h⁰₂ = x₂")
    elif width <= 2:
        names = (f"h{sup(layer)}₁", f"h{sup(layer)}₂" if width == 2 else "(one unit)")
    else:
        share = view["share"]
        names = (
            f"principal direction 1 of h{sup(layer)} ({share[0]:.0%} of the variance)",
            f"principal direction 2 ({share[1]:.0%})",
        )
    title = f"The plane as layer {layer} sees it" if layer else "The input features"
    if view["ties"]:
        title += ": the output layer separates the classes with straight lines"
    layout = {
        "title": {"text": title},
        "height": 520,
        "xaxis": {"title": {"text": names[0]}, "range": [gx[0], gx[-1]]},
        "yaxis": {"title": {"text": names[1]}, "range": [gy[0], gy[-1]]},
        "showlegend": False,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 60},
    }
    layout = {**(style or {}), **layout}
    return go.Figure({"data": traces, "layout": layout}, _validate=validate)
