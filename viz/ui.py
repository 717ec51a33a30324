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
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from viz import chart_text, figure_style, formula, page_css, palette, sections

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
# The keys whose link value this session has looked at: a link is read when its control is first
# drawn (a page may set a control's state before that, e.g. the playground's data set).
_LINKS_READ = "_nnlab_links_read"


def _link(key: str) -> list[str] | None:
    """The link's value(s) for `key` the first time this session draws that control, else None."""
    read = st.session_state.setdefault(_LINKS_READ, set())
    if key in read:
        return None
    read.add(key)
    return st.query_params.get_all(key) or None


def _linked(label: str, key: str, make: Callable[[], Any], link: list[str] | None = None) -> Any:
    """Make the URL-bound widget `key` (make() creates it). A link is input too: when it carried
    a value the widget cannot take (Streamlit 1.67 then drops it from the URL and starts the
    widget at its default without a word), a notice names the value."""
    link = link or _link(key)
    value = make()
    if link and key not in st.query_params and not _link_means(link, value):
        shown = ",".join(link)[:40]
        start = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
        start = "nothing chosen" if value is None else start
        message = f"The link's {key}={shown!r} does not fit {label}: it starts at {start}."
        st.toast(message, duration="long")
    return value


def _set_link(key: str, text: str | None) -> None:
    """Replace (or, with None, drop) the link's value for `key` before its widget reads it: in
    the address bar and in the copy of the link Streamlit seeds widgets from (1.67: a private
    field; where it is missing, the widget reads the link as it came)."""
    if text is None:
        del st.query_params[key]
    else:
        st.query_params[key] = text
    context = get_script_run_ctx()
    if context is None:
        return
    with context.session_state.query_params() as params:
        initial = getattr(params, "_initial_query_params", {})
        if text is None:
            initial.pop(key, None)
        else:
            initial[key] = [text]


def _option_link(key: str, options: Sequence[Any]) -> list[str] | None:
    """The link's value for a control with these options; a number written another way than
    its option (?sm_alpha=10 for the option 10.0, which Streamlit matches as text) is read as
    that option."""
    link = _link(key)
    if not link or any(link[-1] == str(option) for option in options):
        return link
    try:
        number = float(link[-1])
    except ValueError:
        return link
    for option in options:
        if isinstance(option, int | float) and not isinstance(option, bool) and option == number:
            _set_link(key, str(option))
            return [str(option)]
    return link


def _link_means(link: list[str], value: Any) -> bool:
    """True when the link's text is the widget's value (Streamlit drops a link value equal to
    the default from the URL: that is no mistake)."""
    if isinstance(value, list | tuple):
        return sorted(link) == sorted(map(str, value))
    text = link[-1].strip()
    if isinstance(value, bool):
        return text.lower() == str(value).lower()
    if isinstance(value, int | float):
        try:
            return float(text) == float(value)
        except ValueError:
            return False
    return text == str(value)


def slider(label: str, min_value, max_value, value, key: str, **kwargs):
    """`st.slider` kept in the URL under `key`."""
    return _linked(
        label,
        key,
        lambda: st.slider(
            label, min_value, max_value, value, key=key, bind="query-params", **kwargs
        ),
    )


def select_slider(label: str, options: Sequence[Any], value, key: str, **kwargs):
    """`st.select_slider` kept in the URL (useful for log-spaced values such as alpha)."""
    return _linked(
        label,
        key,
        lambda: st.select_slider(
            label, options=options, value=value, key=key, bind="query-params", **kwargs
        ),
        _option_link(key, options),
    )


def select(label: str, options: Sequence[Any], key: str, index: int = 0, **kwargs):
    """`st.selectbox` kept in the URL."""
    return _linked(
        label,
        key,
        lambda: st.selectbox(label, options, index=index, key=key, bind="query-params", **kwargs),
        _option_link(key, options),
    )


def radio(label: str, options: Sequence[Any], key: str, index: int = 0, **kwargs):
    """`st.radio` kept in the URL."""
    return _linked(
        label,
        key,
        lambda: st.radio(label, options, index=index, key=key, bind="query-params", **kwargs),
        _option_link(key, options),
    )


def multiselect(label: str, options: Sequence[Any], default: Sequence[Any], key: str, **kwargs):
    """`st.multiselect` kept in the URL."""
    return _linked(
        label,
        key,
        lambda: st.multiselect(
            label, options, default=default, key=key, bind="query-params", **kwargs
        ),
    )


def pills(label: str, options: Sequence[Any], key: str, **kwargs):
    """`st.pills` kept in the URL."""
    return _linked(
        label, key, lambda: st.pills(label, options, key=key, bind="query-params", **kwargs)
    )


def tabs(labels: Sequence[str], key: str) -> list:
    """`st.tabs` kept in the URL (the open tab under `key`); a link naming no tab is named."""
    link = _link(key)
    containers = st.tabs(list(labels), key=key, bind="query-params")
    if link and key not in st.query_params and link[-1] not in labels:
        message = f"The link's {key}={link[-1][:40]!r} names no tab of this page: "
        st.toast(message + ", ".join(labels) + ".", duration="long")
    return containers


def toggle(label: str, key: str, value: bool = False, **kwargs) -> bool:
    """`st.toggle` kept in the URL."""
    return _linked(
        label,
        key,
        lambda: st.toggle(label, value=value, key=key, bind="query-params", **kwargs),
    )


def number(label: str, min_value, max_value, value, key: str, **kwargs):
    """`st.number_input` kept in the URL. A link whose value for it is not a number in
    [min_value, max_value] (a whole number for an integer input) opens at `value`, with a
    notice naming the value; Streamlit 1.67 itself raises on `?seed=inf` for an integer input."""
    link = _link(key)
    problem = link and _number_problem(link[-1], min_value, max_value)
    if problem:
        _set_link(key, None)
        message = f"The link's {key}={link[-1][:40]!r} {problem}: {label} starts at {value}."
        st.toast(message, duration="long")
        link = None
    return _linked(
        label,
        key,
        lambda: st.number_input(
            label,
            min_value=min_value,
            max_value=max_value,
            value=value,
            key=key,
            bind="query-params",
            **kwargs,
        ),
        link,
    )


def _number_problem(raw: str, min_value, max_value) -> str | None:
    """What is wrong with `raw` as a value of a number input, or None."""
    try:
        number = float(raw)
    except ValueError:
        return "is not a number"
    if not math.isfinite(number):
        return "is not a finite number"
    if not min_value <= number <= max_value:
        return f"is not between {min_value} and {max_value}"
    whole = all(isinstance(bound, int) for bound in (min_value, max_value))
    if whole and number != int(number):
        return "is not a whole number"
    return None


def text(label: str, value: str, key: str, **kwargs) -> str:
    """`st.text_input` kept in the URL."""
    return st.text_input(label, value=value, key=key, bind="query-params", **kwargs)


# ------------------------------------------------------------------------------------ charts
def style_figure(fig: go.Figure) -> go.Figure:
    """The figure in the current theme and presenter type size (viz.figure_style.style)."""
    return figure_style.style(fig, THEMES[theme_name()], is_presenter())


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
