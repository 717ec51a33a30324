"""fit and Trainer: it learns, runs reproduce, callbacks stop, divergence is caught."""

import json

import numpy as np
import pytest

import nncore as nn
from nncore.datasets import make_dataset
from nncore.train import History, Trainer, fit


def sine_data():
    x = np.linspace(-np.pi, np.pi, 128)[:, None]
    return x, np.sin(x)


def test_fit_reduces_regression_loss_and_records_everything():
    x, y = sine_data()
    net = nn.MLP([1, 16, 1], hidden="tanh", seed=0)
    history = fit(net, x, y, lr=0.02, epochs=60, batch_size=16, x_val=x[::3], y_val=y[::3])
    assert isinstance(history, History)
    assert history.epochs == 60
    assert history.loss[-1] < 0.1 * history.initial_loss
    assert history.loss[-1] == pytest.approx(net.loss(x, y))
    assert history.val_loss[-1] == pytest.approx(net.loss(x[::3], y[::3]))
    assert history.accuracy == [] and history.val_accuracy == []
    assert len(history.grad_norms) == 60 and all(len(row) == 2 for row in history.grad_norms)
    assert history.wall_time > 0 and len(history.epoch_time) == 60
    assert not history.stopped_early and not history.diverged
    json.dumps(history.to_dict())


def test_fit_classifies_moons():
    x, y = make_dataset("moons", n=200, noise=0.1, seed=0)
    net = nn.MLP([2, 16, 16, 2], hidden="relu", output="softmax", seed=1)
    history = fit(net, x, y, lr=0.01, epochs=80, batch_size=20, x_val=x[:50], y_val=y[:50])
    assert len(history.accuracy) == len(history.val_accuracy) == 80
    assert history.val_accuracy[-1] == pytest.approx(np.mean(net.predict(x[:50]) == y[:50]))
    assert history.accuracy[-1] == pytest.approx(np.mean(net.predict(x) == y))
    assert history.accuracy[-1] > 0.97


def test_sigmoid_accuracy_matches_predict():
    x, y = make_dataset("circles", n=120, noise=0.05, seed=2)
    net = nn.MLP([2, 8, 1], hidden="tanh", output="sigmoid", seed=0)
    history = fit(net, x, y, lr=0.05, epochs=40, batch_size=10)
    assert history.accuracy[-1] == pytest.approx(np.mean(net.predict(x) == y))


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adam"])
def test_same_seed_same_run(optimizer):
    x, y = make_dataset("xor", n=100, noise=0.1, seed=0)
    runs = []
    for _ in range(2):
        net = nn.MLP([2, 8, 2], hidden="tanh", output="softmax", seed=3)
        history = fit(net, x, y, optimizer=optimizer, lr=0.05, epochs=5, batch_size=7, seed=11)
        runs.append((history.loss, [W.copy() for W in net.weights]))
    assert runs[0][0] == runs[1][0]
    for a, b in zip(runs[0][1], runs[1][1], strict=True):
        np.testing.assert_array_equal(a, b)
    net = nn.MLP([2, 8, 2], hidden="tanh", output="softmax", seed=3)
    other = fit(net, x, y, optimizer=optimizer, lr=0.05, epochs=5, batch_size=7, seed=12)
    assert other.loss != runs[0][0]


def test_one_epoch_of_full_batch_sgd_equals_a_hand_step():
    x, y = sine_data()
    net = nn.MLP([1, 4, 1], hidden="tanh", seed=0)
    reference = net.copy()
    fit(net, x, y, optimizer="sgd", lr=0.1, epochs=1, batch_size=len(x))
    _, grads = reference.loss_and_grads(x, y)
    for W, b, (dW, db) in zip(reference.weights, reference.biases, grads, strict=True):
        W -= 0.1 * dW
        b -= 0.1 * db
    for a, b in zip(net.params(), reference.params(), strict=True):
        # an entry near 0 after the step comes from cancellation: tolerance relative to the step
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-14 * np.abs(b).max())


def test_grad_norms_are_the_batch_mean_of_frobenius_norms():
    x, y = sine_data()
    net = nn.MLP([1, 4, 3, 1], hidden="tanh", seed=0)
    reference = net.copy()
    history = fit(net, x, y, optimizer="sgd", lr=0.1, epochs=1, batch_size=len(x))
    _, grads = reference.loss_and_grads(x, y)
    np.testing.assert_allclose(history.grad_norms[0], [np.linalg.norm(dW) for dW, _ in grads])


def test_callback_stops_training():
    x, y = sine_data()
    net = nn.MLP([1, 8, 1], hidden="tanh", seed=0)
    seen = []

    def callback(epoch, history, network):
        seen.append(epoch)
        assert network is net and history.epochs == epoch + 1
        return epoch == 4

    history = fit(net, x, y, epochs=50, callback=callback)
    assert seen == [0, 1, 2, 3, 4]
    assert history.epochs == 5 and history.stopped_early


def test_schedule_sets_the_learning_rate_per_epoch():
    x, y = sine_data()
    net = nn.MLP([1, 4, 1], seed=0)
    history = fit(
        net, x, y, lr=0.1, epochs=6, schedule="step", schedule_kwargs={"step_size": 2, "gamma": 0.5}
    )
    assert history.lr == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.025])


def test_trainer_can_run_past_the_schedule_horizon():
    x, y = sine_data()
    trainer = Trainer(nn.MLP([1, 4, 1], seed=0), x, y, lr=0.1, epochs=3, schedule="cosine")
    for _ in range(5):
        trainer.step_epoch()
    rates = trainer.history.lr
    assert rates[3] == rates[4] == rates[2] > 0
    assert trainer.epoch == 5


def test_stop_button():
    x, y = sine_data()
    trainer = Trainer(nn.MLP([1, 4, 1], seed=0), x, y, epochs=10)
    trainer.step_epoch()
    trainer.stop()
    assert trainer.step_batch() is None and trainer.step_epoch() is None
    assert trainer.history.stopped_early and trainer.history.epochs == 1


def test_trainer_batch_and_epoch_steps_match_fit():
    x, y = make_dataset("moons", n=50, noise=0.1, seed=0)
    net_fit = nn.MLP([2, 6, 2], hidden="tanh", output="softmax", seed=0)
    net_step = nn.MLP([2, 6, 2], hidden="tanh", output="softmax", seed=0)
    history = fit(net_fit, x, y, lr=0.05, epochs=3, batch_size=10, seed=5)
    trainer = Trainer(net_step, x, y, lr=0.05, epochs=3, batch_size=10, seed=5)
    for _ in range(5):  # 5 batches = one epoch of 50 rows
        assert trainer.step_batch() is not None
    assert trainer.epoch == 1
    trainer.step_batch()  # half-way into epoch 2 ...
    trainer.step_epoch()  # ... step_epoch finishes it
    trainer.step_epoch()
    assert trainer.history.loss == history.loss
    np.testing.assert_array_equal(net_fit.weights[0], net_step.weights[0])


def test_divergence_is_reported_not_raised():
    x, y = sine_data()
    net = nn.MLP([1, 16, 16, 1], hidden="relu", seed=0)
    history = fit(net, x * 1e3, y * 1e3, optimizer="sgd", lr=10.0, epochs=20, batch_size=8)
    assert history.diverged and history.stopped_early
    assert "diverged" in history.message and history.epochs < 20


def test_frobenius_norm_survives_huge_entries():
    from nncore.train import frobenius_norm

    a = np.array([[3e200, 4e200], [0.0, 0.0]])
    assert frobenius_norm(a) == pytest.approx(5e200)
    assert frobenius_norm(np.zeros((2, 2))) == 0.0
    b = np.random.default_rng(0).standard_normal((5, 4))
    assert frobenius_norm(b) == pytest.approx(np.linalg.norm(b), rel=1e-14)


def test_float32_network_trains_in_float32():
    x, y = sine_data()
    net = nn.MLP([1, 8, 1], hidden="tanh", seed=0, dtype=np.float32)
    history = fit(net, x, y, epochs=3)
    assert all(W.dtype == np.float32 for W in net.weights)
    assert history.loss[-1] < history.initial_loss


def test_bad_inputs():
    x, y = sine_data()
    net = nn.MLP([1, 4, 1], seed=0)
    with pytest.raises(ValueError, match="m rows"):
        fit(net, x, y[:-1])
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        fit(net, x, y, batch_size=0)
    with pytest.raises(ValueError, match="unknown optimizer"):
        fit(net, x, y, optimizer="lbfgs")
    with pytest.raises(ValueError, match="both x_val and y_val"):
        fit(net, x, y, x_val=x)
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        fit(net, x, y, epochs=0)
    with pytest.raises(ValueError):
        fit(net, np.full_like(x, np.nan), y)
