"""Colours and contrast, computed here independently of viz: colour-blind simulation (Machado,
Oliveira and Fernandes 2009, severity 1, in linear RGB), CIEDE2000 colour differences, and WCAG
2.1 relative luminance and contrast ratios."""

import itertools
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from viz import figure_style, page_css, palette, settings, ui

# Machado et al. (2009), severity 1.0, applied to linear RGB
SIMULATIONS = {
    "normal vision": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
}
# a difference of 10 CIEDE2000 units reads as "a different colour" even for thin lines
MIN_NEIGHBOUR_DE = 10.0
MIN_FIRST_SIX_DE = 10.0


def srgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0


def linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(linear_rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear-RGB colour."""
    xyz = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    ) @ np.clip(linear_rgb, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """Sharma, Wu and Dalal's (2005) formulation."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar, c_bar_p = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        h_bar = (h1p + h2p + 360) / 2
    else:
        h_bar = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(c_bar_p**7 / (c_bar_p**7 + 25.0**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * c_bar_p
    s_h = 1 + 0.015 * c_bar_p * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return float(
        np.sqrt(
            (dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (dc / s_c) * (d_h / s_h)
        )
    )


def seen(hex_colour: str, simulation: str) -> np.ndarray:
    return lab(SIMULATIONS[simulation] @ linear(srgb(hex_colour)))


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio."""

    def luminance(colour):
        return float(np.array([0.2126, 0.7152, 0.0722]) @ linear(srgb(colour)))

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_ciede2000_matches_the_published_test_pairs():
    """Two of Sharma et al.'s reference pairs (their Table 1, pairs 1 and 17)."""
    assert ciede2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == (
        pytest.approx(2.0425, abs=1e-4)
    )
    assert ciede2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == (
        pytest.approx(27.1492, abs=1e-4)
    )


def test_the_simulation_confuses_red_and_green_for_deuteranopes():
    """Sanity check of the simulation itself: pure red and a green of the same lightness
    differ a lot in normal vision and far less for a deuteranope."""
    red, green = "#D62728", "#2CA02C"
    normal = ciede2000(seen(red, "normal vision"), seen(green, "normal vision"))
    deutan = ciede2000(seen(red, "deuteranopia"), seen(green, "deuteranopia"))
    assert normal > 60 and deutan < normal / 3


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("simulation", list(SIMULATIONS))
def test_neighbouring_colours_stay_apart_for_colour_blind_viewers(dark, simulation):
    colours = palette.palette(dark)
    labs = [seen(c, simulation) for c in colours]
    for i in range(len(colours) - 1):
        difference = ciede2000(labs[i], labs[i + 1])
        assert difference >= MIN_NEIGHBOUR_DE, (
            f"{simulation}: classes {i + 1} and {i + 2} ({colours[i]}, {colours[i + 1]}) "
            f"differ by only {difference:.1f}"
        )
    for i, j in itertools.combinations(range(6), 2):
        difference = ciede2000(labs[i], labs[j])
        assert difference >= MIN_FIRST_SIX_DE, (
            f"{simulation}: {colours[i]} and {colours[j]} differ by only {difference:.1f}"
        )


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_one_orange_per_palette(dark):
    """No two oranges (hue 20-70 degrees in CIELAB, clearly chromatic), the tour's complaint
    about #D55E00 beside #E69F00."""
    oranges = []
    for colour in palette.palette(dark):
        lightness, a, b = seen(colour, "normal vision")
        hue = np.degrees(np.arctan2(b, a)) % 360
        if np.hypot(a, b) > 40 and 20 <= hue <= 70:
            oranges.append(colour)
    assert len(oranges) <= 1, oranges


@pytest.mark.parametrize(
    ("dark", "background"), [(False, "#FFFFFF"), (True, page_css.DARK_BG)], ids=["light", "dark"]
)
def test_every_chart_colour_has_3_to_1_against_its_background(dark, background):
    """WCAG 1.4.11 (non-text contrast) for lines, markers and bars."""
    for colour in palette.palette(dark):
        assert contrast(colour, background) >= 3.0, (colour, background)


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_the_chart_toolbar_icons_have_3_to_1_on_their_own_background(theme):
    """WCAG 1.4.11 for the toolbar plotly shows on a chart (its icons name its buttons): plotly's
    own grey at 30 % had 1.7:1 on white and 2.7:1 in the Dark room, on a half-transparent
    background that let the playground's map show through. Its background is opaque now, and
    the icons, resting and hovered or chosen, have 3:1 on it."""
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    modebar = figure_style.style(fig, ui.THEMES[theme], presenter=False).layout.modebar
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", modebar.bgcolor), modebar.bgcolor  # opaque
    for icon in (modebar.color, modebar.activecolor):
        assert contrast(icon, modebar.bgcolor) >= 3.0, (icon, modebar.bgcolor)


@pytest.mark.parametrize(
    ("text", "background"),
    [
        (page_css.LIGHT_MUTED, "#FFFFFF"),
        (page_css.LIGHT_MUTED, "#F0F2F6"),  # the sidebar
        (page_css.DARK_TEXT, page_css.DARK_BG),
        (page_css.DARK_TEXT, page_css.DARK_PANEL),
        (page_css.DARK_TEXT, page_css.DARK_FIELD),
        (page_css.DARK_MUTED, page_css.DARK_BG),
        (page_css.DARK_MUTED, page_css.DARK_PANEL),
        ("#FFFFFF", "#005A8C"),  # Dark room's primary buttons and multiselect tags
        (page_css.LIGHT_MUTED, page_css.LIGHT_CHOSEN),  # a disabled chosen pill
        (page_css.DARK_MUTED, page_css.DARK_CHOSEN),
    ],
)
def test_text_colours_have_4_5_to_1(text, background):
    assert contrast(text, background) >= 4.5, (text, background, contrast(text, background))


def test_the_theme_primary_colour_carries_white_text():
    """.streamlit/config.toml's primaryColor fills buttons, tags and slider thumbs with white
    labels: 4.5:1 at least."""
    config = (settings.APP_DIR / ".streamlit" / "config.toml").read_text()
    primary = next(
        line.split("=")[1].strip().strip('"')
        for line in config.splitlines()
        if line.startswith("primaryColor")
    )
    assert contrast("#FFFFFF", primary) >= 4.5, primary


def test_the_control_colour_is_the_config_border_and_keeps_3_to_1():
    """One colour marks every control: config.toml's borderColor (fields, radio circles,
    buttons) and page_css.CONTROL (a toggle's track, a slider's rail) must not drift apart, and
    it keeps WCAG 1.4.11's 3:1 on every background a control stands on."""
    config = (settings.APP_DIR / ".streamlit" / "config.toml").read_text()
    border = next(
        line.split("=")[1].strip().strip('"')
        for line in config.splitlines()
        if line.startswith("borderColor")
    )
    assert border == page_css.CONTROL
    for background in ("#FFFFFF", "#F0F2F6", page_css.DARK_BG, page_css.DARK_PANEL):
        assert contrast(border, background) >= 3.0, (border, background)


@pytest.mark.parametrize(
    ("mark", "background"),
    [
        (page_css.DARK_RING, page_css.DARK_BG),  # an unchosen circle's, box's, switch's ring
        (page_css.DARK_RING, page_css.DARK_PANEL),  # the same in the sidebar
        (page_css.DARK_ON_RING, page_css.DARK_BG),  # a chosen one's ring
        (page_css.DARK_ON_RING, page_css.DARK_PANEL),
        ("#FFFFFF", page_css.DARK_ON),  # a chosen circle's dot, a tick, an on switch's knob
        (page_css.DARK_TEXT, page_css.DARK_FIELD),  # an off switch's knob on its track
    ],
)
def test_the_dark_rooms_choice_marks_keep_3_to_1(mark, background):
    """WCAG 1.4.11 for the Dark room's radio circles, checkboxes and toggles (page_css)."""
    assert contrast(mark, background) >= 3.0, (mark, background, contrast(mark, background))


def test_colour_map_keeps_one_colour_per_quantity():
    names = ["identity + MSE", "sigmoid + NLL", "softmax + CE", "identity + NLL"]
    full = palette.colour_map(names)
    shown = palette.colour_map(names)  # the same list in every panel: the same colours
    assert full == shown
    assert len(set(full.values())) == len(names)
    assert full["identity + MSE"] == palette.LIGHT[0]
    assert palette.colour_map(names, dark=True)["sigmoid + NLL"] == palette.DARK[1]
