"""Optimisers against hand-written update rules and a quadratic with a known minimum."""

import numpy as np
import pytest

from nncore.optim import OPTIMIZERS, get_optimizer


def quadratic_grad(theta, curvature):
    """Gradient of 0.5 * sum(curvature * theta^2): curvature * theta."""
    return curvature * theta


def test_registry_names():
    assert set(OPTIMIZERS) == {"sgd", "momentum", "nesterov", "adam"}


def test_sgd_one_step_matches_rule_with_weight_decay():
    theta = np.array([1.0, -2.0, 3.0])
    grad = np.array([0.5, 0.5, -1.0])
    expected = theta - 0.1 * (grad + 0.01 * theta)
    opt = get_optimizer("sgd", [theta], lr=0.1, weight_decay=0.01)
    opt.step([grad])
    np.testing.assert_allclose(theta, expected, rtol=0, atol=1e-15)


def test_momentum_two_steps_match_rule():
    theta = np.array([1.0, 2.0])
    g1, g2 = np.array([1.0, -1.0]), np.array([0.5, 2.0])
    v = -0.1 * g1
    t = np.array([1.0, 2.0]) + v
    v = 0.9 * v - 0.1 * g2
    t = t + v
    opt = get_optimizer("momentum", [theta], lr=0.1, momentum=0.9)
    opt.step([g1])
    opt.step([g2])
    np.testing.assert_allclose(theta, t, atol=1e-15)


def test_nesterov_equals_lookahead_gradient_on_quadratic():
    # Classic Nesterov: v <- mu v - eta grad(theta + mu v); theta <- theta + v.
    # Sutskever's reparametrisation tracks phi = theta + mu v; compare phi's trajectory.
    curvature = np.array([1.0, 10.0])
    mu, eta = 0.9, 0.01
    theta_c, v_c = np.array([1.0, 1.0]), np.zeros(2)
    phi = np.array([1.0, 1.0])
    opt = get_optimizer("nesterov", [phi], lr=eta, momentum=mu)
    for _ in range(20):
        v_c = mu * v_c - eta * quadratic_grad(theta_c + mu * v_c, curvature)
        theta_c = theta_c + v_c
        opt.step([quadratic_grad(phi, curvature)])
        np.testing.assert_allclose(phi, theta_c + mu * v_c, rtol=1e-12, atol=1e-14)


def test_adam_matches_textbook_formula():
    rng = np.random.default_rng(0)
    theta = rng.standard_normal(5)
    reference = theta.copy()
    m = np.zeros(5)
    v = np.zeros(5)
    opt = get_optimizer("adam", [theta], lr=0.01)
    for t in range(1, 6):
        grad = rng.standard_normal(5)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        m_hat = m / (1 - 0.9**t)
        v_hat = v / (1 - 0.999**t)
        reference = reference - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
        opt.step([grad])
    np.testing.assert_allclose(theta, reference, rtol=1e-12)


def test_adam_first_step_is_lr_times_sign():
    theta = np.array([0.0, 0.0, 0.0])
    opt = get_optimizer("adam", [theta], lr=0.1)
    opt.step([np.array([3.0, -1e-3, 250.0])])
    np.testing.assert_allclose(theta, [-0.1, 0.1, -0.1], rtol=1e-4)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_minimises_a_quadratic(name):
    curvature = np.array([1.0, 4.0])
    theta = np.array([2.0, -1.5])
    opt = get_optimizer(name, [theta], lr=0.05)
    for _ in range(2000):
        opt.step([quadratic_grad(theta, curvature)])
    np.testing.assert_allclose(theta, 0.0, atol=1e-3)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_float32_stays_float32_and_updates_in_place(name):
    theta = np.ones((2, 3), dtype=np.float32)
    same = theta
    opt = get_optimizer(name, [theta], lr=0.1)
    opt.step([np.ones((2, 3), dtype=np.float64)])
    assert same is theta and theta.dtype == np.float32
    assert np.all(theta < 1)


def test_non_finite_gradient_changes_nothing():
    from nncore.optim import NonFiniteGradientError

    a, b = np.ones(3), np.ones(2)
    opt = get_optimizer("adam", [a, b], lr=0.1)
    with pytest.raises(NonFiniteGradientError, match=r"grads\[1\]"):
        opt.step([np.ones(3), np.array([1.0, np.inf])])
    np.testing.assert_array_equal(a, 1.0)
    assert opt.steps == 0


def test_apply_unchecked_equals_step():
    a, b = np.ones(3), np.ones(3)
    grad = np.array([0.5, -1.0, 2.0])
    get_optimizer("momentum", [a], lr=0.1).step([grad])
    get_optimizer("momentum", [b], lr=0.1).apply_unchecked([grad])
    np.testing.assert_array_equal(a, b)


def test_lr_is_settable_and_checked():
    theta = np.zeros(2)
    opt = get_optimizer("sgd", [theta], lr=0.1)
    opt.lr = 0.5
    opt.step([np.ones(2)])
    np.testing.assert_allclose(theta, -0.5)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1.0


def test_bad_inputs_raise_clear_errors():
    theta = np.zeros((2, 3))
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'.*adam"):
        get_optimizer("rmsprop", [theta], lr=0.1)
    with pytest.raises(ValueError, match=r"grads\[0\] has shape \(3, 2\) but params\[0\]"):
        get_optimizer("sgd", [theta], lr=0.1).step([np.zeros((3, 2))])
    with pytest.raises(ValueError, match="got 2 gradients for 1"):
        get_optimizer("sgd", [theta], lr=0.1).step([theta, theta])
    with pytest.raises(ValueError, match="NaN or inf"):
        get_optimizer("sgd", [theta], lr=0.1).step([np.full((2, 3), np.nan)])
    with pytest.raises(TypeError, match="dtype int64"):
        get_optimizer("sgd", [np.zeros(3, dtype=np.int64)], lr=0.1)
    with pytest.raises(ValueError, match="momentum must be in"):
        get_optimizer("momentum", [theta], lr=0.1, momentum=1.0)
    with pytest.raises(TypeError, match="does not take"):
        get_optimizer("sgd", [theta], lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match="weight_decay"):
        get_optimizer("sgd", [theta], lr=0.1, weight_decay=-1)
