"""A select box's chosen value is never cut (viz/page_script.py): one longer than its field is set
in a smaller type down to 14 px, one still longer widens its column and the row wraps, and a
shorter value gives the column its width back. In presenter type (1024 and 360 px) and at normal
type (1024 px)."""

from __future__ import annotations

from urllib.parse import quote_plus, unquote_plus

import pytest
from browser_checks import clipped
from live_app import open_list, wait_settled
from test_browser_projector import open_rendered, settle_after_resize, url_of

pytestmark = pytest.mark.browser


_SELECT_VALUES = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stSelectbox"] input[role="combobox"]')].map(input => ({
  value: input.value, size: parseFloat(getComputedStyle(input).fontSize),
  over: input.scrollWidth - input.clientWidth}))"""


def test_a_select_value_longer_than_its_field_is_set_smaller_until_it_fits(browser, server_url):
    """The grading page's "softmax_reduced.py: softmax_reduced" at presenter type. At 1024x768
    its row of controls wraps (page_css: a column of a row with a field is at least 12rem), so
    the value reads at the full 20 px. On a phone's 360 px its field is narrower than that: the
    value is set in a smaller type (page_script), never under 14 px, and a wider window gives it
    its size back."""
    query = "gd_assignment=approximation&gd_function=" + quote_plus(
        "softmax_reduced.py: softmax_reduced"
    )
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        open_rendered(page, url_of(server_url, "grading", "Projector (high contrast)", True, query))
        page.wait_for_timeout(300)  # the page script fits in the next animation frame
        sizes = []
        for width in (1024, 360, 1024):
            if width != page.viewport_size["width"]:
                page.set_viewport_size({"width": width, "height": 768})
                settle_after_resize(page)
                page.wait_for_timeout(300)
            values = {entry["value"]: entry for entry in page.evaluate(_SELECT_VALUES)}
            long = values["softmax_reduced.py: softmax_reduced"]
            assert long["over"] <= 1 and 14 <= long["size"] <= 20, (width, long)
            assert values["approximation"]["size"] == 20  # a short value at the full size
            assert not [clip for clip in clipped(page) if clip.kind == "select value"]
            sizes.append(long["size"])
        assert sizes[0] == sizes[2] == 20 and sizes[1] < 20, sizes
    finally:
        page.close()


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("playground", "pg_opt=momentum"),  # a row of seven controls: 85 px of text in 66
        ("grading", "gd_function=" + quote_plus("output_units.py: softmax_reduced")),
    ],
)
def test_a_select_value_too_long_at_normal_type_widens_its_column(browser, server_url, name, query):
    """At normal type (14 px, the smallest a value is set in) a value longer than its field
    widens its column and the row wraps: the whole value shows, at 14 px."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        open_rendered(page, url_of(server_url, name, "Standard", False, query))
        page.wait_for_timeout(300)  # the page script fits in the next animation frame
        assert not [clip for clip in clipped(page) if clip.kind == "select value"]
        value = unquote_plus(query.split("=", 1)[1])
        entry = next(e for e in page.evaluate(_SELECT_VALUES) if e["value"] == value)
        assert entry["over"] <= 1 and entry["size"] == 14, entry
    finally:
        page.close()


_OPTIMISER_COLUMN = """() => {
  const box = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stSelectbox"]')]
    .find(box => box.innerText.includes("Optimiser"));
  const column = box.closest('[data-testid="stColumn"]');
  const row = [...column.parentElement.children].map(c => c.getBoundingClientRect().width);
  return {width: column.getBoundingClientRect().width, narrowest: Math.min(...row)};
}"""


def test_a_shorter_select_value_gives_its_column_its_width_back(browser, server_url):
    """The optimiser "momentum" widens its column in the playground's row of seven at 1024 px;
    choosing "sgd" from the keyboard makes it one of the row's equal columns again."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        open_rendered(page, url_of(server_url, "playground", "Standard", False, "pg_opt=sgd"))
        page.wait_for_timeout(300)  # the page script fits in the next animation frame
        own = page.evaluate(_OPTIMISER_COLUMN)
        for value in ("momentum", "sgd"):
            box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
                has_text="Optimiser"
            )
            open_list(page, box.locator("input"))
            page.get_by_role("option", name=value, exact=True).click()
            page.wait_for_function(
                "(value) => new URLSearchParams(location.search).get('pg_opt') === value", arg=value
            )
            wait_settled(page)
            page.wait_for_timeout(300)
            column = page.evaluate(_OPTIMISER_COLUMN)
            assert not [clip for clip in clipped(page) if clip.kind == "select value"]
            if value == "momentum":
                assert column["width"] > own["width"] + 10, (own, column)
        assert abs(column["width"] - own["width"]) <= 1 and column["width"] <= own["narrowest"] + 1
    finally:
        page.close()
