"""Networks as plain data, for the tests: check what a function returned, run it, describe it.

A network is (weights, biases): W^i (n_i, n_{i-1}), b^i (n_i,), hidden layers relu (or the unit
step), identity output. The forward pass here is the tests' own (an einsum per layer), written
independently of your network_output.
"""

import numpy as np
from _checks import as_array, describe, fail

NETWORK = "a network is (weights, biases): lists with W^i (n_i, n_{i-1}) and b^i (n_i,)"


def as_network(result, what: str, on: str, sizes=None, idea: str = NETWORK):
    """(weights, biases) as lists of float64 arrays with consistent shapes (and `sizes`)."""
    if not isinstance(result, list | tuple) or len(result) != 2:
        fail(what, on, "did not return a pair (weights, biases)", idea)
    weights, biases = result
    for name, part in (("weights", weights), ("biases", biases)):
        if not isinstance(part, list | tuple) or len(part) == 0:
            fail(what, on, f"returned {name} that is not a non-empty list of arrays", idea)
    if len(weights) != len(biases):
        fail(what, on, f"returned {len(weights)} weight matrices but {len(biases)} biases", idea)
    weights = [as_array(W, what, on, idea=idea) for W in weights]
    biases = [as_array(c, what, on, idea=idea) for c in biases]
    width = weights[0].shape[1] if weights[0].ndim == 2 else None
    found = [width]
    for i, (W, c) in enumerate(zip(weights, biases, strict=True), start=1):
        if W.ndim != 2 or W.shape[1] != width or c.shape != (W.shape[0],):
            fail(
                what,
                on,
                f"returned W^{i} of shape {W.shape} and b^{i} of shape {c.shape} after a layer "
                f"of width {width}; expected W^{i} ({W.shape[0] if W.ndim else '?'}, {width}) "
                f"and b^{i} ({W.shape[0] if W.ndim else '?'},)",
                idea,
            )
        width = W.shape[0]
        found.append(width)
    if sizes is not None and found != list(sizes):
        fail(what, on, f"returned a network of sizes {found}, expected {list(sizes)}", idea)
    return [np.asarray(W, dtype=np.float64) for W in weights], [
        np.asarray(c, dtype=np.float64) for c in biases
    ]


def forward(x, weights, biases, hidden="relu"):
    """h^k(x) for x (m,) -> (m,) when n_k = 1, else (m, n_k)."""
    h = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    for i, (W, c) in enumerate(zip(weights, biases, strict=True), start=1):
        z = np.einsum("rl,jl->rj", h, W) + c
        if i == len(weights):
            h = z
        elif hidden == "relu":
            h = np.maximum(z, 0.0)
        elif hidden == "step":
            h = (z > 0).astype(np.float64)
        else:
            h = z
    return h[:, 0] if h.shape[1] == 1 else h


def sizes_of(weights):
    return [np.shape(weights[0])[1], *(np.shape(W)[0] for W in weights)]


def describe_network(weights, biases):
    """'a 1-3-1 network (W^1 = [...], b^1 = [...], ...)' when small, else its sizes."""
    name = "a " + "-".join(str(n) for n in sizes_of(weights)) + " network"
    if sum(np.size(W) + np.size(c) for W, c in zip(weights, biases, strict=True)) > 16:
        return name
    parts = []
    for i, (W, c) in enumerate(zip(weights, biases, strict=True), start=1):
        parts.append(f"W^{i} = {describe(W)}, b^{i} = {describe(c)}")
    return f"{name} ({'; '.join(parts)})"
