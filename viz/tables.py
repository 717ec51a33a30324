"""A results table with number formats, its lecture columns first (for the approximation and the
width-and-depth pages).

Normally: ui.table (the lead columns first and pinned, so they stay on screen however far the
table scrolls sideways), numbers in printf formats such as "%.2e". In presenter mode: only the
lead columns, formatted the same way, as ui.table's wrapping HTML table in large type (the data
grid's canvas hides columns off the right edge of a projector).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from viz import ui

MISSING = "–"  # None / NaN in a formatted column (an en dash: a hyphen would read as a minus)


def formatted_text(values: pd.Series, spec: str) -> list[str]:
    """Each value as `spec % value`; None and NaN as MISSING."""
    return [
        MISSING if value is None or (isinstance(value, float) and value != value) else spec % value
        for value in values
    ]


def show(
    data: pd.DataFrame,
    key: str,
    lead: Sequence[str],
    formats: Mapping[str, str] | None = None,
) -> None:
    """Draw `data` with the columns in `lead` first; formats: column -> printf format.

    A lead column that `data` lacks is left out (some columns exist only for some settings,
    e.g. linear pieces only for piecewise-linear units); at least one must be present.
    """
    formats = dict(formats or {})
    lead = [name for name in lead if name in data.columns]
    if not lead:
        raise ValueError(f"table {key!r} has none of its lead columns; it has {list(data.columns)}")
    if ui.is_presenter():
        shown = data[lead].copy()
        for name, spec in formats.items():
            if name in shown.columns:
                shown[name] = formatted_text(shown[name], spec)
        ui.table(shown, key, lead=lead)
        return
    config = {  # a formatted lead column stays pinned (ui.table's own config is replaced)
        name: st.column_config.NumberColumn(format=spec, pinned=name in lead)
        for name, spec in formats.items()
        if name in data.columns
    }
    ui.table(data, key, lead=lead, column_config=config)
