"""Activation functions sigma and their derivatives sigma', in a registry by name.

Each activation is applied elementwise: h^i = sigma(z^i). The registry `ACTIVATIONS` maps a name
to an `Activation`; `get_activation(name)` looks one up and lists the valid names when it fails.

Stable forms (the naive formula is given as the contrast in each docstring):
- sigmoid through exp(-|z|), so the exponent is never positive;
- softplus through logaddexp(0, z) = ln(e^0 + e^z);
- tanh from NumPy (itself stable), with tanh(z) = 2 sigmoid(2z) - 1.
Conventions at kinks: relu'(0) = 0 and abs'(0) = 0 (the subgradient nearest the flat side).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nncore._checks import as_float_array

# --- the raw elementwise functions (no validation: the MLP calls these on its hot path) -------


def _identity(z):
    return z


def _identity_grad(z):
    return np.ones_like(z)


def _sigmoid(z):
    # 1 / (1 + e^{-z}) overflows e^{-z} for z << 0; with e = exp(-|z|) <= 1 both branches are safe:
    # z >= 0: 1 / (1 + e),  z < 0: e / (1 + e).
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _sigmoid_pair(z):
    """(sigma(z), sigma(-z)) from one exponential. sigma(-z) = 1 - sigma(z) algebraically, but
    1 - sigma(z) loses every digit once sigma(z) rounds to 1 (z >= 37 in float64, 17 in
    float32), where sigma(-z) = e^{-z} / (1 + e^{-z}) is still about 1e-16."""
    e = np.exp(-np.abs(z))
    one = np.ones((), dtype=e.dtype)
    return np.where(z >= 0, one, e) / (1.0 + e), np.where(z >= 0, e, one) / (1.0 + e)


def _sigmoid_grad(z):
    # sigma(z) (1 - sigma(z)) = 1 / (4 cosh^2(z / 2)) (sigma' is even): the product form is 0 from
    # z = 37 on, where sigma'(z) = 8.5e-17 (and sigma'(-37) came out right)
    with np.errstate(over="ignore"):  # cosh = inf past |z| = 1420 (178 in float32): sigma' = 0
        c = np.cosh(0.5 * z)
    g = 0.5 / c
    g *= g
    return g


#: Backprop takes sigma'(z) from the layer's output h (one multiply) where that loses at most
#: 2^10 ulp (2.3e-13 relative in float64, 1.2e-4 in float32; the gradient's own matmuls lose
#: about as much), and from z (one cosh) where h is nearer saturation: h (1 - h) amplifies h's
#: rounding error by h / (1 - h), 1 - h^2 by 2 h^2 / (1 - h^2), and both are 0 once h rounds to 1.
NEAR_ONE = 1.0 - 2.0**-10  # sigmoid: h beyond this is saturated
TANH_FLAT = 2.0**-9  # tanh: 1 - h^2 below this is saturated


def _sigmoid_grad_from(h, z):
    g = h * (1.0 - h)
    if g.size and np.maximum.reduce(h, axis=None) > NEAR_ONE:
        return _sigmoid_grad(z)  # the whole layer: one cosh is cheaper than picking entries
    return g


def _tanh(z):
    return np.tanh(z)


def _tanh_grad(z):
    # 1 - tanh^2(z) = 1 / cosh^2(z): 1 - t^2 is 0 from |z| = 19.1 on (9.1 in float32), where
    # tanh'(z) is still about 1e-16
    with np.errstate(over="ignore"):  # cosh = inf past |z| = 710 (89 in float32): tanh' = 0
        c = np.cosh(z)
    g = 1.0 / c
    g *= g
    return g


def _tanh_grad_from(h, z):
    g = 1.0 - h * h
    if g.size and np.minimum.reduce(g, axis=None) < TANH_FLAT:
        return _tanh_grad(z)  # the whole layer: one cosh is cheaper than picking entries
    return g


def _relu(z):
    return np.maximum(z, 0)


def _relu_grad(z):
    return (z > 0).astype(z.dtype)


def _softplus(z):
    # ln(1 + e^z) overflows e^z for z >> 0; logaddexp(0, z) = max(0, z) + ln(1 + e^{-|z|}).
    return np.logaddexp(np.zeros((), dtype=z.dtype), z)


def _abs(z):
    return np.abs(z)


def _abs_grad(z):
    return np.sign(z)


LEAKY_SLOPE = 0.01


def _leaky_relu(z):
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_relu_grad(z):
    return np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype)


_GELU_C = float(np.sqrt(2.0 / np.pi))  # a Python float keeps float32 inputs float32


def _gelu_parts(z):
    # u = sqrt(2/pi) (z + 0.044715 z^3) is taken of z clipped to a tenth of the cube root of the
    # dtype's largest number (5.6e101 in float64, 7e11 in float32), which keeps z^3 from
    # overflowing; sigma(2u) is exactly 0 or 1 there either way, so no result changes
    bound = float(np.finfo(z.dtype).max) ** (1 / 3) / 10
    zc = np.clip(z, -bound, bound)
    return zc, _GELU_C * (zc + 0.044715 * zc * zc * zc)


def _gelu(z):
    # tanh approximation of z * Phi(z) (Hendrycks & Gimpel 2016): 0.5 z (1 + tanh u), written as
    # z sigma(2u) (1 + tanh u = 2 sigma(2u)): 1 + tanh u loses every digit for u << 0, where
    # sigma(2u) = e^{2u} / (1 + e^{2u}) keeps them (gelu(-9) = -1.3e-28, not -0)
    _, u = _gelu_parts(z)
    return z * _sigmoid(2.0 * u)


def _gelu_grad(z):
    # d/dz z sigma(2u) = sigma(2u) + 2 z sigma(2u) sigma(-2u) u',
    # u' = sqrt(2/pi) (1 + 3 0.044715 z^2)
    zc, u = _gelu_parts(z)
    s, s_minus = _sigmoid_pair(2.0 * u)
    du = _GELU_C * (1.0 + 3 * 0.044715 * zc * zc)
    return s + z * (2.0 * (s * s_minus) * du)  # s s_minus = 0 first: no inf * 0 at z = 1e308


@dataclass(frozen=True)
class Activation:
    """An elementwise activation sigma with its derivative sigma'.

    `act(z)` returns sigma(z) and `act.grad(z)` returns sigma'(z); both take any shape, e.g. z^i of
    shape (m, n_i), and keep float32 as float32. `latex` and `grad_latex` hold the formulas;
    `note` is one line for a page, in Markdown with the symbols as inline TeX ($z > 0$).
    Both ignore underflow (its subnormal or 0 is the correct result) and nothing else, so they
    run under np.errstate(all="raise"); `fn` and `derivative` (the MLP's hot path) do not.
    """

    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    latex: str
    grad_latex: str
    note: str = ""
    #: sigma'(z) from h = sigma(z) and z, where h makes it cheaper (ReLU: h > 0; tanh: 1 - h^2
    #: where that keeps its digits, the exact form from z where h is near +-1); used by backprop
    grad_from_output: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None

    def __call__(self, z) -> np.ndarray:
        """sigma(z), elementwise. z: any shape -> same shape."""
        z = as_float_array(z, "z")
        with np.errstate(under="ignore"):  # e^{-745} = 5e-324, sigma(1e-320) / 2: correct
            return self.fn(z)

    def grad(self, z) -> np.ndarray:
        """sigma'(z), elementwise. z: any shape -> same shape."""
        z = as_float_array(z, "z")
        with np.errstate(under="ignore"):  # sigma'(-745) = 5e-324 is correctly rounded
            return self.derivative(z)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation(
            "identity",
            _identity,
            _identity_grad,
            r"\sigma(z) = z",
            r"\sigma'(z) = 1",
            "linear output unit for regression",
        ),
        Activation(
            "sigmoid",
            _sigmoid,
            _sigmoid_grad,
            r"\sigma(z) = \frac{1}{1 + e^{-z}}",
            r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
            r"$\sigma' \le 1/4$: its factor shrinks the gradient at every sigmoid layer, unless "
            "large weights make up for it",
            _sigmoid_grad_from,
        ),
        Activation(
            "tanh",
            _tanh,
            _tanh_grad,
            r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = 2\,\sigma(2z) - 1",
            r"\tanh'(z) = 1 - \tanh^2(z)",
            r"better than sigmoid near 0 ($\tanh'(0) = 1$); initialise so $z$ stays near 0",
            _tanh_grad_from,
        ),
        Activation(
            "relu",
            _relu,
            _relu_grad,
            r"\sigma(z) = \max(0, z)",
            r"\sigma'(z) = \mathbf{1}_{z > 0}",
            "great when $z > 0$; a unit with $z < 0$ on every input is dead",
            lambda h, z: h > 0,
        ),
        Activation(
            "softplus",
            _softplus,
            _sigmoid,
            r"\sigma(z) = \ln(1 + e^{z})",
            r"\sigma'(z) = \frac{1}{1 + e^{-z}}",
            r"a smooth ReLU; its derivative is the sigmoid, below 1, so its factor still shrinks "
            "gradients at each layer",
        ),
        Activation(
            "abs",
            _abs,
            _abs_grad,
            r"\sigma(z) = |z|",
            r"\sigma'(z) = \operatorname{sign}(z)",
            "identifies symmetries: $z$ and $-z$ map to the same value",
        ),
        Activation(
            "leaky_relu",
            _leaky_relu,
            _leaky_relu_grad,
            rf"\sigma(z) = \max({LEAKY_SLOPE}\,z, z)",
            rf"\sigma'(z) = 1 \text{{ if }} z > 0 \text{{ else }} {LEAKY_SLOPE}",
            r"ReLU with a small slope for $z \le 0$, so no unit dies",
        ),
        Activation(
            "gelu",
            _gelu,
            _gelu_grad,
            r"\sigma(z) \approx \tfrac{z}{2}\left(1 + \tanh\!\left(\sqrt{2/\pi}\,"
            r"(z + 0.044715 z^3)\right)\right)",
            r"\sigma'(z) = \tfrac{d}{dz}\,\text{(tanh approximation)}",
            r"smooth, non-monotone near 0 (tanh approximation of $z\,\Phi(z)$)",
        ),
    ]
}


def get_activation(name) -> Activation:
    """Look an activation up by name; an Activation passes through unchanged.

    Unknown names raise ValueError listing the valid ones.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), got {type(name).__name__}: {name!r}")
    key = name.strip().lower()
    if key not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {name!r}; valid names: {', '.join(sorted(ACTIVATIONS))}"
        )
    return ACTIVATIONS[key]


def sigmoid(z) -> np.ndarray:
    """sigma(z) = 1 / (1 + e^{-z}), elementwise and stable for any finite z.

    Naive `1 / (1 + np.exp(-z))` overflows at z = -1000; this computes e = exp(-|z|) <= 1 instead.
    z: any shape -> same shape.
    """
    return ACTIVATIONS["sigmoid"](z)


def tanh(z) -> np.ndarray:
    """tanh(z) = 2 sigmoid(2z) - 1, elementwise. z: any shape -> same shape."""
    return ACTIVATIONS["tanh"](z)


def relu(z) -> np.ndarray:
    """max(0, z), elementwise. z: any shape -> same shape."""
    return ACTIVATIONS["relu"](z)


def softplus(z) -> np.ndarray:
    """ln(1 + e^z) computed as logaddexp(0, z) (no overflow at z = 1e4). Any shape."""
    return ACTIVATIONS["softplus"](z)
