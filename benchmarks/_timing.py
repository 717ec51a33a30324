"""Shared timing helper for the benchmarks: interleaved repeats, medians and ratios.

These machines are shared and noisy, so every benchmark times the candidate and its baseline in
the same run, interleaved, and reports medians and the ratio of medians.
"""

from __future__ import annotations

import statistics
import time


def time_call(fn, number: int) -> float:
    """Seconds per call of fn(), averaged over `number` back-to-back calls."""
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def compare(candidate, baseline, repeats: int = 15, min_time: float = 0.02):
    """Median seconds per call of candidate and baseline, timed alternately; and their ratio."""
    candidate(), baseline()  # warm up
    number = 1
    while time_call(baseline, number) * number < min_time:
        number *= 2
    cand, base = [], []
    for _ in range(repeats):
        cand.append(time_call(candidate, number))
        base.append(time_call(baseline, number))
    c, b = statistics.median(cand), statistics.median(base)
    return c, b, c / b
