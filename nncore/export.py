"""A training run as short, runnable code: NumPy with nncore, or PyTorch.

``RunSpec`` describes a run completely: the data (a generated set with its seed, or the points
themselves), the train/test split, the input features, the network, the optimiser and the number
of epochs. ``numpy_code`` writes it as nncore calls (the same functions the playground runs, so the
printed losses are the playground's); ``torch_code`` writes the same network and training loop in
PyTorch, float64, with the same starting weights (taken from nncore's MLP with the same seed) and
the same batch order (NumPy's generator with the same seed), so the losses agree up to rounding.
With dropout (p > 0) both scripts drop hidden units in training steps only, with the same masks:
the PyTorch script draws them with the same NumPy generator calls as nncore's Trainer
(``nncore.dropout.dropout_masks``, right after each batch's rows), and evaluates without them.
Each script ends by printing ``train loss = ...`` and ``test loss = ...``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nncore.dropout import check_dropout
from nncore.features import check_features
from nncore.optim import OPTIMIZERS

TORCH_ACTIVATIONS = {
    "identity": "lambda z: z",
    "sigmoid": "torch.sigmoid",
    "tanh": "torch.tanh",
    "relu": "torch.relu",
    "softplus": "torch.nn.functional.softplus",
    "abs": "torch.abs",
    "leaky_relu": "torch.nn.functional.leaky_relu",  # slope 0.01, as nncore's
    "gelu": "lambda z: torch.nn.functional.gelu(z, approximate='tanh')",
}


@dataclass
class RunSpec:
    """Everything that defines a run.

    data: {"kind": "classification", "name", "n", "noise", "n_classes"},
          {"kind": "regression", "target", "n", "noise"}, {"kind": "digits"}, or
          {"kind": "points", "x_train", "y_train", "x_test", "y_test"} (arrays of points).
    features: names from nncore.features (None for the digits, whose pixels are the input).
    """

    data: dict
    sizes: list
    hidden: list
    output: str = "softmax"
    features: tuple | None = ("x1", "x2")
    test_share: float = 0.3
    seed: int = 0
    optimizer: str = "adam"
    lr: float = 0.03
    batch_size: int = 10
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    epochs: int = 0
    notes: list = field(default_factory=list)

    def check(self) -> RunSpec:
        if self.data.get("kind") not in ("classification", "regression", "digits", "points"):
            raise ValueError(f"unknown data kind {self.data.get('kind')!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; choose {sorted(OPTIMIZERS)}")
        if self.features is not None:
            self.features = check_features(self.features)
        self.dropout = check_dropout(self.dropout, "dropout")
        if len(self.hidden) != len(self.sizes) - 2:
            raise ValueError(f"{len(self.hidden)} activations for sizes {self.sizes}")
        unknown = [name for name in self.hidden if name not in TORCH_ACTIVATIONS]
        if unknown:
            raise ValueError(f"no export for activation(s) {unknown}")
        return self


def _array(values) -> str:
    """A NumPy literal that reads back to exactly these numbers (the repr of each float): a
    matrix one row per line, a vector wrapped at about 96 characters."""
    values = np.asarray(values)
    if values.ndim == 2:
        lines = [repr(row) for row in values.tolist()]
    else:
        lines, line = [], ""
        for item in (repr(item) for item in values.tolist()):
            if line and len(line) + len(item) > 88:
                lines.append(line.rstrip(", "))
                line = ""
            line += item + ", "
        lines.append(line.rstrip(", "))
    body = "".join(f"        {line},\n" for line in lines)
    return f"np.array(\n    [\n{body}    ]\n)"


def _data_lines(spec: RunSpec) -> list[str]:
    """Lines that define p_train, y_train, p_test, y_test (points or digit images)."""
    data = spec.data
    kind = data["kind"]
    split = f"test_share={spec.test_share!r}, seed={spec.seed}"
    if kind == "points":
        return [
            "# your points (as in the playground: train and test kept apart)",
            f"p_train = {_array(data['x_train'])}",
            f"y_train = {_array(data['y_train'])}",
            f"p_test = {_array(data['x_test'])}",
            f"y_test = {_array(data['y_test'])}",
        ]
    if kind == "classification":
        make = (
            f"points, labels = nn.make_dataset({data['name']!r}, n={data['n']}, "
            f"noise={data['noise']!r}, seed={spec.seed}, n_classes={data['n_classes']})"
        )
    elif kind == "regression":
        make = (
            f"points, labels = make_regression_2d({data['target']!r}, n={data['n']}, "
            f"noise={data['noise']!r}, seed={spec.seed})"
        )
    else:
        make = 'points, labels = nn.load_digits(scale="unit")'
    return [make, f"p_train, y_train, p_test, y_test = train_test_split(points, labels, {split})"]


def _feature_lines(spec: RunSpec) -> list[str]:
    if spec.features is None:
        return ["x_train, x_test = p_train, p_test  # the 64 pixels are the input"]
    names = list(spec.features)
    return [
        f"features = {names!r}  # the columns of h^0 = x, so n_0 = {len(names)}",
        "x_train, x_test = feature_matrix(p_train, features), feature_matrix(p_test, features)",
    ]


def _header(spec: RunSpec) -> list[str]:
    arch = " -> ".join(str(n) for n in spec.sizes)
    penalty = f", l1 = {spec.l1:g}" if spec.l1 else ""
    penalty += f", l2 = {spec.l2:g}" if spec.l2 else ""
    penalty += f", dropout p = {spec.dropout:g} (training steps only)" if spec.dropout else ""
    lines = [
        f"# The playground's run: {arch} ({', '.join(spec.hidden) or 'no hidden layer'}; "
        f"{spec.output} output),",
        f"# {spec.optimizer}, eta = {spec.lr:g}, |B| = {spec.batch_size}{penalty}, "
        f"seed {spec.seed}, {spec.epochs} epochs.",
    ]
    return lines + [f"# Note: {note}" for note in spec.notes]


def _imports(spec: RunSpec, numpy: bool = False) -> list[str]:
    numpy = numpy or spec.data["kind"] == "points"
    lines = (["import numpy as np", ""] if numpy else []) + ["import nncore as nn"]
    names = ["train_test_split"] if spec.data["kind"] != "points" else []
    if spec.data["kind"] == "regression":
        names.insert(0, "make_regression_2d")
    if names:
        lines.append(f"from nncore.datasets import {', '.join(names)}")
    if spec.features is not None:
        lines.append("from nncore.features import feature_matrix")
    return lines


def numpy_code(spec: RunSpec) -> str:
    """The run as a script of nncore calls; it prints the final train and test loss."""
    spec.check()
    lines = _header(spec) + _imports(spec) + [""] + _data_lines(spec) + _feature_lines(spec)
    penalty = ""
    if spec.l1:
        penalty += f", l1={spec.l1!r}"
    if spec.l2:
        penalty += f", l2={spec.l2!r}"
    if spec.dropout:
        penalty += f", dropout={spec.dropout!r}"
    lines += [
        "",
        f"net = nn.MLP({spec.sizes!r}, hidden={list(spec.hidden)!r}, output={spec.output!r}, "
        f"seed={spec.seed})",
        "trainer = nn.Trainer(",
        f"    net, x_train, y_train, optimizer={spec.optimizer!r}, lr={spec.lr!r}, "
        f"batch_size={spec.batch_size},",
        f"    epochs={max(spec.epochs, 1)}, seed={spec.seed}{penalty},",
        ")",
        f"trainer.run(epochs={spec.epochs})  # one epoch visits every training row once",
        *(
            ["# the losses below: the network without dropout (eval mode), as the playground's"]
            if spec.dropout
            else []
        ),
        'print(f"train loss = {net.loss(x_train, y_train)!r}")',
        'print(f"test loss = {net.loss(x_test, y_test)!r}")',
    ]
    if spec.output == "softmax":
        lines.append('print(f"test accuracy = {(net.predict(x_test) == y_test).mean():.4f}")')
    return "\n".join(lines) + "\n"


_TORCH_FORWARD = [
    "def forward(x):",
    "    h = x",
    "    for layer, sigma in zip(layers[:-1], sigmas):",
    "        h = sigma(layer(h))  # h^i = sigma(h^{i-1} W^{iT} + b^i)",
    "    return layers[-1](h)  # z^k",
    "",
    "",
]


def _torch_forward_with_dropout(spec: RunSpec) -> list[str]:
    """forward(x, masks) and dropout_masks(m): the masks drawn as nncore.dropout draws them."""
    return [
        f"p = {spec.dropout!r}  # dropout: each hidden unit is dropped with probability p",
        f"widths = {list(spec.sizes[1:-1])!r}  # the hidden layers n_1..n_(k-1)",
        "",
        "",
        "def dropout_masks(m):",
        "    # D^i = d^i / (1 - p), d^i_rj = [u_rj >= p], u ~ U[0, 1): the same draws from the",
        "    # same generator as nncore's Trainer (after each batch's rows, one per hidden layer)",
        "    return [torch.from_numpy((rng.random((m, n)) >= p) / (1 - p)) for n in widths]",
        "",
        "",
        "def forward(x, masks=None):  # masks=None: eval mode, every unit kept",
        "    h = x",
        "    for i, (layer, sigma) in enumerate(zip(layers[:-1], sigmas)):",
        "        h = sigma(layer(h))  # h^i = sigma(h^{i-1} W^{iT} + b^i)",
        "        if masks is not None:",
        "            h = h * masks[i]  # training: h~^i = h^i D^i (inverted dropout)",
        "    return layers[-1](h)  # z^k",
        "",
        "",
    ]


def torch_code(spec: RunSpec) -> str:
    """The same network and training loop in PyTorch (float64); prints the same losses."""
    spec.check()
    optimizer = {
        "sgd": f"torch.optim.SGD(params, lr={spec.lr!r})",
        "momentum": f"torch.optim.SGD(params, lr={spec.lr!r}, momentum=0.9)",
        "nesterov": f"torch.optim.SGD(params, lr={spec.lr!r}, momentum=0.9, nesterov=True)",
        "adam": f"torch.optim.Adam(params, lr={spec.lr!r}, betas=(0.9, 0.999), eps=1e-8)",
    }[spec.optimizer]
    if spec.output == "softmax":
        loss = "torch.nn.functional.cross_entropy(z, y)  # softmax + cross-entropy, mean over rows"
        targets = "torch.from_numpy(y_train), torch.from_numpy(y_test)"
    else:
        loss = "((z - y) ** 2).sum(dim=1).mean()  # squared error, mean over rows"
        targets = "torch.from_numpy(y_train), torch.from_numpy(y_test)"
    activations = ", ".join(TORCH_ACTIVATIONS[name] for name in spec.hidden)
    lines = _header(spec) + [
        "# PyTorch version: nncore only makes the data and the starting weights, so the numbers",
        "# match the playground; the network and the training loop are PyTorch.",
        *_imports(spec, numpy=True),
        "import torch",
        "",
        "torch.set_default_dtype(torch.float64)",
        *_data_lines(spec),
        *_feature_lines(spec),
        "",
        f"start = nn.MLP({spec.sizes!r}, hidden={list(spec.hidden)!r}, output={spec.output!r}, "
        f"seed={spec.seed})",
        "layers = [torch.nn.Linear(W.shape[1], W.shape[0]) for W in start.weights]",
        "with torch.no_grad():  # the playground's initial W^i and b^i",
        "    for layer, W, b in zip(layers, start.weights, start.biases):",
        "        layer.weight.copy_(torch.from_numpy(W))",
        "        layer.bias.copy_(torch.from_numpy(b))",
        f"sigmas = [{activations}]",
        "",
        "",
        *(_torch_forward_with_dropout(spec) if spec.dropout else _TORCH_FORWARD),
        "def data_loss(z, y):",
        f"    return {loss}",
        "",
        "",
        "def penalty():  # l1 sum |W| + (l2 / 2) sum W^2 over the weights, not the biases",
        f"    l1, l2 = {spec.l1!r}, {spec.l2!r}",
        "    return sum(l1 * layer.weight.abs().sum() + l2 / 2 * (layer.weight**2).sum()"
        " for layer in layers)",
        "",
        "",
        "params = [param for layer in layers for param in (layer.weight, layer.bias)]",
        f"optimizer = {optimizer}",
        "X, X_test = torch.from_numpy(x_train), torch.from_numpy(x_test)",
        f"Y, Y_test = {targets}",
        f"rng = np.random.default_rng({spec.seed})  # the batch order"
        + (" and dropout masks" if spec.dropout else "")
        + " of nncore's Trainer",
        f"for epoch in range({spec.epochs}):",
        "    order = rng.permutation(len(X))",
        f"    for first in range(0, len(X), {spec.batch_size}):",
        f"        rows = torch.from_numpy(order[first : first + {spec.batch_size}])",
        *(["        masks = dropout_masks(len(rows))"] if spec.dropout else []),
        "        optimizer.zero_grad()",
        "        loss = data_loss(forward(X[rows]"
        + (", masks" if spec.dropout else "")
        + "), Y[rows]) + penalty()",
        "        loss.backward()",
        "        optimizer.step()",
        "with torch.no_grad():"
        + ("  # eval mode: no dropout, as the playground's numbers" if spec.dropout else ""),
        '    print(f"train loss = {data_loss(forward(X), Y).item()!r}")',
        '    print(f"test loss = {data_loss(forward(X_test), Y_test).item()!r}")',
    ]
    return "\n".join(lines) + "\n"
