"""Playground: the page's controls via AppTest: defaults, step/play/pause/reset, features, layers,
test share, regression, your points, dropout, widget extremes, divergence, the export tab and
which tab is computed."""

import numpy as np
import pytest
from playground_helpers import PAGE, page_metrics
from streamlit.testing.v1 import AppTest

import nncore as nn
from viz import playground as viz


def test_page_defaults_and_initial_loss(open_page, assert_page_ok):
    at = open_page(PAGE)
    assert_page_ok(at)
    values = page_metrics(at)
    assert values["Epoch"] == "0" and values["Updates per second"] == "paused"
    session = viz.Session.start(viz.Settings())
    fresh = nn.MLP([2, 16, 16, 3], hidden="tanh", output="softmax", seed=0)
    assert values["Train loss"] == f"{fresh.loss(session.data.x_train, session.data.y_train):.4f}"
    latex = [element.value for element in at.latex]
    assert r"\frac{\hat m}{\sqrt{\hat v} + \epsilon}" in latex[0]  # Adam, the default
    assert any(r"h^{1}_{0} = \tanh" in value for value in latex)  # the selected unit
    confusion = at.table[0].value  # the lecture's column (the true class) first
    assert list(confusion.columns) == ["true \\ predicted"] + [str(c) for c in range(3)]
    counts = confusion.drop(columns="true \\ predicted").to_numpy()
    assert counts.shape == (3, 3) and counts.sum() == len(session.data.y_test)


def test_header_shows_the_chosen_optimiser(open_page):
    at = open_page(PAGE, {"pg_opt": "sgd", "pg_reg": "L2", "pg_rate": 0.01})
    # the first equation of the header's list (each kept whole by viz.formula: braced)
    assert at.latex[0].value.startswith("$$\n" + r"{\theta \leftarrow \theta - \eta\, g}")
    assert r"\lambda\,W" in at.latex[0].value
    assert "plain SGD" in at.caption[0].value


def test_step_play_pause_reset(open_page):
    at = open_page(PAGE)
    at.button(key="pg_step").click().run()
    assert page_metrics(at)["Epoch"] == "1"
    at.select_slider(key="pg_lr").set_value(0.001).run()  # keeps the weights and the epoch
    assert page_metrics(at)["Epoch"] == "1"
    at.button(key="pg_play").click().run()
    assert at.session_state["pg_playing"] is True
    assert at.button(key="pg_play").label == "Pause"
    assert int(page_metrics(at)["Epoch"]) >= 2  # the fragment trained while playing
    assert len(at.get("image")) == 1 and len(at.get("plotly_chart")) == 0
    # the frame travels in the message (no media file the next tick could delete first)
    assert at.get("image")[0].proto.imgs[0].url.startswith("data:image/jpeg;base64,")
    at.button(key="pg_play").click().run()
    assert at.session_state["pg_playing"] is False
    assert len(at.get("image")) == 0 and len(at.get("plotly_chart")) == 1  # the overlay
    at.button(key="pg_reset").click().run()
    assert page_metrics(at)["Epoch"] == "0"
    assert not at.exception


def test_features_toggle_changes_n0(open_page):
    at = open_page(PAGE)
    at.button_group(key="pg_features").set_value(["x₁", "x₂", "x₁²", "x₂²"]).run()
    assert not at.exception and not at.error
    session = at.session_state["pg_session"]
    assert session.net.sizes[0] == 4 and session.settings.features == ("x1", "x2", "x1^2", "x2^2")
    at.button_group(key="pg_features").set_value([]).run()
    assert "choose at least one input feature" in at.error[0].value


@pytest.mark.parametrize(
    "link",
    [
        ["x1^2", "x1 x2", "sin x2"],  # a bookmark made when the pills showed nncore's plain names
        ["x\u2081\u00b2", "x\u2081x\u2082", "sin x\u2082"],  # the names the pills show now
    ],
)
def test_a_link_names_the_features_by_their_old_or_shown_names(open_page, link):
    """The pills show x\u2081\u00b2 and keep that text in the URL; a link with the plain names
    they showed before (x1^2) still opens the same features, without a notice."""
    at = open_page(PAGE, {"pg_features": link})
    assert not at.exception and not at.warning
    assert at.session_state["pg_session"].settings.features == ("x1^2", "x1*x2", "sin(x2)")
    assert at.query_params["pg_features"] == ["x\u2081\u00b2", "x\u2081x\u2082", "sin x\u2082"]


def test_per_layer_widths_and_activations(open_page):
    query = {"pg_layers": 6, "pg_a1": "relu", "pg_a6": "sigmoid"}
    query |= {f"pg_w{i}": 32 for i in range(1, 7)}
    at = open_page(PAGE, query)
    assert not at.exception and not at.error
    session = at.session_state["pg_session"]
    assert session.net.sizes == [2, 32, 32, 32, 32, 32, 32, 3]
    assert session.net.hidden == ["relu", "tanh", "tanh", "tanh", "tanh", "sigmoid"]
    at.button(key="pg_step").click().run()
    assert page_metrics(at)["Epoch"] == "1" and not at.exception


def test_test_share_and_show_test(open_page):
    at = open_page(PAGE, {"pg_test": 50, "pg_show_test": False, "pg_points": 200})
    session = at.session_state["pg_session"]
    assert len(session.data.y_test) == 100 and len(session.data.y_train) == 100
    assert "100 training points, 100 test points" in " ".join(c.value for c in at.caption)


def test_regression_page(open_page, assert_page_ok):
    at = open_page(PAGE, {"pg_problem": "regression", "pg_data": "gaussians", "pg_discrete": True})
    assert_page_ok(at)
    assert page_metrics(at)["Test accuracy"] == "n/a"
    assert r"\lVert h^k - y \rVert_2^2" in at.latex[1].value
    at.button(key="pg_step").click().run()
    assert not at.exception and not at.error


def test_your_points_from_a_csv_and_a_bad_csv(open_page):
    at = open_page(PAGE, {"pg_data": viz.OWN})
    assert not at.error  # no points yet is where your points start, not an error
    assert "Your points: no points yet" in at.info[0].value
    assert "pg_session" not in at.session_state
    at.session_state["pg_own"] = viz.OwnPoints(
        np.array([[0.1, 0.2], [-0.5, 0.4], [0.3, -0.6], [0.9, 0.9]]),
        np.array([0, 1, 0, 1]),
        "classification",
    )
    at.session_state["pg_own_version"] = 1
    at.run()
    assert not at.error
    session = at.session_state["pg_session"]
    assert len(session.data.y_train) + len(session.data.y_test) == 4
    at.session_state["pg_csv_error"] = "bad.csv: row 3, column x2: 'abc' is not a number"
    at.run()
    assert "row 3, column x2" in at.error[0].value


def test_clicking_adds_a_point(open_page):
    at = open_page(PAGE, {"pg_data": "moons", "pg_points": 100})
    at.button(key="pg_edit").click().run()
    assert at.selectbox(key="pg_data").value == viz.OWN
    session = at.session_state["pg_session"]
    assert len(session.data.y_train) == 70 and not at.error
    # what the paused chart's click callback does with a click on the surface at (0.3, -0.6)
    own, restart = viz.add_clicked_point(
        session, at.session_state["pg_own"], [0.3, -0.6], 1, "classification"
    )
    assert not restart and len(own.x) == 101 and own.y[-1] == 1
    at.session_state["pg_own"] = own
    at.run()
    assert at.session_state["pg_session"] is session  # same run, same weights
    assert "71 training points, 30 test points" in " ".join(c.value for c in at.caption)
    own, restart = viz.add_clicked_point(session, own, [0.0, 0.0], 2, "classification")
    assert restart  # a third class: a new output layer
    at.session_state["pg_own"] = own
    at.session_state["pg_own_version"] = at.session_state["pg_own_version"] + 1
    at.run()
    assert at.session_state["pg_session"].net.sizes[-1] == 3 and not at.exception


def test_dropout_control_explains_training_only(open_page, assert_page_ok):
    at = open_page(PAGE, {"pg_dropout": 0.2, "pg_reg": "L2", "pg_rate": 0.01})  # from the URL
    assert_page_ok(at)
    at.button(key="pg_step").click().run()
    assert not at.exception and not at.error and page_metrics(at)["Epoch"] == "1"
    trainer = at.session_state["pg_session"].trainer
    assert trainer.dropout == 0.2 and trainer.l2 == 0.01  # dropout combines with L2
    captions = " ".join(caption.value for caption in at.caption)
    assert "Dropout $p = 0.2$ acts only while training" in captions
    assert "computed without dropout (eval mode" in captions
    assert any(r"\operatorname{Bernoulli}(1 - p)" in latex.value for latex in at.latex)
    # a new p keeps the weights and the epoch, like a new regularisation
    at.select_slider(key="pg_dropout").set_value(0.5).run()
    assert (
        page_metrics(at)["Epoch"] == "1" and at.session_state["pg_session"].trainer.dropout == 0.5
    )
    at.select_slider(key="pg_dropout").set_value(0.0).run()
    assert not any("acts only while training" in caption.value for caption in at.caption)
    assert not any("Bernoulli" in latex.value for latex in at.latex)


@pytest.mark.parametrize(
    "query",
    [
        {"pg_layers": 0},
        {"pg_layers": 8, "pg_w8": 64},
        {"pg_w1": 1},
        {"pg_classes": 2},
        {"pg_classes": 6},
        {"pg_points": 100},
        {"pg_points": 2000},
        {"pg_noise": 0.0},
        {"pg_noise": 0.5},
        {"pg_seed": 9999},
        {"pg_batch": 1},
        {"pg_batch": 500},
        {"pg_reg": "L1", "pg_rate": 0.3},
        {"pg_dropout": 0.5},
        {"pg_dropout": 0.3, "pg_layers": 0},
        {"pg_lr": 0.0001},
        {"pg_tick": 10},
        {"pg_test": 90},
        {"pg_data": "digits"},
        {"pg_data": "digits", "pg_layers": 0},
        {"pg_a1": "abs"},
        {"pg_a1": "identity"},
        {"pg_opt": "sgd"},
        {"pg_opt": "nesterov"},
        {"pg_problem": "regression", "pg_data": "step"},
    ],
)
def test_page_widget_extremes(open_page, assert_page_ok, query):
    at = open_page(PAGE, query)
    assert_page_ok(at)
    at.button(key="pg_step").click().run()
    assert not at.exception and not at.error
    assert int(page_metrics(at)["Epoch"]) == int(query.get("pg_tick", 1))


def test_divergence_warns_and_offers_a_lower_rate(open_page):
    query = {"pg_lr": 3.0, "pg_classes": 6, "pg_layers": 6, "pg_tick": 3}
    query |= {f"pg_w{i}": 64 for i in range(1, 7)}
    at = open_page(PAGE, query)
    at.button(key="pg_step").click().run()
    assert not at.exception and not at.error
    warning = at.warning[0].value
    assert "diverging" in warning and "Lower the learning rate $\\eta$ from 3 to 0.3" in warning
    at.button(key="pg_lower").click().run()
    assert at.select_slider(key="pg_lr").value == 0.3 and page_metrics(at)["Epoch"] == "0"
    assert at.warning == []


def test_export_tab_offers_weights_and_code(open_page):
    at = open_page(PAGE, {"pg_points": 100, "pg_tab": "Export"})
    at.button(key="pg_step").click().run()
    codes = [element.value for element in at.code]
    assert any("nn.Trainer(" in code and "trainer.run(epochs=1)" in code for code in codes)
    assert any("torch.optim.Adam(params" in code for code in codes)
    labels = [element.proto.label for element in at.get("download_button")]
    assert labels == ["Weights (.npz)", "Weights (.json)", "NumPy + nncore (.py)", "PyTorch (.py)"]


def test_only_the_open_tab_is_computed(open_page, plotly_specs):
    at = open_page(PAGE)
    assert len(at.get("plotly_chart")) == 1 and not at.get("download_button")  # the overlay only
    at = open_page(PAGE, {"pg_tab": "How the layers transform the plane"})
    specs = plotly_specs(at)
    assert len(specs) == 2 and specs[1]["layout"]["title"]["text"].startswith(
        "The plane as layer 2"
    )
    assert at.table == [] and not at.get("download_button")


def _load_csv_app(text, problem):
    """load_csv as the upload's callback runs it, on a file holding `text`."""
    import streamlit as st

    from viz import playground_own

    class Upload:
        name = "points.csv"

        def getvalue(self):
            return text.encode()

    st.session_state.setdefault("pg_own_version", 0)
    st.session_state["pg_csv"] = Upload()
    playground_own.load_csv(problem)
    st.write(st.session_state.get("pg_csv_error", "no error"))


@pytest.mark.parametrize(
    ("first", "scale"),
    [
        ("0.5", None),  # within [-1, 1], the range of a clicked point's target: kept
        ("-4", 4.0),
        ("1e4", 1e4),
        ("1e300", 1e300),  # its squared error alone would overflow float64 unscaled
        ("0.05", None),  # the other target, 0.25, reaches past one step (0.1) of the slider
    ],
)
def test_your_regression_targets_are_brought_into_the_playgrounds_range(first, scale):
    text = f"x1,x2,target\n0.1,0.2,{first}\n-0.3,0.4,0.25\n"
    _check_targets(text, first, 0.25, scale)


@pytest.mark.parametrize(("first", "scale"), [("0.05", 0.05), ("-1e-300", 1e-300), ("0", None)])
def test_tiny_regression_targets_are_brought_up_to_the_playgrounds_range(first, scale):
    """Targets that all stay below one step of the target slider (0.1) are scaled up to reach
    1 as well; all zero, there is nothing to scale."""
    text = f"x1,x2,target\n0.1,0.2,{first}\n-0.3,0.4,0\n"
    _check_targets(text, first, 0.0, scale)


def _check_targets(text, first, second, scale):
    at = AppTest.from_function(_load_csv_app, args=(text, "regression")).run()
    assert not at.exception and at.markdown[0].value == "no error"
    own = at.session_state["pg_own"]
    expected = np.array([[float(first)], [second]]) / (scale or 1.0)
    np.testing.assert_array_equal(own.y, expected)
    assert at.session_state["pg_own_version"] == 1
    note = at.session_state["pg_own_note"]
    if scale is None:
        assert note == "2 points from points.csv"
    else:
        assert note == (
            f"2 points from points.csv, targets divided by {scale:.3g} into the playground's "
            "range [-1, 1]"
        )


@pytest.mark.parametrize("factor", [1e4, 1e-4])
@pytest.mark.parametrize("scaled", [False, True])
def test_targets_in_large_or_tiny_units_are_learnt_once_scaled(factor, scaled):
    """1e4 f: at the playground's rate Adam could not leave a constant's error (the loss
    stayed at the targets' variance); 1e-4 f: the loss stayed far above the variance. Brought
    into [-1, 1] the network fits f."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (200, 2))
    raw = factor * (x[:, :1] ** 2 - 0.5 * x[:, 1:])
    y = raw
    if scaled:
        y, scale = viz.fit_to_targets(raw)
        assert scale == np.max(np.abs(raw))
    own = viz.OwnPoints(x, y, "regression")
    session = viz.Session.start(viz.Settings(problem="regression", dataset=viz.OWN), own)
    session.advance(200)
    ratio = session.train_loss[-1] / np.var(y)  # 1: no better than the targets' mean
    assert ratio < 0.05 if scaled else ratio > 0.5
