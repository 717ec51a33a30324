"""A chart is sent again only when what it shows changes.

Streamlit draws a plotly chart whose figure changed from scratch in the browser (30 to 250 ms a
chart), so a figure that differs only in the last bits of its numbers (a value recomputed along
another path: ||w|| from length (cos, sin)) costs a redraw nobody can see. For every page, move
each control once and check every chart whose figure changed: its numbers must differ by more than
rounding (relative 1e-9) somewhere.
"""

import json
import math

import pytest
from conftest import decode_plotly_array

from viz import navigation

PAGES = [entry[1] for entry in navigation.existing_pages()]
KINDS = ("slider", "select_slider", "selectbox", "radio", "toggle", "checkbox", "number_input")


def _plain(value):
    """The figure with every typed array decoded to a list of floats."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            return decode_plotly_array(value).astype(float).ravel().tolist()
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _same_to_rounding(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_to_rounding(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_to_rounding(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isfinite(a) and math.isfinite(b):
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    return a == b


def _move(widget) -> bool:
    """Set a neighbouring value; False if the widget cannot move."""
    kind = type(widget).__name__
    if getattr(widget, "disabled", False):
        return False
    if kind == "Slider":
        value = widget.value
        if isinstance(value, tuple):
            return False
        step = widget.step or 1
        widget.set_value(type(value)(value + step if value + step <= widget.max else value - step))
    elif kind in ("SelectSlider", "Selectbox", "Radio"):
        options = list(widget.options)
        if len(options) < 2:
            return False
        current = str(widget.value) if widget.value is not None else options[0]
        index = options.index(current) if current in options else 0
        widget.set_value(type(widget.value)(options[(index + 1) % len(options)]))
    elif kind in ("Toggle", "Checkbox"):
        widget.set_value(not widget.value)
    elif kind == "NumberInput":
        widget.increment()
    else:
        return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_no_chart_is_sent_again_for_rounding_alone(open_page, page):
    at = open_page(f"pages/{page}")
    assert not at.exception
    keys = [w.key for kind in KINDS for w in getattr(at, kind) if w.key]
    moved = 0
    for key in keys:
        before = [chart.proto.spec for chart in at.get("plotly_chart")]
        widgets = [w for kind in KINDS for w in getattr(at, kind) if w.key == key]
        if not widgets:
            continue
        try:
            if not _move(widgets[0]):
                continue
        except (ValueError, TypeError):  # an option the widget's type cannot round-trip
            continue
        at.run()
        assert not at.exception, key
        moved += 1
        after = [chart.proto.spec for chart in at.get("plotly_chart")]
        # a chart may come or go with a control (a tab's, a task's)
        for index, (old, new) in enumerate(zip(before, after, strict=False)):
            if old != new:
                assert not _same_to_rounding(_plain(json.loads(old)), _plain(json.loads(new))), (
                    f"{page}: moving {key} sent chart {index} again with only rounding changed"
                )
    assert moved >= 1, f"{page}: no control could be moved"
