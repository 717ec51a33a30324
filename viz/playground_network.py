"""The network diagram of the live picture: every unit's map as a thumbnail, edges by weight.

Columns from left to right: the input features (x1, x2, x1^2, ...), hidden layers 1..k-1, the
output layer. Each unit is drawn as its map over the plane [-EXTENT, EXTENT]^2 (the same square as
the decision surface): hidden units on a diverging scale (vermillion < 0 < blue), output units as
Pr(Y = c | x) in their class colour (regression: the prediction, diverging). Edge i -> j of layer
l shows the sign of W^l[j, i] by colour and by stroke (blue and solid > 0, vermillion and dashed
< 0) and is drawn wider and stronger as |W^l[j, i]| grows; the strongest MAX_EDGES are drawn
when there are more.

Thumbnails are cut from the maps with NumPy (nearest grid point for each pixel, one table lookup
for the colours of a whole layer) and written into the picture's pixel array: no per-unit image
objects, so a 6 x 32 network's 200 maps cost about a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

from viz.playground_figures import CLASS_COLOURS

MAX_EDGES = 1200
DASH_PX = 4  # a negative weight's edge: dashes of DASH_PX on and DASH_PX off along x
NEGATIVE = np.array([213.0, 94.0, 0.0])  # Okabe-Ito vermillion
POSITIVE = np.array([0.0, 114.0, 178.0])  # Okabe-Ito blue
MIDDLE = np.array([247.0, 247.0, 247.0])
BOUNDED = {"tanh": 1.0, "sigmoid": 1.0}  # activations whose maps use the fixed scale +-1


def _diverging_lut() -> np.ndarray:
    """256 colours from vermillion (-1) through near-white (0) to blue (+1)."""
    t = np.linspace(-1.0, 1.0, 256)[:, None]
    rgb = np.where(t < 0, MIDDLE + (NEGATIVE - MIDDLE) * -t, MIDDLE + (POSITIVE - MIDDLE) * t)
    return rgb.round().astype(np.uint8)


DIVERGING = _diverging_lut()


def diverging_rgb(values: np.ndarray, scale: float) -> np.ndarray:
    """Values on the diverging scale [-scale, scale] -> uint8 RGB (shape + (3,)); NaN -> middle."""
    # divided in float64 (a value past float32's range on a scale as large is still in [-1, 1])
    position = np.nan_to_num(np.asarray(values, dtype=np.float64) / float(scale), nan=0.0)
    index = np.clip((position + 1.0) * 127.5, 0, 255).astype(np.intp)
    return DIVERGING[index]


def class_rgb(probabilities: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Pr(Y = c | x) (..., n) for classes c -> white mixed with c's colour: (..., n, 3) uint8."""
    p = np.nan_to_num(np.clip(probabilities, 0.0, 1.0), nan=0.0)[..., None]
    colours = CLASS_COLOURS[classes % len(CLASS_COLOURS)]
    return (255.0 - p * (255.0 - colours)).round().astype(np.uint8)


@dataclass
class Column:
    """One layer of the diagram: its header and the boxes (left, top, right, bottom) of its
    units, top to bottom."""

    layer: int  # 0 = the input features, 1..k the layers with weights
    header: str
    boxes: list


def diagram_columns(sizes, headers, box, font_size, label_px=0) -> tuple[list[Column], int]:
    """Place every unit: sizes [n_0, ..., n_k] and one header per column in box.

    label_px: the height of the label beside each input and output unit (its feature, its
    class); those two columns' units are spaced at least that far apart where the box has the
    room (a wide hidden layer makes every thumbnail small, and the few input and output units'
    labels ran into each other).
    Returns the columns and the thumbnail side t (pixels).
    """
    left, top, right, bottom = box
    top += 2 * font_size + 6  # room for the headers
    n_max, n_columns = max(sizes), len(sizes)
    t_high = (bottom - top) / n_max
    t_wide = (right - left) / (n_columns + 2.2 * (n_columns - 1))
    side = int(max(5, min(44, t_wide, t_high * 0.86)))
    gap = max(1, int(t_high - side)) if n_max > 1 else 0
    gap = min(gap, side // 3 + 2)
    step_x = (right - left - side) / max(1, n_columns - 1)
    columns = []
    for layer, (n, header) in enumerate(zip(sizes, headers, strict=True)):
        x = int(round(left + layer * step_x))
        spacing = gap
        if layer in (0, n_columns - 1) and n > 1:
            spacing = int(min(max(gap, label_px - side), (bottom - top - n * side) / (n - 1)))
            spacing = max(spacing, gap)
        height = n * side + (n - 1) * spacing
        y0 = int(round(top + (bottom - top - height) / 2))
        boxes = [
            (x, y0 + j * (side + spacing), x + side, y0 + j * (side + spacing) + side)
            for j in range(n)
        ]
        columns.append(Column(layer, header, boxes))
    return columns, side


def _pixel_index(resolution: int, side: int) -> tuple[np.ndarray, np.ndarray]:
    """Grid rows (flipped: the picture's top row is x_2 = +EXTENT) and columns for side pixels."""
    cols = ((np.arange(side) + 0.5) * resolution / side).astype(np.intp)
    return cols[::-1], cols


def paste_thumbnails(pixels: np.ndarray, column: Column, rgb: np.ndarray) -> None:
    """rgb: (side, side, n, 3) uint8, one tile per unit of the column, into pixels (H, W, 3)."""
    for j, (left, top, right, bottom) in enumerate(column.boxes):
        pixels[top:bottom, left:right] = rgb[:, :, j]


def layer_tiles(values: np.ndarray, side: int, kind: str, scale: float = 1.0) -> np.ndarray:
    """Tiles (side, side, n, 3) from one layer's maps values (res, res, n).

    kind: "diverging" (on [-scale, scale]) or "classes" (probabilities in class colours).
    """
    rows, cols = _pixel_index(values.shape[0], side)
    cut = values[rows][:, cols]
    if kind == "classes":
        return class_rgb(cut, np.arange(values.shape[-1]))
    return diverging_rgb(cut, scale)


def layer_scale(values: np.ndarray, activation: str) -> float:
    """The half-range of a hidden layer's colour scale: 1 for tanh and sigmoid, else max |h|."""
    if activation in BOUNDED:
        return BOUNDED[activation]
    finite = np.abs(values[np.isfinite(values)])
    peak = float(finite.max()) if finite.size else 0.0
    return peak if peak > 0 else 1.0


@dataclass
class Edges:
    """Drawn edges: endpoints (n, 4) x0, y0, x1, y1 in pixels, weights (n,), and ids (n, 3):
    layer l (1..k), target unit j, source unit i, for W^l[j, i]; total: how many exist."""

    ends: np.ndarray
    weights: np.ndarray
    ids: np.ndarray
    total: int


@lru_cache(maxsize=8)
def _edge_geometry(boxes: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Endpoints (E, 4) and ids (E, 3) of every edge, layer by layer in the order of
    W^l.ravel() (target j major, source i minor); boxes: one tuple of unit boxes per column."""
    ends, ids = [], []
    for layer in range(1, len(boxes)):
        source = np.array(boxes[layer - 1], dtype=np.float64)
        target = np.array(boxes[layer], dtype=np.float64)
        j, i = np.meshgrid(np.arange(len(target)), np.arange(len(source)), indexing="ij")
        j, i = j.ravel(), i.ravel()
        ends.append(
            np.column_stack(
                [
                    source[i, 2],
                    (source[i, 1] + source[i, 3]) / 2,
                    target[j, 0],
                    (target[j, 1] + target[j, 3]) / 2,
                ]
            )
        )
        ids.append(np.column_stack([np.full(len(j), layer), j, i]))
    return np.concatenate(ends), np.concatenate(ids)


def edges(columns: list[Column], weights: list[np.ndarray], limit: int = MAX_EDGES) -> Edges:
    """Every edge between consecutive columns (W^l (n_l, n_{l-1})), the strongest ``limit``
    kept, sorted weakest first (so the strongest are drawn on top)."""
    ends, ids = _edge_geometry(tuple(tuple(column.boxes) for column in columns))
    values = np.concatenate([W.ravel() for W in weights])
    magnitude = np.nan_to_num(np.abs(values), nan=np.inf)
    order = np.argsort(magnitude, kind="stable")[-limit:]
    return Edges(ends[order], values[order], ids[order], len(values))


def negative(weights: np.ndarray) -> np.ndarray:
    """Which edges are drawn as negative weights (vermillion, dashed): w < 0, and NaN."""
    return ~(weights >= 0)


def edge_styles(weights: np.ndarray, background) -> tuple[np.ndarray, np.ndarray]:
    """Colours (n, 3) uint8 and widths (n,) of edges: sign -> hue, |w| -> strength
    (saturating at |w| = 1) and width (1 px up to 3 px from |w| = 2)."""
    magnitude = np.where(np.isfinite(weights), np.abs(weights), 2.0)[:, None]
    strength = np.minimum(1.0, 0.1 + 0.9 * magnitude)
    base = np.where(negative(weights)[:, None], NEGATIVE, POSITIVE)
    colours = np.asarray(background, dtype=np.float64) * (1 - strength) + base * strength
    widths = 1 + np.round(np.minimum(magnitude[:, 0], 2.0)).astype(int)
    return colours.round().astype(np.uint8), widths


def draw_edges(image: Image.Image, drawn: Edges, background) -> None:
    """The edges as lines on the picture: positive weights solid, weakest first; then negative
    weights, weakest first, dashed (DASH_PX on and off along x, edges run left to right), so
    that a weight's sign shows without its colour (WCAG 1.4.1)."""
    colours, widths = edge_styles(drawn.weights, background)
    dashes = negative(drawn.weights)
    lines = list(zip(drawn.ends.tolist(), colours.tolist(), widths.tolist(), strict=True))
    draw = ImageDraw.Draw(image)
    for ((x0, y0, x1, y1), colour, width), dashed in zip(lines, dashes, strict=True):
        if not dashed:
            draw.line([(x0, y0), (x1, y1)], fill=tuple(colour), width=width)
    if not dashes.any():
        return
    # the negative edges on a layer of their own (their bounding box, 4 px of room for the
    # line widths), pasted through a mask of vertical stripes
    xs, ys = drawn.ends[dashes][:, [0, 2]], drawn.ends[dashes][:, [1, 3]]
    left, top = max(0, int(xs.min()) - 4), max(0, int(ys.min()) - 4)
    right, bottom = min(image.size[0], int(xs.max()) + 5), min(image.size[1], int(ys.max()) + 5)
    size = (right - left, bottom - top)
    layer, mask = Image.new("RGB", size), Image.new("L", size, 0)
    layer_draw, mask_draw = ImageDraw.Draw(layer), ImageDraw.Draw(mask)
    for ((x0, y0, x1, y1), colour, width), dashed in zip(lines, dashes, strict=True):
        if dashed:
            xy = [(x0 - left, y0 - top), (x1 - left, y1 - top)]
            layer_draw.line(xy, fill=tuple(colour), width=width)
            mask_draw.line(xy, fill=255, width=width)
    on = (np.arange(left, right) // DASH_PX) % 2 == 0  # stripes fixed to the picture's x
    stripes = np.asarray(mask) * on[None, :].astype(np.uint8)
    image.paste(layer, (left, top), Image.fromarray(stripes, "L"))
