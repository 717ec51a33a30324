"""Playground: the training session (data, split, features, retuning, dropout, maps, confusion,
regression, your points, divergence) and the formulas shown above it."""

import numpy as np
import pytest

import nncore as nn
from nncore.features import feature_matrix
from viz import playground as viz
from viz import playground_picture as picture
from viz import playground_text as text
from viz import playground_words as words


def test_session_starts_at_the_initial_loss_and_trains():
    settings = viz.Settings(
        dataset="moons", n_points=200, noise=0.1, widths=(8,), activations=("tanh",)
    )
    session = viz.Session.start(settings)
    data = session.data
    assert data.n_classes == 2 and len(data.y_train) + len(data.y_test) == 200
    assert len(data.y_test) == 60  # 30 % of 200
    fresh = nn.MLP([2, 8, 2], hidden="tanh", output="softmax", seed=0)
    assert session.train_loss[0] == pytest.approx(fresh.loss(data.x_train, data.y_train))
    session.advance(20)
    assert session.epoch == 20 and len(session.train_loss) == 21
    assert session.train_loss[-1] < session.train_loss[0]


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_the_split_follows_the_share(share):
    session = viz.Session.start(viz.Settings(dataset="xor", n_points=200, test_share=share))
    assert len(session.data.y_test) == round(share * 200)
    assert len(session.data.y_train) == 200 - round(share * 200)


def test_features_are_the_networks_inputs():
    features = ("x1", "x1^2", "x1*x2", "sin(x2)")
    session = viz.Session.start(viz.Settings(dataset="circles", features=features))
    data = session.data
    assert session.net.sizes[0] == 4  # n_0 follows the features
    p = data.p_train
    np.testing.assert_array_equal(
        data.x_train, np.column_stack([p[:, 0], p[:, 0] ** 2, p[:, 0] * p[:, 1], np.sin(p[:, 1])])
    )


def test_retune_keeps_the_weights_and_notes_the_edit():
    session = viz.Session.start(viz.Settings(dataset="xor", n_points=100))
    session.advance(2)
    before = [W.copy() for W in session.net.weights]
    settings = viz.Settings(
        dataset="xor", n_points=100, lr=0.001, batch_size=50, regularization="L1", reg_rate=0.01
    )
    session.retune(settings)
    assert all(np.array_equal(a, b) for a, b in zip(before, session.net.weights, strict=True))
    assert session.trainer.optimizer.lr == 0.001 and session.trainer.batch_size == 50
    assert session.trainer.l1 == 0.01 and session.trainer.l2 == 0.0
    session.advance(1)
    assert session.epoch == 3 and session.edits == [(2, "optimiser settings changed")]


def test_dropout_session_trains_with_it_and_shows_the_network_without_it():
    settings = viz.Settings(
        dataset="blobs", n_classes=3, widths=(6, 4), activations=("tanh", "relu"), dropout=0.3
    )
    session = viz.Session.start(settings)
    session.advance(3)
    assert session.trainer.dropout == 0.3
    assert session.run_spec().dropout == 0.3
    # the curves' numbers, the maps and the test accuracy: an independent pass without dropout
    data, net = session.data, session.net

    def plain(x):
        h = np.tanh(x @ net.weights[0].T + net.biases[0])
        h = np.maximum(h @ net.weights[1].T + net.biases[1], 0)
        z = h @ net.weights[2].T + net.biases[2]
        return z - z.max(axis=1, keepdims=True)

    for x, y, recorded in (
        (data.x_train, data.y_train, session.train_loss[-1]),
        (data.x_test, data.y_test, session.test_loss[-1]),
    ):
        shifted = plain(x)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        assert recorded == pytest.approx(-log_p[np.arange(len(y)), y].mean(), rel=1e-12)
    accuracy = np.mean(plain(data.x_test).argmax(axis=1) == data.y_test)
    assert session.test_accuracy[-1] == pytest.approx(accuracy)
    axis = np.linspace(-viz.EXTENT, viz.EXTENT, 11)
    shifted = plain(np.array([[axis[3], axis[8]]]))
    expected = np.exp(shifted) / np.exp(shifted).sum()
    np.testing.assert_allclose(session.surface(11)[8, 3], expected[0], atol=2e-6)
    _, lines = words.plane_words(session, picture.View())
    assert any(
        "all of it without dropout (p = 0.3 acts in training steps only)" in line for line in lines
    )


def test_changing_dropout_keeps_the_weights():
    shape = {"dataset": "xor", "n_points": 100, "widths": (8,), "activations": ("tanh",)}
    session = viz.Session.start(viz.Settings(**shape))
    session.advance(1)
    before = [W.copy() for W in session.net.weights]
    settings = viz.Settings(**shape, dropout=0.2)
    assert settings.model_key() == session.settings.model_key()
    assert settings.optimiser_key() != session.settings.optimiser_key()
    session.retune(settings)
    assert all(np.array_equal(a, b) for a, b in zip(before, session.net.weights, strict=True))
    assert session.trainer.dropout == 0.2 and session.edits == [(1, "optimiser settings changed")]


def test_unit_maps_are_the_units_outputs_on_the_grid():
    session = viz.Session.start(
        viz.Settings(dataset="blobs", n_classes=4, widths=(5, 3), activations=("relu", "tanh"))
    )
    session.advance(2)
    maps = session.maps(resolution=11)
    axis = np.linspace(-viz.EXTENT, viz.EXTENT, 11)
    # row r, column c of a map is the point (axis[c], axis[r])
    point = np.array([[axis[7], axis[2]]])
    h = point
    for i, name in enumerate(session.net.hidden):  # an independent forward pass, in NumPy
        z = h @ session.net.weights[i].T + session.net.biases[i]
        h = np.maximum(z, 0) if name == "relu" else np.tanh(z)
        np.testing.assert_allclose(maps[i][2, 7], h[0], atol=2e-6)
    z = h @ session.net.weights[-1].T + session.net.biases[-1]
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(maps[-1][2, 7], p[0], atol=2e-6)
    np.testing.assert_allclose(session.surface(11).sum(axis=-1), 1.0, atol=1e-5)


def test_confusion_counts_the_test_points():
    session = viz.Session.start(viz.Settings(dataset="blobs", n_classes=3))
    session.advance(3)
    counts = session.confusion()
    data = session.data
    predicted = session.net.predict(data.x_test)
    assert counts.sum() == len(data.y_test)
    for r in range(3):
        for c in range(3):
            assert counts[r, c] == np.sum((data.y_test == r) & (predicted == c))
    assert np.trace(counts) / counts.sum() == pytest.approx(session.test_accuracy[-1])


def test_regression_session_uses_identity_and_squared_error():
    settings = viz.Settings(
        problem="regression", dataset="plane", widths=(6,), activations=("tanh",)
    )
    session = viz.Session.start(settings)
    assert session.net.output == "identity" and session.net.sizes[-1] == 1
    data = session.data
    h = session.net.forward(data.x_train)
    assert session.train_loss[0] == pytest.approx(np.mean(np.sum((h - data.y_train) ** 2, 1)))
    assert session.train_accuracy == []
    session.advance(10)
    assert session.train_loss[-1] < session.train_loss[0]


def test_your_points_and_a_clicked_point():
    rng = np.random.default_rng(0)
    own = viz.OwnPoints(rng.uniform(-1, 1, (30, 2)), np.arange(30) % 2, "classification")
    session = viz.Session.start(viz.Settings(dataset=viz.OWN), own)
    n_train = len(session.data.y_train)
    session.advance(1)
    weights = [W.copy() for W in session.net.weights]
    session.add_point([0.25, -0.5], 1)
    assert len(session.data.y_train) == n_train + 1
    np.testing.assert_array_equal(session.data.p_train[-1], [0.25, -0.5])
    assert session.data.y_train[-1] == 1
    np.testing.assert_array_equal(session.data.x_train[-1], feature_matrix([[0.25, -0.5]])[0])
    assert all(np.array_equal(a, b) for a, b in zip(weights, session.net.weights, strict=True))
    session.advance(1)  # trains on the new point
    assert session.trainer.m == n_train + 1
    with pytest.raises(ValueError, match="class 5"):
        session.add_point([0, 0], 5)
    bigger = own.with_point([0.1, 0.1], 1)
    assert len(bigger.x) == 31 and bigger.y[-1] == 1 and len(own.x) == 30


def test_fit_to_plane_scales_far_points_only():
    x = np.array([[10.0, -3.0], [0.0, 1.0]])
    scaled, s = viz.fit_to_plane(x)
    assert s == pytest.approx(10 / 1.5) and np.abs(scaled).max() == pytest.approx(1.5)
    same, one = viz.fit_to_plane(np.array([[1.0, -1.7]]))
    assert one == 1.0 and same[0, 1] == -1.7


def test_divergence_is_detected_and_a_lower_rate_suggested():
    session = viz.Session.start(
        viz.Settings(
            dataset="spirals", n_classes=6, widths=(64,) * 6, activations=("tanh",) * 6, lr=3.0
        )
    )
    session.advance(3)
    assert session.train_loss[-1] > 10 * session.train_loss[0]
    message = session.divergence()
    assert "diverging" in message and "rose from" in message
    advice = text.divergence_advice(message, 3.0, "none", 0.0)
    assert "Lower the learning rate $\\eta$ from 3 to 0.3" in advice
    assert text.lower_rate(0.03) == 0.003 and text.lower_rate(1e-4) == 1e-4
    calm = viz.Session.start(viz.Settings(dataset="moons", widths=(4,), activations=("tanh",)))
    calm.advance(2)
    assert calm.divergence() == ""


def test_header_formula_follows_the_optimiser():
    assert r"\frac{\hat m}{\sqrt{\hat v} + \epsilon}" in text.update_latex("adam")
    assert text.update_latex("sgd").startswith(r"\theta \leftarrow \theta - \eta\, g")
    assert r"\mu v" in text.update_latex("momentum")
    assert r"\lambda\,\operatorname{sign}(W)" in text.update_latex("sgd", "L1")
    assert r"\lambda\,W" in text.update_latex("adam", "L2")
    assert r"\lVert h^k - y \rVert_2^2" in text.loss_latex(True)
    assert text.dropout_lines(0.0) == [] and text.dropout_latex(0.0) == ""
    dropout = text.dropout_latex(0.2)
    assert r"\tilde h^i = \frac{d^i \odot h^i}{1 - p}" in dropout
    assert r"\operatorname{Bernoulli}(1 - p)" in dropout and "p = 0.2" in dropout
    assert r"\text{training only: }" in dropout and r"\text{evaluation" in dropout
    assert "nothing to drop" in text.dropout_note(0.3, hidden_layers=0)
    assert text.dropout_note(0.0, hidden_layers=2) == ""


def test_unit_formula_holds_the_units_numbers():
    net = nn.MLP([2, 3, 2], hidden="tanh", output="softmax", seed=0)
    net.biases[0][1] = 0.25
    latex = text.unit_latex(net, 1, 1)
    assert latex.startswith(r"h^{1}_{1} = \tanh\big(h^{0} w^\top + b\big)")
    w = net.weights[0][1]
    assert f"{w[0]:.2f}" in latex and "b = 0.25" in latex
    assert r"\operatorname{softmax}(z^{2})_{0}" in text.unit_latex(net, 2, 0)
