"""The playground's formulas (LaTeX, in the lecture's notation) and advice text."""

from __future__ import annotations

import numpy as np

GRADIENT = r"g = \frac{1}{|B|}\sum_{r \in B}\frac{\partial l(x_r, y_r, \theta)}{\partial \theta}"
PENALTY_GRADIENT = {
    "none": "",
    "L1": r" + \lambda\,\operatorname{sign}(W)",
    "L2": r" + \lambda\,W",
}
UPDATE = {
    "sgd": r"\theta \leftarrow \theta - \eta\, g",
    "momentum": r"v \leftarrow \mu v - \eta\, g,\quad \theta \leftarrow \theta + v\quad(\mu = 0.9)",
    "nesterov": r"v \leftarrow \mu v - \eta\, g,\quad \theta \leftarrow \theta + \mu v - \eta\, g"
    r"\quad(\mu = 0.9)",
    "adam": r"m \leftarrow \beta_1 m + (1 - \beta_1) g,\ \ v \leftarrow \beta_2 v + (1 - \beta_2)"
    r" g^2,\ \ \theta \leftarrow \theta - \eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}",
}
OPTIMISER_NAMES = {
    "sgd": "plain SGD",
    "momentum": "momentum",
    "nesterov": "Nesterov momentum",
    "adam": "Adam (beta1 = 0.9, beta2 = 0.999, eps = 1e-8; m-hat, v-hat bias-corrected)",
}


def update_latex(optimizer: str, regularization: str = "none") -> str:
    """The optimiser's update rule with its gradient g (penalty included)."""
    penalty = PENALTY_GRADIENT.get(regularization, "")
    return UPDATE[optimizer] + r",\qquad " + GRADIENT + penalty


def loss_latex(regression: bool, regularization: str = "none") -> str:
    """The per-example loss of the output unit, and the penalty on the weights."""
    if regression:
        loss = r"l = \lVert h^k - y \rVert_2^2,\quad h^k = z^k\ \text{(identity output)}"
    else:
        loss = r"l = -\,y\,(\ln h^k)^\top,\quad h^k = \operatorname{softmax}(z^k)"
    if regularization == "L1":
        loss += r",\qquad \text{minimised: } \frac{1}{m}\sum_r l_r + \lambda \sum |w|"
    elif regularization == "L2":
        loss += r",\qquad \text{minimised: } \frac{1}{m}\sum_r l_r + \frac{\lambda}{2}\sum w^2"
    return loss


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


def unit_latex(net, layer: int, unit: int) -> str:
    """h^i_j = sigma(h^{i-1} w^T + b) with the unit's numbers (w = row j of W^i, b = b^i_j)."""
    w = net.weights[layer - 1][unit]
    b = net.biases[layer - 1]
    bias = 0.0 if b is None else float(b[unit])
    numbers = rf"w = {_vector(w)},\ \ b = {bias:.2f}"
    if layer < net.depth:
        sigma = LATEX_ACTIVATIONS.get(net.hidden[layer - 1], net.hidden[layer - 1])
        return (
            rf"h^{{{layer}}}_{{{unit}}} = {sigma}\big(h^{{{layer - 1}}} w^\top + b\big),"
            rf"\qquad {numbers}"
        )
    if net.output == "softmax":
        return (
            rf"h^{{{layer}}}_{{{unit}}} = \operatorname{{softmax}}(z^{{{layer}}})_{{{unit}}},"
            rf"\ \ z^{{{layer}}}_{{{unit}}} = h^{{{layer - 1}}} w^\top + b,\qquad {numbers}"
        )
    return rf"h^{{{layer}}}_{{{unit}}} = h^{{{layer - 1}}} w^\top + b,\qquad {numbers}"


RATES = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]


def lower_rate(lr: float) -> float:
    """The learning-rate option about ten times smaller than lr (two steps down the list)."""
    smaller = [rate for rate in RATES if rate <= lr / 9.9]
    return smaller[-1] if smaller else RATES[0]


def divergence_advice(message: str, lr: float, regularization: str, rate: float) -> str:
    """What went wrong and what to change."""
    advice = f"{message[0].upper()}{message[1:]}. Lower the learning rate eta from {lr:g} to "
    advice += f"{lower_rate(lr):g} (a step this large overshoots the minimum and the loss grows)"
    if regularization != "none" and rate >= 0.03:
        advice += f", or the {regularization} rate lambda = {rate:g}"
    return advice + ", then press Reset."
