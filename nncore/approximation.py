"""Width versus depth: fit targets with chosen architectures, equal parameter budgets, and a grid
of such fits run in parallel; plus the Hanin & Rolnick (2019) count of pieces at initialisation.

Parameter count of sizes [n_0, n_1, ..., n_k] with biases: sum_i (n_{i-1} + 1) n_i.
"""

import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from nncore._checks import check_net, check_sizes, rng_from
from nncore.datasets import make_regression, regression_target
from nncore.fused import FusedTrainer
from nncore.network import MLP
from nncore.regions import PIECEWISE_LINEAR_SLOPES, count_linear_regions


def n_params_of(sizes, bias=True):
    """sum_i n_i n_{i-1} (+ n_i with biases) for sizes [n_0, ..., n_k]."""
    sizes = check_sizes(sizes)
    return sum((n_in + bias) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=False))


def equal_budget_architectures(budget, depths, n_in=1, n_out=1):
    """For each depth (number of hidden layers), the widest equal-width network within ``budget``.

    Width w at depth d has (n_in + 1) w + (d - 1)(w + 1) w + (w + 1) n_out parameters; the
    largest w that keeps this <= budget is chosen, so every architecture spends at most the budget
    and the counts end up close to it.

    Returns:
        list of dicts {"depth", "width", "sizes", "n_params"}, one per depth, in the given order.
    """
    if isinstance(budget, bool) or not isinstance(budget, int | np.integer) or budget < 1:
        raise ValueError(f"budget must be an int >= 1, got {budget!r}")
    rows = []
    for depth in depths:
        if isinstance(depth, bool) or not isinstance(depth, int | np.integer) or depth < 1:
            raise ValueError(f"every depth must be an int >= 1, got {depth!r} in {list(depths)}")
        smallest = n_params_of([n_in] + [1] * depth + [n_out])
        if smallest > budget:
            raise ValueError(
                f"budget {budget} is too small for depth {depth}: width 1 already needs "
                f"{smallest} parameters"
            )
        width = 1
        while n_params_of([n_in] + [width + 1] * depth + [n_out]) <= budget:
            width += 1
        sizes = [n_in] + [width] * depth + [n_out]
        rows.append(
            {"depth": depth, "width": width, "sizes": sizes, "n_params": n_params_of(sizes)}
        )
    return rows


def random_biases(net, kind="fan_in_uniform", std=0.1, seed=0):
    """Overwrite every b^i with fresh random values from ``seed``; returns net.

    kind: "fan_in_uniform" draws b^i ~ U[-1/sqrt(n_{i-1}), 1/sqrt(n_{i-1})] (PyTorch's default for
    Linear layers, and nn.MLP's own default); "normal" draws b^i ~ N(0, std^2). With zero biases
    every first-layer ReLU kink sits at x = 0, so random biases matter for 1-D fits and for
    counting pieces at init. Redrawing from a separate seed keeps the experiments' numbers
    independent of how the MLP draws its own biases.
    """
    check_net(net)
    rng = rng_from(seed)
    for W, b in zip(net.weights, net.biases, strict=True):
        if b is None:
            continue
        if kind == "fan_in_uniform":
            limit = 1.0 / np.sqrt(W.shape[1])
            b[...] = rng.uniform(-limit, limit, b.shape)
        elif kind == "normal":
            b[...] = rng.normal(0.0, std, b.shape)
        else:
            raise ValueError(f"kind must be 'fan_in_uniform' or 'normal', got {kind!r}")
    return net


def fit_architecture(
    sizes,
    target="sine",
    hidden="relu",
    n_train=256,
    n_test=1000,
    noise=0.0,
    lo=-1.0,
    hi=1.0,
    optimizer="adam",
    lr=0.01,
    epochs=300,
    batch_size=32,
    seed=0,
    init="auto",
    bias_init="fan_in_uniform",
    keep_net=False,
    standardize=False,
):
    """Train one architecture on a regression target and report its errors.

    The training set is ``make_regression(target, n_train, noise, seed)`` on [lo, hi]^{n_0}; the
    test set is a noiseless evenly spaced grid (1-D) or a fresh noiseless sample (2-D).
    bias_init: "fan_in_uniform" (b^i ~ U[+-1/sqrt(n_{i-1})], drawn from seed + 10000), "normal",
    or None to keep the MLP's own default biases.
    standardize: train on the targets put on a standard scale, (y - mean) / std over the training
    set, then fold the scale into the output layer (``fold_target_scale``), so the network and
    its errors are in y's own units. Adam moves every weight by about lr a step from weights of
    order 1, so without it a target of 1e6 x^2 or 1e-6 x^2 is out of reach in any sensible number
    of epochs, and a comparison of architectures measures the scale, not the architectures. With
    it, training on c f (c a power of two) gives a network whose outputs are exactly c times
    those trained on f.

    Returns:
        dict with sizes, depth, width (the first hidden width), hidden, n_params, train_mse,
        test_mse, seconds, epochs, seed, and "pieces" (exact count of linear pieces on [lo, hi]
        for a 1-D network with piecewise-linear units, else None); with keep_net=True also
        "net", the trained nn.MLP.
    """
    sizes = check_sizes(sizes)
    dim = sizes[0]
    x_train, y_train = make_regression(target, n_train, noise, seed, dim=dim, lo=lo, hi=hi)
    if dim == 1:
        x_test = np.linspace(lo, hi, n_test)[:, None]
        y_test = np.asarray(regression_target(target, 1)(x_test), dtype=np.float64).reshape(-1, 1)
    else:
        x_test, y_test = make_regression(target, n_test, 0.0, seed + 1, dim=dim, lo=lo, hi=hi)
    net = MLP(sizes, hidden=hidden, output="identity", init=init, seed=seed)
    if bias_init is not None:
        random_biases(net, kind=bias_init, seed=seed + 10_000)
    started = time.perf_counter()
    trainer = {"optimizer": optimizer, "lr": lr, "epochs": epochs, "batch_size": batch_size,
               "seed": seed}  # fmt: skip
    if standardize:
        history = train_standardized(net, x_train, y_train, **trainer)
    else:
        # FusedTrainer: fit's Trainer run, bit for bit (tests/experiments/
        # test_playground_core.py), over one flat parameter vector: 1.6x faster on these small
        # networks, where the dashboard trains a dozen networks while the student waits.
        history = FusedTrainer(net, x_train, y_train, **trainer).run()
    seconds = time.perf_counter() - started
    piecewise = dim == 1 and all(name in PIECEWISE_LINEAR_SLOPES for name in net.hidden)
    result = {
        "sizes": sizes,
        "depth": len(sizes) - 2,
        "width": sizes[1] if len(sizes) > 2 else 0,
        "hidden": hidden,
        "n_params": net.n_params,
        "train_mse": float(net.loss(x_train, y_train)),
        "test_mse": float(net.loss(x_test, y_test)),
        "seconds": seconds,
        "epochs": history.epochs,
        "diverged": history.diverged,
        "seed": seed,
        "target": target if isinstance(target, str) else repr(target),
        "pieces": count_linear_regions(net, lo, hi) if piecewise else None,
    }
    if keep_net:
        result["net"] = net
    return result


def target_scale(y):
    """(mean, scale) per output column of targets y (m, n_k) that put them on a standard scale:
    the column's mean and standard deviation, or scale 1 for a constant column (nothing to
    scale). float64 arrays of shape (n_k,).

    Both are computed on y divided by its largest |value| per column and multiplied back, so
    neither the sum of 1e306s nor the square of 1e-300 leaves float64's range: every finite y
    has a finite mean and a positive scale.
    """
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 2 or y.shape[0] == 0 or not np.all(np.isfinite(y)):
        raise ValueError(f"y must be a finite (m, n_k) array with m >= 1, got shape {y.shape}")
    reach = np.max(np.abs(y), axis=0)
    unit = np.where(reach > 0, reach, 1.0)
    units = y / unit  # within [-1, 1]
    mean = np.mean(units, axis=0)
    scale = unit * np.std(units - mean, axis=0)  # deviations within [-2, 2]: no overflow
    return unit * mean, np.where(scale > 0, scale, 1.0)


def train_standardized(net, x, y, **trainer):
    """Train net (nncore.fused.FusedTrainer, nn.fit's run bit for bit; trainer: its keywords)
    on the targets put on a standard scale, (y - mean) / scale from ``target_scale``, then fold
    the scale into the output layer (``fold_target_scale``) unless training diverged. Returns
    the training History; the network predicts in y's own units."""
    check_net(net)
    mean, scale = target_scale(y)
    centred = np.asarray(y, dtype=np.float64) - mean
    if not np.all(np.isfinite(centred)):
        raise ValueError("targets this far apart overflow float64 once centred: scale them down")
    history = FusedTrainer(net, x, centred / scale, **trainer).run()
    if not history.diverged:
        fold_target_scale(net, mean, scale)
    return history


def fold_target_scale(net, mean, scale):
    """Make net predict mean + scale * (what it predicted): W^k <- diag(scale) W^k (W^k is
    (n_k, n_{k-1}), z^k = h^{k-1} W^{kT} + b^k) and b^k <- scale b^k + mean on the output layer
    (identity output), each output column on its own. Returns net.

    The inverse of training on (y - mean) / scale (``target_scale``): the folded network's
    outputs, errors and linear pieces are in y's own units. Without an output bias only the
    scale is folded, so mean must then be 0.
    """
    check_net(net)
    if net.output != "identity":
        raise ValueError(f"only an identity output can take y's scale, got {net.output!r}")
    W, b = net.weights[-1], net.biases[-1]
    mean = np.broadcast_to(np.asarray(mean, dtype=np.float64), (W.shape[0],))
    scale = np.broadcast_to(np.asarray(scale, dtype=np.float64), (W.shape[0],))
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(scale)) and np.all(scale > 0)):
        raise ValueError("mean must be finite and scale finite and positive")
    if b is None and np.any(mean != 0):
        raise ValueError("the output layer has no bias b^k to carry a nonzero mean")
    with np.errstate(over="ignore", under="ignore"):  # overflow: checked below, by name
        new_W = (W.astype(np.float64) * scale[:, None]).astype(W.dtype)
        new_b = None if b is None else (b.astype(np.float64) * scale + mean).astype(b.dtype)
    if not np.all(np.isfinite(new_W)) or (new_b is not None and not np.all(np.isfinite(new_b))):
        raise ValueError(f"W^k or b^k on y's scale overflow {W.dtype}")
    W[...] = new_W
    if b is not None:
        b[...] = new_b
    return net


def _fit_from_kwargs(kwargs):
    return fit_architecture(**kwargs)


def run_grid(configs, workers=None, mp_context=None):
    """Run ``fit_architecture(**config)`` for every config, in parallel over the cores.

    configs: list of keyword dicts (each with its own seed; targets as names or formula strings,
    so they cross process boundaries). workers: number of processes (default: the CPU count,
    at most len(configs)); 1 runs in this process. Results come back in the order of configs and
    do not depend on the number of workers. mp_context: a multiprocessing context for the pool
    (default: the platform's; "fork" on Linux with Python 3.11, which needs no importable
    __main__, so it also works under Streamlit).
    """
    configs = [dict(config) for config in configs]
    if not configs:
        return []
    if workers is None:
        workers = min(len(configs), os.cpu_count() or 1)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an int >= 1, got {workers!r}")
    if workers == 1:
        return [_fit_from_kwargs(config) for config in configs]
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp_context) as pool:
        return list(pool.map(_fit_from_kwargs, configs))


def width_depth_grid(target="sine", widths=(4, 8, 16, 32), depths=(1, 2, 3), workers=None, **kw):
    """Fit every (width, depth) combination: sizes [1] + [width] * depth + [1]."""
    configs = [
        {"sizes": [1] + [width] * depth + [1], "target": target, **kw}
        for depth in depths
        for width in widths
    ]
    return run_grid(configs, workers=workers)


def equal_budget_comparison(target="sine", budget=400, depths=(1, 2, 4), workers=None, **kw):
    """Wide-shallow against narrow-deep at (almost) the same parameter count."""
    configs = [
        {"sizes": row["sizes"], "target": target, **kw}
        for row in equal_budget_architectures(budget, depths)
    ]
    return run_grid(configs, workers=workers)


def pieces_at_init(sizes, n_nets=10, seed=0, lo=-1.0, hi=1.0, init="he", bias_std=0.1):
    """Exact piece counts on [lo, hi] of ``n_nets`` random ReLU networks at initialisation.

    Weights from ``init`` (He by default), biases N(0, bias_std^2); network j uses seed + j.
    Returns an int array (n_nets,).
    """
    counts = []
    for index in range(n_nets):
        net = MLP(sizes, hidden="relu", init=init, seed=seed + index)
        random_biases(net, kind="normal", std=bias_std, seed=seed + index + 100_000)
        counts.append(count_linear_regions(net, lo, hi))
    return np.array(counts)


def hanin_rolnick(total_neurons=(32, 64, 128), depths=(1, 2, 4, 8), n_nets=10, seed=0, **kw):
    """Hanin & Rolnick (2019): pieces along a line at random init track the number of neurons.

    For each total N and depth d the hidden widths are N // d (d layers), so depth changes while
    the neuron count stays fixed. A depth-d network *can* have exponentially many pieces (the
    sawtooth has 2^d with 2 units per layer), but at initialisation the mean count is close to N
    for every depth: it grows with the total number of neurons, not exponentially with depth.

    Returns:
        list of dicts {total_neurons, depth, width, mean_pieces, std_pieces,
        pieces_per_neuron, upper_bound} where upper_bound = prod_i (n_i + 1), the most pieces
        any network of those widths can have on a line.
    """
    rows = []
    for total in total_neurons:
        for depth in depths:
            width = total // depth
            if width < 1:
                raise ValueError(f"{total} neurons cannot fill {depth} layers")
            counts = pieces_at_init([1] + [width] * depth + [1], n_nets=n_nets, seed=seed, **kw)
            rows.append(
                {
                    "total_neurons": total,
                    "depth": depth,
                    "width": width,
                    "mean_pieces": float(counts.mean()),
                    "std_pieces": float(counts.std()),
                    "pieces_per_neuron": float(counts.mean()) / (width * depth),
                    "upper_bound": int(np.prod([width + 1] * depth)),
                }
            )
    return rows


def input_directions(net, x):
    """Singular values of the stacked input Jacobians dh^k/dh^0 = A^k ... A^1 over the rows of x.

    x: (m, n_0). Returns (n_0,) singular values, largest first, of the (m n_k, n_0) matrix that
    stacks every data point's Jacobian. Their number above rounding is the number of input
    directions along which the network's output changes anywhere on x. A hidden layer of width
    w < n_0 caps it at w: every Jacobian ends in ... W^j with W^j of rank <= w, and nothing
    after that layer can undo it.
    """
    from nncore.backprop import jacobian_product

    products = jacobian_product(net.input_jacobians(x))  # (m, n_k, n_0)
    stacked = products.reshape(-1, products.shape[-1])
    return np.linalg.svd(stacked, compute_uv=False)


def one_projection_floor(target, lo=-1.0, hi=1.0, n_grid=401, n_angles=180, n_bins=200):
    """The smallest mean squared error of any function g(x u^T) of one projection of x.

    A network whose first hidden layer has one unit computes h^k = g(x w^{1T} + b^1) for some
    g: it sees x only through one projection, so its MSE on the square [lo, hi]^2 (x uniform,
    as in make_regression) is at least min_u E[(f(x) - E[f(x) | x u^T])^2]. This estimates that
    floor on an n_grid x n_grid grid, for n_angles directions u = (cos a, sin a), a in [0, 180),
    with E[f | x u^T] the mean of f over n_bins equal-width bins of x u^T. Binning can only add
    error (each bin's mean stands for a range of projections), so the estimate lies slightly
    above the true floor and approaches it as the bins shrink.

    Returns:
        dict {"mse": the floor, "angle": the best direction in degrees,
        "angles": (n_angles,) degrees, "per_angle": (n_angles,) the error for each direction}.
    """
    from nncore.datasets import regression_target

    function = regression_target(target, 2)
    grid = np.linspace(lo, hi, n_grid)
    x1, x2 = np.meshgrid(grid, grid)
    points = np.column_stack([x1.ravel(), x2.ravel()])
    values = np.asarray(function(points), dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(values)):
        raise ValueError(f"target {target!r} is not finite on [{lo}, {hi}]^2")
    # The bins' sums of squares minus their squared sums lose every digit of the error to a
    # large offset (f + 1e10 read a floor of 0) and overflow past 1e154: work on f centred and
    # divided by its largest deviation (within [-1, 1]), and scale the errors back at the end.
    mean, _ = target_scale(values[:, None])
    values = values - mean[0]
    unit = float(np.max(np.abs(values))) or 1.0
    if unit > np.sqrt(np.finfo(np.float64).max):
        raise ValueError(
            f"target {target!r} varies by {unit:.3g} on [{lo}, {hi}]^2: its squared errors "
            "overflow float64"
        )
    values = values / unit
    angles = np.arange(n_angles) * (180.0 / n_angles)
    per_angle = np.empty(n_angles)
    total = values.size
    value_squares = values * values
    # Two buffers reused for every direction: a fresh array of this size per step costs more
    # (page faults) than the arithmetic.
    projection = np.empty(total)
    bins = np.empty(total, dtype=np.intp)
    for index, angle in enumerate(np.radians(angles)):
        np.matmul(points, np.array([np.cos(angle), np.sin(angle)]), out=projection)
        low, high = projection.min(), projection.max()
        # bin = min(floor((p - low) / (high - low) * n_bins), n_bins - 1)
        projection -= low
        projection /= high - low
        projection *= n_bins
        np.copyto(bins, projection, casting="unsafe")  # truncation, as astype(int)
        np.minimum(bins, n_bins - 1, out=bins)
        counts = np.bincount(bins, minlength=n_bins)
        sums = np.bincount(bins, values, minlength=n_bins)
        squares = np.bincount(bins, value_squares, minlength=n_bins)
        filled = counts > 0
        within = squares[filled] - sums[filled] ** 2 / counts[filled]
        per_angle[index] = max(float(within.sum()) / total, 0.0)
    per_angle *= unit * unit
    best = int(np.argmin(per_angle))
    return {
        "mse": float(per_angle[best]),
        "angle": float(angles[best]),
        "angles": angles,
        "per_angle": per_angle,
    }
