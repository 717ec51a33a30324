"""Columns for a row of metrics or controls that stay readable in presenter mode.

In presenter mode (large type, a projector at 1024 x 768) four metrics side by side shrink their
labels and values to a quarter of the column (the metric CSS scales them with the column), and
four controls truncate their buttons and chips. `cells(spec)` gives one cell per column of
`spec`: one row of st.columns normally; rows of at most PER_ROW columns in presenter mode, in
the spec's proportions (`per_row=1`: charts or panels stacked full width, where two side by
side would leave each too narrow for its title and legend).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from viz import margins, ui

PER_ROW = 2  # cells per row in presenter mode


def cells(
    spec: int | Sequence[float], per_row: int = PER_ROW, vertical_alignment: str = "top"
) -> list:
    """Containers in reading order: st.columns(spec) normally (a count or relative widths);
    in presenter mode rows of at most `per_row` equal columns. Inside a cell (`with cell:`),
    charts know their share of the width (viz.margins reserves their legend's rows).
    vertical_alignment: as st.columns's ("bottom" lines a button up with the fields beside it)."""
    count = spec if isinstance(spec, int) else len(spec)
    if count < 1:
        raise ValueError(f"need at least one cell, got {spec!r}")
    if not ui.is_presenter() or count <= per_row:
        weights = [1.0] * count if isinstance(spec, int) else [float(w) for w in spec]
        shares = [weight / sum(weights) for weight in weights]
        columns = st.columns(spec, vertical_alignment=vertical_alignment)
        return [Cell(c, share) for c, share in zip(columns, shares, strict=True)]
    # rows of per_row cells keep the spec's proportions (a select box of "file.py: function"
    # names was cut at half a row at 1024 px); a last, shorter row is filled out with cells of
    # the row's mean weight left empty, so its cells keep the width they would have in a row
    weights = [1.0] * count if isinstance(spec, int) else [float(w) for w in spec]
    found = []
    for start in range(0, count, per_row):
        row = weights[start : start + per_row]
        padded = row + [sum(row) / len(row)] * (per_row - len(row))
        columns = st.columns(padded, vertical_alignment=vertical_alignment)
        found += [Cell(c, w / sum(padded)) for c, w in zip(columns, row, strict=False)]
    return found


class Cell:
    """A column (st.columns) that tells the charts drawn in it their share of the width."""

    def __init__(self, container, share: float):
        self._container = container
        self.share = share
        self._scopes: list = []

    def __enter__(self):
        scope = margins.in_column(self.share)
        scope.__enter__()
        self._scopes.append(scope)
        return self._container.__enter__()

    def __exit__(self, *exc_info):
        try:
            return self._container.__exit__(*exc_info)
        finally:
            self._scopes.pop().__exit__(None, None, None)

    def __getattr__(self, name: str):
        return getattr(self._container, name)


LEGEND_LINE_PX = 36  # one legend entry in presenter type (22 px font), stacked below the plot


def legend_room(fig, base: int = 420):
    """In presenter mode, make a figure tall enough for its legend: viz.ui moves the legend
    below the plot, one entry per line, and plotly takes that room from the plot area (six
    entries left a 450 px chart an 80 px plot). Normal mode: the figure is left as it is."""
    if not ui.is_presenter():
        return fig
    entries = sum(
        1 for trace in fig.data if trace.name and trace.showlegend is not False
    )  # fmt: skip
    fig.update_layout(height=max(fig.layout.height or 0, base + LEGEND_LINE_PX * entries))
    return fig


def vline_shape(fig, x: float, row: int, col: int, line: dict) -> dict:
    """The vertical line plotly's `fig.add_vline(x, row=row, col=col)` draws, as a layout shape
    to pass in `fig.update_layout(shapes=[...])`: add_vline on a figure with subplots walks every
    axis and shape of the figure, 5 to 10 ms a call, several calls a rerun."""
    subplot = fig.get_subplot(row, col)
    x_ref = subplot.xaxis.plotly_name.replace("axis", "")
    y_ref = subplot.yaxis.plotly_name.replace("axis", "")
    return {"type": "line", "x0": x, "x1": x, "xref": x_ref,
            "y0": 0, "y1": 1, "yref": f"{y_ref} domain", "line": line}  # fmt: skip
