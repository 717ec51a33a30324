"""The lecture's chain rule for one data point, factor by factor: dl/dW^i as a product of the
layers' Jacobians, beside what backpropagation computes without forming it (MLP.chain_rule).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore import backprop as _bp
from nncore._checks import as_float_array
from nncore.activations import ACTIVATIONS


@dataclass
class ChainRule:
    """The lecture's chain rule for one data point, factor by factor (see MLP.chain_rule).

        dl/dW^i = dl/dh^k (A^k A^{k-1} ... A^{i+1}) df^i/dW^i
                = ((dl/dh^k A^k ... A^{i+1}) * sigma'(z^i))^T h^{i-1}

    layer: i (1..k); loss: l for this point; dl_dh_k: dl/dh^k (n_k,);
    jacobians: [A^{i+1}, ..., A^k], A^j = diag(sigma'(z^j)) W^j (n_j, n_{j-1}) (for a softmax
    output A^k = J(z^k) W^k with the softmax Jacobian J, which is not diagonal);
    product: A^k ... A^{i+1} (n_k, n_i), the identity when i = k;
    dl_dh_i: dl/dh^k A^k ... A^{i+1} (n_i,); sigma_prime: sigma'(z^i) (n_i,), or None for a
    softmax output layer (i = k), whose df^k/dW^k is not elementwise;
    h_prev: h^{i-1} (n_{i-1},); outer: sigma'(z^i)^T h^{i-1} (n_i, n_{i-1}), the non-zero
    entries of the 3-D array df^i/dW^i (d h^i_a / d W^i_{ac} = sigma'(z^i_a) h^{i-1}_c, zero
    when the row of W differs from a), or None for a softmax output layer;
    dl_dz_i: dl/dz^i = dl/dh^i * sigma'(z^i) (n_i,) (dl/dh^k J(z^k) for a softmax output);
    grad_W: dl/dW^i = dl_dz_i^T h^{i-1} (n_i, n_{i-1}); grad_b: dl/db^i = dl_dz_i (n_i,).
    """

    layer: int
    loss: float
    dl_dh_k: np.ndarray
    jacobians: list
    product: np.ndarray
    dl_dh_i: np.ndarray
    sigma_prime: np.ndarray | None
    h_prev: np.ndarray
    outer: np.ndarray | None
    dl_dz_i: np.ndarray
    grad_W: np.ndarray
    grad_b: np.ndarray


def chain_rule(net, x, y, layer) -> ChainRule:
    """dl/dW^i for one data point as the lecture writes it: a product of Jacobians.

        dl/dW^i = dl/dh^k (A^k ... A^{i+1}) df^i/dW^i,   A^j = diag(sigma'(z^j)) W^j,

    where contracting the 3-D array df^i/dW^i with the row vector g = dl/dh^k A^k...A^{i+1}
    leaves (g * sigma'(z^i))^T h^{i-1}. Backpropagation computes the same numbers without
    ever forming the product (see nncore.backprop); this form shows every factor.

    x: one data point, (n_0,) or (1, n_0); y: its target (identity: (n_k,); sigmoid: 0/1
    (n_k,); softmax: a label in 0..n_k-1 or a one-hot (n_k,)); layer: i in 1..k.
    Returns a ChainRule with every factor (all as arrays of this network's dtype).
    """
    if isinstance(layer, bool) or not isinstance(layer, int | np.integer):
        raise TypeError(f"layer must be an int i in 1..{net.depth}, got {layer!r}")
    if not 1 <= layer <= net.depth:
        raise ValueError(f"layer i = {layer} is outside 1..k = 1..{net.depth}")
    x = as_float_array(x, "x", dtype=net.dtype)
    if x.ndim == 1:
        x = x[None, :]
    if x.shape[0] != 1:
        raise ValueError(
            f"chain_rule takes one data point, x of shape (n_0,) or (1, n_0); got {x.shape}"
        )
    x = net._check_x(x)
    y = np.asarray(y)
    if y.ndim > 2 or (y.ndim == 2 and y.shape[0] != 1):
        raise ValueError(f"chain_rule takes the target of one data point, got y of shape {y.shape}")
    if net.output == "softmax" and y.size == 1:
        y = y.reshape(1)  # one class label
    else:
        y = y.reshape(1, -1)  # one target row (or one one-hot row)
    target = _bp.targets(net, y, 1)
    with np.errstate(under="ignore"):  # a factor below the float range is 0, correctly
        return _factors(net, x, target, int(layer))


def _factors(net, x, target, i) -> ChainRule:
    """chain_rule's factors for a checked x (1, n_0), target and layer i."""
    hs, zs = _bp.forward_trace(net, x)
    # the fused delta dl/dz^k (m = 1): finite where dl/dh^k is inf (h^k rounded to 0 or 1 on
    # the true class) and sigma'(z^k) is 0, whose product would be nan
    loss, delta_k, _ = _bp._loss_and_delta(net, zs[-1], target)
    k = net.depth
    with np.errstate(divide="ignore", invalid="ignore"):
        dl_dh_k = _bp._output_dh(net, hs[-1], target)[0]
    all_jacobians = [A[0] for A in _bp.input_jacobians(net, x, False)]
    jacobians = all_jacobians[i:]  # A^{i+1}, ..., A^k
    product = np.eye(net.sizes[-1], dtype=net.dtype)
    for A in reversed(jacobians):  # A^k, then A^k A^{k-1}, ..., A^k ... A^{i+1}
        product = product @ A
    # dl/dh^k A^k ... A^{i+1}, with dl/dh^k A^k = dl/dz^k W^k (A^k = diag(sigma'(z^k)) W^k,
    # or the softmax's J(z^k) W^k): the same product, through the finite fused delta
    dl_dh_i = dl_dh_k if i == k else delta_k[0] @ net.weights[k - 1]
    for A in reversed(all_jacobians[i : k - 1]):  # A^{k-1}, ..., A^{i+1}
        dl_dh_i = dl_dh_i @ A
    h_prev = hs[i - 1][0]
    if i == k and net.output == "softmax":
        # d softmax(alpha z)/dz = alpha (diag(h) - h^T h): a full matrix, not sigma' * ...
        sigma_prime, outer = None, None
    else:
        name = net.hidden[i - 1] if i < k else net.output
        sigma_prime = ACTIVATIONS[name].derivative(zs[i - 1])[0]
        outer = np.outer(sigma_prime, h_prev)
    dl_dz_i = delta_k[0] if i == k else dl_dh_i * sigma_prime
    return ChainRule(
        layer=i,
        loss=float(loss),
        dl_dh_k=dl_dh_k,
        jacobians=jacobians,
        product=product,
        dl_dh_i=dl_dh_i,
        sigma_prime=sigma_prime,
        h_prev=h_prev,
        outer=outer,
        dl_dz_i=dl_dz_i,
        grad_W=np.outer(dl_dz_i, h_prev),
        grad_b=dl_dz_i.copy(),
    )
