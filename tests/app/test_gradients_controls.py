"""Gradients page, its controls via AppTest: every widget at its extremes on each tab, every
activation on each tab, a changed widget changes the numbers, and switching tabs computes only
the open one."""

import pytest
from gradients_helpers import MAP, PAGE, TRAINING

import nncore as nn

EXTREMES = [
    {"gr_depth": 1},
    {"gr_depth": 30},
    {"gr_width": 4},
    {"gr_width": 256},
    {"gr_epochs": 0},
    {"gr_epochs": 20, "gr_depth": 2, "gr_width": 16},
    {"gr_init": "zeros"},
    {"gr_init": "normal", "gr_act": "relu"},
    {"gr_seed": 9999},
    {"gr_act": "identity", "gr_init": "he", "gr_depth": 30},
    {"gr_depth": 30, "gr_width": 256, "gr_epochs": 1},
]


@pytest.mark.parametrize("view", [None, TRAINING])
@pytest.mark.parametrize("query", EXTREMES)
def test_page_widget_extremes(open_page, assert_page_ok, query, view):
    at = open_page(PAGE, query if view is None else {**query, "gr_view": view})
    assert_page_ok(at)


# the map depends only on the activation (every one below), the width (capped at 128) and the seed
@pytest.mark.parametrize("query", [{"gr_width": 4}, {"gr_width": 256}, {"gr_seed": 9999}])
def test_page_map_extremes(open_page, assert_page_ok, query):
    at = open_page(PAGE, {**query, "gr_view": MAP})
    assert_page_ok(at)
    assert [chart.key for chart in at.get("plotly_chart")] == ["gr_phase"]


@pytest.mark.parametrize("view", [None, TRAINING, MAP])
@pytest.mark.parametrize("activation", [name for name in nn.ACTIVATIONS])
def test_page_every_activation(open_page, assert_page_ok, activation, view):
    query = {"gr_act": activation, "gr_depth": 3, "gr_epochs": 1}
    at = open_page(PAGE, query if view is None else {**query, "gr_view": view})
    assert_page_ok(at)


def test_page_widget_change_updates_numbers(open_page):
    at = open_page(PAGE)
    before = at.metric[1].value
    at.selectbox(key="gr_act").select("tanh").run()
    at.selectbox(key="gr_init").select("glorot").run()
    assert not at.exception
    assert at.metric[1].value != before
    assert any(md.value.startswith("**Healthy at initialisation.**") for md in at.markdown)


def test_page_switching_tabs_computes_the_open_one(open_page):
    at = open_page(PAGE)
    assert len(at.get("plotly_chart")) == 3
    at.session_state["gr_view"] = MAP
    at.run()
    assert not at.exception
    assert [chart.key for chart in at.get("plotly_chart")] == ["gr_phase"]
