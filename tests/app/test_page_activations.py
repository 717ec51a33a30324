"""AppTests for the activation-functions page, plus its figure helpers."""

import json

import numpy as np
import pytest

import nncore as nn
from viz import activations as viz
from viz import chart_text

PAGE = "pages/activations.py"
CURVES, TANH, SYMMETRY = "Curves and derivatives", "tanh and sigmoid", "|x| and symmetry"


def test_defaults(open_page, assert_page_ok, metric, plotly_specs, decode):
    at = open_page(PAGE)
    assert_page_ok(at)
    table = at.table[0].value.set_index("activation")
    assert set(table.index) == set(nn.ACTIVATIONS)
    assert "note" not in table.columns  # long notes are listed below the table, not cut off
    notes = " ".join(md.value for md in at.markdown)
    # every activation's note is on the page (its symbols typeset: see test_formula_text)
    assert all(nn.get_activation(name).note for name in nn.ACTIVATIONS)
    assert all(nn.get_activation(name).note in notes for name in nn.ACTIVATIONS)
    assert table.loc["sigmoid", "σ′(0)"] == pytest.approx(0.25)
    assert table.loc["tanh", "σ′(0)"] == pytest.approx(1.0)
    # the default probe sits off the kink at 0: z = 1
    assert table.loc["softplus", "σ(probe)"] == pytest.approx(np.log1p(np.e))  # ln(1 + e^1)
    assert table.loc["tanh", "σ′(probe)"] == pytest.approx(1 - np.tanh(1.0) ** 2)
    assert float(metric(at, "max |tanh(x) − (2σ(2x) − 1)|")) < 1e-12
    assert metric(at, "tanh′(0)") == "1.0000" and metric(at, "σ′(0)") == "0.2500"
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
    # sigma'(x) = e^{-x} / (1 + e^{-x})^2: sigma (1 - sigma) loses digits where sigma nears 1
    slope = np.exp(-x) / (1.0 + np.exp(-x)) ** 2
    np.testing.assert_allclose(decode(grad["y"]), slope, rtol=1e-12)


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
    assert not at.get("plotly_chart")
    for section, chart in [(TANH, "act_tanh"), (SYMMETRY, "act_symmetry")]:
        at = open_page(PAGE, {"act_section": section})
        widget(at, "act_show").set_value([]).run()
        assert not at.exception and not at.error
        assert [c.key for c in at.get("plotly_chart")] == [chart]  # the other sections still draw


@pytest.mark.parametrize(
    ("key", "values", "fed"),
    [
        ("act_range", [1.0, 20.0], [CURVES, TANH]),
        ("act_probe", [-10.0, 10.0], [CURVES]),
        ("act_depth", [1, 50], [CURVES]),
        ("act_fold_fn", list(nn.ACTIVATIONS), [SYMMETRY]),
        ("act_theta", [0, 180], [SYMMETRY]),
        ("act_bias", [-3.0, 3.0], [SYMMETRY]),
        ("act_seed", [0, 9999], [SYMMETRY]),
        ("act_show", [["sigmoid"], list(nn.ACTIVATIONS)], [CURVES]),
    ],
)
def test_every_widget_at_its_extremes(open_page, assert_page_ok, widget, key, values, fed):
    for section in fed:  # with the tab open whose charts the widget feeds, so they are drawn
        at = open_page(PAGE, {"act_section": section})
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


def test_depth_factor_names_blocked_activations_and_their_convention():
    fig = viz.depth_factor_figure(["sigmoid", "relu"], 0.0, 5)
    assert [t.name for t in fig.data] == ["sigmoid"]
    np.testing.assert_allclose(fig.data[0].y, np.arange(1, 6) * np.log10(0.25))
    # named in the subtitle, which viz.figure_style draws in the page's small text size
    assert "relu′(0) = 0 by convention" in fig.layout.title.subtitle.text
    below = viz.depth_factor_figure(["relu"], -2.0, 5)
    assert "relu′(-2) = 0 (flat side)" in below.layout.title.subtitle.text


def _factor_spec(at):
    """The |sigma'|^L chart's plotly spec (found by its key)."""
    (element,) = [e for e in at.get("plotly_chart") if "act_depth_factor" in e.proto.id]
    return json.loads(element.proto.spec)


def test_default_probe_does_not_rank_relu_worst(open_page, plotly_specs, decode):
    at = open_page(PAGE)
    factor = _factor_spec(at)
    title = chart_text.plain(factor["layout"]["title"]["text"])
    assert "blocked" not in title
    # sigma'(1) = 1 for identity, relu, abs and leaky_relu: one line, named in the title
    assert "one line for identity, relu, abs, leaky_relu (|σ′| = 1)" in title
    last = {trace["name"]: decode(trace["y"])[-1] for trace in factor["data"]}
    # relu'(1) = 1: no loss after 10 layers; sigmoid'(1) = e / (1 + e)^2 shrinks it
    assert last["relu"] == pytest.approx(0.0)
    assert last["sigmoid"] == pytest.approx(10 * np.log10(np.e / (1 + np.e) ** 2))
    assert max(last, key=last.get) != "relu" or last["relu"] >= last["sigmoid"]


def test_tanh_line_does_not_stop_at_float64_underflow(open_page, widget, plotly_specs, decode):
    at = open_page(PAGE)
    widget(at, "act_probe").set_value(10.0).run()
    widget(at, "act_depth").set_value(50).run()
    factor = _factor_spec(at)
    tanh = next(trace for trace in factor["data"] if trace["name"] == "tanh")
    y = decode(tanh["y"])
    slope = 1 - np.tanh(10.0) ** 2  # 8.2e-9
    np.testing.assert_allclose(y, np.arange(1, 51) * np.log10(slope), rtol=1e-9)
    assert np.all(np.isfinite(y)) and y[-1] < -308  # 10^y would have underflowed to 0


def test_one_colour_per_activation_whatever_the_probe(open_page, widget, plotly_specs):
    colours = {}
    at = open_page(PAGE)
    for probe in (-5.0, 0.0, 1.0, 10.0):
        widget(at, "act_probe").set_value(probe).run()
        factor = _factor_spec(at)
        for trace in factor["data"]:
            colours.setdefault(trace["name"], set()).add(trace["line"]["color"])
    assert all(len(seen) == 1 for seen in colours.values()), colours
    mapping = viz.activation_colours()
    assert len(set(mapping.values())) == len(nn.ACTIVATIONS)  # eight distinct colours
    assert {name: seen.pop() for name, seen in colours.items()} == {
        name: mapping[name] for name in colours
    }


def test_header_says_which_activations_approximate(open_page):
    at = open_page(PAGE)
    header = " ".join(md.value for md in at.markdown)
    assert "every activation represents similar functions" not in header
    assert "not a polynomial" in header and "identity cannot" in header
    # the caption's line, against the weights composed by hand: h = W3 W2 W1 x + (W3 W2 b1 + ...)
    net = nn.MLP([1, 32, 32, 1], hidden="identity", output="identity", seed=0)
    rng = np.random.default_rng(0)
    b1, b2, b3 = (rng.standard_normal(b.shape) for b in net.biases)
    W1, W2, W3 = net.weights
    slope = (W3 @ W2 @ W1).item()
    intercept = (W3 @ W2 @ b1 + W3 @ b2 + b3).item()
    sign = "+" if intercept >= 0 else "-"
    caption = next(c.value for c in at.caption if c.value.startswith("Why not the identity"))
    assert rf"$h = {slope:.3f}\,x {sign} {abs(intercept):.3f}$" in caption


def test_the_weight_gradient_formula_is_exact(open_page):
    """The page's dl/dW^i = ((dl/dh^k A^k ... A^{i+1}) * sigma'(z^i))^T h^{i-1} against central
    differences, everything in plain NumPy (tanh hidden layers, softmax + cross-entropy)."""
    at = open_page(PAGE)
    formula = next(latex.value for latex in at.latex if r"\partial W^i" in latex.value)
    assert r"A^k A^{k-1}\cdots A^{i+1}" in formula and r"\odot \sigma'(z^i)" in formula
    assert r"\propto" not in formula
    rng = np.random.default_rng(1)
    sizes = [3, 4, 5, 3]
    Ws = [rng.standard_normal((b, a)) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    bs = [rng.standard_normal(b) for b in sizes[1:]]
    x, label = rng.standard_normal(3), 2

    def loss(weights):
        h = x
        for W, b in zip(weights[:-1], bs[:-1], strict=True):
            h = np.tanh(W @ h + b)
        z = weights[-1] @ h + bs[-1]
        return -(z[label] - np.log(np.sum(np.exp(z))))

    hs, zs = [x], []
    for W, b in zip(Ws, bs, strict=True):
        zs.append(W @ hs[-1] + b)
        hs.append(np.tanh(zs[-1]))
    p = np.exp(zs[-1]) / np.exp(zs[-1]).sum()
    dl_dhk = -np.eye(3)[label] / p  # d/dh of -ln h_label
    As = [np.diag(1 - np.tanh(z) ** 2) @ W for z, W in zip(zs[:-1], Ws[:-1], strict=True)]
    As.append((np.diag(p) - np.outer(p, p)) @ Ws[-1])  # the softmax layer's A^k
    for i in range(1, 4):  # layer i = 1..k
        upstream = dl_dhk
        for A in As[i:][::-1]:  # A^k first, down to A^{i+1}
            upstream = upstream @ A
        slope = 1 - np.tanh(zs[i - 1]) ** 2 if i < 3 else None
        if i == 3:  # the output layer: dl/dz^k = dl/dh^k J
            delta = dl_dhk @ (np.diag(p) - np.outer(p, p))
        else:
            delta = upstream * slope
        grad = np.outer(delta, hs[i - 1])
        numeric = np.zeros_like(Ws[i - 1])
        for index in np.ndindex(numeric.shape):
            for sign in (1, -1):
                shifted = [W.copy() for W in Ws]
                shifted[i - 1][index] += sign * 1e-6
                numeric[index] += sign * loss(shifted) / 2e-6
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_classes_and_curves_differ_without_colour(open_page, plotly_specs):
    at = open_page(PAGE)
    specs = plotly_specs(at)
    grid = specs[0]
    dashes = {t["name"]: t["line"].get("dash", "solid") for t in grid["data"]}
    # each panel's sigma and sigma' share the activation's colour and differ by stroke, and the
    # legend says which stroke is which
    assert dashes["sigmoid"] == "solid" and dashes["sigmoid′"] == "dash"
    assert dashes[viz.GRID_KEYS[0]] == "solid" and dashes[viz.GRID_KEYS[1]] == "dash"
    assert "solid" in viz.GRID_KEYS[0] and "dashed" in viz.GRID_KEYS[1]
    depth = next(
        s for s in specs if "log₁₀ |σ′(z)|ᴸ" in s["layout"].get("title", {}).get("text", "")
    )
    symbols = [t["marker"]["symbol"] for t in depth["data"]]
    assert len(set(symbols)) == len(symbols)
    at = open_page(PAGE, {"act_section": SYMMETRY})
    (fold,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.key == "act_symmetry"]
    by_class = {}
    for trace in fold["data"]:
        if trace.get("mode") == "markers":
            by_class.setdefault(trace["legendgroup"], set()).add(trace["marker"]["symbol"])
    assert by_class == {"class 0": {"circle"}, "class 1": {"x"}}


def test_symmetry_panels_name_their_axes_in_the_lectures_notation(open_page):
    """The tour (N9): the |x| panels had no axis titles, and the title wrote w.x where the page
    writes x w^T."""
    at = open_page(PAGE, {"act_section": SYMMETRY})
    (fold,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.key == "act_symmetry"]
    layout = fold["layout"]
    titles = {
        name: layout[name]["title"]["text"] for name in ("xaxis", "yaxis", "xaxis2", "yaxis2")
    }
    assert titles == {"xaxis": "x₁", "yaxis": "x₂", "xaxis2": "h", "yaxis2": "class"}
    words = " ".join(chart_text.plain(note["text"]) for note in layout["annotations"])
    assert "x wᵀ + b = 0" in words and "w.x" not in words
    page_words = " ".join(m.value for m in at.markdown) + " ".join(
        str(c.proto) for c in at.get("plotly_chart")
    )
    assert "w.x" not in page_words


@pytest.mark.parametrize(
    ("section", "charts"),
    [
        (None, ["act_grid", "act_depth_factor"]),
        (CURVES, ["act_grid", "act_depth_factor"]),
        (TANH, ["act_tanh"]),
        (SYMMETRY, ["act_symmetry"]),
    ],
)
def test_only_the_open_sections_charts_are_drawn_and_every_number_is_computed(
    open_page, section, charts
):
    at = open_page(PAGE, {} if section is None else {"act_section": section})
    assert not at.exception and not at.error
    assert [c.key for c in at.get("plotly_chart")] == charts
    labels = {m.label for m in at.metric}  # every section's numbers, whichever tab is open
    assert {"max |tanh(x) − (2σ(2x) − 1)|", "tanh′(0)", "σ′(0)", "Threshold t"} <= labels
    assert "Best accuracy of one threshold on h (abs)" in labels
    (table,) = at.table
    assert {"σ′(probe)", "flat share (|σ′| < 0.01)"} <= set(table.value.columns)
    assert any(r"\partial W^i" in latex.value for latex in at.latex)


@pytest.mark.parametrize("names", [["relu"], ["tanh", "relu", "abs"], sorted(nn.ACTIVATIONS)])
def test_every_panel_marks_the_probe_on_its_own_axes(names):
    x = np.linspace(-3.0, 3.0, 61)
    fig = viz.activations_grid_figure(x, viz.curves(names, x), probe=0.7)
    curves = [trace for trace in fig.data if trace.meta != "decoration"]  # not the legend's key
    panels = [trace.xaxis for trace in curves[::2]]  # sigma and sigma' share a panel
    assert [shape.xref for shape in fig.layout.shapes] == panels
    assert [shape.yref for shape in fig.layout.shapes] == [
        axis.replace("x", "y") + " domain" for axis in panels
    ]
    assert all(s.x0 == s.x1 == 0.7 and (s.y0, s.y1) == (0, 1) for s in fig.layout.shapes)
