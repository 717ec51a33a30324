"""Adam for gradients whose squares overflow, and Trainer updates without warnings (audit 39,
finding 11)."""

import warnings

import numpy as np
import pytest

import nncore as nn

ULPS = {np.float32: 4 * np.finfo(np.float32).eps, np.float64: 4 * np.finfo(np.float64).eps}


@pytest.mark.parametrize(
    ("dtype", "g"),
    [
        (np.float32, 1e22),  # g^2 overflows float32 beyond 1.8e19 (and (1 - beta2) g^2 at 5.8e20)
        (np.float32, -3.4e38),
        (np.float64, 1e156),  # (1 - beta2) g^2 overflows float64 beyond 4.2e155
        (np.float64, -1e300),
        (np.float64, 1.7976931348623157e308),
    ],
)
def test_adam_first_step_is_lr_times_sign_for_huge_gradients(dtype, g, strict):
    # The first step is eta m_hat / (sqrt(v_hat) + eps) = eta g / (|g| + eps) = eta sign(g) for
    # |g| >> eps. Before the fix v = inf and the step was 0 (with a RuntimeWarning).
    theta = np.zeros(3, dtype=dtype)
    optimizer = nn.get_optimizer("adam", [theta], lr=0.1)
    optimizer.step([np.full(3, g, dtype=dtype)])
    np.testing.assert_allclose(theta, -0.1 * np.sign(g), rtol=ULPS[dtype], atol=0)


def textbook_adam(theta, gradients, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """Kingma & Ba's update written out, in float64, for gradients of ordinary size."""
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t, g in enumerate(gradients, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return theta


def test_adam_with_gradients_near_the_float_limit_matches_the_textbook_scaled_down():
    # Adam is invariant under g -> c g, eps -> c eps: the textbook formula on g / c with eps / c
    # (all squares finite) is the independent reference for gradients of size ~1e200.
    scale = 2.0**700  # a power of two: dividing by it is exact
    rng = np.random.default_rng(3)
    small = [rng.standard_normal(4) for _ in range(6)]
    expected = textbook_adam(np.ones(4), small, lr=0.05, eps=1e-8 / scale)
    theta = np.ones(4)
    optimizer = nn.get_optimizer("adam", [theta], lr=0.05)
    with np.errstate(over="raise", invalid="raise"):
        for g in small:
            optimizer.step([g * scale])
    np.testing.assert_allclose(theta, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("rows", "reason"), [(1, "the training loss became inf"), (2, "the batch loss became inf")]
)
def test_trainer_keeps_an_overflowing_update_to_itself(rows, reason):
    # One weight w, x = 1, y = 1e150: dl/dw = 2 (w - y) ~ -2e150 is finite, but the SGD step
    # lr * dl/dw with lr = 1e200 overflows. Before the fix the update ran outside the Trainer's
    # np.errstate and the user saw "RuntimeWarning: overflow encountered in multiply". The
    # diverged network's loss is inf, reported as such: with one row by the epoch's evaluation,
    # with two by the second batch.
    net = nn.MLP([1, 1], hidden=[], output="identity", bias=False, init="zeros")
    x, y = [[1.0]] * rows, [[1e150]] * rows
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = nn.fit(net, x, y, optimizer="sgd", lr=1e200, epochs=2, batch_size=1)
    assert history.diverged and reason in history.message
    assert not np.isfinite(net.weights[0]).all()
