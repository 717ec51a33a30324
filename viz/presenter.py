"""Layout that adapts to presenter mode, for the lecture pages of width, depth and the chain rule.

In presenter mode (large type, a projector at 1024 x 768) two charts side by side leave each
too narrow for its title and legend, and the data grid hides columns off its right edge. So:

- ``columns(spec)``: st.columns normally; in presenter mode one full-width container per
  column, stacked;
- ``table(data, key, formats, presenter_columns)``: st.dataframe normally (number formats as
  printf strings); in presenter mode an HTML table (st.table) of the columns that carry the
  lecture's point, numbers formatted the same way, which wraps instead of scrolling sideways.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from viz import ui


def columns(spec):
    """st.columns(spec), or stacked full-width containers in presenter mode."""
    if ui.is_presenter():
        count = spec if isinstance(spec, int) else len(spec)
        return [st.container() for _ in range(count)]
    return st.columns(spec)


def table(
    data: pd.DataFrame,
    key: str,
    formats: dict[str, str] | None = None,
    presenter_columns: Sequence[str] | None = None,
) -> None:
    """A results table; formats maps a column to a printf format such as "%.2e"."""
    formats = dict(formats or {})
    if ui.is_presenter():
        shown = data[list(presenter_columns)] if presenter_columns else data
        text = shown.copy()
        for name, spec in formats.items():
            if name in text.columns:
                text[name] = [
                    "–" if value is None or (isinstance(value, float) and value != value)
                    else spec % value
                    for value in shown[name]
                ]  # fmt: skip
        st.table(text.style.hide(axis="index"))
        return
    config = {name: st.column_config.NumberColumn(format=spec) for name, spec in formats.items()}
    st.dataframe(data, key=key, hide_index=True, width="stretch", column_config=config)
