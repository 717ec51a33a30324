"""Decision surfaces for the playground: the network evaluated on a grid, quickly.

``forward_in_chunks`` computes the same h^k = f(x, theta) as ``net.forward`` but walks the rows in
chunks and keeps no trace of the intermediate layers. For a 100 x 100 grid through narrow layers
this is faster: each chunk's h^i stays in the CPU cache, and matrix products this small are not
split over threads (which on a busy machine costs more than it saves).
"""

import numpy as np

from nncore._checks import check_net
from nncore.activations import get_activation
from nncore.softmax import softmax

DEFAULT_CHUNK = 1024


def forward_in_chunks(net, x, chunk=DEFAULT_CHUNK):
    """h^k for every row of x, computed chunk by chunk.

    Args:
        net: nn.MLP; x: (m, n_0) float array; chunk: rows per chunk (>= 1).

    Returns:
        (m, n_k) array of net's dtype, equal to ``net.forward(x)``.
    """
    check_net(net)
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk must be an int >= 1, got {chunk!r}")
    x = np.asarray(x, dtype=net.dtype)
    if x.ndim != 2 or x.shape[1] != net.sizes[0]:
        raise ValueError(f"x has shape {x.shape}; the network takes (m, {net.sizes[0]})")
    if not np.isfinite(x).all():
        raise ValueError("x contains NaN or inf")
    hidden = [get_activation(name).fn for name in net.hidden]
    layers = list(zip(net.weights, net.biases, strict=True))
    out = np.empty((x.shape[0], net.sizes[-1]), dtype=net.dtype)
    with np.errstate(under="ignore"):  # e^{-|z|} = 0 or a subnormal, correctly
        _forward_chunks(net, x, chunk, hidden, layers, out)
    return out


def _forward_chunks(net, x, chunk, hidden, layers, out) -> None:
    """forward_in_chunks' loop: h^k of x's rows, chunk by chunk, written into out."""
    for start in range(0, x.shape[0], chunk):
        h = x[start : start + chunk]
        for (W, b), activation in zip(layers[:-1], hidden, strict=True):
            z = h @ W.T
            if b is not None:
                z += b
            h = activation(z)
        W, b = layers[-1]
        z = h @ W.T
        if b is not None:
            z += b
        if net.output == "sigmoid":
            z = get_activation("sigmoid").fn(z)
        elif net.output == "softmax":
            z = softmax(z, alpha=net.alpha, axis=1)
        out[start : start + chunk] = z


def grid_points(lo=-1.5, hi=1.5, resolution=100):
    """An evenly spaced resolution x resolution grid over [lo, hi]^2.

    Returns:
        axis (resolution,), points (resolution^2, 2) with points[r * resolution + c] =
        (axis[c], axis[r]) (row r is the second coordinate, as an image is drawn).
    """
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int >= 2, got {resolution!r}")
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo >= hi:
        raise ValueError(f"need finite lo < hi, got lo={lo}, hi={hi}")
    axis = np.linspace(lo, hi, resolution)
    first, second = np.meshgrid(axis, axis)
    return axis, np.column_stack([first.ravel(), second.ravel()])


def decision_surface(net, lo=-1.5, hi=1.5, resolution=100):
    """The network's output over a 2-D grid, shaped for a heat map.

    Returns:
        axis (resolution,) and values (resolution, resolution, n_k): values[r, c] is h^k at
        (axis[c], axis[r]) (probabilities for sigmoid/softmax outputs).
    """
    check_net(net)
    if net.sizes[0] != 2:
        raise ValueError(f"a decision surface needs 2 inputs, the network has {net.sizes[0]}")
    axis, points = grid_points(lo, hi, resolution)
    values = forward_in_chunks(net, points)
    return axis, values.reshape(resolution, resolution, net.sizes[-1])
