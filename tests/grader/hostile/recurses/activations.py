"""Hostile: recursion without end (and with a raised recursion limit)."""

import sys


def sigmoid(z):
    return sigmoid(z)


def sigmoid_grad(z):
    sys.setrecursionlimit(10**8)

    def deeper(n):
        return deeper(n + 1) + 1

    return deeper(0)
