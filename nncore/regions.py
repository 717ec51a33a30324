"""Linear pieces of a one-input network with piecewise-linear hidden units, computed exactly.

With ReLU, |z|, leaky ReLU or identity hidden units, h^k(x) for one input x is continuous and
piecewise affine. ``linear_pieces`` finds its pieces from the weights alone, layer by layer: on
an interval where h^{i-1}(x) = a x + c (a, c row vectors of length n_{i-1}),

    z^i(x) = (a W^{iT}) x + (c W^{iT} + b^i),

so unit u of layer i can change slope only at its root x* = -C_u / A_u. Splitting every interval
at the roots that fall inside it and applying sigma's slope on each side (sign of z^i at the
sub-interval's midpoint) gives layer i's pieces. Nothing is sampled.

A breakpoint where the slope does not change is not a boundary (e.g. two units whose kinks cancel):
adjacent pieces are merged when their slopes agree. Tolerances, stated in float64 terms:

- ``x_rtol = 1e-12``: breakpoints closer than x_rtol * (hi - lo) are one breakpoint. Kinks that are
  equal in exact arithmetic (the sawtooth's dyadic points) land within a few ulps of each other;
  distinct kinks of a network's pieces are very rarely closer than 1e-12 of the interval. So
  choose an interval of the kinks' scale: on [-1e300, 1e300] kinks 1 apart are one breakpoint.
- ``slope_rtol = 1e-9``: adjacent slopes s, s' (vectors over the n_k outputs) are the same when
  max|s - s'| <= slope_rtol * S, S = the largest |slope| over the interval. Rounding in the
  slopes is about (number of terms) * eps * S ~ 1e-13 S for the networks here, far below 1e-9 S,
  while any slope change a figure could show is far above it.

For a sigmoid or softmax output the pieces are those of the logits z^k (the output unit is
applied after the piecewise-affine part).

Size cap: the pieces are enumerated, and a depth-k network can have exponentially many (the
sawtooth has 2^k). Each of layer i's n_i units kinks at most once on each of the P pieces so far,
so the layer leaves at most P (n_i + 1) pieces. Before splitting a layer, ``linear_pieces``
refuses with a ValueError when that bound exceeds ``MAX_PIECES`` = 2^21 = 2,097,152 (a few
hundred MB of work): sawtooth_network(k) works up to k = 20 (2^20 pieces, under a second).
"""

from dataclasses import dataclass

import numpy as np

from nncore._checks import as_float_array, check_net
from nncore.activations import LEAKY_SLOPE

# activation -> (slope for z < 0, slope for z > 0); a kink at 0 when the two differ.
PIECEWISE_LINEAR_SLOPES = {
    "relu": (0.0, 1.0),
    "abs": (-1.0, 1.0),
    "leaky_relu": (LEAKY_SLOPE, 1.0),
    "identity": (1.0, 1.0),
}
X_RTOL = 1e-12
SLOPE_RTOL = 1e-9
MAX_PIECES = 2**21


@dataclass
class LinearPieces:
    """h^k(x) = slope_matrix[j] x + intercept_matrix[j] on [breakpoints[j], breakpoints[j+1]].

    breakpoints: (p + 1,) from lo to hi; slope_matrix, intercept_matrix: (p, n_k).
    ``slopes`` and ``intercepts`` are the same numbers as (p,) arrays when n_k == 1 (the usual
    one-in, one-out network), else (p, n_k). Unpacks as ``breakpoints, slopes = pieces``.
    """

    breakpoints: np.ndarray
    slope_matrix: np.ndarray
    intercept_matrix: np.ndarray

    @property
    def count(self):
        """p, the number of maximal linear pieces."""
        return len(self.slope_matrix)

    @property
    def slopes(self):
        return self.slope_matrix[:, 0] if self.slope_matrix.shape[1] == 1 else self.slope_matrix

    @property
    def intercepts(self):
        matrix = self.intercept_matrix
        return matrix[:, 0] if matrix.shape[1] == 1 else matrix

    def __iter__(self):
        return iter((self.breakpoints, self.slopes))

    def values(self):
        """h^k at every breakpoint, (p + 1, n_k): draw the function as a polyline through them."""
        left = self.slope_matrix * self.breakpoints[:-1, None] + self.intercept_matrix
        last = self.slope_matrix[-1] * self.breakpoints[-1] + self.intercept_matrix[-1]
        return np.vstack([left, last])

    def __call__(self, x):
        """Evaluate the piecewise-affine function at x (m,) -> (m, n_k)."""
        x = np.asarray(x, dtype=np.float64)
        piece = np.clip(np.searchsorted(self.breakpoints, x, side="right") - 1, 0, self.count - 1)
        return self.slope_matrix[piece] * x[:, None] + self.intercept_matrix[piece]


def _check_network(net, lo, hi):
    if net.sizes[0] != 1:
        raise ValueError(
            f"linear pieces need a network with one input (sizes[0] == 1), got sizes {net.sizes}; "
            "use restrict_to_line(net, start, end) for a line through a higher-dimensional input"
        )
    unsupported = sorted({name for name in net.hidden if name not in PIECEWISE_LINEAR_SLOPES})
    if unsupported:
        raise ValueError(
            f"hidden activations {unsupported} are not piecewise linear; "
            f"supported: {sorted(PIECEWISE_LINEAR_SLOPES)}"
        )
    lo, hi = float(lo), float(hi)
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo >= hi:
        raise ValueError(f"need finite lo < hi, got lo={lo}, hi={hi}")
    return lo, hi


def _check_piece_bound(net, layer, pieces, width, activation, lo, hi):
    """Refuse layer `layer` (1-based) if it could leave more than MAX_PIECES pieces."""
    negative_slope, positive_slope = PIECEWISE_LINEAR_SLOPES[activation]
    bound = pieces if negative_slope == positive_slope else pieces * (width + 1)
    if bound > MAX_PIECES:
        raise ValueError(
            f"layer {layer} of the network with sizes {net.sizes} could split [{lo}, {hi}] into "
            f"up to {bound:,} linear pieces ({pieces:,} so far, times n_{layer} + 1 = "
            f"{width + 1}), more than MAX_PIECES = {MAX_PIECES:,} that linear_pieces enumerates; "
            "use a shallower network (sawtooth_network(k) has 2^k pieces: k <= 20)"
        )


def _merge_close(points, lo, hi, x_tol):
    """Sorted unique breakpoints with lo and hi kept and clusters closer than x_tol merged."""
    points = np.sort(points)
    keep = np.concatenate([[True], np.diff(points) > x_tol])
    points = points[keep]
    points = points[(points > lo + x_tol) & (points < hi - x_tol)]
    return np.concatenate([[lo], points, [hi]])


def _split_layer(breakpoints, slopes, intercepts, W, b, activation, lo, hi, x_tol):
    """Pieces of sigma(z^i) given the pieces of h^{i-1}.

    breakpoints (P + 1,); slopes, intercepts (P, n_{i-1}); W (n_i, n_{i-1}); b (n_i,) or None.
    Returns the refined (breakpoints (Q + 1,), slopes (Q, n_i), intercepts (Q, n_i)).
    """
    z_slopes = slopes @ W.T
    z_intercepts = intercepts @ W.T
    if b is not None:
        z_intercepts = z_intercepts + b
    negative_slope, positive_slope = PIECEWISE_LINEAR_SLOPES[activation]
    if negative_slope == positive_slope:  # identity: no new kinks
        return breakpoints, z_slopes * positive_slope, z_intercepts * positive_slope
    with np.errstate(divide="ignore", invalid="ignore"):
        roots = -z_intercepts / z_slopes
    inside = (z_slopes != 0) & (roots > breakpoints[:-1, None]) & (roots < breakpoints[1:, None])
    refined = _merge_close(np.concatenate([breakpoints, roots[inside]]), lo, hi, x_tol)
    middles = (refined[:-1] + refined[1:]) / 2
    # The old piece each new piece lies in (old breakpoints survive the refinement).
    old = np.clip(np.searchsorted(breakpoints, middles, side="right") - 1, 0, len(slopes) - 1)
    new_slopes, new_intercepts = z_slopes[old], z_intercepts[old]
    z_middle = new_slopes * middles[:, None] + new_intercepts
    factor = np.where(z_middle > 0, positive_slope, negative_slope)
    return refined, new_slopes * factor, new_intercepts * factor


def _merge_equal_slopes(breakpoints, slopes, intercepts, slope_rtol):
    """Drop breakpoints where the slope vector does not change (within slope_rtol * max|slope|)."""
    scale = float(np.max(np.abs(slopes))) if slopes.size else 0.0
    change = np.max(np.abs(np.diff(slopes, axis=0)), axis=1) > slope_rtol * scale
    starts = np.concatenate([[True], change])
    keep_points = np.concatenate([starts, [True]])
    return breakpoints[keep_points], slopes[starts], intercepts[starts]


def linear_pieces(net, lo, hi, x_rtol=X_RTOL, slope_rtol=SLOPE_RTOL, merge=True):
    """The maximal linear pieces of a one-input network on [lo, hi], from its weights.

    Args:
        net: nn.MLP with sizes[0] == 1 and hidden activations relu, abs, leaky_relu or identity.
        lo, hi: the interval, lo < hi.
        x_rtol, slope_rtol: the tolerances explained in the module docstring.
        merge: False keeps breakpoints where the slope does not change (every kink of every unit
            that is active somewhere), for teaching the difference.

    Raises ValueError before a layer that could leave more than ``MAX_PIECES`` pieces (see the
    module docstring).

    Returns:
        LinearPieces(breakpoints (p + 1,), slope_matrix (p, n_k), intercept_matrix (p, n_k)) of
        h^k (of the logits z^k for a sigmoid/softmax output); ``.slopes`` is (p,) for n_k = 1.
    """
    check_net(net)
    lo, hi = _check_network(net, lo, hi)
    x_tol = x_rtol * hi - x_rtol * lo  # x_rtol (hi - lo), without hi - lo overflowing
    breakpoints = np.array([lo, hi])
    slopes = np.ones((1, 1))
    intercepts = np.zeros((1, 1))
    activations = list(net.hidden) + ["identity"]
    for layer, (W, b, activation) in enumerate(
        zip(net.weights, net.biases, activations, strict=True), start=1
    ):
        W = np.asarray(W, dtype=np.float64)
        b = None if b is None else np.asarray(b, dtype=np.float64)
        _check_piece_bound(net, layer, len(breakpoints) - 1, W.shape[0], activation, lo, hi)
        breakpoints, slopes, intercepts = _split_layer(
            breakpoints, slopes, intercepts, W, b, activation, lo, hi, x_tol
        )
    if merge:
        breakpoints, slopes, intercepts = _merge_equal_slopes(
            breakpoints, slopes, intercepts, slope_rtol
        )
    return LinearPieces(breakpoints, slopes, intercepts)


def count_linear_regions(net, lo, hi, x_rtol=X_RTOL, slope_rtol=SLOPE_RTOL):
    """The exact number of maximal intervals of [lo, hi] on which the network output is affine.

    net: nn.MLP with one input and relu / abs / leaky_relu / identity hidden units. A breakpoint
    where the slope does not change does not count. See ``linear_pieces`` and the module
    docstring for the method, its tolerances and its size cap (``MAX_PIECES``).
    """
    check_net(net)
    return linear_pieces(net, lo, hi, x_rtol, slope_rtol).count


def restrict_to_line(net, start, end):
    """The one-input network t -> net(start + t (end - start)), t in [0, 1].

    start, end: (n_0,) points. Only W^1 and b^1 change: W' = W^1 (end - start)^T (n_1, 1),
    b' = b^1 + W^1 start. Count its pieces on [0, 1] to count pieces along the segment.
    """
    check_net(net)
    start = as_float_array(start, "start", dtype=np.float64).reshape(-1)
    end = as_float_array(end, "end", dtype=np.float64).reshape(-1)
    if start.shape != (net.sizes[0],) or end.shape != (net.sizes[0],):
        raise ValueError(
            f"start and end must have n_0 = {net.sizes[0]} entries, "
            f"got shapes {start.shape} and {end.shape}"
        )
    line = net.copy()
    W1 = net.weights[0]
    line.sizes = [1] + list(net.sizes[1:])
    line.weights[0] = (W1 @ (end - start))[:, None].astype(net.dtype)
    bias = W1 @ start
    if net.biases[0] is not None:
        bias = bias + net.biases[0]
    line.biases[0] = bias.astype(net.dtype)
    if net.biases[0] is None:
        line.bias = True
        line.biases = [
            line.biases[0],
            *[np.zeros(n, dtype=net.dtype) for n in net.sizes[2:]],
        ]
    return line


def sawtooth_network(k, dtype=np.float64):
    """Telgarsky (2016): an nn.MLP whose output on [0, 1] is the tent map composed k times.

    The tent map T(x) = 2x on [0, 1/2], 2 - 2x on [1/2, 1], is T(x) = 2 relu(x) - 4 relu(x - 1/2)
    on [0, 1]. Each hidden layer holds the two units relu(t), relu(t - 1/2) of the previous
    layer's t = T^{j}(x), so the network has k hidden layers of width 2, sizes [1, 2, ..., 2, 1],
    4 + 6 (k - 1) + 3 = 6k + 1 parameters (linear in k), and T^k has 2^k linear pieces on [0, 1]
    (breakpoints at the multiples of 2^-k). Depth buys pieces exponentially; a one-hidden-layer
    ReLU network needs 2^k - 1 units for as many pieces.

    Returns:
        nn.MLP with hidden="relu", output="identity", and the weights set by hand.
    """
    from nncore.network import MLP  # local: keeps this module importable without the network

    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k must be an int >= 1, got {k!r}")
    net = MLP([1] + [2] * int(k) + [1], hidden="relu", output="identity", init="zeros", dtype=dtype)
    half = np.array([0.0, -0.5])
    net.weights[0][...] = [[1.0], [1.0]]
    net.biases[0][...] = half
    for layer in range(1, k):
        net.weights[layer][...] = [[2.0, -4.0], [2.0, -4.0]]
        net.biases[layer][...] = half
    net.weights[k][...] = [[2.0, -4.0]]
    net.biases[k][...] = 0.0
    return net


@dataclass
class Hyperplane:
    """The boundary z = x w^T + b = 0 of one unit sigma(x w^T + b) with n_0 = len(w) inputs.

    w: (n_0,) the unit's row of W^i; b: its bias. The boundary is perpendicular to w (w sets
    its direction) and lies at signed distance -b / ||w|| from the origin along w / ||w||: b
    positions the plane only together with ||w|| (scaling w and b by c > 0 keeps the plane and
    makes the transition c times steeper).
    """

    w: np.ndarray
    b: float

    @property
    def norm(self) -> float:
        """||w||_2, the steepness of sigma(x w^T + b) across the boundary."""
        return float(np.linalg.norm(self.w))

    @property
    def unit_normal(self) -> np.ndarray:
        """w / ||w|| (n_0,)."""
        return self.w / self.norm

    @property
    def distance(self) -> float:
        """|b| / ||w||, the distance from the origin to the boundary."""
        return abs(self.b) / self.norm

    @property
    def foot(self) -> np.ndarray:
        """-b w / ||w||^2 (n_0,), the boundary's point nearest the origin."""
        return -self.b * self.w / self.norm**2

    def signed_distance(self, x) -> np.ndarray:
        """(x w^T + b) / ||w|| for x (m, n_0): positive on the side w points to, shape (m,)."""
        x = np.asarray(x, dtype=np.float64)
        return (x @ self.w + self.b) / self.norm


def unit_hyperplane(w, b) -> Hyperplane:
    """The hyperplane of one unit sigma(x w^T + b); w: (n_0,) nonzero, b: a finite number."""
    w = np.asarray(w, dtype=np.float64).reshape(-1)
    if w.size == 0 or not np.all(np.isfinite(w)):
        raise ValueError(f"w must be a nonempty finite vector, got {w!r}")
    if not np.isfinite(b):
        raise ValueError(f"b must be finite, got {b!r}")
    if not np.any(w):
        raise ValueError(
            "w = 0: z = b is the same everywhere, so the unit has no hyperplane; give w a length"
        )
    return Hyperplane(w=w, b=float(b))
