"""Widths typed into a box ("3, 4, 2"): the one tokenizer of every page's widths box (Home,
Structure, the chain rule, Universal approximation, Choosing width and depth). Each page checks
its own bounds on the numbers it gets."""

import re


def split_widths(text: str, example: str = "3, 4, 2") -> list[int]:
    """ "3, 4 2" -> [3, 4, 2]: whole numbers separated by commas and/or spaces.

    A clear ValueError names what is wrong: an empty entry ("3,,2", a comma at either end) or an
    entry that is not a whole number ("3.5", "x"). Bounds are the caller's.
    """
    entries = [entry.strip() for entry in str(text).split(",")]
    if len(entries) > 1 and "" in entries:
        raise ValueError(
            f"an empty width in {str(text).strip()!r}: two commas in a row or a comma at an end; "
            f"write the widths such as '{example}'"
        )
    parts = [part for entry in entries for part in entry.split()]
    bad = [part for part in parts if not re.fullmatch(r"[+-]?\d+", part)]
    if bad:
        where = "" if bad[0] == str(text).strip() else f" in {str(text).strip()!r}"
        raise ValueError(
            f"widths must be whole numbers separated by commas, got {bad[0]!r}{where}; "
            f"e.g. '{example}'"
        )
    return [int(part) for part in parts]
