"""Gradients through depth: viz.gradients against independent computations, and the page."""

import numpy as np
import pytest

import nncore as nn
from nncore.digits import load_digits
from viz import gradients as viz

PAGE = "pages/gradients.py"


@pytest.fixture(scope="module")
def batch():
    x, y = load_digits(scale="standard")
    return x[:64], y[:64]


def test_one_factor_is_the_softmax_jacobian_times_the_top_weights(batch):
    x, y = batch
    net = nn.MLP([64, 16, 10], hidden="tanh", output="softmax", seed=3)
    stats = viz.layer_stats(net, x, y, jacobian_rows=8)
    # A^k = (diag(p) - p p^T) W^k for each data point, built here from the forward pass alone
    z1 = x[:8] @ net.weights[0].T + net.biases[0]
    z2 = np.tanh(z1) @ net.weights[1].T + net.biases[1]
    p = np.exp(z2 - z2.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    largest = []
    for row in p:
        A = (np.diag(row) - np.outer(row, row)) @ net.weights[1]
        largest.append(np.linalg.svd(A, compute_uv=False)[0])
    assert stats.singular[0, 0] == pytest.approx(np.median(largest), rel=1e-10)
    assert stats.singular.shape == (2, 3)


def test_gradient_norms_match_finite_differences(batch):
    x, y = batch
    net = nn.MLP([64, 8, 8, 10], hidden="sigmoid", output="softmax", seed=1)
    stats = viz.layer_stats(net, x, y)
    W = net.weights[0]
    numeric = np.zeros_like(W)
    eps = 1e-6
    for index in np.ndindex(W.shape):
        saved = W[index]
        W[index] = saved + eps
        up = net.loss(x, y)
        W[index] = saved - eps
        down = net.loss(x, y)
        W[index] = saved
        numeric[index] = (up - down) / (2 * eps)
    assert stats.grad_W[0] == pytest.approx(np.linalg.norm(numeric), rel=1e-5)
    assert stats.loss == pytest.approx(net.loss(x, y))


def test_relu_saturation_is_the_share_of_negative_inputs(batch):
    x, y = batch
    net = nn.MLP([64, 32, 10], hidden="relu", output="softmax", seed=0)
    _, zs = net.forward_trace(x)
    share = viz.saturated_share(net, zs)
    assert share[0] == pytest.approx(np.mean(zs[0] <= 0))


def test_frobenius_does_not_overflow():
    huge = np.full((3, 4), 1e200)
    assert viz._frobenius(huge) == pytest.approx(1e200 * np.sqrt(12))
    assert viz._frobenius(np.zeros((2, 2))) == 0.0


@pytest.mark.parametrize(
    ("norms", "verdict"),
    [
        ([1e-5, 1.0], "vanishing"),
        ([1e3, 1.0], "exploding"),
        ([0.5, 1.0], "healthy"),
        ([1.0, 0.0], "dead"),
        ([np.inf, 1.0], "exploding"),
    ],
)
def test_flow_verdict(norms, verdict):
    assert viz.flow_verdict(np.array(norms))[0] == verdict


def test_phase_grid_one_layer_is_the_ratio_through_W1(batch):
    x, y = batch
    grid = viz.phase_grid("identity", 8, [1], [1.0], x, y, seed=5)
    net = nn.MLP(
        [64, 8, 10],
        hidden="identity",
        output="softmax",
        init=("glorot_normal", {"gain": 1.0}),
        seed=5,
    )
    dh1 = net.backprop(x, y).dh[1]
    expected = np.log10(np.linalg.norm(dh1 @ net.weights[0]) / np.linalg.norm(dh1))
    assert grid[0, 0] == pytest.approx(expected)


def test_sigmoid_with_old_uniform_init_vanishes_and_tanh_glorot_does_not(batch):
    x, y = batch
    sigmoid = viz.layer_stats(
        nn.MLP([64] + [64] * 8 + [10], hidden="sigmoid", output="softmax", init="uniform", seed=0),
        x,
        y,
    )
    tanh = viz.layer_stats(
        nn.MLP([64] + [64] * 8 + [10], hidden="tanh", output="softmax", init="glorot", seed=0), x, y
    )
    assert viz.flow_verdict(sigmoid.grad_h)[0] == "vanishing"
    assert viz.flow_verdict(tanh.grad_h)[0] == "healthy"


def test_figures_build_with_nan_and_zero_values(batch):
    x, y = batch
    stats = {
        "a": viz.layer_stats(
            nn.MLP([64, 4, 10], hidden="relu", output="softmax", init="zeros", seed=0), x, y
        )
    }
    for figure in (
        viz.gradient_norms_figure(stats),
        viz.activation_density_figure(stats),
        viz.singular_values_figure(stats),
    ):
        assert figure.data
    grid = np.array([[np.nan, 1.0], [-30.0, 0.0]])
    assert viz.phase_figure([1, 2], [0.5, 1.0], grid, current=(2, 1.0)).data[0].zmin == -10.0


@pytest.mark.parametrize(
    ("sizes", "hidden", "output"),
    [
        ([64, 16, 8, 12, 10], "sigmoid", "softmax"),
        ([64, 4, 10], "relu", "softmax"),
        ([64, 16, 16, 3], "tanh", "identity"),
        ([64, 8, 8, 8, 1], "softplus", "sigmoid"),
    ],
)
def test_top_down_products_match_nncore_jacobian_products(batch, sizes, hidden, output):
    x, labels = batch
    net = nn.MLP(sizes, hidden=hidden, output=output, seed=2)
    if output == "softmax":
        y = labels[:32]
    elif output == "sigmoid":
        y = (labels[:32] % 2).astype(float)
    else:
        y = np.random.default_rng(0).normal(size=(32, sizes[-1]))
    stats = viz.layer_stats(net, x[:32], y, jacobian_rows=16)
    # reference: every A^j stored by nncore, multiplied by nncore, then an SVD per data point
    products = nn.jacobian_products(net.input_jacobians(x[:16]))
    k = len(net.weights)
    for factors in range(1, k + 1):
        values = np.linalg.svd(products[k - factors], compute_uv=False)
        largest, median = np.median(values[:, 0]), np.median(np.median(values, axis=1))
        assert stats.singular[factors - 1, 0] == pytest.approx(largest, rel=1e-10)
        assert stats.singular[factors - 1, 1] == pytest.approx(median, rel=1e-10)
        # the smallest is 0 up to round-off for a softmax top (rank n_k - 1)
        smallest = np.median(values[:, -1])
        assert stats.singular[factors - 1, 2] == pytest.approx(smallest, rel=1e-8, abs=1e-14)


def test_phase_grid_rows_are_phase_rows(batch):
    x, y = batch
    grid = viz.phase_grid("tanh", 8, [1, 3], [0.5, 2.0], x, y, seed=1)
    assert grid.shape == (2, 2)
    assert np.array_equal(grid[1], viz.phase_row("tanh", 8, [1, 3], 2.0, x, y, seed=1))


# ---------------------------------------------------------------------------------- the page
TRAINING = "After training"
MAP = "Where gradients vanish or explode"


def _digits_net(depth=8, width=64, activation="sigmoid", init="uniform", seed=0):
    sizes = [64] + [width] * depth + [10]
    return nn.MLP(sizes, hidden=activation, output="softmax", init=init, seed=seed)


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


def _metrics(at):
    return {metric.label: metric.value for metric in at.metric}


def test_page_defaults(open_page, assert_page_ok):
    at = open_page(PAGE)
    assert_page_ok(at)
    x, y = load_digits(scale="standard")
    net = _digits_net()
    metrics = _metrics(at)
    assert metrics["Loss at initialisation"] == f"{net.loss(x[:256], y[:256]):.4f}"
    ratio = float(metrics["||dl/dh^0|| / ||dl/dh^(k-1)||"])
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
    share = float(_metrics(at)["Activations with sigma' ~ 0"].rstrip("%")) / 100
    assert share > 0.3 > sum(dead) / 512


def test_page_output_layer_row_has_no_none(open_page):
    at = open_page(PAGE)
    table = at.table[0].value
    last = table.iloc[-1]
    assert last["layer i"] == "9 (output)"
    assert not last.isna().any()
    assert all(last[column] == "—" for column in ["mean h^i", "std h^i", "dead units"])


def test_page_dead_verdict_names_the_zero_output_weights(open_page):
    at = open_page(PAGE, {"gr_init": "zeros"})
    sentence = next(md.value for md in at.markdown if md.value.startswith("**Dead"))
    assert "W^k" in sentence and "zero" in sentence and "flat" not in sentence


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


def test_page_map_tab_matches_a_direct_backprop(open_page, assert_page_ok, plotly_specs, decode):
    at = open_page(PAGE, {"gr_view": MAP, "gr_act": "tanh", "gr_width": 16})
    assert_page_ok(at)
    (spec,) = plotly_specs(at)
    heat = spec["data"][0]
    z = decode(heat["z"])
    assert z.shape == (14, 6)
    x, y = load_digits(scale="standard")
    row, col = heat["y"].index("2"), heat["x"].index("4")
    net = nn.MLP(
        [64, 16, 16, 16, 16, 10],
        hidden="tanh",
        output="softmax",
        init=("glorot_normal", {"gain": 2.0}),
        seed=0,
    )
    dh = net.backprop(x[:128], y[:128]).dh
    assert z[row, col] == pytest.approx(np.log10(np.linalg.norm(dh[0]) / np.linalg.norm(dh[4])))


def test_page_map_says_where_sigmoid_balances(open_page, plotly_specs, decode):
    at = open_page(PAGE, {"gr_view": MAP, "gr_act": "sigmoid", "gr_width": 32})
    text = " ".join(md.value for md in at.markdown)
    assert "never balances" not in text
    assert "g = 10" in text and "half" in text
    # the map reaches the gains where sigmoid balances and explodes
    heat = plotly_specs(at)[0]["data"][0]
    gains = [float(g) for g in heat["y"]]
    assert max(gains) >= 16
    # the caption's balance point: where the depth-30 column crosses 0, interpolated in log g
    column = decode(heat["z"])[:, heat["x"].index("30")]
    i = int(np.flatnonzero(np.diff(np.sign(column)))[0])
    t = column[i] / (column[i] - column[i + 1])
    expected = np.exp(np.log(gains[i]) + t * (np.log(gains[i + 1]) - np.log(gains[i])))
    assert 6 < expected < 16
    captions = " ".join(caption.value for caption in at.caption)
    assert f"sigmoid balances near g = {expected:.3g}" in captions
    # the formula's norm is defined, with live numbers beside it
    assert any(r"\frac{\|A^j\|_F}{\sqrt{n_j}}" in latex.value for latex in at.latex)
    assert any("RMS gain ||A^j||_F / sqrt(n_j)" in md.value for md in at.markdown)


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


def test_map_cells_write_their_exponent_not_colour_alone():
    """Vanishing (-) and exploding (+) read without telling blue from red."""
    grid = np.array([[-12.4, 0.2], [np.nan, 3.6]])
    fig = viz.phase_figure([1, 2], [0.5, 1.0], grid)
    assert [list(row) for row in fig.data[0].text] == [["-12", "0"], ["–", "+4"]]
    assert fig.data[0].texttemplate == "%{text}"


def test_snapshots_differ_by_marker_fill_as_well_as_colour(batch):
    x, y = batch
    net = nn.MLP([64, 8, 8, 10], hidden="tanh", output="softmax", seed=0)
    stats = viz.layer_stats(net, x, y, jacobian_rows=4, product_rows=4)
    both = {"at initialisation": stats, "after training": stats}
    for fig in (viz.gradient_norms_figure(both), viz.singular_values_figure(both)):
        first = {t.marker.symbol for t in fig.data if t.name.endswith("at initialisation")}
        after = {t.marker.symbol for t in fig.data if t.name.endswith("after training")}
        assert all(not s.endswith("-open") for s in first)
        assert after == {f"{s}-open" for s in first}


def test_presenter_mode_stacks_the_per_layer_tables_with_their_formats(open_page, cells):
    at = open_page(PAGE, {"presenter": True, "gr_depth": 2, "gr_width": 8})
    assert not at.exception and not at.error
    (table,) = at.table
    column = list(table.value.columns).index("||dl/dW^i||")
    # the formats survive in the HTML table: 2.00e-03, not 0.0020
    assert all(row[column].count("e") == 1 for row in cells(table))


def test_page_map_stopped_shows_the_rows_measured_and_continue_measures_the_rest(
    open_page, assert_page_ok, plotly_specs, decode
):
    """The map's rows (one per gain) are a list of long jobs with Stop and Continue: after a
    Stop with 3 of 14 rows measured, the page draws those 3 rows, says so, and does not claim a
    balance point it has not reached; Continue measures the other 11 (the same cached rows)."""
    at = open_page(PAGE, {"gr_act": "sigmoid", "gr_width": 16})
    gains = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0, 16.0]
    # the state a Stop leaves after the third row (what viz.ui.stoppable_jobs keeps)
    jobs = [("sigmoid", 16, gain, 0) for gain in gains]
    at.session_state["gr_phase_rows"] = {"jobs": jobs, "done": 3, "stopped": True}
    at.session_state["gr_view"] = MAP
    at.run()
    assert_page_ok(at)
    (heat,) = [spec["data"][0] for spec in plotly_specs(at)]
    assert [float(g) for g in heat["y"]] == gains[:3]
    partial = decode(heat["z"])
    assert partial.shape == (3, 6)
    assert any("Stopped after 3 of 14" in info.value for info in at.info)
    captions = " ".join(caption.value for caption in at.caption)
    assert "no gain measured so far (up to g = 0.75) balances sigmoid" in captions
    (resume,) = [button for button in at.button if button.label == "Continue measuring"]
    resume.click().run()
    assert_page_ok(at)
    (heat,) = [spec["data"][0] for spec in plotly_specs(at)]
    assert [float(g) for g in heat["y"]] == gains
    np.testing.assert_array_equal(decode(heat["z"])[:3], partial)
    assert not any("Stopped after" in info.value for info in at.info)
    captions = " ".join(caption.value for caption in at.caption)
    # at width 16 sigmoid needs a gain beyond the map's 16 (the narrower, the larger)
    assert "no gain in this map balances sigmoid" in captions and "so far" not in captions
