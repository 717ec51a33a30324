"""Colours for charts: colour-blind-safe palettes per theme, and one colour per quantity.

Light backgrounds (Standard, Projector): Okabe and Ito's blue, vermillion, bluish green and
reddish purple, then black, wine, indigo and grey (Paul Tol's). Okabe-Ito's orange #E69F00,
sky blue and yellow are left out there: the orange is too close to vermillion for deuteranopes and
on a washed-out projector, and all three have under 3:1 contrast against white (WCAG 1.4.11).
Dark background (Dark room): the light Okabe-Ito colours (sky blue, orange, green, purple,
yellow), white, a light blue and grey; vermillion is left out there (the one orange is #E69F00).

Every palette is ordered so that neighbouring colours (classes 1 and 2, 2 and 3, ...) and any two
of the first six stay apart under simulated protanopia and deuteranopia, and every colour keeps
at least 3:1 against its background; tests/app/test_palette.py checks both with a simulation
(Machado et al. 2009) and CIEDE2000.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

LIGHT = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#882255", "#332288", "#6B6B6B"]
DARK = ["#56B4E9", "#E69F00", "#00B287", "#CC79A7", "#F0E442", "#F2F2F2", "#4B8BFF", "#A6A6A6"]


def palette(dark: bool) -> list[str]:
    """The theme's categorical colours, in order."""
    return list(DARK if dark else LIGHT)


def colour_map(names: Iterable[str], dark: bool = False) -> dict[str, str]:
    """One colour per quantity, by position in `names`: pass the page's full list of
    quantities (all pairs, all activations, all classes), not only those shown now, and use the
    mapping in every panel, so a quantity keeps its colour across panels and settings."""
    return assign(names, palette(dark))


def assign(names: Iterable[str], colours: Sequence[str]) -> dict[str, str]:
    """name -> colour by the name's position in `names` (colour_map with a palette given)."""
    return {name: colours[i % len(colours)] for i, name in enumerate(dict.fromkeys(names))}
