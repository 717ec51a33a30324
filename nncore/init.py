"""Weight initialisers by name: W^i of shape (n_i, n_{i-1}), fan_in = n_{i-1}, fan_out = n_i.

The aim (lecture: "initialise so z stays near zero") is a variance of z^i that neither shrinks nor
grows with depth:
    zeros                 W = 0 (for demos: with bias_init="zeros" too, every unit is identical
                          and symmetry is never broken)
    normal(std=0.01)      W ~ N(0, std^2)
    uniform               W ~ U[-1/sqrt(fan_in), 1/sqrt(fan_in)]   (the old heuristic that
                          Glorot & Bengio 2010 showed saturates deep sigmoid nets)
    glorot / xavier       W ~ U[-a, a], a = sqrt(6 / (fan_in + fan_out))  (tanh, sigmoid)
    glorot_normal         W ~ N(0, 2 / (fan_in + fan_out))
    he                    W ~ N(0, 2 / fan_in)                  (ReLU; He et al. 2015)
    he_uniform            W ~ U[-a, a], a = sqrt(6 / fan_in)
    lecun                 W ~ N(0, 1 / fan_in)
    lecun_uniform         W ~ U[-a, a], a = sqrt(3 / fan_in)
Every initialiser draws from the np.random.Generator it is given. std, limit and gain must be
finite numbers >= 0, a uniform range [-a, a] must have a finite width 2a, and the weights must
fit the network's dtype: otherwise a ValueError names the parameter and the bound it breaks.

Biases b^i (n_i,) have their own registry, ``BIAS_INITIALIZERS``:
    fan_in_uniform        b ~ U[-1/sqrt(fan_in), 1/sqrt(fan_in)]   (the MLP's default; PyTorch's
                          nn.Linear default)
    zeros                 b = 0
    normal(std=0.1)       b ~ N(0, std^2)
Why not zeros by default: with b^1 = 0 every first-layer unit's z^1 = h^0 W^{1T} vanishes at
x = 0, so for one input every unit is centred (tanh, sigmoid) or kinked (ReLU) at the same point
x = 0 and the first layer offers one place to bend instead of n_1: [1, 32, 32, 1] tanh fitting
sin(3x) on [-pi, pi] with Adam (lr 0.01, batch 32) then stalls between MSE 0.02 and 0.06 for
300 epochs (seeds 0-4). Random biases
of the size of x W^T (1/sqrt(fan_in) for inputs of unit scale) spread the centres over the data
and the same fit reaches MSE < 1e-3 (tests/nncore/test_init_defaults.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def _zeros(shape, rng, dtype, **_):
    return np.zeros(shape, dtype=dtype)


def _scale_parameter(init, name, value):
    """std, limit or gain as a float: a finite real number >= 0, else an error naming it."""
    arr = np.asarray(value)
    if isinstance(value, bool) or arr.ndim != 0 or arr.dtype.kind not in "iuf":
        raise TypeError(f"{init} init needs a number for {name}, got {value!r}")
    value = float(arr)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{init} init needs a finite {name} >= 0, got {name}={value!r}")
    return value


def _fits(weights, dtype, what):
    """Cast float64 draws to dtype, or raise a ValueError if some would overflow there."""
    largest = float(np.finfo(dtype).max)
    biggest = float(np.max(np.abs(weights))) if weights.size else 0.0
    if not biggest <= largest:  # also catches inf from an overflow in the draw itself
        raise ValueError(
            f"{what} draws weights up to {biggest:.3g}, beyond the largest "
            f"{np.dtype(dtype).name} ({largest:.3g}); choose a smaller one"
        )
    with np.errstate(under="ignore"):  # a draw below the dtype's range is 0 or subnormal, correctly
        return weights.astype(dtype)


def _draw_normal(shape, rng, dtype, std, what):
    """W ~ N(0, std^2) in dtype; ``what`` names the parameter that set std in errors."""
    # an overflow is reported by _fits, naming the parameter; an underflow is the correct draw
    with np.errstate(over="ignore", under="ignore"):
        return _fits(rng.standard_normal(shape) * std, dtype, what)


def _draw_uniform(shape, rng, dtype, limit, what):
    """W ~ U[-limit, limit] in dtype; the interval's width 2 limit must be a finite float64."""
    limit, largest = float(limit), float(np.finfo(np.float64).max)
    if not 2 * limit <= largest:  # Python floats: 2 * limit is inf here, without a warning
        raise ValueError(
            f"{what}: the width 2a of U[-a, a] exceeds the largest float64 ({largest:.3g}); "
            "choose a smaller one"
        )
    return _fits(rng.uniform(-limit, limit, size=shape), dtype, what)


def _normal(shape, rng, dtype, std=0.01):
    std = _scale_parameter("normal", "std", std)
    return _draw_normal(shape, rng, dtype, std, f"normal init with std={std!r}")


def _uniform_limit(shape, rng, dtype, limit):
    return _draw_uniform(shape, rng, dtype, limit, f"uniform init with limit a = {limit:.3g}")


def _uniform(shape, rng, dtype, limit=None):
    if limit is None:
        return _uniform_limit(shape, rng, dtype, 1.0 / np.sqrt(shape[1]))
    limit = _scale_parameter("uniform", "limit", limit)
    return _draw_uniform(shape, rng, dtype, limit, f"uniform init with limit={limit!r}")


def _glorot_uniform(shape, rng, dtype, gain=1.0):
    fan_out, fan_in = shape
    gain = _scale_parameter("glorot", "gain", gain)
    limit = gain * np.sqrt(6.0 / (fan_in + fan_out))
    what = f"glorot init with gain={gain!r} (limit a = {limit:.3g})"
    return _draw_uniform(shape, rng, dtype, limit, what)


def _glorot_normal(shape, rng, dtype, gain=1.0):
    fan_out, fan_in = shape
    gain = _scale_parameter("glorot_normal", "gain", gain)
    std = gain * np.sqrt(2.0 / (fan_in + fan_out))
    return _draw_normal(shape, rng, dtype, std, f"glorot_normal init with gain={gain!r}")


def _he_normal(shape, rng, dtype):
    return _normal(shape, rng, dtype, std=np.sqrt(2.0 / shape[1]))


def _he_uniform(shape, rng, dtype):
    return _uniform_limit(shape, rng, dtype, np.sqrt(6.0 / shape[1]))


def _lecun_normal(shape, rng, dtype):
    return _normal(shape, rng, dtype, std=np.sqrt(1.0 / shape[1]))


def _lecun_uniform(shape, rng, dtype):
    return _uniform_limit(shape, rng, dtype, np.sqrt(3.0 / shape[1]))


INITIALIZERS: dict[str, Callable] = {
    "zeros": _zeros,
    "normal": _normal,
    "uniform": _uniform,
    "glorot": _glorot_uniform,
    "xavier": _glorot_uniform,
    "glorot_uniform": _glorot_uniform,
    "glorot_normal": _glorot_normal,
    "xavier_normal": _glorot_normal,
    "he": _he_normal,
    "he_normal": _he_normal,
    "he_uniform": _he_uniform,
    "lecun": _lecun_normal,
    "lecun_normal": _lecun_normal,
    "lecun_uniform": _lecun_uniform,
}

#: the initialiser "auto" picks for each hidden activation
DEFAULT_INIT = {"relu": "he", "leaky_relu": "he", "abs": "he", "gelu": "he", "softplus": "he"}


def _bias_fan_in_uniform(shape, fan_in, rng, dtype):
    limit = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def _bias_zeros(shape, fan_in, rng, dtype):
    return np.zeros(shape, dtype=dtype)


def _bias_normal(shape, fan_in, rng, dtype, std=0.1):
    std = _scale_parameter("normal bias", "std", std)
    return _draw_normal(shape, rng, dtype, std, f"normal bias init with std={std!r}")


BIAS_INITIALIZERS: dict[str, Callable] = {
    "fan_in_uniform": _bias_fan_in_uniform,
    "zeros": _bias_zeros,
    "normal": _bias_normal,
}

#: what nn.MLP uses when bias_init is not given (see the module docstring for why)
DEFAULT_BIAS_INIT = "fan_in_uniform"


def get_bias_initializer(bias_init) -> Callable:
    """A bias initialiser: name, (name, {"std": 0.5}) pair, or callable(shape, fan_in, rng, dtype).

    Returns a callable(shape, fan_in, rng, dtype) -> b of the given shape (n_i,), where fan_in
    = n_{i-1}. Unknown names list the valid ones.
    """
    if callable(bias_init):
        return bias_init
    kwargs = {}
    if (
        isinstance(bias_init, tuple | list)
        and len(bias_init) == 2
        and isinstance(bias_init[1], dict)
    ):
        bias_init, kwargs = bias_init
    if not isinstance(bias_init, str):
        raise TypeError(
            f"bias_init must be a name, a (name, kwargs) pair or a callable, got {bias_init!r}"
        )
    key = bias_init.strip().lower()
    if key not in BIAS_INITIALIZERS:
        raise ValueError(
            f"unknown bias initialiser {bias_init!r}; valid names: "
            f"{', '.join(sorted(BIAS_INITIALIZERS))}"
        )
    fn = BIAS_INITIALIZERS[key]

    def initializer(shape, fan_in, rng, dtype):
        try:
            return fn(shape, fan_in, rng, dtype, **kwargs)
        except TypeError as err:
            raise TypeError(f"bias initialiser {key!r} does not accept {kwargs}: {err}") from err

    initializer.__name__ = key
    return initializer


def get_initializer(init) -> Callable:
    """An initialiser: name, (name, {"std": 0.1, ...}) pair, or callable(shape, rng, dtype).

    Returns a callable(shape, rng, dtype) -> W. Unknown names list the valid ones.
    """
    if callable(init):
        return init
    kwargs = {}
    if isinstance(init, tuple | list) and len(init) == 2 and isinstance(init[1], dict):
        init, kwargs = init
    if not isinstance(init, str):
        raise TypeError(f"init must be a name, a (name, kwargs) pair or a callable, got {init!r}")
    key = init.strip().lower()
    if key not in INITIALIZERS:
        raise ValueError(
            f"unknown initialiser {init!r}; valid names: {', '.join(sorted(INITIALIZERS))}"
        )
    fn = INITIALIZERS[key]

    def initializer(shape, rng, dtype):
        try:
            return fn(shape, rng, dtype, **kwargs)
        except TypeError as err:
            raise TypeError(f"initialiser {key!r} does not accept {kwargs}: {err}") from err

    initializer.__name__ = key
    return initializer


def init_name_for(hidden: list[str]) -> str:
    """The initialiser "auto" means: He for ReLU-like hidden layers, Glorot otherwise."""
    if hidden and all(h in DEFAULT_INIT for h in hidden):
        return "he"
    return "glorot"
