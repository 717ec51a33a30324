"""Gradient flow: how activations and back-propagated gradients change from layer to layer.

The lecture: dl/dW^i = dl/dh^k (prod_{j>i} A^j) df^i/dW^i with A^j = diag(sigma'(z^j)) W^j, so
the gradient reaching layer i carries one factor A^j per layer above it. If those factors are
small (sigma' <= 1/4 for the sigmoid, or small weights) gradients vanish toward the input; if
large, they explode. Glorot & Bengio (2010) measured exactly these per-layer statistics.

Per hidden layer i = 1..k-1 (``gradient_flow``):
- activation mean and std of h^i over the batch and units;
- saturated fraction: entries where sigma'(z^i) < saturation * max sigma' (default 5%): for the
  sigmoid h < 0.013 or h > 0.987, for tanh |h| > 0.975, for ReLU z <= 0 (an inactive unit);
Per layer i = 1..k:
- ||dl/dW^i||_F, the weight gradient, and ||dl/dz^i||_F and the std of dl/dz^i, the
  back-propagated gradient ("delta") arriving at layer i.
"""

from dataclasses import asdict, dataclass

import numpy as np

from nncore.activations import get_activation
from nncore.backprop import jacobian_product
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
    if not 0 < saturation < 1:
        raise ValueError(f"saturation must be in (0, 1), got {saturation}")
    result = net.backprop(x, y)
    means, stds, saturated = [], [], []
    for i, name in enumerate(net.hidden):
        h, z = result.hs[i + 1], result.zs[i]
        means.append(float(h.mean()))
        stds.append(float(h.std()))
        threshold = saturation * max_derivative(name)
        saturated.append(float(np.mean(get_activation(name).grad(z) < threshold)))
    return GradientFlow(
        activation_mean=means,
        activation_std=stds,
        saturated_fraction=saturated,
        weight_grad_norm=[frobenius_norm(dW) for dW, _ in result.grads],
        delta_norm=[frobenius_norm(dz) for dz in result.dz],
        delta_std=[float(dz.std()) for dz in result.dz],
        loss=float(result.loss),
        hidden=list(net.hidden),
    )


def gradient_flow_during_training(net, x, y, steps=1000, record_every=100, probe=None, **kw):
    """Train with a ``Trainer`` and record ``gradient_flow`` on a probe batch as it goes.

    Args:
        steps: optimiser steps (batches) to take; record_every: steps between records.
        probe: (x_probe, y_probe) to measure on (default: the first 256 rows of x, y).
        **kw: Trainer settings (optimizer, lr, batch_size, seed, ...).

    Returns:
        list of (step, GradientFlow), starting with step 0 (at initialisation).
    """
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
