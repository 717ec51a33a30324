"""Small multiples without empty cells: where n panels go in plotly's subplot grid.

make_subplots draws axes (grid lines, a frame) in every cell of its grid, so a grid of 2 x 4 for
five panels showed three empty frames of grid lines. Here the rows are as even as they can be
(five panels at four to a row: two rows of three, not four and one) and a cell left over gets no
axes at all (its spec is None), so it stays blank; `centre_last_row` then moves a shorter last
row to the middle, as a slide would lay it out.
"""

from __future__ import annotations

import math


def shape(n: int, per_row: int) -> tuple[int, int]:
    """(rows, columns) for n panels, at most per_row to a row, in as few rows as that allows
    and the rows as even as they can be (at most rows - 1 cells left over, all in the last)."""
    if n < 1 or per_row < 1:
        raise ValueError(f"need at least one panel and one panel a row, got n={n}, {per_row=}")
    rows = math.ceil(n / per_row)
    return rows, math.ceil(n / rows)


def specs(n: int, rows: int, cols: int, spec: dict | None = None) -> list[list[dict | None]]:
    """make_subplots's `specs` for n panels in reading order: `spec` ({} by default) for each
    panel's cell, None (no axes drawn) for the cells after the last panel."""
    if n > rows * cols:
        raise ValueError(f"{n} panels do not fit {rows} x {cols} cells")
    return [
        [dict(spec or {}) if row * cols + col < n else None for col in range(cols)]
        for row in range(rows)
    ]


def cell(index: int, cols: int) -> tuple[int, int]:
    """The (row, col) of panel `index` (from 0) in reading order, 1-based as make_subplots
    counts them."""
    row, col = divmod(index, cols)
    return row + 1, col + 1


def centre_last_row(fig, n: int, rows: int, cols: int):
    """Move the panels of a last row with cells left over to the middle of the chart: each
    panel's x domain and its subplot title (the first n annotations, as make_subplots wrote
    them) shift right by half the width of the cells left over. Call it right after
    make_subplots, before other annotations are added; traces and shapes follow their axes.
    Returns fig."""
    left = rows * cols - n
    if left <= 0 or rows < 2 or cols < 2:
        return fig
    first_row = [fig.layout[_axis(index)].domain for index in range(cols)]
    pitch = first_row[1][0] - first_row[0][0]  # one cell and its gap
    shift = left * pitch / 2
    annotations = list(fig.layout.annotations)
    for index in range((rows - 1) * cols, n):
        axis = fig.layout[_axis(index)]
        axis.domain = [axis.domain[0] + shift, axis.domain[1] + shift]
        if index < len(annotations):
            annotations[index].x += shift
    return fig


def _axis(index: int) -> str:
    """The x axis of panel `index` (from 0): make_subplots numbers the axes of the cells that
    have them in reading order, and the cells left over come last."""
    return "xaxis" if index == 0 else f"xaxis{index + 1}"
