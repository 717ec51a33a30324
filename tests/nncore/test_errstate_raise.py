"""nncore under np.errstate(all="raise"): correct underflow is no error.

e^{-2000} = 0, sigma(-745) = 5e-324 and a squared error of 1e-400 = 0 are the correctly rounded
results; NumPy reports them as underflow, which it ignores by default but raises under
np.errstate(all="raise"). Every function here runs under all="raise" on inputs across the float
range (+-1e308, +-745, +-88 in float32, subnormals, 0, -0.0) and must give the value of a closed
form evaluated in mpmath from the floats as stored, rounded to the dtype; the last tests check
that a result beyond the float range still raises or names what is wrong, as before.
"""

import warnings

import mpmath
import numpy as np
import pytest

import nncore as nn

DTYPES = [np.float64, np.float32]
#: relative tolerance where the exact value is a normal number of the dtype
RTOL = {np.float64: 1e-13, np.float32: 2e-6}

#: inputs across the float range, per dtype: both signs of 0, subnormals, where exp underflows
Z = {
    np.float64: [0.0, -0.0, 5e-324, -5e-324, 2e-308, 1.0, -1.0, 40.0, -40.0, 745.0, -745.0]
    + [746.0, -746.0, 1e3, -1e3, 1e154, -1e154, 1e308, -1e308],
    np.float32: [0.0, -0.0, 1e-45, -1e-45, 1e-38, 1.0, -1.0, 20.0, -20.0, 88.0, -88.0]
    + [104.0, -104.0, 1e3, -1e3, 1e19, -1e19, 3e38, -3e38],
}


def mp(v):
    return mpmath.mpf(float(v))


def exact(values, dtype):
    """mpmath values rounded to the dtype (through float64: both roundings are correct at the
    dtype's precision except at exact ties, which these inputs do not hit)."""
    with np.errstate(over="ignore"):  # beyond the dtype's range: +-inf, correctly
        return np.array([float(v) for v in values], dtype=np.float64).astype(dtype)


def assert_close(got, want, dtype):
    """Relative error at most RTOL where `want` is a normal number of the dtype, within two of
    its smallest subnormals below that (the absolute precision there), equal where it is +-inf
    (a log-probability below the float range)."""
    got = np.asarray(got)
    assert got.dtype == dtype, got.dtype
    tiny = float(np.finfo(dtype).tiny)
    atol = 2 * float(np.finfo(dtype).smallest_subnormal)
    got64, want64 = got.astype(np.float64), np.asarray(want, dtype=np.float64)
    finite = np.isfinite(want64)
    err = np.abs(np.where(finite, got64, 0) - np.where(finite, want64, 0))
    ok = np.where(np.abs(want64) >= tiny, err <= RTOL[dtype] * np.abs(want64), err <= atol)
    ok = np.where(finite, ok, got64 == want64)
    assert ok.all(), (got64[~ok], want64[~ok])


def raising(fn, *args, **kwargs):
    with np.errstate(all="raise"):
        return fn(*args, **kwargs)


# --- closed forms, in mpmath at 60 digits --------------------------------------------------


def sigmoid(v):
    return 1 / (1 + mpmath.exp(-v))


def gelu_u(v):
    return mpmath.sqrt(2 / mpmath.pi) * (v + mpmath.mpf(0.044715) * v**3)


def gelu_grad(v):
    u = gelu_u(v)
    s, s_minus = sigmoid(2 * u), sigmoid(-2 * u)
    du = mpmath.sqrt(2 / mpmath.pi) * (1 + 3 * mpmath.mpf(0.044715) * v**2)
    return s + 2 * v * s * s_minus * du


ACTIVATION_FORMS = {
    "identity": (lambda v: v, lambda v: 1),
    "sigmoid": (sigmoid, lambda v: sigmoid(v) * sigmoid(-v)),
    "tanh": (mpmath.tanh, lambda v: 1 / mpmath.cosh(v) ** 2),
    "relu": (lambda v: max(v, 0), lambda v: 1 if v > 0 else 0),
    "softplus": (lambda v: mpmath.log1p(mpmath.exp(v)), sigmoid),
    "abs": (abs, mpmath.sign),
    "leaky_relu": (lambda v: v if v > 0 else mpmath.mpf(0.01) * v, lambda v: 1 if v > 0 else 0.01),
    "gelu": (lambda v: v * sigmoid(2 * gelu_u(v)), gelu_grad),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("which", ["sigma", "sigma'"])
@pytest.mark.parametrize("name", sorted(ACTIVATION_FORMS))
def test_activations_and_derivatives(name, which, dtype):
    act = nn.get_activation(name)
    fn, form = (act, ACTIVATION_FORMS[name][0]) if which == "sigma" else (act.grad, None)
    form = form or ACTIVATION_FORMS[name][1]
    z = np.array(Z[dtype], dtype=dtype)
    with mpmath.workdps(60):
        want = exact([form(mp(v)) for v in z], dtype)
    assert_close(raising(fn, z), want, dtype)


def test_the_named_shortcuts():
    z = np.array(Z[np.float64])
    with mpmath.workdps(60):
        want = exact([sigmoid(mp(v)) for v in z], np.float64)
    assert_close(raising(nn.sigmoid, z), want, np.float64)
    for fn in (nn.softplus, nn.tanh, nn.relu):
        raising(fn, z)


# --- softmax and its losses ----------------------------------------------------------------

#: score rows whose far entries underflow (alpha multiplies them; with 1e-3 the gap of
#: [1e308, -1e308] is beyond the range and the scores are scaled first)
ROWS = {
    np.float64: [[1000.0, -1000.0], [0.0, -746.0, 5e-324], [1e308, -1e308, 0.0], [-0.0, -5e-324]],
    np.float32: [[88.0, -88.0], [0.0, -104.0, 1e-45], [3e38, -3e38, 0.0], [1e3, -1e3]],
}


def exact_log_softmax(row, alpha):
    scores = [mp(v) * alpha for v in row]
    top = max(scores)
    total = mpmath.fsum(mpmath.exp(s - top) for s in scores)
    return [s - top - mpmath.log(total) for s in scores]


def softmax_cases():
    for dtype in DTYPES:
        for row in ROWS[dtype]:
            for alpha in (1e-3, 1.0, 1e3):
                yield pytest.param(np.array(row, dtype=dtype), alpha, id=f"{row}-{alpha}-{dtype}")


@pytest.mark.parametrize("z, alpha", list(softmax_cases()))
def test_softmax_family(z, alpha):
    dtype = z.dtype.type
    n = z.size
    with mpmath.workdps(60):
        log_p = exact_log_softmax(z, mpmath.mpf(alpha))
        want_log = exact(log_p, dtype)
        p = [mpmath.exp(v) for v in log_p]
        want_p = exact(p, dtype)
        # cross-entropy of each label and its gradient alpha (p - y) (one row, m = 1)
        want_ce = exact([-v for v in log_p], dtype)
        want_grad = [exact([alpha * (p[j] - (j == i)) for j in range(n)], dtype) for i in range(n)]
    assert_close(raising(nn.softmax, z, alpha=alpha), want_p, dtype)
    assert_close(raising(nn.log_softmax, z, alpha=alpha), want_log, dtype)
    assert_close(raising(nn.softmax, z[None, :], alpha=alpha, axis=1)[0], want_p, dtype)
    for i in range(n):
        ce = raising(nn.cross_entropy_with_logits, z[None, :], [i], alpha=alpha)
        assert_close(np.asarray(ce, dtype=dtype), want_ce[i], dtype)
        grad = raising(nn.cross_entropy_with_logits_grad, z[None, :], [i], alpha=alpha)
        assert_close(grad[0], want_grad[i], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_reduced(dtype):
    # the n-th score is fixed at 0: Pr(n) = 1 / (1 + sum_j e^{z_j})
    free = np.array([[-1e3, 5.0], [1e3, -1e3], [-0.0, -800.0]], dtype=dtype)
    with mpmath.workdps(60):
        want = []
        for row in free:
            total = 1 + mpmath.fsum(mpmath.exp(mp(v)) for v in row)
            want.append([mpmath.exp(mp(v)) / total for v in row] + [1 / total])
        want = np.stack([exact(r, dtype) for r in want])
    assert_close(raising(nn.softmax_reduced, free), want, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_jacobian_of_a_nearly_one_hot_row(dtype):
    tiny = float(np.finfo(dtype).smallest_subnormal) * 64
    p = np.array([[tiny, 1.0, 0.0]], dtype=dtype)  # sums to 1 in the dtype
    with mpmath.workdps(60):
        ps = [mp(v) for v in p[0]]
        want = np.stack(
            [exact([ps[i] * ((i == j) - ps[j]) for j in range(3)], dtype) for i in range(3)]
        )
    assert_close(raising(nn.softmax_jacobian, p)[0], want, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("y", [0.0, 0.5, 1.0])
def test_binary_nll_with_logits_and_its_delta(y, dtype):
    # l = y softplus(-z) + (1 - y) softplus(z), dl/dz = sigma(z) - y (one column, m rows)
    z = np.array(Z[dtype], dtype=dtype)
    m = z.size
    with mpmath.workdps(60):

        def softplus(v):
            return mpmath.log1p(mpmath.exp(v))

        rows = [y * softplus(-mp(v)) + (1 - y) * softplus(mp(v)) for v in z]
        finite = [abs(float(r)) <= float(np.finfo(dtype).max) for r in rows]
        want_delta = exact([(sigmoid(mp(v)) - y) / m for v in z], dtype)
    got = raising(nn.binary_nll_with_logits_grad, z, np.full(m, y))
    assert got.dtype == dtype
    # sigma(z) - y near z = 0 is a difference of two halves: exact to half an ulp of 1/2
    eps = float(np.finfo(dtype).eps)
    np.testing.assert_allclose(got, want_delta, rtol=RTOL[dtype], atol=eps / 2 / m)
    # the loss of each row alone (the mean of all would be dominated by the largest)
    for v, row, ok in zip(z, rows, finite, strict=True):
        if ok:
            got = raising(nn.binary_nll_with_logits, np.array([v]), [y])
            assert_close(np.asarray(got, dtype=dtype), exact([row], dtype)[0], dtype)


# --- losses of probabilities and of outputs --------------------------------------------------

SMALL = {np.float64: [5e-324, 1e-310, 1e-200, 1e-160], np.float32: [1e-45, 1e-40, 1e-30, 1e-20]}


@pytest.mark.parametrize("dtype", DTYPES)
def test_squared_error_of_tiny_differences(dtype):
    # (h - y)^2 underflows to 0 or a subnormal: mse = sum / m, d mse / d h = 2 (h - y) / m
    for d in SMALL[dtype] + [-v for v in SMALL[dtype]]:
        h = np.array([[d, 0.0]], dtype=dtype)
        y = np.zeros_like(h)
        with mpmath.workdps(60):
            want_loss = exact([mp(h[0, 0]) ** 2], dtype)[0]
            want_grad = exact([2 * mp(h[0, 0]), 0], dtype)
        assert_close(np.asarray(raising(nn.mse, h, y), dtype=dtype), want_loss, dtype)
        assert_close(raising(nn.mse_grad, h, y)[0], want_grad, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("y", [0.0, 0.5, 1.0])
def test_binary_nll_of_probabilities_near_0_and_1(y, dtype):
    # l = -y ln p - (1 - y) ln(1 - p), dl/dp = -y / p + (1 - y) / (1 - p)
    for p in SMALL[dtype] + [0.5, 1 - float(np.finfo(dtype).eps)]:
        pa = np.array([p], dtype=dtype)
        with mpmath.workdps(60):
            pm = mp(pa[0])
            want = exact([-y * mpmath.log(pm) - (1 - y) * mpmath.log1p(-pm)], dtype)[0]
            want_grad = exact([-y / pm + (1 - y) / (1 - pm)], dtype)
        if np.isfinite(want):
            assert_close(np.asarray(raising(nn.binary_nll, pa, [y]), dtype=dtype), want, dtype)
        if np.isfinite(want_grad).all():
            assert_close(raising(nn.binary_nll_grad, pa, [y]), want_grad, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_of_soft_targets(dtype):
    # a target mass of 1e-300 on a class of probability 1/2: -t ln p underflows, correctly
    t_small = float(np.finfo(dtype).smallest_subnormal) * 8
    p = np.array([[0.5, 0.5]], dtype=dtype)
    t = np.array([[t_small, 1.0 - t_small]], dtype=dtype)
    with mpmath.workdps(60):
        ts, ps = [mp(v) for v in t[0]], [mp(v) for v in p[0]]
        want = exact([-mpmath.fsum(a * mpmath.log(b) for a, b in zip(ts, ps, strict=True))], dtype)
        want_grad = exact([-a / b for a, b in zip(ts, ps, strict=True)], dtype)
    assert_close(np.asarray(raising(nn.cross_entropy, p, t), dtype=dtype), want[0], dtype)
    assert_close(raising(nn.cross_entropy_grad, p, t)[0], want_grad, dtype)


# --- layers, Jacobian products, relative error -----------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_dense_and_activation_layers_with_vanishing_values(dtype):
    s = SMALL[dtype][2]  # products of two such numbers underflow to 0
    h = np.array([[s, 1.0]], dtype=dtype)
    W = np.array([[s, 0.0], [1.0, s]], dtype=dtype)
    z, cache = raising(nn.dense_forward, h, W)
    with mpmath.workdps(60):
        hs, Ws = [mp(v) for v in h[0]], [[mp(v) for v in row] for row in W]
        want_z = exact([hs[0] * Ws[r][0] + hs[1] * Ws[r][1] for r in range(2)], dtype)
    assert_close(z[0], want_z, dtype)
    dz = np.array([[s, 1.0]], dtype=dtype)
    dh, dW, _ = raising(nn.dense_backward, dz, cache)
    with mpmath.workdps(60):
        dzs = [mp(v) for v in dz[0]]
        want_dh = exact([dzs[0] * Ws[0][c] + dzs[1] * Ws[1][c] for c in range(2)], dtype)
        want_dW = np.stack([exact([dzs[r] * hs[c] for c in range(2)], dtype) for r in range(2)])
    assert_close(dh[0], want_dh, dtype)
    assert_close(dW, want_dW, dtype)
    # dl/dz = dl/dh * sigma'(z) for a sigmoid at z = -40 (float64) / -20 (float32)
    zz = np.array([[-40.0 if dtype == np.float64 else -20.0, 0.0]], dtype=dtype)
    _, act_cache = raising(nn.activation_forward, zz, "sigmoid")
    got = raising(nn.activation_backward, np.array([[s, s]], dtype=dtype), act_cache)
    with mpmath.workdps(60):
        want = exact([mp(s) * sigmoid(mp(v)) * sigmoid(-mp(v)) for v in zz[0]], dtype)
    assert_close(got[0], want, dtype)
    A = raising(nn.layer_jacobians, W, zz, "sigmoid")
    with mpmath.workdps(60):
        slopes = [sigmoid(mp(v)) * sigmoid(-mp(v)) for v in zz[0]]
        want_A = np.stack(
            [exact([slopes[r] * Ws[r][c] for c in range(2)], dtype) for r in range(2)]
        )
    assert_close(A[0], want_A, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_vanishing_jacobian_product(dtype):
    # diagonal A^j: the product's diagonal is the product of theirs, 1e-100^4 = 0 in float64
    d = SMALL[dtype][2] ** 0.5
    As = [np.diag(np.array([d, 0.5], dtype=dtype)) for _ in range(4)]
    P = raising(nn.jacobian_product, As)
    with mpmath.workdps(60):
        want = exact([mp(As[0][0, 0]) ** 4, mpmath.mpf(0.5) ** 4], dtype)
    assert_close(np.diag(P), want, dtype)


def test_relative_error_with_entries_far_apart():
    # ||a - b|| / (||a|| + ||b||) with entries 1e300 and 1, or 1 and 1e-200: squares of the
    # scaled small entries underflow and add nothing, correctly
    for a, b in [([1e300, 1.0], [1.0, 1e300]), ([1.0, 1e-200], [1.0, 0.0]), ([5e-324], [0.0])]:
        with mpmath.workdps(60):
            am, bm = [mp(v) for v in a], [mp(v) for v in b]
            norm = lambda v: mpmath.sqrt(mpmath.fsum(x * x for x in v))  # noqa: E731
            diff = [x - y for x, y in zip(am, bm, strict=True)]
            want = float(norm(diff) / (norm(am) + norm(bm)))
        assert raising(nn.relative_error, a, b) == pytest.approx(want, rel=1e-15, abs=1e-300)


# --- the network's passes, against a forward and backward pass in mpmath ---------------------

HIDDEN_FORMS = {
    "sigmoid": ACTIVATION_FORMS["sigmoid"],
    "tanh": ACTIVATION_FORMS["tanh"],
    "softplus": ACTIVATION_FORMS["softplus"],
    "gelu": ACTIVATION_FORMS["gelu"],
}


def mp_pass(net, x, y):
    """(loss, [(dW, db)]) of the lecture's formulas in mpmath, from the network's floats."""
    Ws = [[[mp(v) for v in row] for row in W] for W in net.weights]
    bs = [[mp(v) for v in b] for b in net.biases]
    m = len(x)
    loss, grads = 0, [([[0] * len(W[0]) for _ in W], [0] * len(W)) for W in Ws]
    for r in range(m):
        hs, zs = [[mp(v) for v in x[r]]], []
        for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
            z = [
                mpmath.fsum(w * h for w, h in zip(row, hs[-1], strict=True)) + c
                for row, c in zip(W, b, strict=True)
            ]
            zs.append(z)
            if i < len(Ws) - 1:
                hs.append([HIDDEN_FORMS[net.hidden[i]][0](v) for v in z])
        z = zs[-1]
        if net.output == "identity":
            target = [mp(v) for v in np.atleast_1d(y[r])]
            loss += mpmath.fsum((a - t) ** 2 for a, t in zip(z, target, strict=True))
            dz = [2 * (a - t) for a, t in zip(z, target, strict=True)]
        elif net.output == "sigmoid":
            t = mp(np.atleast_1d(y[r])[0])
            loss += t * mpmath.log1p(mpmath.exp(-z[0])) + (1 - t) * mpmath.log1p(mpmath.exp(z[0]))
            dz = [sigmoid(z[0]) - t]
        else:
            top = max(z)
            lse = top + mpmath.log(mpmath.fsum(mpmath.exp(v - top) for v in z))
            loss += lse - z[int(y[r])]
            dz = [mpmath.exp(v - lse) - (j == int(y[r])) for j, v in enumerate(z)]
        for i in range(len(Ws) - 1, -1, -1):
            dW, db = grads[i]
            for a, d in enumerate(dz):
                db[a] += d / m
                for c, h in enumerate(hs[i]):
                    dW[a][c] += d * h / m
            if i > 0:
                slope = HIDDEN_FORMS[net.hidden[i - 1]][1]
                dz = [
                    mpmath.fsum(dz[a] * Ws[i][a][c] for a in range(len(dz))) * slope(zs[i - 1][c])
                    for c in range(len(hs[i]))
                ]
    return loss / m, grads


def network_cases():
    for dtype in DTYPES:
        for hidden in sorted(HIDDEN_FORMS):
            for output in ("identity", "sigmoid", "softmax"):
                yield pytest.param(hidden, output, dtype, id=f"{hidden}-{output}-{dtype.__name__}")


@pytest.mark.parametrize("hidden, output, dtype", list(network_cases()))
def test_network_passes_with_saturated_units(hidden, output, dtype):
    # x of size 1000 saturates every hidden unit: sigma'(z) and the far softmax or sigmoid terms
    # underflow, correctly
    net = nn.MLP(
        [2, 4, 4, 2 if output == "softmax" else 1],
        hidden=hidden,
        output=output,
        seed=3,
        dtype=dtype,
    )
    x = np.array([[1e3, -1e3], [-30.0, 2.0], [0.5, -0.25]], dtype=dtype)
    y = np.array([1, 0, 1]) if output == "softmax" else np.array([[0.0], [1.0], [1.0]], dtype=dtype)
    with mpmath.workdps(60):
        want_loss, want_grads = mp_pass(net, x, y)
        want_loss = exact([want_loss], dtype)[0]
        want = [
            (exact([v for row in dW for v in row], dtype), exact(db, dtype))
            for dW, db in want_grads
        ]
    loss, grads = raising(net.loss_and_grads, x, y)
    # the passes round at every layer: compare against the gradient's own scale
    tol = {np.float64: 1e-9, np.float32: 2e-3}[dtype]
    assert loss == pytest.approx(float(want_loss), rel=tol)
    assert raising(net.loss, x, y) == pytest.approx(float(want_loss), rel=tol)
    for (dW, db), (wdW, wdb) in zip(grads, want, strict=True):
        got, expected = np.concatenate([dW.ravel(), db]), np.concatenate([wdW, wdb])
        scale = float(np.abs(expected).max()) or 1.0
        np.testing.assert_allclose(got, expected, rtol=tol, atol=tol * scale)
    parts = raising(net.backprop, x, y)
    assert parts.loss == pytest.approx(float(want_loss), rel=tol)
    raising(net.forward, x)
    raising(net.input_jacobians, x)
    raising(net.chain_rule, x[0], y[0], 1)
    flow = raising(nn.gradient_flow, net, x, y)
    # weight_grad_norm is ||dl/dW^i||_F
    w_norms = [float(np.linalg.norm(dW.astype(np.float64))) for dW, _ in want]
    np.testing.assert_allclose(flow.weight_grad_norm, w_norms, rtol=tol * 10)
    raising(nn.jacobian_singular_values, net, x)
    raising(nn.product_singular_values, net, *raising(net.forward_trace, x))


def test_the_frobenius_norm_of_a_vanishing_gradient():
    # gradient_flow and the trainers' norms: the squares of 1e-200 underflow, the norm does not
    from nncore.train import frobenius_norm

    for a, want in [([3e-200, 4e-200], 5e-200), ([3e-320, 4e-320], 5e-320), ([0.0, -0.0], 0.0)]:
        assert raising(frobenius_norm, np.array(a)) == pytest.approx(want, rel=1e-15, abs=0)
    got = raising(frobenius_norm, np.array([3e-30, 4e-30], dtype=np.float32))
    assert got == pytest.approx(5e-30, rel=1e-6)


def test_gradient_check_of_a_saturated_network():
    net = nn.MLP([2, 4, 1], hidden="tanh", output="sigmoid", seed=1)
    x = np.array([[1e3, -1e3], [0.5, 0.25]])
    report = raising(nn.check_gradients, net, x, np.array([1.0, 0.0]))
    assert report.passed()


# --- training: optimisers, trainers, and the helpers built on them ---------------------------

ADAM_GRADS = {np.float64: [1e-200, -1e-300, 0.0], np.float32: [1e-30, -1e-36, 0.0]}


@pytest.mark.parametrize("dtype", DTYPES)
def test_adam_with_vanishing_gradients(dtype):
    # with one gradient g every step, Adam's bias-corrected step is lr g / (|g| + eps): three
    # steps from 0 give -3 lr g / (|g| + eps); g^2 and the decaying moments underflow, correctly
    lr, eps = 1e-3, 1e-8
    g = np.array(ADAM_GRADS[dtype], dtype=dtype)
    for size in (3, 2000):  # both of Adam's second-moment forms (hypot, then v = r^2)
        param = np.zeros(size, dtype=dtype)
        grad = np.resize(g, size)
        opt = nn.get_optimizer("adam", [param], lr, eps=eps)
        for _ in range(3):
            raising(opt.step, [grad])
        with mpmath.workdps(60):
            want = exact([-3 * lr * mp(v) / (abs(mp(v)) + eps) for v in g], dtype)
        assert_close(param[:3], want, dtype)


@pytest.mark.parametrize("trainer", ["fit", "fused"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_one_training_step_on_saturated_units(dtype, trainer):
    # one full-batch SGD step: W <- W - lr dl/dW, with dl/dW from the mpmath pass
    from nncore.fused import FusedTrainer

    net = nn.MLP([2, 4, 1], hidden="sigmoid", output="sigmoid", seed=5, dtype=dtype)
    x = np.array([[1e3, -1e3], [-30.0, 2.0], [0.5, -0.25]], dtype=dtype)
    y = np.array([[0.0], [1.0], [1.0]], dtype=dtype)
    with mpmath.workdps(60):
        _, grads = mp_pass(net, x, y)
        want = []
        for W, (dW, _) in zip(net.weights, grads, strict=True):
            steps = zip(W.ravel(), sum(dW, []), strict=True)
            want.append(exact([mp(w) - mpmath.mpf(0.1) * d for w, d in steps], dtype))
    kw = {"optimizer": "sgd", "lr": 0.1, "epochs": 1, "batch_size": 3}
    if trainer == "fit":
        raising(nn.fit, net, x, y, **kw)
    else:
        raising(FusedTrainer(net, x, y, **kw).run)
    tol = {np.float64: 1e-12, np.float32: 1e-6}[dtype]
    for W, w in zip(net.weights, want, strict=True):
        np.testing.assert_allclose(W.ravel(), w, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_in_chunks_and_tiny_initial_weights(dtype):
    net = nn.MLP([1, 3, 1], hidden="sigmoid", output="sigmoid", bias=False, dtype=dtype)
    net.weights[0][:] = [[1.0], [-1.0], [2.0]]
    net.weights[1][:] = [[1.0, 1.0, -1.0]]
    x = np.array([[-1e3], [0.0], [1e3]], dtype=dtype)
    with mpmath.workdps(60):
        want = []
        for (v,) in x:
            h = [sigmoid(mp(w) * mp(v)) for w in net.weights[0][:, 0]]
            z = mpmath.fsum(mp(w) * a for w, a in zip(net.weights[1][0], h, strict=True))
            want.append(sigmoid(z))
        want = exact(want, dtype)
    assert_close(raising(nn.forward_in_chunks, net, x, chunk=2)[:, 0], want, dtype)
    # N(0, std^2) draws with std below the dtype's normal range: rounded, not an error
    std = float(np.finfo(dtype).tiny) / 1e3
    init = nn.get_initializer(("normal", {"std": std}))
    W = raising(init, (4, 3), np.random.default_rng(0), dtype)
    draws = np.random.default_rng(0).standard_normal((4, 3))
    with mpmath.workdps(60):
        want_W = exact([mp(d) * mp(std) for d in draws.ravel()], dtype).reshape(4, 3)
    assert_close(W, want_W, dtype)


# --- NumPy's default errstate with warnings as errors: nothing to warn about -----------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_no_warning_under_the_default_errstate(dtype):
    z = np.array(Z[dtype], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ACTIVATION_FORMS:
            nn.get_activation(name)(z)
            nn.get_activation(name).grad(z)
        for row in ROWS[dtype]:
            for alpha in (1e-3, 1.0, 1e3):
                nn.softmax(np.array(row, dtype=dtype), alpha=alpha)
                nn.log_softmax(np.array(row, dtype=dtype), alpha=alpha)
                nn.cross_entropy_with_logits_grad(np.array([row], dtype=dtype), [0], alpha=alpha)
        nn.binary_nll_with_logits_grad(z, np.zeros_like(z))
        net = nn.MLP([2, 4, 2], hidden="sigmoid", output="softmax", dtype=dtype)
        net.loss_and_grads(np.array([[1e3, -1e3]], dtype=dtype), np.array([1]))


# --- results beyond the float range: as before ------------------------------------------------


def test_a_squared_error_beyond_the_range_is_still_inf():
    # the loss is +inf, its correctly rounded value, with or without all="raise" (as before)
    assert raising(nn.mse, np.array([[1e200]]), np.array([[0.0]])) == np.inf


def test_a_forward_pass_beyond_the_range_still_names_the_layer():
    net = nn.MLP([1, 2, 1], hidden="relu", bias=False)
    net.weights[0][:] = [[1e300], [1e300]]
    net.weights[1][:] = [[1e300, -1e300]]
    with pytest.raises(ValueError, match="z\\^2"):
        raising(net.forward, np.array([[1e300]]))
    with pytest.raises(ValueError, match="z\\^2"):
        raising(net.loss_and_grads, np.array([[1e300]]), [[0.0]])
    # IEEE results asked for (the trainers): all="raise" but invalid="ignore" gives NaN, as before
    with np.errstate(all="raise", invalid="ignore"):
        loss, _ = net.loss_and_grads(np.array([[1e300]]), [[0.0]])
    assert np.isnan(loss)
