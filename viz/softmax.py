"""Figures and tables for the softmax page.

    Pr(Y = i | x) = e^{alpha z_i} / sum_j e^{alpha z_j}      (T = 1/alpha in most libraries)

The math is nncore's (`nn.softmax`, `nn.log_softmax`, `nn.softmax_reduced`); the one exception is
`naive_softmax`, the textbook formula kept here only as the contrast that overflows.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import nncore as nn
from viz.ui import OKABE_ITO


def class_colours(n: int, colours: list[str] | None = None) -> list[str]:
    """Class i's colour: the app's palette (viz.ui) in its fixed order, the same in every chart
    of the page (the alpha sweep's lines and the decision regions)."""
    colours = list(colours or OKABE_ITO)
    return [colours[i % len(colours)] for i in range(n)]


# class i's line pattern, beside its colour: the classes stay apart without colour vision
CLASS_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
# class numbers written on the decision regions sit on their own light box: the regions' fill
# does not change with the theme, so this ink must not follow the Dark room's light text
LABEL_INK = "#1a1a1a"
LABEL_BOX = "rgba(255, 255, 255, 0.85)"

ALPHAS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0,
          50.0, 100.0, 200.0, 500.0, 1000.0]  # fmt: skip


def class_labels(n: int) -> list[str]:
    """["class 1", ..., "class n"] (the lecture numbers classes from 1)."""
    return [f"class {i}" for i in range(1, n + 1)]


def naive_softmax(z: np.ndarray, alpha: float = 1.0) -> tuple[np.ndarray, np.ndarray, str]:
    """The textbook e^{alpha z_i} / sum_j e^{alpha z_j} WITHOUT the max shift (contrast only).

    z: (n,). Returns (probabilities (n,), the exponentials e^{alpha z} (n,), a message in
    Markdown saying what went wrong: "" when finite). Floating-point overflow is caught and
    reported, not raised.
    """
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        exps = np.exp(alpha * z)
        probs = exps / exps.sum()
    problems = []
    if np.isinf(exps).any():
        count = int(np.isinf(exps).sum())
        # Markdown (the page shows it in a warning): the formula in $...$
        problems.append(rf"$\exp(\alpha z_i)$ overflowed to inf for {count} logit(s)")
    if np.isnan(probs).any():
        problems.append("inf / inf = nan in the probabilities")
    return probs, exps, "; ".join(problems)


def as_text(values: np.ndarray) -> list[str]:
    """Numbers as text that keeps overflow visible: "inf (overflow)", "nan (inf / inf)".

    Tables would show a bare NaN as an empty cell, hiding exactly what the page demonstrates.
    """
    labels = []
    for value in np.asarray(values, dtype=float):
        if np.isnan(value):
            labels.append("nan (inf / inf)")
        elif np.isinf(value):
            labels.append("inf (overflow)")
        else:
            labels.append(f"{value:.6g}")
    return labels


def softmax_table(z: np.ndarray, alpha: float = 1.0) -> pd.DataFrame:
    """Per class: z_i, the stable positive score e^{alpha z_i - max}, Pr(Y = i), ln Pr(Y = i)."""
    z = np.asarray(z, dtype=np.float64)
    probs = nn.softmax(z, alpha=alpha)
    log_probs = nn.log_softmax(z, alpha=alpha)
    return pd.DataFrame(
        {
            "class": class_labels(z.size),
            "zᵢ": z,
            "exp(α zᵢ − max)": np.exp(log_probs - log_probs.max()),
            "Pr(Y = i | x)": probs,
            "ln Pr(Y = i | x)": log_probs,
        }
    )


def probability_bars_figure(
    series: dict[str, np.ndarray], title: str, height: int = 320
) -> go.Figure:
    """Grouped bars of one or more probability vectors, each (n,), on a 0..1 axis."""
    fig = go.Figure()
    for index, (name, probs) in enumerate(series.items()):
        probs = np.asarray(probs, dtype=float)
        fig.add_trace(
            go.Bar(
                x=class_labels(probs.size),
                y=probs,
                name=name,
                # values written on the first series only: side by side in large type the
                # labels of two bars ran into each other ("0.6380.638")
                text=[f"{p:.3f}" for p in probs] if index == 0 else None,
                textposition="outside",
                # a second series hatched as well as coloured: apart without colour vision
                marker={"pattern": {"shape": ["", "/", "x", "."][index % 4]}},
            )
        )
    fig.update_layout(
        barmode="group",
        title=title,
        height=height,
        yaxis={"range": [0, 1.12], "title": "probability"},
        margin={"t": 50, "b": 30},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def alpha_sweep(z: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """Pr(Y = i | x) for every alpha: (len(alphas), n), from nn.softmax(z, alpha)."""
    z = np.asarray(z, dtype=np.float64)
    return np.stack([nn.softmax(z, alpha=float(a)) for a in alphas])


def alpha_sweep_figure(
    alphas: np.ndarray,
    probs: np.ndarray,
    current_alpha: float,
    height: int = 360,
    colours: list[str] | None = None,
) -> go.Figure:
    """Each class's probability against alpha (log axis), the current alpha marked.

    alphas: (a,), probs: (a, n); class i drawn in ``class_colours``' i-th colour.
    """
    fig = go.Figure()
    palette = class_colours(probs.shape[1], colours)
    for i, name in enumerate(class_labels(probs.shape[1])):
        fig.add_trace(
            go.Scatter(x=alphas, y=probs[:, i], mode="lines", name=name,
                       line={"color": palette[i], "dash": CLASS_DASHES[i % len(CLASS_DASHES)]})
        )  # fmt: skip
    n = probs.shape[1]
    fig.add_hline(y=1 / n, line_dash="dot", annotation_text=f"uniform 1/n = {1 / n:.3f}")
    fig.add_vline(x=current_alpha, line_dash="dash")
    # Written as its own annotation: on a log axis a shape takes the value of x but an annotation
    # takes log10 of it, so add_vline's annotation_text put "alpha = 10" at alpha = 1e10 and
    # stretched the axis to 1e13. The label sits on the side of the line with more room, above
    # the plot (inside it, the class whose probability goes to 1 ran through it).
    fig.add_annotation(
        x=float(np.log10(current_alpha)),
        y=1,
        yref="y domain",
        yanchor="bottom",
        xanchor="left" if current_alpha <= 1 else "right",
        showarrow=False,
        text=f"α = {current_alpha:g} (T = {1 / current_alpha:g})",
    )
    fig.update_layout(
        # short enough for one line at projector size (a wrapped title was cut at the top);
        # the page's caption says what happens with tied maxima
        title="α → 0: uniform; α → ∞: one-hot",
        xaxis={"type": "log", "title": "α (log scale); T = 1/α"},
        yaxis={"title": "Pr(Y = i | x)", "range": [0, 1.02]},
        height=height,
        margin={"t": 72, "b": 40},  # the title, and the alpha label above the plot
    )
    return fig


def linear_softmax_regions(
    W: np.ndarray, b: np.ndarray, limit: float = 3.0, resolution: int = 121
) -> dict[str, np.ndarray]:
    """A linear softmax model on a 2-D grid, over-parameterised and with z_n fixed at 0.

    Full model: z = x W^T + b with W (n, 2), b (n,). Reduced model: W'_i = W_i - W_n and
    b'_i = b_i - b_n for i < n, so z'_i = z_i - z_n; the probabilities must be identical.
    Returns grid axes (resolution,), full and reduced probabilities (resolution^2, n).
    """
    axis = np.linspace(-limit, limit, resolution)
    gx, gy = np.meshgrid(axis, axis)
    x = np.column_stack([gx.ravel(), gy.ravel()])
    z_full, _ = nn.dense_forward(x, W, b)
    z_reduced, _ = nn.dense_forward(x, W[:-1] - W[-1], b[:-1] - b[-1])
    return {
        "axis": axis,
        "full": nn.softmax(z_full),
        "reduced": nn.softmax_reduced(z_reduced),
    }


def decision_regions_figure(
    regions: dict[str, np.ndarray], height: int = 380, colours: list[str] | None = None
) -> go.Figure:
    """argmax regions of the two models side by side (they should be identical); class i in
    ``class_colours``' i-th colour."""
    axis = regions["axis"]
    size = axis.size
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=["n scores: z = x Wᵀ + b", "n − 1 scores, zₙ = 0"],
        horizontal_spacing=0.08,
    )
    n = regions["full"].shape[1]
    for col, name in enumerate(["full", "reduced"], start=1):
        label = regions[name].argmax(axis=1).reshape(size, size) + 1
        # one flat colour per class: a stepwise colour scale over 0.5 .. n + 0.5
        steps = class_colours(n, colours)
        colourscale = [[edge, steps[c]] for c in range(n) for edge in (c / n, (c + 1) / n)]
        confidence = regions[name].max(axis=1).reshape(size, size)
        fig.add_trace(
            go.Heatmap(
                x=axis,
                y=axis,
                z=label,
                zmin=0.5,
                zmax=n + 0.5,
                colorscale=colourscale,
                showscale=(col == 2),
                colorbar={"title": "class", "tickvals": list(range(1, n + 1))},
                customdata=confidence,
                hovertemplate="x₁=%{x:.2f}, x₂=%{y:.2f}: class %{z}, p=%{customdata:.3f}"
                "<extra></extra>",
            ),
            row=1,
            col=col,
        )
        # each region's class number at its centre (regions of a linear model are convex, so
        # the mean of a region's grid points lies inside it): the classes without colour
        gx, gy = np.meshgrid(axis, axis)
        for c in range(1, n + 1):
            inside = label == c
            if inside.any():
                fig.add_annotation(
                    x=float(gx[inside].mean()), y=float(gy[inside].mean()), text=str(c),
                    showarrow=False, font={"color": LABEL_INK, "size": 16},
                    bgcolor=LABEL_BOX, borderpad=2, row=1, col=col,
                )  # fmt: skip
    # a title of its own: the chart's text alternative would otherwise be named after its
    # panel titles and the class labels on the regions
    fig.update_layout(title="Decision regions: argmaxᵢ Pr(Y = i | x)", height=height,
                      margin={"t": 80, "b": 30})  # fmt: skip
    return fig
