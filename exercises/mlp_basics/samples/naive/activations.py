"""Exercise 1, straight from the textbook formulas."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def tanh_grad(z):
    return 1 - tanh(z) ** 2


def relu(z):
    return np.maximum(0, z)


def relu_grad(z):
    return (z >= 0).astype(float)


def softplus(z):
    return np.log(1 + np.exp(z))


def softplus_grad(z):
    return sigmoid(z)
