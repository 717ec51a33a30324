"""The shipped digits data: shape, range, class counts and the checksums in the provenance file."""

import hashlib
from importlib.resources import files

import numpy as np
import pytest

from nncore.digits import load_digits


def test_shapes_range_and_counts():
    x, y = load_digits()
    assert x.shape == (1797, 64) and x.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert x.min() == 0 and x.max() == 16
    np.testing.assert_array_equal(x, np.round(x))
    np.testing.assert_array_equal(
        np.bincount(y), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    )


def test_checksums_match_provenance():
    data_dir = files("nncore").joinpath("data")
    provenance = data_dir.joinpath("DIGITS-PROVENANCE.md").read_text()
    with data_dir.joinpath("digits.npz").open("rb") as handle:
        with np.load(handle, allow_pickle=False) as data:
            images, labels = data["images"], data["labels"]
    assert images.dtype == np.uint8 and labels.dtype == np.uint8
    assert hashlib.sha256(images.tobytes()).hexdigest() in provenance
    assert hashlib.sha256(labels.tobytes()).hexdigest() in provenance
    assert "CC BY 4.0" in provenance and "Alpaydin" in provenance


def test_first_image_is_a_zero():
    # The first row of scikit-learn's digits.csv.gz, a 0.
    x, y = load_digits()
    assert y[0] == 0
    np.testing.assert_array_equal(x[0, :16], [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0])


def test_scalings():
    raw, _ = load_digits()
    unit, _ = load_digits(scale="unit", dtype=np.float32)
    assert unit.dtype == np.float32
    np.testing.assert_allclose(unit, raw / 16, rtol=1e-7)
    standard, _ = load_digits(scale="standard")
    varying = raw.std(axis=0) > 0
    np.testing.assert_allclose(standard[:, varying].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(standard[:, varying].std(axis=0), 1, rtol=1e-12)
    np.testing.assert_array_equal(standard[:, ~varying], 0)
    with pytest.raises(ValueError, match="scale must be"):
        load_digits(scale="minmax")
