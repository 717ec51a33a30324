"""Learning-rate schedules: eta_t as a function of the epoch t = 0, 1, ..., epochs - 1.

- constant: eta_t = eta_0
- step:     eta_t = max(eta_0 * gamma^floor(t / step_size), MIN_LR)   (defaults: step_size =
            epochs // 3, gamma = 0.1; 0 < gamma <= 1)
- cosine:   eta_t = eta_min + (eta_0 - eta_min) (1 + cos(pi t / epochs)) / 2   (eta_min = 0)

The cosine schedule starts at eta_0 and never reaches eta_min inside the run (t < epochs), so the
last epoch still learns.

MIN_LR = sys.float_info.min (2.2e-308, the smallest positive normal float64) is the floor of the
step schedule: eta_0 gamma^floor(t / step_size) underflows to 0 after enough decays (eta_0 = 0.01,
gamma = 0.1, step_size = 1: from t = 322 on), and an optimiser refuses a learning rate of 0. At
the floor the steps are too small to change the weights, which is what the decay asked for.
"""

import math
import numbers
import sys

MIN_LR = sys.float_info.min


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return value


def _positive_float(name, value, allow_zero=False):
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got bool")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be finite and {'>=' if allow_zero else '>'} 0, got {value}")
    return value


class Schedule:
    """Callable epoch -> learning rate. ``.lr``, ``.epochs`` and the name are stored."""

    name = "base"

    def __init__(self, lr, epochs):
        self.lr = _positive_float("lr", lr)
        self.epochs = _positive_int("epochs", epochs)

    def __call__(self, epoch):
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise ValueError(f"epoch must be an int >= 0, got {epoch!r}")
        return self._rate(epoch)

    def _rate(self, epoch):
        raise NotImplementedError

    def config(self):
        """JSON-able dict that rebuilds this schedule through ``get_schedule(**config)``."""
        return {"name": self.name, "lr": self.lr, "epochs": self.epochs}


class ConstantSchedule(Schedule):
    """eta_t = eta_0."""

    name = "constant"

    def _rate(self, epoch):
        return self.lr


class StepSchedule(Schedule):
    """eta_t = max(eta_0 * gamma^floor(t / step_size), MIN_LR), 0 < gamma <= 1."""

    name = "step"

    def __init__(self, lr, epochs, step_size=None, gamma=0.1):
        super().__init__(lr, epochs)
        if step_size is None:
            step_size = max(1, epochs // 3)
        self.step_size = _positive_int("step_size", step_size)
        if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real):
            raise TypeError(f"gamma must be a number, got {type(gamma).__name__}")
        self.gamma = float(gamma)
        if not 0 < self.gamma <= 1:  # NaN fails too
            raise ValueError(
                f"gamma, the step schedule's decay factor, must be in (0, 1], got {self.gamma}"
            )

    def _rate(self, epoch):
        return max(self.lr * self.gamma ** (epoch // self.step_size), MIN_LR)

    def config(self):
        return {**super().config(), "step_size": self.step_size, "gamma": self.gamma}


class CosineSchedule(Schedule):
    """eta_t = eta_min + (eta_0 - eta_min) (1 + cos(pi t / T)) / 2, T = epochs."""

    name = "cosine"

    def __init__(self, lr, epochs, lr_min=0.0):
        super().__init__(lr, epochs)
        self.lr_min = _positive_float("lr_min", lr_min, allow_zero=True)
        if self.lr_min > self.lr:
            raise ValueError(f"lr_min ({self.lr_min}) must not exceed lr ({self.lr})")

    def _rate(self, epoch):
        progress = min(epoch, self.epochs) / self.epochs
        return self.lr_min + (self.lr - self.lr_min) * (1 + math.cos(math.pi * progress)) / 2

    def config(self):
        return {**super().config(), "lr_min": self.lr_min}


SCHEDULES = {"constant": ConstantSchedule, "step": StepSchedule, "cosine": CosineSchedule}


def get_schedule(name, lr, epochs, **kwargs):
    """Build a schedule by name: a callable epoch -> learning rate.

    Args:
        name: one of ``SCHEDULES`` ("constant", "step", "cosine").
        lr: eta_0 > 0; epochs: T >= 1.
        **kwargs: step_size, gamma (step); lr_min (cosine).
    """
    if not isinstance(name, str):
        raise TypeError(f"schedule name must be a string, got {type(name).__name__}")
    key = name.strip().lower()
    if key not in SCHEDULES:
        raise ValueError(f"unknown schedule {name!r}; choose one of {sorted(SCHEDULES)}")
    try:
        return SCHEDULES[key](lr, epochs, **kwargs)
    except TypeError as error:
        if "unexpected keyword" in str(error):
            raise TypeError(f"schedule {key!r} does not take {sorted(kwargs)}: {error}") from None
        raise
