"""Forward and backward passes of an MLP: the chain rule through the layers.

    dl/dW^i = dl/dh^k A^k A^{k-1} ... A^{i+1} df^i/dW^i,
    A^j = d f^j / d h^{j-1} = diag(sigma'(z^j)) W^j  (the order matters: matrices do not commute)

In code the product is never formed: the backward pass carries dl/dz^i down one layer at a time,
    dl/dW^i = (dl/dz^i)^T h^{i-1},   dl/db^i = sum_rows dl/dz^i,   dl/dh^{i-1} = dl/dz^i W^i,
    dl/dz^{i-1} = dl/dh^{i-1} * sigma'(z^{i-1}),
starting from the fused output delta dl/dz^k (nncore.losses). These functions are the MLP's
hot path: inputs were validated once by the MLP, so nothing here re-checks them.
"""

from __future__ import annotations

import math

import numpy as np

from nncore._checks import as_float_array, check_labels
from nncore.activations import ACTIVATIONS
from nncore.losses import (
    _batch_mean,
    _binary_nll_parts,
    binary_nll_grad,
    cross_entropy_grad,
    mse,
    mse_grad,
)
from nncore.softmax import _SPREAD, _softmax_rows, softmax_jacobian


def forward_trace(net, x, output=True, masks=None):
    """hs = [h^0..h^k], zs = [z^1..z^k] for validated x (m, n_0).

    With output=False the last entry of hs is h^{k-1}: the caller computes h^k with the loss.
    masks: dropout's scaled masks [D^1..D^{k-1}] (nncore.dropout), or None: layer i+1 then reads
    h~^i = h^i D^i, while hs keeps h^i itself (sigma' is taken there).
    """
    hs, zs = [x], []
    h = x
    last = len(net.weights) - 1
    for i, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        z = h.dot(W.T)  # ndarray.dot: the same BLAS product as @, half its call overhead
        if b is not None:
            z += b
        zs.append(z)
        if i < last:
            h = ACTIVATIONS[net.hidden[i]].fn(z)
            hs.append(h)
            if masks is not None:
                h = h * masks[i]  # h~^i = h^i D^i, what layer i+1 reads
        elif output:
            hs.append(_output_fn(net, z))
    return hs, zs


def raise_overflow(net, x, hs, zs):
    """Raise ValueError saying why a forward pass of finite x came out NaN: a non-finite weight
    or bias (named as every array check names it), or the first layer whose z left the float
    range (+-inf) before a later product met two infinities (inf - inf)."""
    check_params_finite(net)
    over_at = next(j for j, z in enumerate(zs) if not np.isfinite(z).all())
    nan_at = next((j for j, z in enumerate(zs) if np.isnan(z).any()), None)
    if nan_at is None:  # z^k is +-inf, and the output unit met two infinite logits
        after = "the output is then NaN (two infinite logits have no ratio)"
    elif nan_at > over_at:
        after = f"z^{nan_at + 1} is then NaN (inf - inf has no value)"
    else:
        after = "it is NaN there (inf - inf has no value)"
    row = int(np.argwhere(~np.isfinite(zs[over_at]))[0][0])
    reach = float(np.abs(hs[over_at][row]).max())
    raise ValueError(
        f"the forward pass left the {x.dtype} range: z^{over_at + 1} = h^{over_at} "
        f"W^{over_at + 1}T + b^{over_at + 1} is beyond +-{float(np.finfo(x.dtype).max):.3g} at "
        f"row {row} (h^{over_at} reaches {reach:.3g} there), and {after}; scale or standardize "
        "x, or use smaller weights"
    )


def _output_fn(net, z):
    if net.output == "identity":
        return z
    if net.output == "sigmoid":
        return ACTIVATIONS["sigmoid"].fn(z)
    return _softmax_rows(z, net.alpha)[1]  # nncore.softmax's stable form


# --- targets ------------------------------------------------------------------------------


def targets(net, y, m: int):
    """Validate y for the output unit. Returns ("labels", (m,) int) or ("matrix", (m, n_k))."""
    if m == 0:
        raise ValueError(
            f"x has no rows (shape (0, {net.sizes[0]})); a loss is a mean over a batch of "
            "m >= 1 data points"
        )
    n_k = net.sizes[-1]
    if net.output == "softmax":
        if (
            type(y) is np.ndarray
            and y.dtype == np.int64
            and y.shape == (m,)
            and np.maximum.reduce(y.view(np.uint64)) < n_k  # a negative label is huge as uint64
        ):
            return ("labels", y)  # the common case; check_labels names what is wrong otherwise
        arr = np.asarray(y)
        if arr.ndim == 2 and arr.shape[1] == n_k:
            t = as_float_array(arr, "y", dtype=net.dtype)
            if t.shape[0] != m:
                raise ValueError(f"y has {t.shape[0]} rows but x has {m}")
            if (t < 0).any() or not np.allclose(t.sum(axis=1), 1.0):
                raise ValueError(
                    "y as a matrix must be one-hot rows (entries >= 0 summing to 1), "
                    f"got row sums {np.round(t.sum(axis=1)[:5], 6)}..."
                )
            return ("matrix", t)
        if arr.ndim == 2 and arr.shape[1] != 1:
            raise ValueError(
                f"y has shape {arr.shape}; a softmax output with n_k = {n_k} classes takes labels "
                f"(m,) = ({m},) or one-hot (m, n_k) = ({m}, {n_k})"
            )
        labels = check_labels(arr, n_k, "y")
        if labels.shape[0] != m:
            raise ValueError(f"y has {labels.shape[0]} labels but x has {m} rows")
        return ("labels", labels)
    t = as_float_array(y, "y", dtype=net.dtype)
    if t.ndim == 1:
        t = t[:, None]
    if t.shape != (m, n_k):
        raise ValueError(
            f"y has shape {np.shape(y)} but the output h^k has shape ({m}, {n_k}); "
            f"give y as ({m}, {n_k})" + (f" or ({m},)" if n_k == 1 else "")
        )
    if net.output == "sigmoid" and (
        np.minimum.reduce(t, axis=None) < 0 or np.maximum.reduce(t, axis=None) > 1
    ):
        raise ValueError(
            f"a sigmoid output takes targets y in [0, 1] (labels 0/1), got {t.min()}..{t.max()}"
        )
    return ("matrix", t)


def _target_matrix(net, target, m):
    kind, t = target
    if kind == "matrix":
        return t
    out = np.zeros((m, net.sizes[-1]), dtype=net.dtype)
    out[np.arange(m), t] = 1
    return out


# --- loss and fused delta -------------------------------------------------------------------


def _loss_and_delta(net, z, target, need_h=True):
    """(loss, dl/dz^k, h^k), fused: identity 2(h-y)/m, sigmoid (h-y)/m, softmax alpha(h-y)/m.

    The same stable forms as nncore.losses (h - y where h rounds to 1 as -(1 - h) from z, a
    batch mean whose plain sum would overflow, the softmax shifted before alpha multiplies a
    large score); need_h=False may skip h^k (returned as None).
    """
    kind, t = target
    m = z.shape[0]
    if net.output == "identity":
        with np.errstate(over="ignore"):
            d = z - t
            loss = float(np.einsum("ij,ij->", d, d) / m)
        if math.isfinite(loss) or not np.isfinite(z).all():  # a diverged network: inf or nan, as is
            return loss, d * (2.0 / m), z
        # a difference or its square beyond the float range: nncore.losses rescales
        return mse(z, t), mse_grad(z, t), z
    if net.output == "sigmoid":
        rows, delta, h = _binary_nll_parts(z, t)
        return _row_mean(rows), delta * (1.0 / m), (h if need_h else None)
    if kind == "labels" and net.alpha == 1.0 and m:
        fast = _softmax_labels_spread(z, t, m, need_h)
        if fast is not None:
            return fast
    s, p, complement, rest = _softmax_rows(z, net.alpha)
    lse = np.log1p(rest)  # ln sum_j e^{s_j}, see nncore.softmax._log_softmax_shifted
    scale = net.alpha / m
    if kind == "labels":
        rows = np.arange(m)
        loss = _row_mean(lse - s[rows, t][:, None])
        delta = p.copy() if need_h else p
        delta[rows, t] = -complement[rows, t]  # p - 1 on the true class, without rounding it away
        delta *= scale
        return loss, delta, (p if need_h else None)
    # one-hot rows: only the classes with target mass count (0 * -inf would be nan)
    terms = t * (lse - np.where(t > 0, s, 0))
    return _row_mean(terms), ((1 - t) * p - t * complement) * scale, p


def _softmax_labels_spread(z, labels, m, need_h):
    """The cross-entropy and softmax(z) - y for labels (alpha = 1) in the textbook form, or None
    where a row's largest p exceeds 1 - 2^-10 (or the loss overflows): there ln of the rounded
    sum and p - 1 would lose the other classes' mass, and `_softmax_rows` splits the largest term
    off. Below it both lose at most about 2^10 ulp (nncore.softmax._SPREAD)."""
    rows = np.arange(m)
    with np.errstate(over="ignore"):  # shifted scores below the float range are -inf, e^s = 0
        s = z - z[rows, z.argmax(axis=1)][:, None]
        e = np.exp(s)
        total = np.add.reduce(e, axis=1)
        if np.minimum.reduce(total) < _SPREAD:
            return None
        loss = float(np.add.reduce(np.log(total) - s[rows, labels]) / m)
    if loss == np.inf:
        return None
    p = e / total[:, None]
    delta = p.copy() if need_h else p
    np.subtract.at(delta, (rows, labels), delta.dtype.type(1))  # a Python 1.0 is cast per call
    delta *= 1.0 / m
    return loss, delta, (p if need_h else None)


def _row_mean(terms) -> float:
    """nncore.losses._batch_mean (the mean of the rows' sums) for terms >= 0, in one sum: a sum
    beyond the float range goes to _batch_mean, which divides by m before it adds."""
    with np.errstate(over="ignore"):
        value = float(np.add.reduce(terms, axis=None) / terms.shape[0])
    return value if value != np.inf else _batch_mean(terms)


def _hidden_grad(net, i, z, h):
    """sigma'(z^{i+1}) of hidden layer i+1, through its output h where that is cheaper."""
    act = ACTIVATIONS[net.hidden[i]]
    if act.grad_from_output is not None:
        return act.grad_from_output(h, z)
    return act.derivative(z)


def loss_and_grads(net, x, target, masks=None, careful=False):
    """(loss, [(dW^i, db^i)]); with dropout masks (see forward_trace) the training-mode pass:
    dl/dW^{i+1} = (dl/dz^{i+1})^T h~^i and dl/dh^i = (dl/dz^{i+1} W^{i+1}) D^i, so the gradient
    flows through the kept units only, scaled by 1/(1 - p).

    careful=True: dl/dz^i = dl/dh^i * sigma'(z^i) is exactly 0 where sigma'(z^i) = 0, even where
    dl/dh^i left the float range (inf * 0 would be NaN: a dead ReLU unit under huge weights
    above it has the gradient 0, not NaN). The MLP asks for it only when a pass came out
    non-finite (see ``finite_grads``), so the common pass keeps its one multiply.
    """
    hs, zs = forward_trace(net, x, output=False, masks=masks)
    loss, dz, _ = _loss_and_delta(net, zs[-1], target, need_h=False)
    k = len(net.weights)
    grads = [None] * k
    for i in range(k - 1, -1, -1):
        read = hs[i] if masks is None or i == 0 else hs[i] * masks[i - 1]  # h~^i
        dW = dz.T.dot(read)
        db = np.add.reduce(dz, axis=0) if net.biases[i] is not None else None
        grads[i] = (dW, db)
        if i > 0:
            dh = dz.dot(net.weights[i])
            if masks is not None:
                dh *= masks[i - 1]
            slope = _hidden_grad(net, i - 1, zs[i - 1], hs[i])
            dz = _through(dh, slope) if careful else dh * slope
    return loss, grads


def _through(dh, slope):
    """dl/dh^i * sigma'(z^i), and exactly 0 where sigma'(z^i) = 0 (inf * 0 is NaN)."""
    return np.where(slope == 0, dh.dtype.type(0), dh * slope)


def finite_grads(loss, grads) -> bool:
    """True when the loss and dl/dW^1 are finite: the common case, in O(n_1 n_0). A NaN or inf
    in any dl/dz^i reaches every entry of its row in each dl/dz below it (NaN or inf times any
    weight, or times a slope of 0, is not finite), so dl/dW^1 = (dl/dz^1)^T h^0 shows it; an
    upper dl/dW^i beyond the range with finite dl/dz^i is an honest +-inf, not a NaN."""
    return math.isfinite(loss) and bool(np.isfinite(grads[0][0]).all())


def check_params_finite(net) -> None:
    """A ValueError naming the first weight matrix or bias vector with a NaN or inf in it: bad
    input (a student's assignment to net.weights[i]), not a result."""
    for i, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        as_float_array(W, f"W^{i + 1} (net.weights[{i}])")
        if b is not None:
            as_float_array(b, f"b^{i + 1} (net.biases[{i}])")


def raise_backward_overflow(net, dhs) -> None:
    """The ValueError for gradients that came out NaN from finite parameters and a finite
    forward pass: dl/dh^i left the float range, and inf - inf (or inf * 0 in a product) has no
    value. dhs: [dl/dh^0 .. dl/dh^k] of a careful pass."""
    top = max(i for i, dh in enumerate(dhs) if dh is not None and not np.isfinite(dh).all())
    dtype = net.weights[0].dtype
    raise ValueError(
        f"the backward pass left the {dtype} range: dl/dh^{top} = dl/dz^{top + 1} W^{top + 1} "
        f"is beyond +-{float(np.finfo(dtype).max):.3g}, and the gradients below it are NaN "
        "(inf - inf has no value); use smaller weights or rescale the network"
    )


def _output_dh(net, h, target):
    """dl/dh^k, the loss's gradient with respect to the output itself (inf where h is exactly 0/1
    on the true class: the honest answer; the fused dl/dz^k stays finite)."""
    m = h.shape[0]
    t = _target_matrix(net, target, m)
    if net.output == "identity":
        if not np.isfinite(h).all():  # z^k beyond the float range: its honest +-inf (or NaN)
            return (h - t) * (2.0 / m)
        return mse_grad(h, t)
    with np.errstate(divide="ignore", invalid="ignore"):
        if net.output == "sigmoid":
            return binary_nll_grad(h, t)
        return cross_entropy_grad(h, t)


def backprop_full(net, x, target) -> dict:
    """Every layer's h, z, dl/dh and dl/dz with the gradients, in IEEE arithmetic (call inside
    np.errstate(over="ignore", invalid="ignore")): a value beyond the float range is +-inf,
    dl/dz^i is 0 where sigma'(z^i) = 0 (see ``_through``), and only inf - inf gives NaN."""
    hs, zs = forward_trace(net, x, output=False)
    loss, dz, h_out = _loss_and_delta(net, zs[-1], target)
    hs.append(h_out)
    k = len(net.weights)
    grads, dzs, dhs = [None] * k, [None] * k, [None] * (k + 1)
    dhs[k] = _output_dh(net, hs[-1], target)
    for i in range(k - 1, -1, -1):
        dzs[i] = dz
        grads[i] = (dz.T @ hs[i], np.add.reduce(dz, axis=0) if net.biases[i] is not None else None)
        dhs[i] = dz @ net.weights[i]
        if i > 0:
            dz = _through(dhs[i], ACTIVATIONS[net.hidden[i - 1]].derivative(zs[i - 1]))
    return {"loss": loss, "grads": grads, "hs": hs, "zs": zs, "dh": dhs, "dz": dzs}


# --- Jacobians ---------------------------------------------------------------------------


def input_jacobians(net, x, average: bool):
    hs, zs = forward_trace(net, x)
    k = len(net.weights)
    out = []
    for i in range(k):
        W = net.weights[i]
        if i < k - 1 or net.output != "softmax":
            name = net.hidden[i] if i < k - 1 else net.output
            d = ACTIVATIONS[name].derivative(zs[i])  # (m, n_i)
            # mean_r diag(d_r) W = diag(mean_r d_r) W, since sigma acts elementwise
            out.append(d.mean(axis=0)[:, None] * W if average else d[:, :, None] * W[None])
        else:
            J = softmax_jacobian(hs[-1]) * net.alpha  # (m, n_k, n_k), d softmax(alpha z)/dz
            A = np.einsum("rij,jk->rik", J, W)
            out.append(A.mean(axis=0) if average else A)
    return out


def jacobian_products(As) -> list[np.ndarray]:
    """P[i] = d h^k / d h^i = A^k A^{k-1} ... A^{i+1} for i = 0..k (P[k] = identity).

    As: [A^1..A^k], each (m, n_i, n_{i-1}) or the batch means (n_i, n_{i-1}).
    Returns a list of k+1 arrays, P[i] of shape (m, n_k, n_i) (or (n_k, n_i)).
    """
    if isinstance(As, np.ndarray) or not isinstance(As, list | tuple):
        raise TypeError(
            f"As must be a list [A^1, ..., A^k] of Jacobians, got a {type(As).__name__}"
        )
    if not As:
        raise ValueError("jacobian_products needs at least one Jacobian A^i")
    As = [np.asarray(A) for A in As]  # inf and nan pass: an exploding product is a result
    for i, A in enumerate(As, start=1):
        if A.dtype.kind not in "biuf":
            raise TypeError(f"A^{i} must hold real numbers, got dtype {A.dtype}")
        if A.ndim not in (2, 3) or A.ndim != As[0].ndim:
            raise ValueError(
                f"A^{i} has shape {A.shape}; every A^i must be (n_i, n_(i-1)) or, one per data "
                f"point, (m, n_i, n_(i-1)), all alike (A^1 is {As[0].shape})"
            )
    top = As[-1]
    n_k = top.shape[-2]
    eye = np.eye(n_k, dtype=top.dtype)
    P = [None] * (len(As) + 1)
    P[-1] = np.broadcast_to(eye, top.shape[:-2] + (n_k, n_k)).copy()
    for i in range(len(As) - 1, -1, -1):
        if P[i + 1].shape[-1] != As[i].shape[-2]:
            raise ValueError(
                f"A^{i + 1} has shape {As[i].shape}, which does not chain with the product above "
                f"it of shape {P[i + 1].shape}"
            )
        with np.errstate(under="ignore"):  # a vanishing product underflows to 0, correctly
            P[i] = P[i + 1] @ As[i]
    return P


def jacobian_product(As) -> np.ndarray:
    """d h^k / d h^0 = A^k A^{k-1} ... A^1: (m, n_k, n_0) (or (n_k, n_0) for batch means)."""
    return jacobian_products(As)[0]
