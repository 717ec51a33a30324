"""Optimisers: gradient steps on a flat list of parameter arrays, updated in place.

One interface for all of them::

    opt = nn.get_optimizer("adam", net.params(), lr=0.01, weight_decay=1e-4)
    loss, grads = net.loss_and_grads(x, y)
    opt.step(net.grads_list(grads))      # every W^i and b^i changes in place
    opt.lr = 0.001                       # the learning rate may change between steps

With L2 weight decay lambda the loss becomes l + (lambda / 2) ||theta||^2, so each gradient g gets
lambda * theta added before the step: g <- g + lambda * theta. It applies to every array given
(pass only the weights to leave the biases undecayed). For Adam this is the classic coupled L2,
not AdamW's decoupled decay.

State arrays (velocities, moments) have each parameter's dtype, and the hyperparameters are Python
floats, which NumPy treats as "weak" scalars, so float32 networks stay float32 end to end.
"""

import math

import numpy as np


class NonFiniteGradientError(ValueError):
    """A gradient holds NaN or inf (training diverged); no parameter was changed."""


def _check_params(params):
    """Return params as a list after checking each is a floating ndarray."""
    if isinstance(params, np.ndarray):
        raise TypeError("params must be a list of arrays (e.g. net.params()), not a single array")
    params = list(params)
    if not params:
        raise ValueError("params is empty: nothing to optimise")
    for index, param in enumerate(params):
        if not isinstance(param, np.ndarray):
            raise TypeError(f"params[{index}] is {type(param).__name__}, expected a numpy array")
        if not np.issubdtype(param.dtype, np.floating):
            raise TypeError(f"params[{index}] has dtype {param.dtype}; parameters must be float")
    return params


def _check_rate(name, value, allow_zero=False):
    """A finite, positive (or non-negative) float, else ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {bound}, got {value}")
    return value


class Optimizer:
    """Base class: holds params, lr and weight decay; subclasses implement ``_update``."""

    name = "base"

    def __init__(self, params, lr, weight_decay=0.0):
        self.params = _check_params(params)
        self.lr = lr
        self.weight_decay = _check_rate("weight_decay", weight_decay, allow_zero=True)
        self.steps = 0

    @property
    def lr(self):
        """The learning rate eta used by the next step."""
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = _check_rate("lr", value)

    def step(self, grads):
        """Apply one update to every parameter in place.

        Args:
            grads: list of arrays, grads[j].shape == params[j].shape (``net.grads_list(grads)``).

        Raises NonFiniteGradientError (a ValueError) before changing anything if a gradient
        holds NaN or inf.
        """
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"got {len(grads)} gradients for {len(self.params)} parameter arrays")
        arrays = []
        for index, (param, grad) in enumerate(zip(self.params, grads, strict=True)):
            grad = np.asarray(grad, dtype=param.dtype)
            if grad.shape != param.shape:
                raise ValueError(
                    f"grads[{index}] has shape {grad.shape} but params[{index}] has {param.shape}"
                )
            if not np.isfinite(grad).all():
                raise NonFiniteGradientError(
                    f"grads[{index}] (shape {grad.shape}) contains NaN or inf; "
                    "lower the learning rate"
                )
            arrays.append(grad)
        with np.errstate(under="ignore"):  # a moment decaying below the float range is 0, correctly
            self.apply_unchecked(arrays)

    def apply_unchecked(self, grads):
        """``step`` without the shape, dtype and finiteness checks, for a caller that has made
        them already (``nn.Trainer`` checks finiteness through the gradient norms it records).

        grads: list of finite arrays of the parameters' shapes and dtypes.
        """
        self.steps += 1
        decay = self.weight_decay
        for index, (param, grad) in enumerate(zip(self.params, grads, strict=True)):
            if decay:
                grad = grad + decay * param
            self._update(index, param, grad)

    def _update(self, index, param, grad):
        raise NotImplementedError

    def state_dict(self):
        """JSON-able description of the hyperparameters (not the moment arrays)."""
        return {"name": self.name, "lr": self.lr, "weight_decay": self.weight_decay}


class SGD(Optimizer):
    """Plain gradient descent: theta <- theta - eta g."""

    name = "sgd"

    def _update(self, index, param, grad):
        param -= self.lr * grad


class Momentum(Optimizer):
    """Heavy-ball momentum: v <- mu v - eta g; theta <- theta + v.

    Args:
        momentum: mu in [0, 1).
    """

    name = "momentum"

    def __init__(self, params, lr, weight_decay=0.0, momentum=0.9):
        super().__init__(params, lr, weight_decay)
        self.momentum = _check_rate("momentum", momentum, allow_zero=True)
        if self.momentum >= 1:
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum}")
        self.velocities = [np.zeros_like(param) for param in self.params]

    def _update(self, index, param, grad):
        velocity = self.velocities[index]
        velocity *= self.momentum
        velocity -= self.lr * grad
        param += velocity

    def state_dict(self):
        return {**super().state_dict(), "momentum": self.momentum}


class Nesterov(Momentum):
    """Nesterov momentum (Sutskever et al. 2013 form, gradient taken at the current theta).

    v <- mu v - eta g;  theta <- theta + mu v - eta g, which equals a momentum step whose gradient
    is evaluated at the look-ahead point theta + mu v.
    """

    name = "nesterov"

    def _update(self, index, param, grad):
        velocity = self.velocities[index]
        mu = self.momentum
        step = self.lr * grad
        velocity *= mu
        velocity -= step
        param += mu * velocity - step


#: up to this many entries Adam updates sqrt(v) by hypot alone (fewer calls); beyond it hypot's
#: cost per entry (about 7x a multiply) outweighs them, and the squares are formed as written
_HYPOT_UP_TO = 1024


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with bias correction.

    m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g^2;
    theta <- theta - eta m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - beta1^t),
    v_hat = v / (1 - beta2^t). eps (default 1e-8) is Adam's own, documented constant: it bounds the
    step where v_hat is 0, it is not hidden inside a log.

    The state holds r = sqrt(v) (``second_moment_roots``), not v: g^2 overflows for finite
    |g| > 1.3e154 in float64 (1.8e19 in float32), where v = inf would make the step 0, while r
    has the scale of g. The update r <- sqrt(beta2 r^2 + (1 - beta2) g^2) is computed as written
    where the squares stay finite, and as hypot(sqrt(beta2) r, sqrt(1 - beta2) g), which never
    overflows, when they do not (and for parameters of at most 1,024 entries, where it is the
    cheaper of the two); so the first step is eta g / (|g| + eps) = eta sign(g) (up to
    eps) for every finite g.
    """

    name = "adam"

    def __init__(self, params, lr, weight_decay=0.0, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(params, lr, weight_decay)
        self.beta1 = _check_rate("beta1", beta1, allow_zero=True)
        self.beta2 = _check_rate("beta2", beta2, allow_zero=True)
        if self.beta1 >= 1 or self.beta2 >= 1:
            raise ValueError(f"beta1 and beta2 must be in [0, 1), got {self.beta1}, {self.beta2}")
        self.eps = _check_rate("eps", eps)
        self.first_moments = [np.zeros_like(param) for param in self.params]
        self.second_moment_roots = [np.zeros_like(param) for param in self.params]
        # two work arrays per parameter, so that a step allocates nothing
        self._work = [(np.empty_like(param), np.empty_like(param)) for param in self.params]

    def _update(self, index, param, grad):
        first, root = self.first_moments[index], self.second_moment_roots[index]
        work, square = self._work[index]
        first *= self.beta1
        first += np.multiply(grad, 1 - self.beta1, out=work)
        if root.size <= _HYPOT_UP_TO:  # three calls; hypot's cost per entry is not yet felt
            np.multiply(root, math.sqrt(self.beta2), out=work)
            np.multiply(grad, math.sqrt(1 - self.beta2), out=square)
            np.hypot(work, square, out=root)
        else:
            with np.errstate(over="ignore"):  # where a square overflows, hypot takes over
                np.multiply(root, root, out=work)  # v = r^2
                work *= self.beta2
                np.multiply(grad, grad, out=square)
                square *= 1 - self.beta2
                work += square  # beta2 v + (1 - beta2) g^2
            if np.maximum.reduce(work, axis=None) == np.inf:
                np.multiply(root, math.sqrt(self.beta2), out=work)
                np.multiply(grad, math.sqrt(1 - self.beta2), out=square)
                np.hypot(work, square, out=root)
            else:
                np.sqrt(work, out=root)
        # Fold both bias corrections into the step size (same result, one fewer array).
        correction1 = 1 - self.beta1**self.steps
        correction2 = 1 - self.beta2**self.steps
        step_size = self.lr * math.sqrt(correction2) / correction1
        np.add(root, self.eps * math.sqrt(correction2), out=work)
        np.divide(first, work, out=work)
        work *= step_size
        param -= work

    def state_dict(self):
        return {
            **super().state_dict(),
            "beta1": self.beta1,
            "beta2": self.beta2,
            "eps": self.eps,
        }


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adam": Adam}


def get_optimizer(name, params, lr, weight_decay=0.0, **kwargs):
    """Build an optimiser by name over a flat parameter list.

    Args:
        name: one of ``OPTIMIZERS`` ("sgd", "momentum", "nesterov", "adam"), case-insensitive.
        params: list of float arrays, e.g. ``net.params()``; they are updated in place.
        lr: learning rate eta > 0 (settable later through ``.lr``).
        weight_decay: L2 coefficient lambda >= 0 (gradient gets + lambda * theta).
        **kwargs: momentum (momentum, nesterov); beta1, beta2, eps (adam).
    """
    if not isinstance(name, str):
        raise TypeError(f"optimizer name must be a string, got {type(name).__name__}")
    key = name.strip().lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}")
    try:
        return OPTIMIZERS[key](params, lr, weight_decay=weight_decay, **kwargs)
    except TypeError as error:
        if "unexpected keyword" in str(error):
            raise TypeError(f"optimizer {key!r} does not take {sorted(kwargs)}: {error}") from None
        raise
