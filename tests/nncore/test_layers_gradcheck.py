"""Dense layer forward/backward pairs and the gradient-checking tools themselves."""

import numpy as np
import pytest

import nncore as nn
from nncore.datasets import train_test_split


def test_dense_forward_backward_against_central_differences(rng):
    h_prev, W, b = rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=5)
    z, cache = nn.dense_forward(h_prev, W, b)
    np.testing.assert_allclose(z, h_prev @ W.T + b)
    dz = rng.normal(size=z.shape)  # upstream gradient: l = sum(dz * z)
    dh, dW, db = nn.dense_backward(dz, cache)
    np.testing.assert_allclose(
        dh,
        nn.numerical_gradient(lambda t: np.sum(dz * nn.dense_forward(t, W, b)[0]), h_prev.copy()),
        atol=1e-8,
    )
    np.testing.assert_allclose(
        dW,
        nn.numerical_gradient(lambda t: np.sum(dz * nn.dense_forward(h_prev, t, b)[0]), W.copy()),
        atol=1e-8,
    )
    np.testing.assert_allclose(
        db,
        nn.numerical_gradient(lambda t: np.sum(dz * nn.dense_forward(h_prev, W, t)[0]), b.copy()),
        atol=1e-8,
    )


def test_dense_without_bias(rng):
    h_prev, W = rng.normal(size=(2, 3)), rng.normal(size=(4, 3))
    z, cache = nn.dense_forward(h_prev, W)
    np.testing.assert_allclose(z, h_prev @ W.T)
    assert nn.dense_backward(np.ones_like(z), cache)[2] is None


def test_activation_pair(rng):
    z = rng.normal(size=(3, 4))
    h, cache = nn.activation_forward(z, "tanh")
    dh = rng.normal(size=h.shape)
    np.testing.assert_allclose(nn.activation_backward(dh, cache), dh * (1 - np.tanh(z) ** 2))


def test_dense_shape_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"W has shape \(4, 3\) but h_prev has 5 columns"):
        nn.dense_forward(np.zeros((2, 5)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"b has shape \(3,\)"):
        nn.dense_forward(np.zeros((2, 3)), np.zeros((4, 3)), np.zeros(3))


def test_layer_jacobians_are_diag_sigma_prime_times_W(rng):
    W, z = rng.normal(size=(3, 2)), rng.normal(size=(4, 3))
    A = nn.layer_jacobians(W, z, "sigmoid")
    s = 1 / (1 + np.exp(-z))
    for r in range(4):
        np.testing.assert_allclose(A[r], np.diag(s[r] * (1 - s[r])) @ W)


def test_numerical_gradient_of_known_functions(rng):
    x = rng.normal(size=(3, 2))
    np.testing.assert_allclose(
        nn.numerical_gradient(lambda t: np.sum(t**3), x.copy()), 3 * x**2, rtol=1e-7
    )
    v = np.array([0.3, -1.2])
    g = nn.numerical_gradient(lambda t: np.sin(t[0]) * t[1], v.copy())
    np.testing.assert_allclose(g, [np.cos(0.3) * -1.2, np.sin(0.3)], rtol=1e-8)


def test_numerical_gradient_restores_its_input_and_works_by_closure(rng):
    W = rng.normal(size=(2, 2))
    before = W.copy()
    g = nn.numerical_gradient(lambda _: float(np.sum(W * W)), W)  # f reads W, not its argument
    np.testing.assert_array_equal(W, before)
    np.testing.assert_allclose(g, 2 * W, rtol=1e-7)


def test_numerical_gradient_rejects_bad_eps():
    with pytest.raises(ValueError, match="eps"):
        nn.numerical_gradient(np.sum, np.zeros(2), eps=0)
    with pytest.raises(TypeError, match="eps"):
        nn.numerical_gradient(np.sum, np.zeros(2), eps="small")


def test_relative_error():
    a = np.array([1.0, 2.0])
    assert nn.relative_error(a, a) == 0.0
    assert nn.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert nn.relative_error(a, 2 * a) == pytest.approx(1 / 3)
    assert nn.relative_error(a, -a) == pytest.approx(1.0)
    # scale-free over the whole float range: no overflow at 1e300, no underflow at 1e-300
    with np.errstate(over="raise", under="ignore", invalid="raise"):
        assert nn.relative_error(1e300 * a, 2e300 * a) == pytest.approx(1 / 3)
        assert nn.relative_error(np.array([1e-300, 0]), np.array([3e-300, 0])) == pytest.approx(0.5)
        assert nn.relative_error(np.array([1e308]), np.array([-1e308])) == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)"):
        nn.relative_error(a, np.zeros(3))


def test_check_gradients_finds_a_planted_bug(rng):
    net = nn.MLP([2, 3, 1], hidden="tanh", seed=0)
    x, y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    assert nn.check_gradients(net, x, y).max_relative_error < 1e-7

    class Buggy(nn.MLP):
        def loss_and_grads(self, x, y):
            loss, grads = super().loss_and_grads(x, y)
            dW, db = grads[1]
            dW = dW.copy()
            dW[0, 2] *= 1.5  # a planted bug in one entry of W^2
            return loss, [grads[0], (dW, db)]

    bug = Buggy([2, 3, 1], hidden="tanh", seed=0)
    report = nn.check_gradients(bug, x, y)
    assert report.max_relative_error > 1e-3
    assert report.worst_param == "W^2" and report.worst_index == (0, 2)
    assert report.analytic == pytest.approx(1.5 * report.numerical, rel=1e-6)
    assert "W^2" in str(report)


def test_numerical_gradient_names_a_function_that_is_not_a_scalar_and_restores_x():
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"f must return one number .* shape \(3,\)"):
        nn.numerical_gradient(lambda v: v * 2, x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])

    def fails_on_the_second_call(v, calls=[]):  # noqa: B006 (counts calls across the run)
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the loss failed")
        return float(v.sum())

    with pytest.raises(RuntimeError):
        nn.numerical_gradient(fails_on_the_second_call, x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])  # the perturbed entry was put back
    # an array holding one number is a scalar loss: d/dx sum x^2 = 2x
    grad = nn.numerical_gradient(lambda v: np.array([np.sum(v**2)]), np.array([1.0, -2.0]))
    np.testing.assert_allclose(grad, [2.0, -4.0], rtol=1e-8)


@pytest.mark.parametrize(
    ("seed", "error", "words"),
    [(-1, ValueError, "seed must be >= 0, got -1"), (1.5, TypeError, "got 1.5"),
     ("7", TypeError, "got '7'"), (True, TypeError, "got True")],
)  # fmt: skip
def test_a_bad_seed_is_named(seed, error, words):
    """Every seeded function says what a seed must be (NumPy's own message named no argument)."""
    for call in (
        lambda: nn.MLP([2, 3, 1], seed=seed),
        lambda: nn.make_moons(20, seed=seed),
        lambda: nn.Trainer(nn.MLP([2, 3, 1]), np.zeros((4, 2)), np.zeros((4, 1)), seed=seed),
        lambda: train_test_split(np.zeros((10, 2)), np.zeros(10), seed=seed),
    ):
        with pytest.raises(error, match="seed") as raised:
            call()
        assert words in str(raised.value)
