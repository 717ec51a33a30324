"""``FusedTrainer``: the same run as ``nn.Trainer``, number for number, with fewer NumPy calls.

For the small networks of the playground (batches of 10 rows, layers of 8 units) a training step
costs what its NumPy calls cost, not what they compute. ``Trainer`` steps through
``net.loss_and_grads`` (which re-validates the batch), one optimiser update per parameter array
and one norm per gradient. ``FusedTrainer`` keeps the math and its order of operations, so the
results are the same floats, and saves the overhead:

- every W^i and b^i lives in ONE flat vector theta (``net.weights[i]`` and ``net.biases[i]``
  become views into it; W^1..W^k first, then b^1..b^k), so an optimiser step is a single update
  of theta, and the gradient is written straight into one flat vector g;
- x and the targets are validated once, not per batch;
- the per-layer gradient norms (``history.grad_norms``) and the finiteness check come from one
  pass over g instead of one per array.

With dropout (p > 0) the masks come from ``Trainer._dropout_masks`` (the same generator calls)
and enter forward and backward in the order ``nncore.dropout.loss_and_grads`` applies them.

Forward, loss, backward and the optimiser are nncore's own functions, called in the same order as
``MLP.loss_and_grads`` and ``Trainer.step_batch`` call them (the tests compare the two runs).
"""

from __future__ import annotations

import math
import time

import numpy as np

from nncore import backprop as _bp
from nncore.activations import ACTIVATIONS
from nncore.optim import get_optimizer
from nncore.train import Trainer, _frobenius_norm_unguarded


class FusedTrainer(Trainer):
    """``Trainer`` (same arguments, same history) over one flat parameter vector.

    Side effect: ``net.weights`` and ``net.biases`` are replaced by views into ``self.theta`` (same
    shapes and values); anything that reads them afterwards sees the trained values.
    """

    def __init__(self, net, x, y, optimizer="adam", lr=0.01, weight_decay=0.0, **kwargs):
        optimizer_kwargs = {
            key: kwargs[key] for key in ("momentum", "beta1", "beta2", "eps") if key in kwargs
        }
        super().__init__(net, x, y, optimizer=optimizer, lr=lr, weight_decay=weight_decay, **kwargs)
        weights = net.weights
        biases = [b for b in net.biases if b is not None]
        arrays = weights + biases
        sizes = [a.size for a in arrays]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
        self.theta = np.empty(int(offsets[-1]), dtype=net.dtype)
        self.grad = np.empty_like(self.theta)
        self._starts = offsets[:-1]
        self.n_weights = int(offsets[len(weights)])  # theta[:n_weights] holds every W^i
        views, grads = [], []
        for array, start, stop in zip(arrays, offsets[:-1], offsets[1:], strict=True):
            self.theta[start:stop] = array.ravel()
            views.append(self.theta[start:stop].reshape(array.shape))
            grads.append(self.grad[start:stop].reshape(array.shape))
        k = len(weights)
        net.weights = views[:k]
        self._dW = grads[:k]
        bias_views, bias_grads = iter(views[k:]), iter(grads[k:])
        net.biases = [None if b is None else next(bias_views) for b in net.biases]
        self._db = [None if b is None else next(bias_grads) for b in net.biases]
        self.optimizer = get_optimizer(
            optimizer,
            [self.theta],
            self.optimizer.lr,
            weight_decay=weight_decay,
            **optimizer_kwargs,
        )
        self._hidden = [ACTIVATIONS[name] for name in net.hidden]

    def _loss_and_grads(self, rows, masks=None):
        """Batch loss; dl/dW^i and dl/db^i written into self.grad (as MLP.loss_and_grads, or
        as nncore.dropout.loss_and_grads with masks [D^1..D^{k-1}])."""
        net = self.net
        h = self.x[rows]
        hs, zs = [h], []  # hs: what each layer reads (h~^i with dropout)
        hidden = []  # h^i before the masks, for sigma'
        last = net.depth - 1
        for i, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
            z = h @ W.T
            if b is not None:
                z += b
            zs.append(z)
            if i < last:
                h = self._hidden[i].fn(z)
                hidden.append(h)
                if masks is not None:
                    h = h * masks[i]  # h~^i = h^i D^i
                hs.append(h)
        kind, targets = self._target  # checked and converted once, by Trainer
        target = (kind, targets[rows])
        loss, dz, _ = _bp._loss_and_delta(net, zs[-1], target, need_h=False)
        for i in range(last, -1, -1):
            np.matmul(dz.T, hs[i], out=self._dW[i])
            if self._db[i] is not None:
                np.add.reduce(dz, axis=0, out=self._db[i])
            if i > 0:
                dh = dz @ net.weights[i]
                if masks is not None:
                    dh = dh * masks[i - 1]  # dl/dh^i = dl/dh~^i D^i
                dz = dh * _bp._hidden_grad(net, i - 1, zs[i - 1], hidden[i - 1])
        return loss

    def _weight_norms(self):
        """(every entry of g finite, ||dl/dW^i||_F for i = 1..k) from one pass over g."""
        squares = np.add.reduceat(np.square(self.grad), self._starts)
        if math.isfinite(float(squares.sum())):
            return True, np.sqrt(squares[: self.net.depth])
        if not np.isfinite(self.grad).all():
            return False, None
        # finite entries whose squares overflow: the scaled norm, as Trainer computes it
        return True, np.array([_frobenius_norm_unguarded(dW) for dW in self._dW])

    def step_batch(self):
        """One optimiser step on the next batch (see ``Trainer.step_batch``)."""
        if self.finished:
            return None
        if self._started is None:
            self._started = time.perf_counter()
        if self._order is None:
            self._start_epoch()
        rows = self._order[self._position : self._position + self.batch_size]
        self._position += len(rows)
        masks = self._dropout_masks(len(rows)) if self.dropout else None
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            loss = self._loss_and_grads(rows, masks)
            finite, norms = self._weight_norms()
            if not math.isfinite(loss):
                return self._diverge(f"the batch loss became {loss} in epoch {self.epoch}")
            if not finite:
                return self._diverge(f"a gradient became NaN or inf in epoch {self.epoch}")
            weights, grad = self.theta[: self.n_weights], self.grad[: self.n_weights]
            if self.l1:  # g <- g + l1 sign(W) + l2 W on the weights, as Trainer adds them
                grad += self.l1 * np.sign(weights)
            if self.l2:
                grad += self.l2 * weights
            self.optimizer.apply_unchecked([self.grad])
        self._epoch_batches.append(loss)
        self._epoch_norms.append(norms)
        if self._position >= self.m:
            self._end_epoch()
        return loss
