"""save_network / load_network: exact round trips, no pickle, clear errors."""

import json
import zipfile

import numpy as np
import pytest

import nncore as nn
from nncore.io import load_network, save_network
from nncore.train import fit


@pytest.mark.parametrize("suffix", [".npz", ".json"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_trip_is_exact(tmp_path, suffix, dtype):
    net = nn.MLP([3, 5, 4, 2], hidden=["tanh", "relu"], output="softmax", seed=7, dtype=dtype)
    for W in net.weights:  # make the weights non-trivial, with awkward floats
        W += np.float64(1 / 3)
    path = save_network(tmp_path / f"net{suffix}", net, meta={"dataset": "spirals", "seed": 4})
    loaded, meta = load_network(path)
    assert loaded.config() == net.config()
    for a, b in zip(loaded.params(), net.params(), strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    assert meta == {"dataset": "spirals", "seed": 4}
    x = np.random.default_rng(0).standard_normal((4, 3))
    np.testing.assert_array_equal(loaded.forward(x), net.forward(x))


def test_history_and_training_config_are_saved(tmp_path):
    x = np.linspace(-1, 1, 32)[:, None]
    net = nn.MLP([1, 4, 1], seed=0)
    history = fit(net, x, x**2, epochs=3)
    _, meta = load_network(save_network(tmp_path / "n.npz", net, history=history))
    assert meta["history"]["loss"] == history.loss
    assert meta["history"]["config"]["optimizer"]["name"] == "adam"


def test_no_bias_network(tmp_path):
    net = nn.MLP([2, 3, 1], bias=False, seed=1)
    loaded, _ = load_network(save_network(tmp_path / "n.json", net))
    assert loaded.biases == [None, None]
    np.testing.assert_array_equal(loaded.weights[1], net.weights[1])


def test_npz_holds_no_pickled_objects(tmp_path):
    path = save_network(tmp_path / "n.npz", nn.MLP([2, 2, 1], seed=0), meta={"a": [1, 2]})
    with np.load(path, allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)
        header = json.loads(str(data["header"]))
    assert header["format"] == "nnlab-network"
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["W1.npy", "W2.npy", "b1.npy", "b2.npy", "header.npy"]


def test_errors(tmp_path):
    net = nn.MLP([2, 2, 1], seed=0)
    with pytest.raises(ValueError, match=r"must end in \.npz or \.json"):
        save_network(tmp_path / "n.pkl", net)
    with pytest.raises(TypeError, match="cannot be stored as JSON"):
        save_network(tmp_path / "n.json", net, meta={"f": object()})
    with pytest.raises(FileNotFoundError):
        load_network(tmp_path / "missing.npz")
    (tmp_path / "other.json").write_text('{"hello": 1}')
    with pytest.raises(ValueError, match="not an nnlab network file"):
        load_network(tmp_path / "other.json")
    path = save_network(tmp_path / "n.json", net)
    data = json.loads(path.read_text())
    data["weights"][0] = [[1.0, 2.0, 3.0]]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"W1 has shape \(1, 3\), expected \(2, 2\)"):
        load_network(path)
