"""Hostile: sleeps instead of answering."""

import time


def sigmoid(z):
    time.sleep(1000)


def sigmoid_grad(z):
    time.sleep(1000)
