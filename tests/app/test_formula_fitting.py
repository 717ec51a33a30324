"""viz.formula without a browser: where a formula may break (top-level separators, relations and
binary operators, outside parentheses), how wide KaTeX draws it, and how far fit() shrinks it;
and ui.latex grouping parentheses in presenter mode only."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from viz import formula


def test_allow_breaks_after_top_level_separators_only():
    tex = r"a = b,\quad c = \frac{d,\quad e}{f},\qquad g"
    fitted = formula.allow_breaks(tex)
    assert fitted.count(r"\allowbreak") == 2  # not the one inside \frac{...}
    assert fitted.replace(r"\allowbreak ", "") == tex


def test_pieces_break_after_relations_and_binary_operators():
    assert formula.pieces("a = b + c") == ["a =", "b +", "c"]
    # a leading minus is a sign, not a break point
    assert formula.pieces("-x = y") == ["- x =", "y"]
    # ... and so is one after punctuation, an opening delimiter or an operator, spaces between
    # not counting (KaTeX drew "(0.16, -0.27)" unbroken, 8.7 em, where a break was assumed)
    pieces = formula.pieces(r"w = \big(0.16,\ -0.27\big)")
    assert pieces == ["w =", r"\big ( 0 . 1 6 , \  - 0 . 2 7 \big )"]
    assert formula.pieces("a = (-b) + -c") == ["a =", "( - b ) +", "- c"]
    # nothing breaks inside braces or a fraction
    assert formula.pieces(r"\frac{a + b}{c} = d") == [r"\frac { a + b } { c } =", "d"]


def test_width_of_a_matrix_grows_with_its_columns():
    def matrix(cols):
        row = " & ".join(["0.25"] * cols)
        return rf"\begin{{bmatrix}}{row} \\ {row}\end{{bmatrix}}"

    widths = [formula.width_em(matrix(c)) for c in (1, 2, 3, 4, 5)]
    steps = np.diff(widths)
    # each column adds its own width (4 glyphs) and the column gap, the same every time
    assert np.allclose(steps, steps[0]) and steps[0] > 2.0


MATRIX = r"\begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}"


@pytest.mark.parametrize(
    ("tex", "pieces_after"),
    [
        # two matrices side by side (a product): a break between them
        (rf"A = {MATRIX}{MATRIX}", 3),
        # an underbraced factor after a transposed matrix: a break before the brace
        (rf"a = {MATRIX}^{{\!\top}}\underbrace{{{MATRIX}}}_{{W}} = {MATRIX}", 4),
        # after an operator or a relation there is a break already: none added
        (rf"{MATRIX} + {MATRIX} = {MATRIX}", 3),
        # a matrix after a symbol, or inside a group, is not a second factor
        (rf"W {MATRIX}", 1),
        (rf"\frac{{{MATRIX}{MATRIX}}}{{2}}", 1),
    ],
)
def test_a_product_of_matrices_written_side_by_side_breaks_between_its_factors(tex, pieces_after):
    broken = formula.break_between_matrices(tex)
    assert broken.replace(r"\allowbreak ", "") == tex
    assert len(formula.pieces(broken)) == pieces_after, formula.pieces(broken)


def test_the_chain_rules_jacobian_of_six_units_keeps_its_numbers_readable():
    """A^j = diag(sigma'(z^j)) W^j = A^j with six units: one piece about 52 em wide, set in
    \\tiny (digits 7 px tall in presenter mode at 1024 px); its factors, each on its own line
    where needed, fit at \\footnotesize or larger."""
    from viz import chain_rule

    rng = np.random.default_rng(1)
    W = rng.normal(size=(6, 6))
    slope = rng.uniform(size=6)
    jacobian = chain_rule.latex_jacobian(3, 5, "sigmoid", 1.0, slope, W, slope[:, None] * W)
    assert formula.width_em(jacobian) > formula.BUDGET_EM / formula.SIZES[-1][1]  # too wide
    fitted = formula.fit(jacobian, group=True)
    size = fitted.split()[0]
    assert size in (r"\footnotesize", r"\small") or not size.startswith("\\"), size


def test_fit_shrinks_only_formulas_wider_than_the_budget():
    short = r"z^i = h^{i-1} W^{i\top} + b^i"
    assert formula.fit(short) == short
    long_piece = r"\underbrace{" + "x" * 60 + "}_{h}"
    fitted = formula.fit(long_piece)
    command = fitted.split()[0]
    factor = dict(formula.SIZES + [formula.SMALLEST])[command]
    assert factor < 1.0
    assert formula.width_em(long_piece) * factor <= formula.BUDGET_EM or command == r"\tiny"


@pytest.mark.parametrize(
    ("tex", "grouped"),
    [
        # presenter mode broke this after "ln(1 -": the parentheses become unbreakable groups
        (r"l = -(1 - y) \ln(1 - h^k)", r"l = -{(1 - y)} \ln{(1 - h^k)}"),
        (r"(a (b + c)) + d", r"{(a (b + c))} + d"),  # the outermost pair only
        (r"\frac{(a+b)}{c} = (x)", r"\frac{(a+b)}{c} = {(x)}"),  # inside braces: a group already
        (r"\left(a + b\right) = \big(1, -2\big)", r"\left(a + b\right) = \big(1, -2\big)"),
        (r"x \in [0, 1)", r"x \in [0, 1)"),  # an interval, not a pair
        (r"(0, 1] \cup (2)", r"(0, 1] \cup (2)"),  # unmatched: nothing is trusted
        (
            r"\begin{pmatrix} (a) \end{pmatrix} + (b - c)",
            r"\begin{pmatrix} (a) \end{pmatrix} + {(b - c)}",
        ),
    ],
)
def test_parentheses_are_grouped_so_no_line_breaks_inside_them(tex, grouped):
    assert formula.group_parentheses(tex) == grouped
    if grouped != tex:  # the break points left are outside the parentheses
        assert all(piece.count("(") == piece.count(")") for piece in formula.pieces(grouped))
    # only in presenter mode (where the large type wraps formulas); normal mode keeps the source
    assert formula.fit(tex, group=True) == formula.fit(grouped)


def test_presenter_mode_formulas_do_not_break_inside_parentheses():
    script = """
import streamlit as st
from viz import ui
st.session_state["presenter"] = {presenter}
ui.latex(r"l = -y \\ln h^k - (1 - y) \\ln(1 - h^k)")
"""
    normal = AppTest.from_string(script.format(presenter=False)).run()
    presenting = AppTest.from_string(script.format(presenter=True)).run()
    assert r"- (1 - y) \ln(1 - h^k)" in normal.latex[0].value
    assert r"- {(1 - y)} \ln{(1 - h^k)}" in presenting.latex[0].value


@pytest.mark.parametrize(
    ("tex", "grouped"),
    [
        # the structure page's list broke after "\in", leaving "R^{m x n_i}" on a line of its own
        (
            r"h^0 = x,\quad h^i = \sigma(z^i) \in \mathbb{R}^{m \times n_i}",
            r"{h^0 = x},\quad {h^i = \sigma(z^i) \in \mathbb{R}^{m \times n_i}}",
        ),
        # an equation wider than the budget keeps its break points; a matrix is left alone
        (
            r"a = b,\qquad " + " + ".join(["x_{1}"] * 12),
            r"{a = b},\qquad " + " + ".join(["x_{1}"] * 12),
        ),
        (
            r"A = \begin{pmatrix} 1 & 2 \end{pmatrix},\quad b = 1",
            r"A = \begin{pmatrix} 1 & 2 \end{pmatrix},\quad {b = 1}",
        ),
        (r"\{x : x w^\top + b = 0\}", r"\{x : x w^\top + b = 0\}"),  # one equation: as it is
    ],
)
def test_each_equation_of_a_list_that_fits_is_kept_whole(tex, grouped):
    assert formula.group_equations(tex, budget_em=12) == grouped
    # so the list's break points are between its equations only
    for piece in formula.pieces(formula.allow_breaks(grouped)):
        if r"\begin" not in piece and "x_{1} + x_{1}" not in piece:
            assert piece.count("=") + piece.count(r"\in") <= 2
