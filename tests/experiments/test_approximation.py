"""Width versus depth: budgets, fits, the parallel grid, and Hanin & Rolnick's measurement."""

import numpy as np
import pytest

from nncore.approximation import (
    equal_budget_architectures,
    fit_architecture,
    fold_target_scale,
    hanin_rolnick,
    n_params_of,
    pieces_at_init,
    random_biases,
    run_grid,
    target_scale,
)
from nncore.network import MLP
from nncore.regions import count_linear_regions, sawtooth_network


def test_n_params_matches_the_network():
    for sizes in ([1, 7, 1], [2, 5, 3, 4], [1, 3, 3, 3, 1]):
        assert n_params_of(sizes) == MLP(sizes).n_params
        assert n_params_of(sizes, bias=False) == MLP(sizes, bias=False).n_params


def test_equal_budget_architectures_are_the_widest_within_budget():
    rows = equal_budget_architectures(400, [1, 2, 4])
    assert [row["depth"] for row in rows] == [1, 2, 4]
    # Closed forms: depth 1: 3w + 1 <= 400 -> w = 133; depth 2: w^2 + 4w + 1 <= 400 -> w = 18.
    assert rows[0]["width"] == 133 and rows[0]["n_params"] == 400
    assert rows[1]["width"] == 18 and rows[1]["n_params"] == 397
    for row in rows:
        assert row["n_params"] == MLP(row["sizes"]).n_params <= 400
        wider = [1] + [row["width"] + 1] * row["depth"] + [1]
        assert n_params_of(wider) > 400
    rows = equal_budget_architectures(1000, [1, 3], n_in=2, n_out=3)
    assert all(row["sizes"][0] == 2 and row["sizes"][-1] == 3 for row in rows)


def test_equal_budget_errors():
    with pytest.raises(ValueError, match="too small for depth 5"):
        equal_budget_architectures(10, [1, 5])
    with pytest.raises(ValueError, match="budget must be an int"):
        equal_budget_architectures(0, [1])


def test_random_biases():
    net = random_biases(MLP([1, 50, 4, 1]), kind="fan_in_uniform", seed=0)
    assert np.all(np.abs(net.biases[0]) <= 1.0) and np.all(np.abs(net.biases[1]) <= 1 / np.sqrt(50))
    assert np.std(net.biases[0]) > 0.3
    with pytest.raises(ValueError, match="kind"):
        random_biases(net, kind="ones")


def test_fit_architecture_reports_consistent_numbers():
    result = fit_architecture([1, 16, 16, 1], target="abs", epochs=60, seed=0)
    assert result["n_params"] == n_params_of([1, 16, 16, 1])
    assert result["depth"] == 2 and result["width"] == 16
    assert result["train_mse"] < 0.01 and result["test_mse"] < 0.01
    assert result["seconds"] > 0 and result["pieces"] >= 2
    again = fit_architecture([1, 16, 16, 1], target="abs", epochs=60, seed=0)
    assert again["test_mse"] == result["test_mse"]


def test_grid_in_parallel_equals_serial():
    configs = [
        {"sizes": [1, 8, 1], "target": "sine", "epochs": 20, "seed": 0},
        {"sizes": [1, 4, 4, 1], "target": "x^2", "epochs": 20, "seed": 1},
        {"sizes": [2, 6, 1], "target": "bump", "epochs": 5, "seed": 2, "n_train": 64},
    ]
    parallel = run_grid(configs, workers=2)
    serial = run_grid(configs, workers=1)
    assert [row["test_mse"] for row in parallel] == [row["test_mse"] for row in serial]
    assert [row["sizes"] for row in parallel] == [c["sizes"] for c in configs]
    assert parallel[2]["pieces"] is None


def test_hanin_rolnick_pieces_track_neurons_not_depth():
    """At initialisation the number of pieces along a line is about the number of neurons N,
    whatever the depth, and doubles when N doubles; the depth-d maximum prod(n_i + 1) (and the
    sawtooth's 2^d) is never approached."""
    rows = hanin_rolnick(total_neurons=(24, 48), depths=(1, 2, 4), n_nets=8, seed=0)
    by = {(row["total_neurons"], row["depth"]): row for row in rows}
    for (total, depth), row in by.items():
        assert 0.6 * total <= row["mean_pieces"] <= 1.2 * total, row
        assert row["mean_pieces"] < 0.25 * row["upper_bound"] or depth == 1
    for depth in (1, 2, 4):
        ratio = by[(48, depth)]["mean_pieces"] / by[(24, depth)]["mean_pieces"]
        assert 1.6 < ratio < 2.4
    # The same depth-4 budget, set by hand, reaches exponentially many pieces.
    assert count_linear_regions(sawtooth_network(12), 0, 1) == 2**12


def test_pieces_at_init_is_seeded():
    a = pieces_at_init([1, 8, 8, 1], n_nets=4, seed=3)
    b = pieces_at_init([1, 8, 8, 1], n_nets=4, seed=3)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (4,) and np.all(a >= 1)


def test_input_directions_see_the_bottleneck():
    """A width-1 hidden layer leaves one input direction, whatever follows; width 2 leaves two."""
    from nncore.approximation import input_directions

    x = np.random.default_rng(0).uniform(-1, 1, (200, 2))
    narrow = MLP([2, 1, 64, 1], hidden="tanh", seed=0)
    values = input_directions(narrow, x)
    assert values.shape == (2,) and values[1] < 1e-12 * values[0]
    # every input gradient is a multiple of the bottleneck's weight row W^1 (1, 2)
    wide = MLP([2, 2, 64, 1], hidden="tanh", seed=0)
    assert input_directions(wide, x)[1] > 1e-3 * input_directions(wide, x)[0]
    # the singular values are those of the stacked gradients, by central differences
    eps = 1e-6
    grads = np.column_stack(
        [
            (wide.forward(x + eps * e) - wide.forward(x - eps * e))[:, 0] / (2 * eps)
            for e in np.eye(2)
        ]
    )
    np.testing.assert_allclose(
        input_directions(wide, x), np.linalg.svd(grads, compute_uv=False), rtol=1e-6
    )


def test_one_projection_floor_against_a_polynomial_regression():
    """The floor for x1^2 - x2^2 + x1 x2: the best g(x u^T) for each direction, estimated
    independently by a degree-10 polynomial in s = x u^T on random points."""
    from nncore.approximation import one_projection_floor

    floor = one_projection_floor("x1^2 - x2^2 + x1*x2")
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (100_000, 2))
    f = x[:, 0] ** 2 - x[:, 1] ** 2 + x[:, 0] * x[:, 1]

    def error(degrees):
        s = x @ np.array([np.cos(np.radians(degrees)), np.sin(np.radians(degrees))])
        return np.mean((f - np.polynomial.Polynomial.fit(s, f, 10)(s)) ** 2)

    # every 5 degrees, then every degree around the best (the error is smooth in the angle)
    coarse = min(np.arange(0.0, 180.0, 5.0), key=error)
    errors = {degrees % 180: error(degrees) for degrees in coarse + np.arange(-5.0, 6.0)}
    best = min(errors, key=errors.get)
    assert floor["mse"] == pytest.approx(errors[best], rel=0.02)
    # the floor's direction is a best one (x1^2 - x2^2 + x1 x2 has two, 90 degrees apart)
    assert error(floor["angle"]) == pytest.approx(errors[best], rel=0.02)
    # a function of x1 alone is a ridge function: its floor is 0
    assert one_projection_floor("x1^3 - x1")["mse"] < 1e-4


def test_fit_architecture_keeps_the_net_on_request():
    result = fit_architecture([1, 4, 1], "sine", epochs=2, keep_net=True)
    x = np.linspace(-1, 1, 1000)[:, None]
    assert result["test_mse"] == pytest.approx(
        float(np.mean((result["net"].forward(x) - np.sin(np.pi * x)) ** 2))
    )
    assert "net" not in fit_architecture([1, 4, 1], "sine", epochs=2)


@pytest.mark.parametrize(("sizes", "target"), [([1, 8, 8, 1], "sine"), ([2, 6, 1], "sine")])
def test_fit_architecture_trains_as_nn_fit_does(sizes, target):
    """fit_architecture trains with FusedTrainer for speed; the network must be the one nn.fit
    (the plain Trainer) gives on the same data, init and seed, number for number."""
    import nncore as nn
    from nncore.datasets import make_regression

    result = fit_architecture(sizes, target, n_train=64, epochs=15, seed=3, keep_net=True)
    x, y = make_regression(target, 64, 0.0, 3, dim=sizes[0], lo=-1.0, hi=1.0)
    net = MLP(sizes, hidden="relu", output="identity", init="auto", seed=3)
    random_biases(net, kind="fan_in_uniform", seed=3 + 10_000)
    nn.fit(net, x, y, optimizer="adam", lr=0.01, epochs=15, batch_size=32, seed=3)
    for ours, reference in zip(result["net"].weights + result["net"].biases,
                               net.weights + net.biases, strict=True):  # fmt: skip
        np.testing.assert_array_equal(ours, reference)
    assert result["train_mse"] == float(net.loss(x, y))


def test_target_scale_is_each_columns_mean_and_spread():
    # closed forms: [1, 3] has mean 2 and standard deviation 1; a constant column keeps scale 1
    mean, scale = target_scale(np.array([[1.0, 5.0], [3.0, 5.0]]))
    np.testing.assert_array_equal(mean, [2.0, 5.0])
    np.testing.assert_array_equal(scale, [1.0, 1.0])
    mean, scale = target_scale(np.array([[-1e150], [3e150]]))
    np.testing.assert_allclose([mean[0], scale[0]], [1e150, 2e150], rtol=1e-15)
    with pytest.raises(ValueError, match="finite"):
        target_scale(np.array([[1.0], [np.inf]]))


@pytest.mark.parametrize("c", [1e-300, 1e-160, 1e160, 1e307])
def test_target_scale_holds_over_the_whole_float_range(c):
    """c [1, 3] repeated 200 times: mean 2c and standard deviation c, where the plain sum
    (4e309 for c = 1e307) or the squares ((1e-300)^2 = 0) would leave float64."""
    y = c * np.tile([[1.0], [3.0]], (200, 1))
    mean, scale = target_scale(y)
    np.testing.assert_allclose([mean[0], scale[0]], [2 * c, c], rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fold_target_scale_makes_the_network_predict_mean_plus_scale_times_it(dtype):
    net = MLP([3, 5, 2], hidden="tanh", output="identity", seed=4, dtype=dtype)
    x = np.random.default_rng(0).normal(size=(7, 3)).astype(dtype)
    before = net.forward(x).astype(np.float64)
    mean, scale = np.array([-3.0, 0.5]), np.array([1e3, 1e-3])
    fold_target_scale(net, mean, scale)
    after = net.forward(x)
    assert after.dtype == dtype
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(after, mean + scale * before, rtol=tol, atol=tol * 1e3)


def test_fold_target_scale_names_what_it_cannot_do():
    with pytest.raises(ValueError, match="identity output"):
        fold_target_scale(MLP([2, 3], output="softmax"), 0.0, 1.0)
    with pytest.raises(ValueError, match="positive"):
        fold_target_scale(MLP([2, 1], output="identity"), 0.0, 0.0)
    with pytest.raises(ValueError, match="no bias"):
        fold_target_scale(MLP([2, 1], output="identity", bias=False), 1.0, 2.0)
    small = MLP([2, 1], output="identity", dtype=np.float32, seed=0)
    kept = [W.copy() for W in small.weights]
    with pytest.raises(ValueError, match="overflow float32"):
        fold_target_scale(small, 0.0, 1e39)
    np.testing.assert_array_equal(small.weights[-1], kept[-1])  # left as it was


def test_standardized_fits_do_not_depend_on_the_targets_scale():
    """With standardize=True a target 2^20 f trains the same network as f, scaled exactly (a
    power of two scales every rounding with it), so its errors are exactly 2^40 times f's; on
    the raw scale, Adam from weights of order 1 cannot reach such a target in 60 epochs."""
    kw = {"n_train": 64, "epochs": 60, "seed": 2, "keep_net": True}
    small = fit_architecture([1, 8, 1], "x^2 - 0.5*x", standardize=True, **kw)
    large = fit_architecture([1, 8, 1], "1048576*(x^2 - 0.5*x)", standardize=True, **kw)
    assert large["test_mse"] == 2.0**40 * small["test_mse"]
    assert large["train_mse"] == 2.0**40 * small["train_mse"]
    assert large["pieces"] == small["pieces"]
    x = np.linspace(-1, 1, 101)[:, None]
    np.testing.assert_array_equal(large["net"].forward(x), 2.0**20 * small["net"].forward(x))
    # Var f on U[-1, 1] for f = x^2 - x/2: E[f^2] - E[f]^2 = 1/5 + 1/12 - 1/9 (a constant's error)
    variance = 2.0**40 * (1 / 5 + 1 / 12 - 1 / 9)
    assert large["test_mse"] < 0.1 * variance
    raw = fit_architecture([1, 8, 1], "1048576*(x^2 - 0.5*x)", **kw)
    assert raw["test_mse"] > variance  # no better than a constant


def test_standardized_fit_is_nn_fit_on_the_standardized_targets():
    import nncore as nn
    from nncore.datasets import make_regression

    result = fit_architecture([1, 6, 1], "sine", n_train=64, epochs=10, seed=3, keep_net=True,
                              standardize=True)  # fmt: skip
    x, y = make_regression("sine", 64, 0.0, 3, dim=1, lo=-1.0, hi=1.0)
    mean, std = float(np.mean(y)), float(np.std(y))
    net = MLP([1, 6, 1], hidden="relu", output="identity", seed=3)
    random_biases(net, seed=3 + 10_000)
    nn.fit(net, x, (y - mean) / std, optimizer="adam", lr=0.01, epochs=10, batch_size=32, seed=3)
    grid = np.linspace(-1, 1, 57)[:, None]
    np.testing.assert_allclose(result["net"].forward(grid), mean + std * net.forward(grid),
                               rtol=1e-12, atol=1e-12)  # fmt: skip
    assert result["train_mse"] == pytest.approx(float(np.mean((mean + std * net.forward(x) - y)
                                                              ** 2)), rel=1e-10)  # fmt: skip


def test_the_one_projection_floor_does_not_depend_on_an_offset_or_the_units():
    """The floor of f + c is f's (an offset changes no error), of 1024 f exactly 1024^2 times
    f's (a power of two scales every rounding); the bins' sums of squares used to lose every
    digit to an offset of 1e10 (a floor of 0) and overflow past 1e154."""
    import warnings

    from nncore.approximation import one_projection_floor

    base = one_projection_floor("x1^2 - x2^2 + x1*x2")
    for offset in ("1e6", "1e10"):
        shifted = one_projection_floor(f"x1^2 - x2^2 + x1*x2 + {offset}")
        assert shifted["mse"] == pytest.approx(base["mse"], rel=1e-7)
        assert shifted["angle"] == base["angle"]
    scaled = one_projection_floor("1024*(x1^2 - x2^2 + x1*x2)")
    assert scaled["mse"] == 1024**2 * base["mse"] and scaled["angle"] == base["angle"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow on the way
        huge = one_projection_floor("1e152*(x1^2 - x2^2 + x1*x2)")
    assert huge["mse"] == pytest.approx(1e304 * base["mse"], rel=1e-12)
