"""Choosing width and depth: the bottleneck's floor, width first or last, depth on repeats."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from viz import width_depth as viz

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/width_depth.py"
SECTIONS = ["Bottleneck", "Width first or last", "Depth on repeats"]


@pytest.fixture
def open_page():
    """Like the shared open_page, with a longer timeout: this page trains networks on a cold
    cache, which takes seconds alone and can take minutes on a machine shared with other jobs.
    """

    def open_slow(page, query=None):
        at = AppTest.from_file(APP, default_timeout=600)
        for name, value in (query or {}).items():
            if isinstance(value, list):  # a multiselect: one URL value per chosen option
                at.query_params[name] = [str(item) for item in value]
            else:
                at.query_params[name] = (
                    str(value).lower() if isinstance(value, bool) else str(value)
                )
        at.run()
        return at.switch_page(page).run()

    return open_slow


def _floor_by_polynomials(n_points=60_000, degree=10):
    """min over directions u of the error of the best degree-10 polynomial in x u^T, for
    f = x1^2 - x2^2 + x1 x2 on uniform random points: an estimate independent of nncore's."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (n_points, 2))
    f = x[:, 0] ** 2 - x[:, 1] ** 2 + x[:, 0] * x[:, 1]
    best = np.inf
    for angle in np.radians(np.arange(0.0, 180.0, 1.0)):
        s = x @ np.array([np.cos(angle), np.sin(angle)])
        best = min(best, np.mean((f - np.polynomial.Polynomial.fit(s, f, degree)(s)) ** 2))
    return best


def test_parse_width_lists():
    assert viz.parse_width_lists("2,1,64,1; 2 64 1", 2) == [[2, 1, 64, 1], [2, 64, 1]]
    for text, message in [
        ("", "at least one"),
        ("2, 1", "no hidden layer"),
        ("1, 4, 1", "start with the input width 2"),
        ("2, 4, 2", "end with the output 1"),
        ("2, 0, 1", "between 1 and"),
        ("2, x, 1", "whole numbers"),
        ("2,,8,1", "an empty width in '2,,8,1'"),
        ("2, 8, 1,; 2, 4, 1", "an empty width in '2, 8, 1,'"),
        (";".join(["2, 3, 1"] * 7), "at most 6"),
    ]:
        with pytest.raises(ValueError, match=message):
            viz.parse_width_lists(text, 2)


def test_a_huge_target_is_named_and_large_numbers_read_in_scientific_notation(open_page):
    at = open_page(PAGE)
    at.text_input(key="wd_target").set_value("1e300 * x1^2").run()
    assert not at.exception
    assert at.error[0].value == "This target cannot be used; the problem is shown below."
    assert "reaches 1e+300 on [-1, 1]²" in at.code[0].value
    # within the bound the page fits it and writes its variance, not 150 digits of it
    at.text_input(key="wd_target").set_value("1e100 * x1").run()
    assert not at.exception and not at.error
    variance = {m.label: m.value for m in at.metric}["Variance of f (a constant's error)"]
    grid = np.linspace(-1.0, 1.0, viz.GRID_2D)  # x1 on the 61 x 61 grid: var = 1e200 E[x1^2]
    assert variance == f"{1e200 * np.mean(grid**2):.3e}"  # 3.444e+199, not its 200 digits
    # and a tiny one: not 0.000
    at.text_input(key="wd_target").set_value("1e-100 * x1").run()
    variance = {m.label: m.value for m in at.metric}["Variance of f (a constant's error)"]
    assert variance == f"{1e-200 * np.mean(grid**2):.3e}"
    # one whose variance would underflow to 0: named, not shown as a perfect fit
    at.text_input(key="wd_target").set_value("1e-300 * x1").run()
    assert not at.exception
    assert "varies by only 2e-300 on [-1, 1]²" in at.code[0].value


def test_the_comparison_does_not_depend_on_the_targets_units(open_page):
    """1024 f (a power of two, so every rounding scales with it) gives every network exactly
    1024^2 times the error of f, and the same input directions: the networks train on a
    standard scale. Before, a target of 1000 x1^2 let a bottleneck [2, 2, 64, 1] beat the
    full [2, 64, 1] by ninefold, since Adam could not reach the target's scale."""
    query = {"wd_epochs": 100, "wd_seeds": 1}
    tables = []
    for target in ["x1^2 - x2^2 + x1*x2", "1024*(x1^2 - x2^2 + x1*x2)"]:
        at = open_page(PAGE, {**query, "wd_target": target})
        assert not at.exception and not at.error
        tables.append(at.table[0].value.set_index("network"))
    small, large = tables
    np.testing.assert_array_equal(
        large["test MSE (median)"].to_numpy(), 1024**2 * small["test MSE (median)"].to_numpy()
    )
    assert list(large["input directions used"]) == list(small["input directions used"])
    assert (
        small.loc["[2, 64, 1]", "test MSE (median)"]
        < small.loc["[2, 2, 64, 1]", "test MSE (median)"]
    )


@pytest.mark.slow
def test_defaults_teach_what_the_numbers_say(open_page, assert_page_ok):
    at = open_page(PAGE)
    assert_page_ok(at)
    metrics = {element.label: element.value for element in at.metric}
    floor = float(metrics["Best error of any g(x uᵀ)"])
    assert floor == pytest.approx(_floor_by_polynomials(), abs=0.004)
    bottleneck = at.table[0].value.set_index("network")
    # a width-1 layer: one input direction, an error at or above the floor (median of 3 seeds)
    assert bottleneck.loc["[2, 1, 64, 1]", "input directions used"] == 1
    assert bottleneck.loc["[2, 1, 64, 1]", "test MSE (median)"] >= 0.95 * floor
    assert bottleneck.loc["[2, 64, 1]", "input directions used"] == 2
    assert bottleneck.loc["[2, 64, 1]", "test MSE (median)"] < floor / 50
    # width first beats width last at 133 parameters; a wide layer after a narrow one helps
    one_input = at.table[1].value.set_index("network")
    mse = one_input["test MSE (median)"]
    assert one_input.loc["[1, 32, 2, 1]", "parameters"] == 133
    assert one_input.loc["[1, 2, 32, 1]", "parameters"] == 133
    assert mse["[1, 32, 2, 1]"] < mse["[1, 2, 32, 1]"] < mse["[1, 2, 2, 1]"]
    verdicts = " ".join(element.value for element in at.markdown if element.value.startswith("- "))
    assert "worse at the same parameter count" in verdicts and "not without value" in verdicts
    # depth on two targets, equal budget: the wide layer wins the sine, depth the sawtooth
    depth = at.table[2].value
    by = {(row["target"], row["network"]): row["test MSE"] for _, row in depth.iterrows()}
    assert by[("sine", "1 × 85")] < by[("sine", "3 × 10")]
    assert by[("sawtooth", "3 × 10")] < by[("sawtooth", "1 × 85")]
    bounds = {
        row["network"]: row["most pieces possible, ∏ (nᵢ + 1)"] for _, row in depth.iterrows()
    }
    assert bounds["1 × 85"] == 86 and bounds["3 × 10"] == 11**3


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_depth_comparison_holds_for_other_seeds(open_page, seed):
    at = open_page(
        PAGE,
        {"wd_depth_seed": seed, "wd_seeds": 1, "wd_lists2": "2, 64, 1", "wd_lists1": "1, 4, 1"},
    )
    depth = at.table[2].value
    by = {(row["target"], row["network"]): row["test MSE"] for _, row in depth.iterrows()}
    assert by[("sine", "1 × 85")] < by[("sine", "3 × 10")]
    assert by[("sawtooth", "3 × 10")] < by[("sawtooth", "1 × 85")]


@pytest.mark.parametrize(
    "query",
    [
        {"wd_lists2": "2, 1, 1", "wd_lists1": "1, 1, 1", "wd_epochs": 100},
        {"wd_hidden": "tanh", "wd_lists2": "2, 3, 1", "wd_lists1": "1, 2, 1", "wd_epochs": 100},
        {"wd_target": "sin(3*x1) * x2", "wd_lists2": "2, 4, 1", "wd_lists1": "1, 4, 1"},
        {"wd_target1": "step", "wd_lists2": "2, 2, 1", "wd_lists1": "1, 8, 8, 1"},
    ],
)
def test_widget_extremes(open_page, assert_page_ok, query):
    for section in SECTIONS:  # each tab's chart drawn in turn; the training is cached after one
        at = open_page(PAGE, {"wd_seeds": 1, "wd_depth_seed": 9999, "wd_section": section, **query})
        assert_page_ok(at)


def test_width_one_always_leaves_one_direction(open_page):
    at = open_page(
        PAGE, {"wd_seeds": 1, "wd_epochs": 100, "wd_lists2": "2, 1, 8, 1", "wd_lists1": "1, 2, 1"}
    )
    table = at.table[0].value
    assert list(table["input directions used"]) == [1]
    assert list(table["parameters"]) == [3 + 2 * 8 + 9]  # (2 + 1) 1 + (1 + 1) 8 + (8 + 1) 1


def test_bad_inputs_are_messages(open_page):
    at = open_page(PAGE, {"wd_seeds": 1, "wd_lists2": "3, 4, 1", "wd_lists1": "1, 2, 1"})
    assert not at.exception and "start with the input width 2" in at.error[0].value
    at = open_page(PAGE, {"wd_seeds": 1, "wd_target": "__import__('os')", "wd_lists1": "1, 2, 1"})
    assert not at.exception and len(at.error) == 1
    assert "__import__" in at.code[0].value


@pytest.mark.parametrize(
    ("section", "chart"),
    [
        (None, "wd_strip"),  # no tab named: the link sets wd_lists1, so its tab opens
        ("Bottleneck", "wd_surfaces"),
        ("Width first or last", "wd_strip"),
        ("Depth on repeats", "wd_depth_two"),
    ],
)
def test_only_the_open_sections_chart_is_drawn_and_every_number_is_computed(
    open_page, section, chart
):
    query = {"wd_seeds": 1, "wd_epochs": 100, "wd_lists2": "2, 4, 1", "wd_lists1": "1, 4, 1"}
    at = open_page(PAGE, query if section is None else {**query, "wd_section": section})
    assert not at.exception and not at.error
    assert [c.key for c in at.get("plotly_chart")] == [chart]
    labels = {m.label for m in at.metric}  # every section's numbers, whichever tab is open
    assert {"Best error of any g(x uᵀ)", "Variance of f (a constant's error)"} <= labels
    assert {"sine: test MSE of 1 × 85 / 3 × 10", "sawtooth: test MSE of 1 × 85 / 3 × 10"} <= labels
    bottleneck, one_input, depth = (t.value for t in at.table)
    assert list(bottleneck["network"]) == ["[2, 4, 1]"]
    assert list(one_input["network"]) == ["[1, 4, 1]"]
    assert set(depth["network"]) == {"1 × 85", "3 × 10"}


def test_the_depth_section_says_which_settings_it_uses(open_page):
    """The tour: Hidden units, Epochs and Seeds per network sit above the tabs, but the depth
    section always trains ReLU for 300 epochs with one seed, and said "300 epochs" while the
    Epochs slider showed 200. The page says, beside the controls and in the section, that the
    section keeps the approximation page's preset instead."""
    from viz.approximation_runs import DEPTH_EPOCHS, PRESETS

    query = {"wd_seeds": 1, "wd_epochs": 100, "wd_lists2": "2, 4, 1", "wd_lists1": "1, 4, 1"}
    at = open_page(PAGE, {**query, "wd_section": "Depth on repeats"})
    assert not at.exception
    assert at.select_slider(key="wd_epochs").value == 100
    beside = [c.value for c in at.caption if "Section 3" in c.value]
    assert len(beside) == 1 and "apply to sections 1 and 2" in beside[0]
    assert f"ReLU units, {DEPTH_EPOCHS} epochs and one seed" in beside[0]
    (said,) = [box.value for box in at.info if "does not use" in box.value]
    assert "Hidden units, Epochs and Seeds per network" in said
    assert f"ReLU units for {DEPTH_EPOCHS} epochs with one seed" in said
    preset = PRESETS["depth wins"]
    assert (preset["ua_hidden"], preset["ua_epochs"]) == ("relu", DEPTH_EPOCHS)
    # no sentence elsewhere on the page names an epoch count the controls contradict
    text = " ".join(m.value for m in at.markdown)
    assert "epochs)" not in text
