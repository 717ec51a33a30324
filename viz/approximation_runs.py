"""The Universal approximation page's settings and computations: the fitting tool's defaults
and presets, and every network the page trains or builds, each cached per input (st.cache_data)
so that a rerun, or another student with the same settings, reuses it.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from nncore.approximation import hanin_rolnick
from nncore.bumps import approximation_error, bump_network, units_for_error
from viz import approximation as viz

LO, HI = -1.0, 1.0
N_TRAIN = 128  # training points per fit: enough for 1-D targets, fast enough to refit live
DEPTH_BUDGET, DEPTH_EPOCHS = 256, 300  # the "where depth wins" preset
NARROW_DEEP = [1, 3, 3, 3, 3, 3, 1]
NARROW_SEEDS = 3  # the trained narrow deep net: up to 3 seeds, until one fits
# a run fits when its test MSE is under this share of Var f (0.01 on the default sine, whose
# variance is 1/2): relative, so the target's units do not decide how many seeds are tried
NARROW_GOOD = 0.02
NARROW_EPOCHS = 150  # enough to tell a run that fits from one that collapsed or got stuck
DEFAULTS = {
    "ua_target": "sine",
    "ua_mode": "width × depth",
    "ua_epochs": 100,
    "ua_widths": [8, 16],
    "ua_depths": [1, 2],
    "ua_budget": 256,
    "ua_lists": "1, 32, 2, 1; 1, 2, 32, 1; 1, 2, 2, 1",
    "ua_hidden": "relu",
}
PRESETS = {
    "depth wins": {
        "ua_target": "sawtooth",
        "ua_mode": "equal budget",
        "ua_budget": DEPTH_BUDGET,
        "ua_depths": [1, 3],
        "ua_epochs": DEPTH_EPOCHS,
        "ua_hidden": "relu",
    },
    "width first": {
        "ua_target": "sine",
        "ua_mode": "width lists",
        "ua_lists": DEFAULTS["ua_lists"],
        "ua_epochs": 300,
        "ua_hidden": "relu",
    },
}


def load_preset(name: str) -> None:
    """Set the fitting tool's widgets (and so the URL) to a preset; the page reruns after."""
    for key, value in {**DEFAULTS, **PRESETS.get(name, {})}.items():
        st.session_state[key] = value


@st.cache_data(show_spinner=False, max_entries=96)
def fit_one(sizes, target, hidden, epochs, noise, seed):
    """One trained network (cached per architecture, so adding one keeps the others)."""
    return viz.fit_network(
        sizes,
        target,
        hidden=hidden,
        epochs=epochs,
        n_train=N_TRAIN,
        noise=noise,
        lo=LO,
        hi=HI,
        seed=seed,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def trained_narrow(target, seed):
    """Train NARROW_DEEP from seed, seed + 1, ... until a run reaches test MSE < NARROW_GOOD
    Var f; at most NARROW_SEEDS runs (a run that collapses to a constant has one linear piece)."""
    good = NARROW_GOOD * float(np.var(viz.target_on_grid(target, LO, HI)[1]))
    runs = []
    for offset in range(NARROW_SEEDS):
        fitted = viz.fit_network(
            NARROW_DEEP, target, epochs=NARROW_EPOCHS, n_train=N_TRAIN, lo=LO, hi=HI,
            seed=seed + offset,
        )  # fmt: skip
        runs.append(fitted)
        if fitted.test_mse < good:
            break
    return runs


@st.cache_data(show_spinner=False)
def pieces_at_random_init(seed):
    """Linear pieces along a line of random ReLU networks, by neurons and depth (Hanin and
    Rolnick 2019): 8 networks for each of 16, 32, 64 neurons over 1, 2, 4, 8 layers."""
    return hanin_rolnick(total_neurons=(16, 32, 64), depths=(1, 2, 4, 8), n_nets=8, seed=seed)


@st.cache_data(show_spinner=False, max_entries=32)
def bump_errors(target):
    """The hand-built step and ReLU bump networks' sup error over 4001 points, for up to 14 unit
    counts from 1 to 400 (log spaced): (counts, {kind: errors})."""
    counts = np.unique(np.round(np.logspace(0, np.log10(400), 14)).astype(int))
    return counts, {
        name: np.array(
            [
                approximation_error(
                    bump_network(target, LO, HI, int(n), name), target, LO, HI, n_grid=4001
                )
                for n in counts
            ]
        )
        for name in ("step", "relu")
    }


@st.cache_data(show_spinner=False, max_entries=32)
def units_needed(target, kind, tolerance):
    """The fewest bump units of a kind whose sup error is within the tolerance (ValueError
    past 4000 units)."""
    return units_for_error(target, LO, HI, tolerance, kind=kind, max_units=4000, n_grid=4001)
