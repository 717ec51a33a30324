"""Universal approximation by hand: one hidden layer, weights written down, error on demand.

Two constructions of f on [lo, hi] with n hidden units:

- ``kind="step"`` (the picture behind the universal approximation theorem: steps make bumps).
  Cut [lo, hi] into n + 1 bins of width h = (hi - lo) / (n + 1), centres c_j, edges e_j. A steep
  sigmoid sigma(s (x - e_j)), s = steepness / h, is a step at e_j; a step up at one edge and down
  at the next is a bump. The network is
      f_hat(x) = f(c_0) + sum_{j=1}^{n} (f(c_j) - f(c_{j-1})) sigma(s (x - e_j)),
  piecewise constant up to smooth edges; its error falls like max|f'| h / 2, so O(1 / n).
- ``kind="relu"`` (hinges). Knots x_j = lo + j h, h = (hi - lo) / n; the chord slopes m_j on
  [x_j, x_{j+1}] give the piecewise-linear interpolant
      f_hat(x) = f(x_0) + m_0 relu(x - x_0) + sum_{j=1}^{n-1} (m_j - m_{j-1}) relu(x - x_j),
  with error <= h^2 max|f''| / 8 on [lo, hi], so O(1 / n^2).

f may be a callable on (m,) arrays, a name in ``nn.REGRESSION_TARGETS`` or a formula string in x.
"""

import math
import numbers
import sys

import numpy as np

from nncore._checks import check_net
from nncore.datasets import regression_target
from nncore.network import MLP

DEFAULT_STEEPNESS = 40.0  # sigma(40 / 2) = 1 - 2e-9: a bin's centre sees every step as complete
KINDS = ("step", "relu")


def _as_function(f):
    """f as a function (m,) -> (m,) of float64."""
    if isinstance(f, str):
        target = regression_target(f, 1)
        return lambda x: np.asarray(target(x[:, None]), dtype=np.float64).reshape(-1)
    if not callable(f):
        raise TypeError(f"f must be a callable, a target name or a formula, got {type(f).__name__}")
    return lambda x: np.asarray(f(x), dtype=np.float64).reshape(-1)


def _check_interval(lo, hi):
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo >= hi:
        raise ValueError(f"need finite lo < hi, got lo={lo}, hi={hi}")
    if math.isinf(hi - lo):  # Python floats: no warning, just inf
        raise ValueError(
            f"[{lo}, {hi}] is too wide: its width hi - lo overflows float64 (largest "
            f"{sys.float_info.max:.3g}); choose a narrower interval"
        )
    return lo, hi


def _check_steepness(steepness):
    """steepness as a float: finite and > 0 (a negative one would turn every step upside down)."""
    if isinstance(steepness, bool) or not isinstance(steepness, numbers.Real):
        raise TypeError(f"steepness must be a number, got {type(steepness).__name__}")
    steepness = float(steepness)
    if not (math.isfinite(steepness) and steepness > 0):
        raise ValueError(
            f"steepness must be finite and > 0 (each step is sigma(s (x - e_j)) with "
            f"s = steepness / h; s < 0 steps down where f steps up), got {steepness}"
        )
    return steepness


def _check_finite(values, lo, hi):
    if not np.all(np.isfinite(values)):
        raise ValueError(f"f is not finite on [{lo}, {hi}]; cannot build its network")


def bump_network(f, lo, hi, n_units, kind="step", steepness=DEFAULT_STEEPNESS):
    """A one-hidden-layer nn.MLP [1, n_units, 1] approximating f on [lo, hi] by construction.

    Args:
        f: callable (m,) -> (m,), a target name, or a formula in x.
        lo, hi: the interval; n_units: hidden units n >= 1.
        kind: "step" (sigmoid steps, error O(1/n)) or "relu" (hinges, error O(1/n^2)).
        steepness: for "step", s * h > 0, how sharp each step is relative to a bin.

    Returns:
        nn.MLP with hidden "sigmoid" (step) or "relu", identity output, weights set by hand.
    """
    function = _as_function(f)
    lo, hi = _check_interval(lo, hi)
    if isinstance(n_units, bool) or not isinstance(n_units, int | np.integer) or n_units < 1:
        raise ValueError(f"n_units must be an int >= 1, got {n_units!r}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    steepness = _check_steepness(steepness)
    n = int(n_units)
    # f may overflow far out (sin(pi x) at x = 1e308), and so may differences of its values:
    # both end in the ValueErrors below instead of RuntimeWarnings.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if kind == "step":
            width = (hi - lo) / (n + 1)
            if width == 0:
                raise ValueError(f"[{lo}, {hi}] is too narrow to cut into {n + 1} bins")
            centres = lo + (np.arange(n + 1) + 0.5) * width
            edges = lo + np.arange(1, n + 1) * width
            levels = function(centres)
            _check_finite(levels, lo, hi)
            slope = steepness / width
            net = MLP([1, n, 1], hidden="sigmoid", init="zeros")
            net.weights[0][:, 0] = slope
            net.biases[0][:] = -slope * edges
            net.weights[1][0, :] = np.diff(levels)
            net.biases[1][:] = levels[0]
        else:
            knots = np.linspace(lo, hi, n + 1)
            values = function(knots)
            _check_finite(values, lo, hi)
            chord_slopes = np.diff(values) / np.diff(knots)
            net = MLP([1, n, 1], hidden="relu", init="zeros")
            net.weights[0][:, 0] = 1.0
            net.biases[0][:] = -knots[:-1]
            net.weights[1][0, :] = np.diff(chord_slopes, prepend=0.0)
            net.biases[1][:] = values[0]
    if not all(np.all(np.isfinite(p)) for p in net.params()):
        raise ValueError(
            f"the {kind} network for f on [{lo}, {hi}] with {n} units has weights beyond "
            "float64: differences of f's values, or the slopes between them, overflow; "
            "choose a narrower interval, fewer units or a smaller steepness"
        )
    return net


def approximation_error(net, f, lo, hi, n_grid=20001):
    """sup |net(x) - f(x)| over an evenly spaced grid of n_grid points on [lo, hi]."""
    check_net(net)
    function = _as_function(f)
    lo, hi = _check_interval(lo, hi)
    x = np.linspace(lo, hi, n_grid)
    return float(np.max(np.abs(net.forward(x[:, None])[:, 0] - function(x))))


def units_for_error(f, lo, hi, tol, kind="step", max_units=20000, n_grid=20001):
    """The fewest hidden units for which ``bump_network(f, lo, hi, n, kind)`` has error <= tol.

    The error is ``approximation_error`` (sup over n_grid points). The search doubles n until
    the error is small enough, then bisects between the last two n; the error decreases with n
    (up to tiny wiggles), so this finds the threshold.

    Raises ValueError when even ``max_units`` units do not reach tol.
    """
    if not np.isfinite(tol) or tol <= 0:
        raise ValueError(f"tol must be finite and > 0, got {tol}")

    def error(n):
        return approximation_error(bump_network(f, lo, hi, n, kind), f, lo, hi, n_grid)

    high = 1
    while error(high) > tol:
        if high >= max_units:
            raise ValueError(
                f"{max_units} {kind} units do not reach error {tol} on [{lo}, {hi}]; "
                "raise max_units or tol"
            )
        high = min(2 * high, max_units)
    low = high // 2  # error(low) > tol, or low == 0
    while high - low > 1:
        middle = (low + high) // 2
        if error(middle) <= tol:
            high = middle
        else:
            low = middle
    return high


def deep_narrow_network(f, lo, hi, n_layers):
    """A ReLU network of width 3 and n_layers hidden layers that interpolates f at n_layers + 2
    evenly spaced knots on [lo, hi]: narrow deep networks approximate too.

    With knots x_0 = lo < x_1 < ... < x_{L+1} = hi (L = n_layers) and chord slopes m_j, the
    interpolant is f(x_0) + m_0 (x - x_0) + sum_{j=1}^{L} (m_j - m_{j-1}) relu(x - x_j). Each
    hidden layer keeps three units:
        a = relu(x - lo)            carries x (x >= lo on the interval, so a = x - lo),
        s = relu(partial sum + C)   carries the sum so far, shifted by C to stay positive,
        u = relu(x - x_j)           the hinge that the next layer adds to s,
    and layer j + 1 adds (m_j - m_{j-1}) u to s and opens the hinge at x_{j+1}. So depth buys
    one linear piece per layer at a fixed width of n_0 + 2 = 3 (Hanin & Sellke 2017 show width
    n_0 + 1 suffices with a subtler construction), and the error falls like
    max|f''| h^2 / 8 with h = (hi - lo) / (L + 1), as for one wide layer of hinges.
    Valid on [lo, hi] only (for x < lo the unit a is 0).

    Returns:
        nn.MLP with sizes [1, 3, ..., 3, 1] (n_layers hidden layers), hidden "relu", identity
        output, weights set by hand.
    """
    function = _as_function(f)
    lo, hi = _check_interval(lo, hi)
    if isinstance(n_layers, bool) or not isinstance(n_layers, int | np.integer) or n_layers < 1:
        raise ValueError(f"n_layers must be an int >= 1, got {n_layers!r}")
    depth = int(n_layers)
    knots = np.linspace(lo, hi, depth + 2)
    values = function(knots)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"f is not finite on [{lo}, {hi}]; cannot build its network")
    slopes = np.diff(values) / np.diff(knots)  # m_0 .. m_L
    jumps = np.diff(slopes)  # m_j - m_{j-1}, j = 1 .. L
    # partial sums after hinge j (j = 0..L) at every knot; C keeps each one above 1
    partial = values[0] + slopes[0] * (knots - lo)
    lowest = partial.min()
    for j in range(1, depth + 1):
        partial = partial + jumps[j - 1] * np.maximum(knots - knots[j], 0.0)
        lowest = min(lowest, partial.min())
    shift = 1.0 - min(lowest, 0.0)
    net = MLP([1] + [3] * depth + [1], hidden="relu", init="zeros", bias_init="zeros")
    net.weights[0][:, 0] = [1.0, slopes[0], 1.0]
    net.biases[0][:] = [-lo, values[0] - slopes[0] * lo + shift, -knots[1]]
    for layer in range(1, depth):
        # a' = a;  s' = s + (m_layer - m_{layer-1}) u;  u' = relu(a + lo - x_{layer+1})
        net.weights[layer][...] = [
            [1.0, 0.0, 0.0],
            [0.0, 1.0, jumps[layer - 1]],
            [1.0, 0.0, 0.0],
        ]
        net.biases[layer][:] = [0.0, 0.0, lo - knots[layer + 1]]
    net.weights[depth][0, :] = [0.0, 1.0, jumps[depth - 1]]
    net.biases[depth][:] = [-shift]
    return net
