"""One quantity, one colour (and one dash) across a page's charts, in every theme.

Every page is run with AppTest in each theme, with each of its tabs open in turn (a closed tab
draws no charts); every chart's traces are collected and grouped by the quantity they draw. A
quantity is named by its trace's legend group, else its name, normalised by the table below
(written here, not taken from the app): the sigmoid is "σ(x)" in one chart and "sigmoid" in
another. A quantity drawn in two or more charts of a page must have one colour, and one dash
style where it is drawn as a line, in all of them.
"""

import json
import re

import pytest

from viz import ui

# page -> (its tab key, its tabs' labels); a page without tabs has (None, [None])
PAGES = {
    "pages/home.py": (None, [None]),
    "pages/activations.py": (
        "act_section",
        ["Curves and derivatives", "tanh and sigmoid", "|x| and symmetry"],
    ),
    "pages/softmax.py": (
        "sm_section",
        ["Normalise", "Translation", "Scaling: α", "Over-parameterised", "Overflow"],
    ),
    "pages/output_units.py": (None, [None]),
    "pages/gradients.py": (
        "gr_view",
        ["At initialisation", "After training", "Where gradients vanish or explode"],
    ),
    "pages/approximation.py": (
        "ua_section",
        ["Fit networks", "Narrow and deep", "Sawtooth", "Bumps"],
    ),
    "pages/width_depth.py": (
        "wd_section",
        ["Bottleneck", "Width first or last", "Depth on repeats"],
    ),
    "pages/hyperplane.py": (None, [None]),
    "pages/structure.py": ("st_section", ["Graph", "Heat maps"]),
    "pages/chain_rule.py": (None, [None]),
}
# the same quantity under another name: "σ(x)" is the sigmoid (the lecture's σ)
ALIASES = {
    "σ": "sigmoid",
    "σ(x)": "sigmoid",
    "sigmoid σ(x)": "sigmoid",
    "tanh(x)": "tanh",
    "relu(x)": "relu",
}


def quantity(trace: dict) -> str | None:
    """The quantity a trace draws: its legend group or name, without markup and "(x)"."""
    label = trace.get("legendgroup") or trace.get("name")
    if not label:
        return None
    label = re.sub(r"<[^>]+>", "", str(label)).strip()
    # a network named with its parameter count in one chart and without in another
    label = re.sub(r" \(\d[\d,]* params\)$", "", label)
    return ALIASES.get(label, ALIASES.get(label.lower(), label.lower()))


def look(trace: dict) -> tuple[str, str] | None:
    """(colour, dash) of a trace drawn in one colour; None for a colour scale or per point."""
    line = trace.get("line") or {}
    marker = trace.get("marker") or {}
    colour = line.get("color") if "lines" in str(trace.get("mode", "lines")) else None
    colour = colour or marker.get("color") or line.get("color")
    if not isinstance(colour, str):
        return None
    dash = line.get("dash") or "solid" if "lines" in str(trace.get("mode", "lines")) else "-"
    return colour.upper(), dash


def page_looks(open_page, page: str, theme: str) -> dict[str, dict[str, set]]:
    """quantity -> {chart key: {(colour, dash), ...}} over every tab of the page."""
    key, labels = PAGES[page]
    seen: dict[str, dict[str, set]] = {}
    for label in labels:
        query = {"theme": theme} | ({key: label} if key else {})
        at = open_page(page, query)
        assert not at.exception, at.exception
        for index, element in enumerate(at.get("plotly_chart")):
            chart = f"{label}/{element.proto.id or index}"
            for trace in json.loads(element.proto.spec)["data"]:
                name, shown = quantity(trace), look(trace)
                if name and shown and trace.get("type", "scatter") != "heatmap":
                    seen.setdefault(name, {}).setdefault(chart, set()).add(shown)
    return seen


@pytest.mark.parametrize("theme", list(ui.THEMES))
@pytest.mark.parametrize("page", list(PAGES))
def test_a_quantity_keeps_its_colour_across_the_pages_charts(open_page, page, theme):
    seen = page_looks(open_page, page, theme)
    clashes = {}
    for name, charts in seen.items():
        looks = {look for shown in charts.values() for look in shown}
        colours = {colour for colour, _ in looks}
        dashes = {dash for _, dash in looks if dash != "-"}  # "-": markers, no line
        if len(charts) > 1 and (len(colours) > 1 or len(dashes) > 1):
            clashes[name] = charts
    assert not clashes, f"{page} in {theme}: {clashes}"
