"""The chain rule with numbers: the page's gradients against NumPy and central differences."""

import numpy as np
import pytest

from viz import chain_rule as viz

PAGE = "pages/chain_rule.py"


def _metric_float(at, label_start):
    for element in at.metric:
        if element.label.startswith(label_start):
            return float(element.value)
    raise KeyError(label_start)


def _loss_by_hand(weights, biases, x, y, hidden, output):
    """The per-example loss written out with NumPy (tanh or relu hidden units)."""
    act = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}[hidden]
    h = x
    for W, b in zip(weights[:-1], biases[:-1], strict=True):
        h = act(h @ W.T + b)
    z = h @ weights[-1].T + biases[-1]
    if output == "identity":
        return float(np.sum((z - y) ** 2))
    if output == "sigmoid":
        return float(np.sum(np.logaddexp(0, -z) * y + np.logaddexp(0, z) * (1 - y)))
    return float(np.logaddexp.reduce(z) - z[y])


def _heatmap(plotly_specs, decode, at, title):
    spec = plotly_specs(at)[0]
    # ui.chart wraps long panel titles at spaces (<br>) to fit a projector's narrow column
    titles = [a["text"].replace("<br>", " ") for a in spec["layout"]["annotations"]]
    heatmaps = [trace for trace in spec["data"] if trace["type"] == "heatmap"]
    index = titles.index(title)
    return np.atleast_2d(decode(heatmaps[index]["z"]))


@pytest.mark.parametrize(
    ("query", "layer"),
    [
        ({}, 1),
        ({"cr_output": "sigmoid", "cr_layer": 2}, 2),
        ({"cr_output": "softmax", "cr_layer": 3}, 3),
        ({"cr_hidden": "relu", "cr_output": "softmax", "cr_seed": 9999}, 1),
    ],
)
def test_gradient_matches_central_differences_of_a_hand_written_loss(
    open_page, assert_page_ok, plotly_specs, decode, query, layer
):
    at = open_page(PAGE, query)
    assert_page_ok(at)
    hidden, output = query.get("cr_hidden", "tanh"), query.get("cr_output", "identity")
    net, x, y = viz.example([2, 3, 3, 2], hidden, output, query.get("cr_seed", 0))
    weights = [W.copy() for W in net.weights]
    biases = [b.copy() for b in net.biases]
    eps = 1e-6
    numerical = np.zeros_like(weights[layer - 1])
    for index in np.ndindex(numerical.shape):
        plus = [W.copy() for W in weights]
        minus = [W.copy() for W in weights]
        plus[layer - 1][index] += eps
        minus[layer - 1][index] -= eps
        numerical[index] = (
            _loss_by_hand(plus, biases, x, y, hidden, output)
            - _loss_by_hand(minus, biases, x, y, hidden, output)
        ) / (2 * eps)
    shown = _heatmap(plotly_specs, decode, at, "∂l/∂Wⁱ, product form")
    np.testing.assert_allclose(shown, numerical, rtol=1e-6, atol=1e-9)
    assert _metric_float(at, "max |product form − backprop|") < 1e-14
    assert _metric_float(at, "max |backprop − central differences|") < 1e-7


def test_defaults_show_every_factor(open_page, assert_page_ok):
    at = open_page(PAGE)
    assert_page_ok(at)
    latex = "\n".join(element.value for element in at.latex)
    # identity output, tanh hidden, i = 1 of k = 3: A^3 and A^2, in that order, then the product
    assert "A^{3} = " in latex and "A^{2} = " in latex
    assert "A^{3}A^{2} = " in latex
    assert r"\sigma'(z^{1})^\top h^{0}" in latex
    subheaders = [element.value for element in at.header]
    assert any("Their product, in order from the top" in s for s in subheaders)
    # the product's numbers: A^3 A^2 from the forward pass, written out here with NumPy
    net, x, y = viz.example([2, 3, 3, 2], "tanh", "identity", 0)
    (W1, W2, W3), (b1, b2, _) = net.weights, net.biases
    z1 = x @ W1.T + b1
    z2 = np.tanh(z1) @ W2.T + b2
    product = W3 @ ((1 - np.tanh(z2) ** 2)[:, None] * W2)
    assert viz.mat(product) in latex


@pytest.mark.parametrize(
    "query",
    [
        {"cr_widths": "1, 1"},
        {"cr_widths": "6, 6, 6, 6, 6, 6", "cr_layer": 1},
        {"cr_widths": "6, 6, 6, 6, 6, 6", "cr_layer": 5, "cr_output": "softmax"},
        {"cr_hidden": "sigmoid"},
        {"cr_hidden": "identity", "cr_output": "sigmoid"},
        {"cr_hidden": "abs", "cr_seed": 9999},
    ],
)
def test_widget_extremes(open_page, assert_page_ok, query):
    assert_page_ok(open_page(PAGE, query))


def test_layer_beyond_the_network_is_a_hint(open_page):
    at = open_page(PAGE, {"cr_widths": "2, 3, 2", "cr_layer": 5})
    assert not at.exception and not at.error
    assert any("only $k = 2$ layers" in info.value for info in at.info)


@pytest.mark.parametrize(
    ("widths", "message"),
    [("2, 7, 2", "widths up to 6"), ("abc", "whole numbers separated by commas, got 'abc'")],
)
def test_bad_widths_are_messages(open_page, widths, message):
    at = open_page(PAGE, {"cr_widths": widths})
    assert not at.exception
    assert at.error and message in at.error[0].value


def test_reverse_order_is_reported_for_square_jacobians(open_page):
    at = open_page(PAGE, {"cr_widths": "3, 4, 4, 4, 4"})
    captions = " ".join(element.value for element in at.caption)
    assert "Order matters" in captions
    net, x, y = viz.example([3, 4, 4, 4, 4], "tanh", "identity", 0)
    h, A = x, []
    for j, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        z = h @ W.T + b
        A.append(W if j == 3 else (1 - np.tanh(z) ** 2)[:, None] * W)  # identity output
        h = np.tanh(z)
    top, bottom = A[3] @ A[2] @ A[1], A[1] @ A[2] @ A[3]
    gap = np.linalg.norm(top - bottom) / (np.linalg.norm(top) + np.linalg.norm(bottom))
    assert f"by a relative {gap:.2f}" in captions


def test_the_3d_array_shape_is_written_with_times(open_page):
    """A tab character had replaced the backslash-t of \\times: KaTeX showed 'n_1 imes n_1'."""
    at = open_page(PAGE)
    text = next(md.value for md in at.markdown if "3-D array" in md.value)
    assert r"n_1 \times n_1 \times n_{0}" in text and "\t" not in text
