"""Ticks for a log axis that spans less than two powers of ten, read at a glance.

Left alone, plotly labels such an axis with its own "D1" ticks: every digit 2 to 9 between the
powers of ten. At presenter type they ran into each other ("5" on "6", "9" on "10\u207b\u00b2")
on the approximation page's error chart and on Choosing width and depth's test errors, and
under half a decade plotly turned its labels on their side. Here such an axis gets 1-2-5 ticks
per decade (0.02, 0.05, 0.1, 0.2), finer ones under 0.7 of a decade (0.15, 0.2, 0.3), written
as plain numbers. The playground's raster loss curve (viz.playground_canvas) draws the same
ticks, so its picture and its interactive chart read alike.
"""

from __future__ import annotations

import math

from viz.symbols import sup

# the mantissas of a decade's ticks, by the span in decades they suit
_EVERY_DECADE = (1.0,)
_ONE_TWO_FIVE = (1.0, 2.0, 5.0)
_FINE = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0)


def tick_values(low: float, high: float) -> list[float]:
    """Tick values within [low, high] (0 < low <= high): every power of ten when it spans two
    decades or more, 1-2-5 per decade from 0.7 of a decade, else 1, 1.5, 2, 3, 4, 5, 7."""
    if not (0 < low <= high and math.isfinite(high)):
        raise ValueError(f"a log axis needs 0 < low <= high < inf, got {low!r}, {high!r}")
    span = math.log10(high / low)
    mantissas = _EVERY_DECADE if span >= 2 else _ONE_TWO_FIVE if span >= 0.7 else _FINE
    decades = range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    ticks = [float(f"{m * 10.0**d:.3g}") for d in decades for m in mantissas]
    return [tick for tick in ticks if low <= tick <= high]


def tick_text(value: float) -> str:
    """A tick's label: 0.05, 1.5, 300 as written, beyond [0.001, 10000) as 2\u00d710\u207b\u2075
    or 10\u2076 (plotly's "power" form)."""
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = f"10{sup(int(exponent))}"
    return power if mantissa == "1" else f"{mantissa}\u00d7{power}"
