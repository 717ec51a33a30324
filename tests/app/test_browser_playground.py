"""The playground in a real browser: Play draws the live picture with every unit's map, Pause
brings the interactive picture (hover, click a unit, click the map to add a point), presenter
mode at 1024 x 768 and the Dark room theme, playing and paused (with dropout on: its formula lines
fit too); your points from an empty plane; a disabled button looks disabled in every theme; and a
label's colour says only whether its control is disabled (here and on the approximation page).

Same rules as test_browser.py: Debian's chromium through Playwright (executable_path), skipped
with the reason when it is missing, failed instead when NNLAB_REQUIRE_BROWSER=1. Screenshots go
to screenshots/ (gitignored).
"""

import re

import pytest
from browser_checks import axe_violations, clipped
from live_app import IDLE, ROOT, open_list
from test_palette import contrast  # WCAG 2.1's ratio

from viz import figure_style
from viz import playground_canvas as canvas

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ROOT / "screenshots"
WAIT_MS = 180_000
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'
# the page position of a point given in the paused chart's data (picture pixel) coordinates
TO_PAGE = """([x, y]) => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const box = gd.getBoundingClientRect(), L = gd._fullLayout;
  return [box.left + L.xaxis._offset + L.xaxis.d2p(x), box.top + L.yaxis._offset + L.yaxis.d2p(y)];
}"""


# The live picture's width on the page and as drawn: the JPEG while playing; while paused, the
# picture inside the plotly chart (its image's width in the picture's pixels: the x axis's).
PICTURE_WIDTHS = """(playing) => {
  if (playing) {
    const img = document.querySelector('[data-testid="stImage"] img');
    return [img.getBoundingClientRect().width, img.naturalWidth];
  }
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const image = gd.querySelector('.layer-below image, .layer-above image, image');
  return [image.getBoundingClientRect().width, gd._fullLayout.images[0].sizex];
}"""


def _open(browser, server_url, query="", size=(1400, 2400)):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server_url}/playground{query}", wait_until="domcontentloaded")
    page.wait_for_selector(CHART, state="attached", timeout=WAIT_MS)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_timeout(500)
    return page


def _settle(page):
    page.wait_for_timeout(800)
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    page.wait_for_timeout(500)


def _no_errors(page):
    assert page.locator('[data-testid="stException"]').count() == 0
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()


def _counts(page):
    captions = " ".join(page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())
    found = re.search(r"(\d+) training points, (\d+) test points", captions)
    return int(found.group(1)), int(found.group(2))


def _trace_point(page, trace: int, index: int):
    target = page.evaluate(
        f"() => {{ const t = document.querySelector('{CHART}')._fullData[{trace}];"
        f" return [t.x[{index}], t.y[{index}]]; }}"
    )
    return page.evaluate(TO_PAGE, target)


def test_play_draws_the_maps_and_pause_brings_the_interactive_picture(browser, server_url):
    page = _open(browser, server_url, "?pg_layers=3&pg_w3=8")
    try:
        page.get_by_role("button", name="Play").click()
        page.wait_for_selector('[data-testid="stImage"] img', timeout=WAIT_MS)
        page.wait_for_timeout(3000)
        epochs = int(page.locator('[data-testid="stMetricValue"]').first.inner_text())
        assert epochs > 1
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "playground_playing_maps.png"), full_page=True)
        page.get_by_role("button", name="Pause").click()
        _settle(page)
        assert page.locator('[data-testid="stImage"] img').count() == 0
        page.wait_for_selector(CHART, timeout=WAIT_MS)
        # hover a unit: its formula appears
        x, y = _trace_point(page, 0, 4)  # two inputs, then layer 1's units
        page.mouse.move(x, y)
        page.wait_for_selector(".hovertext", timeout=20_000)
        assert "layer 1, unit 2" in page.locator(".hovertext").first.text_content()
        # click it: the large unit and its formula follow
        page.mouse.click(x, y)
        _settle(page)
        assert "pg_unit=layer+1+unit+2" in page.url  # the selection, kept in the URL
        formulas = " ".join(page.locator(".katex-mathml annotation").all_text_contents())
        assert r"h^{1}_{2} = \tanh" in formulas
        page.screenshot(path=str(SHOTS / "playground_paused_unit.png"), full_page=True)
        _no_errors(page)
    finally:
        page.close()


def test_click_on_the_map_adds_a_point(browser, server_url):
    page = _open(browser, server_url, "?pg_data=moons&pg_points=100")
    try:
        page.get_by_role("button", name="Edit these points (click to add, export them)").click()
        _settle(page)
        before = _counts(page)
        assert before == (70, 30)
        x, y = _trace_point(page, 3, 1200)  # a point of the click grid over the surface
        page.mouse.move(x, y)
        page.wait_for_timeout(300)
        page.mouse.click(x, y)
        _settle(page)
        assert _counts(page) == (71, 30)
        _no_errors(page)
    finally:
        page.close()


def _plane_point(page, x: float, y: float):
    """The page position of (x_1, x_2) on the plane shown before a run (the first chart)."""
    return page.evaluate(
        """([x, y]) => {
      const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
      const box = gd.getBoundingClientRect(), L = gd._fullLayout;
      return [box.left + L.xaxis._offset + L.xaxis.l2p(x),
              box.top + L.yaxis._offset + L.yaxis.l2p(y)];
    }""",
        [x, y],
    )


def test_your_points_start_on_an_empty_plane(browser, server_url):
    page = _open(browser, server_url, "?pg_data=your+points", size=(1024, 768))
    try:
        _no_errors(page)
        info = page.locator('[data-testid="stAlertContentInfo"]')
        assert "no points yet" in info.first.inner_text()
        assert axe_violations(page) == [] and clipped(page) == []
        for (x, y), label in (((-0.75, 0.75), "0"), ((0.9, -0.45), "1")):
            select = page.locator('[data-testid="stSelectbox"]').filter(
                has_text="Class of a new point"
            )
            open_list(page, select.locator("input"))
            page.get_by_role("option", name=label, exact=True).click()
            _settle(page)
            page.locator(CHART).first.scroll_into_view_if_needed()
            where = _plane_point(page, x, y)
            page.mouse.move(*where)
            page.wait_for_timeout(300)
            page.mouse.click(*where)
            _settle(page)
            _no_errors(page)
        # two points of two classes: the run started on them
        assert page.locator('[data-testid="stAlertContentInfo"]').count() == 0
        assert sum(_counts(page)) == 2
        page.screenshot(path=str(SHOTS / "playground_own_points_started.png"))
    finally:
        page.close()


@pytest.mark.parametrize("playing", [False, True])
def test_presenter_dark_1024(browser, server_url, playing):
    query = "?presenter=true&theme=Dark+room&pg_layers=4&pg_dropout=0.2"
    page = _open(browser, server_url, query, size=(1024, 768))
    try:
        captions = " ".join(page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())
        # the caption sets p = 0.2 in KaTeX (its text reads "Dropout p = 0.2" in the MathML)
        dropout = page.locator('[data-testid="stCaptionContainer"]', has_text="acts only while")
        assert "acts only while training" in captions and dropout.locator(".katex").count() >= 2
        if playing:
            page.get_by_role("button", name="Play").click()
            page.wait_for_selector('[data-testid="stImage"] img', timeout=WAIT_MS)
            page.wait_for_timeout(2500)
        # every formula fits its line: no KaTeX wider than the box that shows it
        cut = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMain"] .katex-display')]
                 .filter(box => box.querySelector('.katex').scrollWidth > box.clientWidth + 1)
                 .map(box => box.textContent.slice(0, 40))"""
        )
        assert cut == [], f"formulas cut off: {cut}"
        # the picture's type as shown: drawn at PRESENTER_FONT, shrunk to the column; its small
        # type (tick labels) reads at least 0.8 of the presenter charts' tick labels
        shown, natural = page.evaluate(PICTURE_WIDTHS, playing)
        assert shown >= canvas.PRESENTER_COLUMN_PX - 1, (shown, natural)
        small = canvas.small_size(canvas.PRESENTER_FONT) * min(1.0, shown / natural)
        assert small >= 0.8 * figure_style.FONT_PX[True], (shown, natural, small)
        SHOTS.mkdir(exist_ok=True)
        name = "playing" if playing else "paused"
        page.screenshot(path=str(SHOTS / f"playground_presenter_dark_{name}.png"), full_page=True)
        if playing:
            page.get_by_role("button", name="Pause").click()
            _settle(page)
        _no_errors(page)
    finally:
        page.close()


@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("?theme=Standard", (1024, 768)),
        ("?theme=Standard", (1280, 900)),
        ("?presenter=true", (1024, 768)),
    ],
)
def test_the_paused_picture_leaves_no_blank_band_under_it(browser, server_url, query, size):
    """The paused picture is a plotly chart of the picture's size; shown narrower, plotly kept
    the figure's height and drew the picture at its top: 330 px of a 662 px chart stood blank at
    1024 x 768. The page script gives the chart and its frame the picture's height (plus room
    for a hover label), measured to the element after it; the picture is as wide as its column
    allows."""
    page = _open(browser, server_url, query, size=size)
    try:
        _settle(page)
        page.wait_for_timeout(300)  # the page script's frame
        chart, image, below = page.evaluate(
            """() => {
              const chart = document.querySelector('[data-testid="stPlotlyChart"]');
              const box = e => e.getBoundingClientRect();
              const c = box(chart), i = box(chart.querySelector('.imagelayer image'));
              const next = chart.closest('[data-testid="stElementContainer"]').nextElementSibling;
              return [[c.top, c.bottom, c.width], [i.top, i.bottom, i.width], box(next).top];
            }"""
        )
        # what a user sees: the picture's bottom to the next element (Streamlit's gap is 16 px)
        blank = below - image[1]
        assert 0 <= blank <= 50, (
            f"{blank:.0f} px under the picture (chart {chart}, picture {image}, next {below})"
        )
        shown, natural = page.evaluate(PICTURE_WIDTHS, False)
        assert shown >= min(natural, chart[2]) - 1, (shown, natural, chart)
        _no_errors(page)
    finally:
        page.close()


def test_the_input_features_wrap_on_a_phone(browser, server_url):
    """At 320 px the seven input-feature pills do not fit one line: they wrap onto more lines
    (Streamlit alone scrolls the row sideways and shows four), and every pill is on screen."""
    page = _open(browser, server_url, size=(320, 800))
    try:
        _no_errors(page)
        row = page.locator('[data-testid="stButtonGroup"]').first
        row.scroll_into_view_if_needed()
        widths = row.evaluate(
            "group => { const row = group.querySelector(':scope > div');"
            " return [row.scrollWidth, row.clientWidth]; }"
        )
        assert widths[0] <= widths[1], f"the pills scroll sideways: {widths}"
        right_edges = row.locator("button").evaluate_all(
            "buttons => buttons.map(b => b.getBoundingClientRect().right)"
        )
        assert len(right_edges) == 7 and max(right_edges) <= 320, right_edges
        row.screenshot(path=str(SHOTS / "playground_features_320.png"))
    finally:
        page.close()


# Each control's label in the main area: its text, its colour, whether its control is disabled
# (its field, slider or pills; a number input's step button disabled at its bound does not
# count), and the colour the main area is painted on.
LABELS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  let painted = main;
  while (getComputedStyle(painted).backgroundColor === 'rgba(0, 0, 0, 0)')
    painted = painted.parentElement;
  const inactive = '[role="slider"][aria-disabled="true"], input:disabled, textarea:disabled,'
    + ' [data-testid="stButtonGroup"] button:disabled';
  return [getComputedStyle(painted).backgroundColor,
          [...main.querySelectorAll('[data-testid="stWidgetLabel"]')].map(label => {
            const widget = label.closest('[data-testid="stElementContainer"]');
            const text = label.querySelector('p') || label;
            return [text.innerText.trim(), getComputedStyle(text).color,
                    !!widget.querySelector(inactive)];
          })];
}"""


def _rgba(css: str) -> tuple[float, ...]:
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    return tuple(values) if len(values) == 4 else (*values, 1.0)


def _hex(rgba) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgba[:3])


@pytest.mark.parametrize("theme", ["Standard", "Dark+room"])
@pytest.mark.parametrize(
    ("path", "disabled"),
    [
        ("playground", {"Rate λ"}),  # no penalty chosen
        ("playground?pg_data=digits", {"Classes", "Points", "Noise", "Rate λ", "Input"}),
        ("approximation", {"Formula in x"}),  # the target is not 'formula'
    ],
)
def test_a_labels_colour_says_only_whether_its_control_is_disabled(
    browser, server_url, theme, path, disabled
):
    """Every enabled control's label has one colour, whether or not the control can be disabled
    in other settings (the playground's Classes, Points, Noise and Input features were muted
    while enabled); a disabled control's label is muted, opaque, and still 4.5:1 on the page."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    joiner = "&" if "?" in path else "?"
    page.goto(f"{server_url}/{path}{joiner}theme={theme}", wait_until="domcontentloaded")
    try:
        # every label named here is on screen (the page draws in several passes), then quiet
        page.wait_for_function(
            """names => { const shown = [...document.querySelectorAll(
                 '[data-testid="stMain"] [data-testid="stWidgetLabel"]')].map(l => l.innerText);
               return names.every(name => shown.some(text => text.trim().startsWith(name))); }""",
            arg=sorted(disabled),
            timeout=WAIT_MS,
        )
        _settle(page)
        _no_errors(page)
        background, labels = page.evaluate(LABELS)
        off = {text for text, _, inactive in labels if inactive}
        assert {next(t for t in off if t.startswith(d)) for d in disabled} == off, off
        enabled = {_rgba(colour) for _, colour, inactive in labels if not inactive}
        assert len(enabled) == 1, [(t, c) for t, c, inactive in labels if not inactive]
        for text, colour, _ in (row for row in labels if row[2]):
            rgba = _rgba(colour)
            assert rgba not in enabled and rgba[3] == 1, (text, colour)
            assert contrast(_hex(rgba), _hex(_rgba(background))) >= 4.5, (text, colour, background)
    finally:
        page.close()


BUTTONS = """() => {
  let painted = document.querySelector('[data-testid="stMain"]');
  while (getComputedStyle(painted).backgroundColor === 'rgba(0, 0, 0, 0)')
    painted = painted.parentElement;
  const buttons = '[data-testid="stMain"] button[data-testid^="stBaseButton"],'
    + ' [data-testid="stMain"] [data-testid="stButtonGroup"] button';
  return [getComputedStyle(painted).backgroundColor, [...document.querySelectorAll(buttons)]
    .filter(b => b.getBoundingClientRect().width > 0).map(b => {
      const style = getComputedStyle(b), text = getComputedStyle(b.querySelector('p') || b);
      return [b.innerText.trim(), b.disabled, style.backgroundColor, text.color,
              style.borderTopStyle, b.getAttribute('aria-pressed') === 'true'];
    })]; }"""


@pytest.mark.parametrize("theme", ["Standard", "Dark+room", "Projector+%28high+contrast%29"])
@pytest.mark.parametrize(
    ("query", "disabled"),
    [
        ("pg_data=your+points", {"Play", "Step"}),  # no points yet, so no run
        ("pg_data=digits", {"x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"}),
    ],
    ids=["no-run", "digits"],
)
def test_a_disabled_button_looks_disabled_in_every_theme(
    browser, server_url, theme, query, disabled
):
    """A disabled button (Play and Step with no run; the input features' pills on the digits)
    must not look like an enabled one (the Dark room drew them with the same fill and text), and
    its text stays readable: the muted colour, 4.5:1 on the page or its fill, and a dashed border.
    A disabled pill still shows whether it is chosen: a fill, where the others have none."""
    page = _open(browser, server_url, f"?{query}&theme={theme}", size=(1280, 900))
    try:
        background, buttons = page.evaluate(BUTTONS)
        off = [row for row in buttons if row[1]]
        assert {name.split()[-1] if "_" in name else name for name, *_ in off} == disabled
        enabled_looks = {(_rgba(fill), _rgba(ink)) for _, on, fill, ink, *_ in buttons if not on}
        for name, _, fill, ink, border, chosen in off:
            assert (_rgba(fill), _rgba(ink)) not in enabled_looks, (name, fill, ink)
            assert border == "dashed", (name, border)
            assert (_rgba(fill)[3] > 0) == chosen, (name, fill, chosen)
            under = fill if chosen else background
            assert contrast(_hex(_rgba(ink)), _hex(_rgba(under))) >= 4.5, (name, ink, under)
    finally:
        page.close()


@pytest.mark.parametrize(
    ("presenter", "size"),
    [(True, (1024, 768)), (True, (1280, 720)), (False, (1024, 768))],
    ids=["presenter-1024", "presenter-1280", "normal-1024"],
)
def test_the_digits_show_everything(browser, server_url, presenter, size):
    """The digits (64 inputs, ten classes) draw other things than the plane's data sets: the
    confusion table's ten columns ("predicted class 0" ... needed 769 px of 562, and scrolled,
    which axe flags), the soft confusion matrix and the weights (side by side, their titles ran
    past the half-width charts: in presenter mode, and at 1024 px in normal type too), the loss
    curve before training (a log axis fitted to 2.358..2.36)."""
    query = f"?presenter={str(presenter).lower()}&theme=Dark+room&pg_data=digits"
    page = _open(browser, server_url, query, size=size)
    try:
        _settle(page)
        _no_errors(page)
        assert clipped(page) == []
        assert axe_violations(page) == []
        mode = "presenter" if presenter else "normal"
        page.screenshot(path=str(SHOTS / f"playground_digits_{mode}_{size[0]}.png"))
    finally:
        page.close()
