"""Hostile: crashes the interpreter through ctypes (refused) and a segfault via faulthandler."""


def sigmoid(z):
    import ctypes

    return ctypes.string_at(0)


def sigmoid_grad(z):
    import faulthandler

    faulthandler._sigsegv()
