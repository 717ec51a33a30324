"""Gradient flow: how activations and back-propagated gradients change from layer to layer.

The lecture: dl/dW^i = dl/dh^k A^k ... A^{i+1} df^i/dW^i with A^j = diag(sigma'(z^j)) W^j, so
the gradient reaching layer i carries one factor A^j per layer above it. If those factors are
small (sigma' <= 1/4 for the sigmoid, or small weights) gradients vanish toward the input; if
large, they explode. Glorot & Bengio (2010) measured exactly these per-layer statistics.

Per hidden layer i = 1..k-1 (``gradient_flow``):
- activation mean and std of h^i over the batch and units;
- saturated fraction: the share of ACTIVATIONS (entries: one data point, one unit) where
  sigma'(z^i) < saturation * max sigma' (default 5%): for the sigmoid h < 0.013 or h > 0.987, for
  tanh |h| > 0.975, for ReLU z <= 0 (a unit inactive on that one input);
- dead units: units whose sigma'(z^i) is 0 on EVERY input of the batch (for ReLU: z <= 0 on every
  input), the lecture's "useless units": no gradient ever reaches their weights;
Per layer i = 1..k:
- ||dl/dW^i||_F, the weight gradient, and ||dl/dz^i||_F and the std of dl/dz^i, the
  back-propagated gradient ("delta") arriving at layer i.

Which norm of A^j predicts the ratio ||dl/dh^0|| / ||dl/dh^{k-1}||? A row vector g of n_j
numbers with no preferred direction comes out of g A^j with E||g A^j||^2 = ||A^j||_F^2 / n_j
||g||^2, so the RMS gain ||A^j||_F / sqrt(n_j) (``rms_gains``) is the factor a typical gradient
picks up, and log10 ||dl/dh^0|| / ||dl/dh^{k-1}|| ~ sum_{j=1}^{k-1} log10 ||A^j||_F / sqrt(n_j).
With the spectral norm ||A^j||_2 (``spectral_norms``) the relation is only an upper bound, and a
loose one: the largest singular direction is rarely the gradient's. For W^j with entries of
variance Var(W) and independent z, ||A^j||_F^2 / n_j ~ n_{j-1} Var(W) E[sigma'(z^j)^2], so the
product stays near 1 only when n Var(W) E[sigma'(z)^2] ~ 1 (equal widths n).
"""

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from nncore._checks import check_net, rng_from
from nncore.activations import get_activation
from nncore.backprop import jacobian_product
from nncore.optim import get_optimizer
from nncore.softmax import softmax_jacobian
from nncore.train import Trainer, frobenius_norm

_PROBE = np.linspace(-10.0, 10.0, 2001)


def max_derivative(name):
    """max over z in [-10, 10] of sigma'(z): 1/4 for the sigmoid, 1 for tanh and ReLU."""
    return float(np.max(get_activation(name).grad(_PROBE)))


@dataclass
class GradientFlow:
    """Per-layer statistics of one forward and backward pass (lists indexed by layer)."""

    activation_mean: list  # hidden layers 1..k-1
    activation_std: list
    saturated_fraction: list
    weight_grad_norm: list  # layers 1..k
    delta_norm: list
    delta_std: list
    loss: float
    hidden: list
    dead_units: list = field(default_factory=list)  # hidden layers 1..k-1, counts

    # Short names for the same lists.
    @property
    def mean(self):
        return self.activation_mean

    @property
    def std(self):
        return self.activation_std

    @property
    def saturated(self):
        return self.saturated_fraction

    @property
    def grad_norms(self):
        """The back-propagated gradient norms ||dl/dz^i||_F, i = 1..k (``delta_norm``)."""
        return self.delta_norm

    def to_dict(self):
        return asdict(self)


def gradient_flow(net, x, y, saturation=0.05):
    """Activation statistics and back-propagated gradient sizes, layer by layer.

    Args:
        net: nn.MLP; x: (m, n_0); y: targets for net's output unit.
        saturation: a unit counts as saturated where sigma'(z) < saturation * max sigma'.

    Returns:
        GradientFlow (see the module docstring for each field).
    """
    check_net(net)
    if not 0 < saturation < 1:
        raise ValueError(f"saturation must be in (0, 1), got {saturation}")
    result = net.backprop(x, y)
    with np.errstate(under="ignore"):  # a square below the float range adds 0, correctly
        means = [float(h.mean()) for h in result.hs[1:-1]]
        stds = [float(h.std()) for h in result.hs[1:-1]]
        delta_stds = [float(dz.std()) for dz in result.dz]
    return GradientFlow(
        activation_mean=means,
        activation_std=stds,
        saturated_fraction=saturated_fraction(net, result.zs, saturation).tolist(),
        weight_grad_norm=[frobenius_norm(dW) for dW, _ in result.grads],
        delta_norm=[frobenius_norm(dz) for dz in result.dz],
        delta_std=delta_stds,
        loss=float(result.loss),
        hidden=list(net.hidden),
        dead_units=dead_units(net, result.zs).tolist(),
    )


def saturated_fraction(net, zs, saturation=0.05):
    """Share of ACTIVATIONS (entries) per hidden layer whose sigma'(z^i) is near zero.

    zs: [z^1..z^k], each (m, n_i) (only the hidden ones, z^1..z^{k-1}, are used). An entry (one
    data point, one unit) counts where |sigma'(z)| < saturation * max sigma'. This counts
    entries, not units: a ReLU unit below zero on half the inputs adds half a unit's worth.
    Returns (k-1,).
    """
    if not 0 < saturation < 1:
        raise ValueError(f"saturation must be in (0, 1), got {saturation}")
    shares = []
    for name, z in zip(net.hidden, zs[: len(net.hidden)], strict=True):
        threshold = saturation * max_derivative(name)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            slope = np.abs(get_activation(name).grad(z))
        shares.append(float(np.mean(slope < threshold)))
    return np.asarray(shares)


def dead_unit_mask(net, zs):
    """Per hidden layer, the units that pass no gradient on any input of the batch.

    A unit of layer i is dead when sigma'(z^i) = 0 for every data point (row) of z^i: for ReLU,
    z <= 0 on every input (relu'(0) = 0), the lecture's "useless unit". zs: [z^1..z^k] (m, n_i).
    Returns a list of k-1 boolean arrays, each (n_i,).
    """
    masks = []
    for name, z in zip(net.hidden, zs[: len(net.hidden)], strict=True):
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            slope = get_activation(name).grad(z)
        masks.append(np.all(slope == 0, axis=0))
    return masks


def dead_units(net, zs):
    """Number of dead units per hidden layer (``dead_unit_mask``), shape (k-1,), int."""
    return np.array([int(mask.sum()) for mask in dead_unit_mask(net, zs)], dtype=np.int64)


def _output_jacobian(net, hs, zs):
    """A^k = d h^k / d h^{k-1} per data point, (m, n_k, n_{k-1})."""
    W = net.weights[-1]
    if net.output == "softmax":
        return (softmax_jacobian(hs[-1]) * net.alpha) @ W
    slope = get_activation(net.output).derivative(zs[-1])
    return slope[:, :, None] * W[None]


def rms_gains(net, hs, zs):
    """||A^j||_F / sqrt(n_j) for j = 1..k and every data point: (m, k).

    A^j = diag(sigma'(z^j)) W^j (the softmax output: (diag(p) - p^T p) alpha W^k). For a hidden
    layer ||A^j||_F^2 = sum_r sigma'(z^j_r)^2 ||W^j_r||^2 (W^j_r the r-th row), so no (m, n_j,
    n_{j-1}) array is formed. hs = [h^0..h^k], zs = [z^1..z^k] of one forward pass (m, n_i).
    """
    k = len(net.weights)
    m = zs[0].shape[0]
    gains = np.empty((m, k))
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for j in range(k - 1):
            W = np.asarray(net.weights[j], dtype=np.float64)
            slope = get_activation(net.hidden[j]).derivative(np.asarray(zs[j], dtype=np.float64))
            row_norms = np.sum(W * W, axis=1)  # (n_j,)
            gains[:, j] = np.sqrt((slope * slope) @ row_norms / W.shape[0])
        top = _output_jacobian(net, hs, zs)
        gains[:, k - 1] = np.sqrt(np.sum(top * top, axis=(1, 2)) / top.shape[1])
    return gains


def spectral_norms(net, hs, zs):
    """||A^j||_2 (the largest singular value) for j = 1..k and every data point: (m, k).

    Computed as sqrt of the largest eigenvalue of A^j A^{jT} = diag(s) W W^T diag(s), one (n_j,
    n_j) symmetric matrix per data point; for wide layers pass only a few rows.
    """
    k = len(net.weights)
    m = zs[0].shape[0]
    norms = np.empty((m, k))
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        for j in range(k - 1):
            W = np.asarray(net.weights[j], dtype=np.float64)
            slope = get_activation(net.hidden[j]).derivative(np.asarray(zs[j], dtype=np.float64))
            gram = W @ W.T  # (n_j, n_j)
            scaled = slope[:, :, None] * gram[None] * slope[:, None, :]
            norms[:, j] = np.sqrt(np.maximum(np.linalg.eigvalsh(scaled)[:, -1], 0.0))
        top = _output_jacobian(net, hs, zs)
        norms[:, k - 1] = np.linalg.svd(top, compute_uv=False)[:, 0]
    return norms


def log10_ratio_estimates(net, hs, zs, dh, spectral_rows=None):
    """The measured log10 ||dl/dh^0|| / ||dl/dh^{k-1}|| beside two sums over the hidden layers.

    dh: [dl/dh^0 .. dl/dh^k] of the same batch; spectral_rows: use only the first rows for the
    spectral norms (one eigenvalue problem per row and layer; None = all). Returns a dict with
    "measured": the log10 ratio of the batch norms (Frobenius over the batch),
    "rms": the mean over data points of sum_{j=1}^{k-1} log10 ||A^j||_F / sqrt(n_j),
    "spectral": the same with the spectral norm ||A^j||_2 (an upper bound per data point).
    Values are -inf / nan where a norm is zero (nothing flows).
    """
    k = len(net.weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        bottom = frobenius_norm(np.asarray(dh[0], dtype=np.float64))
        top = frobenius_norm(np.asarray(dh[k - 1], dtype=np.float64))
        measured = math.log10(bottom) - math.log10(top) if bottom > 0 and top > 0 else math.nan
        rms = np.log10(rms_gains(net, hs, zs)[:, : k - 1]).sum(axis=1).mean()
        few = slice(0, spectral_rows)
        if spectral_rows == 0:
            spectral = math.nan
        else:
            spectral_all = spectral_norms(net, [h[few] for h in hs], [z[few] for z in zs])
            spectral = np.log10(spectral_all[:, : k - 1]).sum(axis=1).mean()
    return {"measured": measured, "rms": float(rms), "spectral": float(spectral)}


def hidden_product_singular_values(net, zs):
    """Singular values of A^{k-1} ... A^1 = d h^{k-1} / d h^0, per data point, (m, r).

    The hidden layers' product only, the part the ratio ||dl/dh^0|| / ||dl/dh^{k-1}|| measures
    (no output layer). Built from the bottom, Q <- diag(sigma'(z^j)) W^j Q starting at
    Q = A^1 (m, n_1, n_0), so memory stays at (m, n_j, n_0). r = min(n_{k-1}, n_0); rows sorted
    in decreasing order; NaN where the product is not finite. A network without hidden layers
    has the identity (all ones). Costs m n_j n_{j-1} n_0 per layer: pass a few rows.
    """
    k = len(net.weights)
    m = zs[0].shape[0]
    if k == 1:
        return np.ones((m, net.sizes[0]))
    n_0 = net.sizes[0]
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        stacked = None  # the products of all data points side by side: (n_j, m n_0)
        for j in range(k - 1):  # A^{j+1} = diag(sigma'(z^{j+1})) W^{j+1}
            slope = get_activation(net.hidden[j]).derivative(np.asarray(zs[j], dtype=np.float64))
            W = np.asarray(net.weights[j], dtype=np.float64)
            stacked = np.tile(W, (1, m)) if stacked is None else W @ stacked  # one GEMM
            stacked *= np.repeat(slope.T, n_0, axis=1)  # row r of point p times sigma'(z_pr)
        product = stacked.reshape(-1, m, n_0).transpose(1, 0, 2)  # (m, n_{k-1}, n_0)
    r = min(product.shape[1:])
    values = np.full((m, r), np.nan)
    finite = np.all(np.isfinite(product), axis=(1, 2))
    if np.any(finite):
        values[finite] = np.linalg.svd(product[finite], compute_uv=False)
    return values


def with_dtype(net, dtype):
    """A copy of ``net`` whose weights and biases are cast to ``dtype`` (float32 or float64)."""
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"dtype must be float32 or float64, got {dtype}")
    copy = net.copy()
    copy.dtype = dtype
    copy.weights = [np.asarray(W, dtype=dtype).copy() for W in net.weights]
    copy.biases = [None if b is None else np.asarray(b, dtype=dtype).copy() for b in net.biases]
    return copy


class MinibatchRun:
    """Mini-batch training advanced one batch at a time, so a page can show progress and stop.

    The updates are exactly those of ``nn.fit(net, x, y, optimizer, lr, epochs, batch_size,
    seed)`` with a constant learning rate: the same shuffle (``default_rng(seed).permutation(m)``
    once per epoch), the same batches, the same optimiser steps, so after e epochs the weights
    are fit's after e epochs. What it leaves out is the bookkeeping fit records every epoch (the
    loss and accuracy on all m rows, the gradient norms): about a third of fit's time on a deep,
    wide network. Evaluate the trained network once at the end instead.

    Args:
        net: an nn.MLP, trained in place (its dtype is kept: pass a float32 copy for speed).
        x: (m, n_0); y: targets for the net's output unit; epochs >= 1; batch_size >= 1.
    """

    def __init__(self, net, x, y, epochs, optimizer="adam", lr=1e-3, batch_size=64, seed=0):
        if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 1:
            raise ValueError(f"epochs must be an int >= 1, got {epochs!r}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer):
            raise TypeError(f"batch_size must be an int, got {type(batch_size).__name__}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.net = net
        self.x = np.asarray(x, dtype=net.dtype)
        self.y = np.asarray(y)
        if self.x.ndim != 2 or self.y.ndim == 0 or len(self.y) != len(self.x):
            raise ValueError(
                f"x must be (m, n_0) and y must have m rows; got x {np.shape(x)}, y {np.shape(y)}"
            )
        net.loss(self.x, self.y)  # validates shapes, labels and finiteness once
        self.m = self.x.shape[0]
        self.batch_size = int(min(batch_size, self.m))
        self.epochs = int(epochs)
        self.batches_per_epoch = math.ceil(self.m / self.batch_size)
        self.optimizer = get_optimizer(optimizer, net.params(), lr)
        self.rng = rng_from(seed)
        self.epoch = 0  # completed epochs
        self.batch = 0  # completed batches of the current epoch
        self.batch_losses = []  # per completed epoch: the mean batch loss
        self._epoch_losses = []
        self._order = None
        self.message = ""

    @property
    def total_steps(self):
        """Batches in the whole run."""
        return self.epochs * self.batches_per_epoch

    @property
    def steps_done(self):
        """Batches taken so far."""
        return self.epoch * self.batches_per_epoch + self.batch

    @property
    def diverged(self):
        """True once a batch loss or gradient became NaN or inf (no further steps are taken)."""
        return bool(self.message)

    @property
    def finished(self):
        """True when every epoch ran, or training diverged."""
        return self.diverged or self.epoch >= self.epochs

    def step(self):
        """One optimiser step on the next batch. Returns the batch loss, or None when finished."""
        if self.finished:
            return None
        if self._order is None:
            self._order = self.rng.permutation(self.m)
        start = self.batch * self.batch_size
        rows = self._order[start : start + self.batch_size]
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            loss, grads = self.net.loss_and_grads(self.x[rows], self.y[rows])
            flat = self.net.grads_list(grads)
            finite = math.isfinite(loss) and all(np.isfinite(g).all() for g in flat)
        if not finite:
            self.message = (
                f"training diverged in epoch {self.epoch + 1} (a loss or gradient became NaN or "
                "inf); try a smaller learning rate"
            )
            return None
        with np.errstate(under="ignore"):  # a moment decaying below the float range is 0, correctly
            self.optimizer.apply_unchecked(flat)
        self._epoch_losses.append(float(loss))
        self.batch += 1
        if self.batch == self.batches_per_epoch:
            self.batch_losses.append(float(np.mean(self._epoch_losses)))
            self._epoch_losses = []
            self.batch = 0
            self.epoch += 1
            self._order = None
        return float(loss)


def gradient_flow_during_training(net, x, y, steps=1000, record_every=100, probe=None, **kw):
    """Train with a ``Trainer`` and record ``gradient_flow`` on a probe batch as it goes.

    Args:
        steps: optimiser steps (batches) to take; record_every: steps between records.
        probe: (x_probe, y_probe) to measure on (default: the first 256 rows of x, y).
        **kw: Trainer settings (optimizer, lr, batch_size, seed, ...).

    Returns:
        list of (step, GradientFlow), starting with step 0 (at initialisation).
    """
    check_net(net)
    if probe is None:
        probe = (x[:256], y[:256])
    trainer = Trainer(net, x, y, **{"epochs": max(1, steps), **kw})
    records = [(0, gradient_flow(net, *probe))]
    for step in range(1, steps + 1):
        trainer.step_batch()
        if trainer.finished:
            break
        if step % record_every == 0:
            records.append((step, gradient_flow(net, *probe)))
    return records


def jacobian_singular_values(net, x, first=1, last=None):
    """Singular values of A^{last} ... A^{first}, the Jacobian d h^{last} / d h^{first - 1}.

    A^j = d h^j / d h^{j-1} = diag(sigma'(z^j)) W^j is computed per data point. By default the
    product runs over the hidden layers (first = 1, last = k - 1), the part of the network whose
    depth decides whether gradients vanish: singular values near 1 ("dynamical isometry") pass
    gradients through intact, values far below 1 make them vanish.

    Args:
        x: (m, n_0); first, last: layer numbers with 1 <= first <= last <= k.

    Returns:
        (m, r) array, r = min(n_last, n_{first-1}), each row sorted in decreasing order.
    """
    check_net(net)
    k = net.depth
    last = k - 1 if last is None else last
    if last < 1:
        last = k
    if not 1 <= first <= last <= k:
        raise ValueError(f"need 1 <= first <= last <= k = {k}, got first={first}, last={last}")
    jacobians = net.input_jacobians(x)
    product = jacobian_product(jacobians[first - 1 : last])
    return np.linalg.svd(product, compute_uv=False)


def product_singular_values(net, hs: list, zs: list) -> np.ndarray:
    """Singular values of P_f = A^k A^{k-1} ... A^{k-f+1} for f = 1..k, per data point.

    hs = [h^0..h^k], zs = [z^1..z^k] of one forward pass, each (m, n_i). The product is built
    top-down, one factor A^j = diag(sigma'(z^j)) W^j at a time:

        P_1 = A^k,    P_{f+1} = P_f A^{k-f} = (P_f * sigma'(z^{k-f})) W^{k-f},

    so each step is a single (m n_k, n_j) @ (n_j, n_{j-1}) product, and memory stays at
    (m, n_k, n_j) however wide the layers are (the softmax output's A^k = J_softmax W^k).
    Returns (k, 3): per f, the median over data points of the largest, median and smallest
    singular value of P_f; a row is NaN where P_f is not finite.
    """
    check_net(net)
    with np.errstate(under="ignore"):  # a vanishing product underflows to 0, correctly
        return _product_singular_values(net, hs, zs)


def _product_singular_values(net, hs, zs) -> np.ndarray:
    k = len(net.weights)
    W_top = net.weights[-1]
    if net.output == "softmax":
        jacobian = softmax_jacobian(hs[-1]) * net.alpha  # (m, n_k, n_k)
        product = jacobian @ W_top  # (m, n_k, n_{k-1})
    else:
        slope = get_activation(net.output).derivative(zs[-1])  # (m, n_k)
        product = slope[:, :, None] * W_top[None]
    m, n_k = product.shape[:2]
    singular = np.full((k, 3), np.nan)
    for factors in range(1, k + 1):
        if np.all(np.isfinite(product)):
            values = np.linalg.svd(product, compute_uv=False)  # (m, min(n_k, n_j)), descending
            singular[factors - 1] = [
                np.median(values[:, 0]),
                np.median(np.median(values, axis=1)),
                np.median(values[:, -1]),
            ]
        if factors == k:
            break
        layer = k - factors  # the next factor is A^layer, weights[layer - 1] (n_layer, n_{layer-1})
        slope = get_activation(net.hidden[layer - 1]).derivative(zs[layer - 1])  # (m, n_layer)
        W = net.weights[layer - 1]
        scaled = (product * slope[:, None, :]).reshape(m * n_k, W.shape[0])
        product = (scaled @ W).reshape(m, n_k, W.shape[1])
    return singular
