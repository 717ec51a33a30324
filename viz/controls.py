"""The page's controls, each kept in the URL, and a link read as input.

Every control is bound to the URL (`bind="query-params"`) under a stable key, so a lecturer can
bookmark the exact setting of a slide (`/softmax?sm_alpha=10.0`); keys are unique across the app
(prefixed with the page: `sm_`, `act_`). Pages call these through viz.ui (`ui.slider(...)`).

A link is input too, typed or edited by hand. Streamlit 1.67 seeds each control from the link
when it is first drawn; a value the control cannot take it resets to the default without a word,
and `?seed=inf` on an integer input raised OverflowError. Here such a value starts the control at
its default with a notice (a warning at the top of the page) naming the key and the value. A
value that plainly means one option is read as that option: a number written another way
(`?sm_alpha=10` for 10.0), the option typed without its symbols or case (`?ua_mode=width x depth`
for "width × depth", `?theme=dark room`) or its leading words (`?theme=Projector` for
"Projector (high contrast)"; a tab's too), each value of a list likewise, and a switch's
1 / 0, yes / no or on / off as true or false.

A page may also set a control through the Session State API (a preset button's callback, a
slider whose range shrank under its value). Streamlit then ignores the control's default, and
logs that the widget "was created with a default value but also had its value set via the
Session State API". In such a run the control is created without its default (`_by_code`), and
the link is written as Streamlit would have written it with the default: without the value
when it is the default, with it otherwise.
"""

import math
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from viz import markdown
from viz.link_text import meant, switch

# Where this run's notices go: a container at the top of the main area (app.py), set per run.
# Streamlit runs each session's script in its own thread, and a ContextVar is per thread.
_NOTICES: ContextVar = ContextVar("nnlab_link_notices", default=None)


def notices_at(container) -> None:
    """Put this run's notices about the link in `container` (app.py: the top of the page)."""
    _NOTICES.set(container)


def notice(key: str, value: str, what: str) -> None:
    """Say what happened to a link's value for `key`: "The link's `key=value` <what>", as a
    warning at the top of the page (an alert that screen readers announce, which stays until the
    next change; Streamlit 1.67's toast vanished after ten seconds and was an alert dialog
    without an accessible name, a serious axe violation). The link is anyone's text: it is shown
    as written (viz.markdown), never rendered."""
    quoted = markdown.code(f"{key}={value}"[:60])
    text = f"The link's {quoted} {markdown.literal(what)}"
    container = _NOTICES.get()
    if container is None:
        st.warning(text)
        return
    try:
        container.warning(text)
    except StreamlitAPIException:  # a fragment's rerun may not write outside the fragment
        st.warning(text)


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


def _by_code(key: str) -> bool:
    """True when this run's value for the control `key` was set through st.session_state (by a
    callback or by the page before the control is drawn), not by the control itself."""
    context = get_script_run_ctx()
    if context is None:
        return False
    try:
        return bool(context.session_state.is_new_state_value(key))
    except AttributeError:  # a future Streamlit without it: the warning may come back, no harm
        return False


def _link_follows(key: str, value: Any, default: Any) -> None:
    """After a run that created the control `key` without its default (its value was set by
    code), make the link say what Streamlit would have made it say with the default: nothing
    when the value is the default, else the value, written by the control's own serializer as
    Streamlit writes it. Streamlit compared the value with the default it was given (the
    smallest option, an empty list, False), so it left out a value equal to that one and kept
    one equal to the real default. (1.67: methods of Streamlit's internal session state; where
    they are missing the link may keep a default or miss a value, never name a wrong one.)"""
    context = get_script_run_ctx()
    if context is None:
        return
    state = getattr(context.session_state, "_state", None)
    try:
        metadata = state.get_widget_metadata(state.get_widget_id_from_key(key))
    except AttributeError:
        return
    with context.session_state.query_params() as params:
        if _same(value, default):
            if hasattr(params, "remove_param"):
                params.remove_param(key)
        elif metadata is not None and hasattr(params, "set_corrected_value"):
            params.set_corrected_value(key, metadata.serializer(value), metadata.value_type)


def _linked(
    label: str,
    key: str,
    make: Callable[[bool], Any],
    default: Any,
    link: list[str] | None = None,
    takes: str = "",
) -> Any:
    """Make the URL-bound widget `key`: make(True) creates it with its default, make(False)
    without, for a run where the page set its value through st.session_state (Streamlit would
    ignore the default and log a warning). A link is input too: when the widget does not start
    at the link's value (Streamlit 1.67 drops a value the widget cannot take, rounds a number
    between an integer slider's steps, keeps the known part of a multiselect's list, all without
    a word), a notice names the value, what the widget takes (`takes`: "a whole number from 2 to
    6", "one of: ...") and where it starts.

    default: the value the widget starts at without a link or a value set by code."""
    link = link or _link(key)
    by_code = _by_code(key)
    value = make(not by_code)
    if by_code:
        _link_follows(key, value, default)
    if link and not _link_means(link, value):
        shown = ",".join(link)
        start = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
        start = "nothing chosen" if value is None else start
        takes = f" ({takes})" if takes else ""
        notice(key, shown, f"does not fit {label}{takes}: it starts at {start}.")
    return value


def _same(value: Any, default: Any) -> bool:
    """A control's value equals its default (lists in order, as Streamlit compares them)."""
    if isinstance(value, list | tuple) or isinstance(default, list | tuple):
        return list(value or []) == list(default or [])
    return value == default


def _one_of(options: Sequence[Any]) -> str:
    """What a control with these options takes, in a notice (a long list is left out)."""
    return f"one of: {', '.join(map(str, options))}" if 0 < len(options) <= 10 else ""


def _set_link(key: str, text: str | list[str] | None) -> None:
    """Replace (or, with None, drop) the link's value for `key` (a list for a control of several
    values) before its widget reads it: in the address bar and in the copy of the link Streamlit
    seeds widgets from (1.67: a private field; where it is missing, the widget reads the link as
    it came)."""
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
            initial[key] = list(text) if isinstance(text, list) else [text]


def _option_link(key: str, options: Sequence[Any]) -> list[str] | None:
    """The link's value for a control with these options; a number written another way than
    its option (?sm_alpha=10 for the option 10.0, which Streamlit matches as text) is read as
    that option."""
    link = _link(key)
    if not link or any(link[-1] == str(option) for option in options):
        return link
    option = meant(link[-1], options)
    if option is None:
        return link
    _set_link(key, str(option))
    return [str(option)]


def _link_means(link: list[str], value: Any) -> bool:
    """True when the link's text is the widget's value: its last value for a single value (as
    Streamlit reads it), the same values in any order for a list (a multiselect, a range slider;
    a value written twice counts once; `?tags=` clears it). Numbers compare as numbers ("5"
    means 5.0)."""
    if isinstance(value, list | tuple):
        texts = set(link) - {""}
        return len(texts) == len(set(map(str, value))) and all(
            any(_link_means([text], item) for item in value) for text in texts
        )
    text = link[-1].strip()
    if isinstance(value, bool):
        return text.lower() == str(value).lower()
    if isinstance(value, int | float):
        try:
            return float(text) == float(value)
        except ValueError:
            return False
    return text == str(value)


def _or_none(value: Any, with_default: bool) -> Any:
    """A single value as the widget's default, or None (no default) when the page set it by
    code; a range (a pair) stays, since None would turn a range slider into a single one."""
    return value if with_default or isinstance(value, list | tuple) else None


def slider(label: str, min_value, max_value, value, key: str, **kwargs):
    """`st.slider` kept in the URL under `key`."""
    return _linked(
        label,
        key,
        lambda with_default: st.slider(
            label,
            min_value,
            max_value,
            _or_none(value, with_default),
            key=key,
            bind="query-params",
            **kwargs,
        ),
        value,
        takes=_range(min_value, max_value, value),
    )


def _range(min_value, max_value, value) -> str:
    """What a numeric control takes, in a notice: "a whole number from 2 to 6" for an integer
    control (a link's 5.5 is rounded), "from -10.0 to 10.0" otherwise."""
    bounds = [min_value, max_value, *(value if isinstance(value, list | tuple) else [value])]
    whole = all(isinstance(bound, int) and not isinstance(bound, bool) for bound in bounds)
    return f"{'a whole number ' if whole else ''}from {min_value} to {max_value}"


def _chosen(
    label: str, key: str, options: Sequence[Any], make: Callable[[bool], Any], default: Any
) -> Any:
    """A control that takes one of `options`, read from the link like the others."""
    return _linked(label, key, make, default, _option_link(key, options), _one_of(options))


def select_slider(label: str, options: Sequence[Any], value, key: str, **kwargs):
    """`st.select_slider` kept in the URL (useful for log-spaced values such as alpha)."""
    return _chosen(
        label,
        key,
        options,
        lambda with_default: st.select_slider(
            label,
            options=options,
            value=_or_none(value, with_default),
            key=key,
            bind="query-params",
            **kwargs,
        ),
        value,
    )


def _option(options: Sequence[Any], index: int | None) -> Any:
    """The option at `index` (None for no index): a select's or a radio's default."""
    return None if index is None else list(options)[index]


def _one_of_widget(widget, label: str, options: Sequence[Any], key: str, index, kwargs) -> Any:
    """A select box or radio (`widget`) kept in the URL, starting at options[index]."""
    return _chosen(
        label,
        key,
        options,
        lambda with_default: widget(
            label,
            options,
            index=index if with_default else None,
            key=key,
            bind="query-params",
            **kwargs,
        ),
        _option(options, index),
    )


def select(label: str, options: Sequence[Any], key: str, index: int | None = 0, **kwargs):
    """`st.selectbox` kept in the URL."""
    return _one_of_widget(st.selectbox, label, options, key, index, kwargs)


def radio(label: str, options: Sequence[Any], key: str, index: int | None = 0, **kwargs):
    """`st.radio` kept in the URL."""
    return _one_of_widget(st.radio, label, options, key, index, kwargs)


def _some_of_widget(
    widget, label, options: Sequence[Any], key: str, default, kept, kwargs, aliases=None
):
    """A multiselect or pills (`widget`) kept in the URL, starting at `default`; `kept` is that
    default as the widget's value reads. A link's value that plainly means one option (`meant`),
    or names one by an older name (`aliases`: old text -> option), is read as that option."""
    link = _link(key)
    if link:
        texts = [str(option) for option in options]
        aliases = aliases or {}
        read = [
            text if text in texts or not text
            else str(aliases.get(text) or meant(text, options) or text)
            for text in link
        ]  # fmt: skip
        if read != link:
            _set_link(key, read)
            link = read
    return _linked(
        label,
        key,
        lambda with_default: widget(
            label,
            options,
            default=default if with_default else None,
            key=key,
            bind="query-params",
            **kwargs,
        ),
        kept,
        link,
        takes=_one_of(options),
    )


def multiselect(label: str, options: Sequence[Any], default: Sequence[Any], key: str, **kwargs):
    """`st.multiselect` kept in the URL."""
    return _some_of_widget(
        st.multiselect, label, options, key, default, list(default or []), kwargs
    )


def pills(
    label: str,
    options: Sequence[Any],
    key: str,
    default: Any = None,
    aliases: dict[str, Any] | None = None,
    **kwargs,
):
    """`st.pills` kept in the URL; `aliases` maps names a link made before may use (the
    options' older texts) to the options."""
    return _some_of_widget(st.pills, label, options, key, default, default, kwargs, aliases)


def tabs(labels: Sequence[str], key: str) -> list:
    """`st.tabs` kept in the URL (the open tab under `key`); a link naming no tab is named."""
    link = _link(key)
    if link and link[-1] not in labels:
        label = meant(link[-1], labels)
        if label is not None:
            _set_link(key, label)
            link = [label]
    containers = st.tabs(list(labels), key=key, bind="query-params")
    if link and key not in st.query_params and link[-1] not in labels:
        notice(key, link[-1], "names no tab of this page: " + ", ".join(labels) + ".")
    return containers


def toggle(label: str, key: str, value: bool = False, **kwargs) -> bool:
    """`st.toggle` kept in the URL; a link may also say 1 / 0, yes / no or on / off."""
    link = _link(key)
    if link and switch(link[-1]) not in (None, link[-1]):
        link = [switch(link[-1])]
        _set_link(key, link[0])
    return _linked(
        label,
        key,
        lambda with_default: st.toggle(
            label, value=value and with_default, key=key, bind="query-params", **kwargs
        ),
        value,
        link,
    )


def number(label: str, min_value, max_value, value, key: str, **kwargs):
    """`st.number_input` kept in the URL. Streamlit 1.67 raises OverflowError when it seeds an
    integer input from `?seed=inf`, so a link value that is not a finite number is dropped before
    the widget reads it; the notice is the same as for any other value the input cannot take."""
    link = _link(key)
    if link and not _finite(link[-1]):
        _set_link(key, None)
    return _linked(
        label,
        key,
        lambda with_default: st.number_input(
            label,
            min_value=min_value,
            max_value=max_value,
            value=value if with_default else "min",
            key=key,
            bind="query-params",
            **kwargs,
        ),
        value,
        link,
        takes=_range(min_value, max_value, value),
    )


def _finite(text: str) -> bool:
    """False for a number Streamlit cannot seed an input with (inf, -inf, 1e309); True for
    anything else, which Streamlit checks itself."""
    try:
        return math.isfinite(float(text))
    except ValueError:
        return True


def text(label: str, value: str, key: str, **kwargs) -> str:
    """`st.text_input` kept in the URL. Any text is a value, but one longer than the field's
    max_chars is cut by the field: a notice says so (a cut formula read as a syntax error the
    link's author never wrote)."""
    by_code = _by_code(key)
    link, limit = _link(key), kwargs.get("max_chars")
    if link and limit and len(link[-1]) > limit:
        notice(
            key,
            link[-1][:40] + "…",
            f"is {len(link[-1])} characters long: {label} keeps its first {limit}.",
        )
    typed = st.text_input(
        label, value="" if by_code else value, key=key, bind="query-params", **kwargs
    )
    if by_code:
        _link_follows(key, typed, value)
    return typed
