"""Input validation shared by nncore's public functions.

Every check raises ValueError or TypeError with a message that names the argument, its shape or
its values, so a student sees what is wrong where they called nncore, not three calls deeper.
"""

from __future__ import annotations

import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def as_float_array(a, name: str, dtype=None) -> np.ndarray:
    """Return `a` as a floating ndarray; float32/float64 are kept, ints and bools become float64.

    Raises TypeError for non-numeric data and ValueError for NaN or infinite entries.
    """
    try:
        arr = np.asarray(a)
    except Exception as err:  # ragged nested lists and the like
        raise TypeError(f"{name} must be an array of numbers; converting it failed: {err}") from err
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype} (shape {arr.shape})")
    given = arr
    if arr.dtype.kind in "biu":
        arr = arr.astype(np.float64 if dtype is None else dtype)
    else:
        target = (
            dtype
            if dtype is not None
            else (
                arr.dtype if arr.dtype in FLOAT_DTYPES else np.float64  # float16, longdouble
            )
        )
        if arr.dtype != target:
            with np.errstate(over="ignore"):  # a finite value beyond the target's range: below
                arr = arr.astype(target)
    if not np.logical_and.reduce(np.isfinite(arr), axis=None):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        if np.isfinite(given[bad]):
            raise ValueError(
                f"{name} has a value beyond the range of {arr.dtype} (largest "
                f"{float(np.finfo(arr.dtype).max):g}), first at index {bad}: {given[bad]!r}; "
                f"shape {arr.shape}"
            )
        raise ValueError(
            f"{name} contains non-finite values (NaN or inf), first at index {bad}: "
            f"{arr[bad]!r}; shape {arr.shape}"
        )
    return arr


def check_alpha(alpha) -> float:
    """The softmax's alpha must be a finite number > 0 (T = 1/alpha is the usual temperature)."""
    if (
        isinstance(alpha, bool | complex | np.complexfloating)
        or not np.isscalar(alpha)
        or not np.isreal(alpha)
    ):
        raise TypeError(f"alpha must be a positive real number, got {alpha!r}")
    alpha = float(alpha)
    if not np.isfinite(alpha) or alpha <= 0:
        raise ValueError(
            f"alpha must be a finite number > 0 (T = 1/alpha), got alpha={alpha!r}; "
            "alpha -> 0 gives the uniform distribution, alpha -> inf the one-hot argmax (uniform "
            "over tied largest scores)"
        )
    return alpha


def check_labels(labels, n_classes: int, name: str = "y") -> np.ndarray:
    """Integer class labels in [0, n_classes) as an int64 vector of shape (m,)."""
    arr = np.asarray(labels)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name} as labels must have shape (m,), got shape {arr.shape}")
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all() or not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} as class labels must be whole numbers, got {arr[:5]!r}...")
        outside = (arr < 0) | (arr >= n_classes)  # before the cast: 1e20 is no int64
        if outside.any():
            raise ValueError(
                f"{name} has labels out of range: {sorted(set(arr[outside].tolist()))[:5]}; "
                f"with {n_classes} classes the labels must lie in 0..{n_classes - 1}"
            )
        arr = arr.astype(np.int64)
    elif arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "iu":
        raise TypeError(f"{name} as class labels must be integers, got dtype {arr.dtype}")
    if arr.dtype == np.int64:
        # one comparison: viewed as unsigned, a negative label is huge and fails it too
        out_of_range = bool(arr.size and np.maximum.reduce(arr.view(np.uint64)) >= n_classes)
    else:
        out_of_range = bool(arr.size and (arr.min() < 0 or arr.max() >= n_classes))
    if out_of_range:
        bad = arr[(arr < 0) | (arr >= n_classes)]
        raise ValueError(
            f"{name} has labels out of range: {sorted(set(bad.tolist()))[:5]}; "
            f"with {n_classes} classes the labels must lie in 0..{n_classes - 1}"
        )
    return arr.astype(np.int64, copy=False)


def check_probabilities(p: np.ndarray, name: str = "p") -> None:
    """Probabilities lie in [0, 1]: a loss of p or its gradient on scores or any other numbers
    would be a silent wrong answer."""
    if p.size and ((p < 0).any() or (p > 1).any()):
        raise ValueError(f"{name} must be probabilities in [0, 1], got values {p.min()}..{p.max()}")


def check_distributions(p: np.ndarray, name: str = "p") -> None:
    """Each row of p (m, n) is a distribution over the n classes: entries in [0, 1] summing to 1.
    The sum is allowed the rounding of a computed softmax row, sqrt(eps) of p's dtype or n ulp,
    whichever is larger (1.5e-8 in float64, 3.5e-4 in float32 for up to a few thousand classes);
    a row off by more is not a softmax output, and its cross-entropy would be a silent wrong
    answer."""
    check_probabilities(p, name)
    if not p.size:
        return
    eps = float(np.finfo(p.dtype).eps)
    tolerance = max(np.sqrt(eps), p.shape[-1] * eps)
    sums = p.sum(axis=-1, dtype=np.float64)
    bad = np.flatnonzero(np.abs(sums - 1.0) > tolerance)
    if bad.size:
        rows = ", ".join(f"row {i}: {sums.flat[i]:.6g}" for i in bad[:3])
        more = f" and {bad.size - 3} more" if bad.size > 3 else ""
        raise ValueError(
            f"{name} must hold one probability distribution per row (summing to 1, as softmax "
            f"gives); got sums {rows}{more}"
        )


def rng_from(seed, name: str = "seed") -> np.random.Generator:
    """np.random.default_rng(seed) for a seed that is None, a whole number >= 0 or a Generator
    (used as it is), with an error naming `name` for anything else."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
        raise TypeError(
            f"{name} must be a whole number >= 0 or a np.random.Generator, got {seed!r}"
        )
    if seed is not None and seed < 0:
        raise ValueError(f"{name} must be >= 0, got {seed}")
    return np.random.default_rng(seed)


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}")


def check_net(net, name: str = "net", needs: tuple[str, ...] = ()):
    """`net` itself when it is a network built by nn.MLP (or, with `needs`, any object with those
    attributes: check_gradients checks any model with loss and loss_and_grads); a TypeError
    naming what it is otherwise (a weight matrix or a list of them where the network goes)."""
    from nncore.network import MLP  # nncore.network imports this module

    if needs and all(hasattr(net, attribute) for attribute in needs):
        return net
    if not needs and isinstance(net, MLP):
        return net
    shown = f" of shape {net.shape}" if hasattr(net, "shape") else ""
    wanted = "" if not needs else f" or a model with {', '.join(needs)}"
    raise TypeError(
        f"{name} must be a network built by nn.MLP(sizes, ...){wanted}, got a "
        f"{type(net).__name__}{shown}"
    )


def check_sizes(sizes) -> list[int]:
    """[n_0, ..., n_k] as ints, at least two, each >= 1; a TypeError or ValueError naming it."""
    if isinstance(sizes, str | bytes) or not hasattr(sizes, "__len__") or np.ndim(sizes) != 1:
        raise TypeError(f"sizes must be a list of layer widths like [2, 8, 1], got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"sizes needs at least two widths (input n_0 and output n_k), got {sizes!r}"
        )
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, int | np.integer):
            raise TypeError(f"sizes[{i}] must be an int width, got {n!r} in {sizes!r}")
        if n < 1:
            raise ValueError(f"sizes[{i}] = {n}: every width must be at least 1, got {sizes!r}")
    return [int(n) for n in sizes]
