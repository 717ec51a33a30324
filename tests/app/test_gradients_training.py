"""Gradients page, the "After training" tab via AppTest: the loss and figures after training
against an independent fit, Stop and Continue part-way through an epoch, and no epochs."""

import numpy as np
from gradients_helpers import PAGE, TRAINING
from gradients_helpers import digits_net as _digits_net
from gradients_helpers import page_metrics as _metrics

import nncore as nn
from nncore.digits import load_digits


def test_page_training_tab_matches_an_independent_fit(open_page, assert_page_ok, plotly_specs):
    at = open_page(PAGE, {"gr_view": TRAINING, "gr_epochs": 2, "gr_depth": 3, "gr_width": 16})
    assert_page_ok(at)
    x, y = load_digits(scale="standard")
    net = _digits_net(depth=3, width=16)
    single = nn.MLP(net.sizes, hidden="sigmoid", output="softmax", dtype=np.float32)
    single.weights = [W.astype(np.float32) for W in net.weights]
    single.biases = [b.astype(np.float32) for b in net.biases]
    nn.fit(single, x, y, optimizer="adam", lr=1e-3, epochs=2, batch_size=64, seed=0)
    trained = net.copy()
    trained.weights = [W.astype(np.float64) for W in single.weights]
    trained.biases = [b.astype(np.float64) for b in single.biases]
    assert _metrics(at)["Loss after 2 epochs"] == f"{trained.loss(x, y):.4f}"
    # the Stop button shows only while training runs; the finished page has none
    assert "gr_stop" not in [button.key for button in at.button]
    charts = at.get("plotly_chart")
    assert [chart.key for chart in charts] == [
        "gr_norms_trained",
        "gr_hist_trained",
        "gr_singular_trained",
    ]
    names = [trace["name"] for trace in plotly_specs(at)[0]["data"]]
    assert any("after 2 epochs" in name for name in names)
    assert any("at initialisation" in name for name in names)
    # one colour per snapshot, the same in the norms and the singular-value figures
    specs = plotly_specs(at)
    colours = {}
    for spec in (specs[0], specs[2]):
        for trace in spec["data"]:
            snapshot = "after" if "after 2 epochs" in trace["name"] else "init"
            colours.setdefault(snapshot, set()).add(trace["line"]["color"])
    assert len(colours["init"]) == 1 and len(colours["after"]) == 1
    assert colours["init"] != colours["after"]
    # the two per-layer tables one under the other, each the column's full width (side by
    # side, each hid its last columns at 1280 px), the lecture's columns first
    assert len(at.table) == 2
    assert not [table for column in at.columns for table in column.table]
    for table in at.table:
        header = list(table.value.columns)
        assert header[:4] == ["layer i", "‖∂l/∂Wⁱ‖", "‖∂l/∂hⁱ⁻¹‖", "RMS gain of Aⁱ"]


def test_page_training_stops_and_continues(open_page):
    from nncore import gradflow

    query = {"gr_view": TRAINING, "gr_epochs": 3, "gr_depth": 2, "gr_width": 8}
    at = open_page(PAGE, {**query, "gr_epochs": 0})
    x, y = load_digits(scale="standard")
    config = (2, 8, "sigmoid", "uniform", 3, 0)
    net = _digits_net(depth=2, width=8)
    run = gradflow.MinibatchRun(gradflow.with_dtype(net, np.float32), x, y, 3, seed=0)
    for _ in range(run.batches_per_epoch + 4):  # one epoch and four batches, then Stop
        run.step()
    at.session_state["gr_runs"] = {config: run}
    at.session_state["gr_stopped"] = config
    at.slider(key="gr_epochs").set_value(3).run()
    assert not at.exception
    assert "Stopped after 1 epochs and 4 batches of 3 epochs" in at.info[0].value
    assert "Loss after 1 epochs and 4 batches" in _metrics(at)
    at.button(key="gr_continue").click().run()
    assert not at.exception
    reference = gradflow.with_dtype(net, np.float32)
    nn.fit(reference, x, y, optimizer="adam", lr=1e-3, epochs=3, batch_size=64, seed=0)
    assert _metrics(at)["Loss after 3 epochs"] == (
        f"{gradflow.with_dtype(reference, np.float64).loss(x, y):.4f}"
    )


def test_page_training_tab_with_no_epochs_says_so(open_page, assert_page_ok, plotly_specs):
    at = open_page(PAGE, {"gr_view": TRAINING, "gr_epochs": 0})
    assert_page_ok(at)
    assert "above 0" in at.info[0].value
    assert not [metric for metric in at.metric if metric.label.startswith("Loss after")]
    names = [trace["name"] for trace in plotly_specs(at)[0]["data"]]
    assert names and all(name.endswith("at initialisation") for name in names)
