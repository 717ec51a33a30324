"""The multilayer perceptron h^k = f(x, theta), built from dense layers.

    h^0 = x,    z^i = h^{i-1} W^{iT} + b^i,    h^i = sigma(z^i)   for i = 1..k

x is (m, n_0) with one data point per row; W^i is (n_i, n_{i-1}) with one row per output unit;
h^i and z^i are (m, n_i). The output unit of layer k is identity (regression, squared error),
sigmoid (binary, negative log-likelihood) or softmax (multiclass, cross-entropy), and
`loss_and_grads` uses the loss that matches it, with the fused delta dl/dz^k = (h^k - y), scaled.
Every pass ignores underflow, whose 0 or subnormal is the correct result, and only underflow:
it runs under np.errstate(all="raise").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nncore import backprop as _bp
from nncore import chain_rule as _chain_rule
from nncore._checks import as_float_array, check_alpha, check_sizes, rng_from
from nncore.activations import ACTIVATIONS, get_activation
from nncore.chain_rule import ChainRule
from nncore.init import DEFAULT_BIAS_INIT, get_bias_initializer, get_initializer, init_name_for
from nncore.losses import OUTPUT_UNITS

OUTPUTS = tuple(OUTPUT_UNITS)


def _check_hidden(hidden, n_hidden: int) -> list[str]:
    if isinstance(hidden, str):
        get_activation(hidden)  # a misspelt name is named even when no layer uses it
        names = [hidden] * n_hidden
    elif isinstance(hidden, list | tuple):
        names = list(hidden)
        if len(names) != n_hidden:
            raise ValueError(
                f"hidden lists {len(names)} activations but the network has {n_hidden} hidden "
                "layers; give one name for all or one per hidden layer"
            )
    else:
        raise TypeError(f"hidden must be an activation name or a list of names, got {hidden!r}")
    return [get_activation(h).name for h in names]


def _name(init) -> str:
    """An initialiser as an error message names it: a callable by its name, else its repr."""
    return getattr(init, "__name__", None) or repr(init) if callable(init) else repr(init)


def _check_dtype(dtype):
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"dtype must be float32 or float64, got {dt}")
    return dt


@dataclass
class Backprop:
    """Everything one backward pass computes, for the diagnostics pages.

    loss: float; grads[i] = (dW, db) for layer i+1; hs = [h^0..h^k]; zs = [z^1..z^k];
    dh = [dl/dh^0 .. dl/dh^k] (each (m, n_i)); dz = [dl/dz^1 .. dl/dz^k] (each (m, n_i)).
    """

    loss: float
    grads: list
    hs: list
    zs: list
    dh: list
    dz: list


class MLP:
    """A multilayer perceptron with weights W^i (n_i, n_{i-1}) and biases b^i (n_i,).

    sizes: [n_0, n_1, ..., n_k] (at least two, all >= 1).
    hidden: one activation name for every hidden layer, or a list of k-1 names.
    output: "identity", "sigmoid" or "softmax" (decides the loss, see nncore.losses).
    bias: False drops every b^i (then biases[i] is None and grads[i] = (dW, None)).
    init: "auto" (He for ReLU-like, Glorot otherwise), a name from nncore.INITIALIZERS, a
        (name, {"std": ...}) pair or a callable(shape, rng, dtype).
    bias_init: how b^i starts: "fan_in_uniform" (default), b^i ~ U[-1/sqrt(n_{i-1}),
        1/sqrt(n_{i-1})] as PyTorch's nn.Linear; "zeros"; ("normal", {"std": s}); or a
        callable(shape, fan_in, rng, dtype). Not zeros by default on purpose: with b^1 = 0 every
        first-layer unit's z^1 = h^0 W^{1T} is 0 at x = 0, so for one input all units are
        centred (tanh) or kinked (ReLU) at the same x = 0 and a [1, 32, 32, 1] tanh net stalls
        near MSE 0.02-0.06 on sin(3x) over [-pi, pi]; random biases spread the units over the
        data and the same fit reaches MSE < 1e-3 within 300 epochs (see nncore.init).
    seed: int or np.random.Generator; the same seed gives the same weights (the biases are
        drawn after all the weights from the same generator, so W^i does not depend on
        bias_init).
    dtype: np.float64 (default) or np.float32, kept end to end.
    alpha: the softmax output's alpha (T = 1/alpha), only with output="softmax".
    """

    def __init__(
        self,
        sizes,
        hidden="relu",
        output="identity",
        bias=True,
        init="auto",
        seed=0,
        dtype=np.float64,
        alpha=1.0,
        bias_init=DEFAULT_BIAS_INIT,
    ):
        self.sizes = check_sizes(sizes)
        self.hidden = _check_hidden(hidden, len(self.sizes) - 2)
        if not isinstance(output, str) or output.strip().lower() not in OUTPUT_UNITS:
            raise ValueError(f"unknown output unit {output!r}; valid: {', '.join(OUTPUTS)}")
        self.output = output.strip().lower()
        if self.output == "softmax" and self.sizes[-1] < 2:
            raise ValueError(
                "a softmax output needs at least 2 units (one per class); "
                f"sizes[-1] = {self.sizes[-1]}. For two classes with one unit use output='sigmoid'"
            )
        self.alpha = check_alpha(alpha)
        if self.output != "softmax" and self.alpha != 1.0:
            raise ValueError(
                f"alpha = {self.alpha} scales the softmax output's scores (T = 1/alpha); this "
                f"network's output is {self.output!r}. Use output='softmax' or leave alpha at 1"
            )
        if not isinstance(bias, bool | np.bool_):
            raise TypeError(f"bias must be True or False, got {bias!r}")
        self.bias = bool(bias)
        self.dtype = _check_dtype(dtype)
        self.init = init_name_for(self.hidden) if init == "auto" else init
        self.bias_init = bias_init
        bias_initializer = get_bias_initializer(bias_init)
        self.seed = seed
        rng = rng_from(seed)
        initializer = get_initializer(self.init)
        self.weights = []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            W = np.asarray(initializer((n_out, n_in), rng, self.dtype), dtype=self.dtype)
            if W.shape != (n_out, n_in):
                raise ValueError(f"initialiser returned shape {W.shape}, expected {(n_out, n_in)}")
            if not np.isfinite(W).all():
                raise ValueError(
                    f"the initialiser {_name(self.init)} gave W^{len(self.weights) + 1} non-finite "
                    f"entries (NaN or inf) in {self.dtype}; check its parameters"
                )
            self.weights.append(W)
        self.biases = []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            if not self.bias:
                self.biases.append(None)
                continue
            b = np.asarray(bias_initializer((n_out,), n_in, rng, self.dtype), dtype=self.dtype)
            if b.shape != (n_out,):
                raise ValueError(f"bias initialiser returned shape {b.shape}, expected {(n_out,)}")
            if not np.isfinite(b).all():
                raise ValueError(
                    f"the bias initialiser {_name(bias_init)} gave b^{len(self.biases) + 1} "
                    f"non-finite entries (NaN or inf) in {self.dtype}; check its parameters"
                )
            self.biases.append(b)

    # --- description ---------------------------------------------------------------------

    @property
    def depth(self) -> int:
        """k, the number of layers with weights."""
        return len(self.weights)

    @property
    def n_params(self) -> int:
        """Number of trainable numbers: sum_i n_i n_{i-1} (+ n_i with biases)."""
        return sum(W.size for W in self.weights) + sum(b.size for b in self.biases if b is not None)

    @property
    def activations(self) -> list[str]:
        """The activation of every layer 1..k (the last one is the output unit)."""
        return self.hidden + [self.output if self.output != "softmax" else "softmax"]

    def __repr__(self) -> str:
        return (
            f"MLP(sizes={self.sizes}, hidden={self.hidden}, output={self.output!r}, "
            f"bias={self.bias}, init={self.init!r}, bias_init={self.bias_init!r}, "
            f"dtype={self.dtype.name})"
        )

    def config(self) -> dict:
        """A JSON-able description that rebuilds this architecture (not the weights)."""
        if callable(self.init) or callable(self.bias_init):
            raise TypeError("a network initialised with a callable has no JSON config")
        return {
            "sizes": list(self.sizes),
            "hidden": list(self.hidden),
            "output": self.output,
            "bias": self.bias,
            "init": list(self.init) if isinstance(self.init, tuple) else self.init,
            "seed": self.seed if isinstance(self.seed, int | None) else None,
            "dtype": self.dtype.name,
            "alpha": self.alpha,
            "bias_init": (
                list(self.bias_init) if isinstance(self.bias_init, tuple) else self.bias_init
            ),
        }

    @classmethod
    def from_config(cls, cfg: dict) -> MLP:
        """Rebuild an MLP from `config()` (fresh weights from its seed)."""
        cfg = dict(cfg)
        for name in ("init", "bias_init"):
            if isinstance(cfg.get(name), list):
                cfg[name] = tuple(cfg[name])
        cfg["dtype"] = np.dtype(cfg.get("dtype", "float64"))
        return cls(**cfg)

    def copy(self) -> MLP:
        """A deep copy (weights copied)."""
        new = object.__new__(MLP)
        new.__dict__.update(self.__dict__)
        new.weights = [W.copy() for W in self.weights]
        new.biases = [None if b is None else b.copy() for b in self.biases]
        return new

    def params(self) -> list[np.ndarray]:
        """[W^1, b^1, W^2, b^2, ...], skipping absent biases; the arrays themselves (not copies)."""
        out = []
        for W, b in zip(self.weights, self.biases, strict=True):
            out.append(W)
            if b is not None:
                out.append(b)
        return out

    def grads_list(self, grads) -> list[np.ndarray]:
        """Flatten grads [(dW, db), ...] in the order of params()."""
        out = []
        for dW, db in grads:
            out.append(dW)
            if db is not None:
                out.append(db)
        return out

    # --- forward ---------------------------------------------------------------------------

    def _check_params(self) -> None:
        """The weights and biases as every pass reads them: students assign to net.weights[i]
        and net.biases[i], so a transposed W^i, a list or a NaN gets an error naming it here,
        not NumPy's matmul message three calls deeper or a NaN loss. Under
        np.errstate(invalid="ignore") (IEEE results asked for: the trainers, which stop a
        diverged run with a message, and the playground, which draws it) non-finite weights
        pass."""
        sizes, dtype, biases = self.sizes, self.dtype, self.biases
        if len(self.weights) == len(sizes) - 1 and len(biases) == len(self.weights):
            for i, W in enumerate(self.weights):  # the common case, without building messages
                b = biases[i]
                if (
                    type(W) is not np.ndarray
                    or W.dtype != dtype
                    or W.shape != (sizes[i + 1], sizes[i])
                    or (
                        b is not None
                        and (
                            type(b) is not np.ndarray or b.dtype != dtype or b.shape != W.shape[:1]
                        )
                    )
                ):
                    break
            else:
                if not _ieee_asked() and not all(
                    np.isfinite(W).all() and (b is None or np.isfinite(b).all())
                    for W, b in zip(self.weights, biases, strict=True)
                ):
                    _bp.check_params_finite(self)  # names the array and the first NaN or inf
                return
        self._explain_params()

    def _explain_params(self) -> None:
        """_check_params's errors, each naming the array and what it should be."""
        if len(self.weights) != len(self.sizes) - 1 or len(self.biases) != len(self.weights):
            raise ValueError(
                f"the network has {len(self.weights)} weight matrices and {len(self.biases)} "
                f"bias vectors; sizes {self.sizes} needs {len(self.sizes) - 1} of each"
            )
        for i, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            shape = (self.sizes[i + 1], self.sizes[i])
            for name, value, want in ((f"W^{i + 1}", W, shape), (f"b^{i + 1}", b, shape[:1])):
                if value is None and name[0] == "b":
                    continue
                where = f"net.{'weights' if name[0] == 'W' else 'biases'}[{i}]"
                if not isinstance(value, np.ndarray):
                    raise TypeError(
                        f"{name} ({where}) must be a NumPy array of shape {want}, got "
                        f"{type(value).__name__}; assign np.asarray(..., dtype=np.{self.dtype})"
                    )
                if value.shape != want:
                    raise ValueError(
                        f"{name} ({where}) has shape {value.shape}; with sizes {self.sizes} it "
                        f"must be {want}" + (" = (n_i, n_{i-1})" if name[0] == "W" else "")
                    )
                if value.dtype != self.dtype:
                    raise TypeError(
                        f"{name} ({where}) has dtype {value.dtype} but the network computes in "
                        f"{self.dtype}; assign it as .astype(np.{self.dtype})"
                    )

    def _check_x(self, x) -> np.ndarray:
        self._check_params()
        if (
            type(x) is np.ndarray
            and x.dtype == self.dtype
            and x.ndim == 2
            and x.shape[1] == self.sizes[0]
            and np.logical_and.reduce(np.isfinite(x), axis=None)
        ):
            return x  # the common case: nothing to convert, nothing to name
        x = as_float_array(x, "x", dtype=self.dtype)
        if x.ndim != 2:
            raise ValueError(
                f"x must be a matrix (m, n_0) = (m, {self.sizes[0]}) with one data point per row, "
                f"got shape {x.shape}; for one feature use x[:, None], for one point x[None, :]"
            )
        if x.shape[1] != self.sizes[0]:
            raise ValueError(
                f"x has {x.shape[1]} columns (shape {x.shape}) but the network's input width is "
                f"n_0 = {self.sizes[0]}; W^1 has shape {self.weights[0].shape}"
            )
        return x

    def forward_trace(self, x):
        """All layers' outputs and pre-activations.

        x: (m, n_0). Returns hs = [h^0, ..., h^k] with h^i (m, n_i), and zs = [z^1, ..., z^k].
        """
        return self._trace(self._check_x(x))

    def _trace(self, x, output=True):
        """_bp.forward_trace of validated x, in IEEE arithmetic: a z beyond the float range is
        +-inf, its correctly rounded value, which the bounded activations and output units take
        to their limits (sigmoid(inf) = 1, softmax of one infinite logit is one-hot). Where two
        infinities meet (inf - inf in the next product) the result has no value: a ValueError
        then names the layer and the input that left the range, unless the caller asked for
        IEEE results with np.errstate(invalid="ignore") (the playground draws a diverged
        network's NaN as "unsure")."""
        quiet = _ieee_asked()
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            hs, zs = _bp.forward_trace(self, x, output)
        if not quiet and (np.isnan(zs[-1]).any() or (output and np.isnan(hs[-1]).any())):
            _bp.raise_overflow(self, x, hs, zs)
        return hs, zs

    def forward(self, x) -> np.ndarray:
        """h^k = f(x, theta). x: (m, n_0) -> (m, n_k) (probabilities for sigmoid/softmax)."""
        return self._trace(self._check_x(x))[0][-1]

    __call__ = forward

    def logits(self, x) -> np.ndarray:
        """z^k, the output layer's pre-activation. x: (m, n_0) -> (m, n_k)."""
        return self._trace(self._check_x(x))[1][-1]

    def predict(self, x) -> np.ndarray:
        """Class labels as int64: (m,) for softmax (the argmax) and for one sigmoid output
        (h >= 1/2), (m, n_k) 0/1 for several sigmoid outputs (one label each); identity: h^k."""
        return self.predict_from_output(self.forward(x))

    def predict_from_output(self, h) -> np.ndarray:
        """predict() from an already computed h^k (m, n_k)."""
        if self.output == "softmax":
            return h.argmax(axis=1)
        if self.output == "sigmoid":
            labels = (h >= 0.5).astype(np.int64)
            return labels[:, 0] if h.shape[1] == 1 else labels
        return h

    # --- loss and gradients ---------------------------------------------------------------

    def loss(self, x, y) -> float:
        """The batch loss (mean over rows) matched to the output unit: +inf where it lies beyond
        the float range; a forward pass with no value (inf - inf) raises as forward() does."""
        x = self._check_x(x)
        target = _bp.targets(self, y, x.shape[0])
        _, zs = self._trace(x, output=False)
        with np.errstate(under="ignore"):  # e^{-|z|} = 0 or a subnormal, correctly
            loss = _bp._loss_and_delta(self, zs[-1], target)[0]
        if math.isnan(loss) and not _ieee_asked():
            self._trace(x)  # two infinite logits: raises, naming the layer that left the range
        return loss

    def loss_and_output(self, x, y):
        """(batch loss, h^k) from a single forward pass: what an evaluation needs."""
        x = self._check_x(x)
        return self._loss_and_output(x, _bp.targets(self, y, x.shape[0]))

    def _loss_and_output(self, x, target):
        """loss_and_output for x and a target (as ``nncore.backprop.targets`` returns it) that
        were checked already: ``nn.Trainer`` checks its data once, then evaluates every epoch."""
        with np.errstate(under="ignore"):  # a value below the float range is 0, correctly
            _, zs = _bp.forward_trace(self, x, output=False)
            loss, _, h = _bp._loss_and_delta(self, zs[-1], target)
        return loss, h

    def loss_and_grads(self, x, y):
        """Batch loss and its gradient for every layer.

        x: (m, n_0); y: identity -> (m, n_k) or (m,); sigmoid -> 0/1 targets (m,) or (m, n_k);
        softmax -> int labels (m,) or one-hot (m, n_k).
        Returns (loss, grads), grads[i] = (dW^{i+1} (n_{i+1}, n_i), db^{i+1} (n_{i+1},) or None).
        A value beyond the float range is +inf, as in loss(); where a pass has no value
        (inf - inf) a ValueError names the layer, unless the caller asked for IEEE results with
        np.errstate(invalid="ignore") (the trainers stop such a run as diverged).
        """
        x = self._check_x(x)
        target = _bp.targets(self, y, x.shape[0])
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            loss, grads = _bp.loss_and_grads(self, x, target)
        if _bp.finite_grads(loss, grads):
            return loss, grads
        # a rare pass: dl/dz^i = 0 where sigma'(z^i) = 0 even under an infinite dl/dh^i
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            loss, grads = _bp.loss_and_grads(self, x, target, careful=True)
        if not _ieee_asked():
            self._explain_nan(x, target, loss, grads)
        return loss, grads

    def _explain_nan(self, x, target, loss, grads) -> None:
        """A ValueError for a loss or gradient with no value (NaN), naming where the forward or
        the backward pass met inf - inf; nothing for honest infinities."""
        if not math.isnan(loss) and not any(
            np.isnan(g).any() for pair in grads for g in pair if g is not None
        ):
            return
        self._trace(x)  # raises where the forward pass has no value
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            dhs = _bp.backprop_full(self, x, target)["dh"]
        _bp.raise_backward_overflow(self, dhs)

    def backprop(self, x, y) -> Backprop:
        """loss_and_grads plus every layer's h, z, dl/dh^i and dl/dz^i (see Backprop), with
        loss_and_grads' treatment of values beyond the float range."""
        x = self._check_x(x)
        target = _bp.targets(self, y, x.shape[0])
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            parts = _bp.backprop_full(self, x, target)
        if not _ieee_asked():
            self._explain_nan(x, target, parts["loss"], parts["grads"])
        return Backprop(**parts)

    # --- Jacobians A^i = d f^i / d h^{i-1} ------------------------------------------------

    def input_jacobians(self, x, average=False) -> list[np.ndarray]:
        """A^i = d h^i / d h^{i-1} = diag(sigma'(z^i)) W^i for i = 1..k, per data point.

        x: (m, n_0). Returns [A^1, ..., A^k], A^i of shape (m, n_i, n_{i-1}); with average=True
        the batch mean, shape (n_i, n_{i-1}). The softmax output uses its full Jacobian.
        """
        x = self._check_x(x)
        with np.errstate(under="ignore"):  # sigma'(z) W below the float range is 0, correctly
            return _bp.input_jacobians(self, x, average)

    def chain_rule(self, x, y, layer) -> ChainRule:
        """dl/dW^i for one data point as the lecture writes it, every factor of the product
        dl/dh^k (A^k ... A^{i+1}) df^i/dW^i beside backprop's numbers: see
        nncore.chain_rule.chain_rule (x: one data point; y: its target; layer: i in 1..k)."""
        return _chain_rule.chain_rule(self, x, y, layer)


def _ieee_asked() -> bool:
    """True when the caller asked for IEEE results with np.errstate(invalid="ignore") (the
    trainers, which stop a diverged run with a message; the playground, which draws it): no
    pass then raises for NaN or inf, in the parameters or on the way."""
    return np.geterr()["invalid"] == "ignore"


def available_activations() -> list[str]:
    return sorted(ACTIVATIONS)
