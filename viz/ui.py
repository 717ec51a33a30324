"""Shared page helpers: URL-bound widgets, the error guard, presenter mode, themes, charts.

Every page uses these so that all pages behave alike:

- widgets are bound to the URL under a stable key (viz.controls, called as `ui.slider(...)`), so
  a lecturer can bookmark the exact setting of a slide (`/softmax?sm_alpha=10.0`), and a link
  value a control cannot take is named, not silently dropped;
- `guard("what")` turns any exception inside its block into `st.error` with a clear message,
  never a traceback;
- `chart(fig, key)` draws a plotly figure with the current theme and presenter type size, and
  its text alternative below it; `table(data, key, lead)` a table with the lecture's columns first;
- long work (a list of networks to train or measure) shows progress with Stop and Continue:
  `stoppable_jobs(jobs, message, key)`;
- presenter mode (large type) and the theme live in the sidebar and in the URL too.
"""

import inspect
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from viz import (
    chart_text,
    figure_style,
    formula,
    margins,
    markdown,
    navigation,
    page_css,
    page_script,
    palette,
    plotly_wire,
    sections,
)

# The URL-bound controls live in viz.controls; pages call them as ui.slider(...), ui.tabs(...)
from viz.chart_text import factor, fixed, magnitude  # noqa: F401  (pages write ui.fixed)
from viz.controls import (  # noqa: F401
    multiselect,
    number,
    pills,
    radio,
    select,
    select_slider,
    slider,
    tabs,
    text,
    toggle,
)

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


# ----------------------------------------------------------------------------------- sidebar
def sidebar_controls() -> None:
    """Presenter mode and theme in the sidebar (and the URL); inject their CSS on every page."""
    with st.sidebar:
        toggle(
            "Presenter mode (large type)",
            key=PRESENTER_KEY,
            help="Large type for a lecture hall; kept in the URL so a bookmark keeps it.",
        )
        select(
            "Theme",
            list(THEMES),
            key=THEME_KEY,
            help="Projector: black on white, thick lines, colour-blind-safe colours.",
        )
        st.caption("Every control is kept in the URL: bookmark a page to keep its exact setting.")
        # last in the sidebar: their empty elements add no gap between controls
        st.html(page_script.SCRIPT, unsafe_allow_javascript=True)
        # The page CSS, after the controls that choose it. Markdown, not a style-only st.html:
        # on a tab's first load both wait for a lazily loaded script, and st.html's put the
        # Dark room's page on a white screen for 1.4 s (median of 6 loads; 0.4 s this way).
        st.markdown(page_css.page(theme_name(), is_presenter()), unsafe_allow_html=True)


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
    st.title(title, anchor=navigation.PAGE_ANCHOR)  # the sidebar's "Skip to the page" target
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


YES, NO = "yes", "no"  # a true/false cell: words, not 1/0 (a number) or True/False (Python)


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool | np.bool_)


def yes_no(value: Any) -> str:
    """A true/false value as a table cell says it: "yes" or "no"."""
    return YES if value else NO


def _number(value: Any) -> str:
    """A cell as the chart text alternatives write numbers (chart_text.number: whole numbers
    whole, 4 significant digits in [1e-3, 1e5), scientific outside, so a probability of 1e-9 does
    not read 0.0000), None and NaN as MISSING: a number reads the same in a table and below a
    chart. A true/false cell reads "yes" or "no"."""
    if _is_missing(value):
        return MISSING
    return yes_no(value) if _is_bool(value) else chart_text.number(value)


def _in_words(data: pd.DataFrame) -> pd.DataFrame:
    """`data` with every true/false cell as "yes" or "no" (a bool column, or booleans among
    other values): the data grid would draw them as check boxes, other tables as 1/0."""
    worded = [
        name
        for name, column in data.items()
        if pd.api.types.is_bool_dtype(column) or column.map(_is_bool).any()
    ]
    if not worded:
        return data
    data = data.copy()
    for name in worded:
        data[name] = data[name].map(lambda v: yes_no(v) if _is_bool(v) else v)
    return data


def _printf(spec: str) -> Callable[[Any], str]:
    """`spec % value` for a cell; None and NaN as MISSING, true/false as "yes"/"no"."""
    return lambda value: (
        MISSING if _is_missing(value) else yes_no(value) if _is_bool(value) else spec % value
    )


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
    keep their numbers (only their display is formatted); true/false cells read "yes" and "no".
    With `lead_only_when_presenting`, presenter mode shows only the lead columns. A table of
    more than GRID_ROWS rows (a class's gradebook) is browsed instead: outside presenter mode it
    is the data grid, sortable, with the lead columns pinned. The grid costs a browser about
    0.7 s to load and 0.2 s per redraw (benchmarks/browser_latency.py), which is why the small
    tables are not grids.

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
        st.dataframe(
            _in_words(data), key=key, hide_index=True, width="stretch", column_config=config
        )
        return
    shown = data[lead] if is_presenter() and lead_only_when_presenting and lead else data
    cells = {name: _printf(formats[name]) if name in formats else _number for name in shown}
    st.table(shown.style.hide(axis="index").format(cells))


def vector(values: Any, digits: int = 3) -> str:
    """A row of numbers as the page writes it, "(0.33, -1.303)": each to `digits` decimals with
    trailing zeros dropped, no negative zero, commas (NumPy's "[ 0.33  -1.303]" is neither)."""
    out = []
    for value in np.ravel(np.asarray(values, dtype=float)):
        shown = f"{value:.{digits}f}".rstrip("0").rstrip(".") if np.isfinite(value) else str(value)
        out.append("0" if shown in ("-0", "") else shown)
    return "(" + ", ".join(out) + ")"


def theme_colours() -> list[str]:
    """The current theme's categorical colours, in order (viz.palette)."""
    return palette.palette(THEMES[theme_name()]["dark"])


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
    except (ValueError, TypeError) as exc:  # the message may quote a link: shown as written
        st.error(markdown.literal(f"Could not {what}: {exc}"), icon=":material/error:")
    except Exception as exc:  # a page must never show a traceback
        st.error(
            markdown.literal(
                f"Could not {what}: unexpected {type(exc).__name__}: {exc}. "
                "Try other settings; if it persists, please report it."
            ),
            icon=":material/error:",
        )


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
            st.code(source, language="python", wrap_lines=True)


def _name(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"


@contextmanager
def working(message: str) -> Iterator[None]:
    """A spinner with elapsed time for anything that may take more than a moment."""
    with st.spinner(message, show_time=True):
        yield


def stoppable_jobs(
    jobs: Sequence[Hashable], message: str, key: str, action: str = "training"
) -> Iterator[Any]:
    """Yield the jobs under a progress bar with a Stop button: for a list of long, cached
    computations (networks to train, to measure), so a setting that asks for a minute of work
    can be cut short.

    jobs: each job names one cached computation in full (its arguments), in the order they run.
    action: what the buttons name ("Stop training", "Continue training").
    Stop interrupts the loop (Streamlit stops the script at its next yield point, so the job in
    hand may be lost). From then on, until Continue is pressed or the list of jobs changes (a
    changed setting starts afresh), only the jobs finished before Stop are yielded (cached: at
    once), and a notice says how many were left.
    """
    jobs = list(jobs)
    state = st.session_state.get(key)
    if state is None or state["jobs"] != jobs:
        state = st.session_state[key] = {"jobs": jobs, "done": 0, "stopped": False}
    elif state["done"] == len(jobs):  # all done in an earlier run: cached, no bar to flash
        yield from jobs
        return
    # pressed during the run this one interrupted (and before its last job was done)
    if st.session_state.get(f"{key}_stop") and state["done"] < len(jobs):
        state["stopped"] = True
    if state["stopped"]:
        yield from jobs[: state["done"]]
        st.info(
            f"Stopped after {state['done']} of {len(jobs)}: the page shows what was finished. "
            "Continue does the rest; changing a setting starts afresh."
        )
        st.button(
            f"Continue {action}",
            key=f"{key}_continue",
            on_click=_resume,
            args=(key,),
            icon=":material/play_arrow:",
        )
        return
    stop_slot = st.empty()
    stop_slot.button(
        f"Stop {action}",
        key=f"{key}_stop",
        icon=":material/stop:",
        help="Keeps what is finished so far and shows it; Continue does the rest.",
    )
    bar = st.progress(0.0, text=message)
    for index, job in enumerate(jobs):
        yield job
        state["done"] = index + 1
        bar.progress((index + 1) / len(jobs), text=f"{message} ({index + 1}/{len(jobs)})")
    bar.empty()
    stop_slot.empty()


def _resume(key: str) -> None:
    st.session_state[key]["stopped"] = False


# ------------------------------------------------------------------------------------ charts
def style_figure(fig: go.Figure) -> go.Figure:
    """The figure in the current theme and presenter type size (viz.figure_style.style)."""
    return figure_style.style(fig, THEMES[theme_name()], is_presenter())


# plotly's toolbar without its logo and the buttons that repeat others (zoom in / out: the zoom
# box and the scroll wheel; autoscale: reset axes), so that it stays short along the chart's
# right edge (viz.figure_style stands it there)
CHART_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["zoomIn2d", "zoomOut2d", "autoScale2d"],
}


def chart(
    fig: go.Figure | Callable[[], go.Figure], key: str, summary: str | None = None, **kwargs
) -> None:
    """Draw a plotly figure: stable key, full width, no plotly logo, themed; below it, the
    chart in words (title, axes, each trace's points, ranges and key values, read from the
    figure's own arrays) for screen readers and anyone who cannot see the colours. The chart
    sits in a frame that keeps the width it reads at (viz.margins.narrowest, page_css.FRAME):
    on a narrower page it scrolls sideways, and its column wraps onto a line of its own.

    fig: the figure, or a function that builds it (called only when the chart is drawn: inside
    a closed section of `sections.tabs` nothing is drawn and nothing is built).
    summary: a sentence a page knows better (e.g. "the loss falls below 0.1 after 40 epochs"),
    shown first.
    """
    if not sections.drawing():
        return
    fig = style_figure(fig() if callable(fig) else fig)
    name, lines = chart_text.describe(fig)
    wire = plotly_wire.sent(fig)
    with st.container(key=page_css.frame_key(margins.narrowest(wire.to_dict()), key)):
        st.plotly_chart(
            wire,
            key=key,
            width="stretch",
            theme=None,
            config=CHART_CONFIG,
            alt=chart_text.accessible_name(name, summary),
            **kwargs,
        )
    if summary:
        lines = [summary, *lines]
    st.html(chart_text.as_html(name, lines))
