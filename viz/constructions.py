"""The approximation page's constructions, drawn: the sawtooth's exact pieces against a wide
layer's, pieces at random initialisation, bumps built from steps or hinges, and a narrow deep
network built by hand beside a trained one.

Colours and dashes follow viz.approximation's (one per network, the target in the text colour),
so a line keeps its look across the page's sections.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz.approximation import (
    LINE_DASHES,
    MARKERS,
    Fit,
    line_colours,
    line_style,
    target_trace,
)

# colours kept for the hand-built and trained narrow deep nets: the fitting tool's first four
# networks (its default) use line colours 0 to 3, so the next section's two lines differ
BUILT_LINE, TRAINED_LINE = 4, 5


def translucent(colour: str, alpha: float) -> str:
    """'#RRGGBB' as an rgba() string with the given opacity."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def pieces_figure(xs: np.ndarray, ys: np.ndarray, title: str, colours=None) -> go.Figure:
    """A piecewise-linear function drawn exactly: a polyline through its breakpoints, in the
    colour of the deep network in ``depth_width_figure``."""
    colour = line_colours(colours)[0]
    fig = go.Figure(
        go.Scatter(
            x=xs, y=ys, mode="lines+markers", marker={"size": 4}, line={"color": colour},
            name="hᵏ(x)",
        )
    )  # fmt: skip
    fig.update_layout(title=title, xaxis_title="x", yaxis_title="hᵏ(x)")
    return fig


def depth_width_figure(ks: np.ndarray, colours=None) -> go.Figure:
    """Linear pieces against parameters: the sawtooth (depth k, width 2, 6k + 1 parameters,
    2^k pieces) against one hidden layer (n units give at most n + 1 pieces, 3n + 1 parameters).
    """
    deep_colour, shallow_colour = line_colours(colours)[:2]
    ks = np.asarray(ks)
    pieces = 2.0**ks
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=6 * ks + 1, y=pieces, mode="lines+markers", name="deep: k layers of 2",
            line={"color": deep_colour},
        )
    )  # fmt: skip
    units = pieces - 1
    fig.add_trace(
        go.Scatter(
            x=3 * units + 1,
            y=pieces,
            mode="lines+markers",
            name="shallow: 2ᵏ − 1 units",
            line={"color": shallow_colour, "dash": "dash"},
            marker={"symbol": "square"},
        )
    )
    fig.update_layout(
        title="Pieces per parameter",
        # one tick per decade: the 2s and 5s between collide with the powers in presenter type
        # both axes write their powers of ten alike (10³, not 1000 beside 10k)
        xaxis={"type": "log", "title": "parameters", "exponentformat": "power", "dtick": 1},
        yaxis={"type": "log", "title": "linear pieces", "exponentformat": "power", "dtick": 1},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def hanin_rolnick_figure(rows: list[dict]) -> go.Figure:
    """Mean pieces at random initialisation against depth, one line per total neuron count."""
    fig = go.Figure()
    for total in sorted({row["total_neurons"] for row in rows}):
        chosen = [row for row in rows if row["total_neurons"] == total]
        fig.add_trace(
            go.Scatter(
                x=[row["depth"] for row in chosen],
                y=[row["mean_pieces"] for row in chosen],
                error_y={"array": [row["std_pieces"] for row in chosen]},
                mode="lines+markers",
                name=f"{total} neurons",
            )
        )
    fig.update_layout(
        title="Pieces at init track neurons",
        xaxis={"type": "log", "title": "depth (neurons split evenly over the layers)"},
        yaxis_title="mean linear pieces on [-1, 1]",
    )
    return fig


BUMP_KINDS = ("step", "relu")  # the constructions, in the order of their colours


def bump_figure(
    x: np.ndarray, y_true: np.ndarray, y_net: np.ndarray, label: str, kind: str = "step",
    colours=None,
) -> go.Figure:  # fmt: skip
    """The target and a hand-built one-hidden-layer network, with the error shaded in the
    network's colour, which is its construction's colour in ``bump_error_figure``."""
    colour = line_colours(colours)[BUMP_KINDS.index(kind)]
    fig = go.Figure()
    fig.add_trace(target_trace(x, y_true))
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y_net,
            mode="lines",
            name=label,
            line={"color": colour},
            fill="tonexty",
            fillcolor=translucent(colour, 0.25),
        )
    )
    fig.update_layout(
        title="Built by hand (shaded: error)",
        xaxis_title="x",
        yaxis_title="h²(x)",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def bump_error_figure(units: np.ndarray, errors: dict[str, np.ndarray], colours=None) -> go.Figure:
    """sup |f - f_hat| against the number of hidden units n, log-log, per construction (each
    in its colour of ``bump_figure``, with its own marker)."""
    lines = line_colours(colours)
    fig = go.Figure()
    for kind, values in errors.items():
        index = BUMP_KINDS.index(kind)
        fig.add_trace(
            go.Scatter(
                x=units,
                y=np.where(values > 0, values, np.nan),
                mode="lines+markers",
                name=kind,
                line={"color": lines[index], "dash": LINE_DASHES[index]},
                marker={"symbol": MARKERS[index]},
            )
        )
    fig.update_layout(
        title="Error: steps 1/n, hinges 1/n²",
        xaxis={"type": "log", "title": "hidden units n", "dtick": 1},
        yaxis={
            "type": "log",
            "title": "max |f(x) − h²(x)|",
            "exponentformat": "power",
            "dtick": 1,
        },
    )
    return fig


def narrow_deep_figure(
    x, y_true, constructed, trained: Fit | None, n_layers: int, colours=None
) -> go.Figure:
    """The target, a hand-built width-3 network of n_layers layers, and a trained narrow net
    (in colours of their own: BUILT_LINE, TRAINED_LINE)."""
    fig = go.Figure()
    fig.add_trace(target_trace(x, y_true))
    fig.add_trace(
        go.Scatter(
            x=x,
            y=constructed,
            mode="lines",
            line=dict(line_style(BUILT_LINE, colours)),
            name=f"built: {n_layers} layers of width 3",
        )
    )
    if trained is not None:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=trained.y_grid,
                mode="lines",
                line=dict(line_style(TRAINED_LINE, colours)),
                name=f"trained: {trained.short_label}",
            )
        )
    fig.update_layout(
        title="Width 3: depth buys the pieces",
        xaxis_title="x",
        yaxis_title="hᵏ(x)",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig
