"""The numbers written in a heat map's cells, each in the ink that reads on its own cell.

plotly.js picks a cell's text colour by the cell's YIQ brightness: white below 128, its dark grey
#444 above. Mid-tone cells fail WCAG's 4.5:1 either way: white on RdBu's mid blue (66, 146, 194)
is 3.4:1, #444 on its light blue (113, 176, 211) 4.1:1 (the gradients page's map, in every
theme). Here each cell's text is black or white, whichever contrasts more with the cell's colour
as plotly paints it (linear in sRGB between the scale's stops), never less than 4.58:1; a cell
left unpainted (z not finite) is judged on the plot's background.

A heat map has one text colour, so the cells of the other ink are written by a second,
transparent heat map over it (OVERLAY), and each keeps the other's cells as blanks of the same
length: plotly sizes the cells' type from their longest text and their spacing, the same in
both. (A colour given inside the text as a <span> would be drawn, but plotly would count the
markup's characters and shrink the type to 2 px.)
"""

import numpy as np
import plotly.colors
import plotly.graph_objects as go

BLACK, WHITE = "#000000", "#FFFFFF"
RGB = {BLACK: (0, 0, 0), WHITE: (255, 255, 255)}  # for a picture drawn with Pillow
# the meta of a heat map that only writes cells: not data, so its text alternative leaves it out
OVERLAY = "decoration"
_CLEAR = [[0.0, "rgba(0,0,0,0)"], [1.0, "rgba(0,0,0,0)"]]


def luminance(rgb) -> np.ndarray:
    """WCAG 2.1's relative luminance of sRGB colours, 0-255 channels along the last axis."""
    channels = np.asarray(rgb, dtype=float) / 255.0
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def ink_on(rgb) -> np.ndarray:
    """Black or white for each colour (0-255 channels along the last axis), whichever has the
    higher contrast ratio with it."""
    lum = luminance(rgb)
    return np.where((lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05), BLACK, WHITE)


def _rgb(colour: str) -> tuple[float, float, float]:
    """A colour as plotly's templates and scales write it ("#rrggbb", "#rgb", "rgb(r, g, b)",
    "rgba(...)", white, black) as 0-255 channels."""
    colour = colour.strip().lower()
    named = {"white": WHITE, "black": BLACK}
    colour = named.get(colour, colour)
    if colour.startswith("#"):
        return plotly.colors.hex_to_rgb(
            colour if len(colour) == 7 else "#" + "".join(c * 2 for c in colour[1:4])
        )
    inside = colour[colour.index("(") + 1 : colour.rindex(")")]
    r, g, b = (float(part) for part in inside.split(",")[:3])
    return r, g, b


def cell_colours(z, colorscale, zmin: float, zmax: float, reverse: bool = False) -> np.ndarray:
    """Each cell's RGB (0-255, shape z.shape + (3,)) as plotly.js paints it; NaN where z is not
    finite (plotly leaves the cell unpainted). colorscale: a plotly.py name or [[position,
    colour], ...]."""
    if isinstance(colorscale, str):
        colorscale = plotly.colors.get_colorscale(colorscale)
    positions = np.array([float(position) for position, _ in colorscale])
    colours = np.array([_rgb(colour) for _, colour in colorscale], dtype=float)
    if reverse:
        positions, colours = 1.0 - positions[::-1], colours[::-1]
    z = np.asarray(z, dtype=float)
    span = zmax - zmin
    with np.errstate(invalid="ignore"):  # NaN cells stay NaN, and are marked below
        where = np.clip((z - zmin) / span if span > 0 else np.full_like(z, 0.5), 0.0, 1.0)
    rgb = np.stack([np.interp(where, positions, colours[:, c]) for c in range(3)], axis=-1)
    rgb[~np.isfinite(z)] = np.nan
    return rgb


def cell_inks(z, colorscale, zmin, zmax, reverse=False, background=WHITE) -> np.ndarray:
    """Each cell's ink: on its own colour, or on `background` where it is unpainted."""
    rgb = cell_colours(np.atleast_2d(z), colorscale, zmin, zmax, reverse)
    painted = ~np.isnan(rgb[..., 0])
    return np.where(
        painted, ink_on(np.where(painted[..., None], rgb, 0.0)), ink_on(_rgb(background))
    )


def ink_cells(fig: go.Figure, background: str = WHITE) -> None:
    """Every heat map of `fig` that writes its `text` in its cells (texttemplate "%{text}") and
    sets no text colour gets each cell's text in the ink that reads on it (see the module's
    text). Such a map must give zmin and zmax, as the app's maps do (their colours mean fixed
    values); background: the plot's, under unpainted cells."""
    for trace in list(fig.data):
        if trace.type != "heatmap" or trace.text is None or trace.texttemplate != "%{text}":
            continue
        if (isinstance(trace.meta, str) and trace.meta == OVERLAY) or trace.textfont.color:
            continue  # written already, or its builder chose
        if trace.zmin is None or trace.zmax is None:
            raise ValueError(f"heat map {trace.name!r} writes its cells but sets no zmin/zmax")
        z = np.atleast_2d(np.asarray(trace.z, dtype=float))
        inks = cell_inks(
            z, trace.colorscale, trace.zmin, trace.zmax, bool(trace.reversescale), background
        )
        texts = [[str(cell) for cell in row] for row in np.atleast_2d(np.asarray(trace.text))]
        kinds, counts = np.unique(inks, return_counts=True)
        main = str(kinds[np.argmax(counts)])
        trace.textfont.color = main
        if len(kinds) == 1:
            continue
        other = WHITE if main == BLACK else BLACK

        def only(ink, texts=texts, inks=inks):
            return [
                [text if inks[r, c] == ink else " " * len(text) for c, text in enumerate(row)]
                for r, row in enumerate(texts)
            ]

        trace.text = only(main)
        if trace.hovertemplate is None and trace.hoverinfo is None:
            trace.hoverinfo = "x+y+z"  # the blanks of the other ink's cells are not worth a line
        fig.add_trace(
            go.Heatmap(
                x=trace.x, y=trace.y, z=z, xaxis=trace.xaxis, yaxis=trace.yaxis,
                zmin=trace.zmin, zmax=trace.zmax, colorscale=_CLEAR, showscale=False,
                xgap=trace.xgap, ygap=trace.ygap, hoverinfo="skip", meta=OVERLAY,
                text=only(other), texttemplate="%{text}",
                textfont={"color": other, "size": trace.textfont.size,
                          "family": trace.textfont.family},
            )
        )  # fmt: skip
