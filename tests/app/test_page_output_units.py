"""AppTests for the output-units page, checked against closed forms."""

import numpy as np
import pytest

from viz import output_units as viz

PAGE = "pages/output_units.py"


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_regression_defaults(open_page, assert_page_ok, metric):
    at = open_page(PAGE)
    assert_page_ok(at)
    table = at.table[0].value
    by_hand = float(np.sum((table["hᵏᵢ"] - table["yᵢ"]) ** 2))
    assert float(metric(at, "l = nn.mse(hᵏ, y)")) == pytest.approx(by_hand, abs=1e-4)
    assert len(table) == 3


@pytest.mark.parametrize("z", [-10.0, 0.0, 10.0])
def test_binary_log_odds(open_page, widget, metric, z):
    at = open_page(PAGE, {"ou_task": "Binary"})
    widget(at, "ou_z").set_value(z).run()
    assert not at.exception and not at.error
    assert metric(at, "Pr(Y = 1) = σ(z)") == f"{sigmoid(z):.4f}"
    assert float(metric(at, "ln odds recovered from p")) == pytest.approx(z, abs=1e-4)
    assert float(metric(at, "odds")) == pytest.approx(np.exp(z), rel=1e-3)


@pytest.mark.parametrize(("z0", "z1"), [(-10.0, 10.0), (10.0, -10.0), (3.0, 3.0)])
def test_two_logit_form(open_page, widget, metric, z0, z1):
    at = open_page(PAGE, {"ou_task": "Binary"})
    widget(at, "ou_z0").set_value(z0).run()
    widget(at, "ou_z1").set_value(z1).run()
    expected = np.exp(z1) / (np.exp(z0) + np.exp(z1))
    assert metric(at, "Pr(Y = 1) = exp z₁ / (exp z₀ + exp z₁)") == f"{expected:.4f}"
    assert metric(at, "σ(z₁ − z₀)") == f"{expected:.4f}"


@pytest.mark.parametrize(("n_classes", "true_class"), [(2, 1), (8, 8), (3, 8)])
def test_multiclass_cross_entropy(open_page, widget, metric, n_classes, true_class):
    at = open_page(PAGE, {"ou_task": "Multiclass"})
    widget(at, "ou_nc").set_value(8).run()
    widget(at, "ou_y").set_value(true_class).run()
    widget(at, "ou_nc").set_value(n_classes).run()  # fewer classes: y follows
    assert not at.exception and not at.error
    used = min(true_class, n_classes)
    table = at.table[0].value
    probs = np.exp(table["zᵢ"]) / np.exp(table["zᵢ"]).sum()
    assert float(metric(at, "l = −y (ln hᵏ)ᵀ")) == pytest.approx(-np.log(probs[used - 1]), abs=1e-4)
    assert list(table["one-hot yᵢ"]) == [1.0 if i == used else 0.0 for i in range(1, n_classes + 1)]
    # the true-class slider never offers a class the page does not have
    assert at.slider(key="ou_y").max == n_classes
    assert at.slider(key="ou_y").value == used
    assert not at.info


@pytest.mark.parametrize("target", [0, 1])
@pytest.mark.parametrize("z", [-15.0, 0.0, 15.0])
def test_pair_gradients_match_closed_forms(open_page, widget, target, z):
    at = open_page(PAGE)
    widget(at, "ou_target").set_value(target).run()
    widget(at, "ou_zpair").set_value(z).run()
    rows = at.table[-1].value.set_index("pair")
    s = sigmoid(z)
    assert rows.loc["sigmoid + NLL", "∂l/∂z at z"] == pytest.approx(s - target, abs=1e-12)
    assert rows.loc["sigmoid + squared error", "∂l/∂z at z"] == pytest.approx(
        2 * (s - target) * s * (1 - s), abs=1e-12
    )
    assert rows.loc["identity + squared error", "∂l/∂z at z"] == pytest.approx(2 * (z - target))
    # central differences round at about eps_machine * |l| / step = 1e-16 * |l| / 1e-6
    tolerance = 1e-9 * np.maximum(1.0, rows["loss at z"].abs())
    assert (rows["|error| vs central differences"] < tolerance).all()


def test_squared_error_on_a_sigmoid_stalls(open_page, metric):
    at = open_page(PAGE)
    assert float(metric(at, "sigmoid + NLL: σ(z) after 50 steps")) > 0.9
    assert float(metric(at, "sigmoid + squared error: σ(z) after 50 steps")) < 0.01


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("ou_ny", [1, 8]),
        ("ou_noise", [0.0, 5.0]),
        ("ou_seed", [0, 9999]),
        ("ou_task", ["Binary", "Multiclass", "Regression"]),
        ("ou_target", [0, 1]),
        ("ou_zpair", [-15.0, 15.0]),
        ("ou_pairs", [list(viz.PAIRS)[:1], list(viz.PAIRS)]),
        ("ou_lr", [0.1, 5.0]),
        ("ou_steps", [1, 200]),
    ],
)
def test_every_widget_at_its_extremes(open_page, assert_page_ok, widget, key, values):
    at = open_page(PAGE)
    for value in values:
        widget(at, key).set_value(value).run()
        assert_page_ok(at)


@pytest.mark.parametrize(
    ("task", "keys"),
    [
        ("Binary", {"ou_z": [-10.0, 10.0], "ou_z0": [-10.0, 10.0], "ou_z1": [-10.0, 10.0]}),
        ("Multiclass", {"ou_nc": [2, 8], "ou_y": [1, 8], "ou_logit_seed": [0, 9999]}),
    ],
)
def test_task_widgets_at_their_extremes(open_page, assert_page_ok, widget, task, keys):
    at = open_page(PAGE, {"ou_task": task})
    for key, values in keys.items():
        for value in values:
            widget(at, key).set_value(value).run()
            assert_page_ok(at)


def test_no_pair_selected_explains_itself(open_page, widget):
    at = open_page(PAGE)
    widget(at, "ou_pairs").set_value([]).run()
    assert not at.exception and not at.error
    assert "Choose at least one" in at.info[0].value


def test_softmax_pairs_against_central_differences():
    for name in ["softmax + cross-entropy", "softmax + squared error"]:
        for y in (0, 1):
            for z in (-5.0, 0.3, 4.0):
                assert viz.check_pair_gradient(name, z, y) < 1e-8


def test_header_states_each_matched_pairs_gradient(open_page):
    at = open_page(PAGE)
    header = at.markdown[0].value
    assert r"$\partial l/\partial z^k = 2(h^k - y)$ for identity with squared error" in header
    assert "$h^k - y$ for sigmoid with the NLL" in header
    assert r"$\alpha(h^k - y)$ for softmax with cross-entropy" in header
    assert "Matched pairs give the gradient" not in header


@pytest.mark.parametrize("alpha", [0.5, 1.0, 3.0])
def test_softmax_cross_entropy_gradient_is_alpha_times_the_error(alpha):
    """The header's alpha (h - y), against central differences of the loss in plain NumPy."""
    import nncore as nn

    z, label = np.array([[0.3, -1.2, 2.0]]), 1

    def loss(v):
        s = alpha * v
        return -(s[label] - s.max() - np.log(np.sum(np.exp(s - s.max()))))

    numeric = [(loss(z[0] + e) - loss(z[0] - e)) / 2e-6 for e in 1e-6 * np.eye(3)]
    h = np.exp(alpha * z[0]) / np.exp(alpha * z[0]).sum()
    np.testing.assert_allclose(alpha * (h - np.eye(3)[label]), numeric, rtol=1e-6)
    got = nn.cross_entropy_with_logits_grad(z, np.array([label]), alpha=alpha)[0]
    np.testing.assert_allclose(got, numeric, rtol=1e-6)


def test_pair_colours_match_across_both_panels_and_the_legend(open_page, plotly_specs):
    at = open_page(PAGE)
    spec = next(s for s in plotly_specs(at) if s["layout"].get("annotations") and any(
        a.get("text") == "gradient ∂l/∂z" for a in s["layout"]["annotations"]))  # fmt: skip
    colours: dict[str, set] = {}
    for trace in spec["data"]:
        colours.setdefault(trace["name"], set()).add(trace["line"]["color"])
    assert set(colours) == set(viz.PAIRS)
    assert all(len(seen) == 1 for seen in colours.values()), colours  # loss panel == dl/dz panel
    assert len({seen.pop() for seen in colours.values()}) == len(viz.PAIRS)  # distinct pairs
    # the legend shows each pair once, from the loss panel, in the same colour
    assert sum(trace.get("showlegend", True) for trace in spec["data"]) == len(viz.PAIRS)


def test_softmax_pairs_say_they_use_three_classes(open_page, widget):
    at = open_page(PAGE)
    widget(at, "ou_zpair").set_value(2.0).run()
    assert any("use 3 classes" in c.value and "other two logits are 0" in c.value
               for c in at.caption)  # fmt: skip
    rows = at.table[-1].value.set_index("pair")
    # y = 1: the varied logit is the true class among [z, 0, 0]
    assert rows.loc["softmax + cross-entropy", "loss at z"] == pytest.approx(
        np.log(np.exp(2.0) + 2.0) - 2.0
    )


@pytest.mark.parametrize(("z", "z0"), [(1.0, 1.0), (1.0, -1.0), (-2.0, 3.0)])
def test_the_lecture_question_about_the_1(open_page, widget, metric, z, z0):
    at = open_page(PAGE, {"ou_task": "Binary"})
    widget(at, "ou_z").set_value(z).run()
    widget(at, "ou_one").set_value(z0).run()
    assert not at.exception and not at.error
    kept = np.exp(z) / (1 + np.exp(z))
    assert metric(at, f"σ({z:g}) = eᶻ / (1 + eᶻ)") == f"{kept:.4f}"
    assert metric(at, f"softmax([0, {z:g}])₁") == f"{kept:.4f}"
    replaced = np.exp(z) / (np.exp(z0) + np.exp(z))
    assert metric(at, f"eᶻ / (exp({z0:g}) + eᶻ)") == f"{replaced:.4f}"
    assert (replaced < kept) == (z0 > 0)
    caption = next(c.value for c in at.caption if c.value.startswith("The 1 is $e^{z_0}$"))
    assert (r"lowers $\sigma$" if z0 > 0 else r"raises $\sigma$") in caption
    assert f"$e^{{{z0:g}}} = {np.exp(z0):.3g}$" in caption
    assert any(r"\operatorname{softmax}([0,\ z])_1" in latex.value for latex in at.latex)


def test_why_logits_binary(open_page, metric):
    at = open_page(PAGE, {"ou_task": "Binary"})
    assert metric(at, "from the probabilities: binary_nll(sigmoid(z), 0)") == "inf"
    # -ln(1 - sigma(40)) = ln(1 + e^40) = 40 + ln(1 + e^-40)
    expected = 40.0 + np.log1p(np.exp(-40.0))
    assert float(metric(at, "from the logits (what")) == pytest.approx(expected)


def test_why_logits_multiclass(open_page, metric, widget):
    at = open_page(PAGE, {"ou_task": "Multiclass"})
    assert metric(at, "from the probabilities: cross_entropy(softmax(z), y)") == "inf"
    assert float(metric(at, "from the logits (what")) == pytest.approx(800.0)
    widget(at, "ou_gap").set_value(20.0).run()
    assert float(metric(at, "from the probabilities")) == pytest.approx(np.log1p(np.exp(20.0)))


def test_pairs_differ_by_marker_shape_as_well_as_colour(open_page, plotly_specs):
    at = open_page(PAGE)
    spec = next(s for s in plotly_specs(at) if len(s["data"]) == 2 * len(viz.PAIRS))
    symbols = {t["name"]: t["marker"]["symbol"] for t in spec["data"]}
    assert len(set(symbols.values())) == len(viz.PAIRS)


def test_presenter_mode_stacks_the_pair_panels(open_page, plotly_specs):
    """Side by side in large type each panel was a sliver above a five-line legend."""
    at = open_page(PAGE, {"presenter": True})
    assert not at.exception and not at.error
    spec = next(s for s in plotly_specs(at) if len(s["data"]) == 2 * len(viz.PAIRS))
    layout = spec["layout"]
    assert layout["xaxis"]["domain"] == layout["xaxis2"]["domain"]  # one column
    assert layout["yaxis"]["domain"][0] > layout["yaxis2"]["domain"][1]  # loss above gradient


@pytest.mark.parametrize(
    ("query", "title", "count", "axis"),
    [
        ({"ou_ny": 8}, "hᵏ against y", 8, "output i"),
        ({"ou_task": "Multiclass", "ou_nc": 6}, "Only the true class", 6, "class i"),
    ],
)
def test_vector_bars_are_numbered_under_their_index(
    open_page, plotly_specs, query, title, count, axis
):
    """One group of bars per entry i = 1..n, labelled by its number under an axis named for i
    ("output 1" ... "output 8" under each group were turned on their side at presenter type)."""
    at = open_page("pages/output_units.py", {**query, "presenter": True})
    spec = next(s for s in plotly_specs(at) if s["layout"]["title"]["text"].startswith(title))
    labels = [str(i) for i in range(1, count + 1)]
    assert [trace["x"] for trace in spec["data"]] == [labels, labels]
    assert spec["layout"]["xaxis"]["type"] == "category"
    assert spec["layout"]["xaxis"]["title"]["text"] == axis


def test_vector_bars_need_equally_long_vectors():
    with pytest.raises(ValueError, match=r"equally long, got lengths \[2, 3\]"):
        viz.vector_bars_figure({"a": np.zeros(2), "b": np.zeros(3)}, "t")
