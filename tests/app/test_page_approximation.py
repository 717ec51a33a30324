"""Universal approximation page: fits, exact pieces, sawtooth, bump constructions."""

import json
import re

import numpy as np
import pytest
from conftest import _open_page
from streamlit.testing.v1 import AppTest

from viz import approximation as viz
from viz import ui

PAGE = "pages/approximation.py"
NARROW, SAWTOOTH, BUMPS = "Narrow and deep", "Sawtooth", "Bumps"
SECTION_CHARTS = {  # each tab's charts, in page order; the fitting tool is open by default
    "Fit networks": ["ua_fits", "ua_errors"],
    NARROW: ["ua_narrow"],
    SAWTOOTH: ["ua_saw", "ua_depth_width", "ua_hanin"],
    BUMPS: ["ua_bump", "ua_bump_error"],
}


@pytest.fixture
def open_page():
    """Like the shared open_page, with a longer timeout: this page trains networks on a cold
    cache, which takes seconds alone and can take minutes on a machine shared with other jobs.
    """

    def open_slow(page, query=None):
        return _open_page(page, query, timeout=600)

    return open_slow


def test_the_page_names_a_target_too_large_and_fits_nothing(open_page, assert_page_ok):
    at = open_page(PAGE)
    at.selectbox(key="ua_target").set_value("formula").run()
    at.text_input(key="ua_formula").set_value("1e300 * x^2").run()
    assert not at.exception
    assert at.error[0].value == "This target cannot be used; the problem is shown below."
    assert "reaches 1e+300" in at.code[0].value and "scale it to at most" in at.code[0].value


# ---------------------------------------------------------------------------------- the page
def _metrics(at):
    return {metric.label: metric.value for metric in at.metric}


def test_page_defaults(open_page, assert_page_ok):
    at = open_page(PAGE)
    assert_page_ok(at)
    values = _metrics(at)
    assert values["Linear pieces on [0, 1] (exact count)"] == "8"
    assert values["2ᵏ"] == "8" and values["Parameters of the deep net"] == "19"
    table = at.table[0].value
    assert table.shape[0] == 4  # widths {8, 16} x depths {1, 2}
    # the lecture's columns come first, so they show without scrolling on a 1024 px screen
    assert list(table.columns[:3]) == ["network", "linear pieces (exact)", "test MSE"]
    assert list(table["network"]) == ["1 × 8", "1 × 16", "2 × 8", "2 × 16"]


def test_default_example_agrees_with_the_lecture(open_page):
    """At the defaults a deeper net beats the shallower one of the same width, and a wider
    one beats the narrower one of the same depth ("more depth is usually more helpful";
    "width controls how many linear pieces"); one hidden layer of n units has <= n + 1 pieces."""
    at = open_page(PAGE)
    table = at.table[0].value.set_index("network")
    mse = table["test MSE"]
    assert mse["2 × 8"] < mse["1 × 8"] and mse["2 × 16"] < mse["1 × 16"]
    assert mse["1 × 16"] < mse["1 × 8"] and mse["2 × 16"] < mse["2 × 8"]
    pieces = table["linear pieces (exact)"]
    assert pieces["1 × 8"] <= 9 and pieces["1 × 16"] <= 17
    assert pieces["2 × 8"] <= 9 * 9 and pieces["2 × 16"] <= 17 * 17  # prod (n_i + 1)


def test_theorem_states_its_conditions(open_page):
    at = open_page(PAGE)
    context = at.markdown[0].value
    for phrase in ("every continuous $f$ on a compact set", "non-polynomial", "finite for each"):
        assert phrase in context, phrase
    assert "infinitely" not in context
    assert r"\sigma\ \text{not a polynomial}" in at.latex[0].value


@pytest.mark.parametrize("k", [1, 12])
def test_sawtooth_pieces_are_two_to_the_k(open_page, assert_page_ok, k):
    at = open_page(PAGE, {"ua_k": k, "ua_section": SAWTOOTH})
    assert_page_ok(at)
    values = _metrics(at)
    assert values["Linear pieces on [0, 1] (exact count)"] == f"{2**k:,}"
    assert values["Parameters of the deep net"] == str(6 * k + 1)


@pytest.mark.parametrize("units", [1, 12, 200])
def test_hinge_construction_error_bound(open_page, assert_page_ok, units):
    at = open_page(PAGE, {"ua_kind": "relu", "ua_units": units, "ua_section": BUMPS})
    assert_page_ok(at)
    error = float(_metrics(at)["max |f(x) − h²(x)|"])
    # piecewise-linear interpolation of sin(pi x) with h = 2/n: error <= h^2 max|f''| / 8
    bound = (2 / units) ** 2 * np.pi**2 / 8
    assert error <= bound * (1 + 1e-3)  # the metric shows 4 significant digits
    # pieces: 1 + the number of knots where the chord slope of the interpolant changes
    knots = np.linspace(-1, 1, units + 1)
    slopes = np.diff(np.sin(np.pi * knots)) / np.diff(knots)
    changes = np.abs(np.diff(slopes)) > 1e-9 * np.max(np.abs(slopes))
    assert _metrics(at)["Linear pieces"] == str(1 + int(changes.sum()))


@pytest.mark.parametrize(
    "query",
    [
        {"ua_mode": "equal budget"},
        {"ua_mode": "equal budget", "ua_budget": 2048, "ua_depths": ["1", "8"]},
        {"ua_epochs": 10},
        {"ua_hidden": "tanh"},
        {"ua_hidden": "abs"},
        {"ua_widths": "1", "ua_depths": "8"},
        {"ua_noise": 0.5},
        {"ua_seed": 9999},
        {"ua_seed": 9999, "ua_section": NARROW},
        {"ua_seed": 9999, "ua_section": SAWTOOTH},
        {"ua_target": "step"},
        {"ua_target": "step", "ua_section": NARROW},
        {"ua_target": "step", "ua_section": BUMPS},
        {"ua_target": "sawtooth", "ua_kind": "relu"},
        {"ua_target": "sawtooth", "ua_section": NARROW},
        {"ua_target": "sawtooth", "ua_kind": "relu", "ua_section": BUMPS},
        {"ua_target": "formula", "ua_formula": "exp(x) * cos(5*x)"},
        {"ua_target": "formula", "ua_formula": "exp(x) * cos(5*x)", "ua_section": NARROW},
        {"ua_target": "formula", "ua_formula": "exp(x) * cos(5*x)", "ua_section": BUMPS},
        {"ua_units": 1, "ua_kind": "step", "ua_tol": 0.3, "ua_section": BUMPS},
        {"ua_tol": 0.001, "ua_kind": "relu", "ua_section": BUMPS},
    ],
)
def test_page_widget_extremes(open_page, assert_page_ok, query):
    """Each extreme in every tab whose charts it changes (a closed tab builds no figure)."""
    assert_page_ok(open_page(PAGE, query))


@pytest.mark.parametrize("kind", ["step", "relu"])
def test_the_bumps_target_error_is_a_share_of_the_amplitude(open_page, kind):
    """The same setting asks as much of 1024 f as of f: both constructions are linear in f, so
    1024 f needs exactly the units f needs (1024 is a power of two: every rounding scales), for
    an error 1024 times as large. Before, 'error 0.03' asked 1024 f for 1/1024 of f's accuracy."""
    units = {}
    for scale in ("", "1024*"):
        query = {"ua_target": "formula", "ua_formula": f"{scale}sin(3*x)", "ua_section": BUMPS}
        at = open_page(PAGE, query | {"ua_kind": kind, "ua_tol": 0.01})
        assert not at.exception and not at.error
        [(label, value)] = [
            (label, value) for label, value in _metrics(at).items() if label.startswith("Units")
        ]
        units[scale] = (float(label.rsplit(" ", 1)[1]), value)
    # the labels give 3 digits: 0.01 of sin(3x)'s amplitude 1, and 10.24 of 1024's
    assert units[""][0] == 0.01 and units["1024*"][0] == 10.2
    assert units["1024*"][1] == units[""][1] != "over 4,000"


def test_budget_too_small_is_a_message(open_page):
    at = open_page(PAGE, {"ua_mode": "equal budget", "ua_budget": 16, "ua_depths": "8"})
    assert not at.exception
    assert any("too small" in error.value for error in at.error)


@pytest.mark.parametrize(
    ("formula", "column"),
    [
        ("import os", 0),
        ("__import__('os')", 0),
        ("sin(3*x) + 0.3*abs(x", 18),
        ("9**9**9 * x", None),
    ],
)
def test_bad_formula_is_one_message_in_monospace(open_page, formula, column):
    """The message appears once, as code (no Markdown eats '*' or '__'), caret under the column."""
    at = open_page(PAGE, {"ua_target": "formula", "ua_formula": formula})
    assert not at.exception
    assert len(at.error) == 1
    code = at.code[0].value
    if column is not None:
        formula_line, caret_line = code.split("\n")[-2:]
        assert formula_line == "  " + formula
        assert caret_line == "  " + " " * column + "^"
    else:
        assert "not finite" in code
    # the sections that need the target are skipped; the sawtooth still works
    assert not at.get("plotly_chart") or all(
        "Target and fitted" not in str(chart.proto.spec) for chart in at.get("plotly_chart")
    )
    assert _metrics(at)["2ᵏ"] == "8"


def test_no_width_chosen_is_a_hint(open_page):
    at = open_page(PAGE)
    at.multiselect(key="ua_widths").set_value([]).run()
    assert not at.exception and any("at least one width" in info.value for info in at.info)


def test_controls_follow_the_mode(open_page):
    at = open_page(PAGE)
    keys = (
        {w.key for w in at.multiselect}
        | {w.key for w in at.select_slider}
        | {w.key for w in at.text_input}
    )
    assert "ua_widths" in keys and "ua_budget" not in keys and "ua_lists" not in keys
    at = open_page(PAGE, {"ua_mode": "equal budget", "ua_epochs": 10})
    keys = {w.key for w in at.multiselect} | {w.key for w in at.select_slider}
    assert "ua_budget" in keys and "ua_depths" in keys and "ua_widths" not in keys
    at = open_page(PAGE, {"ua_mode": "width lists", "ua_epochs": 10})
    keys = {w.key for w in at.multiselect} | {w.key for w in at.select_slider}
    assert not {"ua_widths", "ua_budget", "ua_depths"} & keys
    assert at.text_input(key="ua_lists").value.startswith("1, 32, 2, 1")


def test_width_lists_mode(open_page, assert_page_ok):
    at = open_page(PAGE, {"ua_mode": "width lists", "ua_lists": "1, 32, 2, 1; 1, 2, 32, 1"})
    assert_page_ok(at)
    table = at.table[0].value
    assert list(table["network"]) == ["[1, 32, 2, 1]", "[1, 2, 32, 1]"]
    # (1 + 1) 32 + (32 + 1) 2 + (2 + 1) 1 = 133 = (1 + 1) 2 + (2 + 1) 32 + (32 + 1) 1
    assert list(table["parameters"]) == [133, 133]


def test_bad_width_list_is_a_message(open_page):
    at = open_page(PAGE, {"ua_mode": "width lists", "ua_lists": "1, 0, 1"})
    assert not at.exception and "between 1 and" in at.error[0].value


def test_depth_preset_shows_depth_winning_on_the_sawtooth(open_page):
    at = open_page(PAGE, {"ua_epochs": 10})
    at.button(key="ua_preset_depth").click().run()
    assert at.radio(key="ua_mode").value == "equal budget"
    assert at.selectbox(key="ua_target").value == "sawtooth"
    table = at.table[0].value.set_index("network")
    assert list(table.index) == ["1 × 85", "3 × 10"]
    assert table.loc["3 × 10", "test MSE"] < table.loc["1 × 85", "test MSE"]
    captions = " ".join(c.value for c in at.caption)
    assert "repeats one shape" in captions
    at.button(key="ua_preset_reset").click().run()
    assert at.radio(key="ua_mode").value == "width × depth"


def test_nine_networks_have_nine_different_line_styles(open_page, plotly_specs):
    at = open_page(PAGE, {"ua_widths": [4, 8, 16], "ua_depths": [1, 2, 3], "ua_epochs": 10})
    assert at.table[0].value.shape[0] == 9
    fits = plotly_specs(at)[0]
    styles = [
        (trace["line"]["color"], trace["line"].get("dash", "solid"))
        for trace in fits["data"]
        if trace.get("mode") == "lines" and trace["name"] != "target f(x)"
    ]
    assert len(styles) == 9 and len(set(styles)) == 9


def test_narrow_deep_construction_error(open_page):
    for layers in (1, 40):
        at = open_page(PAGE, {"ua_narrow_layers": layers, "ua_epochs": 10, "ua_section": NARROW})
        assert not at.exception and not at.error  # its chart was drawn too
        shown = float(_metrics(at)[f"Built, {layers} layers of 3: max |f − hᵏ|"])
        x = np.linspace(-1, 1, 20001)
        knots = np.linspace(-1, 1, layers + 2)
        error = np.max(np.abs(np.interp(x, knots, np.sin(np.pi * knots)) - np.sin(np.pi * x)))
        assert shown == pytest.approx(error, rel=1e-3)


def test_hanin_rolnick_caption_quotes_its_own_numbers(open_page):
    at = open_page(PAGE, {"ua_epochs": 10})
    text = " ".join(element.value for element in at.expander[0].markdown)
    shallow, deep = (
        float(v) for v in re.findall(r"give ([0-9.]+) pieces .* and ([0-9.]+) in 8", text)[0]
    )
    assert deep < shallow
    assert "whatever the depth" not in text


def test_bumps_text_counts_steps(open_page):
    at = open_page(PAGE, {"ua_epochs": 10})
    text = " ".join(element.value for element in at.markdown)
    assert "$n$ step units make $n$ steps ($n + 1$ levels)" in text and "n bumps" not in text


def test_dark_room_colours_come_from_its_palette(open_page, plotly_specs):
    """In the Dark room every colour a figure sets is one of the dark palette's (or its ink for
    the target): no light-palette indigo or wine on the dark background, no pale grey points.
    One quantity, one colour: a construction keeps its colour from the bump chart to the error
    chart; the narrow deep nets do not borrow the colours of the fitting tool's networks."""
    from viz import page_css, palette

    specs = {}
    for section in SECTION_CHARTS:  # a tab draws only its own charts
        at = open_page(PAGE, {"theme": "Dark room", "ua_epochs": 10, "ua_section": section})
        specs |= {c.proto.id: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    assert len(specs) == sum(len(keys) for keys in SECTION_CHARTS.values())

    def spec(name):
        return next(value for key, value in specs.items() if name in key)

    allowed = set(palette.DARK) | {page_css.DARK_TEXT}
    for key, figure in specs.items():
        for trace in figure["data"]:
            for part in ("line", "marker"):
                colour = trace.get(part, {}).get("color")
                if isinstance(colour, str):
                    assert colour in allowed, (key, trace.get("name"), colour)
    fits = spec("ua_fits")["data"]
    data = next(trace for trace in fits if trace["name"] == "training data")
    assert data["marker"]["color"] == palette.DARK[-1]
    networks = [t for t in fits if t["name"].endswith("params)") and t["mode"] == "lines"]
    network_colours = {t["line"]["color"] for t in networks}
    assert len(networks) == 4 and len(network_colours) == 4
    narrow = [t for t in spec("ua_narrow")["data"] if t["name"] != "target f(x)"]
    assert len(narrow) == 2 and not network_colours & {t["line"]["color"] for t in narrow}
    bump = next(t for t in spec("ua_bump")["data"] if t["name"].endswith("units"))
    step = next(t for t in spec("ua_bump_error")["data"] if t["name"] == "step")
    assert bump["name"] == "12 step units" and bump["line"]["color"] == step["line"]["color"]


def test_tables_put_the_lead_first_and_show_it_alone_in_presenter_mode(cells):
    """ui.table: a lecture table is an HTML table (read, not browsed) with the lead columns
    first, its cells formatted for reading but its values kept; in presenter mode only the lead;
    a long table (more than ui.GRID_ROWS rows) is the sortable data grid with the lead pinned."""
    script = """
import numpy as np, pandas as pd, streamlit as st
from viz import ui
st.session_state["presenter"] = {presenter}
rows = {rows}
data = pd.DataFrame({{"seconds": [0.5, 1.25] * rows, "test MSE": [1.5e-14, np.nan] * rows,
                     "network": ["1 × 8", "2 × 8"] * rows,
                     "linear pieces (exact)": [5, None] * rows,
                     "Pr": [1e-9, 0.25] * rows}})
ui.table(data, "t", lead=["network", "linear pieces (exact)", "test MSE", "absent"],
         formats={{"test MSE": "%.2e", "seconds": "%.2f"}}, lead_only_when_presenting=True)
"""
    normal = AppTest.from_string(script.format(presenter=False, rows=1)).run()
    assert not normal.exception and not normal.dataframe
    (table,) = normal.table
    columns = ["network", "linear pieces (exact)", "test MSE", "seconds", "Pr"]
    assert list(table.value.columns) == columns
    assert table.value["test MSE"].iloc[0] == 1.5e-14  # the value, not its text
    assert [ui._number(v) for v in (12.00004, 0.1, -0.0, np.float32(0.25), -np.inf, 123456.7)] == [
        "12", "0.1", "0", "0.25", "-inf", "1.235e+05"
    ]  # fmt: skip
    # whole numbers whole, a missing value an en dash, 1e-9 not rounded to 0.0000
    assert cells(table) == [["1 × 8", "5", "1.50e-14", "0.50", "1.000e-09"],
                             ["2 × 8", "–", "–", "1.25", "0.25"]]  # fmt: skip
    presenting = AppTest.from_string(script.format(presenter=True, rows=1)).run()
    assert not presenting.exception and not presenting.dataframe
    (shown,) = presenting.table
    assert list(shown.value.columns) == ["network", "linear pieces (exact)", "test MSE"]
    assert cells(shown) == [["1 × 8", "5", "1.50e-14"], ["2 × 8", "–", "–"]]
    rows = ui.GRID_ROWS // 2 + 1  # two rows each: one more than GRID_ROWS
    long = AppTest.from_string(script.format(presenter=False, rows=rows)).run()
    assert not long.exception and not long.table
    grid = long.dataframe[0]
    assert list(grid.value.columns) == columns and len(grid.value) == 2 * rows
    config = json.loads(grid.proto.columns)
    assert [name for name, c in config.items() if c.get("pinned")] == [
        "network", "linear pieces (exact)", "test MSE"
    ]  # fmt: skip
    assert config["test MSE"]["type_config"]["format"] == "%.2e"
    long_presenting = AppTest.from_string(script.format(presenter=True, rows=rows)).run()
    assert not long_presenting.dataframe and len(long_presenting.table[0].value) == 2 * rows


def test_charts_in_words_quote_the_pages_key_numbers(open_page):
    """The text alternatives lead with the page's own numbers: the sawtooth's 2^k pieces from
    6k + 1 parameters (closed forms), each fitted network's error and exact piece count."""
    at = open_page(PAGE, {"ua_k": 4, "ua_epochs": 10, "ua_section": SAWTOOTH})
    texts = " ".join(element.proto.body for element in at.get("html"))
    assert "4 layers of 2 ReLU units (25 parameters) give 16 linear pieces" in texts
    assert "rising from 0 to 1 and back 8 times; one hidden layer needs 15 units" in texts
    at = open_page(PAGE, {"ua_k": 4, "ua_epochs": 10, "ua_section": "Fit networks"})
    texts = " ".join(element.proto.body for element in at.get("html"))
    table = at.table[0].value.set_index("network")
    for network, row in table.iterrows():
        assert f"{network}: {row['test MSE']:.2e}, {row['linear pieces (exact)']} pieces" in texts


@pytest.mark.parametrize("section", [None, *SECTION_CHARTS])
def test_only_the_open_sections_charts_are_drawn_and_every_number_is_computed(open_page, section):
    query = {"ua_epochs": 10} | ({} if section is None else {"ua_section": section})
    at = open_page(PAGE, query)
    assert not at.exception and not at.error
    charts = SECTION_CHARTS[section or "Fit networks"]
    assert [c.key for c in at.get("plotly_chart")] == charts
    values = _metrics(at)  # every section's numbers, whichever tab is open
    assert {
        "Built, 5 layers of 3: max |f − hᵏ|",
        "Seeds tried (collapsed to a constant)",
        "Parameters of one hidden layer",
        "max |f(x) − h²(x)|",
        "Units needed for error 0.03",
    } <= set(values)
    assert any(label.startswith("Best test MSE") for label in values)
    assert values["Linear pieces on [0, 1] (exact count)"] == "8"
    table = at.table[0].value  # the exact piece counts, computed with the fitting tool closed too
    assert list(table["network"]) == ["1 × 8", "1 × 16", "2 × 8", "2 × 16"]
    assert table["linear pieces (exact)"].notna().all()
    text = " ".join(element.value for element in at.expander[0].markdown)
    assert re.search(r"16 neurons give [0-9.]+ pieces on average", text)


def _errors_figure_for(points):
    """errors_figure for networks at (parameters, test MSE, label), without training any."""
    fits = [
        type("FitStub", (), {"n_params": n, "test_mse": mse, "short_label": label})()
        for n, mse, label in points
    ]
    return viz.errors_figure(fits)


def test_errors_chart_names_points_by_the_legend_where_their_labels_would_collide():
    # the page's default four networks: 1 x 16 and 2 x 8 sit 48 parameters and 0.2 decades
    # apart, and their labels ran into each other at 1024 px in presenter type
    close = [
        (25, 5e-2, "1 × 8"),
        (49, 1.7e-3, "1 × 16"),
        (97, 1.1e-3, "2 × 8"),
        (321, 3e-4, "2 × 16"),
    ]
    fig = _errors_figure_for(close)
    assert all(trace.mode == "markers" for trace in fig.data)
    assert [trace.showlegend for trace in fig.data] == [True] * 4
    # two networks far apart keep their labels, and no legend repeats them
    far = [(25, 5e-2, "1 × 8"), (321, 3e-4, "2 × 16")]
    fig = _errors_figure_for(far)
    assert all(trace.mode == "markers+text" and not trace.showlegend for trace in fig.data)
    # side by side in parameters but decades apart in error: apart on the log axis too
    stacked = [(100, 1e-1, "a x b"), (110, 1e-4, "c x d")]
    assert all(t.mode == "markers+text" for t in _errors_figure_for(stacked).data)
