"""Output units and their losses: curves of l and dl/dz for matched and mismatched pairs.

Matched pairs (the lecture's): identity + squared error, sigmoid + negative log-likelihood,
softmax + cross-entropy; their gradient against the logit is the fused delta: 2 (h - y) for
identity + squared error, h - y for sigmoid + NLL, alpha (h - y) for softmax + cross-entropy with
the lecture's alpha (per data point; a batch mean divides by m). Mismatched: sigmoid (or
softmax) + squared error, whose gradient carries sigma'(z) and so vanishes exactly when the
prediction is confidently wrong.

All losses and gradients come from nncore; this module evaluates them one logit at a time.
"""

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import nncore as nn
from viz import grid
from viz.ui import OKABE_ITO

N_SOFTMAX_CLASSES = 3  # for the softmax pairs: the varied logit plus two others fixed at 0


def _softmax_logits(z: float, y: int) -> tuple[np.ndarray, int]:
    """Logits (1, 3): the varied logit z first, the others 0; true class 0 if y = 1 else 1."""
    logits = np.zeros((1, N_SOFTMAX_CLASSES))
    logits[0, 0] = z
    return logits, 0 if y == 1 else 1


def _identity_mse(z: float, y: int) -> tuple[float, float]:
    h, target = np.array([[z]]), np.array([[float(y)]])
    return nn.mse(h, target), float(nn.mse_grad(h, target)[0, 0])


def _sigmoid_nll(z: float, y: int) -> tuple[float, float]:
    logit, target = np.array([[z]]), np.array([[float(y)]])
    return (
        nn.binary_nll_with_logits(logit, target),
        float(nn.binary_nll_with_logits_grad(logit, target)[0, 0]),
    )


def _sigmoid_mse(z: float, y: int) -> tuple[float, float]:
    logit, target = np.array([[z]]), np.array([[float(y)]])
    h = nn.sigmoid(logit)
    # chain rule: dl/dz = dl/dh * sigma'(z)
    grad = nn.mse_grad(h, target) * nn.get_activation("sigmoid").grad(logit)
    return nn.mse(h, target), float(grad[0, 0])


def _softmax_ce(z: float, y: int) -> tuple[float, float]:
    logits, label = _softmax_logits(z, y)
    labels = np.array([label])
    return (
        nn.cross_entropy_with_logits(logits, labels),
        float(nn.cross_entropy_with_logits_grad(logits, labels)[0, 0]),
    )


def _softmax_mse(z: float, y: int) -> tuple[float, float]:
    logits, label = _softmax_logits(z, y)
    target = nn.one_hot(np.array([label]), N_SOFTMAX_CLASSES)
    p = nn.softmax(logits)
    # chain rule through the softmax Jacobian J (symmetric): dl/dz = dl/dp J
    grad = nn.mse_grad(p, target) @ nn.softmax_jacobian(p)[0]
    return nn.mse(p, target), float(grad[0, 0])


#: name -> (matched?, f(z, y) -> (loss, dl/dz)) for ONE data point and one varied logit z
PAIRS: dict[str, tuple[bool, Callable[[float, int], tuple[float, float]]]] = {
    "identity + squared error": (True, _identity_mse),
    "sigmoid + NLL": (True, _sigmoid_nll),
    "sigmoid + squared error": (False, _sigmoid_mse),
    "softmax + cross-entropy": (True, _softmax_ce),
    "softmax + squared error": (False, _softmax_mse),
}


#: each pair's marker shape, beside its colour (and the dash of the mismatched pairs), so the
#: curves stay apart without colour vision
PAIR_SYMBOLS = dict(zip(PAIRS, ["circle", "square", "diamond", "triangle-up", "x"], strict=True))
MARKERS_PER_CURVE = 9


def pair_colours(colours: list[str] | None = None) -> dict[str, str]:
    """One colour per pair, by its place in PAIRS (the app's palette, viz.ui), so a pair has the
    same colour in the loss panel, the gradient panel and the descent chart, whatever is shown."""
    colours = list(colours or OKABE_ITO)
    return {name: colours[i % len(colours)] for i, name in enumerate(PAIRS)}


def pair_curves(names: list[str], z: np.ndarray, y: int) -> dict[str, np.ndarray]:
    """name -> (2, p): row 0 the loss, row 1 dl/dz, at every logit in z (p,)."""
    return {name: np.array([PAIRS[name][1](float(v), y) for v in z]).T for name in names}


def check_pair_gradient(name: str, z: float, y: int) -> float:
    """|dl/dz - central difference| at z, the difference quotient from nn.numerical_gradient.

    Absolute, not relative: where dl/dz is ~1e-7 (a saturated sigmoid) the central difference
    itself carries ~1e-10 of rounding, so a relative error would flag a correct gradient.
    """
    function = PAIRS[name][1]
    point = np.array([float(z)])
    numeric = nn.numerical_gradient(lambda v: function(float(v[0]), y)[0], point)
    return float(abs(function(float(z), y)[1] - numeric[0]))


def pairs_figure(
    z: np.ndarray,
    curves: dict[str, np.ndarray],
    current_z: float,
    colours: list[str] | None = None,
    stacked: bool = False,
) -> go.Figure:
    """Loss (left) and dl/dz (right) against the logit for each pair; dashed = mismatched.

    Each pair has one colour in both panels (``pair_colours``), the legend's.
    stacked: the gradient panel below the loss panel, taller (presenter mode: side by side in
    large type, with the legend below, each panel was left a sliver).
    """
    palette = pair_colours(colours)
    rows, cols = (2, 1) if stacked else (1, 2)
    # stacked: the gap holds the upper panel's tick labels and the lower panel's title, in
    # presenter type
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=["loss l(z)", "gradient ∂l/∂z"],
        vertical_spacing=0.2,
    )  # fmt: skip

    def place(panel: int) -> dict[str, int]:
        return {"row": panel, "col": 1} if stacked else {"row": 1, "col": panel}

    traces, rows, cols, shapes = [], [], [], []
    for name, values in curves.items():
        matched = PAIRS[name][0]
        for panel in (1, 2):
            traces.append(
                go.Scatter(
                    x=z,
                    y=values[panel - 1],
                    mode="lines+markers",
                    name=name,
                    legendgroup=name,
                    showlegend=(panel == 1),
                    line={"dash": "solid" if matched else "dash", "color": palette[name]},
                    marker={
                        "symbol": PAIR_SYMBOLS[name],
                        "size": 9,
                        "color": palette[name],
                        "maxdisplayed": MARKERS_PER_CURVE,
                    },
                )
            )
            rows.append(place(panel)["row"])
            cols.append(place(panel)["col"])
    # traces in one call and the z line as layout shapes: add_trace and add_vline per panel
    # walk the whole figure each time (viz.grid.vline_shape)
    fig.add_traces(traces, rows=rows, cols=cols)
    for panel in (1, 2):
        shapes.append(grid.vline_shape(fig, current_z, **place(panel),
                                       line={"dash": "dot", "color": "#555555"}))  # fmt: skip
    fig.update_layout(shapes=shapes)
    fig.update_yaxes(range=[-2.2, 2.2], **place(2))
    fig.update_yaxes(range=[0, 8], **place(1))
    # stacked, only the lower panel names its axis (the upper one's title ran into the lower
    # panel's title)
    fig.update_xaxes(title_text="logit z", **(place(2) if stacked else {}))
    fig.update_layout(
        height=820 if stacked else 400,
        margin={"t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def descend_logit(name: str, z0: float, y: int, learning_rate: float, steps: int) -> np.ndarray:
    """Gradient descent on the logit alone: z <- z - lr dl/dz. Returns z after 0..steps steps."""
    path = [float(z0)]
    for _ in range(steps):
        path.append(path[-1] - learning_rate * PAIRS[name][1](path[-1], y)[1])
    return np.array(path)


def descent_figure(
    paths: dict[str, np.ndarray], y: int, colours: list[str] | None = None
) -> go.Figure:
    """Pr(Y = 1) = sigma(z) along gradient descent for each pair, against the step."""
    palette = pair_colours(colours)
    fig = go.Figure(
        [
            go.Scatter(
                x=np.arange(path.size),
                y=nn.sigmoid(path),
                mode="lines",
                name=name,
                line={"dash": "solid" if PAIRS[name][0] else "dash", "color": palette[name]},
            )
            for name, path in paths.items()
        ]
    )
    fig.add_hline(y=float(y), line_dash="dot", annotation_text=f"target y = {y}")
    fig.update_layout(
        title="σ(z) during gradient descent on z",
        xaxis={"title": "step"},
        yaxis={"title": "σ(z)", "range": [-0.05, 1.05]},
        height=360,
        margin={"t": 50, "b": 40},
    )
    return fig


def log_odds(p: float) -> float:
    """ln(p / (1 - p)), written as ln p - ln(1 - p) with log1p for p near 0."""
    return float(np.log(p) - np.log1p(-p))


def vector_bars_figure(
    series: dict[str, np.ndarray], title: str, index_name: str = "i"
) -> go.Figure:
    """Grouped bars of equally long vectors (e.g. h^k against y), one group per entry i = 1..n,
    labelled by its number under an axis titled `index_name` ("output i", "class i"): "output 1"
    ... "output 8" under each group were turned on their side at presenter type."""
    lengths = {len(np.ravel(values)) for values in series.values()}
    if len(lengths) != 1:
        raise ValueError(f"the vectors must be equally long, got lengths {sorted(lengths)}")
    labels = [str(i) for i in range(1, lengths.pop() + 1)]
    fig = go.Figure()
    # the second series hatched as well as coloured: the pairs of bars apart without colour
    for index, (name, values) in enumerate(series.items()):
        pattern = {"shape": ["", "/", "x", "."][index % 4]}
        fig.add_trace(
            go.Bar(
                x=labels, y=np.asarray(values, dtype=float), name=name, marker={"pattern": pattern}
            )
        )
    fig.update_layout(barmode="group", title=title, height=320, margin={"t": 50, "b": 30})
    fig.update_xaxes(type="category", title=index_name)
    return fig


def two_logit_figure(
    z0_values: np.ndarray, z1: float, current_z0: float, title: str | None = None
) -> go.Figure:
    """Pr(Y = 1) = e^{z_1} / (e^{z_0} + e^{z_1}) against z_0, z_1 fixed (nn.softmax).

    title: the chart's title; the default states what the curve shows ("Increasing z_0 lowers
    Pr(Y = 1)"), so pass a neutral one where the chart sits above a question about it.
    """
    logits = np.column_stack([z0_values, np.full_like(z0_values, z1)])
    prob_one = nn.softmax(logits)[:, 1]
    fig = go.Figure(go.Scatter(x=z0_values, y=prob_one, mode="lines", name="Pr(Y = 1)"))
    current = nn.softmax(np.array([[current_z0, z1]]))[0, 1]
    fig.add_trace(
        go.Scatter(
            x=[current_z0], y=[current], mode="markers", marker={"size": 14}, name="current z₀"
        )
    )
    fig.update_layout(
        title=title if title is not None else f"Increasing z₀ lowers Pr(Y = 1) (z₁ = {z1:g})",
        xaxis={"title": "z₀"},
        yaxis={"title": "Pr(Y = 1 | x)", "range": [0, 1]},
        height=320,
        margin={"t": 50, "b": 40},
    )
    return fig
