"""Universal approximation, width against depth: fits from nncore and their figures.

The constructions drawn by hand (sawtooth, bumps, the narrow deep net) are in viz.constructions.

A network with one input, h^k(x) = f(x, theta), is fitted to a target on [lo, hi]. With ReLU (or
|x|, identity) hidden units h^k is piecewise linear; nncore counts its pieces exactly from the
weights (``nncore.regions.linear_pieces``), so the figures can mark every breakpoint.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

import nncore as nn
from nncore.approximation import random_biases, train_standardized
from nncore.datasets import make_regression, regression_target
from nncore.regions import PIECEWISE_LINEAR_SLOPES, linear_pieces
from viz import palette

GRID_POINTS = 401
# Colours come from the theme's palette (viz.palette, passed in by the page; the light one by
# default). The target is drawn in the text colour (black, or the Dark room's light ink) and the
# training points in the palette's grey (its last colour), so the networks' lines use the other
# six colours. One (colour, dash) pair per network: 6 colours and 5 dashes cycle with coprime
# periods, so the first 30 networks all look different.
TARGET_COLOUR = "black"  # viz.ui draws it in the Dark room's text colour
LINE_DASHES = ["solid", "dash", "dot", "dashdot", "longdash"]
MARKERS = ["circle", "square", "diamond", "triangle-up", "x", "star", "hexagon", "cross"]
MARK_BREAKPOINTS_UP_TO = 4  # more networks' ticks turn the chart into a smear


def line_colours(colours=None) -> list[str]:
    """The theme's palette without its ink (black / the Dark room's white) and grey."""
    colours = list(colours or palette.LIGHT)
    ink = {"#000000", "#F2F2F2"}
    return [c for c in colours[:-1] if c.upper() not in ink]


def data_colour(colours=None) -> str:
    """The training points' colour: the palette's grey (at least 3:1 on its background)."""
    return list(colours or palette.LIGHT)[-1]


def line_style(index: int, colours=None) -> dict:
    """The colour and dash of network number index (0-based) in every figure of the page.

    colours: the theme's palette in order (default viz.palette.LIGHT)."""
    lines = line_colours(colours)
    return {"color": lines[index % len(lines)], "dash": LINE_DASHES[index % len(LINE_DASHES)]}


@dataclass
class Fit:
    """One trained network on a 1-D target.

    sizes: [1, n_1, ..., 1]; y_grid: h^k on the evaluation grid (GRID_POINTS,); train_mse,
    test_mse: mean squared errors (training points; noiseless grid); pieces: exact number of
    linear pieces on [lo, hi] (None for smooth hidden units); breakpoints: their interior
    boundaries (p - 1,); seconds: training time; diverged: the run was stopped.
    """

    sizes: list
    n_params: int
    y_grid: np.ndarray
    train_mse: float
    test_mse: float
    pieces: int | None
    breakpoints: np.ndarray
    seconds: float
    diverged: bool

    @property
    def short_label(self) -> str:
        """'3 × 10' for equal hidden widths, else the whole width list '[1, 32, 2, 1]'."""
        hidden = self.sizes[1:-1]
        if len(set(hidden)) == 1:
            return f"{len(hidden)} × {hidden[0]}"
        return "[" + ", ".join(str(w) for w in self.sizes) + "]"

    @property
    def label(self) -> str:
        return f"{self.short_label} ({self.n_params} params)"


def target_trace(x, y_true, **kwargs) -> go.Scatter:
    """The target f(x) as every chart of the section draws it: a thick line in TARGET_COLOUR."""
    return go.Scatter(
        x=x, y=y_true, mode="lines", line={"color": TARGET_COLOUR, "width": 3},
        name="target f(x)", **kwargs,
    )  # fmt: skip


def target_on_grid(target: str, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """x (GRID_POINTS,) evenly spaced on [lo, hi] and the target f(x) (GRID_POINTS,)."""
    x = np.linspace(lo, hi, GRID_POINTS)
    y = np.asarray(regression_target(target, 1)(x[:, None]), dtype=np.float64).reshape(-1)
    return x, usable_target(y, target, f"[{lo}, {hi}]")


def usable_target(values: np.ndarray, target: str, domain: str) -> np.ndarray:
    """values, the target f on a test grid (n,), when every error against it can be measured.

    A ValueError names the problem otherwise: a value that is not finite, values so large that
    the mean squared error of a prediction within their range, (2 max|f|)^2 summed over the n
    points, overflows float64 (f = 1e300 x^2: every network's error would read inf or nan), or
    a spread max f - min f so small that its square underflows (f = 1e-300 x: every error would
    read 0).
    """
    values = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"the target {target!r} is not finite everywhere on {domain}")
    largest = largest_target(values.size)
    reached = float(np.max(np.abs(values)))
    if reached > largest:
        raise ValueError(
            f"the target {target!r} reaches {reached:.3g} on {domain}: {OVERFLOWS}; scale it to "
            f"at most {largest:.3g}"
        )
    spread = float(np.max(values) - np.min(values))
    if 0 < spread < SMALLEST_SPREAD:
        raise ValueError(
            f"the target {target!r} varies by only {spread:.3g} on {domain}: its variance and "
            f"every error of a network's fit would underflow float64 (smallest normal "
            f"{np.finfo(np.float64).tiny:.3g}) to 0, so no error could be measured; scale it to "
            f"vary by at least {SMALLEST_SPREAD:.3g}"
        )
    return values


# A target that varies by less has a variance (and errors) below float64's smallest normal
# number: the square of a spread s is at most s^2 < tiny.
SMALLEST_SPREAD = float(np.sqrt(np.finfo(np.float64).tiny))


OVERFLOWS = (
    f"the squared errors of a network's fit would overflow float64 (largest "
    f"{np.finfo(np.float64).max:.3g}), so no error could be measured"
)


def largest_target(n: int) -> float:
    """The largest |y| whose errors can be measured over n targets: a prediction within +-max|y|
    errs by at most (2 max|y|)^2 per point, and their sum over n points stays finite in float64
    while max|y| <= sqrt(float64 max / n) / 2."""
    return float(np.sqrt(np.finfo(np.float64).max / max(int(n), 1)) / 2)


def fit_network(
    sizes,
    target,
    hidden="relu",
    epochs=300,
    lr=0.01,
    n_train=256,
    noise=0.0,
    lo=-1.0,
    hi=1.0,
    seed=0,
) -> Fit:
    """Train [1, ..., 1] with Adam (batch 32) on ``make_regression(target, n_train, noise)``.

    Biases start uniform in +-1/sqrt(fan_in) (with zero biases every first-layer kink would sit
    at x = 0). The network trains on the targets on a standard scale and takes their scale back
    afterwards (nncore.approximation.fit_architecture's standardize), so a target's scale, 1e-6
    or 1e6, changes the errors by its square and nothing else. Returns a Fit with the curve on
    the grid and the exact piece count.
    """
    x_train, y_train = make_regression(target, n_train, noise, seed, dim=1, lo=lo, hi=hi)
    x_grid, y_true = target_on_grid(target, lo, hi)
    net = nn.MLP(list(sizes), hidden=hidden, output="identity", seed=seed)
    random_biases(net, seed=seed + 10_000)
    started = time.perf_counter()
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        # nn.fit's run, bit for bit, in fewer NumPy calls (nncore.fused): these pages train
        # a dozen small networks while the student waits
        history = train_standardized(
            net, x_train, y_train, optimizer="adam", lr=lr, epochs=epochs, batch_size=32, seed=seed
        )
        y_grid = net.forward(x_grid[:, None])[:, 0]
    seconds = time.perf_counter() - started
    pieces, breakpoints = None, np.array([])
    if all(name in PIECEWISE_LINEAR_SLOPES for name in net.hidden) and not history.diverged:
        found = linear_pieces(net, lo, hi)
        pieces, breakpoints = found.count, found.breakpoints[1:-1]
    return Fit(
        sizes=list(sizes),
        n_params=net.n_params,
        y_grid=y_grid,
        train_mse=float(net.loss(x_train, y_train)) if not history.diverged else float("nan"),
        test_mse=float(np.mean((y_grid - y_true) ** 2)) if not history.diverged else float("nan"),
        pieces=pieces,
        breakpoints=breakpoints,
        seconds=seconds,
        diverged=bool(history.diverged),
    )


def fits_figure(
    x: np.ndarray,
    y_true: np.ndarray,
    fits: list[Fit],
    x_train=None,
    y_train=None,
    mark_breakpoints: bool = True,
    colours=None,
) -> go.Figure:
    """The target (black), the training points (grey) and every fitted network, each with its
    own colour and dash (``line_style``; colours: the theme's palette).

    Breakpoints of piecewise-linear fits are marked as small ticks on their curves when there
    are at most MARK_BREAKPOINTS_UP_TO networks.
    """
    mark_breakpoints = mark_breakpoints and len(fits) <= MARK_BREAKPOINTS_UP_TO
    fig = go.Figure()
    if x_train is not None:
        fig.add_trace(
            go.Scatter(
                x=np.ravel(x_train),
                y=np.ravel(y_train),
                mode="markers",
                marker={"color": data_colour(colours), "size": 5, "symbol": "circle-open"},
                name="training data",
            )
        )
    fig.add_trace(target_trace(x, y_true))
    for index, fitted in enumerate(fits):
        style = line_style(index, colours)
        fig.add_trace(
            go.Scatter(x=x, y=fitted.y_grid, mode="lines", name=fitted.label, line=dict(style))
        )
        if mark_breakpoints and fitted.breakpoints.size:
            at = np.interp(fitted.breakpoints, x, fitted.y_grid)
            fig.add_trace(
                go.Scatter(
                    x=fitted.breakpoints,
                    y=at,
                    mode="markers",
                    marker={"symbol": "line-ns-open", "size": 10, "color": style["color"]},
                    name=f"kinks of {fitted.label}",
                    showlegend=False,
                )
            )
    fig.update_layout(
        title="Target and fits" + (" (ticks: kinks)" if mark_breakpoints else ""),
        xaxis_title="x",
        yaxis_title="hᵏ(x)",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


# The smallest plot area the errors chart gets (presenter type, 1024 px with the sidebar open) and
# the box a point's label takes in presenter type: where the labels of two points could overlap
# there, the legend names the networks instead.
PLOT_PX = (440.0, 260.0)
LABEL_PX = (13.0, 28.0)  # width per character, height


def errors_figure(fits: list[Fit], colours=None) -> go.Figure:
    """Test MSE (log scale) against the parameter count: one point per network in its colour
    and its own marker, named in the legend or, for a few networks far enough apart, by a label
    above each point."""
    fig = go.Figure()
    xs = np.array([f.n_params for f in fits], dtype=float)
    mse = np.array([f.test_mse for f in fits], dtype=float)
    ys = mse[np.isfinite(mse) & (mse > 0)]
    x_range = y_range = None
    if xs.size:
        span = max(float(xs.max() - xs.min()), 0.2 * float(xs.max()), 1.0)
        x_range = [xs.min() - 0.2 * span, xs.max() + 0.2 * span]
    if ys.size:
        low, high = np.log10(ys.min()), np.log10(ys.max())
        y_range = [low - 0.3, high + 0.5]
    label_points = len(fits) <= MARK_BREAKPOINTS_UP_TO and _labels_apart(
        xs, mse, [f.short_label for f in fits], x_range, y_range
    )
    for index, fitted in enumerate(fits):
        fig.add_trace(
            go.Scatter(
                x=[fitted.n_params],
                y=[fitted.test_mse if fitted.test_mse > 0 else np.nan],
                mode="markers+text" if label_points else "markers",
                text=[fitted.short_label],
                textposition="top center",
                marker={
                    "size": 13,
                    "color": line_style(index, colours)["color"],
                    "symbol": MARKERS[index % len(MARKERS)],
                },
                name=fitted.short_label,
                showlegend=not label_points,
            )
        )
    fig.update_layout(
        title="Test error vs parameters",
        xaxis_title="parameters",
        yaxis={"type": "log", "title": "test MSE", "exponentformat": "power"},
        legend={"orientation": "h", "y": -0.25},
    )
    if label_points:  # room around the points for their labels (plotly clips text at the axes)
        if x_range is not None:
            fig.update_xaxes(range=x_range)
        if y_range is not None:
            fig.update_yaxes(range=y_range)
    return fig


def _labels_apart(xs, mse, labels, x_range, y_range) -> bool:
    """Whether labels centred above the points keep clear of each other on the smallest plot
    (PLOT_PX, labels of LABEL_PX): positions from the axis ranges, y on the log scale."""
    if x_range is None or y_range is None:
        return True
    width, height = PLOT_PX
    boxes = []
    for x, value, text in zip(xs, mse, labels, strict=True):
        if not (np.isfinite(value) and value > 0):
            continue  # not drawn on a log axis
        px = (x - x_range[0]) / (x_range[1] - x_range[0]) * width
        py = (np.log10(value) - y_range[0]) / (y_range[1] - y_range[0]) * height
        half = LABEL_PX[0] * len(text) / 2
        boxes.append((px - half, px + half, py, py + LABEL_PX[1]))
    return not any(
        min(a[1], b[1]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[2], b[2])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def results_table(fits: list[Fit]):
    """One row per network, the lecture's columns first: the exact linear pieces and the test
    error (visible without scrolling on a 1024 px screen), then the rest."""
    import pandas as pd

    return pd.DataFrame(
        {
            "network": [f.short_label for f in fits],
            "linear pieces (exact)": [f.pieces for f in fits],
            "test MSE": [f.test_mse for f in fits],
            "parameters": [f.n_params for f in fits],
            "train MSE": [f.train_mse for f in fits],
            "depth": [len(f.sizes) - 2 for f in fits],
            "widths": [", ".join(str(w) for w in f.sizes[1:-1]) for f in fits],
            "seconds": [f.seconds for f in fits],
        }
    )


def depth_comparison_figure(x, panels, colours=None) -> go.Figure:
    """Side-by-side panels (one per target) of the target and its fits.

    panels: list of (title, y_true (GRID_POINTS,), fits) with the fits in the same order in every
    panel, so one network keeps its colour and dash across panels.
    """
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[title for title, _, _ in panels])
    for col, (_, y_true, fits) in enumerate(panels, start=1):
        fig.add_trace(target_trace(x, y_true, showlegend=col == 1), row=1, col=col)
        for index, fitted in enumerate(fits):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=fitted.y_grid,
                    mode="lines",
                    line=dict(line_style(index, colours)),
                    name=fitted.short_label + f" ({fitted.n_params} params)",
                    legendgroup=fitted.short_label,
                    showlegend=col == 1,
                ),
                row=1,
                col=col,
            )
    fig.update_layout(
        title="Equal budget: where depth pays off",
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_xaxes(title_text="x")
    return fig
