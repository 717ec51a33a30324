"""Shared fixtures for the dashboard's AppTests.

Every test starts at the entry point (app.py), then switches to its page, as a browser would.
Streamlit's caches are process-global across AppTest instances, so they are cleared around every
test: a test never passes because an earlier test warmed the cache.

Known AppTest behaviour (streamlit 1.67): with the page files in a folder named pages/, AppTest
runs in Streamlit's legacy multipage mode, so after `switch_page` a run executes the page script
without app.py's frame (no sidebar). The live server leaves that mode on the first run through
app.py; `viz.ui.ensure_frame` makes sure of it (checked by the browser test).
"""

import base64
import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import live_app
import numpy as np
import pytest
import streamlit as st
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT_SECONDS = 60

# Each new AppTest scans the metadata of every installed package for Streamlit components
# (streamlit.components.v2.manifest_scanner; measured 0.23 s a scan in CI's fresh venv, 92 s of
# the 263 s that test_links and test_page_softmax took). The packages do not change while the
# tests run, so each test process scans once and every AppTest registers what that scan found.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    """Cold caches before and after every test."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _open_page(
    page: str, query: dict[str, Any] | None = None, timeout: float = TIMEOUT_SECONDS
) -> AppTest:
    """Run app.py with `query` in the URL (a list value is a repeated parameter), then switch
    to `page` (e.g. "pages/softmax.py").

    The query parameters are set before the first run, so URL-bound widgets start from them,
    exactly as when a bookmarked URL is opened.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    for name, value in (query or {}).items():
        if isinstance(value, list):  # a repeated parameter: ?act_show=relu&act_show=tanh
            at.query_params[name] = [str(item) for item in value]
        else:
            at.query_params[name] = str(value).lower() if isinstance(value, bool) else str(value)
    at.run()
    if page != "pages/home.py":
        at.switch_page(page).run()
    return at


@pytest.fixture
def open_page() -> Callable[..., AppTest]:
    """`open_page("pages/softmax.py", {"sm_alpha": 10})` -> AppTest after the page ran."""
    return _open_page


def decode_plotly_array(value: Any) -> np.ndarray:
    """Plotly >= 6 sends numpy arrays as {"dtype", "bdata"} (base64); lists stay lists. The app's
    charts send lists (viz.plotly_wire), null where a value is not finite: numbers come back as
    floats, NaN there."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        if shape:
            dims = [int(s) for s in str(shape).split(",")]
            array = array.reshape(dims)
        return array
    array = np.asarray(value)
    if array.dtype == object:
        try:
            return np.asarray(value, dtype=float)  # null (None) -> NaN
        except (TypeError, ValueError):
            return array
    return array


def _plotly_specs(at: AppTest) -> list[dict]:
    """The JSON specs of every plotly chart on the page, in page order."""
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


@pytest.fixture
def plotly_specs() -> Callable[[AppTest], list[dict]]:
    """`plotly_specs(at)` -> list of plotly figure dicts (use `decode` for their arrays)."""
    return _plotly_specs


@pytest.fixture
def decode() -> Callable[[Any], np.ndarray]:
    """`decode(trace["y"])` -> numpy array, whether plotly sent a list or base64."""
    return decode_plotly_array


WIDGET_KINDS = (
    "slider", "select_slider", "selectbox", "radio", "toggle", "checkbox", "number_input",
    "text_input", "multiselect",
)  # fmt: skip


def _widget(at: AppTest, key: str):
    """The widget with this key, whatever its kind (slider, selectbox, radio, ...)."""
    for kind in WIDGET_KINDS:
        try:
            return getattr(at, kind)(key=key)
        except KeyError:
            continue
    raise KeyError(f"no widget with key {key!r} on the page")


@pytest.fixture
def widget() -> Callable[[AppTest, str], Any]:
    """`widget(at, "sm_alpha").set_value(1000.0).run()` for any kind of widget."""
    return _widget


def _metric(at: AppTest, label_start: str) -> str:
    """The value (as shown) of the first metric whose label starts with label_start."""
    for element in at.metric:
        if element.label.startswith(label_start):
            return element.value
    raise KeyError(f"no metric labelled {label_start!r}; have {[m.label for m in at.metric]}")


@pytest.fixture
def metric() -> Callable[[AppTest, str], str]:
    """`metric(at, "Largest probability")` -> the metric's shown value, e.g. "0.6381"."""
    return _metric


def _cells(table) -> list[list[str]]:
    """An st.table's cells as the browser draws them (the Styler's display values), by row."""
    from streamlit import dataframe_util

    styler = table.proto.arrow_data.styler
    return dataframe_util.convert_arrow_bytes_to_pandas_df(styler.display_values).values.tolist()


@pytest.fixture
def cells() -> Callable[[Any], list[list[str]]]:
    return _cells


def _assert_page_ok(at: AppTest) -> None:
    """No exception, no error box, and the page drew at least one formula and one chart."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert len(at.latex) >= 1, "every page shows its formula with st.latex"
    assert len(at.get("plotly_chart")) >= 1, "every page draws a plotly chart"


@pytest.fixture
def assert_page_ok() -> Callable[[AppTest], None]:
    """`assert_page_ok(at)`: no exception, no st.error, a formula and a chart rendered."""
    return _assert_page_ok


# --------------------------------------------------------------------- real browser fixtures
def _skip_or_fail(reason: str):
    """Skip with the reason, or fail where a browser is required (CI sets NNLAB_REQUIRE_BROWSER)."""
    if os.environ.get("NNLAB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"NNLAB_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


class ErrorWatchingBrowser:
    """The browser, with every page's uncaught JavaScript errors (Playwright's "pageerror")
    collected in `errors`, for pages opened through new_page or a new_context alike."""

    def __init__(self, browser):
        self._browser = browser
        self.errors: list[str] = []

    def __getattr__(self, name: str):
        return getattr(self._browser, name)

    def _watch(self, page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def new_page(self, *args, **kwargs):
        page = self._browser.new_page(*args, **kwargs)
        self._watch(page)
        return page

    def new_context(self, *args, **kwargs):
        context = self._browser.new_context(*args, **kwargs)
        context.on("page", self._watch)
        return context


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright; skipped (or failed in CI) when unavailable."""
    if not live_app.CHROMIUM.exists():
        _skip_or_fail(f"{live_app.CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        chromium = live_app.launch_chromium(playwright)
        yield ErrorWatchingBrowser(chromium)
        chromium.close()


@pytest.fixture(autouse=True)
def no_javascript_errors(request):
    """A browser test fails when any page it opened threw an uncaught JavaScript error: a page
    can look right in a screenshot while a script of Streamlit's, plotly's or the app's died."""
    yield
    if "browser" not in request.fixturenames:
        return
    watched = request.getfixturevalue("browser")
    errors, watched.errors[:] = list(watched.errors), []
    if errors:
        pytest.fail("uncaught JavaScript errors in the browser:\n" + "\n".join(errors[:10]))


@pytest.fixture(scope="module")
def server_url(browser):
    """The app served on a free localhost port, fresh for each test module; its output goes to
    screenshots/server.log for a failing run."""
    shots = ROOT / "screenshots"
    shots.mkdir(exist_ok=True)
    with (shots / "server.log").open("w") as log:
        try:
            with live_app.serve(log=log) as url:
                yield url
        except live_app.ServerError as err:
            pytest.fail(str(err))
