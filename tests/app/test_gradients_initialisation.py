"""Gradients page, the default tab (the network at initialisation) via AppTest: its metrics,
the RMS-gain estimate, dead ReLU units and the per-layer table against plain NumPy, the verdict
sentences, and the table's number formats in presenter mode."""

import numpy as np
import pytest
from gradients_helpers import PAGE
from gradients_helpers import digits_net as _digits_net
from gradients_helpers import page_metrics as _metrics

from nncore.digits import load_digits


def _numpy_ratio(net, x, y):
    """||dl/dh^0|| / ||dl/dh^{k-1}|| for the mean cross-entropy, backpropagated in plain NumPy."""
    h, slopes = x, []
    for W, b, name in zip(net.weights[:-1], net.biases[:-1], net.hidden, strict=True):
        z = h @ W.T + b
        s = 1 / (1 + np.exp(-z)) if name == "sigmoid" else None
        slopes.append(s * (1 - s) if name == "sigmoid" else (z > 0).astype(float))
        h = s if name == "sigmoid" else np.maximum(z, 0)
    z = h @ net.weights[-1].T + net.biases[-1]
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    dh = (p / len(y)) @ net.weights[-1]
    top = np.linalg.norm(dh)
    for W, s in zip(net.weights[-2::-1], slopes[::-1], strict=True):
        dh = (dh * s) @ W
    return np.linalg.norm(dh) / top


def test_page_defaults(open_page, assert_page_ok):
    at = open_page(PAGE)
    assert_page_ok(at)
    x, y = load_digits(scale="standard")
    net = _digits_net()
    metrics = _metrics(at)
    assert metrics["Loss at initialisation"] == f"{net.loss(x[:256], y[:256]):.4f}"
    ratio = float(metrics["‖∂l/∂h⁰‖ / ‖∂l/∂hᵏ⁻¹‖"])
    assert ratio == pytest.approx(_numpy_ratio(net, x[:256], y[:256]), rel=1e-2)
    # the verdict is a sentence, never a metric delta (Streamlit draws an arrow beside a delta)
    assert all(not metric.delta for metric in at.metric)
    assert any(md.value.startswith("**Vanishing at initialisation.**") for md in at.markdown)
    # the order of the product is written out, and the chain rule's factor for layer i kept
    assert any(r"A^k A^{k-1} \cdots A^{i+1}" in latex.value for latex in at.latex)
    # the default tab draws only the network at initialisation: no training, no map
    assert [chart.key for chart in at.get("plotly_chart")] == ["gr_norms", "gr_hist", "gr_singular"]
    assert len(at.metric) == 6
    assert metrics["Dead units"] == "0 of 512"


def test_page_rms_estimate_is_the_numpy_sum_of_log_rms_gains(open_page):
    at = open_page(PAGE, {"gr_depth": 4, "gr_width": 16, "gr_act": "relu", "gr_init": "he"})
    x, y = load_digits(scale="standard")
    net = _digits_net(depth=4, width=16, activation="relu", init="he")
    h, per_point = x[:256], np.zeros(256)
    for W, b in zip(net.weights[:-1], net.biases[:-1], strict=True):
        z = h @ W.T + b
        A = (z > 0)[:, :, None] * W[None]  # diag(relu'(z)) W for every digit
        per_point += np.log10(np.linalg.norm(A, axis=(1, 2)) / np.sqrt(W.shape[0]))
        h = np.maximum(z, 0)
    assert float(_metrics(at)["Estimate from the RMS gains"]) == pytest.approx(
        10 ** per_point.mean(), rel=1e-2
    )


def test_page_counts_dead_relu_units_per_layer(open_page):
    at = open_page(PAGE, {"gr_act": "relu", "gr_init": "he"})
    x, _ = load_digits(scale="standard")
    net = _digits_net(activation="relu", init="he")
    h, dead = x[:256], []
    for W, b in zip(net.weights[:-1], net.biases[:-1], strict=True):
        z = h @ W.T + b
        dead.append(int(np.all(z <= 0, axis=0).sum()))
        h = np.maximum(z, 0)
    table = at.table[0].value
    assert list(table["dead units"]) == [f"{d} of 64" for d in dead] + ["—"]
    assert _metrics(at)["Dead units"] == f"{sum(dead)} of 512"
    # the share of activations counts entries: far more than the dead units
    share = float(_metrics(at)["Activations with σ′ ≈ 0"].rstrip("%")) / 100
    assert share > 0.3 > sum(dead) / 512


def test_page_output_layer_row_has_no_none(open_page):
    at = open_page(PAGE)
    table = at.table[0].value
    last = table.iloc[-1]
    assert last["layer i"] == "9 (output)"
    assert not last.isna().any()
    assert all(last[column] == "—" for column in ["mean hⁱ", "std hⁱ", "dead units"])


def test_page_dead_verdict_names_the_zero_output_weights(open_page):
    at = open_page(PAGE, {"gr_init": "zeros"})
    sentence = next(md.value for md in at.markdown if md.value.startswith("**Dead"))
    assert "W^k" in sentence and "zero" in sentence and "flat" not in sentence


def test_presenter_mode_stacks_the_per_layer_tables_with_their_formats(open_page, cells):
    at = open_page(PAGE, {"presenter": True, "gr_depth": 2, "gr_width": 8})
    assert not at.exception and not at.error
    (table,) = at.table
    column = list(table.value.columns).index("‖∂l/∂Wⁱ‖")
    # the formats survive in the HTML table: 2.00e-03, not 0.0020
    assert all(row[column].count("e") == 1 for row in cells(table))
