"""nncore pieces behind the playground, against closed forms and independent computations:
input features, the train/test split, L1/L2 penalties, FusedTrainer against Trainer (with and
without dropout), every unit's map against a plain forward pass, points from CSV, the exported
code (with dropout too), the layer view. Dropout's own tests: test_dropout.py."""

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import nncore as nn
from nncore.datasets import REGRESSION_2D, make_regression_2d, split_counts, train_test_split
from nncore.export import RunSpec, numpy_code, torch_code
from nncore.features import FEATURES, check_features, feature_matrix
from nncore.fused import FusedTrainer
from nncore.io import network_bytes, read_points_csv
from nncore.layerview import forward_from, lift, principal_directions, project, tie_lines
from nncore.train import penalty
from nncore.unitmaps import layer_outputs, plane_grid, single_thread_chunk

ROOT = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------------------ features
def test_features_closed_forms():
    points = np.array([[0.5, -2.0], [1.5, 0.25], [-1.0, 3.0]])
    a, b = points[:, 0], points[:, 1]
    expected = {
        "x1": a,
        "x2": b,
        "x1^2": a**2,
        "x2^2": b**2,
        "x1*x2": a * b,
        "sin(x1)": np.sin(a),
        "sin(x2)": np.sin(b),
    }
    every = feature_matrix(points, list(FEATURES))
    assert every.shape == (3, 7)
    for column, name in enumerate(FEATURES):
        np.testing.assert_allclose(every[:, column], expected[name], rtol=0, atol=0)
        np.testing.assert_array_equal(feature_matrix(points, [name])[:, 0], expected[name])


def test_features_order_is_canonical_and_errors_name_the_problem():
    points = np.zeros((2, 2))
    assert check_features(["sin(x2)", "x1"]) == ("x1", "sin(x2)")
    assert feature_matrix(points, ["sin(x2)", "x1", "x1*x2"]).shape == (2, 3)
    with pytest.raises(ValueError, match="unknown input feature"):
        feature_matrix(points, ["x3"])
    with pytest.raises(ValueError, match="at least one"):
        feature_matrix(points, [])
    with pytest.raises(ValueError, match="repeat"):
        check_features(["x1", "x1"])
    with pytest.raises(ValueError, match=r"\(m, 2\)"):
        feature_matrix(np.zeros((3, 3)), ["x1"])


# --------------------------------------------------------------------------------- split
@pytest.mark.parametrize(
    ("m", "share", "n_test"), [(500, 0.3, 150), (500, 0.5, 250), (7, 0.05, 1), (3, 0.95, 2)]
)
def test_split_counts(m, share, n_test):
    assert split_counts(m, share) == (m - n_test, n_test)


def test_split_is_a_seeded_permutation_of_the_rows():
    x = np.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    x_train, y_train, x_test, y_test = train_test_split(x, y, 0.25, seed=3)
    assert len(y_test) == 5 and len(y_train) == 15
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(20))
    np.testing.assert_array_equal(x_train[:, 0], 2 * y_train)  # rows stay together
    order = np.random.default_rng(3).permutation(20)
    np.testing.assert_array_equal(y_test, order[:5])
    with pytest.raises(ValueError, match="test_share"):
        train_test_split(x, y, 0.99)


def test_regression_sets_follow_their_formulas():
    x, y = make_regression_2d("plane", n=50, noise=0.0, seed=1)
    np.testing.assert_allclose(y[:, 0], (x[:, 0] + x[:, 1]) / 3)
    assert np.abs(x).max() <= 1.5
    x, y = make_regression_2d("gaussians", n=50, noise=0.0, seed=1)
    centre = np.array([[0.75, 0.75]])
    assert make_regression_2d("gaussians", n=1, seed=0)[1].shape == (1, 1)
    np.testing.assert_allclose(
        REGRESSION_2D["gaussians"][0](centre[:, 0], centre[:, 1]),
        1 - 2 * np.exp(-(1.5**2) / (2 * 0.35**2)) + np.exp(-(1.5**2 * 2) / (2 * 0.35**2)),
        rtol=1e-12,
    )
    with pytest.raises(ValueError, match="unknown 2-D regression target"):
        make_regression_2d("cubic")


# ------------------------------------------------------------------- penalties, training
def test_penalty_closed_form_and_its_gradient_in_a_step():
    net = nn.MLP([2, 3, 1], hidden="tanh", seed=0)
    W1, W2 = net.weights
    expected = 0.1 * (np.abs(W1).sum() + np.abs(W2).sum()) + 0.5 * 0.2 * (
        (W1**2).sum() + (W2**2).sum()
    )
    assert penalty(net, l1=0.1, l2=0.2) == pytest.approx(expected, rel=1e-12)
    # one SGD step with the penalty = one step on the data gradient plus l1 sign(W) + l2 W
    x, y = np.array([[0.3, -0.2], [0.1, 0.4]]), np.array([[0.5], [-0.5]])
    reference = net.copy()
    _, grads = reference.loss_and_grads(x, y)
    trainer = nn.Trainer(net, x, y, optimizer="sgd", lr=0.5, batch_size=2, l1=0.1, l2=0.2)
    trainer.step_batch()
    for i, (dW, db) in enumerate(grads):
        W0 = reference.weights[i]
        np.testing.assert_allclose(
            net.weights[i], W0 - 0.5 * (dW + 0.1 * np.sign(W0) + 0.2 * W0), rtol=1e-13
        )
        np.testing.assert_allclose(net.biases[i], reference.biases[i] - 0.5 * db, rtol=1e-13)
    with pytest.raises(ValueError, match="l1"):
        nn.Trainer(net, x, y, l1=-1.0)


@pytest.mark.parametrize("dropout", [0.0, 0.3])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adam"])
@pytest.mark.parametrize("output", ["softmax", "identity"])
def test_fused_trainer_is_the_same_run_as_trainer(optimizer, output, dropout):
    if output == "softmax":
        x, y = nn.make_dataset("spirals", n=120, noise=0.1, seed=2, n_classes=3)
    else:
        x, y = make_regression_2d("gaussians", n=120, noise=0.05, seed=2)
    sizes = [2, 6, 5, 3 if output == "softmax" else 1]
    runs = []
    for trainer_class in (nn.Trainer, FusedTrainer):
        net = nn.MLP(sizes, hidden=["tanh", "relu"], output=output, seed=7)
        trainer = trainer_class(
            net,
            x,
            y,
            optimizer=optimizer,
            lr=0.02,
            batch_size=7,
            seed=4,
            epochs=10**9,
            l1=1e-3,
            l2=1e-2,
            dropout=dropout,
            x_val=x[:30],
            y_val=y[:30],
        )
        for _ in range(4):
            trainer.step_epoch()
        runs.append((net, trainer.history))
    (net_a, history_a), (net_b, history_b) = runs
    for a, b in zip(net_a.params(), net_b.params(), strict=True):
        np.testing.assert_array_equal(a, b)  # the same floats, not just close ones
    assert history_a.loss == history_b.loss and history_a.val_loss == history_b.val_loss
    assert history_a.batch_loss == history_b.batch_loss
    np.testing.assert_allclose(history_a.grad_norms, history_b.grad_norms, rtol=1e-12)


def test_fused_trainer_stops_on_divergence_like_trainer():
    x, y = nn.make_dataset("moons", n=60, noise=0.1, seed=0)
    messages = []
    for trainer_class in (nn.Trainer, FusedTrainer):
        net = nn.MLP([2, 8, 2], hidden="relu", output="softmax", seed=0)
        net.weights[0][...] = 1e200  # the first product overflows
        trainer = trainer_class(net, x, y, optimizer="sgd", lr=1.0, batch_size=10)
        with np.errstate(over="ignore", invalid="ignore"):
            trainer.step_epoch()
        messages.append((trainer.history.diverged, trainer.history.message.split(":")[0]))
    assert messages[0] == messages[1] == (True, "training diverged")


# ---------------------------------------------------------------------- per-neuron maps
def _unit_by_hand(net, points, layer, unit):
    """Plain NumPy, unit by unit: h^i_j = sigma(h^{i-1} . w + b), written out per layer."""
    h = points
    for i in range(layer):
        W, b = net.weights[i], net.biases[i]
        z = np.array(
            [
                [sum(row[a] * W[j, a] for a in range(W.shape[1])) + b[j] for j in range(W.shape[0])]
                for row in h
            ]
        )
        if i < net.depth - 1:
            h = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0.0)}[net.hidden[i]](z)
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            h = e / e.sum(axis=1, keepdims=True)
    return h[:, unit]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_every_unit_map_equals_an_independent_forward_pass(dtype):
    net = nn.MLP([2, 5, 4, 3], hidden=["tanh", "relu"], output="softmax", seed=11)
    for b in net.biases:
        b[...] = np.random.default_rng(1).normal(size=b.shape)
    grid = plane_grid(9, 1.8)
    maps = layer_outputs(net, grid, dtype=dtype, chunk=10)  # several chunks, one partial
    tolerance = 1e-12 if dtype == np.float64 else 2e-6
    for layer in (1, 2, 3):
        for unit in range(net.sizes[layer]):
            expected = _unit_by_hand(net, grid, layer, unit)
            np.testing.assert_allclose(maps[layer - 1][:, unit], expected, atol=tolerance)
    assert maps[0].dtype == dtype
    # the grid: row r * 9 + c is (axis[c], axis[r])
    axis = np.linspace(-1.8, 1.8, 9)
    np.testing.assert_array_equal(grid[2 * 9 + 5], [axis[5], axis[2]])


def test_single_thread_chunk_keeps_products_below_the_blas_threshold():
    wide = nn.MLP([2, 64, 64, 3], seed=0)
    assert single_thread_chunk(wide) * 64 * 64 < 262_144
    assert single_thread_chunk(nn.MLP([2, 4, 1], seed=0)) == 4096


# ----------------------------------------------------------------------------------- CSV
def test_points_csv_good_files():
    x, y = read_points_csv(b"x1,x2,label\n0.1,0.2,0\n\n-0.3,0.4,1\n")
    np.testing.assert_array_equal(x, [[0.1, 0.2], [-0.3, 0.4]])
    np.testing.assert_array_equal(y, [0, 1])
    x, y = read_points_csv("0.5;1.5;-2.25\n1;2;3\n", task="regression")
    np.testing.assert_array_equal(y, [[-2.25], [3.0]])
    x, _ = read_points_csv("\ufeffx1\tx2\tclass\n1\t2\t0\n3\t4\t9\n".encode())
    assert x.shape == (2, 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"x1,x2,label\n0.1,0.2,0\n0.3,abc,1\n", "row 3, column x2: 'abc' is not a number"),
        (b"0.1,0.2,0\n0.3,0.4\n", "row 2 has 2 field"),
        (b"0.1,0.2,0\n0.3,0.4,1.5\n", "row 2, column label: '1.5' is not a whole number"),
        (b"0.1,0.2,0\n0.3,0.4,12\n", "row 2, column label: '12' is outside the classes"),
        (b"x1,x2,label\n0.1,inf,0\n1,1,1\n", "row 2, column x2: 'inf' is not a finite number"),
        (b"a,b,c\n1,2,0\n", "row 1: the header"),
        (b"0.1,0.2,1\n0.3,0.4,1\n", "need at least two classes"),
        (b"\xff\xfe1,2,3", "not UTF-8"),
        (b"1,2,0\n", "need at least 2"),
    ],
)
def test_points_csv_bad_files_name_the_row_and_column(content, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        read_points_csv(content)


def test_points_csv_row_limit():
    rows = "\n".join(f"{i % 2},{i % 3},{i % 2}" for i in range(12))
    with pytest.raises(ValueError, match="more than 10 points"):
        read_points_csv(rows, max_rows=10)


# ----------------------------------------------------------------------------- downloads
def test_network_bytes_round_trip(tmp_path):
    net = nn.MLP([3, 4, 2], hidden="tanh", output="softmax", seed=5)
    for fmt in ("npz", "json"):
        path = tmp_path / f"net.{fmt}"
        path.write_bytes(network_bytes(net, fmt, {"epochs": 3}))
        loaded, meta = nn.load_network(path)
        assert meta == {"epochs": 3}
        for a, b in zip(loaded.params(), net.params(), strict=True):
            np.testing.assert_array_equal(a, b)
    assert json.loads(network_bytes(net, "json"))["format"] == "nnlab-network"


# ------------------------------------------------------------------------------ the view
def test_principal_directions_of_a_line_and_of_two_units():
    rng = np.random.default_rng(0)
    t = rng.normal(size=200)
    direction = np.array([1.0, 2.0, 2.0]) / 3
    h = 5 + t[:, None] * direction + 1e-3 * rng.normal(size=(200, 3))
    mean, U, share = principal_directions(h)
    assert abs(U[:, 0] @ direction) == pytest.approx(1.0, abs=1e-5)
    assert share[0] > 0.999
    np.testing.assert_allclose(
        lift(project(h, mean, U), mean, U)[:, :1] - mean[0], (h - mean)[:, :1], atol=5e-3
    )
    mean, U, _ = principal_directions(h[:, :2])
    np.testing.assert_array_equal(U, np.eye(2))
    np.testing.assert_array_equal(project(h[:, :2], mean, U), h[:, :2])


def test_forward_from_a_layer_and_the_tie_lines():
    net = nn.MLP([2, 3, 2, 3], hidden=["tanh", "tanh"], output="softmax", seed=3)
    x = np.random.default_rng(1).normal(size=(10, 2))
    hs, _ = net.forward_trace(x)
    np.testing.assert_allclose(forward_from(net, 1, hs[1]), hs[-1], rtol=1e-12)
    mean, U, _ = principal_directions(hs[2])
    for a, c, normal, offset in tie_lines(net, mean, U):
        # a point on the line has z_a = z_c
        point = -offset * normal / (normal @ normal)
        z = lift(point[None], mean, U) @ net.weights[-1].T + net.biases[-1]
        assert z[0, a] == pytest.approx(z[0, c], abs=1e-12)


# ----------------------------------------------------------------------- exported code
def _run(code: str, tmp_path: Path) -> dict:
    script = tmp_path / "exported.py"
    script.write_text(code)
    # the repository first; a PYTHONPATH already set (e.g. one that holds torch) stays after it
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    values = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" = ")
        values[name] = float(value)
    return values


@pytest.mark.slow
@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_exported_numpy_code_gives_the_playgrounds_losses(tmp_path, dropout):
    from viz import playground as viz

    settings = viz.Settings(
        dropout=dropout,
        dataset="spirals",
        n_points=200,
        features=("x1", "x2", "x1*x2"),
        widths=(8, 6),
        activations=("tanh", "relu"),
        regularization="L2",
        reg_rate=1e-3,
        seed=5,
    )
    session = viz.Session.start(settings)
    session.advance(6)
    values = _run(numpy_code(session.run_spec()), tmp_path)
    assert abs(values["train loss"] - session.train_loss[-1]) <= 1e-6
    assert abs(values["test loss"] - session.test_loss[-1]) <= 1e-6
    assert values["test accuracy"] == pytest.approx(session.test_accuracy[-1], abs=1e-4)


@pytest.mark.slow
def test_exported_numpy_code_for_your_points_and_regression(tmp_path):
    from viz import playground as viz

    rng = np.random.default_rng(0)
    own = viz.OwnPoints(rng.uniform(-1, 1, (40, 2)), rng.normal(size=(40, 1)), "regression")
    settings = viz.Settings(
        problem="regression",
        dataset=viz.OWN,
        widths=(5,),
        activations=("gelu",),
        optimizer="nesterov",
        lr=0.01,
    )
    session = viz.Session.start(settings, own)
    session.advance(3)
    values = _run(numpy_code(session.run_spec()), tmp_path)
    assert abs(values["train loss"] - session.train_loss[-1]) <= 1e-6
    assert abs(values["test loss"] - session.test_loss[-1]) <= 1e-6


def test_exported_code_notes_an_edited_run():
    from viz import playground as viz

    session = viz.Session.start(
        viz.Settings(dataset="moons", n_points=100, widths=(4,), activations=("tanh",))
    )
    session.advance(1)
    session.retune(
        viz.Settings(dataset="moons", n_points=100, widths=(4,), activations=("tanh",), lr=0.1)
    )
    code = numpy_code(session.run_spec())
    assert "# Note: at epoch 1: optimiser settings changed" in code


try:  # torch is not a dependency: the PyTorch export is checked only where it is installed
    import torch  # noqa: F401

    TORCH = True
except ImportError:
    TORCH = False


@pytest.mark.slow
@pytest.mark.skipif(not TORCH, reason="torch is not installed (not a dependency of nnlab)")
@pytest.mark.parametrize("dropout", [0.0, 0.2])
@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_exported_torch_code_gives_the_playgrounds_losses(tmp_path, optimizer, dropout):
    from viz import playground as viz

    settings = viz.Settings(
        dropout=dropout,
        dataset="moons",
        n_points=200,
        widths=(8, 8),
        activations=("tanh", "relu"),
        optimizer=optimizer,
        regularization="L2",
        reg_rate=1e-3,
    )
    session = viz.Session.start(settings)
    session.advance(4)
    values = _run(torch_code(session.run_spec()), tmp_path)
    assert abs(values["train loss"] - session.train_loss[-1]) <= 1e-6
    assert abs(values["test loss"] - session.test_loss[-1]) <= 1e-6


def test_torch_code_is_valid_python_with_the_same_settings():
    spec = RunSpec(
        data={"kind": "classification", "name": "xor", "n": 100, "noise": 0.0, "n_classes": 2},
        sizes=[2, 4, 2],
        hidden=["relu"],
        epochs=2,
        optimizer="momentum",
        l1=0.01,
    )
    source = torch_code(spec)
    compile(source, "torch_code", "exec")
    assert "torch.optim.SGD(params, lr=0.03, momentum=0.9)" in source
    assert "l1, l2 = 0.01, 0.0" in source and "range(2)" in source
    compile(numpy_code(spec), "numpy_code", "exec")


def test_exported_code_with_dropout_says_so_and_compiles():
    spec = RunSpec(
        data={"kind": "classification", "name": "xor", "n": 100, "noise": 0.0, "n_classes": 2},
        sizes=[2, 4, 3, 2],
        hidden=["relu", "tanh"],
        epochs=2,
        dropout=0.25,
    )
    numpy_source, torch_source = numpy_code(spec), torch_code(spec)
    compile(numpy_source, "numpy_code", "exec")
    compile(torch_source, "torch_code", "exec")
    assert "dropout=0.25" in numpy_source
    assert "dropout p = 0.25 (training steps only)" in numpy_source
    assert "p = 0.25" in torch_source and "widths = [4, 3]" in torch_source
    assert "forward(X[rows], masks)" in torch_source and "forward(X), Y)" in torch_source
    without = replace(spec, dropout=0.0)
    assert "masks" not in torch_code(without) and "dropout" not in numpy_code(without)


def test_torch_codes_masks_are_the_trainers_masks():
    """The PyTorch script's dropout_masks, run with NumPy arrays in place of tensors, draws the
    masks nncore's Trainer draws: the same generator calls in the same order (checked where torch
    is missing too; with torch the losses are compared above)."""
    spec = RunSpec(
        data={"kind": "classification", "name": "xor", "n": 40, "noise": 0.0, "n_classes": 2},
        sizes=[2, 5, 3, 2],
        hidden=["tanh", "relu"],
        epochs=1,
        batch_size=7,
        dropout=0.3,
        seed=4,
    )
    source = torch_code(spec)
    start = source.index("\np = 0.3") + 1
    end = source.index("def forward(")
    script_rng = np.random.default_rng(spec.seed)
    namespace = {"torch": SimpleNamespace(from_numpy=lambda a: a), "rng": script_rng}
    exec(source[start:end], namespace)  # p, widths and dropout_masks, as the script defines them

    drawn = []

    class Recording(nn.Trainer):
        def _dropout_masks(self, m):
            masks = super()._dropout_masks(m)
            drawn.append(masks)
            return masks

    x, y = nn.make_dataset("xor", n=40, noise=0.0, seed=4)
    trainer = Recording(
        nn.MLP(spec.sizes, hidden=spec.hidden, output="softmax"),
        x,
        y,
        batch_size=7,
        seed=4,
        dropout=0.3,
    )
    trainer.step_epoch()
    order = script_rng.permutation(40)  # the script's loop: the order, then per batch the masks
    for first, masks in zip(range(0, 40, 7), drawn, strict=True):
        rows = order[first : first + 7]
        for expected, got in zip(namespace["dropout_masks"](len(rows)), masks, strict=True):
            np.testing.assert_array_equal(expected, got)
