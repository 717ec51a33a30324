"""AppTests for the softmax page, checked against closed forms."""

import numpy as np
import pytest

from viz import softmax as viz

PAGE = "pages/softmax.py"
DEFAULT_Z = np.array([2.0, 1.0, 0.1, -1.0])


def closed_form_softmax(z, alpha=1.0):
    """e^{alpha z_i} / sum_j e^{alpha z_j}, written out independently (small z only)."""
    e = np.exp(alpha * (np.asarray(z, dtype=float) - np.max(z)))
    return e / e.sum()


def test_defaults_match_the_closed_form(open_page, assert_page_ok, metric, plotly_specs, decode):
    at = open_page(PAGE)
    assert_page_ok(at)
    expected = closed_form_softmax(DEFAULT_Z)
    bars = decode(plotly_specs(at)[0]["data"][0]["y"])
    np.testing.assert_allclose(bars, expected, rtol=1e-12)
    assert metric(at, "Largest probability") == f"{expected.max():.4f}"
    assert metric(at, "Predicted class") == "class 1"
    assert float(metric(at, r"$\max_i |\sigma(z + c)")) < 1e-12
    assert float(metric(at, r"$\max_i |\sigma(z)_i - \Pr")) < 1e-12
    assert metric(at, "Grid points where the decisions differ") == "0.0%"


def test_the_url_presets_the_logits(open_page, assert_page_ok, plotly_specs, decode):
    at = open_page(PAGE, {"sm_n": 2, "sm_z1": 3.0, "sm_z2": -1.0})
    assert_page_ok(at)
    bars = decode(plotly_specs(at)[0]["data"][0]["y"])
    # two classes: Pr(Y = 1) = sigma(z_1 - z_2)
    np.testing.assert_allclose(bars[0], 1 / (1 + np.exp(-4.0)), rtol=1e-12)


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("sm_n", [2, 6]),
        ("sm_z1", [-10.0, 10.0]),
        ("sm_z4", [-10.0, 10.0]),
        ("sm_c", [-1000.0, 1000.0]),
        ("sm_alpha", [0.001, 1000.0]),
        ("sm_region_seed", [0, 9999]),
        ("sm_big", [0.0, 10000.0]),
    ],
)
def test_every_widget_at_its_extremes(open_page, assert_page_ok, widget, key, values):
    at = open_page(PAGE)
    for value in values:
        widget(at, key).set_value(value).run()
        assert_page_ok(at)


def scaled_largest(at) -> float:
    """The alpha section's "Largest probability" (the second metric with that label)."""
    return float([m.value for m in at.metric if m.label == "Largest probability"][-1])


def test_alpha_extremes_give_uniform_and_one_hot(open_page, widget, metric):
    at = open_page(PAGE)
    widget(at, "sm_alpha").set_value(0.001).run()
    assert metric(at, "T = 1/alpha") == "1000"
    assert abs(scaled_largest(at) - 0.25) < 0.001  # alpha -> 0: uniform 1/n
    widget(at, "sm_alpha").set_value(1000.0).run()
    assert metric(at, "T = 1/alpha") == "0.001"
    # alpha -> infinity: z_1 = 2 beats z_2 = 1 by a factor e^{1000}: one-hot
    assert scaled_largest(at) == 1.0


def test_translation_by_a_thousand_changes_nothing(open_page, widget, metric, plotly_specs, decode):
    at = open_page(PAGE)
    widget(at, "sm_c").set_value(1000.0).run()
    shifted = decode(plotly_specs(at)[1]["data"][1]["y"])
    np.testing.assert_allclose(shifted, closed_form_softmax(DEFAULT_Z), rtol=1e-12)
    assert float(metric(at, r"$\max_i |\sigma(z + c)")) < 1e-12


def test_naive_formula_overflows_where_float64_does(open_page, widget):
    at = open_page(PAGE)
    widget(at, "sm_big").set_value(500.0).run()  # e^502 still fits in float64
    assert at.success and not at.warning
    widget(at, "sm_big").set_value(709.0).run()
    # float64 overflows past e^{ln(max)} = e^709.78: z_i + 709 > 709.78 for z_1 = 2, z_2 = 1
    expected = int(np.sum(DEFAULT_Z + 709.0 > np.log(np.finfo(np.float64).max)))
    assert expected == 2
    assert at.warning and f"overflowed to inf for {expected} logit(s)" in at.warning[0].value
    widget(at, "sm_big").set_value(1000.0).run()
    assert at.warning and "overflowed" in at.warning[0].value
    table = at.dataframe[-1].value
    assert list(table["naive Pr"]) == ["nan (inf / inf)"] * 4
    assert list(table["naive e^{z_i}"]) == ["inf (overflow)"] * 4
    stable = np.array([float(v) for v in table["stable Pr"]])
    np.testing.assert_allclose(stable, closed_form_softmax(DEFAULT_Z), rtol=1e-5)


def test_naive_softmax_reports_overflow_without_raising():
    with np.errstate(over="raise", invalid="raise"):
        probs, exps, problem = viz.naive_softmax(np.array([1000.0, 0.0]))
    assert np.isinf(exps[0]) and np.isnan(probs[0])
    assert "overflowed" in problem and "nan" in problem
    probs, _, problem = viz.naive_softmax(np.array([1.0, 0.0]))
    assert problem == ""
    np.testing.assert_allclose(probs[0], 1 / (1 + np.exp(-1.0)))


def test_reduced_model_regions_equal_the_full_model():
    rng = np.random.default_rng(3)
    regions = viz.linear_softmax_regions(rng.standard_normal((4, 2)), rng.standard_normal(4))
    np.testing.assert_allclose(regions["full"], regions["reduced"], atol=1e-12)
    np.testing.assert_allclose(regions["full"].sum(axis=1), 1.0)
