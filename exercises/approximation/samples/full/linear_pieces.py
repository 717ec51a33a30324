"""A complete submission: pieces as (start, end, slopes, intercepts), split layer by layer."""

import numpy as np


def _pieces(weights, biases, a, b):
    tol = 1e-9 * (b - a)
    pieces = [(a, b, np.ones(1), np.zeros(1))]  # h^0 = x
    k = len(weights)
    for i in range(k):
        W, c = np.asarray(weights[i], dtype=float), np.asarray(biases[i], dtype=float)
        new = []
        for lo, hi, s, t in pieces:
            S, C = W @ s, W @ t + c
            if i == k - 1:
                new.append((lo, hi, S, C))
                continue
            cuts = [lo, hi]
            for Su, Cu in zip(S, C, strict=True):
                if Su != 0:
                    root = -Cu / Su
                    if lo + tol < root < hi - tol:
                        cuts.append(root)
            cuts = sorted(cuts)
            merged = [cuts[0]]
            for x in cuts[1:]:
                if x - merged[-1] > tol:
                    merged.append(x)
            merged[-1] = hi
            for left, right in zip(merged[:-1], merged[1:], strict=True):
                mid = (left + right) / 2
                on = (S * mid + C) > 0
                new.append((left, right, S * on, C * on))
        pieces = new
    slopes = np.array([p[2][0] for p in pieces])
    scale = np.abs(slopes).max()
    result = []
    for j in range(1, len(pieces)):
        if abs(slopes[j] - slopes[j - 1]) > 1e-9 * scale:
            result.append(pieces[j][0])
    return np.array(result, dtype=float)


def breakpoints(weights, biases, a, b):
    return _pieces(weights, biases, float(a), float(b))


def count_linear_pieces(weights, biases, a, b):
    return len(breakpoints(weights, biases, a, b)) + 1
