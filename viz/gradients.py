"""Gradients through depth: per-layer statistics from nncore and their figures.

The lecture's chain rule for layer i of k,

    dl/dW^i = dl/dh^k A^k A^{k-1} ... A^{i+1} df^i/dW^i,   (the product in this order)
    A^j = d f^j / d h^{j-1} = diag(sigma'(z^j)) W^j,

is measured here: nncore's backprop gives dl/dW^i and dl/dh^i; the products
P_f = A^k ... A^{k-f+1} (shape (m, n_k, n_{k-f})), whose singular values show whether the product
shrinks or grows, are multiplied top-down from nncore's sigma' and softmax Jacobian without ever
storing an (m, n_j, n_{j-1}) factor A^j (the tests check them against ``nn.jacobian_products``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import nncore as nn
from nncore import gradflow
from viz.chart_text import fixed, magnitude
from viz.ui import OKABE_ITO

# An activation (one data point, one unit) counts as saturated where its derivative is this small
# relative to its maximum: sigma'(z) < 5% of max sigma' (sigmoid, tanh), or 0 (ReLU below zero).
SATURATION_SHARE = 0.05


@dataclass
class LayerStats:
    """Per-layer numbers of one network on one batch (index 0 = layer 1 .. k-1 = layer k).

    grad_W: ||dl/dW^i||_F (k,); grad_h: ||dl/dh^{i}||_F for the input of layer i+1, i = 0..k-1
    (k,); hidden: [h^1 .. h^{k-1}] each (m, n_i); saturated: share of ACTIVATIONS (entries) with
    a near-zero derivative per hidden layer (k-1,); dead: units with sigma'(z) = 0 on every row of
    the batch per hidden layer (k-1,); widths: n_1..n_{k-1}; rms_gain: ||A^i||_F / sqrt(n_i),
    mean over the batch (k,); log_ratio: measured log10 ||dl/dh^0|| / ||dl/dh^{k-1}|| and its
    sums of log10 norms of A^j ("measured", "rms", "spectral"); hidden_singular: the median over
    data points of the largest singular value of A^{k-1}..A^1; singular: per number of factors
    f = 1..k, the median over data points of the largest, median and smallest singular value of
    A^k..A^{k-f+1}, (k, 3); loss: the batch loss; m: rows in the batch.
    """

    grad_W: np.ndarray
    grad_h: np.ndarray
    hidden: list
    saturated: np.ndarray
    singular: np.ndarray
    loss: float
    dead: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    widths: tuple = ()
    rms_gain: np.ndarray = field(default_factory=lambda: np.zeros(0))
    log_ratio: dict = field(default_factory=dict)
    hidden_singular: float = float("nan")
    m: int = 0


def _frobenius(a: np.ndarray) -> float:
    """||a||_F without overflow: scale by max |a| first (a huge gradient stays finite)."""
    a = np.asarray(a, dtype=np.float64)
    peak = float(np.max(np.abs(a))) if a.size else 0.0
    if peak == 0.0 or not np.isfinite(peak):
        return peak
    return peak * float(np.sqrt(np.sum((a / peak) ** 2)))


def saturated_share(net: nn.MLP, zs: list) -> np.ndarray:
    """Share of activations (entries) per hidden layer with sigma'(z^i) near zero, (k-1,).

    nncore.gradflow.saturated_fraction at SATURATION_SHARE: entries, not units.
    """
    return gradflow.saturated_fraction(net, zs, SATURATION_SHARE)


# Spectral norms need one eigenvalue problem per data point and layer: only for these widths.
SPECTRAL_MAX_WIDTH = 64


def layer_stats(
    net: nn.MLP,
    x: np.ndarray,
    y: np.ndarray,
    jacobian_rows: int = 64,
    product_rows: int = 8,
    spectral_rows: int = 8,
) -> LayerStats:
    """Back-propagate one batch through ``net`` and collect the per-layer numbers.

    x: (m, n_0); y: labels (m,) for a softmax output. The singular values of A^k..A^{k-f+1} use
    the first ``jacobian_rows`` rows of the same forward pass (each product is (rows, n_k,
    n_{k-f})); those of the hidden product A^{k-1}..A^1 the first ``product_rows``; the spectral
    norms of the A^j the first ``spectral_rows``, and only when no hidden layer is wider than
    SPECTRAL_MAX_WIDTH (else log_ratio["spectral"] is NaN).
    """
    rows = slice(0, jacobian_rows)
    if max(net.sizes[1:-1], default=0) > SPECTRAL_MAX_WIDTH:
        spectral_rows = 0
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        result = net.backprop(x, y)
        singular = nn.product_singular_values(
            net, [h[rows] for h in result.hs], [z[rows] for z in result.zs]
        )
        hidden_singular = gradflow.hidden_product_singular_values(
            net, [z[:product_rows] for z in result.zs]
        )[:, 0]
        gains = gradflow.rms_gains(net, result.hs, result.zs)
        log_ratio = gradflow.log10_ratio_estimates(
            net, result.hs, result.zs, result.dh, spectral_rows=spectral_rows
        )
    k = len(net.weights)
    grad_W = np.array([_frobenius(dW) for dW, _ in result.grads])
    grad_h = np.array([_frobenius(result.dh[i]) for i in range(k)])
    return LayerStats(
        grad_W=grad_W,
        grad_h=grad_h,
        hidden=[np.asarray(h) for h in result.hs[1:-1]],
        saturated=saturated_share(net, result.zs),
        singular=singular,
        loss=float(result.loss),
        dead=gradflow.dead_units(net, result.zs),
        widths=tuple(net.sizes[1:-1]),
        rms_gain=np.nanmean(gains, axis=0),
        log_ratio=log_ratio,
        hidden_singular=float(np.nanmedian(hidden_singular))
        if np.any(np.isfinite(hidden_singular))
        else float("nan"),
        m=int(np.shape(x)[0]),
    )


def flow_verdict(norms: np.ndarray, low: float = 1e-2, high: float = 1e2) -> tuple[str, float]:
    """Classify the ratio of a gradient norm at the bottom to the one at the top.

    norms: per layer, input side first; the page passes ||dl/dh^{i-1}|| (i = 1..k), the signal
    the product of the A^j carries down. Returns (verdict, ratio norms[0] / norms[-1]):
    "vanishing" below ``low``, "exploding" above ``high``, else "healthy"; "dead" when the top
    norm is zero (nothing flows at all).
    """
    bottom, top = float(norms[0]), float(norms[-1])
    if not (np.isfinite(bottom) and np.isfinite(top)):
        return "exploding", float("inf")
    if top == 0.0:
        return "dead", float("nan")
    ratio = bottom / top
    if ratio < low:
        return "vanishing", ratio
    if ratio > high:
        return "exploding", ratio
    return "healthy", ratio


def _positive(values: np.ndarray) -> np.ndarray:
    """Values for a log axis: zeros and non-finite entries become gaps (None)."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values) & (values > 0), values, np.nan)


def snapshot_colours(labels, colours: list[str] | None = None) -> dict[str, str]:
    """One colour per snapshot ("at initialisation", "after 3 epochs"), the same in every figure
    of the page; the quantity is told apart by the line's dash. Colours: the app's palette."""
    colours = list(colours or OKABE_ITO)
    return {label: colours[i % len(colours)] for i, label in enumerate(labels)}


def _snapshot_symbol(index: int, shape: str) -> str:
    """The first snapshot's markers filled, the next ones open: the snapshots apart without
    colour vision (the quantity is told apart by the dash and the shape)."""
    return shape if index == 0 else f"{shape}-open"


def gradient_norms_figure(
    stats: dict[str, LayerStats], colours: list[str] | None = None
) -> go.Figure:
    """||dl/dW^i||_F (solid) and ||dl/dh^{i-1}||_F (dotted) against layer i, log scale.

    stats: label ("at initialisation", "after training") -> LayerStats; one colour per label.
    """
    palette = snapshot_colours(stats, colours)
    fig = go.Figure()
    for index, (label, layer) in enumerate(stats.items()):
        layers = np.arange(1, len(layer.grad_W) + 1)
        fig.add_trace(
            go.Scatter(
                x=layers,
                y=_positive(layer.grad_W),
                mode="lines+markers",
                name=f"‖∂l/∂Wⁱ‖ {label}",
                line={"color": palette[label]},
                marker={"color": palette[label], "size": 8,
                        "symbol": _snapshot_symbol(index, "circle")},
            )
        )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=layers,
                y=_positive(layer.grad_h),
                mode="lines+markers",
                line={"dash": "dot", "color": palette[label]},
                marker={"color": palette[label], "size": 8,
                        "symbol": _snapshot_symbol(index, "diamond")},
                name=f"‖∂l/∂hⁱ⁻¹‖ {label}",
            )
        )  # fmt: skip
    fig.update_layout(
        title="Gradient norm per layer (input side left)",
        xaxis_title="layer i",
        yaxis={"type": "log", "title": "Frobenius norm", "exponentformat": "power"},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def activation_density_figure(stats: dict[str, LayerStats], bins: int = 41) -> go.Figure:
    """Histogram of every hidden layer's activations h^i, as a heat map per label.

    Columns are layers, rows are value bins over the common range; colour is the share of the
    layer's values in the bin, so a saturated sigmoid layer shows as two bright bands at 0 and 1.
    """
    labels = list(stats)
    fig = make_subplots(
        rows=1, cols=len(labels), subplot_titles=labels, shared_yaxes=True, horizontal_spacing=0.06
    )
    values = [h[np.isfinite(h)] for layer in stats.values() for h in layer.hidden]
    values = [v for v in values if v.size]
    if values:
        low = min(float(np.percentile(v, 0.5)) for v in values)
        high = max(float(np.percentile(v, 99.5)) for v in values)
    else:
        low, high = -1.0, 1.0
    if not high > low:
        low, high = low - 1.0, high + 1.0
    edges = np.linspace(low, high, bins + 1)
    centres = 0.5 * (edges[1:] + edges[:-1])
    for col, label in enumerate(labels, start=1):
        hidden = stats[label].hidden
        density = np.zeros((bins, max(len(hidden), 1)))
        for index, h in enumerate(hidden):
            finite = np.clip(h[np.isfinite(h)], low, high)
            counts, _ = np.histogram(finite, bins=edges)
            density[:, index] = counts / max(finite.size, 1)
        fig.add_trace(
            go.Heatmap(
                x=np.arange(1, density.shape[1] + 1),
                y=centres,
                z=density,
                colorscale="Viridis",
                zmin=0.0,
                zmax=float(density.max()) or 1.0,
                showscale=col == len(labels),
                colorbar={"title": "share"},
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text="hidden layer i", row=1, col=col)
    fig.update_yaxes(title_text="value of hⁱ", row=1, col=1)
    fig.update_layout(title="Activation histograms per hidden layer", height=420)
    return fig


def singular_values_figure(
    stats: dict[str, LayerStats], colours: list[str] | None = None
) -> go.Figure:
    """Singular values of the product A^k ... A^{k-f+1} against its number of factors f.

    Largest (solid) and median (dash), each the median over data points; a product whose
    values fall by orders of magnitude with f is where gradients vanish. (The smallest is left
    out: the softmax Jacobian has rank n_k - 1, so it is always 0.)
    """
    palette = snapshot_colours(stats, colours)
    fig = go.Figure()
    for index, (label, layer) in enumerate(stats.items()):
        factors = np.arange(1, layer.singular.shape[0] + 1)
        for column, name, dash in ((0, "largest", "solid"), (1, "median", "dash")):
            fig.add_trace(
                go.Scatter(
                    x=factors,
                    y=_positive(layer.singular[:, column]),
                    mode="lines+markers",
                    line={"dash": dash, "color": palette[label]},
                    marker={"color": palette[label], "size": 8,
                            "symbol": _snapshot_symbol(index, "circle")},
                    name=f"{name} σ, {label}",
                )
            )  # fmt: skip
    fig.add_hline(y=1.0, line_color="grey", line_width=1)
    fig.update_layout(
        title="Singular values of Aᵏ ⋯ Aᵏ⁻ᶠ⁺¹",
        xaxis_title="factors f (∂l/∂hᵏ carried down to hᵏ⁻ᶠ)",
        yaxis={"type": "log", "title": "singular value", "exponentformat": "power"},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


NOT_HIDDEN = "—"  # table cells that describe hidden units, on the output layer's row


def stats_table(stats: LayerStats) -> dict[str, list]:
    """Columns for a per-layer table, one row per layer i = 1..k (the last is the output layer).

    Gradient columns for every layer; the hidden-unit columns (mean, std, share of activations
    with sigma' ~ 0, dead units) show NOT_HIDDEN on the output layer's row, as text.
    """
    k = len(stats.grad_W)
    widths = list(stats.widths) or [h.shape[1] for h in stats.hidden]
    gains = list(stats.rms_gain) if len(stats.rms_gain) == k else [np.nan] * k
    dead = list(stats.dead) if len(stats.dead) == k - 1 else [0] * (k - 1)
    return {
        "layer i": [str(i) for i in range(1, k)] + [f"{k} (output)"],
        "‖∂l/∂Wⁱ‖": [float(v) for v in stats.grad_W],
        "‖∂l/∂hⁱ⁻¹‖": [float(v) for v in stats.grad_h],
        "RMS gain of Aⁱ": [float(v) for v in gains],
        "mean hⁱ": [fixed(np.mean(h)) for h in stats.hidden] + [NOT_HIDDEN],
        "std hⁱ": [magnitude(np.std(h)) for h in stats.hidden] + [NOT_HIDDEN],
        "activations with σ′ ≈ 0": [f"{v:.1%}" for v in stats.saturated] + [NOT_HIDDEN],
        "dead units": [f"{int(d)} of {n}" for d, n in zip(dead, widths, strict=True)]
        + [NOT_HIDDEN],
    }


def balanced_gain(gains, log_ratio_column: np.ndarray) -> float | None:
    """The gain where a column of the map crosses log10 ratio = 0 (balanced), or None.

    Linear interpolation in log(g) between the first pair of neighbouring gains whose values
    change sign (or hit 0); gains ascending, log_ratio_column (len(gains),), NaN cells skipped.
    """
    values = np.asarray(log_ratio_column, dtype=float)
    g = np.asarray(gains, dtype=float)
    for i in range(len(g) - 1):
        a, b = values[i], values[i + 1]
        if not (np.isfinite(a) and np.isfinite(b)):
            continue
        if a == 0.0:
            return float(g[i])
        if a * b < 0 or b == 0.0:
            t = a / (a - b)
            return float(np.exp(np.log(g[i]) + t * (np.log(g[i + 1]) - np.log(g[i]))))
    return None


def _exponent_text(value: float) -> str:
    """A cell of the map as text: "-12", "+3", "0", or "–" where the ratio is undefined."""
    if not np.isfinite(value):
        return "–"
    rounded = int(np.round(value))
    return f"{rounded:+d}" if rounded else "0"


def phase_figure(
    depths, gains, log_ratio: np.ndarray, current=None, saturated: np.ndarray | None = None
) -> go.Figure:
    """Heat map of log10(||dl/dh^0|| / ||dl/dh^{k-1}||) over depth (x) and weight gain (y).

    log_ratio: (len(gains), len(depths)); blue = vanishing, red = exploding, white = balanced.
    current: optional (depth, gain) to mark; saturated: optional share of activations with
    sigma' ~ 0 per cell, (len(gains), len(depths)), shown on hover.
    """
    limit = float(np.nanmax(np.abs(log_ratio))) if np.any(np.isfinite(log_ratio)) else 1.0
    limit = min(max(limit, 1.0), 10.0)  # beyond 10 orders of magnitude all is lost
    fig = go.Figure(
        go.Heatmap(
            x=[str(d) for d in depths],
            y=[f"{g:g}" for g in gains],
            z=log_ratio,
            zmid=0.0,
            zmin=-limit,
            zmax=limit,
            colorscale="RdBu_r",
            colorbar={"title": "log₁₀ ratio"},
            # each cell's exponent written in it: vanishing (-) and exploding (+) read without
            # telling blue from red
            text=[[_exponent_text(v) for v in row] for row in np.asarray(log_ratio, dtype=float)],
            texttemplate="%{text}",
            customdata=None if saturated is None else 100.0 * np.asarray(saturated),
            hovertemplate="depth %{x}, gain %{y}: 10<sup>%{z:.1f}</sup>"
            + ("" if saturated is None else ", %{customdata:.0f}% of activations saturated")
            + "<extra></extra>",
        )
    )
    if current is not None:
        fig.add_trace(
            go.Scatter(
                x=[str(current[0])],
                y=[f"{current[1]:g}"],
                mode="markers",
                marker={"symbol": "x", "size": 16, "color": "black"},
                name="this network",
                showlegend=False,
            )
        )
    fig.update_layout(
        title="log₁₀ of the gradient ratio: below 0 vanishes, above 0 explodes",
        height=520,
        xaxis_title="hidden layers",
        # the gain's definition, W ~ N(0, g^2 * 2/(n_in + n_out)), is in the page text: a long
        # axis title was cut at the chart's left edge
        yaxis_title="weight gain g",
    )
    return fig


def phase_cells(
    activation: str, width: int, depths, gain: float, x: np.ndarray, y: np.ndarray, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """One gain's row of the map: the log10 ratio and the saturated share, for every depth.

    Each network is [n_0, width x depth, n_classes] with ``activation`` hidden units, a softmax
    output and W^i ~ N(0, g^2 * 2/(n_in + n_out)) (Glorot normal scaled by the gain g).
    x: (m, n_0); y: labels (m,). Returns (log10(||dl/dh^0|| / ||dl/dh^{k-1}||), the share of
    hidden activations with sigma' ~ 0 over all hidden layers), each (len(depths),); the ratio
    is NaN where nothing flows (a zero norm).
    """
    n_classes = int(np.max(y)) + 1
    row = np.full(len(depths), np.nan)
    saturated = np.full(len(depths), np.nan)
    for col, depth in enumerate(depths):
        net = nn.MLP(
            [x.shape[1]] + [int(width)] * int(depth) + [n_classes],
            hidden=activation,
            output="softmax",
            init=("glorot_normal", {"gain": float(gain)}),
            seed=seed,
        )
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            result = net.backprop(x, y)
        bottom, top = _frobenius(result.dh[0]), _frobenius(result.dh[-2])
        if bottom > 0 and top > 0 and np.isfinite(bottom) and np.isfinite(top):
            row[col] = np.log10(bottom) - np.log10(top)
        saturated[col] = float(np.mean(saturated_share(net, result.zs)))
    return row, saturated


def phase_row(
    activation: str, width: int, depths, gain: float, x: np.ndarray, y: np.ndarray, seed: int = 0
) -> np.ndarray:
    """log10(||dl/dh^0|| / ||dl/dh^{k-1}||) at initialisation for one gain g and every depth
    (the first half of ``phase_cells``), (len(depths),)."""
    return phase_cells(activation, width, depths, gain, x, y, seed)[0]


def phase_grid(
    activation: str, width: int, depths, gains, x: np.ndarray, y: np.ndarray, seed: int = 0
) -> np.ndarray:
    """``phase_row`` for every gain: (len(gains), len(depths)), gains down, depths across."""
    return np.stack([phase_row(activation, width, depths, g, x, y, seed) for g in gains])
