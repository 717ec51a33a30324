"""The step schedule never returns a rate of 0, and gamma is a decay (audit 39, finding 10)."""

import sys
from fractions import Fraction

import numpy as np
import pytest

import nncore as nn

SMALLEST_NORMAL = 2.2250738585072014e-308  # 2^-1022


def test_step_rate_is_the_closed_form_floored_at_the_smallest_normal_float():
    schedule = nn.get_schedule("step", 0.01, 400, step_size=1, gamma=0.1)
    for t in range(400):
        exact = Fraction(0.01) * Fraction(0.1) ** t  # the floats' exact values, multiplied exactly
        expected = max(float(exact), SMALLEST_NORMAL)
        assert schedule(t) == pytest.approx(expected, rel=1e-12), t
    assert schedule(330) == SMALLEST_NORMAL == sys.float_info.min  # before: 0.0


def test_fit_survives_a_rate_that_decays_past_the_float_range():
    x, y = nn.make_moons(20)
    net = nn.MLP([2, 4, 2], output="softmax")
    history = nn.fit(
        net,
        x,
        y,
        epochs=4,
        schedule="step",
        schedule_kwargs={"step_size": 1, "gamma": 1e-200},
    )  # before: ValueError "lr must be finite and > 0, got 0.0" in the third epoch
    assert history.epochs == 4 and not history.diverged
    assert history.lr[:2] == [0.01, pytest.approx(1e-202, rel=1e-12)]
    assert history.lr[2:] == [SMALLEST_NORMAL, SMALLEST_NORMAL]
    assert all(np.isfinite(history.loss))


@pytest.mark.parametrize("gamma", [1e200, 1.5, 0.0, -0.5, float("nan"), float("inf")])
def test_gamma_must_lie_in_zero_one(gamma):
    with pytest.raises(ValueError, match=r"gamma, the step schedule's decay factor, .*\(0, 1\]"):
        nn.get_schedule("step", 0.01, 10, gamma=gamma)
