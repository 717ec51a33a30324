"""Small multiples without empty cells: where n panels go in plotly's subplot grid.

make_subplots draws axes (grid lines, a frame) in every cell of its grid, so a grid of 2 x 4 for
five panels showed three empty frames of grid lines. Here the rows are as even as they can be
(five panels at four to a row: two rows of three, not four and one) and a cell left over gets no
axes at all (its spec is None), so it stays blank.
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
