"""AppTests for the softmax page, checked against closed forms."""

import math

import numpy as np
import pytest

from viz import softmax as viz

PAGE = "pages/softmax.py"
SCALING = "Scaling: α"
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
    assert float(metric(at, "maxᵢ |softmax(z + c)")) < 1e-12
    assert float(metric(at, "maxᵢ |softmax(z)ᵢ − Pr")) < 1e-12
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
    assert metric(at, "T = 1/α") == "1000"
    assert abs(scaled_largest(at) - 0.25) < 0.001  # alpha -> 0: uniform 1/n
    widget(at, "sm_alpha").set_value(1000.0).run()
    assert metric(at, "T = 1/α") == "0.001"
    # alpha -> infinity: z_1 = 2 beats z_2 = 1 by a factor e^{1000}: one-hot
    assert scaled_largest(at) == 1.0


def test_translation_by_a_thousand_changes_nothing(open_page, widget, metric, plotly_specs, decode):
    at = open_page(PAGE, {"sm_section": "Translation"})
    widget(at, "sm_c").set_value(1000.0).run()
    shifted = decode(plotly_specs(at)[0]["data"][1]["y"])
    np.testing.assert_allclose(shifted, closed_form_softmax(DEFAULT_Z), rtol=1e-12)
    assert float(metric(at, "maxᵢ |softmax(z + c)")) < 1e-12


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
    table = at.table[-1].value
    assert list(table["naive Pr"]) == ["nan (inf / inf)"] * 4
    assert list(table["naive exp(α zᵢ)"]) == ["inf (overflow)"] * 4
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


def test_overflow_section_uses_the_pages_alpha_and_no_raw_braces(open_page, widget):
    at = open_page(PAGE)
    widget(at, "sm_big").set_value(10.0).run()
    assert at.success and not at.warning  # alpha = 1: e^12 fits
    widget(at, "sm_alpha").set_value(100.0).run()
    # alpha = 100: alpha (z_i + 10) > 709.78 for z = 2, 1, 0.1 (1010 ... 1200), not for -1 (900)
    big = DEFAULT_Z + 10.0
    expected = int(np.sum(100.0 * big > np.log(np.finfo(np.float64).max)))
    assert expected == 4
    warning = at.warning[0].value
    assert r"$\alpha = 100$" in warning and f"overflowed to inf for {expected} logit(s)" in warning
    assert "{" not in warning and "}" not in warning
    table = at.table[-1].value
    stable = np.array([float(v) for v in table["stable Pr"]])
    np.testing.assert_allclose(stable, closed_form_softmax(big, alpha=100.0), rtol=1e-5, atol=1e-12)
    assert any(r"$\alpha = 100$" in caption.value for caption in at.caption)


def test_negative_shift_is_written_as_a_minus(open_page, widget, plotly_specs):
    at = open_page(PAGE, {"sm_section": "Translation"})
    widget(at, "sm_c").set_value(-1000.0).run()
    names = [trace["name"] for trace in plotly_specs(at)[0]["data"]]
    assert "softmax(z − 1000)" in names
    assert not any("+ -" in name or "+ −" in name for name in names)


def test_tied_maxima_split_the_mass(open_page, widget, plotly_specs, decode):
    at = open_page(PAGE, {"sm_section": SCALING})
    widget(at, "sm_z2").set_value(2.0).run()  # z_1 = z_2 = 2, the largest
    widget(at, "sm_alpha").set_value(1000.0).run()
    assert scaled_largest(at) == pytest.approx(0.5)
    caption = next(c.value for c in at.caption if "tie for the largest" in c.value)
    assert "$z_{1}$, $z_{2}$" in caption and "0.5000" in caption
    sweep = next(s for s in plotly_specs(at) if "α → ∞" in s["layout"]["title"]["text"])
    ends = [decode(trace["y"])[-1] for trace in sweep["data"][:2]]
    np.testing.assert_allclose(ends, [0.5, 0.5])  # closed form: e^{1000*2} / (2 e^{1000*2})


def test_alpha_is_explained_as_an_inverse_temperature(open_page):
    at = open_page(PAGE)
    header = at.markdown[0].value
    assert "inverse temperature" in header and r"$T = 1/\alpha$" in header


def test_translation_invariance_is_named_as_the_over_parameterisation(open_page):
    at = open_page(PAGE)
    caption = next(c.value for c in at.caption if c.value.startswith("With $n = 2$"))
    assert "Translation invariance is this over-parameterisation" in caption


def test_class_colours_come_from_the_palette_in_order(open_page, widget, plotly_specs):
    from viz import ui

    at = open_page(PAGE, {"sm_n": 6, "sm_section": SCALING})
    sweep = next(s for s in plotly_specs(at) if "α → ∞" in s["layout"]["title"]["text"])
    line_colours = [trace["line"]["color"] for trace in sweep["data"]]
    assert line_colours == ui.OKABE_ITO[:6]
    at = open_page(PAGE, {"sm_n": 6, "sm_section": "Over-parameterised"})
    regions = next(s for s in plotly_specs(at) if s["data"] and s["data"][0]["type"] == "heatmap")
    scale = [colour for _, colour in regions["data"][0]["colorscale"]]
    assert scale[::2] == ui.OKABE_ITO[:6]  # each class a flat band of its own colour
    # neighbouring classes never get Okabe-Ito's two oranges (orange and vermillion)
    oranges = {"#E69F00", "#D55E00"}
    assert not any({a, b} == oranges for a, b in zip(scale[::2], scale[2::2], strict=False))


def test_metric_labels_are_plain_text(open_page):
    """KaTeX in a metric label wrapped one character per line in presenter mode."""
    at = open_page(PAGE, {"presenter": True})
    assert not at.exception and not at.error
    assert not [m.label for m in at.metric if "$" in m.label]


def test_decision_regions_carry_their_class_numbers(open_page, plotly_specs, decode):
    at = open_page(PAGE, {"sm_section": "Over-parameterised"})
    spec = next(s for s in plotly_specs(at) if "Decision regions" in s["layout"]["title"]["text"])
    for heat in (t for t in spec["data"] if t["type"] == "heatmap"):
        axis = heat["xaxis"] if "xaxis" in heat else "x"
        present = {int(v) for v in np.unique(decode(heat["z"]))}
        written = {int(a["text"]) for a in spec["layout"]["annotations"] if a.get("xref") == axis}
        assert written == present


def test_alpha_sweep_classes_differ_by_line_pattern(open_page, plotly_specs):
    at = open_page(PAGE, {"sm_section": SCALING})
    sweep = next(s for s in plotly_specs(at) if "α → ∞" in s["layout"]["title"]["text"])
    dashes = [trace["line"]["dash"] for trace in sweep["data"] if trace["name"].startswith("class")]
    assert len(dashes) == 4 and len(set(dashes)) == 4


@pytest.mark.parametrize(
    ("section", "chart"),
    [
        (None, "sm_bars"),
        ("Normalise", "sm_bars"),
        ("Translation", "sm_shift_bars"),
        (SCALING, "sm_alpha_sweep"),
        ("Over-parameterised", "sm_regions"),
        ("Overflow", None),
    ],
)
def test_only_the_open_sections_chart_is_drawn_and_every_number_is_computed(
    open_page, section, chart
):
    at = open_page(PAGE, {} if section is None else {"sm_section": section})
    assert not at.exception and not at.error
    assert [c.key for c in at.get("plotly_chart")] == ([chart] if chart else [])
    labels = {m.label for m in at.metric}  # every section's numbers, whichever tab is open
    assert {
        "Sum of probabilities",
        "T = 1/α",
        "Grid points where the decisions differ",
    } <= labels
    assert any("maxᵢ |softmax(z + c)" in label for label in labels)
    columns = [set(t.value.columns) for t in at.table]
    assert any("Pr(Y = i | x)" in c for c in columns) and any("naive Pr" in c for c in columns)


@pytest.mark.parametrize(
    ("query", "chart"),
    [
        ({"sm_alpha": 10.0}, "sm_alpha_sweep"),  # the README's bookmark, made before the tabs
        ({"sm_c": -5.0}, "sm_shift_bars"),
        ({"sm_region_seed": 3}, "sm_regions"),
        ({"sm_alpha": 10.0, "sm_section": "Translation"}, "sm_shift_bars"),  # a named tab wins
        ({"sm_n": 3}, "sm_bars"),  # a control above the tabs opens none
    ],
)
def test_a_link_to_a_tabs_control_opens_that_tab(open_page, query, chart):
    at = open_page(PAGE, query)
    assert not at.exception and not at.error
    assert [c.key for c in at.get("plotly_chart")] == [chart]


def test_moving_a_control_of_a_closed_tab_does_not_switch_tabs(open_page, widget):
    """The link decides the open tab once per page load: a later change of a closed tab's
    control (it reaches the URL too) leaves the student's tab alone."""
    at = open_page(PAGE)
    widget(at, "sm_alpha").set_value(100.0).run()
    assert not at.exception
    assert [c.key for c in at.get("plotly_chart")] == ["sm_bars"]


def test_opened_by_must_name_a_tab():
    from viz import sections

    with pytest.raises(ValueError, match="opened_by names no tab"):
        sections.tabs(["One", "Two"], key="x_section", opened_by={"Three": ["x"]})


@pytest.mark.parametrize("alpha", [0.001, 1.0, 10.0, 1000.0])
def test_the_alpha_label_sits_on_its_line(open_page, plotly_specs, alpha):
    """On a log axis an annotation's x is log10 of the value (a shape's is the value): the label
    "alpha = 10" once sat at alpha = 1e10 and stretched the axis to 1e13."""
    at = open_page(PAGE, {"sm_alpha": alpha})
    sweep = next(s for s in plotly_specs(at) if "α → ∞" in s["layout"]["title"]["text"])
    (line,) = [s for s in sweep["layout"]["shapes"] if s["type"] == "line" and s["x0"] == s["x1"]]
    assert line["x0"] == alpha
    (label,) = [a for a in sweep["layout"]["annotations"] if a["text"].startswith("α =")]
    assert label["x"] == pytest.approx(math.log10(alpha))
    assert 10 ** label["x"] <= 1000 * (1 + 1e-12)  # inside the swept range 1e-3 .. 1e3
