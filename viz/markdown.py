"""Text shown as written inside Streamlit's Markdown (st.error, st.warning, captions).

Messages quote what a user or a link wrote (a width list, a formula, a value in the URL), and
Streamlit renders Markdown in them: `[Your grade](http://...)` would become a clickable link in the
app's own error box, `![x](http://...)` an image fetched from anywhere, `:red[...]` or `$...$` a
colour or a formula. A link is anyone's text, so every such message goes through `literal`.
"""

import re

# What turns text into a link, an image, HTML, code or a formula anywhere in a line: brackets
# ([text](address), ![image](address), Streamlit's :colour[text]), angle brackets (<address>,
# HTML), backticks, dollars, the backslash itself. Emphasis marks are left: at worst they make a
# quoted word italic, and escaping them would put backslashes into every n_0 of the messages.
_SPECIAL = re.compile(r"([\\`\[\]<>$])")
# a bare address: GitHub-flavoured Markdown links it even with its punctuation escaped
_ADDRESS = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s'\"<>()\[\]`]*")


def code(text: str) -> str:
    """`text` as a Markdown code span (shown as written, never linked), with a fence longer than
    any run of backticks inside it."""
    text = " ".join(text.split())
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def block(text: str) -> str:
    """`text` as a fenced code block: every line shown as written (a student's message or source
    line, where `a*b*c` must not turn italic), with a fence longer than any run of backticks in
    it."""
    fence = "`" * max(3, max(map(len, re.findall("`+", text)), default=0) + 1)
    return f"{fence}text\n{text}\n{fence}"


def literal(text: str) -> str:
    """`text` escaped for Markdown, its addresses as code spans: it reads as written."""
    parts = []
    position = 0
    for match in _ADDRESS.finditer(text):
        parts.append(_SPECIAL.sub(r"\\\1", text[position : match.start()]))
        parts.append(code(match.group()))
        position = match.end()
    parts.append(_SPECIAL.sub(r"\\\1", text[position:]))
    return "".join(parts)
