"""The lecture's symbols in plain text: labels, table columns and chart text.

The pages' sentences typeset their symbols in KaTeX (`$W^i$`). A label cannot: Streamlit gives
a widget the raw label as its accessible name (a screen reader would read "dollar W caret i
dollar"), a dataframe draws its header on a canvas and plotly.js has no TeX. Those write the
same symbols with Unicode's super- and subscripts (W\u2071, h\u1d4f\u1d62, \u03c3\u2032,
\u2202l/\u2202W\u2071), which every page font draws and a screen reader reads as text.

`sup` and `sub` turn an exponent or index built at run time (a layer number, i - 1) into those
characters; the literal ones are written in place.
"""

from __future__ import annotations

_SUP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzT",
        "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b\u207c\u207d\u207e"
        "\u1d43\u1d47\u1d9c\u1d48\u1d49\u1da0\u1d4d\u02b0\u2071\u02b2\u1d4f\u02e1\u1d50\u207f\u1d52"
        "\u1d56\u02b3\u02e2\u1d57\u1d58\u1d5b\u02b7\u02e3\u02b8\u1dbb\u1d40",
        strict=True,
    )
)
_SUB = dict(
    zip(
        "0123456789+-=()aehijklmnoprstuvx",
        "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089\u208a\u208b\u208c\u208d\u208e"
        "\u2090\u2091\u2095\u1d62\u2c7c\u2096\u2097\u2098\u2099\u2092\u209a\u1d63\u209b\u209c\u1d64"
        "\u1d65\u2093",
        strict=True,
    )
)


def _script(text: object, table: dict[str, str], kind: str) -> str:
    text = str(text).replace(" ", "").replace("\u2212", "-")
    missing = sorted({c for c in text if c not in table})
    if missing:
        raise ValueError(f"no Unicode {kind} for {''.join(missing)!r} (in {text!r})")
    return "".join(table[c] for c in text)


def sup(text: object) -> str:
    """`text` (a number or an exponent such as "i-1") in superscript characters: sup(2) is
    "\u00b2", sup("i+1") is "\u2071\u207a\u00b9". A character Unicode has no superscript for
    raises ValueError."""
    return _script(text, _SUP, "superscript")


def sub(text: object) -> str:
    """`text` (a number or an index such as "i") in subscript characters: sub(0) is "\u2080"."""
    return _script(text, _SUB, "subscript")
