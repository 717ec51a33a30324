"""Learning-rate schedules against their closed forms."""

import math

import pytest

from nncore.schedules import SCHEDULES, get_schedule


def test_registry():
    assert set(SCHEDULES) == {"constant", "step", "cosine"}


def test_constant():
    schedule = get_schedule("constant", 0.3, 10)
    assert [schedule(t) for t in range(10)] == [0.3] * 10


def test_step_closed_form():
    schedule = get_schedule("step", 1.0, 9, step_size=3, gamma=0.5)
    assert [schedule(t) for t in range(9)] == [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]


def test_cosine_closed_form_and_monotone():
    schedule = get_schedule("cosine", 0.1, 50, lr_min=0.001)
    rates = [schedule(t) for t in range(50)]
    assert rates[0] == pytest.approx(0.1)
    assert rates[25] == pytest.approx(0.001 + 0.099 * 0.5)
    assert all(a > b for a, b in zip(rates, rates[1:], strict=False))
    assert rates[-1] > 0.001
    assert rates[10] == pytest.approx(0.001 + 0.099 * (1 + math.cos(math.pi * 10 / 50)) / 2)


def test_config_roundtrip():
    schedule = get_schedule("step", 0.2, 30, step_size=7, gamma=0.3)
    rebuilt = get_schedule(**schedule.config())
    assert [rebuilt(t) for t in range(30)] == [schedule(t) for t in range(30)]


def test_bad_inputs():
    with pytest.raises(ValueError, match="unknown schedule 'linear'"):
        get_schedule("linear", 0.1, 10)
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        get_schedule("constant", 0.1, 0)
    with pytest.raises(ValueError, match="lr must be finite"):
        get_schedule("cosine", float("nan"), 10)
    with pytest.raises(ValueError, match="lr_min"):
        get_schedule("cosine", 0.1, 10, lr_min=1.0)
    with pytest.raises(ValueError, match="epoch must be"):
        get_schedule("constant", 0.1, 10)(-1)
