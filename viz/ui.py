"""Shared page helpers: URL-bound widgets, the error guard, presenter mode, themes, charts.

Every page uses these so that all pages behave alike:

- widgets are bound to the URL (`bind="query-params"`) under a stable key, so a lecturer can
  bookmark the exact setting of a slide (`/softmax?sm_alpha=10`); keys must be unique across the
  app (prefix them with the page, e.g. `sm_`, `act_`);
- `guard("what")` turns any exception inside its block into `st.error` with a clear message,
  never a traceback;
- `chart(fig, key)` draws a plotly figure with the current theme and presenter type size;
- presenter mode (large type) and the theme live in the sidebar and in the URL too.
"""

import inspect
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from viz import chart_text, formula, page_css, palette, sections

APP_DIR = Path(__file__).resolve().parents[1]

# (section, file in pages/, title, material icon, one line for the home page's lecture map);
# the order follows the lecture. app.py lists a page only when its file exists.
PAGES = [
    (
        "Start",
        "home.py",
        "Home: the lecture map",
        ":material/home:",
        "What each page shows and where it sits in the lecture.",
    ),
    (
        "Start",
        "slide_notes.py",
        "Notes on the slides",
        ":material/edit_note:",
        "Where the slides' notation slips, and the correct form nnlab uses.",
    ),
    (
        "1 · Structure",
        "structure.py",
        "Structure and notation",
        ":material/account_tree:",
        "h^0 = x, z^i = h^{i-1} W^{iT} + b^i: shapes, the product with real numbers, the graph.",
    ),
    (
        "1 · Structure",
        "hyperplane.py",
        "One unit's hyperplane",
        ":material/straighten:",
        "sigma(x w^T + b) over the plane: w turns the boundary, b / ||w|| places it.",
    ),
    (
        "2 · Output units",
        "output_units.py",
        "Output units and losses",
        ":material/output:",
        "Identity + squared error, sigmoid + NLL, softmax + cross-entropy; why pairs must match.",
    ),
    (
        "2 · Output units",
        "softmax.py",
        "Softmax",
        ":material/bar_chart:",
        "Make positive, then normalise: translation, alpha (T = 1/alpha), z_n = 0, overflow.",
    ),
    (
        "3 · Hidden units and gradients",
        "activations.py",
        "Activation functions",
        ":material/show_chart:",
        "sigma and sigma' side by side; tanh = 2 sigma(2x) - 1; |x| folds.",
    ),
    (
        "3 · Hidden units and gradients",
        "chain_rule.py",
        "The chain rule with numbers",
        ":material/link:",
        "dl/dW^i factor by factor for one data point: dl/dh^k, each A^j, their product, backprop.",
    ),
    (
        "3 · Hidden units and gradients",
        "gradients.py",
        "Gradients through depth",
        ":material/layers:",
        "Products of the Jacobians A^j: where gradients vanish or explode.",
    ),
    (
        "4 · Width and depth",
        "approximation.py",
        "Universal approximation",
        ":material/timeline:",
        "Width against depth, linear pieces, the sawtooth and bump constructions.",
    ),
    (
        "4 · Width and depth",
        "width_depth.py",
        "Choosing width and depth",
        ":material/view_column:",
        "A bottleneck nothing after it can undo; width first or last; depth on repeating patterns.",
    ),
    (
        "5 · Practice",
        "playground.py",
        "Playground",
        ":material/sports_esports:",
        "Train on 2-D data and digits with a live decision surface.",
    ),
    (
        "5 · Practice",
        "quiz.py",
        "Quiz",
        ":material/quiz:",
        "The lecture's questions with immediate feedback.",
    ),
    (
        "5 · Practice",
        "grading.py",
        "Grading",
        ":material/grading:",
        "Instructors: class results; students: your function against the reference.",
    ),
]

PRESENTER_KEY = "presenter"
THEME_KEY = "theme"

# Colour-blind-safe categorical colours (see viz.palette): LIGHT for white backgrounds, DARK for
# the Dark room. The name OKABE_ITO stays for the modules that import it (the playground's class
# colours); it holds the light palette (Okabe-Ito's colours first, one orange only).
OKABE_ITO = palette.LIGHT

THEMES = {
    "Standard": {
        "template": "plotly_white",
        "colorway": palette.LIGHT,
        "line_width": 2.0,
        "dark": False,
    },
    "Projector (high contrast)": {
        "template": "simple_white",
        "colorway": palette.LIGHT,
        "line_width": 4.0,
        "dark": False,
    },
    "Dark room": {
        "template": "plotly_dark",
        "colorway": palette.DARK,
        "line_width": 3.0,
        "dark": True,
        "paper": page_css.DARK_BG,
        "font_colour": page_css.DARK_TEXT,
    },
}


def existing_pages() -> list[tuple[str, str, str, str, str]]:
    """The entries of PAGES whose file exists in pages/, in lecture order."""
    return [entry for entry in PAGES if (APP_DIR / "pages" / entry[1]).exists()]


# ----------------------------------------------------------------------------------- sidebar
def sidebar_controls() -> None:
    """Presenter mode and theme in the sidebar (and the URL); inject their CSS on every page."""
    with st.sidebar:
        st.toggle(
            "Presenter mode (large type)",
            key=PRESENTER_KEY,
            bind="query-params",
            help="Large type for a lecture hall; kept in the URL so a bookmark keeps it.",
        )
        st.selectbox(
            "Theme",
            list(THEMES),
            key=THEME_KEY,
            bind="query-params",
            help="Projector: black on white, thick lines, colour-blind-safe colours.",
        )
        st.caption("Every control is kept in the URL: bookmark a page to keep its exact setting.")
    css = page_css.BASE + page_css.THEME_CSS[theme_name()]
    st.html(css + (page_css.PRESENTER if is_presenter() else ""))


def is_presenter() -> bool:
    """True when presenter mode (large type) is on."""
    return bool(st.session_state.get(PRESENTER_KEY, False))


def theme_name() -> str:
    """The current theme's name (a key of THEMES); the standard theme when unset or unknown."""
    name = st.session_state.get(THEME_KEY, "Standard")
    return name if name in THEMES else "Standard"


# ------------------------------------------------------------------------------- page pieces
def ensure_frame() -> None:
    """Rerun through app.py when Streamlit ran this page without it.

    With a folder named pages/ beside app.py, Streamlit starts in its legacy multipage mode: on a
    freshly started server, a deep link such as /quiz runs pages/quiz.py directly, without
    app.py (no navigation sections, no sidebar, no presenter mode), until some run has called
    st.navigation. Streamlit switches the mode off as soon as st.navigation is called; we do the
    same here and rerun, so the bookmarked page opens inside the frame with its URL intact.
    """
    try:
        from streamlit import config
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the legacy mode
        return
    if config.get_option("global.appTest"):
        # AppTest re-enters the legacy mode on every run; a rerun there would drop button clicks.
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_header(title: str, context: str, formula: str | None = None) -> None:
    """Title, two sentences of context, and the page's formula in the lecture's notation."""
    ensure_frame()
    st.title(title)
    st.markdown(context)
    if formula:
        latex(formula)


def latex(tex: str, **kwargs) -> None:
    """`st.latex` that fits a narrow column: it breaks between the equations of a list and
    shrinks a formula whose widest unbreakable piece would not fit (viz.formula); with the page
    CSS, no formula reaches past its column at 1024 x 768 in presenter mode. In presenter mode,
    where the large type makes formulas wrap, no line breaks inside parentheses."""
    st.latex(formula.fit(tex, group=is_presenter()), **kwargs)


MISSING = "–"  # None / NaN in a formatted column (an en dash: a hyphen would read as a minus)
GRID_ROWS = 40  # a table with more rows is browsed (the scrolling, sortable data grid), not read


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _number(value: Any) -> str:
    """A cell as the chart text alternatives write numbers (chart_text.number: whole numbers
    whole, 4 significant digits in [1e-3, 1e5), scientific outside, so a probability of 1e-9 does
    not read 0.0000), None and NaN as MISSING: a number reads the same in a table and below a
    chart."""
    return MISSING if _is_missing(value) else chart_text.number(value)


def _printf(spec: str) -> Callable[[Any], str]:
    """`spec % value` for a cell; None and NaN as MISSING."""
    return lambda value: MISSING if _is_missing(value) else spec % value


def table(
    data: pd.DataFrame,
    key: str,
    lead: Sequence[str] = (),
    formats: dict[str, str] | None = None,
    lead_only_when_presenting: bool = False,
) -> None:
    """A table whose columns a projector shows in full.

    A lecture's tables are read, not browsed: an HTML table (real table markup for screen
    readers, the page's type size, wrapping instead of scrolling sideways) with the lecture's
    columns (`lead`) first. `formats` maps a column to a printf format such as "%.2e"; the cells
    keep their numbers (only their display is formatted). With `lead_only_when_presenting`,
    presenter mode shows only the lead columns. A table of more than GRID_ROWS rows (a class's
    gradebook) is browsed instead: outside presenter mode it is the data grid, sortable, with
    the lead columns pinned. The grid costs a browser about 0.7 s to load and 0.2 s per redraw
    (benchmarks/browser_latency.py), which is why the small tables are not grids.

    A lead column the data lacks is left out (some exist only for some settings); at least one
    must be present when a lead is given.
    """
    formats = {name: spec for name, spec in (formats or {}).items() if name in data.columns}
    wanted = list(lead)
    lead = [name for name in wanted if name in data.columns]
    if wanted and not lead:
        raise ValueError(
            f"table {key!r} has none of the columns {wanted}; it has {list(data.columns)}"
        )
    data = data[[*lead, *(c for c in data.columns if c not in lead)]]
    if len(data) > GRID_ROWS and not is_presenter():
        config = {name: st.column_config.Column(pinned=True) for name in lead}
        config.update(
            {  # a formatted lead column stays pinned
                name: st.column_config.NumberColumn(format=spec, pinned=name in lead)
                for name, spec in formats.items()
            }
        )
        st.dataframe(data, key=key, hide_index=True, width="stretch", column_config=config)
        return
    shown = data[lead] if is_presenter() and lead_only_when_presenting and lead else data
    cells = {name: _printf(formats[name]) if name in formats else _number for name in shown}
    st.table(shown.style.hide(axis="index").format(cells))


def colours(names: Sequence[str]) -> dict[str, str]:
    """One colour per quantity in the current theme, for every panel of a page: pass the page's
    full list of quantities in a fixed order (not only those shown), e.g.
    `c = ui.colours(PAIRS)` then `line_color=c[pair]` in the loss panel and the gradient panel."""
    return palette.colour_map(names, dark=THEMES[theme_name()]["dark"])


@contextmanager
def guard(what: str) -> Iterator[None]:
    """Run a block; any exception becomes a clear `st.error` naming `what` failed, no traceback.

    Streamlit's own control flow (rerun, stop) derives from BaseException and passes through.
    """
    try:
        yield
    except (ValueError, TypeError) as exc:
        st.error(f"Could not {what}: {exc}", icon=":material/error:")
    except Exception as exc:  # a page must never show a traceback
        st.error(
            f"Could not {what}: unexpected {type(exc).__name__}: {exc}. "
            "Try other settings; if it persists, please report it.",
            icon=":material/error:",
        )


def guarded(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator form of `guard`: the function's exceptions become `st.error` messages."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with guard(what):
                return function(*args, **kwargs)
            return None

        wrapper.__name__ = function.__name__
        wrapper.__doc__ = function.__doc__
        return wrapper

    return decorate


def show_code(*objects: Any, label: str = "Show the code", key: str = "show_code") -> None:
    """An expander with the source of the nncore functions behind the page.

    The source is sent only while the expander is open: a closed one cost every page load the
    browser's syntax highlighter (a 1.5 MB script to parse) and every rerun the highlighting.
    """
    with st.expander(label, icon=":material/code:", key=key, on_change="rerun") as box:
        if not box.open:
            return
        for obj in objects:
            try:
                source = inspect.getsource(obj)
            except (OSError, TypeError):
                source = f"# source of {obj!r} is not available"
            st.caption(_name(obj))
            st.code(source, language="python")


def _name(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"


@contextmanager
def working(text: str) -> Iterator[None]:
    """A spinner with elapsed time for anything that may take more than a moment."""
    with st.spinner(text, show_time=True):
        yield


def progress_over(items: Sequence[Any] | Iterable[Any], text: str, total: int | None = None):
    """Yield the items while a progress bar counts them; the bar disappears when done."""
    items = list(items) if total is None else items
    total = len(items) if total is None else total
    bar = st.progress(0.0, text=text)
    for index, item in enumerate(items):
        yield item
        bar.progress(min(1.0, (index + 1) / max(total, 1)), text=f"{text} ({index + 1}/{total})")
    bar.empty()


# ------------------------------------------------------------------------ URL-bound widgets
def slider(label: str, min_value, max_value, value, key: str, **kwargs):
    """`st.slider` kept in the URL under `key`."""
    return st.slider(label, min_value, max_value, value, key=key, bind="query-params", **kwargs)


def select_slider(label: str, options: Sequence[Any], value, key: str, **kwargs):
    """`st.select_slider` kept in the URL (useful for log-spaced values such as alpha)."""
    return st.select_slider(
        label, options=options, value=value, key=key, bind="query-params", **kwargs
    )


def select(label: str, options: Sequence[Any], key: str, index: int = 0, **kwargs):
    """`st.selectbox` kept in the URL."""
    return st.selectbox(label, options, index=index, key=key, bind="query-params", **kwargs)


def radio(label: str, options: Sequence[Any], key: str, index: int = 0, **kwargs):
    """`st.radio` kept in the URL."""
    return st.radio(label, options, index=index, key=key, bind="query-params", **kwargs)


def multiselect(label: str, options: Sequence[Any], default: Sequence[Any], key: str, **kwargs):
    """`st.multiselect` kept in the URL."""
    return st.multiselect(label, options, default=default, key=key, bind="query-params", **kwargs)


def toggle(label: str, key: str, value: bool = False, **kwargs) -> bool:
    """`st.toggle` kept in the URL."""
    return st.toggle(label, value=value, key=key, bind="query-params", **kwargs)


def number(label: str, min_value, max_value, value, key: str, **kwargs):
    """`st.number_input` kept in the URL."""
    return st.number_input(
        label,
        min_value=min_value,
        max_value=max_value,
        value=value,
        key=key,
        bind="query-params",
        **kwargs,
    )


def text(label: str, value: str, key: str, **kwargs) -> str:
    """`st.text_input` kept in the URL."""
    return st.text_input(label, value=value, key=key, bind="query-params", **kwargs)


# ------------------------------------------------------------------------------------ charts
# characters per line of a chart title (axis titles a little fewer) at the narrowest column a
# lecture shows: 1024 px wide with the sidebar open; presenter type is larger
TITLE_CHARS = {False: 64, True: 38}
MIN_TITLE_SCALE = 0.7
DARK_INK = {"#000", "#000000", "black", "#111", "#111111", "#222", "#222222", "#333", "#333333"}


def wrap_label(text: str | None, width: int) -> str | None:
    """Break a plotly label into lines of at most `width` characters at spaces (<br>)."""
    if not text or "<br" in text or len(chart_text.plain(text)) <= width:
        return text
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return "<br>".join(lines)


def style_figure(fig: go.Figure) -> go.Figure:
    """Apply the current theme and presenter type size, and keep the chart readable on a
    projector: one colour per trace name across panels, wrapped titles, legends below the plot
    in presenter mode (off the tick labels), dark text turned light in the Dark room."""
    theme = THEMES[theme_name()]
    presenter = is_presenter()
    font_size = 22 if presenter else 14
    set_template(fig, theme["template"])
    font: dict[str, Any] = {"size": font_size}
    if theme["dark"]:
        font["color"] = theme["font_colour"]
    layout = fig.layout
    _merge_into(layout, "font", font)
    layout.colorway = theme["colorway"]
    if theme["dark"]:
        layout.paper_bgcolor = layout.plot_bgcolor = theme["paper"]
    if theme["line_width"] != 2.0:
        fig.update_traces(line_width=theme["line_width"], selector={"mode": "lines"})
    _one_colour_per_name(fig, theme["colorway"])
    _readable_labels(fig, presenter)
    if theme["dark"]:
        _light_ink(fig, theme["font_colour"])
    return fig


def set_template(fig: go.Figure, name: str) -> None:
    """Give the figure plotly's template `name` without validating it again.

    Assigning a template makes plotly copy and check every entry of it (the defaults of two dozen
    trace types): 25 ms a chart, a third of a rerun of the softmax page. The templates in
    plotly.io.templates are validated objects already, so the assignment skips the check; the
    figure's JSON is the same as after fig.update_layout(template=name)
    (tests/app/test_projector_helpers.py).
    """
    template = pio.templates[name]
    layout = fig.layout
    layout._validate = False  # plotly's own switch (go.Figure(..., _validate=False) sets it)
    try:
        layout.template = template
    finally:
        layout._validate = True


def _merge(base: dict, updates: dict) -> dict:
    """`base` with `updates` merged in, nested dictionaries key by key (as update_layout does)."""
    merged = dict(base)
    for name, value in updates.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = _merge(merged[name], value)
        else:
            merged[name] = value
    return merged


def _merge_into(layout: go.Layout, name: str, updates: dict) -> None:
    """layout[name] updated like fig.update_layout(name=updates), by one assignment: plotly's
    update_layout costs about 2.4 ms a call (its relayout bookkeeping), the assignment 0.1 ms,
    and style_figure made four such calls on each chart of every rerun."""
    current = layout[name]
    layout[name] = _merge(current.to_plotly_json() if current is not None else {}, updates)


def _one_colour_per_name(fig: go.Figure, colorway: Sequence[str]) -> None:
    """Traces that set no colour get one by their legend group or name, in order of first
    appearance, so the same quantity has the same colour in every panel of a figure."""
    keys: dict[str, str] = {}
    for trace in fig.data:
        if trace.type not in ("scatter", "scattergl", "bar", "histogram", "box", "violin"):
            continue
        key = trace.legendgroup or trace.name
        if not key:
            continue
        marker_colour = getattr(trace.marker, "color", None) if hasattr(trace, "marker") else None
        line_colour = getattr(trace.line, "color", None) if hasattr(trace, "line") else None
        if marker_colour is not None or line_colour is not None:
            keys.setdefault(key, line_colour if isinstance(line_colour, str) else "")
            continue
        if not keys.get(key):
            used = sum(1 for value in keys.values() if value)
            keys[key] = colorway[used % len(colorway)]
        colour = keys[key]
        if trace.type in ("scatter", "scattergl"):
            trace.line.color = colour
        trace.marker.color = colour


def _readable_labels(fig: go.Figure, presenter: bool) -> None:
    width = TITLE_CHARS[presenter]
    layout = fig.layout
    if layout.title and layout.title.text:
        # A long title first shrinks (down to MIN_TITLE_SCALE) to stay on one line: plotly draws
        # the extra lines of a wrapped title above the first one, off the top of the chart.
        # Only a title too long even then is wrapped, at its shrunk width.
        base = (layout.title.font.size if layout.title.font else None) or 1.2 * layout.font.size
        length = len(chart_text.plain(layout.title.text))
        scale = min(1.0, max(MIN_TITLE_SCALE, width / max(length, 1)))
        text = wrap_label(layout.title.text, int(width / scale))
        _merge_into(
            layout,
            "title",
            {
                "text": text,
                "font": {"size": round(base * scale, 1)},
                "automargin": True,
                "yref": "container",
                "y": 1.0,
                "yanchor": "top",
                "pad": {"t": 8 + round(text.count("<br>") * 1.3 * base * scale)},
            },
        )
    # the figure's own axes (select_*axes: dir(layout) listed and fetched every property)
    x_axes, y_axes = list(fig.select_xaxes()), list(fig.select_yaxes())
    for axes, axis_width in ((x_axes, width), (y_axes, int(width * 0.6))):
        for axis in axes:
            if axis.title and axis.title.text:
                axis.title.text = wrap_label(axis.title.text, axis_width)
                axis.automargin = True
    columns = max(1, len({axis.domain[0] for axis in x_axes if axis is not None and axis.domain}))
    for annotation in layout.annotations or []:
        on_paper = annotation.xref in (None, "paper") and annotation.yref in (None, "paper")
        if annotation.text and on_paper:
            annotation.text = wrap_label(annotation.text, max(12, width // columns))
    legend = layout.legend
    below = legend.orientation == "h" and legend.y is not None and legend.y < 0
    if below or (presenter and legend.orientation != "h" and len(fig.data) > 1):
        # plotly reserves room for a legend referenced to the container, never to the plot
        _merge_into(
            layout,
            "legend",
            {
                "orientation": "h",
                "yref": "container",
                "y": 0.0,
                "yanchor": "bottom",
                "x": 0.0,
                "xanchor": "left",
            },
        )


def _light_ink(fig: go.Figure, ink: str) -> None:
    """Black or near-black annotations, shapes and text set by a figure builder vanish on the
    Dark room's background: draw them in the theme's text colour."""
    for annotation in fig.layout.annotations or []:
        if str(annotation.font.color).lower() in DARK_INK:
            annotation.font.color = ink
        if annotation.arrowcolor and str(annotation.arrowcolor).lower() in DARK_INK:
            annotation.arrowcolor = ink
    for shape in fig.layout.shapes or []:
        if shape.line and str(shape.line.color).lower() in DARK_INK:
            shape.line.color = ink
    for trace in fig.data:
        line = getattr(trace, "line", None)
        if line is not None and isinstance(line.color, str) and line.color.lower() in DARK_INK:
            line.color = ink
        textfont = getattr(trace, "textfont", None)
        marker = getattr(trace, "marker", None)
        marker_colour = getattr(marker, "color", None) if marker is not None else None
        on_marker = isinstance(marker_colour, str) and "text" in str(getattr(trace, "mode", ""))
        if textfont is not None and not on_marker and str(textfont.color).lower() in DARK_INK:
            textfont.color = ink


def chart(
    fig: go.Figure | Callable[[], go.Figure], key: str, summary: str | None = None, **kwargs
) -> None:
    """Draw a plotly figure: stable key, full width, no plotly logo, themed; below it, the
    chart in words (title, axes, each trace's points, ranges and key values, read from the
    figure's own arrays) for screen readers and anyone who cannot see the colours.

    fig: the figure, or a function that builds it (called only when the chart is drawn: inside
    a closed section of `sections.tabs` nothing is drawn and nothing is built).
    summary: a sentence a page knows better (e.g. "the loss falls below 0.1 after 40 epochs"),
    shown first.
    """
    if not sections.drawing():
        return
    fig = style_figure(fig() if callable(fig) else fig)
    st.plotly_chart(
        fig,
        key=key,
        width="stretch",
        theme=None,
        config={"displaylogo": False},
        **kwargs,
    )
    name, lines = chart_text.describe(fig)
    if summary:
        lines = [summary, *lines]
    st.html(chart_text.as_html(name, lines))
