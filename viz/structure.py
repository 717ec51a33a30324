"""Figures for the structure of an MLP: the layer product written out, heat maps, the graph.

Notation (the lecture's): h^0 = x is (m, n_0); z^i = h^{i-1} W^{i T} + b^i and h^i = sigma(z^i)
are (m, n_i); W^i is (n_i, n_{i-1}), one row per output unit; b^i is (n_i,).
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from viz import chart_text
from viz.symbols import sub, sup
from viz.widths import split_widths

MAX_WIDTH = 32
MAX_LAYERS = 8
POSITIVE_COLOUR = "#0072B2"
NEGATIVE_COLOUR = "#D55E00"
# An edge's sign by colour and by stroke, so that it shows without colour vision (WCAG 1.4.1), as
# in the playground's picture (viz.playground_network: blue solid > 0, vermillion dashed < 0):
# (positive, is_bias) -> (name, colour, dash). Bias edges, from the "+1" nodes, are dotted and
# dash-dotted. A NaN weight is drawn as a negative one, as there.
EDGE_STYLES = {
    (True, False): ("weight ≥ 0", POSITIVE_COLOUR, "solid"),
    (False, False): ("weight < 0", NEGATIVE_COLOUR, "dash"),
    (True, True): ("bias ≥ 0", POSITIVE_COLOUR, "dot"),
    (False, True): ("bias < 0", NEGATIVE_COLOUR, "dashdot"),
}
# the chart's key, on two short lines (on one it ran past a phone's 304 px chart); no-break
# spaces keep each entry whole when a narrow column wraps a line
EDGE_KEY_ENTRIES = ("+ blue solid", "− orange dashed", "bias dotted (− dash-dot)")
EDGE_KEY_TEXT = "; ".join(EDGE_KEY_ENTRIES)  # as words, in the chart's text alternative
EDGE_KEY = "; ".join(e.replace(" ", "\u00a0") for e in EDGE_KEY_ENTRIES[:2])
EDGE_KEY += "<br>" + EDGE_KEY_ENTRIES[2].replace(" ", "\u00a0")
N_WIDTH_LEVELS = 6


def parse_widths(text: str) -> list[int]:
    """ "3, 4, 4, 2" -> [3, 4, 4, 2] = [n_0, n_1, ..., n_k]; a clear ValueError otherwise.

    ';' separates widths too ("3, 4; 4 2").
    """
    widths = [w for chunk in str(text).split(";") for w in split_widths(chunk)]
    if len(widths) < 2:
        raise ValueError(
            f"need at least two widths n₀, nₖ (input and output), got {text!r}; e.g. '3, 4, 2'"
        )
    if any(w < 1 or w > MAX_WIDTH for w in widths):
        raise ValueError(f"every width must be between 1 and {MAX_WIDTH}, got {widths}")
    if len(widths) - 1 > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} layers here, got {len(widths) - 1} ({widths})")
    return widths


def latex_matrix(a: np.ndarray, max_rows: int = 5, max_cols: int = 5, digits: int = 2) -> str:
    """A bmatrix of the numbers in a (1-D arrays are one row), elided with dots past the limits.

    a: (r, c) or (c,). Shows the first max_rows - 1 rows, a row of dots and the last row when
    r > max_rows (columns likewise).
    """
    a = np.atleast_2d(np.asarray(a, dtype=float))
    rows, cols = a.shape

    def keep(n: int, limit: int) -> list[int | None]:
        if n <= limit:
            return list(range(n))
        return [*range(limit - 2), None, n - 1]

    body = []
    for r in keep(rows, max_rows):
        if r is None:
            body.append(
                " & ".join(r"\vdots" if c is not None else r"\ddots" for c in keep(cols, max_cols))
            )
            continue
        body.append(
            " & ".join(
                r"\cdots" if c is None else f"{a[r, c]:.{digits}f}" for c in keep(cols, max_cols)
            )
        )
    return r"\begin{bmatrix}" + r" \\ ".join(body) + r"\end{bmatrix}"


def latex_layer_product(
    layer: int, h_prev: np.ndarray, W: np.ndarray, b: np.ndarray | None, z: np.ndarray
) -> str:
    """h^{i-1} W^{iT} + b^i = z^i with the actual numbers (b^i omitted when the layer has none).

    h_prev: (m, n_{i-1}), W: (n_i, n_{i-1}), b: (n_i,) or None, z: (m, n_i).
    One flat product with a break point between the factors (\\allowbreak) and after + and =:
    a narrow column shows the factors on separate lines instead of cutting off b^i.
    """
    i, p = layer, layer - 1
    parts = [
        rf"\underbrace{{{latex_matrix(h_prev)}}}_{{h^{{{p}}}}}",
        r"\allowbreak ",
        rf"\underbrace{{{latex_matrix(W.T)}}}_{{W^{{{i}\top}}}}",
    ]
    if b is not None:
        parts.append(rf" + \underbrace{{{latex_matrix(b)}}}_{{b^{{{i}}}}}")
    parts.append(rf" = \underbrace{{{latex_matrix(z)}}}_{{z^{{{i}}}}}")
    return "".join(parts)


def shapes_table(hs: list[np.ndarray], zs: list[np.ndarray], weights, biases) -> pd.DataFrame:
    """One row per layer i = 1..k with the shapes of h^{i-1}, W^i, b^i, z^i, h^i as computed."""
    rows = []
    for i, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
        rows.append(
            {
                "layer i": i,
                "hⁱ⁻¹": str(hs[i - 1].shape),
                "Wⁱ": str(W.shape),
                "bⁱ": "none" if b is None else str(b.shape),
                "zⁱ": str(zs[i - 1].shape),
                "hⁱ": str(hs[i].shape),
                "parameters": W.size + (0 if b is None else b.size),
            }
        )
    return pd.DataFrame(rows)


MARGIN = {"t": 40, "b": 20, "l": 20, "r": 20}
ROW_GAP_PX = 80  # tick labels (22 px type, their standoff) and a title of the same size


def heatmaps_figure(
    matrices: list[np.ndarray], titles: list[str], per_row: int = 5, row_height: int = 280
) -> go.Figure:
    """Heat maps on one diverging colour scale centred at zero, at most `per_row` in a row
    (more side by side leave each too narrow for its title and tick labels: nine layers of
    width 32 overlapped both on a projector).

    matrices: 2-D arrays (e.g. W^1..W^k, each (n_i, n_{i-1}), or h^0..h^k, each (m, n_i)).
    """
    if not matrices:
        raise ValueError("heatmaps_figure needs at least one matrix")
    if per_row < 1:
        raise ValueError(f"per_row must be at least 1, got {per_row}")
    scale = max(float(np.max(np.abs(mat))) if np.size(mat) else 0.0 for mat in matrices) or 1.0
    # The panels' axes and titles laid out directly (make_subplots took half a second for nine
    # panels): a grid of equal cells with gaps between them.
    n = len(matrices)
    cols, rows = min(n, per_row), -(-n // per_row)
    # room between panels for the next panel's row labels ("32" at projector size), and between
    # rows for a panel's column labels and the title of the panel below (in pixels: a fraction
    # of the height put the title on the labels at projector size)
    plot_height = row_height * rows - MARGIN["t"] - MARGIN["b"]
    gap_x, gap_y = (0.09 if cols <= 3 else 0.06), (ROW_GAP_PX / plot_height if rows > 1 else 0.0)
    width = (1.0 - gap_x * (cols - 1)) / cols
    height = (1.0 - gap_y * (rows - 1)) / rows
    data, layout = [], {"annotations": []}
    for index, mat in enumerate(matrices):
        mat = np.atleast_2d(mat)
        suffix = "" if index == 0 else str(index + 1)
        row, col = divmod(index, cols)
        left = col * (width + gap_x)
        top = 1.0 - row * (height + gap_y)
        data.append(
            {
                "type": "heatmap",
                "z": mat,
                "x": np.arange(1, mat.shape[1] + 1),
                "y": np.arange(1, mat.shape[0] + 1),
                "zmin": -scale,
                "zmax": scale,
                "zmid": 0.0,
                "colorscale": "RdBu",
                "showscale": index == n - 1,
                "name": titles[index],
                "hovertemplate": "row %{y}, column %{x}: %{z:.3f}<extra></extra>",
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
            }
        )
        # a few tick labels per panel: dtick 1 squeezed 16+ labels together
        ticks = max(2, 8 // cols)
        layout[f"xaxis{suffix}"] = {
            "domain": [max(0.0, left), min(1.0, left + width)],
            "anchor": f"y{suffix}",
            "dtick": max(1, int(np.ceil(mat.shape[1] / ticks))),
        }
        layout[f"yaxis{suffix}"] = {
            "domain": [max(0.0, top - height), min(1.0, top)],
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "dtick": max(1, int(np.ceil(mat.shape[0] / ticks))),
        }
        layout["annotations"].append(
            {"text": titles[index], "x": left + width / 2, "y": top, "xref": "paper",
             "yref": "paper", "xanchor": "center", "yanchor": "bottom", "showarrow": False}
        )  # fmt: skip
    layout.update(height=row_height * rows, margin=dict(MARGIN))
    return go.Figure({"data": data, "layout": layout})


def _node_positions(sizes: list[int]) -> list[np.ndarray]:
    """y-coordinate of every unit, each layer centred on 0 (one array per layer)."""
    return [np.arange(n)[::-1] - (n - 1) / 2.0 for n in sizes]


def strongest_edges(W: np.ndarray, limit: int | None) -> np.ndarray:
    """A boolean mask (n_i, n_{i-1}) of the `limit` weights of W with the largest |w| (all of
    them when W has at most `limit` entries or limit is None); ties broken by position."""
    if limit is None or W.size <= limit:
        return np.ones(W.shape, dtype=bool)
    flat = np.abs(W).ravel()
    keep = np.argsort(-flat, kind="stable")[:limit]
    mask = np.zeros(W.size, dtype=bool)
    mask[keep] = True
    return mask.reshape(W.shape)


def network_graph_figure(
    weights: list[np.ndarray],
    biases: list[np.ndarray | None],
    activations: list[np.ndarray] | None = None,
    height: int = 460,
    layer_names: bool = True,
    max_edges_per_layer: int | None = None,
) -> go.Figure:
    """The network as a graph: edge width ~ |W^i_{jl}|, sign by colour and stroke (EDGE_STYLES);
    biases as "+1" nodes.

    weights: W^1..W^k, W^i (n_i, n_{i-1}); biases: b^i (n_i,) or None;
    activations: optional h^0..h^k for ONE data point, h^i (n_i,), colouring the units.
    layer_names: label the layers h^0..h^k; False labels them input / hidden / output only.
    max_edges_per_layer: draw only the strongest this many weights of each W^i (all of them
    by default); a 32 x 32 layer has 1,024 edges that a browser draws slowly and nobody can
    tell apart. Bias edges are always drawn.
    """
    sizes = [weights[0].shape[1]] + [W.shape[0] for W in weights]
    ys = _node_positions(sizes)
    top = max(sizes) / 2.0 + 0.6
    has_bias = any(b is not None for b in biases)
    edge_max = max(float(np.max(np.abs(W))) for W in weights)
    if has_bias:
        edge_max = max(edge_max, *(float(np.max(np.abs(b))) for b in biases if b is not None))
    edge_max = edge_max or 1.0

    # Every edge as (x0, y0, x1, y1, value, is_bias), built with numpy (a 9 x 32 network has
    # 8,448 edges; a Python loop over them took over a second).
    segments = []
    for i, W in enumerate(weights, start=1):
        n_out, n_in = W.shape
        y_in = np.broadcast_to(ys[i - 1][None, :], (n_out, n_in))
        y_out = np.broadcast_to(ys[i][:, None], (n_out, n_in))
        shown = strongest_edges(W, max_edges_per_layer)
        segments.append((i - 1.0, y_in[shown], float(i), y_out[shown], W[shown], False))
        if biases[i - 1] is not None:
            segments.append((i - 1.0, np.full(n_out, top), float(i), ys[i], biases[i - 1], True))
    # Group them by (sign, width level, is_bias): a handful of traces however many edges, each
    # one path with a gap (NaN) after every segment.
    groups: dict[tuple[bool, int, bool], tuple[list, list]] = {}
    for x0, y0, x1, y1, values, is_bias in segments:
        levels = np.minimum(
            N_WIDTH_LEVELS - 1, (N_WIDTH_LEVELS * np.abs(values) / edge_max).astype(int)
        )
        for positive in (True, False):
            for level in np.unique(levels):
                chosen = (levels == level) & ((values >= 0) == positive)
                count = int(chosen.sum())
                if not count:
                    continue
                xs = np.tile([x0, x1, np.nan], count)
                yv = np.column_stack([y0[chosen], y1[chosen], np.full(count, np.nan)]).ravel()
                group = groups.setdefault((positive, int(level), is_bias), ([], []))
                group[0].append(xs)
                group[1].append(yv)
    groups = {key: (np.concatenate(xs), np.concatenate(yv)) for key, (xs, yv) in groups.items()}

    fig = go.Figure()
    for (positive, level, is_bias), (xs, yv) in sorted(groups.items()):
        name, colour, dash = EDGE_STYLES[positive, is_bias]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=yv,
                mode="lines",
                name=name,
                line={"color": colour, "width": 0.6 + 1.2 * level, "dash": dash},
                opacity=0.35 + 0.1 * level,
                hoverinfo="skip",
                showlegend=False,
            )
        )
    node_x = np.concatenate([np.full(n, layer, dtype=float) for layer, n in enumerate(sizes)])
    node_y = np.concatenate(ys)
    labels = [f"h{sup(layer)}{sub(unit + 1)}" for layer, n in enumerate(sizes) for unit in range(n)]
    marker = {"size": 22, "line": {"width": 2, "color": "#333333"}, "color": "#ffffff"}
    if activations is not None:
        values = np.concatenate([np.ravel(h) for h in activations])
        marker.update(
            color=values,
            colorscale="Viridis",
            showscale=True,
            colorbar={"title": "h value", "thickness": 12},
        )
        labels = [f"{name} = {v:.3f}" for name, v in zip(labels, values, strict=True)]
    fig.add_trace(
        go.Scatter(
            x=node_x,
            y=node_y,
            mode="markers",
            marker=marker,
            text=labels,
            hoverinfo="text",
            showlegend=False,
            name="units",
        )
    )
    if has_bias:
        bias_layers = [layer for layer in range(len(sizes) - 1) if biases[layer] is not None]
        fig.add_trace(
            go.Scatter(
                x=bias_layers,
                y=[top] * len(bias_layers),
                mode="markers+text",
                text=["+1"] * len(bias_layers),
                textposition="middle center",
                # dark type on the light square in every theme (the dark template's white
                # default made it white on white)
                textfont={"color": "#000000", "size": 13},
                marker={
                    "size": 24,
                    "symbol": "square",
                    "color": "#eeeeee",
                    "line": {"width": 2, "color": "#333333"},
                },
                hovertext=[
                    f"bias input of layer {layer + 1}: b{sup(layer + 1)}" for layer in bias_layers
                ],
                hoverinfo="text",
                showlegend=False,
                name="bias",
            )
        )
    if layer_names:
        # superscripts, as the page's formulas write them (Unicode: the text alternative reads
        # the same hⁱ)
        names = ["h⁰ = x"] + [f"h{sup(i)}" for i in range(1, len(sizes) - 1)]
        names.append(f"h{sup(len(sizes) - 1)} (output)")
    else:
        names = ["input"] + ["hidden"] * (len(sizes) - 2) + ["output"]
    fig.update_xaxes(
        tickvals=list(range(len(sizes))), ticktext=names, showgrid=False, zeroline=False
    )
    fig.update_yaxes(visible=False)
    fig.update_layout(
        height=height,
        margin={"t": 30, "b": 30, "l": 20, "r": 20},
        # a key, not a headline: short and small, so it fits a narrow column (the home page
        # shows this graph in half the width) even in presenter mode; the width ~ |w| rule is
        # in the chart's text alternative and the page text
        title={"text": EDGE_KEY, "font": {"size": 14}},
        # what the chart is and its numbers, for its text alternative (viz.chart_text): the
        # title is only the key, and the edges' traces are paths that mean nothing read aloud
        meta={
            "name": f"The network {sizes}: "
            + ("each unit coloured by its value, " if activations is not None else "")
            + f"each edge by its weight (width ~ |w|; {EDGE_KEY_TEXT})",
            "lines": graph_words(weights, biases, activations, max_edges_per_layer),
        },
    )
    return fig


def graph_words(
    weights: list[np.ndarray],
    biases: list[np.ndarray | None],
    activations: list[np.ndarray] | None = None,
    max_edges_per_layer: int | None = None,
) -> list[str]:
    """The network graph in words, from the arrays it draws: per layer its weights' range and
    strongest weight, its biases, the edges drawn, and the units' values for the data point."""
    sizes = [weights[0].shape[1]] + [W.shape[0] for W in weights]
    n_params = sum(
        W.size + (0 if b is None else b.size) for W, b in zip(weights, biases, strict=True)
    )
    lines = [
        " -> ".join(f"h{sup(i)} ({n} unit{'s' if n != 1 else ''})" for i, n in enumerate(sizes))
        + f"; {n_params} weights and biases."
    ]
    if activations is not None:
        lines.append(f"h⁰ = x for this data point: {chart_text.values(activations[0])}.")
    for i, W in enumerate(weights, start=1):
        j, k = np.unravel_index(int(np.argmax(np.abs(W))), W.shape)
        low, high, strongest = map(chart_text.number, (W.min(), W.max(), W[j, k]))
        text = (
            f"W{sup(i)} ({W.shape[0]} × {W.shape[1]}): weights from {low} to {high}; the "
            f"strongest, {strongest}, joins unit {k + 1} of h{sup(i - 1)} to unit {j + 1} of "
            f"h{sup(i)}"
        )
        drawn = int(strongest_edges(W, max_edges_per_layer).sum())
        if drawn < W.size:
            text += f" ({drawn} of {W.size} edges drawn, the strongest)"
        b = biases[i - 1]
        text += "; no biases" if b is None else f"; biases b{sup(i)}: {chart_text.values(b)}"
        if activations is not None:
            text += f"; units h{sup(i)}: {chart_text.values(activations[i])}"
        lines.append(text + ".")
    return lines


def product_residual(
    h_prev: np.ndarray, W: np.ndarray, b: np.ndarray | None, z: np.ndarray
) -> float:
    """max |h^{i-1} W^{iT} + b^i - z^i|: the written-out product against the network's own z^i."""
    product = h_prev @ W.T + (0.0 if b is None else b)
    return float(np.max(np.abs(product - z)))
