"""Where the lecture slides slip, and the form nnlab uses instead, with the numbers that show it.

Each note names the line of the lecture text (shared/lecture, "L<line>"), what the slide writes,
what nnlab writes, and why. Notes whose point is a number get it from ``note_numbers``, computed
live by nncore, so the page never states a number it did not compute.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

import nncore as nn
from nncore.regions import unit_hyperplane
from viz.symbols import sub

PART_ORDER = (
    "Structure and notation",
    "Output units and softmax",
    "Activations and gradients",
    "Width and depth",
    "What a unit represents",
)


@dataclass(frozen=True)
class Note:
    """One slip: the lecture's lines, what the slide writes, what nnlab writes, and why.

    slide and correct are Markdown with inline $...$ LaTeX; kind is "notation" (a typo or
    index), "statement" (the sentence is false or overstated as written) or "gloss" (true but
    easy to misread).
    """

    part: str
    lines: str
    kind: str
    slide: str
    correct: str
    why: str


def note_numbers() -> dict[str, float]:
    """Every number the notes quote, computed by nncore.

    naive_exp_1000: e^1000 in float64 (inf); stable_softmax_1000: softmax([1000, 0])_1;
    equal_logits_alpha5_gap: max |softmax(5 z) - softmax(z)| for z = (2, 2, 2);
    ties_alpha1000: softmax((1, 1, 0), alpha = 1000) as three numbers tie_1, tie_2, tie_3;
    relu_at_minus2: relu(-2); product_order_gap: relative difference of A^4 A^3 A^2 and
    A^2 A^3 A^4 for a [3, 4, 4, 4, 4] tanh net at one point; plane_distance and
    plane_distance_doubled: |b|/||w|| for w = (3, 4), b = 10 and for (2w, 2b).
    """
    with np.errstate(over="ignore"):
        naive = float(np.exp(np.float64(1000.0)))
    ties = nn.softmax(np.array([1.0, 1.0, 0.0]), alpha=1000.0)
    z = np.array([2.0, 2.0, 2.0])
    net = nn.MLP([3, 4, 4, 4, 4], hidden="tanh", output="identity", seed=0)
    x = np.random.default_rng(0).standard_normal((1, 3))
    A = [a[0] for a in net.input_jacobians(x)]  # A^1..A^4
    top_down = A[3] @ A[2] @ A[1]
    bottom_up = A[1] @ A[2] @ A[3]
    return {
        "naive_exp_1000": naive,
        "stable_softmax_1000": float(nn.softmax(np.array([1000.0, 0.0]))[0]),
        "equal_logits_alpha5_gap": float(np.max(np.abs(nn.softmax(5 * z) - nn.softmax(z)))),
        "tie_1": float(ties[0]),
        "tie_2": float(ties[1]),
        "tie_3": float(ties[2]),
        "relu_at_minus2": float(nn.relu(np.array([-2.0]))[0]),
        "product_order_gap": nn.relative_error(top_down, bottom_up),
        "plane_distance": unit_hyperplane(np.array([3.0, 4.0]), 10.0).distance,
        "plane_distance_doubled": unit_hyperplane(np.array([6.0, 8.0]), 20.0).distance,
    }


def notes(numbers: dict[str, float]) -> list[Note]:
    """The notes in lecture order, with the live numbers filled in."""
    n = numbers
    return [
        Note(
            "Structure and notation",
            "L30",
            "gloss",
            r"$\theta = \{W^i\}_{i=1}^k$",
            r"$\theta = \{W^i, b^i\}_{i=1}^k$",
            "Every network in nnlab has biases (the slides add $b^i$ only at L599), and they are "
            "trained like the weights, so they belong to $\\theta$ and to the parameter counts.",
        ),
        Note(
            "Structure and notation",
            "L50, L60",
            "notation",
            r"rows 1 and 2 repeat the first index: $x_{1,1}, x_{1,2}, \dots$ twice (also in "
            r"$h^0$ and $z^1$)",
            r"row 2 is $x_{2,1}, x_{2,2}, \dots, x_{2,n_0}$ (row $r$ is data point $r$)",
            "The first index is the data point (the row), the second the feature.",
        ),
        Note(
            "Structure and notation",
            "L60",
            "notation",
            r"a stray $hW^1_{2,n_0}$ inside $W^{1\top}$",
            r"$W^1_{2,n_0}$",
            r"A typo: the entry belongs to $W^{1\top}$, not to $h$.",
        ),
        Note(
            "Structure and notation",
            "L78",
            "notation",
            r"$h^k = f^i(h^{k-1}, W^k)$",
            r"$h^k = f^k(h^{k-1}, W^k)$",
            "The output layer is layer $k$.",
        ),
        Note(
            "Output units and softmax",
            "L122, L130, L140, L222, L239",
            "notation",
            r"$z = h^{k-1} W^k$",
            r"$z^k = h^{k-1} W^{k\top} + b^k$",
            "$W^k$ is $(n_k, n_{k-1})$ with one row per output unit, so the product needs its "
            "transpose, as in every other layer ($h^{k-1}$ is $1 \\times n_{k-1}$).",
        ),
        Note(
            "Output units and softmax",
            "L241",
            "notation",
            r"$\big[\tfrac{e^{z_1}}{\sum_j e^{z_j}}, \tfrac{e^{z_1}}{\sum_j e^{z_j}}, \dots\big]$",
            r"$\big[\tfrac{e^{z_1}}{\sum_j e^{z_j}}, \tfrac{e^{z_2}}{\sum_j e^{z_j}}, \dots\big]$",
            "Entry $i$ holds $e^{z_i}$ (the slide before, L222, has it right).",
        ),
        Note(
            "Output units and softmax",
            "L316",
            "statement",
            r"$\sigma(z - \max_i z_i)$ avoids numerical stability",
            r"$\sigma(z - \max_i z_i)$ avoids numerical **instability** (overflow)",
            f"In float64 $e^{{1000}}$ = {n['naive_exp_1000']} (overflow), so the naive softmax "
            "of $(1000, 0)$ is inf/inf = nan; after subtracting the maximum the largest exponent "
            f"is $e^0 = 1$ and the result is {n['stable_softmax_1000']:.1f} for class 1.",
        ),
        Note(
            "Output units and softmax",
            "L322",
            "statement",
            r"$\alpha > 0,\ \sigma(z) \neq \sigma(\alpha z)$",
            r"in general $\sigma(\alpha z) \neq \sigma(z)$; equal for $\alpha = 1$ or when all "
            r"$z_i$ are equal",
            "Softmax is not invariant to scaling, but the slide's inequality is not true for "
            "every $z$: for $z = (2, 2, 2)$, softmax$(5z)$ and softmax$(z)$ differ by "
            f"{n['equal_logits_alpha5_gap']:.1e} (both uniform).",
        ),
        Note(
            "Output units and softmax",
            "L326",
            "statement",
            r"$\alpha \to \infty$: probability 1 for the largest $i$, 0 for the others",
            r"$\alpha \to \infty$: the mass splits evenly over the tied largest $z_i$",
            "With a tie there is no single largest $i$: softmax$((1, 1, 0), \\alpha = 1000)$ = "
            f"({n['tie_1']:.2f}, {n['tie_2']:.2f}, {n['tie_3']:.2f}).",
        ),
        Note(
            "Output units and softmax",
            "L328",
            "gloss",
            r"$\alpha$ is called the temperature of the softmax",
            r"$\alpha$ is an **inverse** temperature: $T = 1/\alpha$, "
            r"$\Pr(\hat Y = i) = e^{z_i/T} / \sum_j e^{z_j/T}$",
            "Raising $\\alpha$ lowers the temperature and sharpens the distribution (the figure "
            "below); libraries write the temperature $T = 1/\\alpha$.",
        ),
        Note(
            "Activations and gradients",
            "L350",
            "statement",
            r"ReLU $\max(0, x)$: always $+$ve",
            r"ReLU is nonnegative: $\max(0, x) \geq 0$, and $= 0$ for every $x \leq 0$",
            rf"$\operatorname{{relu}}(-2) = {n['relu_at_minus2']:.0f}$: half the line maps to "
            "zero, which is what makes a unit dead when its $z$ is negative on every input (L483).",
        ),
        Note(
            "Activations and gradients",
            "L391",
            "gloss",
            "with enough hidden units, they all can represent similar functions",
            r"true for the four listed (sigmoid, tanh, ReLU, softplus): all are non-polynomial",
            "Universal approximation needs a non-polynomial $\\sigma$ (Leshno et al. 1993): with "
            "identity hidden units every network is one affine map, however wide.",
        ),
        Note(
            "Activations and gradients",
            "L412",
            "notation",
            r"$\frac{\partial f^k(h^{k-1}, w^k)}{\partial w_i}\,\frac{\partial h^{k-1}}{\partial "
            r"w_i}\cdots$",
            r"$\frac{\partial f^k(h^{k-1}, W^k)}{\partial h^{k-1}}\,\frac{\partial h^{k-1}}"
            r"{\partial W^i}\cdots$",
            "The chain rule goes through each layer's input $h^{j-1}$, not its weights; the next "
            "slide (L418) writes it this way.",
        ),
        Note(
            "Activations and gradients",
            "L441, L447",
            "gloss",
            r"$\frac{\partial f^i}{\partial W^i} = \sigma'(z^i)^\top h^{i-1}$ (a matrix)",
            r"$\frac{\partial f^i}{\partial W^i}$ is a 3-D array, "
            r"$\frac{\partial h^i_a}{\partial W^i_{bc}} = [a = b]\,\sigma'(z^i_a)\,h^{i-1}_c$; "
            r"$\frac{\partial l}{\partial W^i} = (g \odot \sigma'(z^i))^\top h^{i-1}$ with "
            r"$g = \frac{\partial l}{\partial h^i}$",
            "The outer product holds the array's non-zero entries; contracting it with the "
            "row vector $g$ from the layers above gives the gradient (the chain-rule page "
            "shows every number). L447 also mixes the indices $z^i_{1,j}$ and $z^i_j$.",
        ),
        Note(
            "Activations and gradients",
            "L474, L495",
            "gloss",
            "sigmoid: makes gradient smaller",
            r"each sigmoid layer multiplies by $\operatorname{diag}(\sigma'(z))W$ with "
            r"$\sigma' \leq 1/4$: it shrinks the gradient unless the weights are large",
            "Large weights can make up for $\\sigma' \\leq 1/4$, at the price of saturating "
            "units (the gradients page maps where sigmoid vanishes and where it does not).",
        ),
        Note(
            "Activations and gradients",
            "L530, L542",
            "notation",
            r"$\prod_{j=i+1}^{k} A^j$",
            r"$A^k A^{k-1} \cdots A^{i+1}$, in this order",
            "Matrices do not commute: for a [3, 4, 4, 4, 4] tanh network, $A^4A^3A^2$ and "
            f"$A^2A^3A^4$ differ by a relative {n['product_order_gap']:.2f}.",
        ),
        Note(
            "Width and depth",
            "L574",
            "statement",
            r"for *some* function $f$ on a compact set $\mathcal{X}$ there exists a network "
            "with one hidden layer",
            r"for *every* continuous $f$ on a compact $\mathcal{X} \subset \mathbb{R}^{n_0}$ and "
            r"every $\varepsilon > 0$, if $\sigma$ is not a polynomial",
            "Cybenko (1989) for sigmoids, Hornik (1991), Leshno et al. (1993) for any "
            "non-polynomial $\\sigma$; 'some $f$' would make the theorem empty.",
        ),
        Note(
            "Width and depth",
            "L576",
            "statement",
            "hidden layer may need to be infinitely wide",
            "arbitrarily wide: each $\\varepsilon$ needs a finite width $n_1(\\varepsilon)$",
            "The width grows without bound only as $\\varepsilon \\to 0$; no network is "
            "infinitely wide.",
        ),
        Note(
            "Width and depth",
            "L577",
            "gloss",
            "other results for infinite depth",
            r"bounded width, arbitrary depth: ReLU networks of width $n_0 + 1$ approximate any "
            r"continuous $f$ on a compact set (Hanin & Sellke 2017)",
            "As with width, each $\\varepsilon$ needs a finite depth (the approximation page "
            "fits a [1, 3, 3, 3, 3, 3, 1] network).",
        ),
        Note(
            "Width and depth",
            "L588",
            "statement",
            "a wide layer after a narrow layer provides no value",
            "a wide layer cannot recover what a narrow one discarded, but it can still add pieces",
            "A width-1 layer on 2-D inputs keeps one projection $x w^\\top$, and nothing after "
            "it can undo that; a wide layer after a narrow one still bends the function more "
            "(the approximation page measures both).",
        ),
        Note(
            "What a unit represents",
            "L599, L607, L620",
            "notation",
            r"$z^i = h^{i-1} W^{i-1\top} + b^i$",
            r"$z^i = h^{i-1} W^{i\top} + b^i$",
            "Layer $i$ uses its own weights $W^i$, as on every earlier slide.",
        ),
        Note(
            "What a unit represents",
            "L601, L609",
            "notation",
            r"$\sigma(x) = \frac{1}{1 + e^{-z^i}}$",
            r"$h^i = \sigma(z^i) = \frac{1}{1 + e^{-z^i}}$",
            "The left side names $x$, the right side uses $z^i$.",
        ),
        Note(
            "What a unit represents",
            "L611, L613",
            "gloss",
            "$W$ controls the direction of a hyperplane, $b$ its position relative to the origin",
            r"the boundary $x w^\top + b = 0$ is perpendicular to $w$ at distance "
            r"$|b| / \lVert w \rVert$",
            f"For $w = (3, 4)$, $b = 10$ the distance is {n['plane_distance']:.1f}, and "
            f"{n['plane_distance_doubled']:.1f} for $(2w, 2b)$: $b$ places the plane only "
            "together with $\\lVert w \\rVert$ (the hyperplane page).",
        ),
        Note(
            "What a unit represents",
            "L626",
            "notation",
            "$W$ controls dimensions",
            r"each row $w$ of $W^i$ sets the direction of one unit's hyperplane; the shape "
            r"$(n_i, n_{i-1})$ of $W^i$ sets the layer's dimensions",
            "The later slide's wording is unclear; the earlier one (L611) says direction.",
        ),
    ]


def temperature_figure(z=(2.0, 1.0, 0.0)) -> go.Figure:
    """softmax(z, alpha) for alpha from 1e-2 to 1e2 (log axis): alpha is an inverse temperature,
    so raising it (T = 1/alpha falling) sharpens the distribution towards the largest z_i."""
    z = np.asarray(z, dtype=np.float64)
    alphas = np.logspace(-2, 2, 81)
    probabilities = np.array([nn.softmax(z, alpha=alpha) for alpha in alphas])
    fig = go.Figure()
    dashes = ["solid", "dash", "dot", "dashdot"]
    for i in range(len(z)):
        fig.add_trace(
            go.Scatter(
                x=alphas,
                y=probabilities[:, i],
                mode="lines",
                line={"dash": dashes[i % len(dashes)]},
                name=f"Pr(Y = {i + 1}), z{sub(i + 1)} = {z[i]:g}",
                customdata=1.0 / alphas,
                hovertemplate="α %{x:.3g} (T = %{customdata:.3g}): %{y:.3f}<extra></extra>",
            )
        )
    fig.update_layout(
        title="Raising α sharpens (T = 1/α)",
        xaxis={"type": "log", "title": "α (left: hot, T large; right: cold, T small)"},
        yaxis={"title": "softmax(αz)ᵢ", "range": [0, 1]},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig
