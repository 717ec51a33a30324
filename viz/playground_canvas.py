"""Drawing primitives for the playground's live pictures (numpy + Pillow), like TF Playground.

While training plays, the page redraws ten times a second. A plotly chart whose data changed
costs headless chromium 200-280 ms to redraw; swapping one JPEG costs it a few milliseconds. So
the live views (viz.playground_picture for the plane, viz.playground_canvas_digits for the
digits) are pictures drawn with these pieces: a canvas with the theme's colours, ticks, the
points, the loss and accuracy curves.

Every function returns or draws on a ``PIL.Image`` in RGB; ``jpeg_bytes`` encodes it in a few
milliseconds (PNG takes 20-60 ms for this picture). Quality 90 with 4:2:0 chroma subsampling:
184 KB a frame instead of 383 KB at quality 95 without subsampling (measured on the default run,
encoding 38 % faster); grey text stays sharp (it lives in the full-resolution luma), coloured
lines and labels soften a little at 2x zoom.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from viz import log_ticks
from viz.margins import NARROW_MAIN_PX
from viz.playground import EXTENT, Session
from viz.playground_figures import CLASS_COLOURS
from viz.playground_marks import class_mark

JPEG_QUALITY = 90
# Presenter mode. st.image fits a picture to the main column's width, which at 1024 x 768 with
# the sidebar open is PRESENTER_COLUMN_PX (viz.margins's narrowest main column; the browser test
# measures it). The 1000 and 1140 px pictures drawn with 22 px type read 12 and 11 px there
# (their small type 11 and 9 px), half the page's text. Drawn PRESENTER_WIDTH wide with
# PRESENTER_FONT type, they shrink to 0.78 of their size and read 22 px, as the presenter charts'
# tick labels (viz.figure_style.FONT_PX), their small type 19 px; a wider column shows them larger.
PRESENTER_FONT = 28
PRESENTER_WIDTH = 720
PRESENTER_COLUMN_PX = NARROW_MAIN_PX
LOSS_COLOUR = (213, 94, 0)
ACCURACY_COLOUR = (0, 114, 178)
PALETTES = {  # background, text and axes, grid
    "light": ((255, 255, 255), (40, 40, 40), (225, 225, 225)),
    "dark": ((17, 17, 17), (235, 235, 235), (60, 60, 60)),
}


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans when the system has it (Greek letters, subscripts), else Pillow's own font."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


class Canvas:
    """An RGB image with a palette and a font size; the panels below draw on it."""

    def __init__(self, width: int, height: int, dark=False, font_size=14, image=None):
        self.background, self.ink, self.grid = PALETTES["dark" if dark else "light"]
        self.image = (
            image if image is not None else Image.new("RGB", (width, height), self.background)
        )
        self.draw = ImageDraw.Draw(self.image)
        self.size = font_size
        self.font = font(font_size)
        self.small = font(small_size(font_size))

    def text(self, xy, text, anchor="la", small=False, fill=None, width=None) -> int:
        """Draw `text` at xy; with `width` (pixels), broken at spaces into lines no wider
        than that, stacked downwards, or upwards from xy for an anchor at the text's bottom
        ("ld", "rd"). Returns the number of lines."""
        font_used = self.small if small else self.font
        lines = [text] if width is None else wrap(text, font_used, width)
        step = line_height(font_used.size)
        x, y = xy
        if anchor[1] == "d":
            y -= step * (len(lines) - 1)
        for k, line in enumerate(lines):
            self.draw.text((x, y + k * step), line, fill=fill or self.ink, font=font_used,
                           anchor=anchor)  # fmt: skip
        return len(lines)

    def frame(self, box) -> None:
        self.draw.rectangle(box, outline=self.ink, width=1)


def small_size(font_size: int) -> int:
    """The small type (ticks, captions of panels) that goes with a font size."""
    return max(9, round(0.85 * font_size))


def line_height(font_size: int) -> int:
    """The step between two lines of wrapped text."""
    return round(1.25 * font_size)


def wrap(text: str, font_used: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """`text` in lines no wider than `width` pixels in `font_used`, broken at its line breaks
    and at spaces, never at a no-break space (a word wider than that keeps a line of its own)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        start = len(lines)
        for word in filter(None, paragraph.split(" ")):
            if len(lines) > start and font_used.getlength(f"{lines[-1]} {word}") <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
    return lines or [""]


def jpeg_bytes(image: Image.Image) -> bytes:
    """The image as JPEG bytes, quality JPEG_QUALITY, 4:2:0 chroma subsampling."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, subsampling=2)
    return buffer.getvalue()


# ColorBrewer's blues, white through dark blue (the confusion matrices), and RdBu, red (< 0)
# through white to blue (> 0) (the digits' weights): anchors for colour_scale
BLUES = np.array([[247, 251, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]])
RDBU = np.array(
    [[178, 24, 43], [239, 138, 98], [253, 219, 199], [247, 247, 247], [209, 229, 240],
     [103, 169, 207], [33, 102, 172]],
    dtype=np.float64,
)  # fmt: skip


def colour_scale(values: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """Values in [0, 1] -> uint8 RGB by linear interpolation between the anchor colours (NaN: the
    middle one)."""
    position = np.clip(np.nan_to_num(values, nan=0.5), 0.0, 1.0) * (len(anchors) - 1)
    steps = np.arange(len(anchors))
    rgb = np.stack([np.interp(position, steps, anchors[:, k]) for k in range(3)], axis=-1)
    return rgb.round().astype(np.uint8)


def paste_scaled(canvas: Canvas, rgb: np.ndarray, box, resample=Image.Resampling.BILINEAR) -> None:
    """Paste an (h, w, 3) uint8 array scaled into box = (left, top, right, bottom); row 0 on top."""
    left, top, right, bottom = box
    tile = Image.fromarray(rgb, "RGB").resize((right - left, bottom - top), resample)
    canvas.image.paste(tile, (left, top))


def plane_ticks(canvas: Canvas, box, x_label: str, y_label: str) -> None:
    """Ticks -1.5 .. 1.5 on both axes of a square plot of [-EXTENT, EXTENT]^2."""
    left, top, right, bottom = box
    for value in (-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5):
        fraction = (value + EXTENT) / (2 * EXTENT)
        x = left + fraction * (right - left)
        y = bottom - fraction * (bottom - top)
        canvas.draw.line([(x, bottom), (x, bottom + 4)], fill=canvas.ink)
        canvas.draw.line([(left - 4, y), (left, y)], fill=canvas.ink)
        canvas.text((x, bottom + 6), f"{value:g}", anchor="mt", small=True)
        canvas.text((left - 6, y), f"{value:g}", anchor="rm", small=True)
    canvas.text(((left + right) / 2, bottom + 8 + canvas.size), x_label, anchor="mt")
    canvas.text((left - 12 - 2 * canvas.size, top - 6), y_label, anchor="ld")


_POINT_LAYERS: dict = {}  # (data, side, radius, show_test) -> RGBA image of the points


def points_layer(session: Session, side: int, radius: int, show_test: bool = True) -> Image.Image:
    """The training points (filled, white rim) and, with show_test, the test points (open) on a
    transparent side x side square over [-EXTENT, EXTENT]^2. Classification: each class in its
    colour and its shape (class_mark). Regression: circles and diamonds, coloured by target on
    the diverging scale. Drawn once per data set."""
    from viz.playground_network import diverging_rgb  # the network module imports this one

    data = session.data
    key = (
        session.settings.data_key(),
        len(data.p_train),
        float(data.p_train.sum()),
        side,
        radius,
        bool(show_test),
    )
    if key not in _POINT_LAYERS:
        if len(_POINT_LAYERS) >= 8:
            _POINT_LAYERS.clear()
        layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        scale = side / (2 * EXTENT)
        sets = [(data.p_train, data.y_train, False)]
        if show_test:
            sets.append((data.p_test, data.y_test, True))
        target_scale = target_range(session)
        for points, labels, test in sets:
            px = (points[:, 0] + EXTENT) * scale
            py = side - (points[:, 1] + EXTENT) * scale
            if not data.is_regression:
                for x, y, c in zip(px, py, labels.astype(int), strict=True):
                    colour = tuple(int(v) for v in CLASS_COLOURS[c % len(CLASS_COLOURS)])
                    r = radius + 1 if test else radius  # open marks a pixel larger, as before
                    class_mark(draw, c, x, y, r, colour, (255, 255, 255), filled=not test)
                continue
            colours = diverging_rgb(labels.reshape(-1), target_scale)
            rim = (40, 40, 40)
            for x, y, colour in zip(px, py, colours, strict=True):
                colour = tuple(int(v) for v in colour)
                if test:
                    r = radius + 1
                    diamond = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
                    draw.polygon(diamond, fill=colour, outline=rim, width=2)
                else:
                    circle = [x - radius, y - radius, x + radius, y + radius]
                    draw.ellipse(circle, fill=colour, outline=rim)
        _POINT_LAYERS[key] = layer
    return _POINT_LAYERS[key]


def target_range(session: Session) -> float:
    """Half-range of the regression colour scale: max |y| over the training targets (>= 1e-3)."""
    y = session.data.y_train
    return max(float(np.max(np.abs(y))) if len(y) else 1.0, 1e-3)


def _dashed(canvas: Canvas, points: np.ndarray, colour, width: int, dash: float = 7.0) -> None:
    """A polyline drawn in dashes of about ``dash`` pixels (points: (n, 2) pixel coordinates);
    each dash is one polyline through the points it spans."""
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    middle = np.concatenate([[0.0], np.cumsum(steps)])[:-1] + steps / 2
    on = (middle // dash) % 2 == 0  # segment k joins points k and k + 1
    edges = np.flatnonzero(np.diff(np.concatenate([[False], on, [False]]).astype(int)))
    for first, stop in zip(edges[::2], edges[1::2], strict=True):
        dash_points = [tuple(p) for p in points[first : stop + 1]]
        canvas.draw.line(dash_points, fill=colour, width=width)


def _resample(values: list, n_pixels: int) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, values) at about one point per horizontal pixel: thinned when there are more
    epochs than pixels, linearly interpolated between epochs when there are fewer (so that
    dashes have an even length)."""
    values = np.asarray(values, dtype=float)
    epochs = np.linspace(0, len(values) - 1, max(2, n_pixels // 2))
    return epochs, np.interp(epochs, np.arange(len(values)), values)


def draw_curves(canvas: Canvas, box, session: Session, line_width: int = 2) -> None:
    """Cross-entropy loss (log axis, left) and accuracy (0-100 %, right) against epoch;
    solid: training set, dashed: test set."""
    left, top, right, bottom = box
    losses = np.asarray(session.train_loss + session.test_loss, dtype=float)
    losses = losses[np.isfinite(losses) & (losses > 0)]
    low, high = (float(losses.min()), float(losses.max())) if losses.size else (0.1, 1.0)
    low, high = low / 1.2, max(high * 1.2, low * 2)
    last_epoch = max(1, len(session.train_loss) - 1)

    def x_of(epochs):
        return left + np.asarray(epochs) / last_epoch * (right - left)

    def loss_y(values):
        clipped = np.clip(np.nan_to_num(values, nan=high, posinf=high), low, high)
        return bottom - np.log(clipped / low) / math.log(high / low) * (bottom - top)

    def accuracy_y(values):
        return bottom - np.asarray(values) * (bottom - top)

    for tick in log_ticks.tick_values(low, high):
        y = float(loss_y(tick))
        canvas.draw.line([(left, y), (right, y)], fill=canvas.grid)
        text = log_ticks.tick_text(tick)
        canvas.text((left - 6, y), text, anchor="rm", small=True, fill=LOSS_COLOUR)
    ticks = (
        ((0, "lt"), (last_epoch // 2, "mt"), (last_epoch, "rt"))
        if last_epoch >= 2
        else ((0, "lt"), (last_epoch, "rt"))
    )
    for epoch, anchor in ticks:
        canvas.text((float(x_of(epoch)), bottom + 6), str(epoch), anchor=anchor, small=True)
    canvas.frame(box)
    curves = (
        (session.train_loss, loss_y, LOSS_COLOUR, False),
        (session.test_loss, loss_y, LOSS_COLOUR, True),
        (session.train_accuracy, accuracy_y, ACCURACY_COLOUR, False),
        (session.test_accuracy, accuracy_y, ACCURACY_COLOUR, True),
    )
    for values, y_of, colour, dashed in curves:
        if len(values) < 2:
            continue
        epochs, resampled = _resample(values, right - left)
        points = np.column_stack([x_of(epochs), y_of(resampled)])
        if dashed:
            _dashed(canvas, points, colour, line_width)
        else:
            canvas.draw.line([tuple(p) for p in points], fill=colour, width=line_width)


def curves_labels(canvas: Canvas, box, accuracy: bool = True) -> None:
    """The parts of ``draw_curves`` that never change: accuracy ticks, axis names, legend."""
    left, top, right, bottom = box
    if accuracy:
        for share in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = bottom - share * (bottom - top)
            canvas.draw.line([(right, y), (right + 4, y)], fill=canvas.ink)
            colour = ACCURACY_COLOUR
            canvas.text((right + 6, y), f"{share:.0%}", anchor="lm", small=True, fill=colour)
        canvas.text((right, top - 6), "accuracy", anchor="rd", fill=ACCURACY_COLOUR)
    canvas.text((left, bottom + 8 + canvas.size), "epoch", anchor="lt")
    canvas.text((left, top - 6), "loss (log)", anchor="ld", fill=LOSS_COLOUR)
    legend = "solid: train, dashed: test"
    canvas.text((right, bottom + 8 + canvas.size), legend, anchor="rt", small=True)


def colour_bar(canvas: Canvas, box, colours: np.ndarray, low: str, high: str) -> None:
    """A horizontal colour bar (colours: (n, 3) uint8 from low to high) with its end labels."""
    left, top, right, bottom = box
    paste_scaled(canvas, colours[None, :, :], box)
    canvas.frame(box)
    canvas.text((left - 4, (top + bottom) / 2), low, anchor="rm", small=True)
    canvas.text((right + 4, (top + bottom) / 2), high, anchor="lm", small=True)


def live_layout(font_size: int) -> dict:
    """Size and boxes (left, top, right, bottom) of the digits' live view.

    960 x 448 pixels at the normal font size (14): the confusion matrix on the left, the curves
    and the weights on the right. In presenter mode (font 18 and up) stacked, PRESENTER_WIDTH
    wide: the confusion matrix, the curves, the weights (see PRESENTER_FONT).
    """
    if font_size >= 18:
        return _stacked_live_layout(font_size)
    scale = 0.8
    width, height = int(1200 * scale), int(560 * scale)
    top, left = 2 * font_size + 30, 3 * font_size + 20
    side = height - top - 3 * font_size - 10
    right_left = left + side + 5 * font_size
    curves_bottom = top + int(190 * scale)
    return {
        "size": (width, height),
        "surface": (left, top, left + side, top + side),
        "curves": (right_left, top, width - 4 * font_size, curves_bottom),
        "maps": (right_left, curves_bottom + 3 * font_size + 10, width - 10, height - 6),
    }


def _stacked_live_layout(font_size: int) -> dict:
    fs = font_size
    line = line_height(fs)
    width = PRESENTER_WIDTH
    top = 8 + 2 * line + fs + 10  # a title of two lines, then "true class" above the matrix
    left = 3 * fs + 20
    side = width - left - 2 * fs  # ten classes: a cell of 56 px holds ".98" in the small type
    surface = (left, top, left + side, top + side)
    curves_top = surface[3] + 4 * fs + 20  # "predicted class", then the curves' axis names
    curves = (4 * fs + 20, curves_top, width - 4 * fs - 10, curves_top + 220)
    maps_top = curves[3] + 3 * fs + 20 + line  # "epoch" and the legend, a heading of two lines
    maps = (left, maps_top, width - 10, maps_top + 240)
    return {"size": (width, maps[3] + 6), "surface": surface, "curves": curves, "maps": maps}
