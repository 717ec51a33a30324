"""Hostile: sys.exit, os._exit and KeyboardInterrupt instead of results."""

import os
import sys


def sigmoid(z):
    sys.exit(0)


def sigmoid_grad(z):
    os._exit(0)


def _unused():
    raise KeyboardInterrupt
