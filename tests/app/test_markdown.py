"""viz.markdown: text quoted from a user or a link reads as written inside Streamlit's Markdown."""

import re

import pytest

from viz import markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("n_0 = 3", "`n_0 = 3`"),
        ("a`b", "``a`b``"),  # a fence longer than the longest run of backticks inside
        ("x ``` y", "````x ``` y````"),
        ("`edge`", "`` `edge` ``"),  # a backtick at an end is padded off the fence
        ("two\nlines  here", "`two lines here`"),  # a code span is one line
    ],
)
def test_code_span_fences(text, expected):
    assert markdown.code(text) == expected


def test_literal_breaks_links_images_and_formulas():
    text = "got '[click](http://e.vil) ![i](https://e.vil/p.png) :red[x] $x^2$ <b>'"
    shown = markdown.literal(text)
    # no unescaped bracket, angle bracket or dollar outside the addresses' code spans
    outside = re.sub(r"`[^`]*`", "", shown)
    assert not re.search(r"(?<!\\)[\[\]<>$]", outside), shown
    # each address is a code span (a bare address is linked even when escaped)
    assert "`http://e.vil`" in shown and "`https://e.vil/p.png`" in shown
    # and removing the escapes and fences gives back the text
    assert re.sub(r"\\(.)", r"\1", shown).replace("`", "") == text


def test_literal_leaves_plain_messages_alone():
    text = "Could not build the network: need at least two widths n_0, n_k, got '3'; e.g. '3, 4'"
    assert markdown.literal(text) == text
    assert markdown.literal("see www.e.vil/x.") == "see `www.e.vil/x.`"
