"""The chain rule page at its largest settings, in the real browser: every number of its heat
maps and of its formulas stays readable (found by an independent sweep of non-default settings:
at six units a layer the maps' numbers lay on each other, the panels' titles ran together and
the Jacobians' formulas were set in digits 5-7 px tall; the default settings showed none of it).

One server and one chromium for the module (conftest's fixtures).
"""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from test_browser_projector import open_rendered, url_of

pytestmark = pytest.mark.browser


def _widths(*sizes: int) -> str:
    return "cr_widths=" + quote_plus(", ".join(map(str, sizes)))


WIDE = _widths(6, 6, 6, 6, 6, 6) + "&cr_hidden=leaky_relu&cr_output=softmax&cr_seed=9999"
VIEWS = [
    # (query, presenter, theme, viewport)
    (WIDE + "&cr_layer=1", True, "Projector (high contrast)", (1024, 768)),
    (WIDE + "&cr_layer=1", False, "Standard", (1280, 720)),
    (_widths(6, 6, 6, 6) + "&cr_hidden=softplus&cr_output=sigmoid&cr_layer=2", True, "Dark room",
     (1024, 768)),
    (_widths(3, 3, 3, 3, 3, 3), False, "Dark room", (1024, 768)),
]  # fmt: skip

# Pairs of boxes that overlap by more than 1 px both ways: the last chart's heat map numbers
# (blank overlay texts left out) and its panels' titles.
_OVERLAPS_JS = """() => {
  const chart = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].pop();
  const boxes = (selector) => [...chart.querySelectorAll(selector)]
    .filter((t) => t.textContent.trim())
    .map((t) => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0);
  const pairs = (items) => {
    const found = [];
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const [ta, a] = items[i], [tb, b] = items[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1
            && b.top < a.bottom - 1) found.push(ta + " / " + tb);
      }
    }
    return found;
  };
  return {numbers: boxes(".hm text, .heatmaplayer text").length,
          numberOverlaps: pairs(boxes(".hm text, .heatmaplayer text")),
          titleOverlaps: pairs(boxes(".annotation-text"))};
}"""
# The height of the smallest number with a decimal point (a matrix's or a vector's entry, not an
# index in a script) in each display formula: KaTeX's glyph box, about 1.2 times its type.
_FORMULA_DIGITS_JS = """() => [...document.querySelectorAll('.katex-display')].map((formula) => {
  let least = Infinity;
  for (const glyph of formula.querySelectorAll('.mord')) {
    if (glyph.children.length || !/^[-\u2212]?\\d+\\.\\d/.test(glyph.textContent)) continue;
    const box = glyph.getBoundingClientRect();
    if (box.width) least = Math.min(least, box.height);
  }
  return least;
}).filter(Number.isFinite)"""
LEAST_DIGIT_PX = 12  # the body text's digits are 19-23 px tall; the sweep found 4.8-7


@pytest.mark.parametrize(("query", "presenter", "theme", "size"), VIEWS)
def test_the_chain_rules_numbers_stay_readable_at_its_largest_settings(
    browser, server_url, query, presenter, theme, size
):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    try:
        open_rendered(page, url_of(server_url, "chain_rule", theme, presenter, query))
        found = page.evaluate(_OVERLAPS_JS)
        assert found["numbers"] >= 80, f"only {found['numbers']} numbers drawn"
        assert not found["numberOverlaps"], found["numberOverlaps"][:10]
        assert not found["titleOverlaps"], found["titleOverlaps"]
        digits = page.evaluate(_FORMULA_DIGITS_JS)
        assert len(digits) >= 5, digits
        assert min(digits) >= LEAST_DIGIT_PX, digits
    finally:
        page.close()
