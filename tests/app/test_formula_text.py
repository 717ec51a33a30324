"""Formulas in the pages' sentences read one way only: a power is never followed by a bare
number, which reads as more digits of the exponent ("g^2 2/(n_in + n_out)" read as g^22)."""

import re

import pytest
from conftest import WIDGET_KINDS
from gradients_helpers import MAP
from gradients_helpers import PAGE as GRADIENTS

from viz import chart_text, navigation

PAGES = [f"pages/{entry[1]}" for entry in navigation.existing_pages()]
# a power in plain text (x^2, h^{i-1}, e^(z)) followed by a space and a number
POWER_THEN_NUMBER = re.compile(r"\^(\{[^}]*\}|\([^)]*\)|[\w.]+)\s+[-+]?\d")


def _outside_math(text: str) -> str:
    """The text without its $...$ formulas (KaTeX draws those with real superscripts)."""
    return "".join(text.split("$")[0::2])


def _sentences(at) -> list[str]:
    """Every sentence a page writes in Markdown: markdown, captions, alerts, widget help."""
    texts = [element.value for element in [*at.markdown, *at.caption]]
    texts += [element.value for element in [*at.info, *at.warning, *at.success]]
    return texts


@pytest.mark.parametrize(
    ("text", "ambiguous"),
    [
        ("W ~ N(0, g^2 2/(n_in + n_out))", True),
        ("e^{x} 3 times", True),
        ("W ~ N(0, g^2 * 2/(n_in + n_out))", False),
        (r"$W \sim N(0, g^2 \cdot \frac{2}{n_{in}+n_{out}})$", False),
        ("W^1 (n_1, 64) as images", False),
        ("h^0 = x", False),
    ],
)
def test_the_check_reads_powers_as_a_reader_would(text, ambiguous):
    assert bool(POWER_THEN_NUMBER.search(_outside_math(text))) is ambiguous


def test_the_gain_is_defined_as_a_formula(open_page):
    """The gradients page's map defines its gain g in KaTeX: g^2 times 2/(n_in + n_out), the
    product written out."""
    at = open_page(GRADIENTS, {"gr_view": MAP, "gr_width": 4})
    text = " ".join(_sentences(at))
    assert r"${W \sim N\big(0,\ g^2 \cdot \frac{2}{n_{in} + n_{out}}\big)}$" in text
    assert "g^2 2" not in text


# every page's default view, and the gradients page's map (its text appears only in that view)
VIEWS = [(page, {}) for page in PAGES] + [(GRADIENTS, {"gr_view": MAP, "gr_width": 4})]


@pytest.mark.parametrize(("page", "query"), VIEWS, ids=[f"{p[6:]}{q or ''}" for p, q in VIEWS])
def test_no_sentence_puts_a_number_after_a_power(open_page, page, query):
    at = open_page(page, query)
    assert not at.exception
    ambiguous = [text for text in _sentences(at) if POWER_THEN_NUMBER.search(_outside_math(text))]
    assert ambiguous == []


# the lecture's symbols written in ASCII: a power or index (A^j, h^(i-1), z_1 is left: x_1 names
# a feature in widget-like text too), sigma as a function or its derivative, a loss's derivative
ASCII_SYMBOL = re.compile(r"(?<![\w\\])(?:[A-Za-z]\^[\w{(]|sigma'|sigma\(|dl/d[a-zA-Z])")


def _outside_code(text: str) -> str:
    """The text without its `code` spans (a quoted width list or a Python name)."""
    return "".join(text.split("`")[0::2])


@pytest.mark.parametrize(
    ("text", "ascii_math"),
    [
        ("the Jacobians A^j of every layer", True),
        ("carries sigma'(z^i)", True),
        ("dl/dh^k = 2(h^k - y)", True),
        (r"the Jacobians $A^j$ of every layer", False),
        (r"carries $\sigma'(z^i)$ and `h^0`", False),
        ("8x8 digits, 1e-16, [1, 32, 32, 1]", False),
    ],
)
def test_the_check_finds_symbols_written_in_ascii(text, ascii_math):
    assert bool(ASCII_SYMBOL.search(_outside_code(_outside_math(text)))) is ascii_math


@pytest.mark.parametrize(("page", "query"), VIEWS, ids=[f"{p[6:]}{q or ''}" for p, q in VIEWS])
def test_sentences_typeset_the_lecture_symbols(open_page, page, query):
    """The pages' sentences write the lecture's symbols as KaTeX, like the formulas beside them
    (labels, table columns and chart text stay plain text, and are not read here)."""
    at = open_page(page, query)
    assert not at.exception
    found = [
        text for text in _sentences(at) if ASCII_SYMBOL.search(_outside_code(_outside_math(text)))
    ]
    assert found == []


# the same symbols in a label's plain text: a power or index (h^k, z_0, y_i, n_i), the norm bars
# written as || (the lecture's norm is one character, U+2016)
ASCII_LABEL = re.compile(
    r"(?<![\w\\])(?:[A-Za-z]\^[\w{(]|sigma'|sigma\(|dl/d[a-zA-Z]|[A-Za-z]_[0-9ijkny](?!\w))|\|\|"
)


@pytest.mark.parametrize(
    ("text", "ascii_math"),
    [
        ("Output h^k shape", True),
        ("||dl/dW^i||_F", True),
        ("z_0 (score of class 0)", True),
        ("sigma'(probe)", True),
        ("Output h\u1d4f shape", False),
        ("\u2016\u2202l/\u2202W\u2071\u2016_F", False),
        ("z\u2080 (score of class 0)", False),
        ("leaky_relu, swish_beta, 8x8 digits, x_grid", False),
    ],
)
def test_the_label_check_finds_symbols_written_in_ascii(text, ascii_math):
    assert bool(ASCII_LABEL.search(text)) is ascii_math


def _labels(at, plotly_specs) -> list[str]:
    """What a page shows as plain text: widget labels and options, metric labels, table
    columns and every chart's title, axis titles, legend names and annotations."""
    texts = []
    for kind in (*WIDGET_KINDS, "metric"):
        for element in getattr(at, kind):
            texts.append(element.label)
            texts += [str(option) for option in getattr(element, "options", None) or []]
    for element in at.get("button_group"):
        texts += [option.content for option in element.proto.options]
    for element in [*at.table, *at.dataframe]:
        texts += [str(column) for column in element.value.columns]
    for spec in plotly_specs(at):
        layout = spec.get("layout", {})
        texts.append((layout.get("title") or {}).get("text"))
        for name, axis in layout.items():
            if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
                texts.append((axis.get("title") or {}).get("text"))
        texts += [note.get("text") for note in layout.get("annotations", [])]
        texts += [trace.get("name") for trace in spec.get("data", [])]
    return [chart_text.plain(text) for text in texts if text]


@pytest.mark.parametrize(("page", "query"), VIEWS, ids=[f"{p[6:]}{q or ''}" for p, q in VIEWS])
def test_labels_write_the_lecture_symbols_as_symbols(open_page, plotly_specs, page, query):
    """Labels, table columns and chart text write the lecture's symbols with Unicode's super- and
    subscripts (viz.symbols), as the sentences do in KaTeX: h\u1d4f, not h^k."""
    at = open_page(page, query)
    assert not at.exception
    assert [text for text in _labels(at, plotly_specs) if ASCII_LABEL.search(text)] == []
