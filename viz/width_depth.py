"""Choosing width: bottlenecks on a 2-D target, width first against width last on a 1-D target.

Every fit is ``nncore.approximation.fit_architecture`` (ReLU by default, Adam lr 0.01, batch 32)
run for several seeds, on the target put on a standard scale and its scale folded back into the
output layer (so the comparison does not depend on the target's units); the page shows medians
and ranges, since one seed can land on a dead unit. Test errors are measured on noiseless evenly
spaced grids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nncore.approximation import fit_architecture, input_directions
from nncore.datasets import regression_target
from viz import margins, palette, panel_grid
from viz.approximation import usable_target
from viz.chart_text import magnitude
from viz.symbols import sup
from viz.widths import split_widths

MAX_NETWORKS = 6
MAX_WIDTH = 128
MAX_HIDDEN_LAYERS = 8
GRID_2D = 61  # test grid per axis on [-1, 1]^2
GRID_1D = 401
DIRECTION_RTOL = 1e-9  # singular values below this fraction of the largest are rounding


def parse_width_lists(text: str, n_in: int) -> list[list[int]]:
    """ "2,1,64,1; 2,64,1" -> [[2, 1, 64, 1], [2, 64, 1]]; each list starts with n_in, ends with 1.

    Networks are separated by ';' (or new lines); widths by ',' or spaces.
    """
    chunks = [c for c in str(text).replace("\n", ";").split(";") if c.strip()]
    if not chunks:
        raise ValueError(f"give at least one width list such as '{n_in}, 8, 1'")
    if len(chunks) > MAX_NETWORKS:
        raise ValueError(f"at most {MAX_NETWORKS} networks at once, got {len(chunks)}")
    networks = []
    for chunk in chunks:
        sizes = split_widths(chunk, example=f"{n_in}, 8, 1")
        if len(sizes) < 3:
            raise ValueError(
                f"{sizes} has no hidden layer; write n₀, n₁, …, 1 such as '{n_in}, 8, 1'"
            )
        if sizes[0] != n_in or sizes[-1] != 1:
            raise ValueError(
                f"{sizes} must start with the input width {n_in} and end with the output 1"
            )
        if any(w < 1 or w > MAX_WIDTH for w in sizes):
            raise ValueError(f"every width must be between 1 and {MAX_WIDTH}, got {sizes}")
        if len(sizes) - 2 > MAX_HIDDEN_LAYERS:
            raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers here, got {sizes}")
        networks.append(sizes)
    return networks


def label(sizes) -> str:
    return "[" + ", ".join(str(w) for w in sizes) + "]"


@dataclass
class SeededFits:
    """One architecture fitted with several seeds.

    test_mse: (n_seeds,) on the noiseless grid; directions: (n_seeds,) how many input directions
    the trained network varies along (singular values of dh^k/dx above rounding); grid_values:
    the fitted function on the grid for the median seed; pieces: (n_seeds,) exact linear pieces
    (1-D piecewise-linear networks) or None.
    """

    sizes: list
    n_params: int
    seeds: list
    test_mse: np.ndarray
    directions: np.ndarray
    grid_values: np.ndarray
    pieces: np.ndarray | None

    @property
    def median(self) -> float:
        return float(np.median(self.test_mse))

    @property
    def median_seed_index(self) -> int:
        order = np.argsort(self.test_mse)
        return int(order[(len(order) - 1) // 2])


def grid_2d(n: int = GRID_2D) -> tuple[np.ndarray, np.ndarray]:
    """Axis (n,) on [-1, 1] and all grid points (n * n, 2), x1 varying fastest."""
    axis = np.linspace(-1.0, 1.0, n)
    x1, x2 = np.meshgrid(axis, axis)
    return axis, np.column_stack([x1.ravel(), x2.ravel()])


def grid_points(n_in: int) -> np.ndarray:
    if n_in == 2:
        return grid_2d()[1]
    return np.linspace(-1.0, 1.0, GRID_1D)[:, None]


def target_values(target: str, n_in: int) -> np.ndarray:
    """f on the test grid, (n_grid,); ValueError when not finite."""
    values = np.asarray(regression_target(target, n_in)(grid_points(n_in)), float).reshape(-1)
    return usable_target(values, target, f"[-1, 1]{sup(n_in)}")


def fit_one(sizes, target, hidden, epochs, seed, n_train):
    """One trained network: (test MSE on the grid, input directions, grid values, pieces)."""
    n_in = sizes[0]
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        result = fit_architecture(
            list(sizes),
            target,
            hidden=hidden,
            n_train=n_train,
            epochs=epochs,
            seed=seed,
            keep_net=True,
            standardize=True,
        )
        net = result["net"]
        points = grid_points(n_in)
        values = net.forward(points)[:, 0]
    error = float(np.mean((values - target_values(target, n_in)) ** 2))
    if not np.isfinite(error):
        error = float("nan")
    singular = input_directions(net, points)
    directions = int(np.sum(singular > DIRECTION_RTOL * max(float(singular[0]), 1e-300)))
    return error, directions, values, result["pieces"]


def summary_table(fits: list[SeededFits], floor: float | None = None) -> pd.DataFrame:
    """One row per network: the lecture's numbers first (test MSE median and range)."""
    rows = []
    for fitted in fits:
        narrowest = min(fitted.sizes[1:-1])
        row = {
            "network": label(fitted.sizes),
            "test MSE (median)": fitted.median,
            "best seed": float(np.nanmin(fitted.test_mse)),
            "worst seed": float(np.nanmax(fitted.test_mse)),
            "parameters": fitted.n_params,
            "narrowest hidden": narrowest,
        }
        if fitted.sizes[0] > 1:  # with one input there is only one direction to use
            row["input directions used"] = int(np.median(fitted.directions))
        if fitted.pieces is not None:
            row["linear pieces (median)"] = int(np.median(fitted.pieces))
        if floor is not None:
            row["lowest error possible"] = magnitude(floor) if narrowest == 1 else "–"
        rows.append(row)
    return pd.DataFrame(rows)


MAP_CHROME_PX = 220  # a chart of heat maps: its side margins and the colour bar
MAP_TITLE_PX = 60  # a map's title of two lines above it, and the gap to the next row


def surfaces_figure(
    axis: np.ndarray,
    target: np.ndarray,
    fits: list[SeededFits],
    per_row: int = 4,
    width_px: float = margins.MAIN_WIDTH,
) -> go.Figure:
    """The target and each network's fit (median seed) as heat maps on one colour scale, at
    most per_row panels to a row (fewer in presenter mode, where the column is narrow), the
    rows as even as they can be and no cell without a map (viz.panel_grid). Each map is square:
    its panel shrinks to it (constrain="domain") instead of framing empty grid above and below,
    and each row is about as tall as a map in a chart `width_px` wide, plus its title."""
    panels = [("target f", target)] + [
        (f"{label(f.sizes)}: {f.test_mse[f.median_seed_index]:.1e}", f.grid_values) for f in fits
    ]
    n = len(axis)
    scale = max(float(np.nanmax(np.abs(values))) for _, values in panels) or 1.0
    rows, cols = panel_grid.shape(len(panels), per_row)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        specs=panel_grid.specs(len(panels), rows, cols),
        subplot_titles=[title for title, _ in panels],
        horizontal_spacing=0.04,
        vertical_spacing=0.12,
    )
    panel_grid.centre_last_row(fig, len(panels), rows, cols)
    for index, (_, values) in enumerate(panels):
        row, col = panel_grid.cell(index, cols)
        fig.add_trace(
            go.Heatmap(
                x=axis,
                y=axis,
                z=np.asarray(values).reshape(n, n),
                zmin=-scale,
                zmax=scale,
                zmid=0.0,
                colorscale="RdBu",
                reversescale=True,
                showscale=index == 0,
                hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}: %{z:.3f}<extra></extra>",
            ),
            row=row,
            col=col,
        )
        subplot = fig.get_subplot(row, col)
        x_name = subplot.xaxis.plotly_name.replace("axis", "")  # "x", "x2", ...
        # square, right under its title
        subplot.yaxis.update(
            scaleanchor=x_name, scaleratio=1, constrain="domain", constraintoward="top"
        )
        subplot.xaxis.update(constrain="domain")
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False)
    # the plot is the chart less its side margins and colour bar, shared by the row's maps
    side = (width_px - MAP_CHROME_PX) / cols
    fig.update_layout(
        title="Target and fits (median seed)",
        height=round(rows * (min(max(side, 120), 320) + MAP_TITLE_PX) + 90),
        margin={"t": 90},
    )
    return fig


def errors_strip_figure(fits: list[SeededFits], colours=None) -> go.Figure:
    """Test MSE of every seed (open circles) and the median (bar) per network, log scale; one row
    per network, the first on top, so the networks' labels stay level however narrow the chart
    (as columns, presenter type at 1024 px turned them on their side).

    colours: the theme's palette in order (default viz.palette.LIGHT): bars in its purple
    (a light fill with a solid outline, so the seeds read on top), seeds in its first colour."""
    colours = list(colours or palette.LIGHT)
    fig = go.Figure()
    labels = [f"{label(f.sizes)} ({f.n_params} p.)" for f in fits]
    fig.add_trace(
        go.Bar(
            y=labels,
            x=[f.median for f in fits],
            orientation="h",
            name="median",
            marker={
                "color": colours[3],
                "opacity": 0.45,
                "line": {"color": colours[3], "width": 2},
            },
        )
    )
    for index, fitted in enumerate(fits):
        fig.add_trace(
            go.Scatter(
                y=[labels[index]] * len(fitted.seeds),
                x=fitted.test_mse,
                mode="markers",
                marker={
                    "color": colours[0],
                    "size": 11,
                    "symbol": "circle-open",
                    "line": {"width": 2},
                },
                name="one seed",
                showlegend=index == 0,
                text=[f"seed {s}" for s in fitted.seeds],
                hovertemplate="%{text}: %{x:.2e}<extra></extra>",
            )
        )
    fig.update_layout(
        title="Test MSE: each seed, the median",
        xaxis={"type": "log", "title": "test MSE", "exponentformat": "power"},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "y": -0.3},
        height=200 + 60 * len(fits),
    )
    return fig
