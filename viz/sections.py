"""A page's sections as tabs, bound to the URL, that draw their charts only while open.

A page that shows several ideas one after another (softmax: normalise, translation, scaling,
over-parameterisation, overflow) puts each in a tab. Every tab's text, formulas, controls, numbers
and tables are computed and sent as before (a screen reader, a search of the page, AppTest and a
bookmark see all of them), but a chart is drawn only in the open tab: in Streamlit 1.67 a plotly
chart whose figure changes is unmounted and drawn again from scratch, 30 to 100 ms of the
browser's time per chart, so a control that feeds four sections cost four redraws of charts
nobody could see. The open tab is kept in the URL (`?sm_section=Translation`), so a bookmark
reopens the slide's section (a link that sets one of a tab's controls but names no tab opens that
tab: `opened_by`); opening another tab reruns the page and draws its charts.

    parts = sections.tabs(["Normalise", "Translation"], key="sm_section")
    with parts[0]:
        st.latex(...)
        ui.chart(lambda: figure(...), key="sm_bars")  # built only when drawn

`drawing()` tells ui.chart whether it is inside a closed section (it then draws nothing and does
not call a figure builder it was given).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextvars import ContextVar, Token

import streamlit as st

from viz import controls, link_text

# Streamlit runs each session's script in its own thread, and a ContextVar is per thread: one
# student's open tab never decides what another student's page draws.
_DRAWING: ContextVar[bool] = ContextVar("nnlab_section_drawing", default=True)


def drawing() -> bool:
    """False inside a closed section (its charts are not drawn), True everywhere else."""
    return _DRAWING.get()


class Section:
    """One tab: a `with` block whose charts are drawn only while the tab is open."""

    def __init__(self, tab, label: str):
        self._tab = tab
        self.label = label
        self._tokens: list[Token] = []

    @property
    def open(self) -> bool:
        """True when this is the tab on screen."""
        return bool(self._tab.open)

    def __enter__(self) -> Section:
        self._tab.__enter__()
        self._tokens.append(_DRAWING.set(_DRAWING.get() and self.open))
        return self

    def __exit__(self, *exc_info) -> bool | None:
        _DRAWING.reset(self._tokens.pop())
        return self._tab.__exit__(*exc_info)


def tabs(
    labels: Sequence[str], key: str, opened_by: Mapping[str, Sequence[str]] | None = None
) -> list[Section]:
    """The page's sections as tabs; the open one is kept in the URL under `key`.

    labels: short names in the lecture's words (they appear in the URL); the first is open by
    default.
    opened_by: label -> the URL parameters (widget keys) of that tab's controls. A link that sets
    one of them but names no tab, such as a bookmark made before the page had tabs
    (`/softmax?sm_alpha=10`), opens that tab, so the setting it bookmarks is on screen.
    """
    labels = list(labels)
    if len(set(labels)) != len(labels):
        raise ValueError(f"section labels must be distinct, got {labels}")
    unknown = set(opened_by or {}) - set(labels)
    if unknown:
        raise ValueError(f"opened_by names no tab of {labels}: {sorted(unknown)}")
    if key not in st.session_state:  # the first run of this page load: the link decides
        st.session_state[key] = _linked_tab(labels, key, opened_by or {})
    # The URL is written here rather than by bind="query-params", which leaves out the first
    # tab (the default): a link without the tab would then read as one naming a tab's control.
    containers = st.tabs(labels, key=key, on_change=_keep_in_url, args=(key,))
    return [Section(tab, label) for tab, label in zip(containers, labels, strict=True)]


def _keep_in_url(key: str) -> None:
    """The open tab, chosen by a click, into the URL (a bookmark reopens it)."""
    st.query_params[key] = st.session_state[key]


def _linked_tab(labels: list[str], key: str, opened_by: Mapping[str, Sequence[str]]) -> str:
    """The tab a link opens: the one it names, else the one whose control it sets, else the
    first."""
    named = st.query_params.get(key)
    if named in labels:
        return named
    meant = link_text.meant(named, labels) if named is not None else None
    if meant is not None:  # the tab's name typed plainly or its first words (?sm_section=scaling)
        st.query_params[key] = meant
        return meant
    if named is not None:  # a link is input too: say what it asked for
        del st.query_params[key]
        controls.notice(key, named, f"names no tab of this page: {', '.join(labels)}.")
    for label in labels:
        if any(parameter in st.query_params for parameter in opened_by.get(label, ())):
            return label
    return labels[0]
