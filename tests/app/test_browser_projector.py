"""What the room sees: every page in presenter mode at projector sizes, in every theme.

One server and one chromium for the module. For 1024x768 and 1280x720 and each theme, every page
opens with presenter mode on; then, measured with bounding boxes in the live page
(browser_checks.clipped): no KaTeX formula, metric label or value, table column, chart title or
axis title reaches past its container, the main column or the viewport, or is cut by an overflow;
no legend leaves its chart or sits on tick labels, no annotation covers a tick label, no two tick
labels run into each other, no chart panel's plot is squeezed under 75 px or scrolls sideways; no
multiselect's chosen value or pill is hidden past its field's edge; no control is under 3:1 against
its surroundings (WCAG 1.4.11); at 1024x768 no text is under its contrast ratio as painted (WCAG
1.4.3: browser_checks.low_contrast_text, text_contrast.js; 3:1 for a disabled control's value)
and what a control holds (a field's value, a multiselect's chosen values) reads at 17 px or more;
axe-core finds no serious or critical violation; no exception or error box; no axis title or
tick label of one panel lies over another panel's plot. A page's section tabs (viz.sections)
are opened one by one and checked at both sizes, and so are the views a page opens by a link
rather than a section tab (LINKED_VIEWS: the playground's layer view, the gradients page's
training and vanish/explode views). Screenshots go to screenshots/projector/ (gitignored) to be
looked at.

The whole matrix (3 themes x every page, each page checked at both sizes after one load) is
marked slow; test_structure_* cover the tour's worst cases (a 32-wide product, nine layers of
width 32) and are quick.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote_plus, unquote_plus, urlsplit

import pytest
from browser_checks import (
    axe_violations,
    clipped,
    faint_controls,
    low_contrast_text,
    narrow_panels,
    scrolling_charts,
    small_control_text,
)
from live_app import IDLE, ROOT, open_list, wait_settled

from viz import navigation, page_css, page_script, playground_sections, ui

pytestmark = pytest.mark.browser

SHOTS = ROOT / "screenshots" / "projector"
WAIT_MS = 180_000
PAGES = [entry[1].removesuffix(".py") for entry in navigation.existing_pages()]
SIZES = [(1024, 768), (1280, 720)]
# What a control holds reads at least this large in presenter mode (page_css: 20 px where its
# field allows; a row of controls with a field wraps at 12rem a column so that it does)
CONTROL_PX = 17
# Views a page opens by a link (its own tabs, not viz.sections's: the playground's tabs under
# its picture, the gradients page's views): opened by their URL and checked at both sizes too.
# The gradients page trains once for the three themes (a finished run is kept for every
# session) and measures its map's 84 networks once (cached).
LINKED_VIEWS = {
    "playground": ["pg_tab=" + quote_plus(tab) for tab in playground_sections.TABS[1:]],
    "gradients": [
        "gr_view=" + quote_plus("After training"),
        "gr_view=" + quote_plus("Where gradients vanish or explode"),
    ],
}
WIDE = "st_widths=" + quote_plus("32, 32, 32, 32, 32, 32, 32, 32, 32")


def url_of(server_url: str, name: str, theme: str, presenter: bool = True, query: str = "") -> str:
    path = "" if name == "home" else name
    params = [f"presenter={'true' if presenter else 'false'}", f"theme={quote_plus(theme)}"]
    if query:
        params.append(query)
    return f"{server_url}/{path}?{'&'.join(params)}"


def open_rendered(page, url: str, retry: bool = True) -> None:
    """Open a page and wait until its script finished and its charts and formulas are drawn
    (every page draws at least one chart)."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT_MS)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    failed_chunk = page.get_by_text("Failed to fetch dynamically imported module")
    if retry and failed_chunk.count():
        # the browser gave up on one of Streamlit's own JS chunks (seen only on a machine loaded
        # far beyond its cores); that is the server's static files, not the page: load it again
        open_rendered(page, url, retry=False)
        return
    wait_drawn(page)


def wait_drawn(page) -> None:
    """Once the page's script has run: until its charts and formulas are drawn and nothing is
    mid-rerun (a stale element is faded: axe's contrast would measure it)."""
    page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=WAIT_MS)
    wait_for_charts(page)
    wait_settled(page, WAIT_MS)


def open_page(page, server_url: str, name: str, theme: str, presenter: bool = True) -> None:
    """Open a page at its defaults. When the tab already shows another page of the app in this
    theme and mode, through that page's sidebar link, as a reader goes from page to page:
    Streamlit then swaps the page in without loading its frontend again, about a third of the
    browser's work of a load by URL (0.6 to 1.3 s of chromium's CPU against 2 to 3 s, measured
    on six pages). Otherwise by its URL (open_rendered)."""
    url = url_of(server_url, name, theme, presenter)
    here = urlsplit(page.url)
    wanted = urlsplit(url)
    same_app = here.netloc == wanted.netloc and here.path != wanted.path
    same_look = all(  # (the app leaves a default out of its URL)
        parse_qs(here.query).get(key, [default]) == parse_qs(wanted.query).get(key, [default])
        for key, default in (("presenter", "false"), ("theme", "Standard"))
    )
    link = f'[data-testid="stSidebar"] a[href="{"" if name == "home" else name}"]'
    if not (same_app and same_look and page.locator(link).count()):
        open_rendered(page, url)
        return
    title = page.locator('[data-testid="stMain"] h1').first.inner_text()
    page.locator(link).first.evaluate("link => link.click()")  # the sidebar may be collapsed
    page.wait_for_function(
        """(title) => {
             const h1 = document.querySelector('[data-testid="stMain"] h1');
             return h1 && h1.innerText !== title;
           }""",
        arg=title,
        timeout=WAIT_MS,
    )
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    wait_drawn(page)
    assert urlsplit(page.url).path == wanted.path, f"{link} led to {page.url}, not {url}"


def wait_for_charts(page) -> None:
    """Until every plotly chart on the page is drawn, and plotly's second layout after it."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                   .every(p => p.querySelector('.main-svg'))""",
        timeout=WAIT_MS,
    )
    page.wait_for_timeout(600)  # plotly lays out once more after its first draw


def settle_after_resize(page, rounds: int = 20) -> None:
    """Wait until the charts have followed the new window size: plotly relayouts on the
    window's resize event, so poll the charts' drawn widths until two looks agree (at most
    `rounds` looks), then wait for Streamlit to be idle."""
    widths = None
    for _ in range(rounds):
        page.wait_for_timeout(250)
        now = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg')]
                       .map(svg => Math.round(svg.getBoundingClientRect().width))"""
        )
        if now == widths:
            break
        widths = now
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_timeout(300)


def presenter_title_problems(page, name: str) -> list[str]:
    """Presenter mode's large type reached the page: its title is at least 48 px."""
    size = page.locator('[data-testid="stMain"] h1').first.evaluate(
        "element => parseFloat(getComputedStyle(element).fontSize)"
    )
    return [] if size >= 48 else [f"{name}: presenter mode did not enlarge the title ({size} px)"]


def title_out_of_view(page, name: str) -> list[str]:
    """A page opens at its top: its title in the window, not scrolled past (as the page before
    it in the same tab was left)."""
    top, bottom, height = page.locator('[data-testid="stMain"] h1').first.evaluate(
        "h1 => [h1.getBoundingClientRect().top, h1.getBoundingClientRect().bottom, innerHeight]"
    )
    if top >= 0 and bottom <= height:
        return []
    return [f"{name}: opens with its title out of view (top {top:.0f} px, window {height} px)"]


# Tick labels plotly turned on their side to fit (a rotate() other than 0 on the label): legible
# on a laptop held close, not from the back of a lecture hall. Presenter mode only.
_TURNED_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].flatMap(c => {
  const title = (c.querySelector('.gtitle') || {}).textContent || '(untitled)';
  const turned = [...c.querySelectorAll('[class$="tick"] > text')]
    .filter(t => t.getBoundingClientRect().width > 0)
    .filter(t => /rotate\\((?!0[,)])/.test(t.getAttribute('transform') || ''))
    .map(t => t.textContent);
  return turned.length ? [[title, turned.slice(0, 3)]] : [];
})"""


def turned_tick_labels(page, name: str) -> list[str]:
    """Charts whose tick labels plotly turned on their side, as readable lines."""
    return [
        f"{name}: chart {title!r} turns its tick labels on their side: {labels}"
        for title, labels in page.evaluate(_TURNED_JS)
    ]


def problems_on(page, name: str, axe: bool = True) -> list[str]:
    """Everything a viewer would miss on the open page, as readable lines (axe: with the
    axe-core audit, which the window's size does not change: run once per view)."""
    found = []
    for selector, what in (
        ('[data-testid="stException"]', "exception"),
        ('[data-testid="stAlertContentError"]', "error box"),
    ):
        boxes = page.locator(selector)
        if boxes.count():
            found.append(f"{name}: {what}: {boxes.first.inner_text()[:200]}")
    found += [f"{name}: {clip}" for clip in clipped(page)]
    found += [f"{name}: {narrow}" for narrow in narrow_panels(page)]
    found += [f"{name}: {wide}" for wide in scrolling_charts(page, page_script.CHART_FRAME)]
    found += [f"{name}: under 3:1 (WCAG 1.4.11): {faint}" for faint in faint_controls(page)]
    for violation in axe_violations(page) if axe else []:
        found.append(
            f"{name}: axe {violation['impact']} {violation['id']} ({violation['help']}): "
            + " | ".join(violation["nodes"][:3])
        )
    return found


# The tabs of viz.sections (keys ending in _section): a tab that is not open is not drawn, so
# each is opened and checked in turn (the gradients page's training tab and the grading page's
# tabs have their own tests).
SECTION_TABS = '[data-testid="stTabs"][class*="_section"] [role="tab"]'


def open_other_sections(page):
    """Open every section tab after the first (as a click would), one at a time; yield each
    tab (a locator) and its label once its charts are drawn."""
    tabs = page.locator(SECTION_TABS)
    for index in range(1, tabs.count()):
        tab = page.locator(SECTION_TABS).nth(index)
        label = tab.inner_text().strip()
        tab.click()
        page.wait_for_function(
            '(label) => [...document.querySelectorAll(\'[role="tab"][aria-selected="true"]\')]'
            ".some(t => t.innerText.trim() === label)",
            arg=label,
            timeout=WAIT_MS,
        )
        page.wait_for_timeout(300)  # the rerun starts
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        wait_for_charts(page)
        yield tab, label


def at_both_sizes(page, check) -> None:
    """check(first, width, height) at the window's size (first=True), then at the other of
    SIZES (one resize: the next view starts where this one ended)."""
    size = page.viewport_size
    current = (size["width"], size["height"])
    for index, (width, height) in enumerate([current, *(s for s in SIZES if s != current)]):
        if index:
            page.set_viewport_size({"width": width, "height": height})
            settle_after_resize(page)
        check(index == 0, width, height)


def view_problems(page, name: str, shot_prefix: str) -> list[str]:
    """Check the open view at both sizes (axe-core and the text's contrast at the first, as
    loaded: neither changes with the window's size) and keep a screenshot at each."""
    found = []

    def check(first: bool, width: int, height: int) -> None:
        where = f"{name} at {width}x{height}"
        found.extend(problems_on(page, where, axe=first))
        if first:  # after axe's second or more: transitions (a toggle's colour) have ended
            found.extend(f"{where}: {low}" for low in low_contrast_text(page))
        if (width, height) == SIZES[0]:  # the narrower projector: fields at their narrowest
            found.extend(f"{where}: {small}" for small in small_control_text(page, CONTROL_PX))
        found.extend(turned_tick_labels(page, where))
        page.screenshot(path=str(SHOTS / f"{shot_prefix}_{width}.png"))

    at_both_sizes(page, check)
    return found


def other_sections_problems(page, name: str, shot_prefix: str) -> list[str]:
    """Open every section tab after the first, check what it shows at both sizes and keep a
    screenshot."""
    found = []
    for tab, label in open_other_sections(page):
        slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
        found += view_problems(page, f"{name} [{label}]", f"{shot_prefix}_{slug}")
        # the open tab is in the URL, so a bookmark reopens it
        key = tab.evaluate(
            "t => [...t.closest('[data-testid=\"stTabs\"]').classList]"
            ".find(c => c.startsWith('st-key-')).slice(7)"
        )
        if f"{key}={quote_plus(label)}" not in page.url:
            found.append(f"{name} [{label}]: the URL does not keep the open tab: {page.url}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_every_page_in_presenter_mode_shows_everything(browser, server_url, theme):
    """Each page is opened once per theme and checked at both sizes, and so is each of its
    section tabs and linked views: the window is resized between them, as a lecturer's would be
    (Streamlit's columns, plotly's charts and the formulas' container queries follow the window;
    a second load would only repeat the work)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width, height = SIZES[0]
    page = browser.new_page(viewport={"width": width, "height": height})
    mode = theme.split()[0].lower()
    problems = []
    try:
        for name in PAGES:
            open_page(page, server_url, name, theme)
            problems += title_out_of_view(page, name)
            problems += presenter_title_problems(page, name)
            problems += view_problems(page, name, f"{name}_{mode}")
            problems += other_sections_problems(page, name, f"{name}_{mode}")
            for query in LINKED_VIEWS.get(name, []):
                open_rendered(page, url_of(server_url, name, theme, query=query))
                view = re.sub(r"[^a-z0-9]+", "_", unquote_plus(query).lower()).strip("_")
                problems += view_problems(
                    page, f"{name}?{unquote_plus(query)}", f"{name}_{mode}_{view}"
                )
    finally:
        page.close()
    assert not problems, "\n".join(problems)


def test_every_page_at_1024_without_presenter_mode(browser, server_url):
    """A projector or a small laptop at 1024x768 with presenter mode off (the type at its normal
    size, the sidebar open): nothing clipped either, no control's value cut by a column too
    narrow (the playground's row of seven training controls showed "ada" and "no")."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    problems = []
    try:
        for name in PAGES:
            open_page(page, server_url, name, "Standard", presenter=False)
            problems += title_out_of_view(page, name)
            problems += [f"{name} at 1024x768, normal type: {clip}" for clip in clipped(page)]
    finally:
        page.close()
    assert not problems, "\n".join(problems)


_MAIN_TOP = "document.querySelector('[data-testid=\"stMain\"]').scrollTop"


def test_a_page_opened_from_the_sidebar_starts_at_its_top(browser, server_url):
    """viz.page_script scrolls the main area to the top when the page's path changes. Streamlit
    swaps a page in without scrolling: on an idle machine the old page's elements go first and
    the scroll falls to 0 with them, but in CI, under load, the next page opened 290 to 1080 px
    down. Here the swap is held in the state where the old page's elements are still there: the
    path changes (history.pushState, as Streamlit's navigation does) and the page's DOM changes.
    A rerun of the same page (its query changes, its path does not) keeps the reader's place;
    then a real page change through the sidebar link opens the next page with its title in
    view."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        open_rendered(page, url_of(server_url, "gradients", "Standard", presenter=False))
        scroll_and_change = """([path, top]) => {
            document.querySelector('[data-testid="stMain"]').scrollTop = top;
            history.pushState({}, "", path);
            document.body.appendChild(document.createElement("div"));  // the DOM changes
        }"""
        page.evaluate(scroll_and_change, ["gradients?presenter=false&gr_depth=11", 700])
        page.wait_for_timeout(300)  # a few animation frames
        assert page.evaluate(_MAIN_TOP) == 700, "a rerun of the same page lost the reader's place"
        page.evaluate(scroll_and_change, ["softmax?presenter=false", 900])
        page.wait_for_function(f"() => {_MAIN_TOP} === 0", timeout=2_000)
        open_rendered(page, url_of(server_url, "gradients", "Standard", presenter=False))
        page.evaluate(f"{_MAIN_TOP} = 900")
        open_page(page, server_url, "softmax", "Standard", presenter=False)
        assert not title_out_of_view(page, "softmax")
    finally:
        page.close()


def style_texts(theme: str, presenter: bool) -> list[str]:
    """The text of each style element of page_css's CSS for this theme and mode."""
    return re.findall(r"<style[^>]*>(.*?)</style>", page_css.page(theme, presenter), re.DOTALL)


def test_the_page_css_reaches_the_browser_whole(browser, server_url):
    """ui.sidebar_controls writes the page CSS as markdown: in every theme, with presenter mode on
    and off, the style elements in the page hold exactly page_css's text (markdown must not
    touch a character of it), and choosing another theme on the page swaps them."""

    styles = f"""() => [...document.querySelector('style[{page_css.MARKER}]').parentElement
        .querySelectorAll('style')].map(style => style.textContent)"""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        for theme in ui.THEMES:
            for presenter in (False, True):
                open_rendered(page, url_of(server_url, "softmax", theme, presenter))
                assert page.evaluate(styles) == style_texts(theme, presenter), (theme, presenter)
        # the theme box, drawn after the run ends, ignores keys for a moment after it shows
        theme_box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input')
        open_list(page, theme_box)
        page.get_by_role("option", name="Standard").click()
        standard = style_texts("Standard", True)
        page.wait_for_function(f"() => ({styles})().length === {len(standard)}", timeout=WAIT_MS)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        assert page.evaluate(styles) == standard
    finally:
        page.close()


def test_every_selector_of_the_page_css_is_one_chromium_accepts(browser):
    """Chromium drops a rule whose selector it cannot parse, silently: the presenter rule that
    wrapped a row of metrics nested :has() in :has(), which CSS forbids, and never applied. Every
    selector of every theme's and mode's CSS must parse."""
    selectors = set()
    for theme in ui.THEMES:
        for presenter in (False, True):
            css = re.sub(r"/\*.*?\*/", "", "".join(style_texts(theme, presenter)), flags=re.DOTALL)
            selectors |= {
                prelude.strip()
                for prelude in re.findall(r"([^{}]+)\{", css)
                if not prelude.strip().startswith("@")
            }
    page = browser.new_page()
    try:
        rejected = page.evaluate(
            """selectors => selectors.filter(selector => {
                 try { document.querySelectorAll(selector); return false; }
                 catch (error) { return true; } })""",
            sorted(selectors),
        )
    finally:
        page.close()
    assert len(selectors) > 100  # the CSS was read, not an empty string
    assert not rejected, "\n".join(rejected)


@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
def test_structure_product_keeps_its_bias_at_width_32(browser, server_url, presenter):
    """The tour: at width 32 the written-out product lost '+ b^8' (even at normal size), and in
    presenter mode W^1T and b^1 were lost for the default network."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        query = "st_widths=" + quote_plus("32, 32, 32") + "&st_layer=2"
        open_rendered(page, url_of(server_url, "structure", "Dark room", presenter, query))
        product = page.locator('[data-testid="stMain"] .katex-display').nth(1)
        product.scroll_into_view_if_needed()
        source = product.locator("annotation").text_content()
        assert r"\underbrace" in source and "_{b^{2}}" in source
        assert not clipped(page), clipped(page)
        # b^2's label is drawn inside the column: the braces' labels are the last .mord in it
        labels = product.locator(".katex-html").inner_text()
        assert "b" in labels and "z" in labels
        SHOTS.mkdir(parents=True, exist_ok=True)
        mode = "presenter" if presenter else "normal"
        product.screenshot(path=str(SHOTS / f"structure_product_32_{mode}.png"))
    finally:
        page.close()


def test_structure_nine_layers_of_width_32(browser, server_url):
    """The heaviest setting the page allows (the tour: 9.8 s to first appear): it renders, shows
    everything at 1024 x 768 in presenter mode, and the bias nodes carry readable labels."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        query = WIDE + "&st_layer=8"
        open_rendered(page, url_of(server_url, "structure", "Dark room", True, query))
        assert not problems_on(page, "structure 9 x 32"), problems_on(page, "structure 9 x 32")
        fills = page.evaluate(
            """() => [...document.querySelectorAll('.js-plotly-plot .textpoint text')]
                     .filter(t => t.textContent === '+1').map(t => getComputedStyle(t).fill)"""
        )
        assert len(fills) == 8 and all(fill == "rgb(0, 0, 0)" for fill in fills), fills
        page.screenshot(path=str(SHOTS / "structure_9x32_dark.png"), full_page=True)
    finally:
        page.close()


# The tour's cases outside the presenter matrix's views (its exact links): the playground's layer
# view at 1280x720 in the Projector theme, the gradients page's tables at 1280x900 in normal type,
# the grading page's reference chart before an upload.
TOUR_VIEWS = [
    ("playground", "Projector (high contrast)", True, (1280, 720), LINKED_VIEWS["playground"][0]),
    ("gradients", "Standard", False, (1280, 900), LINKED_VIEWS["gradients"][0]),
    ("grading", "Standard", False, (1280, 900), ""),
]

_X_AXIS_JS = """(title) => {
  const chart = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .find(c => ((c.querySelector('.gtitle') || {}).textContent || '').startsWith(title));
  if (!chart) return null;
  const gd = chart.querySelector('.js-plotly-plot');
  const svg = chart.querySelector('.main-svg').getBoundingClientRect();
  const size = gd._fullLayout._size;
  const ticks = [...chart.querySelectorAll('.xtick > text')].filter(t => t.textContent.trim());
  return {ticks: ticks.length,
          title: (chart.querySelector('.g-xtitle') || {}).textContent || '',
          below: Math.round(svg.height - size.t - size.h)};
}"""


@pytest.mark.parametrize(("name", "theme", "presenter", "size", "query"), TOUR_VIEWS)
def test_the_tours_views_show_everything(browser, server_url, name, theme, presenter, size, query):
    """Nothing cut or overlapping (browser_checks.clipped) where the tour found: the layer view's
    title under the Layer select box, the two per-layer tables cutting their last columns
    ("columns need 473px, 400px shown"), the grading chart without its x axis."""
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        open_rendered(page, url_of(server_url, name, theme, presenter, query))
        problems = [str(clip) for clip in clipped(page)] + narrow_panels(page)
        if name == "grading":  # the reference alone: its own x axis, no empty panel below it
            axis = page.evaluate(_X_AXIS_JS, "sigmoid: yours against the reference")
            assert axis is not None, "the reference chart is missing"
            assert axis["ticks"] >= 3 and axis["title"] == "x (the swept input)", axis
            assert axis["below"] < 140, f"{axis['below']} px below the plot"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"tour_{name}_{width}.png"))
    finally:
        page.close()
    assert not problems, "\n".join(problems)


# Views outside the matrix where a sweep of every option and every slider's ends found labels
# running into each other at normal type (presenter mode off, the sidebar open) at 1024x768.
NORMAL_TYPE_VIEWS = [
    ("activations", "act_range=1"),  # five ticks a panel, turned into the next row's titles
    ("gradients", "gr_init=zeros"),  # a log axis's 2..9 over two decades
    ("approximation", "ua_mode=" + quote_plus("equal budget")),
    ("width_depth", "wd_target1=step"),  # 2..9 around 10^-2
]


@pytest.mark.parametrize(("name", "query"), NORMAL_TYPE_VIEWS)
def test_views_found_by_the_sweep_show_everything_at_normal_type(browser, server_url, name, query):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        open_rendered(page, url_of(server_url, name, "Standard", False, query))
        assert not clipped(page), clipped(page)
    finally:
        page.close()


# Views that draw colour bars: the gradients page's two heat map views, the hyperplane's h, the
# softmax page's classes and the structure page's graph (a scale of its markers).
COLOUR_BAR_VIEWS = [
    ("gradients", "gr_view=" + quote_plus("After training")),
    ("gradients", "gr_view=" + quote_plus("Where gradients vanish or explode")),
    ("hyperplane", ""),
    ("softmax", "sm_section=" + quote_plus("Over-parameterised")),
    ("structure", ""),
]


@pytest.mark.parametrize("theme", list(ui.THEMES))
def test_colour_bars_keep_their_titles_off_their_tick_labels(browser, server_url, theme):
    """Presenter type at 1024x768: no colour bar's title lies on one of its tick labels (plotly's
    title on top of the bar took "share" onto "0.15" and "log₁₀ ratio" onto "10"), no tick
    label or title of a colour bar is cut at the chart's edges, and no bar runs into the legend
    or a plot (browser_checks.clipped's colour bar checks)."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    problems = []
    try:
        for name, query in COLOUR_BAR_VIEWS:
            open_rendered(page, url_of(server_url, name, theme, query=query))
            drawn = page.locator('[data-testid="stMain"] .colorbar').count()
            if not drawn:
                problems.append(f"{name}?{unquote_plus(query)}: no colour bar drawn")
            problems += [
                f"{name}?{unquote_plus(query)}: {clip}"
                for clip in clipped(page)
                if clip.kind.startswith("colour bar")
            ]
    finally:
        page.close()
    assert not problems, "\n".join(problems)
