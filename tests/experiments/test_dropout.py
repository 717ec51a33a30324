"""Inverted dropout (nncore.dropout, Trainer(dropout=p), FusedTrainer): against a hand-written
forward/backward with the same masks, central differences, the expected value over many masks,
eval mode without dropout, p = 0 as before, and the checks on p."""

import math

import numpy as np
import pytest

import nncore as nn
from nncore.dropout import check_dropout, dropout_masks, forward_trace, loss_and_grads
from nncore.export import RunSpec
from nncore.fused import FusedTrainer

TRAINERS = [nn.Trainer, FusedTrainer]


def _data(m=12, n_0=3, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, n_0)), rng.integers(0, n_classes, size=m)


def _hand_masks(rng, m, widths, p):
    """The documented draw, written out: d_rj = [u_rj >= p], u ~ U[0, 1), one (m, n_i) matrix
    per hidden layer in layer order; the mask carries the 1/(1 - p)."""
    masks = []
    for n in widths:
        keep = rng.random((m, n)) >= p
        masks.append(np.where(keep, 1.0 / (1.0 - p), 0.0))
    return masks


def _hand_tanh_relu_softmax(Ws, bs, x, labels, masks):
    """Plain NumPy, layer by layer, for [n_0, n_1 (tanh), n_2 (relu), n_3 (softmax)]:
    h~^i = h^i * D^i in training, cross-entropy of the mean over rows, and its gradient."""
    (W1, W2, W3), (b1, b2, b3) = Ws, bs
    m = x.shape[0]
    z1 = x @ W1.T + b1
    h1 = np.tanh(z1)
    t1 = h1 * masks[0]
    z2 = t1 @ W2.T + b2
    h2 = np.maximum(z2, 0.0)
    t2 = h2 * masks[1]
    z3 = t2 @ W3.T + b3
    shifted = z3 - z3.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(m), labels].mean()
    one_hot = np.eye(W3.shape[0])[labels]
    dz3 = (np.exp(log_p) - one_hot) / m
    dW3, db3 = dz3.T @ t2, dz3.sum(axis=0)
    dz2 = (dz3 @ W3) * masks[1] * (z2 > 0)
    dW2, db2 = dz2.T @ t1, dz2.sum(axis=0)
    dz1 = (dz2 @ W2) * masks[0] * (1 - h1**2)
    dW1, db1 = dz1.T @ x, dz1.sum(axis=0)
    return loss, [(dW1, db1), (dW2, db2), (dW3, db3)]


# ------------------------------------------------------------------ (a) the gradient of a step
@pytest.mark.parametrize("trainer_class", TRAINERS)
def test_one_step_equals_a_hand_written_backward_with_the_same_masks(trainer_class):
    x, y = _data()
    p, lr, seed = 0.5, 0.1, 3
    net = nn.MLP([3, 5, 4, 3], hidden=["tanh", "relu"], output="softmax", seed=1)
    Ws, bs = [W.copy() for W in net.weights], [b.copy() for b in net.biases]
    trainer = trainer_class(
        net, x, y, optimizer="sgd", lr=lr, batch_size=len(x), seed=seed, dropout=p
    )
    trainer.step_batch()
    # by hand: the epoch's order, then this batch's masks, from the same seed
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x))
    masks = _hand_masks(rng, len(x), [5, 4], p)
    assert any((D == 0).any() for D in masks) and any((D > 0).any() for D in masks)
    loss, grads = _hand_tanh_relu_softmax(Ws, bs, x[order], y[order], masks)
    for W0, b0, (dW, db), W, b in zip(Ws, bs, grads, net.weights, net.biases, strict=True):
        step_W, step_b = lr * dW, lr * db
        np.testing.assert_allclose(W0 - W, step_W, rtol=1e-10, atol=1e-13 * np.abs(W0).max())
        np.testing.assert_allclose(b0 - b, step_b, rtol=1e-10, atol=1e-13 * np.abs(b0).max())
    # the batch loss the step saw is the training-mode loss (through the masks)
    assert trainer.history.batch_loss[0] == pytest.approx(loss, rel=1e-12)


def test_dropout_gradient_matches_central_differences_with_the_masks_fixed():
    net = nn.MLP([3, 6, 5, 2], hidden=["tanh", "sigmoid"], output="softmax", seed=4)
    x, y = _data(m=8, n_classes=2, seed=5)
    masks = _hand_masks(np.random.default_rng(9), 8, [6, 5], 0.3)

    def hand_loss():  # forward only, written out with the fixed masks
        h = x
        for i, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
            z = h @ W.T + b
            if i == 0:
                h = np.tanh(z) * masks[0]
            elif i == 1:
                h = 1 / (1 + np.exp(-z)) * masks[1]
        shifted = z - z.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return -log_p[np.arange(len(y)), y].mean()

    loss, grads = loss_and_grads(net, x, y, masks)
    assert loss == pytest.approx(hand_loss(), rel=1e-13)
    for i, (dW, db) in enumerate(grads):
        numeric_W = nn.numerical_gradient(lambda _: hand_loss(), net.weights[i])
        numeric_b = nn.numerical_gradient(lambda _: hand_loss(), net.biases[i])
        assert nn.relative_error(dW, numeric_W) < 1e-7
        assert nn.relative_error(db, numeric_b) < 1e-7
    # a dropped unit passes no gradient: the weights it feeds get dl/dW = 0 in its column
    dropped = masks[0] == 0
    fully_dropped = np.flatnonzero(dropped.all(axis=0))
    np.testing.assert_array_equal(grads[1][0][:, fully_dropped], 0.0)


def test_masks_of_ones_give_the_plain_gradient():
    net = nn.MLP([3, 4, 4, 3], hidden=["relu", "tanh"], output="softmax", seed=2)
    x, y = _data()
    ones = [np.ones((len(x), 4)), np.ones((len(x), 4))]
    loss, grads = loss_and_grads(net, x, y, ones)
    plain_loss, plain = net.loss_and_grads(x, y)
    assert loss == plain_loss
    for (dW, db), (pW, pb) in zip(grads, plain, strict=True):
        np.testing.assert_array_equal(dW, pW)
        np.testing.assert_array_equal(db, pb)
    with pytest.raises(ValueError, match=r"one \(m, n_i\) array per hidden layer"):
        loss_and_grads(net, x, y, ones[:1])


# ---------------------------------------------------------------------- (b) eval mode, no dropout
def _eval_loss_by_hand(net, x, labels):
    h = x
    for i, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        z = h @ W.T + b
        if i < net.depth - 1:
            h = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0.0)}[net.hidden[i]](z)
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(labels)), labels].mean(), h


@pytest.mark.parametrize("trainer_class", TRAINERS)
def test_evaluation_is_without_dropout_and_draws_nothing(trainer_class):
    x, y = nn.make_dataset("moons", n=60, noise=0.1, seed=0)
    net = nn.MLP([2, 8, 6, 2], hidden=["tanh", "relu"], output="softmax", seed=0)
    trainer = trainer_class(
        net, x[:45], y[:45], lr=0.05, batch_size=10, seed=2, dropout=0.5, x_val=x[45:], y_val=y[45:]
    )
    trainer.step_epoch()
    trainer.step_epoch()
    # the history's losses are the network without dropout, as a plain forward pass gives them
    train_loss, _ = _eval_loss_by_hand(net, x[:45], y[:45])
    val_loss, _ = _eval_loss_by_hand(net, x[45:], y[45:])
    assert trainer.history.loss[-1] == pytest.approx(train_loss, rel=1e-12)
    assert trainer.history.val_loss[-1] == pytest.approx(val_loss, rel=1e-12)
    # evaluating twice gives the same outputs; the generator made exactly the training draws:
    # per epoch one permutation, then per batch one uniform matrix per hidden layer
    first, second = net.forward(x), net.forward(x)
    np.testing.assert_array_equal(first, second)
    expected = np.random.default_rng(2)
    for _ in range(2):
        expected.permutation(45)
        for size in (10, 10, 10, 10, 5):
            expected.random((size, 8))
            expected.random((size, 6))
    assert trainer.rng.bit_generator.state == expected.bit_generator.state


# ------------------------------------------------------ (c) the expected value over many masks
@pytest.mark.parametrize("p", [0.1, 0.5])
def test_mean_over_many_masks_is_the_eval_activation(p):
    net = nn.MLP([2, 7, 3], hidden="tanh", output="softmax", seed=6)
    point = np.array([[0.4, -1.1]])
    eval_h1 = net.forward_trace(point)[0][1][0]  # h^1 without dropout, (n_1,)
    n_samples = 40_000
    repeated = np.repeat(point, n_samples, axis=0)
    masks = dropout_masks(np.random.default_rng(0), n_samples, [7], p)
    inputs, hidden, _ = forward_trace(net, repeated, masks)
    trained_h1 = inputs[1]  # h~^1, one mask per row
    np.testing.assert_array_equal(hidden[0], np.broadcast_to(eval_h1, (n_samples, 7)))
    # each entry is 0 or h_j / (1 - p)
    kept = masks[0] != 0
    np.testing.assert_allclose(trained_h1[kept], (hidden[0] / (1 - p))[kept], rtol=1e-15)
    assert (trained_h1[~kept] == 0).all()
    # h~_j = h_j d_j / (1 - p) with d_j ~ Bernoulli(1 - p): mean h_j, variance h_j^2 p / (1 - p);
    # the sample mean of N draws is within 5 standard errors h_j sqrt(p / ((1 - p) N))
    tolerance = 5 * np.abs(eval_h1) * math.sqrt(p / ((1 - p) * n_samples))
    assert (np.abs(trained_h1.mean(axis=0) - eval_h1) <= tolerance).all()
    # the share of kept units is 1 - p, within 5 binomial standard errors
    share = kept.mean()
    assert abs(share - (1 - p)) <= 5 * math.sqrt(p * (1 - p) / kept.size)


# ------------------------------------------------------------- (d) p = 0 is the run it was
@pytest.mark.parametrize("trainer_class", TRAINERS)
def test_p_zero_is_the_plain_run_bit_for_bit(trainer_class):
    x, y = nn.make_dataset("spirals", n=90, noise=0.1, seed=1, n_classes=3)
    seed, lr, batch = 7, 0.05, 16
    net = nn.MLP([2, 6, 5, 3], hidden=["tanh", "relu"], output="softmax", seed=3)
    by_hand = net.copy()
    trainer = trainer_class(
        net, x, y, optimizer="sgd", lr=lr, batch_size=batch, seed=seed, dropout=0
    )
    for _ in range(3):
        trainer.step_epoch()
    # the loop written out: one permutation per epoch, plain gradients, theta <- theta - eta g
    rng = np.random.default_rng(seed)
    for _ in range(3):
        order = rng.permutation(len(x))
        for first in range(0, len(x), batch):
            rows = order[first : first + batch]
            _, grads = by_hand.loss_and_grads(x[rows], y[rows])
            for param, grad in zip(by_hand.params(), by_hand.grads_list(grads), strict=True):
                param -= lr * grad
    for a, b in zip(net.params(), by_hand.params(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert trainer.rng.bit_generator.state == rng.bit_generator.state  # no extra draws
    assert trainer.dropout == 0.0 and trainer.history.config["dropout"] == 0.0


# ------------------------------------------------------------------------ Trainer = FusedTrainer
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fused_trainer_with_dropout_is_trainers_run_in_both_dtypes(dtype):
    x, y = nn.make_dataset("circles", n=80, noise=0.05, seed=3)
    runs = []
    for trainer_class in TRAINERS:
        net = nn.MLP([2, 8, 8, 2], hidden=["relu", "tanh"], output="softmax", seed=5, dtype=dtype)
        trainer = trainer_class(
            net, x, y, optimizer="adam", lr=0.02, batch_size=10, seed=1, dropout=0.2, l2=1e-3
        )
        for _ in range(3):
            trainer.step_epoch()
        runs.append((net, trainer.history))
    (net_a, history_a), (net_b, history_b) = runs
    for a, b in zip(net_a.params(), net_b.params(), strict=True):
        assert a.dtype == b.dtype == dtype
        np.testing.assert_array_equal(a, b)
    assert history_a.loss == history_b.loss and history_a.batch_loss == history_b.batch_loss
    assert history_a.loss[-1] < history_a.initial_loss


def test_float32_masks_are_the_float64_masks():
    widths = [4, 3]
    double = dropout_masks(np.random.default_rng(8), 5, widths, 0.3)
    single = dropout_masks(np.random.default_rng(8), 5, widths, 0.3, dtype=np.float32)
    for a, b in zip(double, single, strict=True):
        assert b.dtype == np.float32
        np.testing.assert_array_equal(a != 0, b != 0)
        np.testing.assert_allclose(b[b != 0], 1 / 0.7, rtol=1e-7)


def test_no_hidden_layer_means_nothing_to_drop():
    x, y = _data()
    runs = []
    for p in (0.0, 0.5):
        net = nn.MLP([3, 3], output="softmax", seed=0)
        trainer = nn.Trainer(net, x, y, lr=0.1, batch_size=4, seed=0, dropout=p)
        trainer.step_epoch()
        runs.append(net.weights[0])
    np.testing.assert_array_equal(runs[0], runs[1])


# ------------------------------------------------------------------------ (e) checks on p
@pytest.mark.parametrize("bad", [1.0, 1.5, -0.1, math.nan, math.inf, "0.2", None, True, [0.2]])
def test_invalid_dropout_is_a_value_error_naming_it(bad):
    x, y = _data()
    with pytest.raises(ValueError, match="dropout"):
        check_dropout(bad)
    for trainer_class in TRAINERS:
        with pytest.raises(ValueError, match=r"dropout must be a number p in \[0, 1\)"):
            trainer_class(nn.MLP([3, 4, 3], output="softmax"), x, y, dropout=bad)
    spec = RunSpec(data={"kind": "digits"}, sizes=[64, 8, 10], hidden=["tanh"], dropout=bad)
    with pytest.raises(ValueError, match="dropout"):
        spec.check()


@pytest.mark.parametrize("good", [0, 0.0, 0.5, 0.999, np.float32(0.25), np.int64(0)])
def test_valid_dropout_values(good):
    assert check_dropout(good) == float(good)
