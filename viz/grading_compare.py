"""A student's function against the reference on the same inputs, with the differences marked.

The reference is nncore (the same math the graded tests compare with); the student's values come
from the harness's sandbox (viz.grading_harness), never from importing the student's file here.
Each comparable function is swept along one variable x:

    elementwise sigma(z), sigma'(z):     z = x                                  (m,)
    softmax, log_softmax (alpha):        z = [x, 0, 1] per row                  (m, 3)
    softmax_reduced, log_softmax_reduced: z = [x, 1/2] per row (z_n = 0 implied) (m, 2) -> (m, 3)
    reduce_scores:                       z = [x, 0, 1] per row                  (m, 3) -> (m, 2)

The first two files are mlp_basics's, softmax_reduced.py the approximation assignment's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import nncore as nn
from viz import palette

RTOL, ATOL = 1e-6, 1e-9  # the tolerance of a match, as in the graded tests' allclose checks


@dataclass(frozen=True)
class Comparable:
    """One function a student implements: its file, name, input builder and reference."""

    filename: str
    function: str
    make_args: Callable[[np.ndarray, float], tuple]
    reference: Callable[[np.ndarray, float], np.ndarray]
    columns: tuple = ("",)
    uses_alpha: bool = False
    arguments: tuple = ("z",)  # the names of make_args's values, as the docstrings call them


def _activation(name: str, derivative: bool) -> Comparable:
    activation = nn.get_activation(name)
    function = activation.grad if derivative else activation
    return Comparable(
        filename="activations.py",
        function=f"{name}_grad" if derivative else name,
        make_args=lambda x, alpha: (x,),
        reference=lambda x, alpha: function(x)[:, None],
    )


def _scores(x: np.ndarray) -> np.ndarray:
    return np.stack([x, np.zeros_like(x), np.ones_like(x)], axis=1)


def _reduced(x: np.ndarray) -> np.ndarray:
    return np.stack([x, np.full_like(x, 0.5)], axis=1)


SOFTMAX_REDUCED = Comparable(
    "output_units.py",
    "softmax_reduced",
    lambda x, alpha: (_reduced(x),),
    lambda x, alpha: nn.softmax_reduced(_reduced(x)),
    ("Pr(Y=1)", "Pr(Y=2)", "Pr(Y=3)"),
)

COMPARABLES = {
    **{
        f"activations.py: {name}{'_grad' if derivative else ''}": _activation(name, derivative)
        for name in ("sigmoid", "tanh", "relu", "softplus")
        for derivative in (False, True)
    },
    "output_units.py: softmax": Comparable(
        "output_units.py",
        "softmax",
        lambda x, alpha: (_scores(x), alpha),
        lambda x, alpha: nn.softmax(_scores(x), alpha=alpha),
        ("Pr(Y=1)", "Pr(Y=2)", "Pr(Y=3)"),
        uses_alpha=True,
        arguments=("z", "alpha"),
    ),
    "output_units.py: log_softmax": Comparable(
        "output_units.py",
        "log_softmax",
        lambda x, alpha: (_scores(x), alpha),
        lambda x, alpha: nn.log_softmax(_scores(x), alpha=alpha),
        ("ln Pr(Y=1)", "ln Pr(Y=2)", "ln Pr(Y=3)"),
        uses_alpha=True,
        arguments=("z", "alpha"),
    ),
    "output_units.py: softmax_reduced": SOFTMAX_REDUCED,
    # the approximation assignment's exercise 4 (its softmax_reduced is mlp_basics's, in a file
    # of its own)
    "softmax_reduced.py: softmax_reduced": replace(SOFTMAX_REDUCED, filename="softmax_reduced.py"),
    "softmax_reduced.py: log_softmax_reduced": Comparable(
        "softmax_reduced.py",
        "log_softmax_reduced",
        lambda x, alpha: (_reduced(x),),
        lambda x, alpha: nn.log_softmax(np.pad(_reduced(x), ((0, 0), (0, 1)))),
        ("ln Pr(Y=1)", "ln Pr(Y=2)", "ln Pr(Y=3)"),
    ),
    "softmax_reduced.py: reduce_scores": Comparable(
        "softmax_reduced.py",
        "reduce_scores",
        lambda x, alpha: (_scores(x),),
        lambda x, alpha: _scores(x)[:, :-1] - _scores(x)[:, -1:],
        ("z₁ − z₃", "z₂ − z₃"),
    ),
}


@dataclass
class Difference:
    """Where the student's values differ from the reference's.

    mismatch: (m,) True where any column differs beyond RTOL/ATOL or finiteness differs;
    abs_diff: (m, c) |student - reference| (inf where exactly one is not finite).
    """

    mismatch: np.ndarray
    abs_diff: np.ndarray

    @property
    def count(self) -> int:
        return int(self.mismatch.sum())

    @property
    def worst(self) -> float:
        finite = self.abs_diff[np.isfinite(self.abs_diff)]
        if np.any(~np.isfinite(self.abs_diff)):
            return float("inf")
        return float(finite.max()) if finite.size else 0.0


def compare(student: np.ndarray, reference: np.ndarray) -> Difference:
    """Compare student (any shape matching reference's size) with reference (m, c).

    Raises ValueError naming both shapes when the student's answer cannot be lined up.
    """
    reference = np.asarray(reference, dtype=np.float64)
    student = np.asarray(student, dtype=np.float64)
    if student.shape != reference.shape:
        if student.size != reference.size:
            raise ValueError(
                f"the student's function returned shape {student.shape}; the reference has "
                f"shape {reference.shape} for the same input"
            )
        student = student.reshape(reference.shape)
    both_finite = np.isfinite(student) & np.isfinite(reference)
    same_special = ~both_finite & (
        (student == reference) | (np.isnan(student) & np.isnan(reference))
    )
    with np.errstate(invalid="ignore", over="ignore"):
        abs_diff = np.where(both_finite, np.abs(student - reference), np.inf)
    abs_diff = np.where(same_special, 0.0, abs_diff)
    close = np.where(both_finite, abs_diff <= ATOL + RTOL * np.abs(reference), same_special)
    return Difference(mismatch=~np.all(close, axis=1), abs_diff=abs_diff)


def verdict(difference: Difference, x: np.ndarray) -> str:
    """The comparison in words, with a symbol: never carried by a colour alone."""
    if difference.count == 0:
        return f"✓ Matches: yours equals the reference at all {len(x)} inputs."
    first = x[difference.mismatch][0]
    return (
        f"✗ Differs: yours differs from the reference at {difference.count} of {len(x)} "
        f"inputs, first at x = {first:g} (marked ✗ on the chart)."
    )


# which colour of the theme's palette (viz.palette, in order) draws what: the output columns
# blue, green, purple; the differences vermillion (Dark room: orange); non-finite black (yellow)
COLUMN_COLOURS, DIFFERENCE_COLOUR, NOT_FINITE_COLOUR = (0, 2, 3), 1, 4


def comparison_figure(
    x: np.ndarray,
    reference: np.ndarray,
    student: np.ndarray | None,
    difference: Difference | None,
    comparable: Comparable,
    colours: list[str] | None = None,
) -> go.Figure:
    """Top: reference (solid) and student (dashed) against x, one colour per output column,
    mismatches marked with an x symbol. Bottom: |student - reference| on a log scale (gaps where
    they agree exactly), non-finite answers as triangles. Before there is a student's answer
    (student or difference None) only the top panel is drawn, with its own x axis: an empty
    difference panel took the x axis's labels and title with it and left blank space.

    colours: the theme's palette in order (default viz.palette.LIGHT)."""
    colours = list(colours or palette.LIGHT)
    answered = student is not None and difference is not None
    if answered:
        fig = make_subplots(
            rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.06
        )
    else:
        fig = make_subplots(rows=1, cols=1)
    reference = np.asarray(reference, dtype=float)
    for column, label in enumerate(comparable.columns):
        suffix = f" {label}" if label else ""
        fig.add_trace(
            go.Scatter(
                x=x,
                y=reference[:, column],
                mode="lines",
                name=f"reference{suffix}",
                line={"width": 3, "color": colours[COLUMN_COLOURS[column % 3]]},
            ),
            row=1,
            col=1,
        )
    if answered:
        values = np.asarray(student, dtype=float).reshape(reference.shape)
        shown = np.where(np.isfinite(values), values, np.nan)
        for column, label in enumerate(comparable.columns):
            suffix = f" {label}" if label else ""
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=shown[:, column],
                    mode="lines",
                    name=f"yours{suffix}",
                    line={"dash": "dash", "color": colours[COLUMN_COLOURS[column % 3]]},
                ),
                row=1,
                col=1,
            )
        bad = difference.mismatch
        if bad.any():
            marker_y = np.where(np.isfinite(values[bad, 0]), values[bad, 0], reference[bad, 0])
            fig.add_trace(
                go.Scatter(
                    x=x[bad],
                    y=marker_y,
                    mode="markers",
                    name="✗ differs here",
                    marker={"symbol": "x", "color": colours[DIFFERENCE_COLOUR], "size": 11},
                ),
                row=1,
                col=1,
            )
        gap = difference.abs_diff.max(axis=1)
        plotted = np.where((gap > 0) & np.isfinite(gap), gap, np.nan)
        # lines and markers: a difference at a single input (relu'(0)) has no neighbour to draw
        # a line to, and must still show
        fig.add_trace(
            go.Scatter(
                x=x,
                y=plotted,
                mode="lines+markers",
                name="|yours − reference|",
                line={"color": colours[DIFFERENCE_COLOUR]},
                marker={"symbol": "x", "size": 8},
            ),
            row=2,
            col=1,
        )
        infinite = ~np.isfinite(gap)
        if infinite.any():
            fig.add_trace(
                go.Scatter(
                    x=x[infinite],
                    y=np.ones(int(infinite.sum())),
                    mode="markers",
                    name="not finite (NaN or inf)",
                    marker={"symbol": "triangle-up", "color": colours[NOT_FINITE_COLOUR]},
                ),
                row=2,
                col=1,
            )
    fig.update_yaxes(title_text=comparable.function, row=1, col=1)
    if answered:
        fig.update_yaxes(  # one label per decade: the 2s and 5s collide in the short panel
            type="log", title_text="|difference|", exponentformat="power", dtick=1, row=2, col=1
        )
    fig.update_xaxes(title_text="x (the swept input)", row=2 if answered else 1, col=1)
    fig.update_layout(
        title=f"{comparable.function}: yours against the reference",
        height=620 if answered else 420,
        legend={"orientation": "h", "y": -0.15},
    )
    if not answered:  # the title alone stands above the plot (viz.figure_style adds its room)
        fig.update_layout(margin={"t": 50})
    return fig
