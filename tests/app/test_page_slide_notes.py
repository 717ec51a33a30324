"""Notes on the slides: every note cites real lecture lines, and every number it quotes is right."""

import re

import numpy as np
import pytest

from viz import slide_notes as viz

PAGE = "pages/slide_notes.py"
LECTURE_LINES = 649


def _page_text(at):
    return "\n".join(
        [element.value for element in at.markdown] + [element.value for element in at.caption]
    )


def test_numbers_the_notes_quote():
    numbers = viz.note_numbers()
    with np.errstate(over="ignore"):
        assert numbers["naive_exp_1000"] == np.inf
    assert numbers["stable_softmax_1000"] == 1.0  # 1 / (1 + e^-1000)
    assert numbers["equal_logits_alpha5_gap"] == 0.0
    assert (numbers["tie_1"], numbers["tie_2"], numbers["tie_3"]) == pytest.approx((0.5, 0.5, 0))
    assert numbers["relu_at_minus2"] == 0.0
    assert numbers["plane_distance"] == pytest.approx(2.0) == numbers["plane_distance_doubled"]
    # the product order: [3, 4, 4, 4, 4] tanh, identity output, seed 0, x from default_rng(0)
    import nncore as nn

    net = nn.MLP([3, 4, 4, 4, 4], hidden="tanh", seed=0)
    h = np.random.default_rng(0).standard_normal(3)
    A = []
    for j, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        z = h @ W.T + b
        A.append(W if j == 3 else (1 - np.tanh(z) ** 2)[:, None] * W)
        h = np.tanh(z)
    top, bottom = A[3] @ A[2] @ A[1], A[1] @ A[2] @ A[3]
    gap = np.linalg.norm(top - bottom) / (np.linalg.norm(top) + np.linalg.norm(bottom))
    assert numbers["product_order_gap"] == pytest.approx(gap, rel=1e-12)


def test_every_note_cites_lines_of_the_lecture():
    notes = viz.notes(viz.note_numbers())
    assert len(notes) >= 20
    for note in notes:
        lines = [int(n) for n in re.findall(r"L(\d+)", note.lines)]
        assert lines and all(1 <= n <= LECTURE_LINES for n in lines), note.lines
        assert note.kind in ("notation", "statement", "gloss")
        assert note.part in viz.PART_ORDER
    # the audit's list (section 3b) is covered
    cited = " ".join(note.lines for note in notes)
    for line in ("L50", "L78", "L122", "L241", "L316", "L322", "L326", "L328", "L350", "L412",
                 "L530", "L574", "L576", "L588", "L599", "L601", "L611", "L626"):  # fmt: skip
        assert line in cited, line


def test_defaults(open_page, assert_page_ok, plotly_specs, decode):
    at = open_page(PAGE)
    assert_page_ok(at)
    text = _page_text(at)
    assert "(0.50, 0.50, 0.00)" in text  # ties split the mass
    assert "avoids numerical **instability**" in text
    assert "arbitrarily wide" in text and "non-polynomial" in text
    assert r"$z^i = h^{i-1} W^{i\top} + b^i$" in text
    # the figure: softmax(alpha z) for z = (2, 1, 0), written out, and sharper as alpha grows
    spec = plotly_specs(at)[0]
    alphas = decode(spec["data"][0]["x"])
    z = np.array([2.0, 1.0, 0.0])
    expected = np.exp(np.outer(alphas, z))
    expected /= expected.sum(axis=1, keepdims=True)
    for i, trace in enumerate(spec["data"]):
        np.testing.assert_allclose(decode(trace["y"]), expected[:, i], rtol=1e-12)
    largest = decode(spec["data"][0]["y"])  # Pr(Y = 1): from near 1/3 (hot) to 1 (cold)
    assert np.all(np.diff(largest) >= 0) and largest[0] < 0.34 and largest[-1] > 0.999


def test_filter_by_kind(open_page):
    at = open_page(PAGE, {"sn_notation": False, "sn_gloss": False})
    assert not at.exception
    shown = [element.value for element in at.markdown if element.value.startswith("**L")]
    statements = [n for n in viz.notes(viz.note_numbers()) if n.kind == "statement"]
    assert len(shown) == len(statements)
    assert all("false or overstated" in value for value in shown)
    at.toggle(key="sn_statement").set_value(False).run()
    assert any("at least one kind" in info.value for info in at.info)


def test_presenter_mode_shows_every_kind_switch(open_page):
    """Each kind is a toggle of its own with its full label (the multiselect's chips were cut
    off at the right of a presenter column); all three on by default."""
    at = open_page(PAGE, {"presenter": True})
    assert not at.exception
    toggles = {t.key: (t.label, t.value) for t in at.toggle if t.key.startswith("sn_")}
    assert toggles == {
        "sn_notation": ("typos and indices", True),
        "sn_statement": ("false or overstated as written", True),
        "sn_gloss": ("true, but easy to misread", True),
    }


def test_no_text_in_pages_or_viz_lost_a_backslash():
    """A LaTeX command in a string that is not raw loses its backslash to an escape ('\\top'
    becomes a tab and 'op', '\\frac' a form feed): no string literal in pages/ or viz/ may hold
    such a control character."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = []
    for path in sorted([*root.glob("pages/*.py"), *root.glob("viz/*.py")]):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if any(char in node.value for char in "\t\x0c\b\a\v\r"):
                    found.append(f"{path.name}:{node.lineno}")
    assert not found, found


def test_group_by_kind(open_page):
    at = open_page(PAGE, {"sn_order": "by kind"})
    assert not at.exception
    headings = [element.value for element in at.header][:3]
    assert headings == [
        "Typos and indices",
        "False or overstated as written",
        "True, but easy to misread",
    ]
    notes = viz.notes(viz.note_numbers())
    shown = [element.value for element in at.markdown if element.value.startswith("**L")]
    assert len(shown) == len(notes)
