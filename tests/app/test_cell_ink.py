"""A heat map's numbers read on their own cells: 4.5:1 (WCAG 2.1 SC 1.4.3) in every theme.

plotly.js's own choice (white below a YIQ brightness of 128, #444 above) gave 3.4:1 and 4.1:1 on
the gradients page's mid blues. Contrast here is computed from WCAG's formula written out again,
and the cells' colours with plotly.py's own sampler, not with viz.cell_ink's."""

import re

import numpy as np
import plotly.colors
import pytest

import nncore as nn
from viz import cell_ink, chain_rule, figure_style, gradients, playground_figures
from viz.ui import THEMES


def wcag_contrast(a, b) -> float:
    def lum(rgb):
        def channel(v):
            v /= 255
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b_ = (channel(float(v)) for v in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def plotly_colour(colorscale, where: float):
    """The colour plotly.py's own sampler gives at `where` in [0, 1]."""
    if not isinstance(colorscale, str):
        colorscale = [[float(position), colour] for position, colour in colorscale]
    sampled = plotly.colors.sample_colorscale(colorscale, [where], colortype="tuple")[0]
    return [255 * v for v in sampled]


def hex_rgb(code: str):
    return [int(code[i : i + 2], 16) for i in (1, 3, 5)]


@pytest.mark.parametrize("scale", ["RdBu", "RdBu_r", "Blues", "Viridis", "Greys"])
def test_every_colour_of_a_scale_gets_an_ink_of_at_least_4_5(scale):
    where = np.linspace(0, 1, 201)
    rgb = cell_ink.cell_colours(where, scale, 0.0, 1.0)
    inks = cell_ink.ink_on(rgb)
    for w, colour, ink in zip(where, rgb, inks, strict=True):
        expected = plotly_colour(scale, w)
        assert np.allclose(colour, expected, atol=0.6), (scale, w)
        assert wcag_contrast(hex_rgb(str(ink)), expected) >= 4.5, (scale, w, ink)


def test_the_reviewed_mid_blues_get_black():
    """The two cells the check found: white on (66, 146, 194) is 3.4:1, #444 on (113, 176, 211)
    4.1:1; black reads at 6.2:1 and 9.9:1."""
    assert wcag_contrast([255] * 3, [66, 146, 194]) < 4.5
    assert wcag_contrast([68] * 3, [113, 176, 211]) < 4.5
    assert list(cell_ink.ink_on([[66, 146, 194], [113, 176, 211]])) == ["#000000", "#000000"]


def test_a_reversed_scale_is_read_from_its_other_end():
    low = cell_ink.cell_colours([0.0], "Blues", 0.0, 1.0, reverse=True)[0]
    assert np.allclose(low, plotly_colour("Blues", 1.0))


def styled_cells(fig, background):
    """(text, ink, colour behind it) for every cell of every heat map that writes its cells:
    each cell's text is written by exactly one of the map and its overlay, in that trace's
    colour."""
    out = []
    maps = [t for t in fig.data if t.type == "heatmap" and t.texttemplate == "%{text}"]
    mains = [t for t in maps if t.meta != cell_ink.OVERLAY]
    overlays = [t for t in maps if t.meta == cell_ink.OVERLAY]
    for trace in mains:
        # its overlay, if any: the one over the same axes with the same z
        over = [
            o
            for o in overlays
            if (o.xaxis, o.yaxis) == (trace.xaxis, trace.yaxis)
            and np.array_equal(np.asarray(o.z), np.asarray(trace.z), equal_nan=True)
        ]
        assert len(over) <= 1
        z = np.atleast_2d(np.asarray(trace.z, dtype=float))
        span = trace.zmax - trace.zmin
        for r in range(z.shape[0]):
            for c in range(z.shape[1]):
                written = [
                    (str(t.text[r][c]), t.textfont.color)
                    for t in [trace, *over]
                    if str(t.text[r][c]).strip()
                ]
                assert len(written) == 1, written
                if not np.isfinite(z[r, c]):
                    colour = hex_rgb(background)
                else:
                    where = min(max((z[r, c] - trace.zmin) / span, 0.0), 1.0)
                    if trace.reversescale:
                        where = 1.0 - where
                    colour = plotly_colour(list(trace.colorscale), where)
                out.append((*written[0], colour))
        # a blank keeps its cell's text length (plotly sizes the type by the longest text)
        for t in over:
            for row_main, row_over in zip(trace.text, t.text, strict=True):
                assert [len(a) for a in row_main] == [len(b) for b in row_over]
            assert t.hoverinfo == "skip" and t.showscale is False
    return out


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("presenter", [False, True])
def test_the_gradient_map_reads_in_every_theme(theme, presenter):
    ratios = np.array([[-12.4, -5.0, -2.6, -0.4], [0.2, 1.7, 3.6, np.nan]])
    fig = gradients.phase_figure([1, 2, 3, 4], [0.5, 1.0], ratios)
    fig = figure_style.style(fig, THEMES[theme], presenter)
    background = THEMES[theme]["paper"] if THEMES[theme]["dark"] else "#FFFFFF"
    cells = styled_cells(fig, background)
    # the NaN cell is unpainted: its "–" is judged on the plot's background
    assert [text for text, _, _ in cells] == ["-12", "-5", "-3", "0", "0", "+2", "+4", "–"]
    # both inks are needed here: the dark ends take white, the light middle black
    assert {ink for _, ink, _ in cells} == {cell_ink.BLACK, cell_ink.WHITE}
    for text, ink, colour in cells:
        assert wcag_contrast(hex_rgb(ink), colour) >= 4.5, (text, ink, colour)


def test_the_chain_rule_maps_write_their_numbers_in_readable_ink():
    net = nn.MLP([3, 4, 4, 2], hidden="tanh", output="softmax", seed=2)
    x = np.random.default_rng(0).normal(size=(1, 3))
    chain = net.chain_rule(x, np.array([1]), layer=1)
    _, grads = net.loss_and_grads(x, np.array([1]))
    fig = chain_rule.chain_figure(chain, grads[0][0])
    fig = figure_style.style(fig, THEMES["Dark room"], False)
    cells = styled_cells(fig, THEMES["Dark room"]["paper"])
    assert len(cells) > 20
    for text, ink, colour in cells:
        assert wcag_contrast(hex_rgb(ink), colour) >= 4.5, (text, ink, colour)
    # the numbers are the maps' own values: two decimals, the difference map in one digit
    first = fig.data[0]
    for value, cell in zip(np.ravel(first.z), np.ravel(first.text), strict=True):
        if cell.strip():
            assert float(cell) == pytest.approx(value, abs=0.005 + 1e-12)
    difference = [t for t in fig.data if t.meta != cell_ink.OVERLAY][-1]
    for value, cell in zip(np.ravel(difference.z), np.ravel(difference.text), strict=True):
        if cell.strip():
            assert re.fullmatch(r"-?\de[+-][1-9]\d*|-?\de\+0", cell), cell
            assert float(cell) == pytest.approx(value, rel=0.5, abs=1e-300)


def test_the_digits_confusion_matrix_reads_on_its_blues():
    probabilities = np.eye(4)[[0, 1, 2, 3, 0, 1, 2, 3]] * 0.6 + 0.1
    y = np.array([0, 1, 2, 3, 1, 2, 3, 0])
    fig = playground_figures.soft_confusion_figure(probabilities, y, 4, validate=True)
    fig = figure_style.style(fig, THEMES["Projector (high contrast)"], True)
    cells = styled_cells(fig, "#FFFFFF")
    assert len(cells) == 16
    for text, ink, colour in cells:
        assert wcag_contrast(hex_rgb(ink), colour) >= 4.5, (text, ink, colour)
