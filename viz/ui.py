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

import plotly.graph_objects as go
import streamlit as st

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

# Okabe-Ito: distinguishable for colour-blind viewers and on washed-out projectors.
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

THEMES = {
    "Standard": {"template": "plotly_white", "colorway": None, "line_width": 2.0},
    "Projector (high contrast)": {
        "template": "simple_white",
        "colorway": OKABE_ITO,
        "line_width": 4.0,
    },
    "Dark room": {"template": "plotly_dark", "colorway": OKABE_ITO, "line_width": 3.0},
}

_PRESENTER_CSS = """
<style>
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] { font-size: 1.45rem !important; }
[data-testid="stMain"] h1 { font-size: 3.2rem !important; }
[data-testid="stMain"] h2 { font-size: 2.4rem !important; }
[data-testid="stMain"] h3 { font-size: 1.9rem !important; }
[data-testid="stMain"] .katex { font-size: 1.75em !important; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] * { font-size: 3rem !important; }
[data-testid="stMain"] [data-testid="stSliderThumbValue"],
[data-testid="stMain"] [data-testid="stSliderThumbValue"] * { font-size: 1.1rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
[data-testid="stDataFrame"] { font-size: 1.3rem !important; }
</style>
"""

_THEME_CSS = {
    "Standard": "",
    "Projector (high contrast)": """
<style>
[data-testid="stApp"], [data-testid="stMain"] { background: #ffffff; color: #000000; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] h1,
[data-testid="stMain"] h2, [data-testid="stMain"] h3, [data-testid="stMain"] .katex
  { color: #000000 !important; font-weight: 500; }
[data-testid="stSidebar"] { background: #f0f0f0; }
[data-testid="stMetric"] { border: 2px solid #000000; border-radius: 0.4rem; padding: 0.4rem; }
</style>
""",
    "Dark room": """
<style>
[data-testid="stApp"], [data-testid="stHeader"] { background: #101418; color: #f2f2f2; }
[data-testid="stSidebar"] { background: #1b2128; }
[data-testid="stApp"] p, [data-testid="stApp"] li, [data-testid="stApp"] h1,
[data-testid="stApp"] h2, [data-testid="stApp"] h3, [data-testid="stApp"] label,
[data-testid="stApp"] span, [data-testid="stApp"] .katex,
[data-testid="stMetricValue"], [data-testid="stMetricLabel"] { color: #f2f2f2 !important; }
[data-testid="stExpander"] details { background: #1b2128; }
[data-testid="stApp"] [data-testid^="stBaseButton"], [data-testid="stApp"] input[type="text"],
[data-testid="stApp"] input[type="number"], [data-testid="stApp"] textarea,
[data-testid="stApp"] [data-baseweb="select"] > div, [data-testid="stApp"] [data-baseweb="input"],
[data-testid="stApp"] [data-testid="stNumberInputContainer"] button
  { background: #242b33 !important; color: #f2f2f2 !important; border-color: #6b7683 !important; }
[data-testid="stApp"] [data-testid^="stBaseButton"]:hover
  { border-color: #56B4E9 !important; color: #56B4E9 !important; }
[data-testid="stApp"] [data-testid="stBaseButton-primary"] { background: #0072B2 !important; }
[data-testid="stApp"] [data-testid="stSelectbox"] > div > div,
[data-testid="stApp"] [data-testid="stMultiSelect"] > div > div
  { background: #242b33 !important; color: #f2f2f2 !important; }
[data-testid="stApp"] [data-testid="stSelectbox"] svg { color: #f2f2f2 !important; }
[data-testid="stTooltipIcon"] button { background: transparent !important; }
[data-testid="stTooltipIcon"] svg { fill: none !important; stroke: #b8c0c8 !important; }
</style>
""",
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
    css = _THEME_CSS[theme_name()] + (_PRESENTER_CSS if is_presenter() else "")
    if css:
        st.html(css)


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
        st.latex(formula)


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


def show_code(*objects: Any, label: str = "Show the code") -> None:
    """An expander with the source of the nncore functions behind the page."""
    with st.expander(label, icon=":material/code:"):
        for obj in objects:
            try:
                source = inspect.getsource(obj)
            except (OSError, TypeError):
                source = f"# source of {obj!r} is not available"
            module = getattr(obj, "__module__", "")
            st.caption(f"{module}.{getattr(obj, '__qualname__', '')}")
            st.code(source, language="python")


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
def style_figure(fig: go.Figure) -> go.Figure:
    """Apply the current theme (template, colours, line width) and presenter type size."""
    theme = THEMES[theme_name()]
    font_size = 22 if is_presenter() else 14
    layout: dict[str, Any] = {"template": theme["template"], "font": {"size": font_size}}
    if theme["colorway"]:
        layout["colorway"] = theme["colorway"]
    fig.update_layout(**layout)
    if theme["line_width"] != 2.0:
        fig.update_traces(line_width=theme["line_width"], selector={"mode": "lines"})
    return fig


def chart(fig: go.Figure, key: str, **kwargs) -> None:
    """Draw a plotly figure: stable key, full width, no plotly logo, themed."""
    st.plotly_chart(
        style_figure(fig),
        key=key,
        width="stretch",
        theme=None,
        config={"displaylogo": False},
        **kwargs,
    )
