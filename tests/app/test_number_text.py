"""Numbers in the pages' sentences and tables: ui.vector and ui.fixed (not NumPy's printing)."""

import numpy as np
import pytest

from viz import ui


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ([0.33, -1.303], "(0.33, -1.303)"),  # NumPy printed "[ 0.33  -1.303]"
        (np.array([-0.0001, 2.0, 1e-9]), "(0, 2, 0)"),  # no "-0", no "2."
        ([0.2104, -1.0714, 0.7228], "(0.21, -1.071, 0.723)"),
        ([np.inf, -np.inf], "(inf, -inf)"),
    ],
)
def test_vector(values, text):
    assert ui.vector(values) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(-0.0004, "0.000"), (-16.0, "-16.000"), (15.99851, "15.999"), (0.0, "0.000")],
)
def test_fixed_never_writes_negative_zero(value, text):
    assert ui.fixed(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (999_999.0, "999999.000"),
        (1e6, "1.000e+06"),
        (-9.2155774618e299, "-9.216e+299"),  # the width/depth page once printed its 300 digits
        (np.float32(3e38), "3.000e+38"),
        (np.inf, "inf"),
        (np.nan, "nan"),
    ],
)
def test_fixed_writes_large_numbers_in_scientific_notation(value, text):
    assert ui.fixed(value) == text


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (2.302585, 4, "2.3026"),  # the usual range reads as fixed() does
        (0.001, 3, "0.001"),
        (0.0009, 3, "9.000e-04"),  # would read 0.000
        (3.444e-201, 3, "3.444e-201"),
        (0.0, 3, "0.000"),
        (1.5e30, 4, "1.5000e+30"),
        (np.inf, 4, "inf"),
    ],
)
def test_magnitude_keeps_a_tiny_or_huge_size_visible(value, digits, text):
    assert ui.magnitude(value, digits) == text


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(1.3, "1.3"), (1.04, "1"), (9.96, "10"), (12.4, "12"), (450.2, "450"), (3e7, "3.0e+07")],
)
def test_a_factor_keeps_the_digits_that_tell_it_from_one(ratio, text):
    """width/depth said "a factor 1 worse" and "lowers the error 1-fold" for ratios of 1.2-1.4."""
    assert ui.factor(ratio) == text
