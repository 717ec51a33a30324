"""The playground's live picture for data on the plane: one raster image per tick.

Top left, the network diagram (viz.playground_network): every unit's map as a thumbnail, edges by
weight. Top right, the decision surface (the output layer's map) with the training points
(filled) and the test points (open), each class in its colour and its shape (regression:
circles and diamonds). Below: the selected unit drawn large with its formula,
the loss and accuracy curves, and the confusion matrix of the test points.

``live_picture`` returns the image and a ``Geometry`` (where everything went), which the paused
view (viz.playground_overlay) uses to lay hover labels and click targets over the same picture.
Everything that does not change while training (headers, ticks, labels, frames) is drawn once
per layout into a cached template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image

from viz import cell_ink
from viz.playground import EXTENT, Session
from viz.playground_canvas import (
    BLUES,
    PRESENTER_WIDTH,
    Canvas,
    colour_scale,
    curves_labels,
    draw_curves,
    line_height,
    paste_scaled,
    plane_ticks,
    points_layer,
    small_size,
    target_range,
)
from viz.playground_figures import CLASS_COLOURS, surface_rgb
from viz.playground_marks import class_mark, draw_region_marks
from viz.playground_network import (
    Column,
    Edges,
    diagram_columns,
    draw_edges,
    edges,
    layer_scale,
    layer_tiles,
    paste_thumbnails,
)
from viz.playground_network import diverging_rgb as diverging
from viz.symbols import sub, sup

FEATURE_LABELS = {
    "x1": "x\u2081",
    "x2": "x\u2082",
    "x1^2": "x\u2081\u00b2",
    "x2^2": "x\u2082\u00b2",
    "x1*x2": "x\u2081x\u2082",
    "sin(x1)": "sin x\u2081",
    "sin(x2)": "sin x\u2082",
}


@dataclass
class View:
    """How to draw a session (none of it changes the run)."""

    show_test: bool = True
    discretize: bool = False
    unit: tuple = (1, 0)  # the selected unit: (layer 1..k, index)


@dataclass
class Geometry:
    """Where the picture put things (pixels, origin top left)."""

    size: tuple
    columns: list = field(default_factory=list)
    side: int = 0
    edges: Edges | None = None
    surface: tuple = ()
    selected: tuple = ()
    curves: tuple = ()
    confusion: tuple = ()


def layout(font_size: int, n_max: int, classification: bool) -> dict:
    """Boxes (left, top, right, bottom) of the panels; the picture grows with the widest layer.

    About 1100 x 640 pixels at the normal font size (14): the diagram and the decision surface
    side by side, the selected unit, the curves and the confusion counts below. In presenter
    mode (font 18 and up) the panels are stacked, PRESENTER_WIDTH pixels wide
    (``stacked_layout``): a projector's column is 560-900 pixels wide, and Streamlit shows the
    picture at its own size or shrunk to the column's width (viz.playground_canvas).
    "label_width": how wide the selected unit's formula and numbers may run (None: one line).
    """
    if font_size >= 18:
        return stacked_layout(font_size, n_max, classification)
    s = 1.0
    fs = font_size
    width = int(1100 * s)
    top = 2 * fs + 12
    diagram_height = max(int(330 * s), n_max * 12 + 2 * fs + 6)
    diagram = (int(22 * s) + 2 * fs, top, int(0.58 * width), top + diagram_height)
    side = int(320 * s)
    surface_left = int(0.58 * width) + 3 * fs + 28
    surface = (surface_left, top + fs + 8, surface_left + side, top + fs + 8 + side)
    row = max(diagram[3], surface[3] + 2 * fs + 12) + fs + 14
    small = int(170 * s)
    selected = (3 * fs, row, 3 * fs + small, row + small)
    curves_right = int(0.75 * width) if classification else width - 4 * fs
    curves = (selected[2] + 8 * fs, row + fs // 2, curves_right, row + small - fs)
    confusion_side = int(small * 0.9)
    confusion = (
        width - confusion_side - fs,
        row,
        width - fs,
        row + confusion_side,
    )
    height = row + small + 2 * fs + 14
    return {
        "size": (width, height),
        "diagram": diagram,
        "surface": surface,
        "selected": selected,
        "curves": curves,
        "confusion": confusion,
        "label_width": None,
    }


def stacked_layout(font_size: int, n_max: int, classification: bool) -> dict:
    """Presenter mode, PRESENTER_WIDTH pixels wide: the diagram across the top; the decision
    surface below it; the selected unit and the confusion counts side by side; the curves at
    the bottom. The unit's formula and numbers wrap onto up to three lines each."""
    fs = font_size
    lines = 3 * line_height(small_size(fs))
    width = PRESENTER_WIDTH
    top = 2 * fs + 12
    diagram = (2 * fs + 28, top, width - 3 * fs, top + max(300, n_max * 12 + 2 * fs + 6))
    left = 3 * fs + 28
    surface_top = diagram[3] + 2 * fs + 20  # the panel's name and the x_2 label above it
    side, small = 440, 230
    surface = (left, surface_top, left + side, surface_top + side)
    row = surface[3] + 3 * fs + 30 + lines  # below the ticks, the x_1 label and the formula
    selected = (left, row, left + small, row + small)
    confusion = (width - small - fs, row, width - fs, row + small)
    curves_top = selected[3] + lines + 2 * fs + 10  # the numbers, then the curves' axis names
    curves_right = width - 4 * fs - 10 if classification else width - 3 * fs
    curves = (4 * fs + 20, curves_top, curves_right, curves_top + 220)
    # the unit's text stops short of the confusion counts' class numbers and marks
    label_width = confusion[0] - 3 * fs - left if classification else width - fs - left
    return {
        "size": (width, curves[3] + 3 * fs + 14),
        "diagram": diagram,
        "surface": surface,
        "selected": selected,
        "curves": curves,
        "confusion": confusion,
        "label_width": label_width,
    }


def _headers(session: Session) -> list[str]:
    net = session.net
    hidden = [f"{i}: {name}" for i, name in enumerate(net.hidden, start=1)]
    output = "Pr(Y=c|x)" if net.output == "softmax" else "h\u1d4f"
    return ["input", *hidden, output]


def _plan(session: Session, font_size: int) -> tuple[dict, list[Column], int]:
    """The layout, the diagram's columns and the thumbnail side for this session's network."""
    net = session.net
    panels = layout(font_size, max(net.sizes), not session.data.is_regression)
    columns, side = diagram_columns(
        net.sizes, _headers(session), panels["diagram"], font_size, _label_px(font_size)
    )
    return panels, columns, side


@lru_cache(maxsize=12)
def _template(key: tuple) -> Image.Image:
    """The static parts: column headers, feature names, ticks, axis names, frames."""
    (sizes, headers, features, n_classes, font_size, dark) = key
    classification = n_classes > 0
    panels = layout(font_size, max(sizes), classification)
    columns, side = diagram_columns(
        list(sizes), list(headers), panels["diagram"], font_size, _label_px(font_size)
    )
    canvas = Canvas(*panels["size"], dark, font_size)
    for xy, header in _header_spots(canvas, columns, side):
        canvas.text(xy, header, "md", small=True)
    for column in columns:
        for box in column.boxes:
            canvas.draw.rectangle([box[0] - 1, box[1] - 1, box[2], box[3]], outline=canvas.grid)
    if features:  # the input column: each feature's name beside its map
        for name, box in zip(features, columns[0].boxes, strict=False):
            canvas.text((box[0] - 4, (box[1] + box[3]) / 2), FEATURE_LABELS[name], "rm", True)
    plane_ticks(canvas, panels["surface"], "x\u2081", "x\u2082")
    left, top, right, _ = panels["surface"]
    output = "decision surface" if classification else "prediction h\u1d4f(x)"
    canvas.text((left, top - 8), output, "ld")
    curves_labels(canvas, panels["curves"], accuracy=classification)
    if classification:
        box = panels["confusion"]
        # anchored at the panel's right edge: the panel sits at the picture's right edge; in
        # presenter mode on two lines, clear of the selected unit's formula beside it
        stacked = panels["label_width"] is not None
        header = "test points:\ntrue (rows)" if stacked else "test points: true (rows)"
        width = box[2] - box[0] if stacked else None
        canvas.text((box[2], box[1] - 4), header, "rd", small=True, width=width)
        below = box[3] + 8 + canvas.small.size  # under the columns' class numbers
        canvas.text((box[2], below), "predicted (columns)", "rt", small=True)
        # each output unit's class, beside its map (the maps are tinted in the class's colour)
        for c, unit in enumerate(columns[-1].boxes):
            canvas.text((unit[2] + 4, (unit[1] + unit[3]) / 2), str(c), "lm", small=True)
    return canvas.image


def _label_px(font_size: int) -> int:
    """The height a class number beside an output unit needs."""
    return small_size(font_size) + 2


def _header_spots(canvas: Canvas, columns: list[Column], side: int) -> list[tuple]:
    """((x, y), header) of every column's header, anchored at its middle bottom ("md")."""
    rows = _header_rows(canvas, columns, side)
    # the first and last columns' headers clear the labels beside their first unit
    above_labels = max(0, (canvas.small.size - side) / 2)
    spots = []
    for index, column in enumerate(columns):
        left = column.boxes[0][0]
        # crowded headers (many layers) take turns on up to three lines
        y = column.boxes[0][1] - 6 - (index % rows) * line_height(canvas.small.size)
        if index in (0, len(columns) - 1):
            y -= above_labels
        spots.append(((left + side / 2, y), column.header))
    return spots


HALO_PX = 3  # the outline that keeps a header clear of the edges under it


def _headers_over_edges(canvas: Canvas, columns: list[Column], side: int) -> None:
    """The input's and the output's headers again, over the edges, outlined in the background
    colour: a short column sits in the middle of the diagram, so the edges fanning out to a
    tall layer beside it crossed its header ("inpu" at eight layers of 64)."""
    spots = _header_spots(canvas, columns, side)
    for xy, header in (spots[0], spots[-1]):
        canvas.draw.text(xy, header, fill=canvas.ink, font=canvas.small, anchor="md",
                         stroke_width=HALO_PX, stroke_fill=canvas.background)  # fmt: skip


def _header_rows(canvas: Canvas, columns: list[Column], side: int) -> int:
    """On how many lines the diagram's headers take turns so that neighbours on one line do not
    meet: 1 when each fits between its neighbours, at most 3."""
    if len(columns) < 2:
        return 1
    step = columns[1].boxes[0][0] - columns[0].boxes[0][0]
    widest = max(canvas.small.getlength(column.header) for column in columns)
    return int(min(3, max(1, np.ceil((widest + 8) / max(step, 1)))))


def _surface_rgb(session: Session, output: np.ndarray, discretize: bool) -> np.ndarray:
    """The big map: class colours (paler where unsure), or the prediction on the diverging
    scale; discretized: the predicted class at full strength, or the prediction above/below
    the middle of the targets' range."""
    if not session.data.is_regression:
        if not discretize:
            return surface_rgb(output)
        winner = np.nan_to_num(output, nan=0.0).argmax(axis=-1)
        colours = CLASS_COLOURS[winner % len(CLASS_COLOURS)]
        return (255 * 0.15 + 0.85 * colours).astype(np.uint8)
    values = output[..., 0]
    scale = target_range(session)
    if discretize:
        y = session.data.y_train
        middle = (float(y.min()) + float(y.max())) / 2
        values = np.where(values >= middle, scale, -scale)
    return diverging(values, scale)


def _unit_rgb(session: Session, maps: list, unit: tuple) -> np.ndarray:
    """The selected unit's map as RGB (res, res, 3), its layer's colour scale."""
    layer, j = unit
    values = maps[layer - 1][..., j]
    if layer == session.net.depth and not session.data.is_regression:
        return _class_tile(values, j)
    if layer == session.net.depth:
        return diverging(values, target_range(session))
    return diverging(values, layer_scale(maps[layer - 1], session.net.hidden[layer - 1]))


def _class_tile(values, c):
    p = np.clip(np.nan_to_num(values, nan=0.0), 0.0, 1.0)[..., None]
    return (255.0 - p * (255.0 - CLASS_COLOURS[c % len(CLASS_COLOURS)])).astype(np.uint8)


def check_unit(session: Session, unit) -> tuple:
    """The selected unit if it exists in this network, else unit 0 of layer 1."""
    layer, j = (int(unit[0]), int(unit[1])) if unit else (1, 0)
    if 1 <= layer <= session.net.depth and 0 <= j < session.net.sizes[layer]:
        return layer, j
    return 1, 0


def unit_caption(session: Session, unit: tuple) -> str:
    """'layer 2, unit 3: tanh(h¹ wᵀ + b)' for the picture."""
    layer, j = unit
    net = session.net
    sigma = net.hidden[layer - 1] if layer < net.depth else net.output
    if sigma == "softmax":
        text = f"output unit {j}: Pr(Y = {j} | x) = softmax(zᵏ){sub(j)}"
        return _keep(text, f"Pr(Y = {j} | x)", f"= softmax(zᵏ){sub(j)}")
    h = "h" + sup(layer - 1)
    formula = f"{sigma}({h} w\u1d40 + b)"
    return _keep(f"layer {layer}, unit {j}: {formula}", formula)


NBSP = "\u00a0"  # a space the picture's text never breaks at (viz.playground_canvas.wrap)


def _keep(text: str, *groups: str) -> str:
    """`text` with the spaces inside each group unbreakable: a wrapped line breaks between
    the groups, never inside "b = 1.06"."""
    for group in groups:
        text = text.replace(group, group.replace(" ", NBSP))
    return text


def live_picture(session: Session, view: View, title: str, dark=False, font_size=14):
    """The live view of a session on the plane: (PIL image, Geometry)."""
    net, data = session.net, session.data
    panels, columns, side = _plan(session, font_size)
    features = tuple(session.settings.features)
    key = (
        tuple(net.sizes),
        tuple(_headers(session)),
        features,
        data.n_classes,
        int(font_size),
        bool(dark),
    )
    pixels = np.array(_template(key))
    maps = session.maps()
    # the thumbnails: the features (closed forms), every hidden layer, the output layer
    feature_maps = _feature_maps(features, maps[0].shape[0])
    paste_thumbnails(pixels, columns[0], layer_tiles(feature_maps, side, "diverging", 1.0))
    for layer, values in enumerate(maps, start=1):
        if layer < net.depth:
            scale = layer_scale(values, net.hidden[layer - 1])
            tiles = layer_tiles(values, side, "diverging", scale)
        elif data.is_regression:
            tiles = layer_tiles(values, side, "diverging", target_range(session))
        else:
            tiles = layer_tiles(values, side, "classes")
        paste_thumbnails(pixels, columns[layer], tiles)
    image = Image.fromarray(pixels)
    canvas = Canvas(*panels["size"], dark, font_size, image=image)
    canvas.text((10, 8), title)
    drawn = edges(columns, net.weights)
    draw_edges(canvas.image, drawn, canvas.background)
    _headers_over_edges(canvas, columns, side)
    unit = check_unit(session, view.unit)
    box = columns[unit[0]].boxes[unit[1]]
    canvas.draw.rectangle(
        [box[0] - 3, box[1] - 3, box[2] + 2, box[3] + 2], outline=canvas.ink, width=2
    )
    # the decision surface and the selected unit, each with the points
    radius = max(3, font_size // 4)
    surface_box, selected_box = panels["surface"], panels["selected"]
    surface = _surface_rgb(session, maps[-1], view.discretize)
    paste_scaled(canvas, surface[::-1], surface_box)
    if not data.is_regression:
        draw_region_marks(canvas.draw, surface_box, maps[-1], surface, view.discretize)
    paste_scaled(canvas, _unit_rgb(session, maps, unit)[::-1], selected_box)
    for box, r in ((surface_box, radius), (selected_box, max(2, radius - 1))):
        layer = points_layer(session, box[2] - box[0], r, view.show_test)
        canvas.image.paste(layer, (box[0], box[1]), layer)
        canvas.frame(box)
    label_width = panels["label_width"]
    canvas.text(
        (selected_box[0], selected_box[1] - 6), unit_caption(session, unit), "ld", True,
        width=label_width,
    )  # fmt: skip
    canvas.text(
        (selected_box[0], selected_box[3] + 6), _unit_numbers(session, unit), "lt", True,
        width=label_width,
    )  # fmt: skip
    draw_curves(canvas, panels["curves"], session, 2)
    if not data.is_regression:
        draw_confusion_counts(canvas, panels["confusion"], session.confusion())
    geometry = Geometry(
        panels["size"],
        columns,
        side,
        drawn,
        surface_box,
        selected_box,
        panels["curves"],
        panels["confusion"],
    )
    return canvas.image, geometry


def _unit_numbers(session: Session, unit: tuple) -> str:
    layer, j = unit
    w = session.net.weights[layer - 1][j]
    b = session.net.biases[layer - 1]
    shown = ", ".join(_two(v) for v in w[:4]) + (", \u2026" if len(w) > 4 else "")
    bias = f"b = {_two(0.0 if b is None else float(b[j]))}"
    return _keep(f"w = ({shown}),  {bias}", "w = (", bias)


def _two(value: float) -> str:
    """Two decimals, never "-0.00"."""
    shown = f"{value:.2f}"
    return shown.lstrip("-") if float(shown) == 0 else shown


@lru_cache(maxsize=16)
def _feature_maps(features: tuple, resolution: int) -> np.ndarray:
    from viz.playground import grid_features

    values = grid_features(features, resolution).astype(np.float32)
    values = values / np.maximum(np.abs(values).max(axis=0), 1e-12)  # each on its own +-1 scale
    return values.reshape(resolution, resolution, -1)


def draw_confusion_counts(canvas: Canvas, box, counts: np.ndarray) -> None:
    """Counts (C, C) of test points, row = true class, column = predicted; cells shaded by the
    row's share (dark = most of that class), each with its count; rows and columns numbered by
    class, each row marked with its class's shape in its colour."""
    left, top, right, bottom = box
    n = counts.shape[0]
    totals = np.maximum(counts.sum(axis=1, keepdims=True), 1)
    share = counts / totals
    rgb = colour_scale(share, BLUES)
    paste_scaled(canvas, rgb, box, Image.Resampling.NEAREST)
    cell = (right - left) / n
    inks = cell_ink.ink_on(rgb)  # black or white, whichever reads on the cell's own blue
    for r in range(n):
        for c in range(n):
            ink = cell_ink.RGB[inks[r, c]]
            xy = (left + (c + 0.5) * cell, top + (r + 0.5) * cell)
            canvas.text(xy, str(int(counts[r, c])), "mm", small=True, fill=ink)
    # each row's and column's class: its number, and beside a row its points' mark (class_mark)
    mark = max(4, int(cell * 0.3))
    for k in range(n):
        colour = tuple(int(v) for v in CLASS_COLOURS[k % len(CLASS_COLOURS)])
        y = top + (k + 0.5) * cell
        class_mark(canvas.draw, k, left - 4 - mark / 2, y, mark / 2, colour, canvas.background)
        canvas.text((left - 8 - mark, y), str(k), "rm", small=True)
        canvas.text((left + (k + 0.5) * cell, bottom + 4), str(k), "mt", small=True)
    canvas.frame(box)


def plane_to_pixel(box, points: np.ndarray) -> np.ndarray:
    """Points of the plane (m, 2) -> pixel coordinates (m, 2) inside a square box."""
    left, top, right, bottom = box
    scale = (right - left) / (2 * EXTENT)
    return np.column_stack(
        [left + (points[:, 0] + EXTENT) * scale, bottom - (points[:, 1] + EXTENT) * scale]
    )
