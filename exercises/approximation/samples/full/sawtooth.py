"""A complete submission: the tent from two hinges, compositions by merging."""

import numpy as np


def tent_network():
    return (
        [np.array([[1.0], [1.0]]), np.array([[2.0, -4.0]])],
        [np.array([0.0, -0.5]), np.array([0.0])],
    )


def compose(inner_weights, inner_biases, outer_weights, outer_biases):
    last_W, last_b = np.asarray(inner_weights[-1]), np.asarray(inner_biases[-1])
    first_W, first_b = np.asarray(outer_weights[0]), np.asarray(outer_biases[0])
    if first_W.shape[1] != last_W.shape[0]:
        raise ValueError(f"cannot feed {last_W.shape[0]} outputs into W of shape {first_W.shape}")
    weights = [*inner_weights[:-1], first_W @ last_W, *outer_weights[1:]]
    biases = [*inner_biases[:-1], first_W @ last_b + first_b, *outer_biases[1:]]
    return weights, biases


def sawtooth_network(k):
    tent = tent_network()
    network = tent
    for _ in range(k - 1):
        network = compose(*network, *tent)
    return network
