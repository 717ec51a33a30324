"""Input features of a point of the plane: the columns of h^0 = x built from (x_1, x_2).

A network on the plane need not see the raw coordinates only. With the features

    x1, x2, x1^2, x2^2, x1 x2, sin x1, sin x2

a single layer can draw a circle (from x1^2 and x2^2) or the XOR pattern (from x1 x2). The chosen
features, in the order of ``FEATURES``, are the columns of the network's input, so n_0 is the
number of features chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nncore._checks import as_float_array


@dataclass(frozen=True)
class Feature:
    """One input feature: a name, its formula (plain text and LaTeX), and the function."""

    name: str
    text: str
    latex: str
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray]


FEATURES: dict[str, Feature] = {
    feature.name: feature
    for feature in (
        Feature("x1", "x1", "x_1", lambda a, b: a),
        Feature("x2", "x2", "x_2", lambda a, b: b),
        Feature("x1^2", "x1^2", "x_1^2", lambda a, b: a * a),
        Feature("x2^2", "x2^2", "x_2^2", lambda a, b: b * b),
        Feature("x1*x2", "x1 x2", "x_1 x_2", lambda a, b: a * b),
        Feature("sin(x1)", "sin x1", r"\sin x_1", lambda a, b: np.sin(a)),
        Feature("sin(x2)", "sin x2", r"\sin x_2", lambda a, b: np.sin(b)),
    )
}
DEFAULT_FEATURES = ("x1", "x2")


def check_features(names: Sequence[str]) -> tuple[str, ...]:
    """The names as a tuple in the canonical order of FEATURES; ValueError for unknown names,
    repeats or an empty choice."""
    if isinstance(names, str):
        names = [names]
    names = list(names)
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(f"unknown input feature(s) {unknown}; choose from {list(FEATURES)}")
    if len(set(names)) != len(names):
        raise ValueError(f"input features repeat: {names}")
    if not names:
        raise ValueError(f"choose at least one input feature from {list(FEATURES)}")
    return tuple(name for name in FEATURES if name in names)


def feature_matrix(points, names: Sequence[str] = DEFAULT_FEATURES) -> np.ndarray:
    """h^0 for points of the plane: one column per chosen feature, in the order of FEATURES.

    points: (m, 2), one point (x_1, x_2) per row. Returns (m, n_0), n_0 = len(names), of the
    points' dtype (float64 unless float32 is given).
    """
    points = as_float_array(points, "points")
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must be (m, 2), one point (x_1, x_2) per row; got {points.shape}")
    names = check_features(names)
    a, b = points[:, 0], points[:, 1]
    return np.stack([FEATURES[name].fn(a, b) for name in names], axis=1)
