"""One unit sigma(x w^T + b) over the plane: its boundary z = 0, its normal w, its distance
|b|/||w|| from the origin.

x = (x_1, x_2) is one data point (a row); w = ||w|| (cos theta, sin theta) is the unit's row of W;
the boundary {x : x w^T + b = 0} is perpendicular to w at signed distance -b/||w|| along w/||w||.
The geometry comes from ``nncore.regions.unit_hyperplane``; this module draws it.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import nncore as nn
from nncore.regions import unit_hyperplane

EXTENT = 4.0  # the plane is drawn on [-EXTENT, EXTENT]^2
GRID = 101
SCALES = (0.5, 1.0, 2.0)  # (c w, c b): same boundary, c times steeper
# Marks drawn on the heat map: dark on a white outline, readable on its red, white and blue
# alike. The heat map keeps its colours in every theme, so these marks keep theirs too (a
# near-black that the Dark room's light-ink rule in viz.ui leaves alone).
INK = "#1a1a1a"
HALO = "#ffffff"


def weight_vector(theta_degrees: float, length: float) -> np.ndarray:
    """w = length (cos theta, sin theta), shape (2,)."""
    theta = np.radians(theta_degrees)
    return length * np.array([np.cos(theta), np.sin(theta)])


def unit_on_grid(w: np.ndarray, b: float, activation: str, extent: float = EXTENT, grid=GRID):
    """sigma(x w^T + b) on a grid x in [-extent, extent]^2: (xs (g,), ys (g,), h (g, g))."""
    xs = np.linspace(-extent, extent, grid)
    x1, x2 = np.meshgrid(xs, xs)
    points = np.column_stack([x1.ravel(), x2.ravel()])
    z, _ = nn.dense_forward(points, w[None, :], np.array([b]))
    h = nn.get_activation(activation)(z)[:, 0].reshape(grid, grid)
    return xs, xs, h


def boundary_segment(w: np.ndarray, b: float, extent: float = EXTENT) -> np.ndarray | None:
    """The part of {x w^T + b = 0} inside the square, as its two end points (2, 2); None if the
    line misses the square."""
    plane = unit_hyperplane(w, b)
    direction = np.array([-plane.unit_normal[1], plane.unit_normal[0]])
    # points foot + t * direction; keep the t where both coordinates stay inside the square
    lo, hi = -np.inf, np.inf
    for axis in range(2):
        if abs(direction[axis]) < 1e-15:
            if abs(plane.foot[axis]) > extent:
                return None
            continue
        t1 = (-extent - plane.foot[axis]) / direction[axis]
        t2 = (extent - plane.foot[axis]) / direction[axis]
        lo, hi = max(lo, min(t1, t2)), min(hi, max(t1, t2))
    if lo > hi:
        return None
    return np.array([plane.foot + lo * direction, plane.foot + hi * direction])


def colour_range(activation: str) -> dict:
    """The heat map's colour range: white at the boundary, where h = sigma(0), and, for an
    activation bounded on both sides (sigmoid, tanh), its whole range, so that h from 0.98 to
    0.99 (a boundary far outside the square) reads as the one colour it nearly is, not as deep
    blue to deep red."""
    act = nn.get_activation(activation)
    low, high, middle = (float(v) for v in act(np.array([-1e300, 1e300, 0.0])))
    if np.isfinite(low) and np.isfinite(high) and max(abs(low), abs(high)) <= 1:
        return {"zmin": low, "zmax": high}  # sigma(0) is their middle
    return {"zmid": middle}


def plane_figure(w: np.ndarray, b: float, activation: str, extent: float = EXTENT) -> go.Figure:
    """sigma(x w^T + b) as a heat map, the boundary z = 0, the vector w from the origin, and the
    shortest path from the origin to the boundary (length |b| / ||w||)."""
    plane = unit_hyperplane(w, b)
    xs, ys, h = unit_on_grid(w, b, activation, extent)
    fig = go.Figure(
        go.Heatmap(
            x=xs,
            y=ys,
            z=h,
            colorscale="RdBu",
            reversescale=True,
            colorbar={"title": "h"},
            hovertemplate="x₁ %{x:.2f}, x₂ %{y:.2f}: h %{z:.3f}<extra></extra>",
            **colour_range(activation),
        )
    )
    segment = boundary_segment(w, b, extent)
    if segment is not None:
        _outline(fig, segment[:, 0], segment[:, 1])
        fig.add_trace(
            go.Scatter(
                x=segment[:, 0],
                y=segment[:, 1],
                mode="lines",
                line={"color": INK, "width": 3, "dash": "dash"},
                name="boundary x wᵀ + b = 0 (dashed)",
                showlegend=False,
            )
        )
        # labels on the marks themselves, not a legend: a legend's swatch of this dark ink
        # would vanish on the Dark room's background
        end = segment[np.argmax(segment[:, 1])]
        # beside the boundary's top end, on the plot's side of it (centred on an end at the
        # plot's edge, the label covered the y axis's tick labels)
        _label(
            fig, end[0], end[1], "z = 0", yanchor="top", xanchor="left" if end[0] < 0 else "right"
        )
    foot = plane.foot
    _outline(fig, [0.0, foot[0]], [0.0, foot[1]])
    fig.add_trace(
        go.Scatter(
            x=[0.0, foot[0]],
            y=[0.0, foot[1]],
            mode="lines+markers",
            line={"color": INK, "width": 3},
            marker={"size": [7, 11], "color": INK, "symbol": ["circle", "diamond"],
                    "line": {"color": HALO, "width": 1.5}},
            name=f"distance |b|/‖w‖ = {plane.distance:.3f} (solid)",
            showlegend=False,
        )
    )  # fmt: skip
    if plane.distance > 0.3:  # beside the segment's middle, off the line (and off w's label)
        side = np.array([-plane.unit_normal[1], plane.unit_normal[0]]) * 22
        _label(fig, foot[0] / 2, foot[1] / 2, "|b|/‖w‖", shift=side)
    tip = plane.unit_normal * min(plane.norm, extent * 0.9)
    # the arrow w as a line with an arrow marker turned along it (angleref "previous"): an
    # annotation's arrowhead has a fixed size, and on a short w (||w|| = 0.25) it stuck out
    # behind the origin and seemed to point the other way
    _outline(fig, [0.0, tip[0]], [0.0, tip[1]])
    fig.add_trace(
        go.Scatter(
            x=[0.0, tip[0]],
            y=[0.0, tip[1]],
            mode="lines+markers",
            line={"color": INK, "width": 3},
            marker={"symbol": ["circle", "arrow"], "size": [1, 16], "angleref": "previous",
                    "color": INK, "line": {"color": HALO, "width": 1.5}},
            name="w (the arrow from the origin)",
            hoverinfo="skip",
            showlegend=False,
        )
    )  # fmt: skip
    # w's name at the arrow's tip (an arrow's own text sits at its tail, the origin)
    _label(fig, tip[0], tip[1], "w", shift=plane.unit_normal * 16)
    fig.update_layout(
        title=f"h = {activation}(x wᵀ + b)",
        xaxis={"title": "x₁", "range": [-extent, extent], "constrain": "domain"},
        yaxis={
            "title": "x₂",
            "range": [-extent, extent],
            "scaleanchor": "x",
            "scaleratio": 1,
            "constrain": "domain",
        },
        legend={"orientation": "h", "y": -0.15},
        height=560,
    )
    return fig


def _label(
    fig: go.Figure,
    x: float,
    y: float,
    text: str,
    yanchor: str = "middle",
    shift=(0.0, 0.0),
    xanchor: str = "center",
) -> None:
    """Dark text on a white box at (x, y) of the heat map, moved by `shift` pixels (x, y up)."""
    fig.add_annotation(
        x=x, y=y, xref="x", yref="y", text=text, showarrow=False, yanchor=yanchor, xanchor=xanchor,
        xshift=float(shift[0]), yshift=float(shift[1]),
        font={"color": INK, "size": 15}, bgcolor=HALO, borderpad=2,
    )  # fmt: skip


def _outline(fig: go.Figure, xs, ys) -> None:
    """A wide white line under a mark on the heat map (its outline)."""
    fig.add_trace(
        go.Scatter(x=xs, y=ys, mode="lines", line={"color": HALO, "width": 7},
                   hoverinfo="skip", showlegend=False, name="white outline",
                   meta="decoration")  # not data: its text alternative leaves it out
    )  # fmt: skip


def profile_figure(norm: float, b: float, activation: str, extent: float = EXTENT) -> go.Figure:
    """h along the direction of w: sigma(c (||w|| t + b)) against t = x w^T / ||w||, for the
    scales c in SCALES. Every curve switches at t = -b/||w||: scaling w and b together moves
    nothing, it only changes the steepness.

    norm: ||w|| as the page set it (not recomputed from w: the rounding of ||(cos, sin)|| would
    change the figure's last digits with every direction, and the browser would draw the
    unchanged chart again)."""
    t = np.linspace(-extent, extent, 401)
    act = nn.get_activation(activation)
    fig = go.Figure()
    dashes = {0.5: "dot", 1.0: "solid", 2.0: "dash"}
    for c in SCALES:
        fig.add_trace(
            go.Scatter(
                x=t,
                y=act(c * (norm * t + b)),
                mode="lines",
                line={"dash": dashes.get(c, "solid")},
                name=f"{c:g} w, {c:g} b",
            )
        )
    crossing = -b / norm
    fig.add_vline(x=crossing, line={"color": "black", "dash": "dash"})
    # the label runs from the line towards the middle (centred on a line near the plot's edge
    # it covered the y axis's tick labels), above the plot: inside, the curves at h = 1 ran
    # through it
    fig.add_annotation(
        x=crossing,
        y=1,
        yref="y domain",
        yanchor="bottom",
        text=f"t = −b/‖w‖ = {crossing:.3f}",
        showarrow=False,
        xanchor="left" if crossing < 0 else "right",
    )
    fig.update_layout(
        title="h across the boundary",
        xaxis={"title": "t = x wᵀ / ‖w‖", "range": [-extent, extent]},
        yaxis_title="h",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig
