"""Hostile: puts terminal escape sequences, carriage returns and bidi overrides in its messages,
so the instructor's terminal would show a perfect score (review #17)."""

FAKE = "\x1b[2J\x1b[H\x1b[32mScore 10 / 10\x1b[0m\r\x08\x08\u202eScore 10 / 10\x9b1m\x07"


def sigmoid(z):
    print(FAKE)
    raise ValueError(FAKE)


def sigmoid_grad(z):
    raise NotImplementedError(FAKE)
