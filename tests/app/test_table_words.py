"""True/false cells read "yes" and "no" in every table (ui.table), never 1/0 or True/False."""

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from viz import navigation
from viz import output_units as output_viz

PAGES = [f"pages/{entry[1]}" for entry in navigation.existing_pages()]
NOT_WORDS = {"True", "False", "true", "false"}


def _table_script(rows: int, presenter: bool):
    import numpy as np
    import pandas as pd
    import streamlit as st

    from viz import ui

    st.session_state["presenter"] = presenter
    flags = [index % 3 == 0 for index in range(rows)]
    ui.table(
        pd.DataFrame(
            {
                "unit": np.arange(rows),
                "dead": flags,  # a bool column
                "mixed": [np.True_ if flag else "n/a" for flag in flags],  # bools among text
                "formatted": flags,
            }
        ),
        key="words",
        lead=["unit", "dead"],
        formats={"formatted": "%.2f"},
    )


@pytest.mark.parametrize(
    ("rows", "presenter", "kind"),
    [(5, False, "table"), (5, True, "table"), (41, False, "dataframe"), (41, True, "table")],
)
def test_true_false_cells_read_yes_and_no(cells, rows, presenter, kind):
    """The HTML table (few rows, or presenter mode) and the data grid (more than
    ui.GRID_ROWS rows) both say yes/no, whether the column is bool, holds NumPy booleans
    among other values, or has a number format."""
    at = AppTest.from_function(_table_script, args=(rows, presenter), default_timeout=30).run()
    assert not at.exception, [e.message for e in at.exception]
    expected = ["yes" if index % 3 == 0 else "no" for index in range(rows)]
    if kind == "table":
        shown = cells(at.table[0])
        assert [row[1] for row in shown] == expected
        assert [row[2] for row in shown] == [w if w == "yes" else "n/a" for w in expected]
        assert [row[3] for row in shown] == expected
        assert [row[0] for row in shown] == [str(index) for index in range(rows)]
    else:
        grid = at.dataframe[0].value
        assert list(grid["dead"]) == expected
        assert list(grid["mixed"]) == [w if w == "yes" else "n/a" for w in expected]
        assert list(grid["formatted"]) == expected


def test_matched_and_mismatched_pairs_say_yes_and_no(open_page, cells):
    """Output units: the pairs table's "matched" column in words, each row as the page's
    registry of pairs says."""
    at = open_page("pages/output_units.py")
    (pairs,) = [t for t in at.table if "matched" in t.value.columns]
    header = list(pairs.value.columns)
    shown = {row[header.index("pair")]: row[header.index("matched")] for row in cells(pairs)}
    assert shown == {
        name: ("yes" if matched else "no") for name, (matched, *_rest) in output_viz.PAIRS.items()
    }
    assert set(shown.values()) == {"yes", "no"}  # both kinds are in the default table


@pytest.mark.parametrize("page", PAGES, ids=[p.removeprefix("pages/") for p in PAGES])
def test_no_table_cell_on_any_page_reads_true_false_or_a_bool_as_a_number(open_page, cells, page):
    at = open_page(page)
    assert not at.exception
    for table in at.table:
        header = list(table.value.columns)
        shown = cells(table)
        for name, column in table.value.items():
            values = [row[header.index(name)] for row in shown]
            assert NOT_WORDS.isdisjoint(values), (page, name, values)
            if (
                pd.api.types.is_bool_dtype(column)
                or column.map(lambda v: isinstance(v, bool | np.bool_)).any()
            ):
                assert set(values) <= {"yes", "no", "–"}, (page, name, values)
    for grid in at.dataframe:
        for name, column in grid.value.items():
            assert not pd.api.types.is_bool_dtype(column), (page, name)
            assert NOT_WORDS.isdisjoint(map(str, column)), (page, name)
