"""The playground: a training session driven tick by tick (figures: viz.playground_figures).

A ``Session`` holds a network, its data (a train/test split) and an ``nncore.train.Trainer``;
``advance`` runs whole epochs through nncore, ``surface`` evaluates h^k = softmax(z^k) on a grid
of the plane.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

import nncore as nn
from nncore.datasets import DATASETS, MULTICLASS_DATASETS, make_dataset
from nncore.digits import load_digits
from nncore.train import Trainer

DATA_SETS = list(DATASETS) + ["digits"]
GRID = 80  # decision surface resolution: GRID x GRID points
EXTENT = 1.8  # the plane shown is [-EXTENT, EXTENT]^2 (the data sets live in about +-1.5)
TEST_SHARE = 0.3
SURFACE_BLOCK = 800  # rows per forward pass when evaluating the surface grid


@dataclass
class Settings:
    """Everything that defines a run. Changing ``data`` or ``model`` fields means a new run;
    the ``optimiser`` fields can change while training goes on (the weights are kept)."""

    dataset: str = "spirals"
    n_classes: int = 3
    n_points: int = 500
    noise: float = 0.1
    seed: int = 0
    layers: int = 2
    width: int = 16
    activation: str = "tanh"
    optimizer: str = "adam"
    lr: float = 0.03
    batch_size: int = 10
    l2: float = 0.0

    def data_key(self) -> tuple:
        return (self.dataset, self.n_classes, self.n_points, self.noise, self.seed)

    def model_key(self) -> tuple:
        return (*self.data_key(), self.layers, self.width, self.activation)

    def optimiser_key(self) -> tuple:
        return (self.optimizer, self.lr, self.batch_size, self.l2)


def load_data(settings: Settings):
    """(x_train, y_train, x_test, y_test, n_classes); x rows are points, y int labels."""
    if settings.dataset == "digits":
        x, y = load_digits(scale="unit")
        n_classes = 10
    else:
        n_classes = settings.n_classes if settings.dataset in MULTICLASS_DATASETS else 2
        x, y = make_dataset(
            settings.dataset,
            n=int(settings.n_points),
            noise=settings.noise,
            seed=settings.seed,
            n_classes=n_classes,
        )
    order = np.random.default_rng(settings.seed).permutation(len(y))
    n_test = max(1, int(round(TEST_SHARE * len(y))))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test], n_classes


@dataclass
class Session:
    """A live training run. History lists are indexed by epoch (epoch 0 = before training)."""

    settings: Settings
    net: nn.MLP = None
    trainer: Trainer = None
    data: tuple = ()
    epochs: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    message: str = ""
    tick_times: list = field(default_factory=list)

    @classmethod
    def start(cls, settings: Settings) -> Session:
        """New data, a freshly initialised network [n_0, width x layers, n_classes], epoch 0."""
        session = cls(settings=settings)
        session.data = load_data(settings)
        x_train, _, _, _, n_classes = session.data
        sizes = [x_train.shape[1]] + [int(settings.width)] * int(settings.layers) + [n_classes]
        session.net = nn.MLP(
            sizes, hidden=settings.activation, output="softmax", seed=settings.seed
        )
        session.retune(settings)
        session._record()
        return session

    def retune(self, settings: Settings) -> None:
        """Apply new optimiser settings and keep the weights (the optimiser state restarts)."""
        x_train, y_train = self.data[0], self.data[1]
        self.settings = settings
        self.trainer = Trainer(
            self.net,
            x_train,
            y_train,
            optimizer=settings.optimizer,
            lr=float(settings.lr),
            epochs=10**9,
            batch_size=int(settings.batch_size),
            seed=settings.seed,
            weight_decay=float(settings.l2),
        )

    @property
    def epoch(self) -> int:
        return self.epochs[-1] if self.epochs else 0

    @property
    def finished(self) -> bool:
        return self.trainer.finished

    def _record(self) -> None:
        x_train, y_train, x_test, y_test, _ = self.data
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            self.train_loss.append(float(self.net.loss(x_train, y_train)))
            self.test_loss.append(float(self.net.loss(x_test, y_test)))
            self.train_accuracy.append(float(np.mean(self.net.predict(x_train) == y_train)))
            self.test_accuracy.append(float(np.mean(self.net.predict(x_test) == y_test)))
        self.epochs.append(len(self.epochs))

    def advance(self, epochs: int = 1) -> None:
        """Train ``epochs`` whole epochs (each visits every training row once, in batches)."""
        for _ in range(int(epochs)):
            if self.trainer.finished:
                self.message = self.trainer.history.message or "training stopped"
                return
            self.trainer.step_epoch()
            if self.trainer.finished:
                self.message = self.trainer.history.message or "training stopped"
                return
            self._record()

    def tick(self) -> float:
        """Record the time of a redraw; return the redraws per second over the last ones."""
        now = time.perf_counter()
        self.tick_times = (self.tick_times + [now])[-20:]
        if len(self.tick_times) < 2:
            return float("nan")
        return (len(self.tick_times) - 1) / (self.tick_times[-1] - self.tick_times[0])

    def surface(self, resolution: int = GRID) -> np.ndarray:
        """h^k = Pr(Y = c | x) on a resolution x resolution grid of the plane: (res, res, C).

        The grid goes through the network in blocks of SURFACE_BLOCK rows: on a busy machine
        a multi-threaded BLAS made one 6400-row pass ten times slower than eight small ones.
        """
        grid = _grid(resolution)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            blocks = [
                self.net.forward(grid[start : start + SURFACE_BLOCK])
                for start in range(0, len(grid), SURFACE_BLOCK)
            ]
        return np.concatenate(blocks).reshape(resolution, resolution, -1)


@lru_cache(maxsize=4)
def _grid(resolution: int) -> np.ndarray:
    """(resolution^2, 2) points of [-EXTENT, EXTENT]^2, x_1 varying fastest (row-major image)."""
    axis = np.linspace(-EXTENT, EXTENT, resolution)
    grid = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    grid.setflags(write=False)
    return grid
