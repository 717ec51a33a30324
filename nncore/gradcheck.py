"""Gradient checking: compare backprop with central differences.

    df/dx_j ~ (f(x + eps e_j) - f(x - eps e_j)) / (2 eps)      (error O(eps^2))

and report the relative error ||a - b|| / (||a|| + ||b||), which is scale-free: about 1e-7 or less
in float64 means the analytic gradient is right; 1e-2 or more means a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def _one_number(value) -> float:
    """f's value as a float: a number or an array of one number, else a TypeError saying so."""
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise TypeError(
            "f must return one number (a scalar loss) for numerical_gradient, got "
            f"{type(value).__name__} of shape {arr.shape}"
        )
    return float(arr.reshape(()))


def numerical_gradient(f, x, eps=1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function f at x.

    f: callable taking x and returning a scalar. It may also ignore its argument and read an
    array it closes over: x is perturbed IN PLACE, one entry at a time, and restored afterwards
    (so x can be a network's weight matrix). x: float ndarray, any shape -> gradient, same shape.
    eps: the step; pick it for the dtype (1e-6 suits float64, about 1e-3 float32).
    """
    if not (isinstance(eps, float | int) and not isinstance(eps, bool) and np.isfinite(eps)):
        raise TypeError(f"eps must be a finite number, got {eps!r}")
    if eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        # nothing to perturb in place: work on a float64 copy
        arr = np.asarray(x)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"x must be an array of numbers, got dtype {arr.dtype}")
        x = arr.astype(np.float64)
    if not np.isfinite(x).all():
        raise ValueError(f"x contains non-finite values (shape {x.shape})")
    grad = np.zeros(x.shape, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        j = it.multi_index
        old = x[j].copy()
        try:  # x is restored even when f raises: it may be a network's weights
            x[j] = old + eps
            f_plus = _one_number(f(x))
            x[j] = old - eps
            f_minus = _one_number(f(x))
        finally:
            x[j] = old
        grad[j] = (f_plus - f_minus) / (2 * eps)
    return grad.astype(x.dtype, copy=False)


def relative_error(a, b) -> float:
    """||a - b||_2 / (||a||_2 + ||b||_2), and 0 when both are zero. a, b: same shape.

    Both arrays are divided by their largest |entry| first (the ratio does not change), so the
    squares inside the norms neither overflow at 1e300 nor underflow to 0 at 1e-300.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
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
    a, b = a / scale, b / scale
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


@dataclass
class GradCheckReport:
    """Result of check_gradients: one row per parameter array, and the worst single entry."""

    max_relative_error: float
    worst_param: str  # e.g. "W^2"
    worst_index: tuple
    analytic: float
    numerical: float
    per_param: list = field(default_factory=list)  # dicts: param, shape, relative_error

    def passed(self, tol: float = 1e-6) -> bool:
        return self.max_relative_error <= tol

    def __str__(self) -> str:
        lines = [
            f"{r['param']:>5} {str(r['shape']):>12}  rel. error {r['relative_error']:.2e}"
            for r in self.per_param
        ]
        lines.append(
            f"worst: {self.worst_param}{list(self.worst_index)}: analytic {self.analytic:.6e}, "
            f"numerical {self.numerical:.6e}"
        )
        return "\n".join(lines)


def check_gradients(net, x, y, eps=1e-6) -> GradCheckReport:
    """Check net.loss_and_grads against central differences of net.loss, for every parameter.

    Costs two forward passes per parameter: use small networks and batches. Returns a
    GradCheckReport with the relative error per parameter array and the worst entry (the one
    with the largest absolute difference within the worst array).
    """
    _, grads = net.loss_and_grads(x, y)
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
        max_relative_error=worst[0],
        worst_param=worst[1],
        worst_index=worst[2],
        analytic=worst[3],
        numerical=worst[4],
        per_param=rows,
    )
