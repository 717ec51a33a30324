"""Mini-batch training: ``fit`` runs it all, ``Trainer`` steps it one epoch or batch at a time.

One epoch visits every row of x once, in a fresh random order, in batches of ``batch_size``:

    for each batch B:   l_B = (1/|B|) sum_{r in B} l(x_r, y_r, theta);   theta <- step(dl_B/dtheta)

The optimiser comes from ``nncore.optim`` (by name) and the learning rate of epoch t from a
schedule in ``nncore.schedules``. The shuffling draws from ``np.random.default_rng(seed)``, so the
same network, data and seed give the same run, number for number.

With ``dropout=p`` > 0 every training step drops each hidden unit with probability p and scales
the kept ones by 1/(1-p) (``nncore.dropout``), with masks drawn from the same generator right
after the batch's rows are chosen; every evaluation (the history's losses and accuracies) uses
the network without dropout. p = 0 draws nothing: the run is the same as without the argument.

After each epoch the history records, for the network as it then is:
- ``loss``: the mean loss over all training rows (one extra forward pass), and ``accuracy`` for a
  sigmoid/softmax output (empty for regression); ``val_loss`` / ``val_accuracy`` when validation
  data are given;
- ``batch_loss``: the mean of the batch losses seen during the epoch (what a progress bar shows;
  with dropout these are training-mode losses, through the masks);
- ``grad_norms``: per layer i, the mean over the epoch's batches of ||dl_B/dW^i||_F;
- ``lr`` and ``epoch_time`` (seconds); ``wall_time`` is the total.
"""

import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from nncore import backprop as _bp
from nncore import dropout as _dropout
from nncore._checks import as_float_array, check_net, rng_from
from nncore.optim import get_optimizer
from nncore.schedules import get_schedule


@dataclass
class History:
    """Per-epoch records of a training run (lists indexed by epoch 0, 1, ...)."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    batch_loss: list = field(default_factory=list)
    grad_norms: list = field(default_factory=list)
    lr: list = field(default_factory=list)
    epoch_time: list = field(default_factory=list)
    initial_loss: float = math.nan
    wall_time: float = 0.0
    stopped_early: bool = False
    diverged: bool = False
    message: str = ""
    config: dict = field(default_factory=dict)

    @property
    def epochs(self):
        """Number of completed epochs."""
        return len(self.loss)

    def to_dict(self):
        """A JSON-able dict (lists of floats, no arrays)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(**data)


def _accuracy(net, h, y):
    """Fraction of rows classified right, from h^k (m, n_k); None for an identity output.

    softmax: argmax of h^k against the labels (or the one-hot rows' argmax);
    sigmoid: h^k >= 1/2 against y >= 1/2, over every output.
    """
    if net.output == "identity":
        return None
    predicted = net.predict_from_output(h)
    m = h.shape[0]
    if net.output == "softmax":
        labels = y.argmax(axis=1) if y.ndim == 2 and y.shape[1] > 1 else y.reshape(m)
        return float(np.mean(predicted == labels))
    return float(np.mean(predicted.reshape(m, -1) == (y.reshape(m, -1) >= 0.5)))


#: a . a below this may have lost its digits to underflow (squares below the smallest normal
#: number, 0 for entries below 1e-162 in float64): the norm is then taken from a / max |a|
_SUM_OF_SQUARES_FLOOR = {
    np.dtype(t): float(np.finfo(t).tiny / np.finfo(t).eps) for t in (np.float32, np.float64)
}


def _frobenius_norm_unguarded(a):
    """frobenius_norm without its own np.errstate (call inside one that ignores overflow and
    underflow)."""
    squared = float(np.vdot(a, a))
    if math.isfinite(squared) and squared >= _SUM_OF_SQUARES_FLOOR.get(a.dtype, 0.0):
        return math.sqrt(squared)
    scale = float(np.max(np.abs(a)))
    if not math.isfinite(scale) or scale == 0:
        return scale
    scaled = a / scale
    return scale * math.sqrt(float(np.vdot(scaled, scaled)))


def frobenius_norm(a):
    """||a||_F = sqrt(sum a^2); NaN or inf when a holds one.

    Fast path: sqrt(a . a). If a . a overflows (entries beyond ~1e154) or underflows (below
    ~1e-146, where the squares lose their digits or vanish), it is recomputed as
    s sqrt(sum (a/s)^2) with s = max |a|, which is right for any finite a.
    """
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        return _frobenius_norm_unguarded(np.asarray(a))


def _check_batch_size(batch_size, m):
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer):
        raise TypeError(f"batch_size must be an int, got {type(batch_size).__name__}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    return int(min(batch_size, m))


class Trainer:
    """Training state that can be advanced one batch (``step_batch``) or one epoch at a time.

    Args:
        net: an ``nn.MLP``; its weights change in place.
        x: (m, n_0) inputs; y: targets as ``net.loss_and_grads`` takes them.
        optimizer: a name in ``nn.OPTIMIZERS``; lr: eta_0; weight_decay: L2 lambda.
        epochs: the horizon of the learning-rate schedule (and of ``run``).
        batch_size: rows per step (capped at m); seed: int for the shuffling.
        x_val, y_val: optional validation data, evaluated after every epoch.
        schedule: a name in ``nn.SCHEDULES``; schedule_kwargs: e.g. {"gamma": 0.5}.
        l1, l2: penalty rates on the weights W^i only (not the biases): each step follows the
            gradient of l_B + l1 sum |w| + (l2 / 2) sum w^2 (see ``penalty``); 0 turns one off.
        dropout: p in [0, 1), inverted dropout on the hidden layers' outputs during training
            steps only (masks from the shuffling generator; see ``nncore.dropout``); 0 = none.
        **optimizer_kwargs: momentum, beta1, beta2, eps.
    """

    def __init__(
        self,
        net,
        x,
        y,
        optimizer="adam",
        lr=0.01,
        epochs=100,
        batch_size=32,
        seed=0,
        x_val=None,
        y_val=None,
        weight_decay=0.0,
        schedule="constant",
        schedule_kwargs=None,
        l1=0.0,
        l2=0.0,
        dropout=0.0,
        **optimizer_kwargs,
    ):
        self.net = net
        self.l1, self.l2 = _check_penalty("l1", l1), _check_penalty("l2", l2)
        self.dropout = _dropout.check_dropout(dropout, "dropout")
        # as the network's floats; complex or text data is a TypeError naming x, not a cast
        self.x = as_float_array(x, "x", dtype=net.dtype) if np.ndim(x) == 2 else np.asarray(x)
        self.y = np.asarray(y)
        if self.x.ndim != 2 or self.y.ndim == 0 or len(self.y) != len(self.x):
            raise ValueError(
                f"x must be (m, n_0) and y must have m rows; got x {np.shape(x)}, y {np.shape(y)}"
            )
        initial_loss = net.loss(self.x, self.y)  # validates shapes, labels and finiteness once
        self.m = self.x.shape[0]
        # y in the form the passes read, converted once (every epoch evaluates on these rows)
        self._target = _bp.targets(net, self.y, self.m)
        self.batch_size = _check_batch_size(batch_size, self.m)
        if (x_val is None) != (y_val is None):
            raise ValueError("give both x_val and y_val, or neither")
        self.x_val = None if x_val is None else as_float_array(x_val, "x_val", dtype=net.dtype)
        self.y_val = None if y_val is None else np.asarray(y_val)
        self._val_target = None
        if self.x_val is not None:
            net.loss(self.x_val, self.y_val)  # same checks for the validation data
            self._val_target = _bp.targets(net, self.y_val, self.x_val.shape[0])
        self.schedule = get_schedule(schedule, lr, epochs, **(schedule_kwargs or {}))
        self.optimizer = get_optimizer(
            optimizer, net.params(), lr, weight_decay=weight_decay, **optimizer_kwargs
        )
        self.epochs = self.schedule.epochs
        self.rng = rng_from(seed)
        self.epoch = 0
        self.history = History(
            config={
                "optimizer": self.optimizer.state_dict(),
                "schedule": self.schedule.config(),
                "batch_size": self.batch_size,
                "seed": seed if isinstance(seed, int | None) else None,
                "n_train": self.m,
                "n_val": 0 if self.x_val is None else int(self.x_val.shape[0]),
                "l1": self.l1,
                "l2": self.l2,
                "dropout": self.dropout,
            }
        )
        self.history.initial_loss = initial_loss
        self._order = None
        self._position = 0
        self._epoch_batches = []
        self._epoch_norms = []
        self._epoch_started = 0.0
        self._started = None

    @property
    def finished(self):
        """True after a divergence or a stop (further steps do nothing)."""
        return self.history.diverged or self.history.stopped_early

    def _evaluate(self, x, y, target):
        """(loss, accuracy) of the current network on all rows, in eval mode (no dropout): one
        forward pass for both, on data checked at the start (target: y as the passes read it)."""
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            loss, h = self.net._loss_and_output(x, target)
            return loss, _accuracy(self.net, h, y)

    def _start_epoch(self):
        self._order = self.rng.permutation(self.m)
        self._position = 0
        self._epoch_batches = []
        self._epoch_norms = []
        self._epoch_started = time.perf_counter()
        # Past the schedule's horizon (a playground that keeps going) the last rate holds.
        self.optimizer.lr = self.schedule(min(self.epoch, self.epochs - 1))

    def _dropout_masks(self, m):
        """This batch's scaled masks [D^1..D^{k-1}] (m, n_i), drawn from self.rng."""
        return _dropout.dropout_masks(
            self.rng, m, self.net.sizes[1:-1], self.dropout, dtype=self.net.dtype
        )

    def step_batch(self):
        """One optimiser step on the next batch; closes the epoch after its last batch.

        Returns the batch loss (before the step; training mode, so through the dropout masks
        when dropout > 0), or None once training has finished.
        """
        if self.finished:
            return None
        if self._started is None:
            self._started = time.perf_counter()
        if self._order is None:
            self._start_epoch()
        rows = self._order[self._position : self._position + self.batch_size]
        self._position += len(rows)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            if self.dropout:
                masks = self._dropout_masks(len(rows))
                loss, grads = _dropout.loss_and_grads(self.net, self.x[rows], self.y[rows], masks)
            else:
                loss, grads = self.net.loss_and_grads(self.x[rows], self.y[rows])
            flat = self.net.grads_list(grads)
            # A norm is finite exactly when every entry is, so the norms double as the check.
            norms = [_frobenius_norm_unguarded(grad) for grad in flat]
        if not math.isfinite(loss):
            return self._diverge(f"the batch loss became {loss} in epoch {self.epoch}")
        if not math.isfinite(sum(norms)):
            return self._diverge(f"a gradient became NaN or inf in epoch {self.epoch}")
        # As in FusedTrainer: an update that overflows leaves a non-finite weight, which the next
        # batch or the epoch's evaluation reports as a divergence, with a message, not a warning.
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            if self.l1 or self.l2:
                flat = self._add_penalty_grads(flat)
            self.optimizer.apply_unchecked(flat)
        self._epoch_batches.append(loss)
        self._epoch_norms.append(
            [norm for norm, grad in zip(norms, flat, strict=True) if grad.ndim == 2]
        )
        if self._position >= self.m:
            self._end_epoch()
        return loss

    def _add_penalty_grads(self, flat):
        """g <- g + l1 sign(W) + l2 W for every weight matrix (biases are not penalised)."""
        out = []
        for param, grad in zip(self.net.params(), flat, strict=True):
            if grad.ndim == 2:
                if self.l1:
                    grad = grad + self.l1 * np.sign(param)
                if self.l2:
                    grad = grad + self.l2 * param
            out.append(grad)
        return out

    def _diverge(self, reason):
        self.history.diverged = True
        self.history.stopped_early = True
        self.history.message = f"training diverged: {reason}; try a smaller learning rate"
        self._order = None
        return None

    def _end_epoch(self):
        history = self.history
        loss, accuracy = self._evaluate(self.x, self.y, self._target)
        history.loss.append(loss)
        if accuracy is not None:  # classification only; stays [] for regression
            history.accuracy.append(accuracy)
        if self.x_val is not None:
            val_loss, val_accuracy = self._evaluate(self.x_val, self.y_val, self._val_target)
            history.val_loss.append(val_loss)
            if val_accuracy is not None:
                history.val_accuracy.append(val_accuracy)
        history.batch_loss.append(float(np.mean(self._epoch_batches)))
        history.grad_norms.append(np.mean(self._epoch_norms, axis=0).tolist())
        history.lr.append(self.optimizer.lr)
        now = time.perf_counter()
        history.epoch_time.append(now - self._epoch_started)
        history.wall_time = now - self._started
        self.epoch += 1
        self._order = None
        if not math.isfinite(loss):
            self._diverge(f"the training loss became {loss} after epoch {self.epoch - 1}")

    def step_epoch(self):
        """Finish the current epoch (all of it, if none is under way).

        Returns the epoch's training loss, or None once training has finished.
        """
        if self.finished:
            return None
        epoch = self.epoch
        while self.epoch == epoch and not self.finished:
            self.step_batch()
        return self.history.loss[-1] if self.epoch > epoch else None

    def stop(self, message="stopped by the caller"):
        """Mark the run as stopped early (what a Stop button calls)."""
        self.history.stopped_early = True
        self.history.message = message

    def run(self, epochs=None, callback=None):
        """Train for ``epochs`` more epochs (default: up to the schedule's horizon).

        callback(epoch, history, net) runs after every epoch; a truthy return (True) stops training.
        """
        target_epoch = self.epochs if epochs is None else self.epoch + epochs
        while self.epoch < target_epoch and not self.finished:
            self.step_epoch()
            if self.finished:
                break
            if callback is not None and callback(self.epoch - 1, self.history, self.net):
                self.stop(f"stopped by the callback after epoch {self.epoch - 1}")
        return self.history


def _check_penalty(name, rate):
    """A penalty rate: a finite number >= 0."""
    if isinstance(rate, bool) or not isinstance(rate, int | float | np.floating | np.integer):
        raise TypeError(f"{name} must be a number, got {type(rate).__name__}")
    if not math.isfinite(rate) or rate < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {rate}")
    return float(rate)


def penalty(net, l1=0.0, l2=0.0):
    """The regularisation term lambda R(W) added to the loss by ``Trainer(l1=..., l2=...)``:

        l1 sum_i sum |W^i|  +  (l2 / 2) sum_i sum (W^i)^2      (weights only, no biases)

    Its gradient for W^i is l1 sign(W^i) + l2 W^i (sign(0) = 0, the subgradient nearest 0).
    """
    l1, l2 = _check_penalty("l1", l1), _check_penalty("l2", l2)
    total = 0.0
    for W in net.weights:
        if l1:
            total += l1 * float(np.abs(W).sum())
        if l2:
            total += 0.5 * l2 * float(np.vdot(W, W))
    return total


def fit(
    net,
    x,
    y,
    optimizer="adam",
    lr=0.01,
    epochs=100,
    batch_size=32,
    seed=0,
    callback=None,
    x_val=None,
    y_val=None,
    weight_decay=0.0,
    schedule="constant",
    schedule_kwargs=None,
    **optimizer_kwargs,
):
    """Train ``net`` in place with mini-batches and return its ``History``.

    Args:
        net: nn.MLP; x: (m, n_0); y: targets matching the output unit (see ``net.loss``).
        optimizer: "sgd", "momentum", "nesterov" or "adam"; lr: eta_0 > 0; epochs: >= 1;
        batch_size: rows per step; seed: shuffling seed (same seed -> identical run).
        callback: callback(epoch, history, net) after each epoch; returning True stops early
            (``history.stopped_early`` is then True).
        x_val, y_val: validation data for ``val_loss`` / ``val_accuracy``.
        weight_decay: L2 lambda; schedule: "constant", "step" or "cosine".
        Further keywords (l1, l2, dropout, momentum, ...) go to ``Trainer``.

    A run whose loss or gradients become NaN/inf stops with ``history.diverged`` set and a
    message, instead of raising.
    """
    check_net(net)
    trainer = Trainer(
        net,
        x,
        y,
        optimizer=optimizer,
        lr=lr,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        x_val=x_val,
        y_val=y_val,
        weight_decay=weight_decay,
        schedule=schedule,
        schedule_kwargs=schedule_kwargs,
        **optimizer_kwargs,
    )
    return trainer.run(callback=callback)
