"""Seeded toy data sets: 2-D classification and 1-D / 2-D regression. Nothing is downloaded.

Classification generators return ``x: (m, 2) float64`` and ``y: (m,) int64`` labels 0..K-1,
with the classes as equal in size as m allows and the rows shuffled. ``noise`` is the standard
deviation of Gaussian noise added to the coordinates (for blobs: each cluster's std). Points live
roughly in [-1.5, 1.5]^2. Same seed -> same arrays.
"""

import math

import numpy as np

from nncore._checks import rng_from
from nncore.formula import parse_formula

# A toy data set holds at most this many points: its arrays and the generator's temporaries peak
# at about 1 GB there (make_spirals). Far more (10**12 points, 16 TB) would end in a MemoryError,
# or in the operating system stopping the process, instead of an error that says what is wrong.
MAX_POINTS = 10_000_000


def _check_common(n, noise, seed, minimum=2):
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < minimum:
        raise ValueError(f"n must be at least {minimum}, got {n}")
    if n > MAX_POINTS:
        raise ValueError(f"n must be at most {MAX_POINTS:,} points for a toy data set, got {n:,}")
    if isinstance(noise, bool) or not isinstance(noise, int | float | np.floating | np.integer):
        raise TypeError(f"noise must be a number, got {type(noise).__name__}")
    if not math.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be finite and >= 0, got {noise}")
    return rng_from(seed)


def _check_classes(n_classes, n):
    if isinstance(n_classes, bool) or not isinstance(n_classes, int | np.integer):
        raise TypeError(f"n_classes must be an int, got {type(n_classes).__name__}")
    if n_classes < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes}")
    if n < n_classes:
        raise ValueError(f"n={n} points cannot fill n_classes={n_classes} classes")
    return int(n_classes)


def _class_sizes(n, n_classes):
    """Split n into n_classes sizes differing by at most one."""
    return [n // n_classes + (1 if c < n % n_classes else 0) for c in range(n_classes)]


def _finish(points, labels, noise, rng):
    """Add coordinate noise, shuffle the rows, return (x float64, y int64)."""
    points = points + noise * rng.standard_normal(points.shape)
    order = rng.permutation(len(labels))
    return points[order].astype(np.float64), labels[order].astype(np.int64)


def make_xor(n=200, noise=0.0, seed=0):
    """XOR: x uniform on [-1, 1]^2, y = 1 where x_1 x_2 > 0 (quadrants I and III), else 0.

    Labels come from the clean points; the noise then blurs them across the axes.
    """
    rng = _check_common(n, noise, seed)
    sizes = _class_sizes(n, 2)
    chunks, labels = [], []
    for label, size in enumerate(sizes):
        # Sample in the positive quadrant, then flip into the quadrants of this class.
        corner = rng.uniform(0.02, 1.0, size=(size, 2))
        flip_x = rng.choice([-1.0, 1.0], size=size)
        flip_y = flip_x if label == 1 else -flip_x
        chunks.append(corner * np.stack([flip_x, flip_y], axis=1))
        labels.append(np.full(size, label))
    return _finish(np.concatenate(chunks), np.concatenate(labels), noise, rng)


def make_circles(n=200, noise=0.0, seed=0, factor=0.5):
    """Two concentric circles: class 0 on radius 1, class 1 on radius ``factor`` in (0, 1)."""
    rng = _check_common(n, noise, seed)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1), got {factor}")
    sizes = _class_sizes(n, 2)
    chunks, labels = [], []
    for label, (size, radius) in enumerate(zip(sizes, (1.0, factor), strict=True)):
        angle = rng.uniform(0, 2 * np.pi, size)
        chunks.append(radius * np.stack([np.cos(angle), np.sin(angle)], axis=1))
        labels.append(np.full(size, label))
    return _finish(np.concatenate(chunks), np.concatenate(labels), noise, rng)


def make_moons(n=200, noise=0.0, seed=0):
    """Two interleaving half circles (as in scikit-learn), centred on the origin.

    Class 0: (cos t, sin t), class 1: (1 - cos t, 0.5 - sin t), t in [0, pi]; then shifted by
    (-0.5, -0.25) so the pair is centred.
    """
    rng = _check_common(n, noise, seed)
    sizes = _class_sizes(n, 2)
    upper = rng.uniform(0, np.pi, sizes[0])
    lower = rng.uniform(0, np.pi, sizes[1])
    points = np.concatenate(
        [
            np.stack([np.cos(upper), np.sin(upper)], axis=1),
            np.stack([1 - np.cos(lower), 0.5 - np.sin(lower)], axis=1),
        ]
    ) - np.array([0.5, 0.25])
    labels = np.concatenate([np.zeros(sizes[0]), np.ones(sizes[1])])
    return _finish(points, labels, noise, rng)


def make_blobs(n=200, noise=0.3, seed=0, n_classes=3):
    """Gaussian blobs: class c centred at (cos 2 pi c / K, sin 2 pi c / K), std ``noise``."""
    rng = _check_common(n, noise, seed)
    n_classes = _check_classes(n_classes, n)
    chunks, labels = [], []
    for label, size in enumerate(_class_sizes(n, n_classes)):
        angle = 2 * np.pi * label / n_classes
        chunks.append(np.tile([np.cos(angle), np.sin(angle)], (size, 1)))
        labels.append(np.full(size, label))
    return _finish(np.concatenate(chunks), np.concatenate(labels), noise, rng)


def make_spirals(n=300, noise=0.0, seed=0, n_classes=2, turns=1.0):
    """K interleaved spiral arms, one per class (any K >= 2).

    Arm c: radius r = t, angle = 2 pi (turns * t + c / K), t uniform in [0.05, 1].
    """
    rng = _check_common(n, noise, seed)
    n_classes = _check_classes(n_classes, n)
    if not math.isfinite(turns) or turns <= 0:
        raise ValueError(f"turns must be finite and > 0, got {turns}")
    chunks, labels = [], []
    for label, size in enumerate(_class_sizes(n, n_classes)):
        t = rng.uniform(0.05, 1.0, size)
        angle = 2 * np.pi * (turns * t + label / n_classes)
        chunks.append(t[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1))
        labels.append(np.full(size, label))
    return _finish(np.concatenate(chunks), np.concatenate(labels), noise, rng)


DATASETS = {
    "xor": make_xor,
    "circles": make_circles,
    "moons": make_moons,
    "blobs": make_blobs,
    "spirals": make_spirals,
}
MULTICLASS_DATASETS = ("blobs", "spirals")


def make_dataset(name, n=200, noise=None, seed=0, n_classes=2, **kwargs):
    """A 2-D classification data set by name (see ``DATASETS``).

    noise=None uses the generator's own default (0 for most, 0.3 for blobs).

    Returns:
        x: (n, 2) float64; y: (n,) int64 in 0..n_classes-1.
    """
    if not isinstance(name, str) or name.strip().lower() not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {sorted(DATASETS)}")
    key = name.strip().lower()
    if noise is not None:
        kwargs["noise"] = noise
    if key in MULTICLASS_DATASETS:
        return DATASETS[key](n=n, seed=seed, n_classes=n_classes, **kwargs)
    if n_classes != 2:
        raise ValueError(
            f"data set {key!r} has 2 classes, got n_classes={n_classes}; "
            f"for more classes use one of {list(MULTICLASS_DATASETS)}"
        )
    return DATASETS[key](n=n, seed=seed, **kwargs)


# --- regression -------------------------------------------------------------------------------


def _sawtooth(t):
    """Triangle-free saw: 2 (t - floor(t + 1/2)), period 1, values in [-1, 1)."""
    return 2 * (t - np.floor(t + 0.5))


def _bump(r2):
    return np.exp(-r2 / (2 * 0.25**2))


class RegressionTarget:
    """A named target with a 1-D and a 2-D form, each in closed form and as a formula string.

    Call it with x of shape (m,) or (m, 1) for the 1-D form, (m, 2) for the 2-D form; it returns
    (m,). Inputs are meant to lie in [-1, 1] per coordinate.
    """

    def __init__(self, name, one_d, two_d, formula_1d, formula_2d):
        self.name = name
        self.one_d, self.two_d = one_d, two_d
        self.formula_1d, self.formula_2d = formula_1d, formula_2d

    def __repr__(self):
        return f"RegressionTarget({self.name!r}: {self.formula_1d} | {self.formula_2d})"

    def __call__(self, x):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 1:
            return self.one_d(x)
        if x.ndim == 2 and x.shape[1] == 1:
            return self.one_d(x[:, 0])
        if x.ndim == 2 and x.shape[1] == 2:
            return self.two_d(x[:, 0], x[:, 1])
        raise ValueError(f"x has shape {x.shape}; expected (m,), (m, 1) or (m, 2)")


REGRESSION_TARGETS = {
    target.name: target
    for target in (
        RegressionTarget(
            "sine",
            lambda x: np.sin(np.pi * x),
            lambda a, b: np.sin(np.pi * a) * np.sin(np.pi * b),
            "sin(pi*x)",
            "sin(pi*x1)*sin(pi*x2)",
        ),
        RegressionTarget(
            "step",
            lambda x: (x >= 0).astype(np.float64),
            lambda a, b: (a + b >= 0).astype(np.float64),
            "x >= 0",
            "x1 + x2 >= 0",
        ),
        RegressionTarget(
            "abs", np.abs, lambda a, b: np.abs(a) + np.abs(b), "abs(x)", "abs(x1) + abs(x2)"
        ),
        RegressionTarget(
            "sawtooth",
            lambda x: _sawtooth(2 * x),
            lambda a, b: _sawtooth(a + b),
            "2*(2*x - floor(2*x + 1/2))",
            "2*(x1 + x2 - floor(x1 + x2 + 1/2))",
        ),
        RegressionTarget(
            "polynomial",
            lambda x: 4 * x**3 - 3 * x,
            lambda a, b: a**2 - b**2 + a * b,
            "4*x^3 - 3*x",
            "x1^2 - x2^2 + x1*x2",
        ),
        RegressionTarget(
            "bump",
            lambda x: _bump(x**2),
            lambda a, b: _bump(a**2 + b**2),
            "exp(-x^2/(2*0.25^2))",
            "exp(-(x1^2 + x2^2)/(2*0.25^2))",
        ),
    )
}


def regression_target(target, dim=1):
    """The target as a function of x: (m, dim) -> (m,).

    Args:
        target: a name in ``REGRESSION_TARGETS``, a formula string in the variables
            x (dim 1) or x1, x2 (dim 2; x and y also accepted), or a callable taking (m, dim).
    """
    if dim not in (1, 2):
        raise ValueError(f"dim must be 1 or 2, got {dim}")
    if callable(target):
        return target
    if not isinstance(target, str):
        raise TypeError(f"target must be a name, a formula or a callable, got {type(target)}")
    key = target.strip().lower()
    if key in REGRESSION_TARGETS:
        return REGRESSION_TARGETS[key]
    names = ("x",) if dim == 1 else ("x1", "x2", "x", "y")
    try:
        formula = parse_formula(target, variables=names)
    except ValueError as error:
        raise ValueError(
            f"target {target!r} is neither a known target {sorted(REGRESSION_TARGETS)} "
            f"nor a valid formula: {error}"
        ) from None
    if dim == 1:
        return lambda x: formula(x[:, 0])
    return lambda x: formula(x[:, 0], x[:, 1], x[:, 0], x[:, 1])


def make_regression(target="sine", n=200, noise=0.0, seed=0, dim=1, lo=-1.0, hi=1.0):
    """Samples of a regression target: x uniform on [lo, hi]^dim, y = f(x) + noise * N(0, 1).

    For dim = 1 the rows are sorted by x (handy for line plots); for dim = 2 they are random.

    Returns:
        x: (n, dim) float64; y: (n, 1) float64.
    """
    rng = _check_common(n, noise, seed, minimum=1)
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        raise ValueError(f"need finite lo < hi, got lo={lo}, hi={hi}")
    if math.isinf(float(hi) - float(lo)):  # U[lo, hi] needs a finite width
        raise ValueError(
            f"[{lo}, {hi}] is too wide: its width hi - lo overflows float64 (largest "
            f"{np.finfo(np.float64).max:.3g}); choose a narrower interval"
        )
    function = regression_target(target, dim)
    x = rng.uniform(lo, hi, size=(n, dim))
    if dim == 1:
        x = np.sort(x, axis=0)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # reported below
        y = np.asarray(function(x), dtype=np.float64).reshape(n, 1)
    if not np.all(np.isfinite(y)):
        raise ValueError(f"target {target!r} gives non-finite values on [{lo}, {hi}]^{dim}")
    return x, y + noise * rng.standard_normal((n, 1))


# --- train / test split and the playground's 2-D regression sets -----------------------------


def split_counts(m, test_share):
    """(n_train, n_test) for m rows: n_test = round(test_share * m), kept within 1..m-1.

    test_share: in [0.05, 0.95]; m >= 2 (both parts get at least one row).
    """
    if isinstance(m, bool) or not isinstance(m, int | np.integer) or m < 2:
        raise ValueError(f"need at least 2 rows to split into train and test, got {m!r}")
    if isinstance(test_share, bool) or not isinstance(test_share, int | float | np.floating):
        raise TypeError(f"test_share must be a number, got {type(test_share).__name__}")
    if not 0.05 <= float(test_share) <= 0.95:
        raise ValueError(f"test_share must lie in [0.05, 0.95], got {test_share}")
    n_test = min(max(int(round(float(test_share) * int(m))), 1), int(m) - 1)
    return int(m) - n_test, n_test


def train_test_split(x, y, test_share=0.3, seed=0):
    """Shuffle the rows with ``np.random.default_rng(seed)`` and cut them into test and train.

    The first ``n_test`` rows of the permutation are the test set (see ``split_counts``).

    Returns:
        x_train, y_train, x_test, y_test (rows of x and y, in the permuted order).
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} rows but y has {len(y)}")
    _, n_test = split_counts(len(x), test_share)
    order = rng_from(seed).permutation(len(x))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


def _gaussians(a, b):
    """Two positive and two negative bumps at (+-0.75, +-0.75): + where x1 x2 > 0."""
    total = np.zeros_like(a)
    for c1, c2 in ((0.75, 0.75), (-0.75, -0.75), (0.75, -0.75), (-0.75, 0.75)):
        sign = 1.0 if c1 * c2 > 0 else -1.0
        total = total + sign * np.exp(-((a - c1) ** 2 + (b - c2) ** 2) / (2 * 0.35**2))
    return total


REGRESSION_2D = {
    "plane": ((lambda a, b: (a + b) / 3.0), "(x1 + x2) / 3"),
    "gaussians": (_gaussians, "sum of +-exp(-|x - c|^2 / (2 * 0.35^2)), c = (+-0.75, +-0.75)"),
    **{name: (target.two_d, target.formula_2d) for name, target in REGRESSION_TARGETS.items()},
}


def make_regression_2d(target="plane", n=500, noise=0.0, seed=0, extent=1.5):
    """A 2-D regression set for the playground: x uniform on [-extent, extent]^2,
    y = f(x_1, x_2) + noise * N(0, 1), with f one of ``REGRESSION_2D`` (name -> (f, formula)).

    Returns:
        x: (n, 2) float64; y: (n, 1) float64.
    """
    if not isinstance(target, str) or target not in REGRESSION_2D:
        raise ValueError(
            f"unknown 2-D regression target {target!r}; choose one of {sorted(REGRESSION_2D)}"
        )
    if not (math.isfinite(extent) and extent > 0):
        raise ValueError(f"extent must be finite and > 0, got {extent}")
    rng = _check_common(n, noise, seed, minimum=1)
    x = rng.uniform(-extent, extent, size=(n, 2))
    y = REGRESSION_2D[target][0](x[:, 0], x[:, 1]).reshape(n, 1)
    return x, y + noise * rng.standard_normal((n, 1))
