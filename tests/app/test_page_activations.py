"""AppTests for the activation-functions page, plus its figure helpers."""

import numpy as np
import pytest

import nncore as nn
from viz import activations as viz

PAGE = "pages/activations.py"


def test_defaults(open_page, assert_page_ok, metric, plotly_specs, decode):
    at = open_page(PAGE)
    assert_page_ok(at)
    table = at.dataframe[0].value.set_index("activation")
    assert set(table.index) == set(nn.ACTIVATIONS)
    assert table.loc["sigmoid", "sigma'(0)"] == pytest.approx(0.25)
    assert table.loc["tanh", "sigma'(0)"] == pytest.approx(1.0)
    assert table.loc["softplus", "sigma(probe)"] == pytest.approx(np.log(2.0))  # ln(1 + e^0)
    assert float(metric(at, "max |tanh(x) - (2 sigma(2x) - 1)|")) < 1e-12
    assert metric(at, "tanh'(0)") == "1.0000" and metric(at, "sigma'(0)") == "0.2500"
    # sigma and sigma' of the first panel (identity) against closed forms
    first = plotly_specs(at)[0]["data"]
    x = decode(first[0]["x"])
    np.testing.assert_allclose(decode(first[0]["y"]), x)
    np.testing.assert_allclose(decode(first[1]["y"]), np.ones_like(x))
    assert metric(at, "Best accuracy of one threshold on h (abs)") == "100.0%"


def test_sigmoid_panel_matches_the_closed_form(open_page, plotly_specs, decode):
    at = open_page(PAGE, {"act_range": 20.0})
    panels = plotly_specs(at)[0]["data"]
    sigma, grad = panels[2], panels[3]  # second activation: sigmoid
    x = decode(sigma["x"])
    assert x.min() == -20.0 and x.max() == 20.0
    closed = 1.0 / (1.0 + np.exp(-x))
    np.testing.assert_allclose(decode(sigma["y"]), closed, rtol=1e-12)
    np.testing.assert_allclose(decode(grad["y"]), closed * (1 - closed), rtol=1e-9, atol=1e-300)


def test_relu_cannot_separate_the_mirror_classes_with_one_unit(open_page, widget, metric):
    at = open_page(PAGE)
    widget(at, "act_fold_fn").set_value("relu").run()
    accuracy = float(metric(at, "Best accuracy of one threshold on h (relu)").rstrip("%"))
    assert accuracy < 90.0


def test_nothing_selected_explains_itself(open_page, widget):
    at = open_page(PAGE)
    widget(at, "act_show").set_value([]).run()
    assert not at.exception and not at.error
    assert "Choose at least one activation" in at.info[0].value
    assert len(at.get("plotly_chart")) == 2  # tanh and |x| sections still draw


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("act_range", [1.0, 20.0]),
        ("act_probe", [-10.0, 10.0]),
        ("act_depth", [1, 50]),
        ("act_fold_fn", list(nn.ACTIVATIONS)),
        ("act_theta", [0, 180]),
        ("act_bias", [-3.0, 3.0]),
        ("act_seed", [0, 9999]),
        ("act_show", [["sigmoid"], list(nn.ACTIVATIONS)]),
    ],
)
def test_every_widget_at_its_extremes(open_page, assert_page_ok, widget, key, values):
    at = open_page(PAGE)
    for value in values:
        widget(at, key).set_value(value).run()
        assert_page_ok(at)


def test_best_threshold_accuracy_matches_brute_force():
    rng = np.random.default_rng(0)
    for _ in range(20):
        h = np.round(rng.standard_normal(40), 1)  # ties included
        y = rng.integers(0, 2, 40)
        best = 0.0
        for t in np.concatenate([[h.min() - 1], np.unique(h)]):
            above = (h > t).astype(int)
            best = max(best, np.mean(above == y), np.mean((1 - above) == y))
        accuracy, threshold = viz.best_threshold_accuracy(h, y)
        assert accuracy == pytest.approx(best)
        above = (h > threshold).astype(int)
        assert max(np.mean(above == y), np.mean((1 - above) == y)) == pytest.approx(best)


def test_depth_factor_leaves_blocked_activations_out_of_the_log_axis():
    fig = viz.depth_factor_figure(["sigmoid", "relu"], 0.0, 5)
    assert [t.name for t in fig.data] == ["sigmoid"]
    np.testing.assert_allclose(fig.data[0].y, 0.25 ** np.arange(1, 6))
    assert "relu" in fig.layout.title.text
