"""Data generators: shapes, balance, seeding, and the geometry each one promises."""

import numpy as np
import pytest

from nncore.datasets import (
    DATASETS,
    REGRESSION_TARGETS,
    make_blobs,
    make_circles,
    make_dataset,
    make_moons,
    make_regression,
    make_spirals,
    make_xor,
)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_shapes_dtypes_balance_and_seed(name):
    x, y = make_dataset(name, n=301, noise=0.1, seed=3)
    assert x.shape == (301, 2) and x.dtype == np.float64
    assert y.shape == (301,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    x2, y2 = make_dataset(name, n=301, noise=0.1, seed=3)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    x3, _ = make_dataset(name, n=301, noise=0.1, seed=4)
    assert not np.array_equal(x, x3)
    assert np.all(np.isfinite(x))


def test_default_noise_is_the_generators():
    x, _ = make_dataset("blobs", n=60, seed=1, n_classes=3)
    x_direct, _ = make_blobs(n=60, seed=1, n_classes=3)
    np.testing.assert_array_equal(x, x_direct)
    assert np.std(x) > 0.5


def test_rows_are_shuffled():
    _, y = make_xor(n=200, seed=0)
    assert len(set(y[:20])) == 2


def test_xor_labels_follow_the_quadrant_without_noise():
    x, y = make_xor(n=500, noise=0.0, seed=1)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] > 0).astype(int))
    assert np.all(np.abs(x) <= 1)


def test_circles_radii_without_noise():
    x, y = make_circles(n=400, noise=0.0, seed=0, factor=0.3)
    radius = np.hypot(x[:, 0], x[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)


def test_moons_lie_on_their_half_circles():
    x, y = make_moons(n=400, noise=0.0, seed=0)
    upper = x[y == 0] + [0.5, 0.25]
    lower = x[y == 1] + [0.5, 0.25]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_noise_has_the_requested_std():
    clean, _ = make_blobs(n=20000, noise=0.0, seed=5, n_classes=4)
    noisy, labels = make_blobs(n=20000, noise=0.2, seed=5, n_classes=4)
    # Class means at the unit-circle centres; deviations have std 0.2 per coordinate.
    for label in range(4):
        angle = 2 * np.pi * label / 4
        centre = np.array([np.cos(angle), np.sin(angle)])
        deviation = noisy[labels == label] - centre
        assert deviation.std() == pytest.approx(0.2, rel=0.05)
    assert np.unique(np.round(clean, 12), axis=0).shape[0] == 4


@pytest.mark.parametrize("n_classes", [2, 3, 7])
def test_spirals_any_number_of_classes(n_classes):
    x, y = make_spirals(n=70 * n_classes, noise=0.0, seed=0, n_classes=n_classes)
    assert set(np.unique(y)) == set(range(n_classes))
    # Without noise the point's radius t and its angle identify the arm exactly.
    t = np.hypot(x[:, 0], x[:, 1])
    arm_angle = np.arctan2(x[:, 1], x[:, 0]) - 2 * np.pi * t
    arm = np.round(np.mod(arm_angle / (2 * np.pi), 1.0) * n_classes).astype(int) % n_classes
    np.testing.assert_array_equal(arm, y)


def test_make_dataset_errors():
    with pytest.raises(ValueError, match="unknown data set 'swirl'"):
        make_dataset("swirl")
    with pytest.raises(ValueError, match="has 2 classes, got n_classes=3"):
        make_dataset("xor", n_classes=3)
    with pytest.raises(ValueError, match="noise must be finite and >= 0, got -0.1"):
        make_dataset("moons", noise=-0.1)
    with pytest.raises(ValueError, match="n must be at least 2"):
        make_dataset("moons", n=1)
    with pytest.raises(ValueError, match="cannot fill n_classes=5"):
        make_spirals(n=4, n_classes=5)
    with pytest.raises(TypeError, match="n must be an int"):
        make_dataset("moons", n=10.5)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_a_data_set_too_large_to_hold_is_refused_by_name(name):
    """10**12 points (16 TB) ended in a MemoryError; now the error says what is wrong, at once."""
    with pytest.raises(
        ValueError, match="n must be at most 10,000,000 points.*got 1,000,000,000,000"
    ):
        make_dataset(name, n=10**12)
    with pytest.raises(ValueError, match="n must be at most"):
        make_regression(n=10**7 + 1)


@pytest.mark.parametrize("name", sorted(REGRESSION_TARGETS))
@pytest.mark.parametrize("dim", [1, 2])
def test_regression_targets_match_their_formula(name, dim):
    x, y = make_regression(name, n=300, noise=0.0, seed=2, dim=dim)
    assert x.shape == (300, dim) and y.shape == (300, 1)
    target = REGRESSION_TARGETS[name]
    formula = target.formula_1d if dim == 1 else target.formula_2d
    x_formula, y_formula = make_regression(formula, n=300, noise=0.0, seed=2, dim=dim)
    np.testing.assert_array_equal(x, x_formula)
    np.testing.assert_allclose(y, y_formula, atol=1e-12)


def test_regression_closed_forms_and_noise():
    x, y = make_regression("abs", n=100, seed=0)
    np.testing.assert_array_equal(y[:, 0], np.abs(x[:, 0]))
    assert np.all(np.diff(x[:, 0]) >= 0)
    _, noisy = make_regression("abs", n=100, seed=0, noise=0.5)
    assert np.std(noisy - y) > 0.3
    x, y = make_regression("sin(3*x)", n=64, lo=-np.pi, hi=np.pi, seed=1)
    np.testing.assert_allclose(y[:, 0], np.sin(3 * x[:, 0]))
    assert x.min() >= -np.pi and x.max() <= np.pi


def test_regression_errors():
    with pytest.raises(ValueError, match="neither a known target.*unknown name 'q'"):
        make_regression("q + 1")
    with pytest.raises(ValueError, match="not finite"):
        make_regression("log(x)")
    with pytest.raises(ValueError, match="dim must be 1 or 2"):
        make_regression("sine", dim=3)
    with pytest.raises(ValueError, match="lo < hi"):
        make_regression("sine", lo=1, hi=0)
