"""Code blocks and the keyboard's focus, as painted, in every theme (presenter mode, 1024x768).

An independent check found what the sweeps here had passed:
- a code block (the playground's export, a page's "Show the code") in Streamlit's syntax colours,
  2.6-3.8:1 on its light background (axe: color-contrast, serious), and wider than its column,
  its end hidden in a box that scrolled without a keyboard stop (scrollable-region-focusable);
- a chosen pill told from the others by a pale fill alone (1.1:1);
- in the Dark room, a number field and a text field that looked the same focused or not (the
  input's 3 px outline is cut by its field's box, and the room's border colour overrode
  Streamlit's focused one), and a slider whose thumb was ringed at 1.5:1. focus_check.js counts
  the outline as a ring; the pixels show it is not seen.

Focus is judged on pixels: the control's surroundings (a band around the field or the thumb,
not its text) in two screenshots, focused and not, must differ at 3:1 or more (WCAG 2.4.7 and
1.4.11) over at least the band's perimeter."""

from __future__ import annotations

import io

import numpy as np
import pytest
from browser_checks import axe_violations, low_contrast_text
from live_app import wait_settled
from PIL import Image
from test_browser_projector import WAIT_MS, open_rendered, url_of

from viz import ui

pytestmark = pytest.mark.browser

CODE = '[data-testid="stCode"]'


def _code_problems(page, where: str) -> list[str]:
    page.wait_for_selector(f"{CODE} .token", timeout=WAIT_MS)  # highlighted
    wait_settled(page)
    found = [
        f"{where}: axe {v['impact']} {v['id']}: {' | '.join(v['nodes'][:2])}"
        for v in axe_violations(page)
    ]
    found += [f"{where}: {low}" for low in low_contrast_text(page)]
    tokens = page.evaluate(
        """(code) => [...document.querySelectorAll(code + ' .token')].length""", CODE
    )
    assert tokens > 10, f"{where}: no highlighted code"
    for width in page.evaluate(
        "(code) => [...document.querySelectorAll(code + ' pre')]"
        ".map(p => [p.scrollWidth, p.clientWidth])",
        CODE,
    ):
        if width[0] > width[1] + 1:
            found.append(f"{where}: a code block {width[0]} px wide in {width[1]} px")
    return found


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_code_blocks_read_and_fit_their_column(browser, server_url, theme):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    problems = []
    try:
        open_rendered(page, url_of(server_url, "playground", theme, query="pg_tab=Export"))
        problems += _code_problems(page, "playground export")
        # a chosen pill (the input features x1, x2) is told by a tick, not its pale fill alone
        ticks = page.evaluate(
            "() => [...document.querySelectorAll('button[data-variant=\"pills\"]')].map(b =>"
            " [b.getAttribute('aria-pressed'),"
            " getComputedStyle(b.querySelector('p'), '::before').content])"
        )
        assert ("true", '"\u2713\u00a0"') in [tuple(t) for t in ticks], ticks
        assert all(content in ("none", "normal") for pressed, content in ticks if pressed != "true")
        open_rendered(page, url_of(server_url, "chain_rule", theme))
        page.get_by_text("Show the code").first.click()
        problems += _code_problems(page, "chain rule, Show the code")
    finally:
        page.close()
    assert not problems, "\n".join(problems)


def _luminance(rgb: np.ndarray) -> np.ndarray:
    channel = rgb / 255.0
    linear = np.where(channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def _shot(page, box: dict) -> np.ndarray:
    png = page.screenshot(clip=box)
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def _ring_seen(page, control: str, margin: int = 8, inner: int = 3) -> tuple[int, int]:
    """(pixels of the band around `control` that change at 3:1 or more when the focused element
    is blurred, the band's perimeter in pixels). The band: `margin` px outside the control's box
    to `inner` px inside it (its text and a text selection stay out)."""
    box = page.evaluate(
        "(s) => { const r = document.activeElement.closest(s).getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; }",
        control,
    )
    clip = {
        "x": box["x"] - margin,
        "y": box["y"] - margin,
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }
    focused = _shot(page, clip)
    page.evaluate("() => document.activeElement.blur()")
    page.wait_for_timeout(400)  # transitions
    blurred = _shot(page, clip)
    h, w = focused.shape[:2]
    band = np.ones((h, w), dtype=bool)
    band[margin + inner : h - margin - inner, margin + inner : w - margin - inner] = False
    a, b = _luminance(focused), _luminance(blurred)
    ratio = (np.maximum(a, b) + 0.05) / (np.minimum(a, b) + 0.05)
    return int(np.count_nonzero((ratio >= 3.0) & band)), int(2 * (box["width"] + box["height"]))


def _tab_to(page, matches: str) -> None:
    page.locator('[data-testid="stMain"] h1').first.click()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {matches}"):
            return
    raise AssertionError(f"Tab never reached {matches}")


FIELD = '[data-testid="%s"]'
# (page, what the focused element is, the control drawn around it)
CONTROLS = [
    (
        "gradients",
        "document.activeElement.type === 'range'",
        'div:has(> div > input[type="range"])',
    ),
    ("gradients", "document.activeElement.type === 'number'", FIELD % "stNumberInputContainer"),
    ("home", "document.activeElement.type === 'text'", FIELD % "stTextInputRootElement"),
]  # fmt: skip


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_a_focused_control_is_seen_in_every_theme(browser, server_url, theme):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    unseen = []
    try:
        for name, matches, control in CONTROLS:
            open_rendered(page, url_of(server_url, name, theme))
            wait_settled(page)
            _tab_to(page, matches)
            page.wait_for_timeout(400)  # the ring's transition
            changed, perimeter = _ring_seen(page, control)
            if changed < perimeter:
                unseen.append(
                    f"{name} {control}: {changed} px change at 3:1 when focused, "
                    f"under the {perimeter} px of its outline"
                )
    finally:
        page.close()
    assert not unseen, "\n".join(unseen)
