"""The playground: a training session driven tick by tick (pictures: viz.playground_picture).

A ``Session`` holds the data (a train/test split of points of the plane, or of digit images),
the input features, a network and an ``nncore.fused.FusedTrainer`` (``nn.Trainer``'s run, number
for number, with fewer NumPy calls); ``advance`` runs whole epochs, ``maps`` evaluates every
unit of every layer on a grid of the plane (the per-neuron maps, the last layer's being the
decision surface).

Dropout (``Settings.dropout`` = p) acts inside the trainer's steps only: every number and picture
here (losses, accuracies, maps, the surface, the confusion matrix, the exported weights) comes
from the network in eval mode, every unit kept and nothing rescaled.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

import nncore as nn
from nncore.datasets import (
    DATASETS,
    MULTICLASS_DATASETS,
    REGRESSION_2D,
    make_regression_2d,
    train_test_split,
)
from nncore.digits import load_digits
from nncore.export import RunSpec
from nncore.features import feature_matrix
from nncore.fused import FusedTrainer
from nncore.unitmaps import layer_outputs, plane_grid

OWN = "your points"
CLASSIFICATION_SETS = list(DATASETS) + ["digits", OWN]
REGRESSION_SETS = list(REGRESSION_2D) + [OWN]
GRID = 80  # the maps' resolution: GRID x GRID points of the plane
EXTENT = 1.8  # the plane shown is [-EXTENT, EXTENT]^2 (the data sets live in about +-1.5)
DIVERGED_FACTOR = 10.0  # a training loss this many times the starting loss counts as diverging
MAX_OWN_POINTS = 5000
TARGET_STEP = 0.1  # a clicked point's target: -1 to 1 in these steps


@dataclass
class Settings:
    """Everything that defines a run. Changing a ``data`` or ``model`` field means a new run;
    the ``optimiser`` fields can change while training goes on (the weights are kept)."""

    problem: str = "classification"  # or "regression"
    dataset: str = "spirals"
    n_classes: int = 3
    n_points: int = 500
    noise: float = 0.1
    seed: int = 0
    test_share: float = 0.3
    features: tuple = ("x1", "x2")
    widths: tuple = (16, 16)
    activations: tuple = ("tanh", "tanh")
    optimizer: str = "adam"
    lr: float = 0.03
    batch_size: int = 10
    regularization: str = "none"  # "L1" or "L2"
    reg_rate: float = 0.0
    dropout: float = 0.0  # p, the drop probability of a hidden unit in a training step
    own_version: int = 0  # a new upload of your points: a new run

    def data_key(self) -> tuple:
        own = self.own_version if self.dataset == OWN else 0
        return (
            self.problem,
            self.dataset,
            self.n_classes,
            self.n_points,
            self.noise,
            self.seed,
            self.test_share,
            own,
        )

    def model_key(self) -> tuple:
        return (*self.data_key(), tuple(self.features), tuple(self.widths), tuple(self.activations))

    def optimiser_key(self) -> tuple:
        return (
            self.optimizer,
            self.lr,
            self.batch_size,
            self.regularization,
            self.reg_rate,
            self.dropout,
        )

    @property
    def is_plane(self) -> bool:
        return self.dataset != "digits"

    @property
    def penalties(self) -> tuple[float, float]:
        """(l1, l2) for nn.Trainer."""
        rate = float(self.reg_rate)
        return (
            rate if self.regularization == "L1" else 0.0,
            rate if self.regularization == "L2" else 0.0,
        )


@dataclass
class OwnPoints:
    """Points the user brought (CSV) or clicked: x (m, 2), y labels (m,) or targets (m, 1)."""

    x: np.ndarray
    y: np.ndarray
    problem: str

    def with_point(self, point, value) -> OwnPoints:
        if len(self.x) >= MAX_OWN_POINTS:
            raise ValueError(f"at most {MAX_OWN_POINTS} points")
        y_new = (
            np.array([int(value)])
            if self.problem == "classification"
            else np.array([[float(value)]])
        )
        return OwnPoints(
            np.vstack([self.x, [point]]), np.concatenate([self.y, y_new]), self.problem
        )


# what a run on your points needs (viz.playground_own shows it beside the plane to click on)
OWN_POINTS_NEED = {
    "classification": "A run starts once there are two points of two classes",
    "regression": "A run starts once there are two points",
}


def own_points_missing(own: OwnPoints | None, problem: str) -> str | None:
    """What your points still lack before a run can start on them (None: nothing)."""
    if own is not None and own.problem != problem and len(own.x):
        return (
            f"the {len(own.x)} you have are for {own.problem}; switch the problem back to use "
            f"them (a point added here starts new ones for {problem} in their place)"
        )
    if own is None or own.problem != problem or len(own.x) == 0:
        return "no points yet"
    if len(own.x) < 2:
        return "one point so far"
    if problem == "classification" and len(np.unique(own.y)) < 2:
        return "one class so far"
    return None


def fit_to_plane(x: np.ndarray) -> tuple[np.ndarray, float]:
    """Scale points into the plane shown: divided by s = max |x| / 1.5 when they reach past
    EXTENT (s = 1 otherwise). Returns (scaled points, s)."""
    reach = float(np.max(np.abs(x))) if len(x) else 0.0
    scale = reach / 1.5 if reach > EXTENT else 1.0
    return x / scale, scale


def fit_to_targets(y: np.ndarray) -> tuple[np.ndarray, float]:
    """Scale regression targets into the playground's range, the [-1, 1] of a clicked point's
    target (in steps of TARGET_STEP) and of the colour scale: divided by s = max |y| when they
    reach past 1 or stay below one step (s = 1 otherwise, and for all-zero targets). At the
    playground's learning rates a network from weights of order 1 cannot reach targets of 1e4
    (its loss stays at their variance) nor settle on targets of 1e-4 (its loss stays over a
    thousand times theirs), and targets past 1e153 would overflow the loss. Returns (scaled
    targets, s)."""
    reach = float(np.max(np.abs(y))) if len(y) else 0.0
    scale = reach if reach > 1.0 or 0.0 < reach < TARGET_STEP else 1.0
    return y / scale, scale


@dataclass
class Data:
    """A run's data: points (or digit images) p and the network's inputs x = features(p)."""

    p_train: np.ndarray
    y_train: np.ndarray
    p_test: np.ndarray
    y_test: np.ndarray
    x_train: np.ndarray
    x_test: np.ndarray
    n_classes: int  # 0 for regression

    @property
    def is_regression(self) -> bool:
        return self.n_classes == 0


def load_data(settings: Settings, own: OwnPoints | None = None) -> Data:
    """The run's data, split into train and test (``nncore.datasets.train_test_split``)."""
    seed = settings.seed
    if settings.dataset == "digits":
        points, labels = load_digits(scale="unit")
        n_classes = 10
    elif settings.dataset == OWN:
        missing = own_points_missing(own, settings.problem)
        if missing:
            raise ValueError(f"your points: {missing}; {OWN_POINTS_NEED[settings.problem].lower()}")
        points, labels = own.x, own.y
        n_classes = int(labels.max()) + 1 if settings.problem == "classification" else 0
    elif settings.problem == "regression":
        points, labels = make_regression_2d(
            settings.dataset, int(settings.n_points), settings.noise, seed
        )
        n_classes = 0
    else:
        n_classes = settings.n_classes if settings.dataset in MULTICLASS_DATASETS else 2
        points, labels = nn.make_dataset(
            settings.dataset,
            n=int(settings.n_points),
            noise=settings.noise,
            seed=seed,
            n_classes=n_classes,
        )
    p_train, y_train, p_test, y_test = train_test_split(points, labels, settings.test_share, seed)
    if settings.is_plane:
        x_train = feature_matrix(p_train, settings.features)
        x_test = feature_matrix(p_test, settings.features)
    else:
        x_train, x_test = p_train, p_test
    return Data(p_train, y_train, p_test, y_test, x_train, x_test, n_classes)


@dataclass
class Session:
    """A live training run. History lists are indexed by epoch (epoch 0 = before training)."""

    settings: Settings
    net: nn.MLP = None
    trainer: FusedTrainer = None
    data: Data = None
    epochs: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    message: str = ""
    edits: list = field(default_factory=list)  # (epoch, what changed) after the start
    tick_times: list = field(default_factory=list)
    _maps: tuple = (None, None)
    _confusion: tuple = (None, None)
    drawn: dict = field(default_factory=dict)  # the pages' drawings of this run, by what they show

    @classmethod
    def start(cls, settings: Settings, own: OwnPoints | None = None) -> Session:
        """New data, a freshly initialised network [n_0, n_1, ..., n_out], epoch 0."""
        session = cls(settings=settings)
        session.data = load_data(settings, own)
        data = session.data
        n_out = 1 if data.is_regression else data.n_classes
        sizes = [data.x_train.shape[1], *[int(w) for w in settings.widths], n_out]
        output = "identity" if data.is_regression else "softmax"
        session.net = nn.MLP(
            sizes, hidden=list(settings.activations), output=output, seed=settings.seed
        )
        session._new_trainer(settings)
        session._record(*session._evaluate())
        return session

    def _new_trainer(self, settings: Settings) -> None:
        l1, l2 = settings.penalties
        self.settings = settings
        self.trainer = FusedTrainer(
            self.net,
            self.data.x_train,
            self.data.y_train,
            optimizer=settings.optimizer,
            lr=float(settings.lr),
            epochs=10**9,
            batch_size=int(settings.batch_size),
            seed=settings.seed,
            x_val=self.data.x_test,
            y_val=self.data.y_test,
            l1=l1,
            l2=l2,
            dropout=float(settings.dropout),
        )

    def retune(self, settings: Settings) -> None:
        """Apply new optimiser settings and keep the weights (the optimiser state restarts)."""
        if self.epoch > 0:
            self.edits.append((self.epoch, "optimiser settings changed"))
        self._new_trainer(settings)

    def add_point(self, point, value) -> None:
        """Add a training point (your points); the weights are kept, training goes on."""
        data = self.data
        point = np.asarray(point, dtype=np.float64).reshape(1, 2)
        if data.is_regression:
            y_new = np.array([[float(value)]])
        else:
            if not 0 <= int(value) < data.n_classes:
                raise ValueError(f"class {value} is not among this run's 0..{data.n_classes - 1}")
            y_new = np.array([int(value)])
        data.p_train = np.vstack([data.p_train, point])
        data.y_train = np.concatenate([data.y_train, y_new])
        data.x_train = feature_matrix(data.p_train, self.settings.features)
        self.edits.append((self.epoch, "a point was added"))
        self._new_trainer(self.settings)
        self._maps = (None, None)

    @property
    def epoch(self) -> int:
        return self.epochs[-1] if self.epochs else 0

    @property
    def finished(self) -> bool:
        return self.trainer.finished

    def _evaluate(self):
        data, net = self.data, self.net
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            train_loss, h_train = net.loss_and_output(data.x_train, data.y_train)
            test_loss, h_test = net.loss_and_output(data.x_test, data.y_test)
        if data.is_regression:
            return train_loss, test_loss, None, None
        return (
            train_loss,
            test_loss,
            float(np.mean(h_train.argmax(1) == data.y_train)),
            float(np.mean(h_test.argmax(1) == data.y_test)),
        )

    def _record(self, train_loss, test_loss, train_accuracy, test_accuracy) -> None:
        self.train_loss.append(float(train_loss))
        self.test_loss.append(float(test_loss))
        if train_accuracy is not None:
            self.train_accuracy.append(float(train_accuracy))
            self.test_accuracy.append(float(test_accuracy))
        self.epochs.append(len(self.epochs))

    def advance(self, epochs: int = 1) -> None:
        """Train ``epochs`` whole epochs (each visits every training row once, in batches)."""
        history = self.trainer.history
        for _ in range(int(epochs)):
            if self.trainer.finished or self.trainer.step_epoch() is None:
                self.message = history.message or "training stopped"
                return
            accuracy = (
                (history.accuracy[-1], history.val_accuracy[-1])
                if history.accuracy
                else (None, None)
            )
            self._record(history.loss[-1], history.val_loss[-1], *accuracy)

    def divergence(self) -> str:
        """'' while training behaves; else what went wrong (NaN/inf, or a loss that rose by
        an order of magnitude over its starting value)."""
        if self.message:
            return self.message
        first, last = self.train_loss[0], self.train_loss[-1]
        if math.isfinite(first) and first > 0 and last > DIVERGED_FACTOR * first:
            return (
                f"training is diverging: the training loss rose from {first:.3g} to "
                f"{last:.3g} ({last / first:.0f} times its starting value)"
            )
        return ""

    def tick(self) -> float:
        """Record the time of a redraw; return the redraws per second over the last ones."""
        now = time.perf_counter()
        self.tick_times = (self.tick_times + [now])[-20:]
        if len(self.tick_times) < 2:
            return float("nan")
        return (len(self.tick_times) - 1) / (self.tick_times[-1] - self.tick_times[0])

    # --- the plane: every unit's map --------------------------------------------------------

    def maps(self, resolution: int = GRID) -> list[np.ndarray]:
        """[h^1, ..., h^k] on a resolution x resolution grid of the plane, each
        (resolution, resolution, n_i) float32; row 0 is x_2 = -EXTENT, column 0 x_1 = -EXTENT.
        The last entry is the output: Pr(Y = c | x) (classification) or the prediction."""
        key = (self.epoch, resolution, len(self.edits))
        if self._maps[0] != key:
            inputs = grid_features(tuple(self.settings.features), resolution)
            outputs = layer_outputs(self.net, inputs, dtype=np.float32)
            self._maps = (key, [h.reshape(resolution, resolution, -1) for h in outputs])
        return self._maps[1]

    def surface(self, resolution: int = GRID) -> np.ndarray:
        """The output layer's map h^k (resolution, resolution, n_k)."""
        return self.maps(resolution)[-1]

    def confusion(self) -> np.ndarray:
        """Counts (C, C): row = true class of a test point, column = the predicted class.
        Computed once per epoch (the picture, its words and the table all show it)."""
        key = (self.epoch, len(self.edits))
        if self._confusion[0] != key:
            data = self.data
            with np.errstate(over="ignore", under="ignore", invalid="ignore"):
                predicted = self.net.forward(data.x_test).argmax(axis=1)
            counts = np.zeros((data.n_classes, data.n_classes), dtype=np.int64)
            np.add.at(counts, (data.y_test, predicted), 1)
            counts.setflags(write=False)
            self._confusion = (key, counts)
        return self._confusion[1]

    def run_spec(self) -> RunSpec:
        """This run as an nncore.export.RunSpec (the code trains as many epochs as this run)."""
        settings, data = self.settings, self.data
        if settings.dataset == OWN:
            spec_data = {
                "kind": "points",
                "x_train": data.p_train,
                "y_train": data.y_train,
                "x_test": data.p_test,
                "y_test": data.y_test,
            }
        elif settings.dataset == "digits":
            spec_data = {"kind": "digits"}
        elif data.is_regression:
            spec_data = {
                "kind": "regression",
                "target": settings.dataset,
                "n": int(settings.n_points),
                "noise": float(settings.noise),
            }
        else:
            spec_data = {
                "kind": "classification",
                "name": settings.dataset,
                "n": int(settings.n_points),
                "noise": float(settings.noise),
                "n_classes": data.n_classes,
            }
        notes = [
            f"at epoch {epoch}: {what}; this code runs the current settings from the "
            "start, so its numbers differ from the playground's"
            for epoch, what in self.edits
        ]
        l1, l2 = settings.penalties
        return RunSpec(
            data=spec_data,
            sizes=list(self.net.sizes),
            hidden=list(self.net.hidden),
            output=self.net.output,
            features=tuple(settings.features) if settings.is_plane else None,
            test_share=float(settings.test_share),
            seed=int(settings.seed),
            optimizer=settings.optimizer,
            lr=float(settings.lr),
            batch_size=int(settings.batch_size),
            l1=l1,
            l2=l2,
            dropout=float(settings.dropout),
            epochs=self.epoch,
            notes=notes,
        )


def add_clicked_point(session, own, point, value, problem: str):
    """A click on the map with your points: (your points plus this one, whether the run must
    start over). A label beyond the run's classes needs a new output layer, so a new run;
    otherwise the point joins the training set and training goes on with the same weights."""
    if own is None or own.problem != problem:
        empty_y = np.zeros(0, dtype=np.int64) if problem == "classification" else np.zeros((0, 1))
        own = OwnPoints(np.zeros((0, 2)), empty_y, problem)
    own = own.with_point(point, value)
    restart = (
        session is None
        or session.settings.dataset != OWN
        or (problem == "classification" and int(value) >= session.data.n_classes)
    )
    if not restart:
        session.add_point(point, value)
    return own, restart


@lru_cache(maxsize=16)
def grid_features(features: tuple, resolution: int = GRID) -> np.ndarray:
    """The network's inputs for the grid of the plane: (resolution^2, n_0), read-only."""
    inputs = feature_matrix(plane_grid(resolution, EXTENT), features)
    inputs.setflags(write=False)
    return inputs
