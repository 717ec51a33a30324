"""viz.log_ticks: the ticks of a log axis over fewer than two powers of ten, and their labels."""

import math

import pytest

from viz import log_ticks


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (1e-3, 0.5, [1e-3, 1e-2, 0.1]),  # 2.7 decades: the powers of ten
        (0.018, 0.2, [0.02, 0.05, 0.1, 0.2]),  # 1.05 decades: 1-2-5
        (0.0018, 0.07, [0.002, 0.005, 0.01, 0.02, 0.05]),
        (0.14, 0.35, [0.15, 0.2, 0.3]),  # 0.4 of a decade: 1, 1.5, 2, 3, 4, 5, 7
        (3.0, 3.0, [3.0]),
        (0.141, 0.149, []),
        (2e5, 9e5, [2e5, 3e5, 4e5, 5e5, 7e5]),
    ],
)
def test_tick_values_by_span(low, high, ticks):
    got = log_ticks.tick_values(low, high)
    assert got == pytest.approx(ticks, rel=1e-12)
    assert all(low <= tick <= high for tick in got)


def test_tick_values_are_the_round_numbers_themselves():
    """0.15, not 1.5 * 0.1 = 0.15000000000000002: a label and its place agree."""
    assert 0.15 in log_ticks.tick_values(0.1, 0.3)
    assert 0.3 in log_ticks.tick_values(0.1, 0.5)


@pytest.mark.parametrize(
    "bad", [(0.0, 1.0), (-1.0, 1.0), (2.0, 1.0), (1.0, math.inf), (math.nan, 1.0)]
)
def test_tick_values_reject_what_a_log_axis_cannot_show(bad):
    with pytest.raises(ValueError, match="0 < low <= high"):
        log_ticks.tick_values(*bad)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.05, "0.05"),
        (1.5, "1.5"),
        (300.0, "300"),
        (1e-3, "0.001"),
        (1e-4, "10\u207b\u2074"),
        (2e-5, "2\u00d710\u207b\u2075"),
        (1.5e-6, "1.5\u00d710\u207b\u2076"),
        (1e4, "10\u2074"),
        (7e5, "7\u00d710\u2075"),
    ],
)
def test_tick_text(value, text):
    assert log_ticks.tick_text(value) == text


@pytest.mark.parametrize(
    "losses",
    [[2.3, 1.5, 0.9, 0.5, 0.32], [2.3], [0.02, 0.011]],
    ids=["falling within a decade", "one loss", "a small loss"],
)
def test_the_playgrounds_loss_axis_writes_its_ticks_as_numbers(losses):
    """Within a decade the playground's loss axis asked plotly for 2-5 subdivisions ("D2"), whose
    labels are digits alone: the digits' run read "2, 1, 5" for 2, 1 and 0.5. Styled, each tick
    reads as its value, and at least two of them lie in the axis's range."""
    from types import SimpleNamespace

    from viz import figure_style, playground_figures, ui

    session = SimpleNamespace(
        train_loss=losses,
        test_loss=[1.05 * loss for loss in losses],
        train_accuracy=[0.5] * len(losses),
        test_accuracy=[0.5] * len(losses),
    )
    for presenter in (False, True):
        fig = playground_figures.curves_figure(session)
        axis = figure_style.style(fig, ui.THEMES["Standard"], presenter).layout.yaxis
        assert axis.dtick is None and axis.tickvals is not None
        low, high = (10.0**end for end in axis.range)
        inside = [tick for tick in axis.tickvals if low <= tick <= high]
        assert len(inside) >= 2, (axis.range, axis.tickvals)
        for tick, text in zip(axis.tickvals, axis.ticktext, strict=True):
            assert float(text) == pytest.approx(tick), (tick, text)
