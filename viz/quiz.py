"""The lecture's quiz questions, with answers and explanations computed live by nncore.

A question is plain data (prompt, options, the correct option, an explanation) so the page and
the tests read the same thing; the numbers inside explanations come from nncore, not from text.
"""

from dataclasses import dataclass

import numpy as np

import nncore as nn
from viz import output_units

SECTIONS = ["Structure", "Output units", "Softmax", "Activations", "Width and depth"]


@dataclass(frozen=True)
class Question:
    """One multiple-choice question; `answer` is one of `options`."""

    key: str
    section: str
    prompt: str
    options: tuple[str, ...]
    answer: str
    explanation: str
    latex: str = ""
    figure: str = ""  # name of the figure the page draws beside the question ("" for none)

    def __post_init__(self):
        if self.answer not in self.options:
            raise ValueError(f"question {self.key!r}: answer {self.answer!r} not in {self.options}")


def quiz_network_sizes(seed: int) -> list[int]:
    """A small random architecture [n_0, ..., n_k] for the "how wide? how deep?" questions."""
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(2, 5))  # k = 2..4 layers with weights
    return (
        [int(rng.integers(2, 5))]
        + [int(rng.integers(2, 7)) for _ in range(depth - 1)]
        + [int(rng.integers(1, 4))]
    )


def _numeric_options(correct: int, spread: tuple[int, ...] = (-1, 1, 2)) -> tuple[str, ...]:
    values = sorted({correct, *(max(1, correct + d) for d in spread)})
    return tuple(str(v) for v in values)


def build_questions(seed: int = 0) -> list[Question]:
    """All questions; the network questions use a random architecture drawn from `seed`."""
    sizes = quiz_network_sizes(seed)
    k = len(sizes) - 1
    widest = max(sizes[1:-1])
    net = nn.MLP(sizes, hidden="relu", output="identity", seed=seed)
    w2_shape = net.weights[1].shape

    p_before = nn.softmax(np.array([0.0, 1.0]))[1]
    p_after = nn.softmax(np.array([1.0, 1.0]))[1]
    logits = np.array([2.0, 1.0, 0.1])
    shifted_gap = float(np.max(np.abs(nn.softmax(logits + 100.0) - nn.softmax(logits))))
    one_hot_like = nn.softmax(logits, alpha=1000.0)
    sigmoid_slope_max = float(nn.get_activation("sigmoid").grad(np.linspace(-10, 10, 2001)).max())
    tanh_gap = float(
        np.max(
            np.abs(
                nn.tanh(np.linspace(-5, 5, 101)) - (2 * nn.sigmoid(2 * np.linspace(-5, 5, 101)) - 1)
            )
        )
    )
    relu_slope_negative = float(nn.get_activation("relu").grad(np.array([-3.0]))[0])
    abs_pair = nn.get_activation("abs")(np.array([-1.7, 1.7]))
    _, mse_grad = output_units.PAIRS["sigmoid + squared error"][1](-10.0, 1)
    _, nll_grad = output_units.PAIRS["sigmoid + NLL"][1](-10.0, 1)

    return [
        Question(
            "q_deep",
            "Structure",
            "How deep is the network drawn above (k = layers with weights)?",
            _numeric_options(k),
            str(k),
            f"Its widths are {sizes}: h^0 = x is the input and W^1..W^{k} are {k} layers, so "
            f"k = {k} (the input layer has no weights).",
            figure="network",
        ),
        Question(
            "q_wide",
            "Structure",
            "How wide is its widest hidden layer?",
            _numeric_options(widest),
            str(widest),
            f"Hidden widths n_1..n_{k - 1} are {sizes[1:-1]}; the widest has {widest} units. "
            "Input and output widths are fixed by the data.",
            figure="network",
        ),
        Question(
            "q_shape",
            "Structure",
            "In that network, what is the shape of W^2?",
            tuple(sorted({str(w2_shape), str(w2_shape[::-1]), str((sizes[2], sizes[0]))})),
            str(w2_shape),
            f"W^i is (n_i, n_(i-1)): each row holds one output unit's weights, so W^2 is "
            f"(n_2, n_1) = {w2_shape} (nncore builds exactly that: {net.weights[1].shape}).",
        ),
        Question(
            "q_z0",
            "Output units",
            "If we increase z_0, does sigma(z) = Pr(Y = 1 | x) increase?",
            ("Yes, it increases", "No, it decreases", "It does not change"),
            "No, it decreases",
            f"z_0 is the score of class 0. At z = (0, 1), Pr(Y = 1) = {p_before:.4f}; raising z_0 "
            f"to 1 gives {p_after:.4f}. Increasing z_0 makes Y = 0 more likely; decreasing it "
            "makes Pr(Y = 1) increase.",
            latex=r"\sigma(z) = \frac{e^{z_1}}{e^{z_0} + e^{z_1}}",
            figure="two_logit",
        ),
        Question(
            "q_stall",
            "Output units",
            "Sigmoid output with squared error, confidently wrong (z = -10, y = 1). dl/dz is:",
            ("Large, so it corrects fast", "Nearly zero, so learning stalls", "Exactly -1"),
            "Nearly zero, so learning stalls",
            f"dl/dz = 2 (sigma(z) - y) sigma'(z) = {mse_grad:.2e}: sigma'(-10) is tiny. With the "
            f"negative log-likelihood the gradient is sigma(z) - y = {nll_grad:.4f}.",
        ),
        Question(
            "q_shift",
            "Softmax",
            "Add c = 100 to every logit. The softmax probabilities:",
            ("Do not change", "All grow", "Become one-hot"),
            "Do not change",
            f"sigma(z + c) = sigma(z): e^c cancels. nncore's max difference: {shifted_gap:.1e}. "
            "That is why we subtract max_i z_i before exponentiating.",
            latex=r"\sigma(z + c) = \sigma(z)",
        ),
        Question(
            "q_alpha",
            "Softmax",
            "Let alpha -> infinity in e^{alpha z_i} / sum_j e^{alpha z_j}:",
            ("Probabilities become uniform", "All mass goes to the largest z_i", "Nothing changes"),
            "All mass goes to the largest z_i",
            f"At alpha = 1000 with z = {logits.tolist()}: {np.round(one_hot_like, 4).tolist()}. "
            "alpha -> 0 gives the uniform 1/n. Libraries write T = 1/alpha.",
        ),
        Question(
            "q_params",
            "Softmax",
            "How many scores do you need to define any distribution over n = 5 classes?",
            ("4", "5", "6"),
            "4",
            "n - 1 = 4: the last probability is 1 minus the others. Softmax uses n, so it is "
            "over-parameterised; fixing z_n = 0 loses nothing.",
        ),
        Question(
            "q_sigmoid_slope",
            "Activations",
            "Which hidden activation has a derivative of at most 1/4 everywhere?",
            ("sigmoid", "tanh", "relu", "softplus"),
            "sigmoid",
            f"max sigma'(x) = sigma'(0) = {sigmoid_slope_max:.4f}, so every sigmoid layer "
            "shrinks gradients. tanh'(0) = 1, relu' = 1 for x > 0, softplus' = sigmoid < 1.",
        ),
        Question(
            "q_tanh",
            "Activations",
            "tanh(x) equals:",
            ("2 sigma(2x) - 1", "sigma(x) - 1/2", "2 sigma(x) - 1"),
            "2 sigma(2x) - 1",
            f"A sigmoid stretched to (-1, 1): nncore's max |tanh(x) - (2 sigma(2x) - 1)| on "
            f"[-5, 5] is {tanh_gap:.1e}.",
        ),
        Question(
            "q_dead",
            "Activations",
            "A ReLU unit has z < 0 on every input. What happens?",
            (
                "It learns fastest",
                "It never learns: its gradient is 0",
                "It behaves like a sigmoid",
            ),
            "It never learns: its gradient is 0",
            f"relu'(z) = 0 for z < 0 (nncore: relu'(-3) = {relu_slope_negative:g}), so no "
            "gradient reaches its weights: a useless unit.",
        ),
        Question(
            "q_abs",
            "Activations",
            "Which activation maps x and -x to the same value (identifies symmetries)?",
            ("|x|", "relu", "tanh", "identity"),
            "|x|",
            f"|x| folds the input: nncore gives abs(-1.7) = {abs_pair[0]:g} and abs(1.7) = "
            f"{abs_pair[1]:g}.",
        ),
        Question(
            "q_universal",
            "Width and depth",
            "The universal approximation theorem says a single hidden layer...",
            (
                "...can approximate f arbitrarily well, but may need to be very wide",
                "...with 10 units suffices for any f",
                "...and gradient descent will find the network",
            ),
            "...can approximate f arbitrarily well, but may need to be very wide",
            "It only says such a network exists (maybe infinitely wide); it does not say how "
            "to find it.",
        ),
        Question(
            "q_wide_after_narrow",
            "Width and depth",
            "A wide layer placed right after a narrow layer...",
            (
                "...adds little: the narrow layer already limits what passes",
                "...always helps",
                "...is required for depth",
            ),
            "...adds little: the narrow layer already limits what passes",
            "Width controls how many linear pieces a layer can represent, but the narrow layer "
            "before it has already squeezed the information; keep widths the same or decreasing.",
        ),
    ]


def score(questions: list[Question], answers: dict[str, str | None]) -> tuple[int, int]:
    """(answered, correct) for the answers given so far (None = unanswered)."""
    answered = [q for q in questions if answers.get(q.key) is not None]
    return len(answered), sum(answers[q.key] == q.answer for q in answered)
