"""Initialiser parameters std, limit and gain: a ValueError that names them (audit 39, finding 4).

Before the fix these were accepted silently (std = inf gave inf weights), overflowed in a cast
to float32 with a RuntimeWarning, or failed inside NumPy with "high - low range exceeds valid
bounds" (an OverflowError, which is not a ValueError).
"""

import warnings

import numpy as np
import pytest

import nncore as nn

INF, NAN = float("inf"), float("nan")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"init": ("normal", {"std": INF})}, r"finite std >= 0, got std=inf"),
        ({"bias_init": ("normal", {"std": INF})}, r"finite std >= 0, got std=inf"),
        ({"init": ("normal", {"std": NAN})}, r"finite std >= 0, got std=nan"),
        (
            {"init": ("normal", {"std": 1e300}), "dtype": np.float32},
            r"std=1e\+300 draws weights up to .* beyond the largest float32",
        ),
        ({"init": ("uniform", {"limit": INF})}, r"finite limit >= 0, got limit=inf"),
        ({"init": ("uniform", {"limit": NAN})}, r"finite limit >= 0, got limit=nan"),
        ({"init": ("uniform", {"limit": -1.0})}, r"finite limit >= 0, got limit=-1.0"),
        ({"init": ("uniform", {"limit": 1e308})}, r"limit=1e\+308: the width 2a"),
        ({"init": ("glorot", {"gain": NAN})}, r"finite gain >= 0, got gain=nan"),
        ({"init": ("glorot", {"gain": 1e308})}, r"gain=1e\+308 .*the width 2a of U\[-a, a\]"),
        ({"init": ("glorot_normal", {"gain": INF})}, r"finite gain >= 0, got gain=inf"),
    ],
)
def test_bad_scale_parameters_are_named(kwargs, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning on the way to the error
        with pytest.raises(ValueError, match=message):
            nn.MLP([2, 3, 1], **kwargs)


def test_the_bound_is_the_range_of_the_dtype():
    """std = 1e300 is fine in float64 (the draws are std times N(0, 1) numbers) but not in
    float32; likewise a uniform limit of 1e38 is fine in float32 and 1e39 is not."""
    rng_seed = 5
    draw = nn.get_initializer(("normal", {"std": 1e300}))
    W = draw((3, 2), np.random.default_rng(rng_seed), np.float64)
    np.testing.assert_array_equal(
        W, np.random.default_rng(rng_seed).standard_normal((3, 2)) * 1e300
    )
    with pytest.raises(ValueError, match="beyond the largest float32"):
        draw((3, 2), np.random.default_rng(rng_seed), np.float32)
    uniform = nn.get_initializer(("uniform", {"limit": 1e38}))
    W32 = uniform((3, 2), np.random.default_rng(rng_seed), np.float32)
    expected = np.random.default_rng(rng_seed).uniform(-1e38, 1e38, size=(3, 2)).astype(np.float32)
    np.testing.assert_array_equal(W32, expected)
    with pytest.raises(ValueError, match=r"limit=1e\+39 draws weights up to .* float32"):
        nn.get_initializer(("uniform", {"limit": 1e39}))(
            (3, 2), np.random.default_rng(0), np.float32
        )
