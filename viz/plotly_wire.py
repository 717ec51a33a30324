"""How a chart goes to the browser: a figure plotly.js can take twice without drawing it twice.

Streamlit (1.67) mounts a new chart element whenever a figure changes (the element's id hashes the
figure), draws it with Plotly.react, and at once calls Plotly.react again with the same figure
passed through JSON (its theme step). plotly.js then compares the two figures, and two things in
plotly.py's output make it recalculate and redraw the whole chart although nothing changed:
the template (an object compared by identity; so is any dictionary in a value plotly.js
does not know the shape of, such as layout.meta) and numpy arrays, which plotly.py sends as base64
{dtype, bdata} objects that plotly.js cannot compare as arrays. That second draw was 100-200 ms of
a chart-heavy page's repaint in chromium (benchmarks/browser_latency.py).

`sent(fig)` is the figure as it should go: the template's entries written into the layout and the
traces (where the figure does not set them, as plotly.js applies a template), arrays as JSON
lists (non-finite values as null, which plotly.py also sends for NaN in a list), and a fixed
layout.datarevision, which tells plotly.js to leave equal-looking arrays alone. The chart looks
the same. A figure that changes is still a new element, drawn afresh.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
import plotly.graph_objects as go

# any constant: each changed figure is a new chart element, so its revision is never compared
# with another figure's; it only has to stay the same between the element's two draws
DATA_REVISION = "nnlab"
# template layout entries that style every subplot of their kind (xaxis styles xaxis2, ...)
SUBPLOT_KINDS = ("xaxis", "yaxis", "coloraxis", "geo", "polar", "scene", "ternary")
# template layout entries that style every item of a list
ITEM_DEFAULTS = {
    "annotationdefaults": "annotations",
    "shapedefaults": "shapes",
    "imagedefaults": "images",
    "sliderdefaults": "sliders",
    "updatemenudefaults": "updatemenus",
}


class SentFigure(go.Figure):
    """A figure whose to_dict() is the prepared dict. st.plotly_chart serialises a figure's
    to_dict() as it is; a plain dict it would first rebuild into a Figure (checking every entry
    again and putting plotly's default template back), and plotly.py's own to_dict turns numpy
    arrays into base64 objects."""

    def __init__(self, spec: dict[str, Any]):
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict[str, Any]:
        return self._spec


def sent(fig: go.Figure) -> SentFigure:
    """The figure with its template written in, its arrays as lists and a data revision."""
    template = fig.layout.template.to_plotly_json()
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)
    if isinstance(layout.get("meta"), dict):
        # the chart's words for viz.chart_text, read from the figure on the server; plotly.js
        # would compare the dictionary by identity and draw the chart again
        del layout["meta"]
    # plotly.js cycles through a trace type's template entries, trace by trace of that type
    seen: dict[str, int] = {}
    data = []
    for trace in fig.data:
        kind = trace.type or "scatter"
        entries = template.get("data", {}).get(kind)
        props = trace.to_plotly_json()
        if entries:
            entry = dict(entries[seen.get(kind, 0) % len(entries)])
            entry.pop("type", None)
            props = under(entry, props)
        seen[kind] = seen.get(kind, 0) + 1
        data.append(props)
    spec: dict[str, Any] = {
        "data": data,
        "layout": _layout_with_template(layout, template.get("layout", {}), data),
    }
    spec["layout"]["datarevision"] = DATA_REVISION
    if fig.frames:
        spec["frames"] = [frame.to_plotly_json() for frame in fig.frames]
    return SentFigure(listed(spec))


def under(base: dict, top: dict) -> dict:
    """`top` over `base`: top's entries win, nested dictionaries merged key by key."""
    merged = dict(base)
    for name, value in top.items():
        old = merged.get(name)
        both = isinstance(value, dict) and isinstance(old, dict)
        merged[name] = under(old, value) if both else value
    return merged


def merge_into(layout: go.Layout, name: str, updates: dict) -> None:
    """layout[name] updated like fig.update_layout(name=updates), by one assignment: plotly's
    update_layout costs about 2.4 ms a call (its relayout bookkeeping), the assignment 0.1 ms,
    and styling made four such calls on each chart of every rerun."""
    current = layout[name]
    base = current.to_plotly_json() if current is not None else {}
    layout[name] = under(base, updates)


def _layout_with_template(layout: dict, defaults: dict, data: list[dict]) -> dict:
    defaults = dict(defaults)
    kinds = {kind: defaults.pop(kind) for kind in SUBPLOT_KINDS if kind in defaults}
    items = {
        target: defaults.pop(name) for name, target in ITEM_DEFAULTS.items() if name in defaults
    }
    merged = under(defaults, layout)
    for kind in ("xaxis", "yaxis"):  # every cartesian chart has these two, set or not
        merged.setdefault(kind, {})
    no_grid = _category_axes(data)
    for name in list(merged):
        kind = subplot_kind(name)
        if kind in kinds and isinstance(merged[name], dict):
            own = layout.get(name) or {}
            merged[name] = under(kinds[kind], merged[name])
            if kind in ("xaxis", "yaxis"):
                merged[name].update(_switches(own, kinds[kind], grid=name not in no_grid))
    for target, item in items.items():
        if isinstance(merged.get(target), list):
            merged[target] = [under(item, entry) for entry in merged[target]]
    return merged


# an axis's switches and the values whose presence in the figure (not in its template) turns
# them on, as plotly.js decides (src/plots/cartesian/line_grid_defaults.js)
SWITCHES = {
    "showline": ("linecolor", "linewidth"),
    "showgrid": ("gridcolor", "gridwidth", "griddash"),
    "zeroline": ("zerolinecolor", "zerolinewidth"),
}


def _switches(own: dict, template: dict, grid: bool) -> dict:
    """The axis's showline, showgrid and zeroline as plotly.js would set them for the figure
    with its template: the figure's own, else the template's, else on when the figure itself
    sets a colour or width they name (a grid and a zero line also by default, except on a bar
    chart's category axis). Written in, the template's colours no longer turn them on."""
    switches = {}
    for switch, values in SWITCHES.items():
        if switch in own:
            continue
        default = grid and switch != "showline"
        switches[switch] = template.get(switch, default or any(own.get(v) for v in values))
    return switches


ORIENTED = {"bar", "box", "violin", "histogram", "funnel", "waterfall"}


def _category_axes(data: list[dict]) -> set[str]:
    """Layout names of the axes plotly.js draws without grid or zero line by default: the
    category axis of bars, boxes and histograms (x for vertical ones, y for horizontal)."""
    axes = set()
    for trace in data:
        kind = trace.get("type", "scatter")
        if kind not in ORIENTED:
            continue
        has_x, has_y = trace.get("x") is not None, trace.get("y") is not None
        if kind == "histogram":
            default = "h" if has_y and not has_x else "v"
        else:
            default = "h" if has_x and not has_y else "v"
        if trace.get("orientation", default) == "h":
            axes.add("yaxis" + trace.get("yaxis", "y")[1:])
        else:
            axes.add("xaxis" + trace.get("xaxis", "x")[1:])
    return axes


def subplot_kind(name: str) -> str | None:
    """'xaxis3' -> 'xaxis'; 'scene' -> 'scene'; 'legend' -> None."""
    for kind in SUBPLOT_KINDS:
        if name == kind or (name.startswith(kind) and name[len(kind) :].isdigit()):
            return kind
    return None


def listed(value: Any) -> Any:
    """numpy arrays (and plotly's base64 arrays) anywhere in `value` as (nested) lists;
    non-finite floats as None; dictionaries with their keys sorted."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc" and not np.isfinite(value).all():
            value = np.where(np.isfinite(value), value, None)
        return value.tolist()
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:  # plotly's own base64 form, e.g. a figure that
            return listed(typed_array(value))  # went through st.cache_data (pickled via to_dict)
        # keys in one order: a figure rebuilt from a cache lists them in another than when it
        # was made, and a different text is a new chart element, drawn again for nothing
        return {name: listed(value[name]) for name in sorted(value)}
    if isinstance(value, (list, tuple)):
        if not any(isinstance(entry, (np.ndarray, dict, list, tuple)) for entry in value):
            return value  # a list of numbers or strings: as it is
        return [listed(entry) for entry in value]
    return value


def typed_array(value: dict) -> np.ndarray:
    """plotly's {dtype, bdata[, shape]} typed array (dtype 'f8', 'i4', 'u1', ...) as numpy."""
    array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    shape = value.get("shape")
    if shape:
        array = array.reshape([int(n) for n in str(shape).split(",")])
    return array
