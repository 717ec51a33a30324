"""The lecture's quiz questions, with answers and explanations computed live by nncore.

A question is plain data (prompt, options, the correct option, an explanation) so the page and
the tests read the same thing; the numbers inside explanations come from nncore, not from text.
What sits above a question (its formula, its figure and that figure's title) must not give the
answer away; a figure that shows the answer is drawn with the feedback instead. The options of
every question are shuffled by the quiz seed, so the right answer's position carries no hint.
"""

from dataclasses import dataclass, replace

import numpy as np
import plotly.graph_objects as go

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
    latex: str = ""  # shown above the question: must not give the answer away
    figure: str = ""  # figure drawn above the question, needed to answer it ("" for none)
    reveal_figure: str = ""  # figure drawn with the feedback, once answered (it shows the answer)

    def __post_init__(self):
        if self.answer not in self.options:
            raise ValueError(f"question {self.key!r}: answer {self.answer!r} not in {self.options}")


def quiz_network_sizes(seed: int) -> list[int]:
    """A small random architecture [n_0, ..., n_k] for the structure questions.

    n_2 is never equal to n_1, so W^2 (n_2, n_1) is never square and the shape question always
    tells (n_i, n_{i-1}) from its transpose.
    """
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(2, 5))  # k = 2..4 layers with weights
    sizes = (
        [int(rng.integers(2, 5))]
        + [int(rng.integers(2, 7)) for _ in range(depth - 1)]
        + [int(rng.integers(1, 4))]
    )
    if sizes[2] == sizes[1]:  # redraw n_2 from its own range, without n_1
        allowed = range(2, 7) if depth > 2 else range(1, 4)
        sizes[2] = int(rng.choice([n for n in allowed if n != sizes[1]]))
    return sizes


def _numeric_options(correct: int, rng: np.random.Generator, count: int = 4) -> tuple[str, ...]:
    """`count` consecutive whole numbers >= 1 in increasing order, the answer at a random place
    among them (so neither the order nor the place gives it away)."""
    start = max(1, correct - int(rng.integers(0, count)))
    return tuple(str(v) for v in range(start, start + count))


def _shape_options(sizes: list[int]) -> tuple[str, ...]:
    """W^2's shape (n_2, n_1) and three distinct wrong shapes a student might give."""
    n_0, n_1, n_2 = sizes[:3]
    candidates = [
        (n_2, n_1),  # the answer
        (n_1, n_2),  # transposed: (n_{i-1}, n_i)
        (n_2, n_0),  # W^2 taken from the input layer
        (sizes[3], n_2) if len(sizes) > 3 else (n_1, n_0),  # the neighbouring layer's W
        (n_1, n_0),
        (n_2 + 1, n_1),
        (n_2, n_1 + 1),
    ]
    options = list(dict.fromkeys(str(shape) for shape in candidates))
    return tuple(options[:4])


def _shuffled(questions: list[Question], seed: int) -> list[Question]:
    """Every question with its options in an order drawn from the quiz seed; numbers stay in
    increasing order (``_numeric_options`` already placed the answer at random among them)."""
    rng = np.random.default_rng([seed, 9])  # its own stream, apart from the network's draws
    out = []
    for question in questions:
        if all(option.isdigit() for option in question.options):
            out.append(question)
            continue
        order = rng.permutation(len(question.options))
        out.append(replace(question, options=tuple(question.options[i] for i in order)))
    return out


def build_questions(seed: int = 0) -> list[Question]:
    """All questions; the network questions use a random architecture drawn from `seed`, and the
    options of every question are shuffled by `seed`."""
    return _shuffled(_questions(seed), seed)


def _questions(seed: int) -> list[Question]:
    """The questions with their options in a fixed order (answer first where natural)."""
    sizes = quiz_network_sizes(seed)
    numbers = np.random.default_rng([seed, 7])  # where the answer sits among numeric options
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
    tied = nn.softmax(np.array([1.0, 1.0, 0.0]), alpha=1000.0)
    target = np.array([0.1, 0.2, 0.3, 0.15, 0.25])
    recovered = nn.softmax_reduced(np.log(target[:-1] / target[-1]))
    recovery_error = float(np.max(np.abs(recovered - target)))
    saw_k = 6
    saw = nn.sawtooth_network(saw_k)
    saw_pieces = len(nn.linear_pieces(saw, 0.0, 1.0).breakpoints) - 1
    shallow_units = saw_pieces - 1  # one hidden ReLU layer: at most units + 1 pieces
    shallow_params = nn.MLP([1, shallow_units, 1]).n_params
    relu_slope_negative = float(nn.get_activation("relu").grad(np.array([-3.0]))[0])
    abs_pair = nn.get_activation("abs")(np.array([-1.7, 1.7]))
    _, mse_grad = output_units.PAIRS["sigmoid + squared error"][1](-10.0, 1)
    _, nll_grad = output_units.PAIRS["sigmoid + NLL"][1](-10.0, 1)

    return [
        Question(
            "q_deep",
            "Structure",
            "Counting the drawing above: how deep is the network (k = layers with weights)?",
            _numeric_options(k, numbers),
            str(k),
            rf"Its widths are {sizes}: $h^0 = x$ is the input and $W^1, \dots, W^{{{k}}}$ are "
            f"{k} layers, so $k = {k}$ (the input layer has no weights).",
            figure="network",
        ),
        Question(
            "q_wide",
            "Structure",
            "Counting the drawing: how wide is its widest hidden layer?",
            _numeric_options(widest, numbers),
            str(widest),
            rf"Hidden widths $n_1, \dots, n_{{{k - 1}}}$ are {sizes[1:-1]}; the widest has "
            f"{widest} units. "
            "Input and output widths are fixed by the data. (How wide and how deep a network "
            "should be is another question: see the last part.)",
            figure="network",
        ),
        Question(
            "q_shape",
            "Structure",
            "In that network, what is the shape of W²?",
            _shape_options(sizes),
            str(w2_shape),
            "$W^i$ is $(n_i, n_{i-1})$: each row holds one output unit's weights, so $W^2$ is "
            f"$(n_2, n_1) = {w2_shape}$ (nncore builds exactly that: {net.weights[1].shape}).",
        ),
        Question(
            "q_z0",
            "Output units",
            "If we increase z₀, does σ(z) = Pr(Y = 1 | x) increase?",
            ("Yes, it increases", "No, it decreases", "It does not change"),
            "No, it decreases",
            rf"$z_0$ is the score of class 0. At $z = (0, 1)$, $\Pr(Y = 1) = {p_before:.4f}$; "
            f"raising $z_0$ to 1 gives {p_after:.4f}. Increasing $z_0$ makes $Y = 0$ more likely; "
            r"decreasing it makes $\Pr(Y = 1)$ increase. This is the lecture's question about the "
            r"1 in $e^z / (1 + e^z)$: that 1 is $e^{z_0}$ with $z_0 = 0$, so "
            r"$\sigma(z) = \mathrm{softmax}([0, z])_1$.",
            latex=r"\sigma(z) = \frac{e^{z_1}}{e^{z_0} + e^{z_1}}",
            reveal_figure="two_logit",
        ),
        Question(
            "q_stall",
            "Output units",
            "Sigmoid output with squared error, confidently wrong (z = -10, y = 1). ∂l/∂z is:",
            (
                "Nearly zero, so learning stalls",
                "Large, so it corrects fast",
                "Exactly -1, as with the log-likelihood",
            ),
            "Nearly zero, so learning stalls",
            # split at the = signs (one formula would be long), the e-notation number outside
            r"$\partial l/\partial z$ = $2\,(\sigma(z) - y)\,\sigma'(z)$ = "
            rf"{mse_grad:.2e}: $\sigma'(-10)$ is tiny. With the negative log-likelihood the "
            rf"gradient is $\sigma(z) - y = {nll_grad:.4f}$.",
        ),
        Question(
            "q_shift",
            "Softmax",
            "Add c = 100 to every logit. The softmax probabilities:",
            ("Do not change", "All grow", "Become one-hot"),
            "Do not change",
            rf"$\sigma(z + c) = \sigma(z)$: $e^c$ cancels. nncore's max difference: "
            f"{shifted_gap:.1e}. "
            r"That is why we subtract $\max_i z_i$ before exponentiating.",
            latex=r"\sigma(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{n} e^{z_j}}",
        ),
        Question(
            "q_alpha",
            "Softmax",
            "Let α → ∞ in exp(α zᵢ) / ∑ⱼ exp(α zⱼ):",
            (
                "All mass goes to the largest zᵢ (split equally among tied largest)",
                "Probabilities become uniform: every class gets 1/n",
                "Nothing changes: softmax ignores a scaling of the scores",
            ),
            "All mass goes to the largest zᵢ (split equally among tied largest)",
            rf"At $\alpha = 1000$ with $z = {logits.tolist()}$: "
            f"{np.round(one_hot_like, 4).tolist()}; with a tie, $z = [1, 1, 0]$: "
            rf"{np.round(tied, 4).tolist()}. $\alpha \to 0$ gives the uniform $1/n$. $\alpha$ "
            r"multiplies the scores, so it is an inverse temperature: libraries write "
            r"$T = 1/\alpha$.",
        ),
        Question(
            "q_params",
            "Softmax",
            "How many free scores does softmax need to reach every distribution over n = 5 "
            "classes in which no class has probability 0?",
            _numeric_options(4, numbers),
            "4",
            r"$n - 1 = 4$: fix $z_5 = 0$ and take $z_i = \ln(p_i / p_5)$; for "
            f"$p = {target.tolist()}$ nncore's softmax_reduced gives $p$ back to "
            f"{recovery_error:.0e}. Softmax uses $n$, so it is over-parameterised. Finite scores "
            r"never reach a distribution with a zero probability: $p_i = 0$ would need "
            r"$z_i = -\infty$.",
        ),
        Question(
            "q_sigmoid_slope",
            "Activations",
            "Which hidden activation has a derivative of at most 1/4 everywhere?",
            ("sigmoid", "tanh", "relu", "softplus"),
            "sigmoid",
            rf"$\max \sigma'(x) = \sigma'(0) = {sigmoid_slope_max:.4f}$, so every sigmoid layer "
            r"shrinks gradients unless its weights are large. $\tanh'(0) = 1$, "
            r"$\mathrm{relu}' = 1$ for $x > 0$, $\mathrm{softplus}' = \mathrm{sigmoid} < 1$.",
        ),
        Question(
            "q_tanh",
            "Activations",
            "tanh(x) equals:",
            ("2σ(2x) − 1", "σ(x) − 1/2", "2σ(x) − 1"),
            "2σ(2x) − 1",
            r"A sigmoid stretched to (-1, 1): nncore's $\max |\tanh(x) - (2\sigma(2x) - 1)|$ on "
            f"[-5, 5] is {tanh_gap:.1e}.",
        ),
        Question(
            "q_dead",
            "Activations",
            "A ReLU unit has z < 0 on every input. What happens?",
            (
                "It never learns: its gradient is 0",
                "It learns fastest, since its output is exactly 0",
                "It behaves like a sigmoid unit near z = 0",
            ),
            "It never learns: its gradient is 0",
            r"$\mathrm{relu}'(z) = 0$ for $z < 0$ (nncore: "
            rf"$\mathrm{{relu}}'(-3) = {relu_slope_negative:g}$), so no "
            "gradient reaches its weights: a useless unit.",
        ),
        Question(
            "q_abs",
            "Activations",
            "Which activation maps x and −x to the same value (identifies symmetries)?",
            ("|x|", "relu", "tanh", "identity"),
            "|x|",
            f"$|x|$ folds the input: nncore gives abs(-1.7) = {abs_pair[0]:g} and abs(1.7) = "
            f"{abs_pair[1]:g}.",
        ),
        Question(
            "q_universal",
            "Width and depth",
            "The universal approximation theorem says a single hidden layer...",
            (
                "...can approximate f arbitrarily well, but may need to be very wide",
                "...of 10 units approximates any continuous f to any precision",
                "...approximates f, and gradient descent is sure to find that network",
            ),
            "...can approximate f arbitrarily well, but may need to be very wide",
            r"For any continuous $f$ on a compact set and a non-polynomial $\sigma$, some network "
            r"with one hidden layer is within any tolerance $\varepsilon$ of $f$. For each "
            r"$\varepsilon$ that layer is finite, but its width may have to grow without bound as "
            r"$\varepsilon \to 0$ (arbitrarily wide, never infinitely). The theorem only says the "
            "network exists; it does not say how to find it.",
        ),
        Question(
            "q_wide_after_narrow",
            "Width and depth",
            "A wide layer placed right after a narrow layer...",
            (
                "...cannot restore what the narrow layer dropped, but can add linear pieces",
                "...adds nothing at all: a network is only as good as its narrowest layer",
                "...works as well as putting the wide layer first, at equal parameters",
                "...is required for depth: deep networks must widen after a narrow layer",
            ),
            "...cannot restore what the narrow layer dropped, but can add linear pieces",
            "Measured with nncore's fit_architecture as Choosing width and depth fits (ReLU, "
            "Adam, 300 epochs, standardized targets, median test MSE of seeds 0-2): on the 2-D "
            "target $x_1^2 - x_2^2 + x_1 x_2$, [2, 1, 64, 1] stays near 2.3e-1 against 1.2e-4 "
            "for [2, 64, 1]: a width-1 layer throws away a direction that nothing after it can "
            r"restore. But on $\sin(\pi x)$, [1, 2, 32, 1] reaches 3.1e-2 against 1.6e-1 for "
            "[1, 2, 2, 1]: the wide layer still adds pieces. At equal parameters wide-first "
            "wins, [1, 32, 2, 1] 5.7e-4 against [1, 2, 32, 1] 3.1e-2, "
            "hence the lecture's advice: keep widths the same or decreasing.",
        ),
        Question(
            "q_design",
            "Width and depth",
            "The lecture's quiz asks: how wide? how deep? What answers that design question?",
            (
                "No formula: one wide hidden layer suffices in principle; depth needs far "
                "fewer units on repeating patterns",
                "The universal approximation theorem gives the width needed for a given "
                "error, so one hidden layer is always the best choice",
                "Always the deepest network that fits in memory: more depth never hurts "
                "training or accuracy",
            ),
            "No formula: one wide hidden layer suffices in principle; depth needs far "
            "fewer units on repeating patterns",
            f"Universal approximation says one wide enough hidden layer exists, not how wide. "
            f"Depth repeats patterns: nncore's sawtooth network with {saw_k} hidden layers of 2 "
            f"ReLU units has {saw_pieces} linear pieces from {saw.n_params} parameters, where "
            f"one hidden layer needs {shallow_units} units ({shallow_params} parameters) for "
            "as many. In practice width and depth are chosen by trying them on held-out data, "
            "keeping widths the same or decreasing.",
        ),
    ]


def score(questions: list[Question], answers: dict[str, str | None]) -> tuple[int, int]:
    """(answered, correct) for the answers given so far (None = unanswered)."""
    answered = [q for q in questions if answers.get(q.key) is not None]
    return len(answered), sum(answers[q.key] == q.answer for q in answered)


def score_figure(
    sections: list[str], per_section: list[tuple[int, int]], colours: dict[str, str]
) -> go.Figure:
    """Answered and correct answers per part of the lecture, side by side, as horizontal bars
    (the parts' names read level, also in presenter type).

    per_section: (answered, correct) per section; colours: "answered" and "correct" -> colour.
    The two bars differ in colour, in fill (answered: hatched, correct: solid) and in their
    number printed beside each bar, so neither colour nor contrast alone tells them apart.
    """
    answered = [a for a, _ in per_section]
    correct = [c for _, c in per_section]
    fig = go.Figure(
        [
            go.Bar(
                y=sections,
                x=answered,
                orientation="h",
                name="answered",
                marker={
                    "color": colours["answered"],
                    "pattern": {"shape": "/", "fillmode": "replace", "solidity": 0.4},
                    "line": {"color": colours["answered"], "width": 2},
                },
                text=[f"{a}" for a in answered],
                textposition="outside",
                cliponaxis=False,
            ),
            go.Bar(
                y=sections,
                x=correct,
                orientation="h",
                name="correct",
                marker={"color": colours["correct"]},
                text=[f"{c}" for c in correct],
                textposition="outside",
                cliponaxis=False,
            ),
        ]
    )
    most = max(answered, default=0)
    fig.update_layout(
        barmode="group",
        height=80 + 56 * len(sections),
        margin={"t": 50, "b": 30},
        title="Your answers by part",
        xaxis={"dtick": 1, "range": [0, most + 0.8], "title": "questions"},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig
