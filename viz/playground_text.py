"""The playground's formulas (LaTeX, in the lecture's notation) and advice text."""

from __future__ import annotations

import numpy as np

GRADIENT = r"g = \frac{1}{|B|}\sum_{r \in B}\frac{\partial l(x_r, y_r, \theta)}{\partial \theta}"
PENALTY_GRADIENT = {
    "none": "",
    "L1": r" + \lambda\,\operatorname{sign}(W)",
    "L2": r" + \lambda\,W",
}
UPDATE = {  # each optimiser's update, one short piece per assignment
    "sgd": [r"\theta \leftarrow \theta - \eta\, g"],
    "momentum": [r"v \leftarrow \mu v - \eta\, g\quad(\mu = 0.9)", r"\theta \leftarrow \theta + v"],
    "nesterov": [
        r"v \leftarrow \mu v - \eta\, g\quad(\mu = 0.9)",
        r"\theta \leftarrow \theta + \mu v - \eta\, g",
    ],
    "adam": [
        r"m \leftarrow \beta_1 m + (1 - \beta_1)\, g",
        r"v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2",
        r"\theta \leftarrow \theta - \eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}",
    ],
}
OPTIMISER_NAMES = {
    "sgd": "plain SGD",
    "momentum": "momentum",
    "nesterov": "Nesterov momentum",
    "adam": r"Adam ($\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$; "
    r"$\hat m$ and $\hat v$ bias-corrected)",
}


def update_lines(optimizer: str, regularization: str = "none") -> list[str]:
    """The gradient g (penalty included), then the optimiser's update, one piece per line."""
    return [GRADIENT + PENALTY_GRADIENT.get(regularization, ""), *UPDATE[optimizer]]


def update_latex(optimizer: str, regularization: str = "none") -> str:
    """The optimiser's update rule and its gradient g on one line."""
    g, *update = update_lines(optimizer, regularization)
    return r",\ \ ".join(update) + r",\qquad " + g


def loss_lines(regression: bool, regularization: str = "none") -> list[str]:
    """The per-example loss of the output unit, the output, and what is minimised."""
    if regression:
        lines = [r"l = \lVert h^k - y \rVert_2^2", r"h^k = z^k\ \text{(identity output)}"]
    else:
        lines = [r"l = -\,y\,(\ln h^k)^\top", r"h^k = \operatorname{softmax}(z^k)"]
    if regularization == "L1":
        lines.append(r"\text{minimised: } \frac{1}{m}\sum_r l_r + \lambda \sum |w|")
    elif regularization == "L2":
        lines.append(r"\text{minimised: } \frac{1}{m}\sum_r l_r + \frac{\lambda}{2}\sum w^2")
    return lines


def loss_latex(regression: bool, regularization: str = "none") -> str:
    """The loss lines on one line."""
    return r",\qquad ".join(loss_lines(regression, regularization))


def dropout_lines(p: float) -> list[str]:
    """Inverted dropout, in training steps only; [] for p = 0. The mask is d^i (as in
    nncore.dropout): m is taken by Adam's first moment and by the number of rows."""
    if not p:
        return []
    return [
        r"\text{training only: } \tilde h^i = \frac{d^i \odot h^i}{1 - p},\ "
        rf"d^i_j \sim \operatorname{{Bernoulli}}(1 - p),\ p = {p:g}",
        r"\text{evaluation (curves, maps, test): } \tilde h^i = h^i",
    ]


def dropout_latex(p: float) -> str:
    """The dropout lines on one line ('' for p = 0)."""
    return r",\qquad ".join(dropout_lines(p))


def dropout_note(p: float, hidden_layers: int) -> str:
    """What dropout does here, in words: the honest part (it acts in training steps only)."""
    if not p:
        return ""
    if hidden_layers == 0:
        return (
            f"Dropout $p = {p:g}$ has nothing to drop: there is no hidden layer (dropout acts on "
            r"the hidden layers' outputs $h^1, \dots, h^{k-1}$, never on the input or the output)."
        )
    return (
        f"Dropout $p = {p:g}$ acts only while training: in every training step each hidden unit's "
        f"output is dropped with probability {p:g} (a fresh random mask per batch) and the kept "
        f"ones are multiplied by $1/(1 - p) = {1 / (1 - p):.3g}$, so their expected value is the "
        "unit's value without dropout. The losses and accuracies, the curves, the unit maps, "
        "the decision surface, the test numbers and the exported weights are all computed "
        "without dropout (eval mode: every unit kept, nothing rescaled), so the train loss "
        "shown is not the noisier loss the training steps saw."
    )


LATEX_ACTIVATIONS = {
    "identity": r"\operatorname{id}",
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
    "relu": r"\operatorname{relu}",
    "softplus": r"\operatorname{softplus}",
    "abs": r"\operatorname{abs}",
    "leaky_relu": r"\operatorname{leaky\ relu}",
    "gelu": r"\operatorname{gelu}",
}


def _vector(values, shown: int = 6) -> str:
    parts = [f"{v:.2f}" for v in np.asarray(values)[:shown]]
    if len(values) > shown:
        parts.append(r"\dots")
    return r"\big(" + ",\\ ".join(parts) + r"\big)"


def unit_lines(net, layer: int, unit: int) -> list[str]:
    """[h^i_j = sigma(h^{i-1} w^T + b), the unit's numbers (w = row j of W^i, b = b^i_j)]."""
    w = net.weights[layer - 1][unit]
    b = net.biases[layer - 1]
    bias = 0.0 if b is None else float(b[unit])
    numbers = rf"w = {_vector(w)},\ \ b = {bias:.2f}"
    if layer < net.depth:
        sigma = LATEX_ACTIVATIONS.get(net.hidden[layer - 1], net.hidden[layer - 1])
        formula = rf"h^{{{layer}}}_{{{unit}}} = {sigma}\big(h^{{{layer - 1}}} w^\top + b\big)"
    elif net.output == "softmax":
        formula = (
            rf"h^{{{layer}}}_{{{unit}}} = \operatorname{{softmax}}(z^{{{layer}}})_{{{unit}}},"
            rf"\ \ z^{{{layer}}}_{{{unit}}} = h^{{{layer - 1}}} w^\top + b"
        )
    else:
        formula = rf"h^{{{layer}}}_{{{unit}}} = h^{{{layer - 1}}} w^\top + b"
    return [formula, numbers]


def unit_latex(net, layer: int, unit: int) -> str:
    """The unit's formula and numbers on one line."""
    return r",\qquad ".join(unit_lines(net, layer, unit))


RATES = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]


def lower_rate(lr: float) -> float:
    """The learning-rate option about ten times smaller than lr (two steps down the list)."""
    smaller = [rate for rate in RATES if rate <= lr / 9.9]
    return smaller[-1] if smaller else RATES[0]


def divergence_advice(message: str, lr: float, regularization: str, rate: float) -> str:
    """What went wrong and what to change."""
    advice = f"{message[0].upper()}{message[1:]}. Lower the learning rate $\\eta$ from {lr:g} to "
    advice += f"{lower_rate(lr):g} (a step this large overshoots the minimum and the loss grows)"
    if regularization != "none" and rate >= 0.03:
        advice += f", or the {regularization} rate $\\lambda = {rate:g}$"
    return advice + ", then press Reset."
