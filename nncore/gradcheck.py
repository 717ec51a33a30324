"""Gradient checking: compare backprop with central differences.

    df/dx_j ~ (f(x + h e_j) - f(x - h e_j)) / (2 h)      (error O(h^2))

and report the relative error ||a - b|| / (||a|| + ||b||), which is scale-free. In float64 about
1e-7 or less means the analytic gradient is right; 1e-2 or more means a bug. float32 keeps 24
bits, so f is only good to about 1e-7 of its size and the quotient to about 1e-7 |f| / h: there
a correct network shows 1e-4 to 1e-3 (a few 1e-2 where a ReLU kink lies within h of some z^i)
and a bug 1e-1 or more. ``check_gradients`` judges each dtype by its own tolerance
(``PASS_TOLERANCE``).

The step h: x_j + h and x_j - h are rounded to x's dtype, so the quotient divides by the step
actually taken, (x_j + h) - (x_j - h) as stored, not by the nominal 2 h (in float32 with h = 1e-6,
x_j = 33 + h rounds back to 33 and 2 h would report a gradient of 0). The step is
h_j = eps max(1, |x_j|), relative to |x_j| so that it never falls below the spacing of the floats
there (eps = 1e-6 by default: the absolute step 1e-6 for |x_j| <= 1, as before). In float32 eps
is at least cbrt(machine epsilon) = 4.9e-3 (``STEP_FLOOR``), which balances the rounding error
of f, ~eps_mach |f| / h, against the truncation error, ~h^2 |f'''|: with 1e-6, 8 float32 steps
at x_j = 1, the quotient would be off by about 10 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from nncore._checks import check_net

#: the smallest eps in the step h_j = eps max(1, |x_j|), by dtype; other float types than these
#: use cbrt(machine epsilon)
STEP_FLOOR = {np.dtype(np.float64): 0.0, np.dtype(np.longdouble): 0.0}
#: the largest max_relative_error that GradCheckReport.passed() accepts, by parameter dtype
PASS_TOLERANCE = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 5e-2}
#: hidden activations whose derivative jumps at z = 0: a central difference across the kink
#: averages the two sides (ReLU: 1/2) where backprop takes one (relu'(0) = 0, as DESIGN.md fixes)
KINKED = frozenset({"relu", "abs", "leaky_relu"})


def step_floor(dtype) -> float:
    """The smallest eps in the step h_j = eps max(1, |x_j|) for arrays of this float dtype."""
    dtype = np.dtype(dtype)
    return STEP_FLOOR.get(dtype, float(np.cbrt(np.finfo(dtype).eps)))


def pass_tolerance(dtype) -> float:
    """The tolerance GradCheckReport.passed() uses for parameters of this float dtype.

    Listed in ``PASS_TOLERANCE``; a type not listed gets float64's when it is at least as
    precise (long double), else float32's.
    """
    dtype = np.dtype(dtype)
    if dtype not in PASS_TOLERANCE:
        as_precise = np.finfo(dtype).eps <= np.finfo(np.float64).eps
        dtype = np.dtype(np.float64 if as_precise else np.float32)
    return PASS_TOLERANCE[dtype]


def _one_number(value) -> float:
    """f's value as a float: a number or an array of one number, else a TypeError saying so."""
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise TypeError(
            "f must return one number (a scalar loss) for numerical_gradient, got "
            f"{type(value).__name__} of shape {arr.shape}"
        )
    return float(arr.reshape(()))


def _value_at(f, x, j, point, side) -> float:
    """f(x) (with x[j] = point already set) as a finite float, else a ValueError naming it."""
    value = _one_number(f(x))
    if not math.isfinite(value):
        raise ValueError(
            f"f returned {value} at x{list(j)} = {float(point)!r} (x_j {side} h); "
            "numerical_gradient needs f finite near x"
        )
    return value


def _check_eps(eps):
    """eps as a float (a finite number > 0)."""
    if isinstance(eps, bool) or not isinstance(eps, int | float | np.integer | np.floating):
        raise TypeError(f"eps must be a number, got {eps!r}")
    eps = float(eps)
    if not (math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be finite and > 0, got {eps}")
    return eps


def numerical_gradient(f, x, eps=1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function f at x:

        g_j = (f(x + h e_j) - f(x - h e_j)) / ((x_j + h) - (x_j - h)),

    where the denominator is the step as stored in x's dtype (2 h up to rounding).

    f: callable taking x and returning a finite scalar. It may also ignore its argument and read
    an array it closes over: x is perturbed IN PLACE, one entry at a time, and restored
    afterwards (so x can be a network's weight matrix). x: float32 or float64 ndarray, any shape
    -> gradient, same shape and dtype (other numbers are copied to float64; float16 is refused).
    eps: the relative step, h_j = eps max(1, |x_j|) (the absolute step eps for |x_j| <= 1); in
    float32 at least cbrt(machine epsilon) = 4.9e-3 (``STEP_FLOOR``).
    """
    if not callable(f):
        raise TypeError(
            f"f must be a function of x returning one number (the loss), got "
            f"{type(f).__name__} {f!r:.60}"
        )
    eps = _check_eps(eps)
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        # nothing to perturb in place: work on a float64 copy
        arr = np.asarray(x)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"x must be an array of numbers, got dtype {arr.dtype}")
        x = arr.astype(np.float64)
    if np.finfo(x.dtype).eps > np.finfo(np.float32).eps:
        raise TypeError(
            f"x has dtype {x.dtype}, too coarse for central differences (machine epsilon "
            f"{np.finfo(x.dtype).eps:.1e}); use float32 or float64"
        )
    if not np.isfinite(x).all():
        raise ValueError(f"x contains non-finite values (shape {x.shape})")
    if x.size == 0:
        raise ValueError(f"x has no entries (shape {x.shape}): there is no gradient to estimate")
    c, largest, scalar = max(eps, step_floor(x.dtype)), float(np.finfo(x.dtype).max), x.dtype.type
    grad = np.zeros(x.shape, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        j = it.multi_index
        old = x[j].copy()
        h = c * max(1.0, abs(float(old)))
        if abs(float(old)) + h > largest:
            raise ValueError(
                f"x{list(j)} = {float(old)!r} lies within the step h = {h:.3g} of the largest "
                f"{x.dtype} ({largest:.3g}), so x_j + h overflows"
            )
        try:  # x is restored even when f raises: it may be a network's weights
            x[j] = old + scalar(h)
            plus = x[j].copy()
            f_plus = _value_at(f, x, j, plus, "+")
            x[j] = old - scalar(h)
            minus = x[j].copy()
            f_minus = _value_at(f, x, j, minus, "-")
        finally:
            x[j] = old
        step = float(np.longdouble(plus) - np.longdouble(minus))  # exact for float32/64 inputs
        if step == 0:
            raise ValueError(
                f"the step h = {h:.3g} (eps = {c:.3g}) is below the spacing of {x.dtype} "
                f"numbers at x{list(j)} = {float(old)!r} ({float(np.spacing(old)):.3g}), so "
                "x_j + h and x_j - h round to x_j; use a larger eps"
            )
        grad[j] = (f_plus - f_minus) / step
    return grad.astype(x.dtype, copy=False)


def _real_array(value, name) -> np.ndarray:
    """value as a float64 array, else a TypeError naming it (None, strings, complex numbers)."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"relative_error compares arrays of real numbers, but {name} is "
            f"{type(value).__name__} with dtype {arr.dtype}"
        )
    return arr.astype(np.float64)


def relative_error(a, b) -> float:
    """||a - b||_2 / (||a||_2 + ||b||_2), and 0 when both are zero. a, b: same shape.

    Both arrays are divided by their largest |entry| first (the ratio does not change), and
    a - b by its own, so the squares inside the norms neither overflow at 1e300 nor underflow to
    0 at 1e-300 (relative_error([1, 1e-200], [1, 0]) = 5e-201, not 0).
    """
    a, b = _real_array(a, "a"), _real_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(
            f"relative_error compares arrays of one shape, got {a.shape} and {b.shape}"
        )
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("relative_error got non-finite values (NaN or inf)")
    if a.size == 0:
        return 0.0
    scale = max(np.abs(a).max(), np.abs(b).max())
    if scale == 0:
        return 0.0
    # an entry far below the largest adds nothing to ||a|| or ||b||, correctly; a - b is scaled
    # by its own largest entry (a difference of 1e-200 would square to 0)
    with np.errstate(under="ignore"):
        a, b = a / scale, b / scale
        diff = a - b
        gap = np.abs(diff).max()
        if gap == 0:
            return 0.0
        return float(gap * np.linalg.norm(diff / gap) / (np.linalg.norm(a) + np.linalg.norm(b)))


@dataclass
class GradCheckReport:
    """Result of check_gradients: one row per parameter array, and the worst single entry.

    tolerance: what ``passed()`` accepts by default, ``PASS_TOLERANCE`` for the parameters' dtype
    (1e-6 for float64, 5e-2 for float32).
    """

    max_relative_error: float
    worst_param: str  # e.g. "W^2"
    worst_index: tuple
    analytic: float
    numerical: float
    per_param: list = field(default_factory=list)  # dicts: param, shape, relative_error
    tolerance: float = PASS_TOLERANCE[np.dtype(np.float64)]
    #: dicts (layer, activation, count): pre-activations z^i of a kinked hidden activation
    #: (``KINKED``) within a step's reach of the kink at 0, where the check is not meaningful
    kinks: list = field(default_factory=list)

    def passed(self, tol: float | None = None) -> bool:
        """max_relative_error <= tol; tol=None uses the report's dtype-aware ``tolerance``."""
        return self.max_relative_error <= (self.tolerance if tol is None else tol)

    def __str__(self) -> str:
        lines = [
            f"{r['param']:>5} {str(r['shape']):>12}  rel. error {r['relative_error']:.2e}"
            for r in self.per_param
        ]
        lines.append(
            f"worst: {self.worst_param}{list(self.worst_index)}: analytic {self.analytic:.6e}, "
            f"numerical {self.numerical:.6e}"
        )
        if self.kinks:
            where = ", ".join(
                f"{k['count']} of z^{k['layer']} ({k['activation']})" for k in self.kinks
            )
            lines.append(
                f"note: {where} lie within the step's reach of the kink at z = 0, where sigma' "
                "jumps: there a central difference averages the two sides (1/2 for ReLU) while "
                "backprop takes sigma'(0), so a mismatch on those units need not be a bug; move "
                "x or the biases off 0 (or use a smaller eps) and check again"
            )
        return "\n".join(lines)


def check_gradients(net, x, y, eps=1e-6) -> GradCheckReport:
    """Check net.loss_and_grads against central differences of net.loss, for every parameter.

    eps: the relative step of ``numerical_gradient`` (raised to its floor in float32). Costs two
    forward passes per parameter: use small networks and batches.
    Returns a GradCheckReport with the relative error per parameter array, the worst entry (the
    one with the largest absolute difference within the worst array) and the tolerance for the
    network's dtype, so that ``report.passed()`` holds for a correct float32 network too.
    """
    check_net(net, needs=("loss", "loss_and_grads", "weights", "biases"))
    _, grads = net.loss_and_grads(x, y)
    tolerance = max(pass_tolerance(W.dtype) for W in net.weights)
    rows, worst = [], None
    for i, (dW, db) in enumerate(grads):
        pairs = [(f"W^{i + 1}", net.weights[i], dW)]
        if db is not None:
            pairs.append((f"b^{i + 1}", net.biases[i], db))
        for name, param, analytic in pairs:
            numerical = numerical_gradient(lambda _: net.loss(x, y), param, eps)
            err = relative_error(analytic, numerical)
            rows.append({"param": name, "shape": param.shape, "relative_error": err})
            if worst is None or err > worst[0]:
                idx = np.unravel_index(np.argmax(np.abs(analytic - numerical)), param.shape)
                worst = (
                    err,
                    name,
                    tuple(int(j) for j in idx),
                    float(analytic[idx]),
                    float(numerical[idx]),
                )
    return GradCheckReport(
        kinks=_kinks_within_reach(net, x, max(eps, step_floor(net.weights[0].dtype))),
        max_relative_error=worst[0],
        worst_param=worst[1],
        worst_index=worst[2],
        analytic=worst[3],
        numerical=worst[4],
        per_param=rows,
        tolerance=tolerance,
    )


def _kinks_within_reach(net, x, c) -> list[dict]:
    """Per kinked hidden layer (``KINKED``), how many pre-activations z^i lie within the reach
    of one step: a step h = c max(1, |theta|) of W^i or b^i moves z^i_r by at most
    h max(1, max |h^{i-1}_r|) (steps in earlier layers reach it through W^i; this bound counts
    the direct ones, which find z^i = 0 at zero biases and x = 0). Networks without the MLP's
    ``hidden`` names and ``forward_trace`` report none."""
    hidden, trace = getattr(net, "hidden", None), getattr(net, "forward_trace", None)
    if not isinstance(hidden, list | tuple) or not callable(trace):
        return []
    hs, zs = trace(x)
    found = []
    for i, name in enumerate(hidden):
        if name not in KINKED:
            continue
        W, b = net.weights[i], net.biases[i]
        size = max(1.0, float(np.abs(W).max()), float(np.abs(b).max()) if b is not None else 0)
        inputs = np.maximum(1.0, np.abs(hs[i]).max(axis=1, keepdims=True))
        count = int((np.abs(zs[i]) <= c * size * inputs).sum())
        if count:
            found.append({"layer": i + 1, "activation": name, "count": count})
    return found
