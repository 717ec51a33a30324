"""How the playground's live picture tells classes apart without their colours (WCAG 1.4.1).

Each class has a shape (CLASS_SYMBOLS, the plotly symbols of the points' plane), drawn here with
Pillow by ``class_mark``: filled for a training point, open for a test point, and beside each
row of the confusion counts. ``draw_region_marks`` lays a grid of open marks over the decision
surface, each the class most likely at its place, fading where the network is unsure.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import ImageDraw

from viz.playground_figures import CLASS_COLOURS, CLASS_SYMBOLS


def _turned(vertices, degrees: float) -> list[tuple[float, float]]:
    t = math.radians(degrees)
    return [
        (x * math.cos(t) - y * math.sin(t), x * math.sin(t) + y * math.cos(t)) for x, y in vertices
    ]


def _regular(n: int, radius: float, start: float = -90.0) -> list[tuple[float, float]]:
    angles = [math.radians(start + 360.0 * k / n) for k in range(n)]
    return [(radius * math.cos(a), radius * math.sin(a)) for a in angles]


_ARM, _REACH = 0.4, 1.15  # the plus's arms: half-width and length, in radii
_PLUS = [
    (-_ARM, -_REACH), (_ARM, -_REACH), (_ARM, -_ARM), (_REACH, -_ARM), (_REACH, _ARM),
    (_ARM, _ARM), (_ARM, _REACH), (-_ARM, _REACH), (-_ARM, _ARM), (-_REACH, _ARM),
    (-_REACH, -_ARM), (-_ARM, -_ARM),
]  # fmt: skip
# CLASS_SYMBOLS as polygons of radius 1 (image rows grow downwards); the circle is an ellipse
SHAPES = {
    "square": [(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
    "diamond": [(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)],
    "triangle-up": [(0.0, -1.2), (1.1, 0.8), (-1.1, 0.8)],
    "x": _turned(_PLUS, 45.0),
    "cross": _PLUS,
    "star": [
        vertex
        for outer, inner in zip(_regular(5, 1.3), _regular(5, 0.55, -54.0), strict=True)
        for vertex in (outer, inner)
    ],
    "triangle-down": [(0.0, 1.2), (1.1, -0.8), (-1.1, -0.8)],
    "hexagon": _regular(6, 1.1),
    "pentagon": _regular(5, 1.15),
}


def class_mark(
    draw: ImageDraw.ImageDraw,
    c: int,
    x: float,
    y: float,
    r: float,
    colour,
    rim=None,
    filled: bool = True,
) -> None:
    """Class c's shape (CLASS_SYMBOLS, as on the points' plane) about 2r across, centred at
    (x, y): filled with ``colour`` and outlined in ``rim``, or open (its outline in ``colour``,
    2 px wide)."""
    symbol = CLASS_SYMBOLS[c % len(CLASS_SYMBOLS)]
    fill, outline, width = (colour, rim, 1) if filled else (None, colour, 2)
    if symbol == "circle":
        draw.ellipse([x - r, y - r, x + r, y + r], fill=fill, outline=outline, width=width)
        return
    vertices = [(x + r * dx, y + r * dy) for dx, dy in SHAPES[symbol]]
    draw.polygon(vertices, fill=fill, outline=outline, width=width)


REGION_MARKS = 8  # the decision surface carries REGION_MARKS x REGION_MARKS class marks
REGION_SHADE = 0.55  # a mark's colour: its class's colour darkened to this share


def draw_region_marks(
    draw: ImageDraw.ImageDraw, box, probabilities, surface, discretize: bool
) -> None:
    """Over the decision surface, a grid of small open class marks (class_mark), each the
    class most likely at its place: the regions are told apart by shape as well as colour.

    probabilities: (res, res, C), row 0 at x_2 = -EXTENT; surface: the surface's colours on the
    same grid. A mark is drawn in a darker shade of its class's colour, mixed into the surface
    by the network's certainty there, (max_c p_c - 1/C) / (1 - 1/C), as the surface itself
    fades; discretized, at full strength. Non-finite probabilities count as uniform: no mark.
    """
    left, top, right, bottom = box
    resolution, n_classes = probabilities.shape[0], probabilities.shape[-1]
    p = np.where(np.isfinite(probabilities), probabilities, 1.0 / n_classes)
    centres = (np.arange(REGION_MARKS) + 0.5) / REGION_MARKS  # fractions of the side
    rows = np.minimum((centres * resolution).astype(np.intp), resolution - 1)
    cells = p[np.ix_(rows, rows)]  # (k, k, C): [x_2 index, x_1 index]
    winner = cells.argmax(axis=-1)
    certainty = (cells.max(axis=-1) - 1.0 / n_classes) / (1.0 - 1.0 / n_classes)
    strength = np.ones_like(certainty) if discretize else np.clip(certainty, 0.0, 1.0)
    under = surface[np.ix_(rows, rows)].astype(np.float64)
    radius = max(3.0, 0.14 * (right - left) / REGION_MARKS)
    for i, j in np.ndindex(winner.shape):
        c = int(winner[i, j])
        shade = REGION_SHADE * CLASS_COLOURS[c % len(CLASS_COLOURS)]
        mixed = strength[i, j] * shade + (1.0 - strength[i, j]) * under[i, j]
        x = left + centres[j] * (right - left)
        y = bottom - centres[i] * (bottom - top)
        colour = tuple(int(v) for v in np.round(mixed))
        class_mark(draw, c, x, y, radius, colour, filled=False)
