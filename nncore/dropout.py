"""Inverted dropout on the hidden layers, during training steps only.

While training, every hidden layer's output h^i (i = 1..k-1; never the input h^0 = x, never the
output h^k) is replaced by

    h~^i = (d^i * h^i) / (1 - p),   d^i_rj ~ Bernoulli(1 - p), drawn afresh for every batch,

and layer i+1 reads h~^i instead of h^i. Dividing the kept units by 1 - p keeps the expected
value: E[h~^i] = h^i, so the network evaluated WITHOUT dropout (eval mode: every unit kept, no
scaling) sees on average what training saw. Losses, accuracies, maps and exported weights are
always computed in eval mode; only the gradient of a training step goes through the masks.

In code the mask carries the scale: D^i = d^i / (1 - p), entries 0 or 1/(1 - p), and
h~^i = h^i * D^i. Backward, the chain rule through that product is

    dl/dh^i = dl/dh~^i * D^i,   dl/dz^i = dl/dh^i * sigma'(z^i),

so the gradient flows through the kept units only, scaled by 1/(1 - p); sigma'(z^i) is taken at
the unmasked h^i (or z^i).
"""

from __future__ import annotations

import math

import numpy as np

from nncore import backprop as _bp


def check_dropout(p, name: str = "dropout") -> float:
    """A drop probability: a real number with 0 <= p < 1 (p = 1 would drop every unit)."""
    if isinstance(p, bool) or not isinstance(p, int | float | np.integer | np.floating):
        raise ValueError(
            f"{name} must be a number p in [0, 1) (the probability of dropping a hidden unit), "
            f"got {p!r} of type {type(p).__name__}"
        )
    if not math.isfinite(p) or not 0 <= p < 1:
        raise ValueError(
            f"{name} must be a number p in [0, 1) (the probability of dropping a hidden unit), "
            f"got {p!r}"
        )
    return float(p)


def dropout_masks(rng, m: int, widths, p: float, dtype=np.float64) -> list[np.ndarray]:
    """Scaled masks D^i = d^i / (1 - p) for one batch, d^i_rj = [u_rj >= p], u ~ U[0, 1).

    rng: np.random.Generator; m: rows in the batch; widths: [n_1, ..., n_{k-1}] (the hidden
    layers); p: drop probability in (0, 1). Draws rng.random((m, n_i)) once per hidden layer, in
    layer order (float64 uniforms for every dtype, so a float32 run gets the same masks).
    Returns [D^1, ..., D^{k-1}], D^i of shape (m, n_i) in dtype, entries 0 or 1/(1 - p).
    """
    return [((rng.random((m, n)) >= p) / (1 - p)).astype(dtype, copy=False) for n in widths]


def forward_trace(net, x, masks):
    """Training-mode forward pass for validated x (m, n_0) and masks [D^1..D^{k-1}].

    Returns (inputs, hidden, zs): inputs = [h^0, h~^1, ..., h~^{k-1}] (what each layer reads),
    hidden = [h^1, ..., h^{k-1}] before the masks (for sigma'), zs = [z^1, ..., z^k].
    """
    hs, zs = _bp.forward_trace(net, x, output=False, masks=masks)
    hidden = hs[1:]
    return [x, *(h * D for h, D in zip(hidden, masks, strict=True))], hidden, zs


def loss_and_grads(net, x, y, masks):
    """Training-mode batch loss and its gradient with fixed dropout masks.

    x: (m, n_0); y: as ``MLP.loss_and_grads`` takes it; masks: [D^1..D^{k-1}], D^i (m, n_i)
    (from ``dropout_masks``; all ones gives the plain network). Returns (loss, grads) with
    grads[i] = (dW^{i+1}, db^{i+1} or None), as ``MLP.loss_and_grads``.
    """
    x = net._check_x(x)
    widths = net.sizes[1:-1]
    shapes = [(x.shape[0], n) for n in widths]
    if len(masks) != len(widths) or any(
        np.shape(D) != shape for D, shape in zip(masks, shapes, strict=False)
    ):
        raise ValueError(
            f"masks must be one (m, n_i) array per hidden layer, {shapes}; "
            f"got {[np.shape(D) for D in masks]}"
        )
    target = _bp.targets(net, y, x.shape[0])
    return _loss_and_grads(net, x, target, masks)


def _loss_and_grads(net, x, target, masks):
    """loss_and_grads for validated x and target (the trainer's hot path)."""
    return _bp.loss_and_grads(net, x, target, masks)
