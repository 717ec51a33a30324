"""The playground's digits view drawn as one raster image while training plays.

Same reason as viz.playground_canvas (a picture is swapped by the browser in milliseconds, a
plotly chart with new data takes it hundreds): the soft confusion matrix, the loss and accuracy
curves and the first layer's weights W^1 as 8x8 images, with their labels.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from viz import cell_ink
from viz.playground import Session
from viz.playground_canvas import (
    BLUES,
    RDBU,
    Canvas,
    colour_bar,
    colour_scale,
    curves_labels,
    draw_curves,
    live_layout,
    paste_scaled,
)


def draw_confusion(canvas: Canvas, box, mean: np.ndarray) -> None:
    """The soft confusion matrix (n, n): row = true class, column = predicted, dark = likely."""
    left, top, right, bottom = box
    n = mean.shape[0]
    colours = colour_scale(mean, BLUES)
    paste_scaled(canvas, colours, box, Image.Resampling.NEAREST)
    inks = cell_ink.ink_on(colours)  # black or white, whichever reads on the cell's own blue
    cell = (right - left) / n
    for r in range(n):
        for c in range(n):
            x, y = left + (c + 0.5) * cell, top + (r + 0.5) * cell
            ink = cell_ink.RGB[inks[r, c]]
            label = f"{mean[r, c]:.2f}".removeprefix("0")  # ".98", "1.00"
            canvas.text((x, y), label, anchor="mm", small=True, fill=ink)
        canvas.text((left - 6, top + (r + 0.5) * cell), str(r), anchor="rm", small=True)
        canvas.text((left + (r + 0.5) * cell, bottom + 4), str(r), anchor="mt", small=True)
    canvas.frame(box)
    canvas.text(((left + right) / 2, bottom + 8 + canvas.size), "predicted class", anchor="mt")
    canvas.text((left - 4 * canvas.size // 3, top - 6), "true class", anchor="ld")


def draw_weights(canvas: Canvas, box, W: np.ndarray, columns: int = 8) -> None:
    """The rows of W^1 (n_1, 64) as 8x8 images (first 2 * columns units); blue > 0, red < 0."""
    left, top, right, bottom = box
    n_units = min(W.shape[0], 2 * columns)
    finite = W[:n_units][np.isfinite(W[:n_units])]
    limit = float(np.max(np.abs(finite))) if finite.size and np.max(np.abs(finite)) > 0 else 1.0
    gap = 6
    tile = min((right - left - gap * (columns - 1)) // columns, (bottom - top - gap) // 2)
    for unit in range(n_units):
        r, c = divmod(unit, columns)
        x, y = left + c * (tile + gap), top + r * (tile + gap)
        rgb = colour_scale((W[unit].reshape(8, 8) / limit + 1) / 2, RDBU)
        paste_scaled(canvas, rgb, (x, y, x + tile, y + tile), Image.Resampling.NEAREST)
    bar_top = top + 2 * (tile + gap) + 4
    canvas.text((left, bar_top + 5), "weight:", anchor="lm", small=True)
    bar_left = left + 7 * canvas.size
    bar = colour_scale(np.linspace(0.0, 1.0, 64), RDBU)
    box = (bar_left, bar_top, bar_left + 10 * canvas.size, bar_top + 10)
    colour_bar(canvas, box, bar, f"{-limit:.2g}", f"{limit:.2g}")


def digits_image(
    mean: np.ndarray, W: np.ndarray, session: Session, title: str, dark=False, font_size=14
) -> Image.Image:
    """The digits' live view: soft confusion matrix ``mean`` (10, 10) (left), loss and accuracy
    (right, top), the first layer's weights W^1 (n_1, 64) as 8x8 images (right, bottom)."""
    layout = live_layout(font_size)  # the confusion matrix where the 2-D view has its surface
    width = layout["size"][0]
    stacked = font_size >= 18  # presenter mode: one panel under the other, long text wrapped
    canvas = Canvas(width, layout["size"][1], dark, font_size)
    canvas.text((10, 8), title, width=width - 20 if stacked else None)
    draw_confusion(canvas, layout["surface"], mean)
    draw_curves(canvas, layout["curves"], session, 2)
    curves_labels(canvas, layout["curves"])
    left, top, right, bottom = layout["maps"]
    heading = "First-layer weights W\u00b9, one unit each"
    canvas.text((left, top + font_size), heading, "ld", width=right - left if stacked else None)
    draw_weights(canvas, (left, top + font_size + 8, right - 3 * font_size, bottom - 20), W)
    return canvas.image
