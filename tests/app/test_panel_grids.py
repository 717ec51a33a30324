"""Charts of several panels have no empty cells: no axes without a trace (make_subplots draws a
frame of grid lines in every cell of its grid), and no square map framed by empty grid (a panel
whose axes keep the map square by widening a range instead of shrinking the panel)."""

import json

import numpy as np
import pytest
import streamlit as st
from hypothesis import given
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from viz import navigation, panel_grid
from viz import width_depth as width_depth_viz

PAGES = [entry[1] for entry in navigation.existing_pages()]
MAPS = {"heatmap", "contour", "image", "heatmapgl"}


@given(n=hs.integers(1, 40), per_row=hs.integers(1, 8))
def test_panel_grid_shape_fills_its_rows(n, per_row):
    """As few rows as per_row allows, no row wider than per_row, and fewer cells left over than
    there are rows (so never a whole empty row or column)."""
    rows, cols = panel_grid.shape(n, per_row)
    assert rows == -(-n // per_row) and cols <= per_row
    assert 0 <= rows * cols - n < rows
    specs = panel_grid.specs(n, rows, cols)
    flat = [spec for row in specs for spec in row]
    assert flat == [{}] * n + [None] * (rows * cols - n)
    assert [panel_grid.cell(i, cols) for i in range(n)] == [
        (r + 1, c + 1) for r in range(rows) for c in range(cols)
    ][:n]


@pytest.mark.parametrize(
    ("n", "per_row", "rows", "cols"), [(5, 4, 2, 3), (4, 4, 1, 4), (3, 2, 2, 2)]
)
def test_panel_grid_examples(n, per_row, rows, cols):
    assert panel_grid.shape(n, per_row) == (rows, cols)


@pytest.mark.parametrize(("n", "per_row"), [(5, 3), (7, 4), (3, 2), (5, 4), (6, 4)])
def test_a_shorter_last_row_stands_in_the_middle(n, per_row):
    """Its panels keep their widths and gaps and sit as far from the left edge as from the
    right (make_subplots's full rows span [0, 1]); each title stays over its panel; full rows
    do not move."""
    from plotly.subplots import make_subplots

    rows, cols = panel_grid.shape(n, per_row)
    specs = panel_grid.specs(n, rows, cols)
    plain = make_subplots(rows=rows, cols=cols, specs=specs, subplot_titles=list("abcdefg")[:n])
    fig = make_subplots(rows=rows, cols=cols, specs=specs, subplot_titles=list("abcdefg")[:n])
    panel_grid.centre_last_row(fig, n, rows, cols)
    name = lambda index: "xaxis" if index == 0 else f"xaxis{index + 1}"  # noqa: E731
    last = range((rows - 1) * cols, n)
    for index in range(n):
        before, after = plain.layout[name(index)].domain, fig.layout[name(index)].domain
        assert after[1] - after[0] == pytest.approx(before[1] - before[0])
        if index not in last or n == rows * cols:
            assert after == before
        title = fig.layout.annotations[index]
        assert title.x == pytest.approx((after[0] + after[1]) / 2)
    left = fig.layout[name(last[0])].domain[0]
    right = fig.layout[name(last[-1])].domain[1]
    assert left == pytest.approx(1 - right, abs=1e-12)


def _axis_problems(spec: dict) -> list[str]:
    """Axes that frame nothing: an axis no trace is drawn on, and a map's axes that keep it
    square by widening a range (their panel shows grid around the map)."""
    layout, data = spec.get("layout", {}), spec.get("data", [])
    used = {trace.get("xaxis", "x") for trace in data} | {trace.get("yaxis", "y") for trace in data}
    problems = []
    for name, axis in layout.items():
        if not name.startswith(("xaxis", "yaxis")) or not isinstance(axis, dict):
            continue
        ref = name[0] + name[5:]  # "xaxis3" -> "x3"
        if ref not in used:
            problems.append(f"{name}: no trace")
    for trace in data:
        if trace.get("type") not in MAPS:
            continue
        x_name = "xaxis" + trace.get("xaxis", "x")[1:]
        y_name = "yaxis" + trace.get("yaxis", "y")[1:]
        x_axis, y_axis = layout.get(x_name, {}), layout.get(y_name, {})
        if x_axis.get("scaleanchor") or y_axis.get("scaleanchor"):
            for axis_name, axis in ((x_name, x_axis), (y_name, y_axis)):
                if axis.get("constrain") != "domain":
                    problems.append(f"{axis_name}: a square map's axis widens its range")
    return problems


def test_the_check_finds_an_empty_cell_and_a_framed_map():
    """The check itself, on make_subplots's defaults: a 2 x 2 grid with three traces has one
    empty cell; a square map made with scaleanchor alone is framed by grid."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=2)
    for index in range(3):
        fig.add_heatmap(z=[[0, 1], [1, 0]], row=index // 2 + 1, col=index % 2 + 1)
    fig.update_yaxes(scaleanchor="x")
    problems = _axis_problems(json.loads(fig.to_json()))
    assert "xaxis4: no trace" in problems and "yaxis4: no trace" in problems
    assert "yaxis: a square map's axis widens its range" in problems


@pytest.mark.parametrize("n_fits", range(1, 7))
@pytest.mark.parametrize("per_row", [2, 4])
def test_bottleneck_maps_fill_their_grid(n_fits, per_row):
    """The width/depth page's maps: one panel per map whatever their count, each square in its
    own panel (its y axis anchored to its own x axis), titled in order."""
    axis = np.linspace(-1, 1, 5)
    target = np.zeros(25)
    fits = [
        width_depth_viz.SeededFits(
            sizes=[2, width, 1],
            n_params=4 * width + 1,
            seeds=[0],
            test_mse=np.array([0.1 * width]),
            directions=np.array([2]),
            grid_values=np.full(25, float(width)),
            pieces=None,
        )
        for width in range(1, n_fits + 1)
    ]
    spec = json.loads(width_depth_viz.surfaces_figure(axis, target, fits, per_row).to_json())
    assert _axis_problems(spec) == []
    layout = spec["layout"]
    x_axes = sorted(name for name in layout if name.startswith("xaxis"))
    assert len(x_axes) == len(spec["data"]) == n_fits + 1
    for trace in spec["data"]:
        y_axis = layout["yaxis" + trace.get("yaxis", "y")[1:]]
        assert y_axis["scaleanchor"] == trace.get("xaxis", "x")
    titles = [annotation["text"] for annotation in layout["annotations"]]
    assert titles[0] == "target f" and len(titles) == n_fits + 1
    assert titles[-1].startswith(f"[2, {n_fits}, 1]")


def _every_chart() -> list[tuple[str, dict]]:
    """(where, plotly spec) of every chart of every page, in each of its section tabs."""
    tab_sets: list[tuple[str, list[str]]] = []
    original_tabs = st.tabs

    def spy_tabs(labels, *args, key=None, **kwargs):
        if key:
            tab_sets.append((key, list(labels)))
        return original_tabs(labels, *args, key=key, **kwargs)

    def charts(page: str, params: dict[str, str]) -> list[dict]:
        at = AppTest.from_file(str(navigation.APP_DIR / "app.py"), default_timeout=300)
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        if page != "home.py":
            at.switch_page(f"pages/{page}").run()
        assert not at.exception, (page, params, [e.message for e in at.exception])
        return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]

    found = []
    st.tabs = spy_tabs
    try:
        for page in PAGES:
            tab_sets.clear()
            found += [(page, spec) for spec in charts(page, {})]
            for key, labels in list(tab_sets):
                for label in labels[1:]:
                    found += [(f"{page} [{label}]", s) for s in charts(page, {key: label})]
    finally:
        st.tabs = original_tabs
    return found


@pytest.mark.slow
def test_no_chart_on_any_page_has_an_empty_panel():
    """Every chart of every page and tab at default settings (the chain rule's two rows of maps
    had an empty fifth cell; the width/depth page's and the hyperplane's maps were framed by
    empty grid)."""
    found = _every_chart()
    assert len(found) >= len(PAGES)
    problems = {}
    for where, spec in found:
        title = spec.get("layout", {}).get("title", {})
        title = title.get("text", "") if isinstance(title, dict) else str(title or "")
        if issues := _axis_problems(spec):
            problems[f"{where}: {title[:40]}"] = issues
    assert problems == {}
