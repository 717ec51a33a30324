"""Gradients through depth: per-layer statistics from nncore and their figures.

The lecture's chain rule for layer i of k,

    dl/dW^i = dl/dh^k (prod_{j=i+1}^k A^j) df^i/dW^i,
    A^j = d f^j / d h^{j-1} = diag(sigma'(z^j)) W^j,

is measured here: nncore's backprop gives dl/dW^i and dl/dh^i; the products
P_f = A^k ... A^{k-f+1} (shape (m, n_k, n_{k-f})), whose singular values show whether the product
shrinks or grows, are multiplied top-down from nncore's sigma' and softmax Jacobian without ever
storing an (m, n_j, n_{j-1}) factor A^j (the tests check them against ``nn.jacobian_products``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import nncore as nn

# A unit counts as saturated where its derivative is this small relative to its maximum:
# sigma'(z) < 5% of sigma'(0) (sigmoid, tanh) or exactly 0 (a ReLU unit below zero).
SATURATION_SHARE = 0.05


@dataclass
class LayerStats:
    """Per-layer numbers of one network on one batch (index 0 = layer 1 .. k-1 = layer k).

    grad_W: ||dl/dW^i||_F (k,); grad_h: ||dl/dh^{i}||_F for the input of layer i+1, i = 0..k-1
    (k,); hidden: [h^1 .. h^{k-1}] each (m, n_i); saturated: share of hidden units with a
    near-zero derivative (k-1,); singular: per number of factors f = 1..k, the median over
    data points of the largest, median and smallest singular value of A^k..A^{k-f+1}, (k, 3);
    loss: the batch loss.
    """

    grad_W: np.ndarray
    grad_h: np.ndarray
    hidden: list
    saturated: np.ndarray
    singular: np.ndarray
    loss: float


def _frobenius(a: np.ndarray) -> float:
    """||a||_F without overflow: scale by max |a| first (a huge gradient stays finite)."""
    a = np.asarray(a, dtype=np.float64)
    peak = float(np.max(np.abs(a))) if a.size else 0.0
    if peak == 0.0 or not np.isfinite(peak):
        return peak
    return peak * float(np.sqrt(np.sum((a / peak) ** 2)))


def saturated_share(net: nn.MLP, zs: list) -> np.ndarray:
    """Share of hidden units per layer whose derivative sigma'(z^i) is near zero.

    zs: [z^1..z^k] (m, n_i). A unit counts when sigma'(z) < SATURATION_SHARE * max sigma' on a
    wide grid (ReLU: sigma'(z) = 0, the dead side). Returns shape (k-1,).
    """
    shares = []
    grid = np.linspace(-6.0, 6.0, 241)
    for name, z in zip(net.hidden, zs[:-1], strict=True):
        activation = nn.get_activation(name)
        peak = float(np.max(np.abs(activation.grad(grid))))
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            slope = np.abs(activation.grad(z))
        shares.append(float(np.mean(slope < SATURATION_SHARE * peak)))
    return np.asarray(shares)


def layer_stats(net: nn.MLP, x: np.ndarray, y: np.ndarray, jacobian_rows: int = 64) -> LayerStats:
    """Back-propagate one batch through ``net`` and collect the per-layer numbers.

    x: (m, n_0); y: labels (m,) for a softmax output. The singular values use the first
    ``jacobian_rows`` rows of the same forward pass (each product P_f is (rows, n_k, n_{k-f})).
    """
    rows = slice(0, jacobian_rows)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        result = net.backprop(x, y)
        singular = nn.product_singular_values(
            net, [h[rows] for h in result.hs], [z[rows] for z in result.zs]
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


def gradient_norms_figure(stats: dict[str, LayerStats]) -> go.Figure:
    """||dl/dW^i||_F (solid) and ||dl/dh^{i-1}||_F (dotted) against layer i, log scale.

    stats: label ("at initialisation", "after training") -> LayerStats.
    """
    fig = go.Figure()
    for label, layer in stats.items():
        layers = np.arange(1, len(layer.grad_W) + 1)
        fig.add_trace(
            go.Scatter(
                x=layers,
                y=_positive(layer.grad_W),
                mode="lines+markers",
                name=f"||dl/dW^i|| {label}",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=layers,
                y=_positive(layer.grad_h),
                mode="lines+markers",
                line={"dash": "dot"},
                name=f"||dl/dh^(i-1)|| {label}",
            )
        )
    fig.update_layout(
        title="Gradient norm per layer (input side left, output side right)",
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
    fig.update_yaxes(title_text="value of h^i", row=1, col=1)
    fig.update_layout(title="Activation histograms per hidden layer", height=420)
    return fig


def singular_values_figure(stats: dict[str, LayerStats]) -> go.Figure:
    """Singular values of the product A^k ... A^{k-f+1} against its number of factors f.

    Largest (solid) and median (dash), each the median over data points; a product whose
    values fall by orders of magnitude with f is where gradients vanish. (The smallest is left
    out: the softmax Jacobian has rank n_k - 1, so it is always 0.)
    """
    fig = go.Figure()
    for label, layer in stats.items():
        factors = np.arange(1, layer.singular.shape[0] + 1)
        for column, name, dash in ((0, "largest", "solid"), (1, "median", "dash")):
            fig.add_trace(
                go.Scatter(
                    x=factors,
                    y=_positive(layer.singular[:, column]),
                    mode="lines+markers",
                    line={"dash": dash},
                    name=f"{name} σ, {label}",
                )
            )
    fig.add_hline(y=1.0, line_color="grey", line_width=1)
    fig.update_layout(
        title="Singular values of A^k ... A^(k-f+1): dl/dh^k carried down f layers",
        xaxis_title="number of factors f (the product reaches down to h^(k-f))",
        yaxis={"type": "log", "title": "singular value", "exponentformat": "power"},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def stats_table(stats: LayerStats) -> dict[str, list]:
    """Columns for a per-layer table: layer, ||dl/dW^i||, mean and std of h^i, saturated share."""
    k = len(stats.grad_W)
    means = [float(np.mean(h)) for h in stats.hidden] + [np.nan]
    stds = [float(np.std(h)) for h in stats.hidden] + [np.nan]
    saturated = list(stats.saturated) + [np.nan]
    return {
        "layer i": list(range(1, k + 1)),
        "||dl/dW^i||": [float(v) for v in stats.grad_W],
        "mean h^i": means,
        "std h^i": stds,
        "saturated share": saturated,
    }


def phase_figure(depths, gains, log_ratio: np.ndarray, current=None) -> go.Figure:
    """Heat map of log10(||dl/dh^0|| / ||dl/dh^{k-1}||) over depth (x) and weight gain (y).

    log_ratio: (len(gains), len(depths)); blue = vanishing, red = exploding, white = balanced.
    current: optional (depth, gain) to mark.
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
            colorbar={"title": "log10 ratio"},
            hovertemplate="depth %{x}, gain %{y}: 10^%{z:.1f}<extra></extra>",
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
        title="Where gradients vanish (blue) and explode (red): ||dl/dh^0|| / ||dl/dh^(k-1)||",
        xaxis_title="hidden layers",
        yaxis_title="gain g: W ~ N(0, g² · 2/(n_in + n_out))",
    )
    return fig


def phase_row(
    activation: str, width: int, depths, gain: float, x: np.ndarray, y: np.ndarray, seed: int = 0
) -> np.ndarray:
    """log10(||dl/dh^0|| / ||dl/dh^{k-1}||) at initialisation for one gain g and every depth.

    Each network is [n_0, width x depth, n_classes] with ``activation`` hidden units, a softmax
    output and W^i ~ N(0, g^2 2/(n_in + n_out)) (Glorot normal scaled by the gain g).
    x: (m, n_0); y: labels (m,). Returns (len(depths),); NaN where nothing flows (a zero norm).
    """
    n_classes = int(np.max(y)) + 1
    row = np.full(len(depths), np.nan)
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
    return row


def phase_grid(
    activation: str, width: int, depths, gains, x: np.ndarray, y: np.ndarray, seed: int = 0
) -> np.ndarray:
    """``phase_row`` for every gain: (len(gains), len(depths)), gains down, depths across."""
    return np.stack([phase_row(activation, width, depths, g, x, y, seed) for g in gains])
