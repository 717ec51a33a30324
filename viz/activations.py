"""Figures for the activation-functions page: sigma and sigma' for every nncore activation.

Every curve is computed by nncore (`nn.get_activation(name)(z)` and `.grad(z)`); this module only
arranges and draws them.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import nncore as nn
from viz import grid, palette, panel_grid
from viz.ui import OKABE_ITO

# Colours come from the app's palette (viz.ui): by position, so one quantity keeps one colour.
SIGMA_COLOUR = OKABE_ITO[0]
GRAD_COLOUR = OKABE_ITO[1]
ALL_ACTIVATIONS = list(nn.ACTIVATIONS)
# beside its colour, each activation's marker shape and each class's marker shape: the lines
# and the two classes stay apart without colour vision
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "triangle-down"]
CLASS_SYMBOLS = {0: "circle", 1: "x"}
# the activation grid's legend: each panel draws its own activation (named in its title); on
# two rows (longer keys) the legend ran into the top panels' titles in presenter type at 1024 px
GRID_KEYS = ("σ(z) solid", "σ′(z) dashed")  # short: one row above the panels at 1024 px


def activation_colours(colours: list[str] | None = None) -> dict[str, str]:
    """One colour per activation, by its place in nn.ACTIVATIONS (not among those shown), so an
    activation keeps its colour whatever is selected and wherever the probe sits."""
    return palette.assign(ALL_ACTIVATIONS, colours or OKABE_ITO)


def curves(names: list[str], x: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """name -> (sigma(x), sigma'(x)), each of the shape of x."""
    out = {}
    for name in names:
        act = nn.get_activation(name)
        out[name] = (act(x), act.grad(x))
    return out


def activations_grid_figure(
    x: np.ndarray,
    curve_map: dict[str, tuple[np.ndarray, np.ndarray]],
    probe: float,
    colours: list[str] | None = None,
    columns: int = 4,
) -> go.Figure:
    """Small multiples: one panel per activation with sigma (solid) and sigma' (dashed), both in
    the activation's own colour (activation_colours), as in every chart of the page; the legend
    above the panels says which stroke is which, in ink.

    x: (p,) inputs; curve_map from `curves`; probe: the x marked on every panel; colours: the
    theme's palette (default viz.ui.OKABE_ITO); columns: panels per row at most (presenter mode
    takes two: four in presenter type at 1024 px ran one panel's tick labels into the next).
    """
    palette = activation_colours(colours)
    names = list(curve_map)
    # rows as even as they can be, no axes in a cell left over (viz.panel_grid)
    n_rows, n_cols = panel_grid.shape(len(names), columns)
    # the gap holds a panel's y tick labels and its neighbour's last x tick label
    fig = make_subplots(rows=n_rows, cols=n_cols, subplot_titles=names, vertical_spacing=0.12,
                        specs=panel_grid.specs(len(names), n_rows, n_cols),
                        horizontal_spacing=0.05 if n_cols >= 4 else 0.14)  # fmt: skip
    panel_grid.centre_last_row(fig, len(names), n_rows, n_cols)
    traces, rows, cols, shapes = [], [], [], []
    for index, name in enumerate(names):
        row, col = divmod(index, n_cols)
        sigma, grad = curve_map[name]
        # sigma solid, sigma' dashed, both in the activation's colour: the one colour it has on
        # the page (the tanh chart, the depth chart), the two strokes apart without colour vision
        for values, label, dash in [(sigma, name, "solid"), (grad, f"{name}′", "dash")]:
            traces.append(
                go.Scatter(x=x, y=values, mode="lines", name=label, showlegend=False,
                           line={"color": palette[name], "dash": dash})
            )  # fmt: skip
            rows.append(row + 1)
            cols.append(col + 1)
        shapes.append(grid.vline_shape(fig, probe, row + 1, col + 1,
                                       {"dash": "dot", "color": "#777777"}))  # fmt: skip
    fig.add_traces(traces, rows=rows, cols=cols)
    for label, dash in [(GRID_KEYS[0], "solid"), (GRID_KEYS[1], "dash")]:
        # the legend's key to the strokes: no data, in ink (the Dark room turns it light)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=label, meta="decoration",
                                 line={"color": "#000000", "dash": dash}))  # fmt: skip
    fig.update_layout(shapes=shapes)
    if n_cols >= 4:
        # four panels to a row are about 140 px wide at 1024 px: plotly's five ticks over
        # [-1, 1] turned on their side there, into the next row's panel titles
        fig.update_xaxes(nticks=4)
    # narrow left and right margins (the legend stands above the panels): the room goes to
    # the gaps that hold each panel's y tick labels (viz.figure_style widens them)
    fig.update_layout(height=260 * n_rows + 80, margin={"t": 90, "b": 30, "l": 50, "r": 16},
                      legend={"orientation": "h", "y": 1.0, "yanchor": "top",
                              "yref": "container"})  # fmt: skip
    return fig


def activation_table(names: list[str], probe: float, x: np.ndarray) -> pd.DataFrame:
    """Per activation: sigma and sigma' at the probe, sigma'(0), the largest sigma' on x, and the
    fraction of x where |sigma'| < 0.01 (flat: the gradient through that unit nearly vanishes).
    The registry's notes are left out (long sentences; the page lists them below the table)."""
    rows = []
    for name in names:
        act = nn.get_activation(name)
        grad = act.grad(x)
        rows.append(
            {
                "activation": name,
                "σ(probe)": float(act(np.array([probe]))[0]),
                "σ′(probe)": float(act.grad(np.array([probe]))[0]),
                "σ′(0)": float(act.grad(np.array([0.0]))[0]),
                "max |σ′| on the range": float(np.max(np.abs(grad))),
                "flat share (|σ′| < 0.01)": float(np.mean(np.abs(grad) < 0.01)),
            }
        )
    return pd.DataFrame(rows)


def blocked_reason(name: str, probe: float) -> str:
    """Why sigma'(probe) = 0 for an activation that blocks the gradient there ("" if it does not):
    at z = 0 exactly it is nncore's convention (relu'(0) = abs'(0) = 0), below 0 the flat side."""
    slope = float(nn.get_activation(name).grad(np.array([probe]))[0])
    if slope != 0.0:
        return ""
    if probe == 0.0:
        return f"{name}′(0) = 0 by convention (no derivative at the kink)"
    return f"{name}′({probe:g}) = 0 (flat side)"


def depth_factor_figure(
    names: list[str], probe: float, depth: int, colours: list[str] | None = None
) -> go.Figure:
    """log10 |sigma'(probe)|^L = L log10 |sigma'(probe)| for L = 1..depth: the factor sigma'
    contributes to a gradient after L layers whose units all sit at z = probe.

    Plotted as the exponent on a linear axis, so a factor below float64's range (about 1e-308, or
    5e-324 with subnormals, where |sigma'|^L itself underflows to 0: tanh at z = 10 after 40
    layers) still shows as a straight line instead of stopping. An activation with
    sigma'(probe) = 0 blocks the gradient outright (log10 0 = -inf); it is named in the title
    with the reason instead.
    """
    layers = np.arange(1, depth + 1)
    palette = activation_colours(colours)
    fig = go.Figure()
    blocked = []
    same_slope: dict[float, list[str]] = {}
    for name in names:
        slope = abs(float(nn.get_activation(name).grad(np.array([probe]))[0]))
        if slope == 0.0:
            blocked.append(blocked_reason(name, probe))
            continue
        same_slope.setdefault(slope, []).append(name)
        fig.add_trace(
            go.Scatter(
                x=layers,
                y=layers * np.log10(slope),
                mode="lines+markers",
                name=name,
                line={"color": palette[name]},
                marker={"color": palette[name], "size": 8,
                        "symbol": SYMBOLS[ALL_ACTIVATIONS.index(name) % len(SYMBOLS)]},
            )
        )  # fmt: skip
    title = f"log₁₀ |σ′(z)|ᴸ with z = {probe:g} in every layer"
    notes = []  # the subtitle: one line each (viz.figure_style sets its size and wraps it)
    if blocked:
        notes.append(f"gradient blocked: {'; '.join(blocked)}")
    overlapping = [
        f"{', '.join(group)} (|σ′| = {slope:.3g})"
        for slope, group in same_slope.items()
        if len(group) > 1
    ]
    if overlapping:  # lines drawn on top of each other: say which, or the hidden ones vanish
        notes.append(f"one line for {'; '.join(overlapping)}")
    fig.update_layout(
        title={"text": title, "subtitle": {"text": "<br>".join(notes) or None}},
        xaxis={"title": "layers L"},
        yaxis={"title": "log₁₀ of the factor"},
        height=420,
        margin={"t": 60, "b": 40},
    )
    return fig


def identity_network_line(widths=(1, 32, 32, 1), seed: int = 0) -> tuple[float, float, float]:
    """A network of identity units is one affine map: fit a line to its output on [-3, 3].

    nncore's MLP with identity hidden and output units and random biases, on 201 points.
    Returns (slope, intercept, max |h^k - (slope x + intercept)|), the last at rounding level.
    """
    net = nn.MLP(list(widths), hidden="identity", output="identity", seed=seed)
    rng = np.random.default_rng(seed)
    net.biases = [rng.standard_normal(b.shape) for b in net.biases]
    x = np.linspace(-3.0, 3.0, 201)[:, None]
    h = net.forward(x)[:, 0]
    slope, intercept = np.polyfit(x[:, 0], h, 1)
    return float(slope), float(intercept), float(np.max(np.abs(h - (slope * x[:, 0] + intercept))))


def tanh_sigmoid_figure(x: np.ndarray, colours: list[str] | None = None) -> tuple[go.Figure, float]:
    """tanh(x) against 2 sigma(2x) - 1 and sigma(x); returns the figure and max |difference|.

    colours: the theme's palette (default viz.ui.OKABE_ITO). tanh and the sigmoid have their
    colours of the whole page (activation_colours), solid as in the grid; the rescaled sigmoid,
    built from the sigmoid, is drawn dashed in the sigmoid's colour over the thick tanh.
    """
    palette = activation_colours(colours)
    tanh = nn.tanh(x)
    rescaled = 2.0 * nn.sigmoid(2.0 * x) - 1.0
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=nn.sigmoid(x), mode="lines", name="sigmoid σ(x)",
                             line={"color": palette["sigmoid"]}))  # fmt: skip
    fig.add_trace(go.Scatter(x=x, y=tanh, mode="lines", name="tanh(x)",
                             line={"color": palette["tanh"], "width": 6}))  # fmt: skip
    fig.add_trace(go.Scatter(x=x, y=rescaled, mode="lines", name="2σ(2x) − 1, dashed",
                             line={"color": palette["sigmoid"], "dash": "dash"}))  # fmt: skip
    fig.update_layout(title="tanh = 2σ(2x) − 1", height=340,
                      margin={"t": 50, "b": 30})  # fmt: skip
    return fig, float(np.max(np.abs(tanh - rescaled)))


def symmetric_data(m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Points x (m, 2) uniform in [-2, 2]^2 with y = 1 where |x_1| > 1: a mirror-symmetric task."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=(m, 2))
    return x, (np.abs(x[:, 0]) > 1.0).astype(np.int64)


def best_threshold_accuracy(h: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Best accuracy of "class 1 iff h > t" or "class 1 iff h <= t" over all thresholds t.

    h: (m,) one unit's outputs; y: (m,) 0/1. Returns (accuracy, t).
    """
    order = np.argsort(h, kind="stable")
    h_sorted, y_sorted = h[order], y[order]
    m = h.size
    # ones_below[j]: class-1 points among the j smallest h (threshold between j-1 and j).
    ones_below = np.concatenate([[0], np.cumsum(y_sorted)])
    below = np.arange(m + 1)
    ones_total = ones_below[-1]
    correct_above = (below - ones_below) + (ones_total - ones_below)  # 0 below, 1 above
    correct = np.maximum(correct_above, m - correct_above)  # or the reverse direction
    # Only cut between distinct values of h.
    valid = np.concatenate([[True], h_sorted[1:] > h_sorted[:-1], [True]])
    best = int(np.argmax(np.where(valid, correct, -1)))
    edges = np.concatenate([[h_sorted[0] - 1.0], h_sorted])
    return float(correct[best] / m), float(edges[best])


def symmetry_figure(
    x: np.ndarray,
    y: np.ndarray,
    h: np.ndarray,
    w: np.ndarray,
    b: float,
    threshold: float,
    colours: list[str] | None = None,
) -> go.Figure:
    """Left: the data and the unit's hyperplane x w^T + b = 0; right: the unit's output h per
    class.

    x: (m, 2), y: (m,) 0/1, h: (m,) = sigma(x w^T + b), w: (2,). Each class has its colour and
    its marker shape (CLASS_SYMBOLS) in both panels; colours: the theme's palette.
    """
    colours = list(colours or OKABE_ITO)
    class_colour = {0: colours[0], 1: colours[1]}
    fig = make_subplots(rows=1, cols=2, subplot_titles=[
        "data; line: x wᵀ + b = 0", "the unit's output h per class"
    ])  # fmt: skip
    for cls in (0, 1):
        mask = y == cls
        fig.add_trace(go.Scatter(x=x[mask, 0], y=x[mask, 1], mode="markers", showlegend=False,
                                 name=f"class {cls}", legendgroup=f"class {cls}",
                                 marker={"color": class_colour[cls], "size": 7,
                                         "symbol": CLASS_SYMBOLS[cls]}),
                      row=1, col=1)  # fmt: skip
    t = np.linspace(-3, 3, 2)
    direction = np.array([-w[1], w[0]])
    if not np.any(w):
        raise ValueError(f"w must be nonzero to define a hyperplane, got {w}")
    foot = -b * w / float(w @ w)  # the point of the line x w^T + b = 0 closest to the origin
    fig.add_trace(go.Scatter(x=foot[0] + t * direction[0], y=foot[1] + t * direction[1],
                             mode="lines", line={"color": "#000000", "dash": "dash"},
                             showlegend=False), row=1, col=1)  # fmt: skip
    jitter = np.random.default_rng(0).uniform(-0.3, 0.3, size=h.size)
    for cls in (0, 1):
        mask = y == cls
        fig.add_trace(go.Scatter(x=h[mask], y=cls + jitter[mask], mode="markers",
                                 name=f"class {cls}" + (" (|x₁| > 1)" if cls else ""),
                                 legendgroup=f"class {cls}",
                                 marker={"color": class_colour[cls], "size": 7,
                                         "symbol": CLASS_SYMBOLS[cls]}),
                      row=1, col=2)  # fmt: skip
    # the threshold in ink (the Dark room turns it light)
    fig.add_vline(x=threshold, line={"dash": "dot", "color": "#000000"}, row=1, col=2)
    fig.update_xaxes(range=[-2.2, 2.2], title_text="x₁", row=1, col=1)
    fig.update_yaxes(range=[-2.2, 2.2], scaleanchor="x", title_text="x₂", row=1, col=1)
    fig.update_xaxes(title_text="h", row=1, col=2)
    # short tick labels: "class 0" / "class 1" reached into the left panel in large type
    fig.update_yaxes(tickvals=[0, 1], title_text="class", row=1, col=2)
    fig.update_layout(height=400, margin={"t": 50, "b": 30})
    return fig
