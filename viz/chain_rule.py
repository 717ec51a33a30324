"""The chain rule with numbers: every factor of dl/dW^i for one data point, as LaTeX and heat maps.

    dl/dW^i = dl/dh^k A^k A^{k-1} ... A^{i+1} df^i/dW^i,        A^j = diag(sigma'(z^j)) W^j
            = ((dl/dh^k A^k ... A^{i+1}) * sigma'(z^i))^T h^{i-1}

The factors come from ``nn.MLP.chain_rule``; this module only lays them out. Row vectors are
1 x n (the lecture's convention: one data point is a row).
"""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import nncore as nn
from viz import panel_grid
from viz.chart_text import plain
from viz.figure_style import PRESENTER_PANEL_TITLE_PX, SUBPLOT_TITLE_PX
from viz.figure_titles import wrap_label
from viz.margins import CHAR, NARROW_MAIN_PX, TEXT_CHAR
from viz.structure import latex_matrix, parse_widths
from viz.symbols import sup

MAX_WIDTH = 6  # every number of every matrix stays readable
MAX_LAYERS = 5
# each output unit's loss, in Markdown math: the output select box's options (the keys), its
# help text and the page's prose
OUTPUT_LOSSES = {
    "identity": r"squared error $\|h^k - y\|_2^2$, $y$ real",
    "sigmoid": r"negative log-likelihood, $y \in \{0, 1\}$ per output",
    "softmax": "cross-entropy, $y$ a class label",
}
DIGITS = 3


def parse_small_widths(text: str) -> list[int]:
    """ "2, 3, 3, 2" -> [2, 3, 3, 2], small enough to print every number."""
    sizes = parse_widths(text)
    if max(sizes) > MAX_WIDTH:
        raise ValueError(
            f"widths up to {MAX_WIDTH} here, so every number fits on the screen; got {sizes}"
        )
    if len(sizes) - 1 > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} layers here, got {len(sizes) - 1} ({sizes})")
    return sizes


def example(sizes, hidden: str, output: str, seed: int):
    """A network and one data point (x, y) drawn from seed.

    Returns (net, x (n_0,), y): y is (n_k,) reals for identity, (n_k,) 0/1 for sigmoid, an int
    label in 0..n_k-1 for softmax.
    """
    net = nn.MLP(list(sizes), hidden=hidden, output=output, seed=int(seed))
    rng = np.random.default_rng(int(seed) + 1)
    x = rng.standard_normal(sizes[0])
    n_k = sizes[-1]
    if output == "identity":
        y = rng.standard_normal(n_k)
    elif output == "sigmoid":
        y = rng.integers(0, 2, n_k).astype(np.float64)
    else:
        y = int(rng.integers(0, n_k))
    return net, x, y


def row(a) -> str:
    """A row vector 1 x n as a LaTeX bmatrix."""
    return latex_matrix(np.atleast_2d(a), max_rows=8, max_cols=8, digits=DIGITS)


def mat(a) -> str:
    """A matrix as a LaTeX bmatrix with every entry."""
    return latex_matrix(a, max_rows=8, max_cols=8, digits=DIGITS)


def latex_output_gradient(output: str, h_k, y, dl_dh_k) -> str:
    """dl/dh^k for the output unit's loss, symbol and numbers."""
    if output == "identity":
        formula = r"2\,(h^k - y)"
    elif output == "sigmoid":
        formula = r"\frac{h^k - y}{h^k \odot (1 - h^k)}"
    else:
        formula = r"-\,y \oslash h^k \;\;(y\ \text{one-hot})"
    return (
        rf"\frac{{\partial l}}{{\partial h^k}} = {formula} = {row(dl_dh_k)},\qquad "
        rf"h^k = {row(h_k)}"
    )


def latex_jacobian(j: int, k: int, output: str, alpha: float, sigma_prime_j, W, A) -> str:
    """A^j = diag(sigma'(z^j)) W^j with its numbers (the softmax output: J(z^k) W^k)."""
    if j == k and output == "softmax":
        factor = r"\alpha\,(\operatorname{diag}(h^k) - h^{k\top} h^k)"
        return (
            rf"A^{{{j}}} = \underbrace{{{mat(sigma_prime_j)}}}_{{{factor}}}"
            rf"\underbrace{{{mat(W)}}}_{{W^{{{j}}}}} = {mat(A)}"
        )
    return (
        rf"A^{{{j}}} = \operatorname{{diag}}\big(\underbrace{{{row(sigma_prime_j)}}}"
        rf"_{{\sigma'(z^{{{j}}})}}\big)\underbrace{{{mat(W)}}}_{{W^{{{j}}}}} = {mat(A)}"
    )


def latex_product(i: int, k: int, product) -> str:
    """A^k ... A^{i+1} = numbers (the identity when i = k)."""
    if i == k:
        return rf"i = k:\ \text{{no factor above layer {k}; the product is the identity}}"
    names = "".join(f"A^{{{j}}}" for j in range(k, i, -1))
    return rf"{names} = {mat(product)}\quad ({product.shape[0]} \times {product.shape[1]})"


def local_jacobians(net, x, y, i: int) -> list[np.ndarray]:
    """The factor each A^j multiplies W^j by, for j = i+1..k: diag entries sigma'(z^j) (n_j,),
    or for a softmax output the full matrix alpha (diag(h^k) - h^{kT} h^k) (n_k, n_k)."""
    hs, zs = net.forward_trace(np.atleast_2d(x))
    k = net.depth
    out = []
    for j in range(i + 1, k + 1):
        if j == k and net.output == "softmax":
            out.append(net.alpha * nn.softmax_jacobian(hs[-1])[0])
        else:
            name = net.hidden[j - 1] if j < k else net.output
            out.append(nn.get_activation(name).grad(zs[j - 1])[0])
    return out


def _cell_text(value: float, digits: int | None) -> str:
    """A cell's number: `digits` decimals, or (None) one significant digit, "1e-17"; "" for NaN."""
    if not np.isfinite(value):
        return ""
    if digits is None:
        return re.sub(r"e([+-])0*(\d)", r"e\1\2", f"{value:.0e}")
    return f"{value:.{digits}f}"


def _heatmap(z, text_digits: int | None = 2, scale=None, colorscale="RdBu", reverse=True):
    z = np.atleast_2d(np.asarray(z, dtype=float))
    scale = scale or (float(np.max(np.abs(z))) or 1.0)
    return go.Heatmap(
        z=z,
        x=[str(c) for c in range(1, z.shape[1] + 1)],
        y=[str(r) for r in range(1, z.shape[0] + 1)],
        zmin=-scale,
        zmax=scale,
        zmid=0.0,
        colorscale=colorscale,
        reversescale=reverse,
        showscale=False,
        # each cell's number as text, so that viz.cell_ink can write it in the ink its cell needs
        text=[[_cell_text(v, text_digits) for v in row] for row in z],
        texttemplate="%{text}",
        textfont={"size": 12},  # fixed: presenter type would overlap in narrow cells
        hovertemplate="row %{y}, column %{x}: %{z:.6g}<extra></extra>",
    )


# The maps' numbers, 12 px (_heatmap): a digit and the letter e margins.CHAR of it wide, a sign
# or a point 0.3; a cell holds its number with CELL_PAD_PX to spare. The gap between two panels, and
# the rows of a panel's title as figure_style wraps it.
CELL_FONT_PX, CELL_PAD_PX, PANEL_GAP_PX, TITLE_CHARS = 12, 4, 16, 14
ROW_TITLE_PX = 56  # above each row of maps: its titles, two lines in presenter type


def _text_px(text: str) -> float:
    wide = sum(char.isdigit() or char == "e" for char in text)
    return CELL_FONT_PX * (CHAR * wide + 0.3 * (len(text) - wide))


def panels_per_row(panels, presenter: bool, width_px: float = NARROW_MAIN_PX - 20) -> int:
    """How many maps (2-D arrays of their cells' numbers as text, and titles) a row holds at a
    1024 px laptop's main column (the narrowest above a phone), every cell as wide as the
    widest number of its map needs and the panels' titles apart: 6 x 6 Jacobians in a row of
    seven put their numbers on each other and the titles of the row under them ran into their
    neighbours'."""
    font = PRESENTER_PANEL_TITLE_PX if presenter else SUBPLOT_TITLE_PX
    need = 0.0
    for texts, title in panels:
        cell = max((_text_px(text) for row in texts for text in row), default=0.0) + CELL_PAD_PX
        title_px = TEXT_CHAR * font * max(len(line) for line in _title_lines(title))
        need = max(need, len(texts[0]) * cell, title_px)
    return max(1, int((width_px + PANEL_GAP_PX) // (need + PANEL_GAP_PX)))


def _title_lines(title: str) -> list[str]:
    lines = (wrap_label(title, TITLE_CHARS) or "").split("<br>")
    return [plain(line) for line in lines]


def chain_figure(chain, grad_backprop: np.ndarray, presenter: bool = False) -> go.Figure:
    """Heat maps with their numbers, in two groups, each in rows of panels_per_row maps.

    First: dl/dh^k, then A^k, ..., A^{i+1}, then their ordered product and dl/dh^i.
    Then: sigma'(z^i)^T h^{i-1} (the outer product), dl/dW^i from the product form,
    dl/dW^i from backprop, and their difference.
    """
    i = chain.layer
    k = i + len(chain.jacobians)
    top = [(chain.dl_dh_k, "∂l/∂hᵏ")]
    top += [
        (A, f"A{sup(j)}") for j, A in zip(range(k, i, -1), reversed(chain.jacobians), strict=True)
    ]
    if chain.jacobians:
        top.append((chain.product, "Aᵏ ⋯ Aⁱ⁺¹" if i + 1 < k else f"A{sup(k)}"))
    top.append((chain.dl_dh_i, f"∂l/∂h{sup(i)}"))
    outer = chain.outer if chain.outer is not None else np.full_like(chain.grad_W, np.nan)
    outer_title = "σ′(zⁱ)ᵀ hⁱ⁻¹" if chain.outer is not None else "(softmax: not elementwise)"
    bottom = [
        (outer, outer_title),
        (chain.grad_W, "∂l/∂Wⁱ, product form"),
        (grad_backprop, "∂l/∂Wⁱ, backprop"),
        (chain.grad_W - grad_backprop, "difference"),
    ]
    gradient_scale = float(np.max(np.abs(grad_backprop))) or 1.0
    maps = []
    for z, title in top + bottom:
        if title == "difference":
            maps.append(_heatmap(z, text_digits=None, scale=float(np.max(np.abs(z))) or 1.0))
        else:
            maps.append(_heatmap(z, scale=gradient_scale if title.startswith("∂l/∂W") else None))
    texts = [(heatmap.text, title) for heatmap, (_, title) in zip(maps, top + bottom, strict=True)]
    n_cols = min(panels_per_row(texts, presenter), max(len(top), len(bottom)))
    groups = [(panels, -(-len(panels) // n_cols)) for panels in (top, bottom)]
    # each group's cells after its last map get no axes (a spec of None): no empty frame
    specs = [row for panels, rows in groups for row in panel_grid.specs(len(panels), rows, n_cols)]
    place = []  # (row, col) of every map, in the order of top + bottom
    first_row = 0
    for panels, rows in groups:
        cells = (panel_grid.cell(n, n_cols) for n in range(len(panels)))
        place += [(first_row + row, col) for row, col in cells]
        first_row += rows
    n_rows = len(specs)
    row_px = max(140, 26 * max(np.atleast_2d(z).shape[0] for z, _ in top + bottom))
    height = n_rows * (row_px + ROW_TITLE_PX) + 90
    fig = make_subplots(
        rows=n_rows,
        cols=n_cols,
        specs=specs,
        subplot_titles=[title for _, title in top + bottom],
        horizontal_spacing=PANEL_GAP_PX / (NARROW_MAIN_PX - 20),
        vertical_spacing=ROW_TITLE_PX / (height - 90),
    )
    for heatmap, (row, col) in zip(maps, place, strict=True):
        fig.add_trace(heatmap, row=row, col=col)
    fig.update_yaxes(autorange="reversed", showticklabels=False)
    fig.update_xaxes(showticklabels=False)
    fig.update_layout(
        title=f"Layer {i}: factors and gradient",
        height=height,
        margin={"t": 90, "l": 10, "r": 10, "b": 10},
    )
    return fig
