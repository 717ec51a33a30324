"""Fit a KaTeX display formula to a narrow column (a projector at 1024 x 768) without JavaScript.

KaTeX already splits a formula into unbreakable pieces at its top-level relations (=, <, \\in)
and binary operators (+, -), and at `\\allowbreak`; the page CSS (viz.page_css) lets a display
formula wrap between those pieces and sizes every display formula to at most 1 / BUDGET_EM of
its column's width (CSS container units). So a formula fits its column when every piece is at
most BUDGET_EM wide. This module does the rest, in Python:

- `allow_breaks` adds `\\allowbreak` after top-level separators (`,\\quad`, `\\qquad`, `;`), so a
  list of equations breaks between the equations, and `break_between_matrices` between the
  factors of a product of matrices written side by side;
- `pieces` / `width_em` estimate each piece's width in em from the LaTeX source (a conservative
  box model of KaTeX's layout: glyph widths, scripts at 0.7, fractions as the wider of numerator
  and denominator, matrices column by column);
- `fit` shrinks the whole formula with a KaTeX size command (`\\small` ... `\\tiny`) when its
  widest piece is wider than BUDGET_EM. KaTeX flattens a size command into the top-level list,
  so the formula still breaks at the same places.
"""

from __future__ import annotations

import re

BUDGET_EM = 24.0
# KaTeX size commands and their factor against \normalsize, largest first
SIZES = [("", 1.0), (r"\small", 0.9), (r"\footnotesize", 0.8), (r"\scriptsize", 0.7)]
SMALLEST = (r"\tiny", 0.5)

RELATIONS = {
    "=",
    "<",
    ">",
    r"\le",
    r"\leq",
    r"\ge",
    r"\geq",
    r"\in",
    r"\approx",
    r"\to",
    r"\mapsto",
    r"\leftarrow",
    r"\rightarrow",
    r"\Rightarrow",
    r"\iff",
    r"\ne",
    r"\neq",
    r"\equiv",
    r"\propto",
    r"\sim",
    r"\subset",
    r"\subseteq",
    r"\ll",
    r"\gg",
    r"\coloneqq",
    r"\gets",
    r"\longrightarrow",
    r"\Leftrightarrow",
    r"\notin",
    r"\simeq",
    r"\leftrightarrow",
}
BINARIES = {
    "+",
    "-",
    r"\pm",
    r"\mp",
    r"\cdot",
    r"\times",
    r"\circ",
    r"\odot",
    r"\otimes",
    r"\oplus",
    r"\div",
    "*",
    r"\ast",
    r"\cup",
    r"\cap",
    r"\setminus",
    r"\wedge",
    r"\vee",
}
SPACES = {
    r"\,": 0.17,
    r"\:": 0.22,
    r"\;": 0.28,
    r"\ ": 0.33,
    "~": 0.33,
    r"\quad": 1.0,
    r"\qquad": 2.0,
    r"\!": -0.17,
    r"\enspace": 0.5,
    r"\thinspace": 0.17,
}
# glyph widths in em (KaTeX's fonts are close to these; wide letters a little over)
WIDE_CHARS = set("mwMWQGODHNUKX")
BIG_OPERATORS = {
    r"\sum": 1.45,
    r"\prod": 1.3,
    r"\int": 0.9,
    r"\bigcup": 1.2,
    r"\bigcap": 1.2,
    r"\max": 1.9,
    r"\min": 1.75,
    r"\sup": 1.55,
    r"\inf": 1.25,
    r"\lim": 1.3,
    r"\arg": 1.45,
    r"\log": 1.3,
    r"\ln": 0.9,
    r"\exp": 1.4,
    r"\det": 1.4,
    r"\sin": 1.3,
    r"\cos": 1.4,
    r"\tanh": 2.0,
    r"\Pr": 1.2,
    r"\operatorname": 0.0,
}
ACCENTS = {
    r"\hat",
    r"\tilde",
    r"\bar",
    r"\vec",
    r"\dot",
    r"\ddot",
    r"\widehat",
    r"\overline",
    r"\underline",
    r"\mathbf",
    r"\mathrm",
    r"\mathit",
    r"\boldsymbol",
    r"\mathcal",
    r"\mathbb",
    r"\bm",
    r"\mathsf",
    r"\mathtt",
    r"\color",
    r"\textcolor",
}
TEXT_COMMANDS = {r"\text", r"\textrm", r"\textbf", r"\textit", r"\mbox", r"\operatorname"}
SIZE_FACTORS = {
    r"\tiny": 0.5,
    r"\scriptsize": 0.7,
    r"\footnotesize": 0.8,
    r"\small": 0.9,
    r"\normalsize": 1.0,
    r"\large": 1.2,
    r"\Large": 1.44,
    r"\displaystyle": 1.0,
    r"\textstyle": 1.0,
}
DELIMITER_SIZES = {
    r"\big",
    r"\Big",
    r"\bigg",
    r"\Bigg",
    r"\bigl",
    r"\bigr",
    r"\Bigl",
    r"\Bigr",
    r"\biggl",
    r"\biggr",
    r"\Biggl",
    r"\Biggr",
    r"\left",
    r"\right",
    r"\middle",
}

_TOKEN = re.compile(r"\\[a-zA-Z]+|\\.|[{}^_&]|\s+|.", re.DOTALL)


def tokens(tex: str) -> list[str]:
    """The LaTeX source as tokens: control words, single characters, groups' braces."""
    return [t for t in _TOKEN.findall(tex) if not t.isspace()]


def _group(toks: list[str], i: int) -> tuple[list[str], int]:
    """The argument starting at toks[i] (a {...} group or one token) and the index after it."""
    if i >= len(toks):
        return [], i
    if toks[i] != "{":
        return [toks[i]], i + 1
    depth, j = 0, i
    while j < len(toks):
        if toks[j] == "{":
            depth += 1
        elif toks[j] == "}":
            depth -= 1
            if depth == 0:
                return toks[i + 1 : j], j + 1
        j += 1
    return toks[i + 1 :], len(toks)


def _environment(toks: list[str], i: int) -> tuple[str, list[str], int]:
    """For toks[i] == \\begin: (name, body tokens, index after \\end{name})."""
    name_toks, j = _group(toks, i + 1)
    name = "".join(name_toks)
    depth, k = 1, j
    while k < len(toks):
        if toks[k] == r"\begin":
            depth += 1
        elif toks[k] == r"\end":
            depth -= 1
            if depth == 0:
                _, after = _group(toks, k + 1)
                return name, toks[j:k], after
        k += 1
    return name, toks[j:], len(toks)


def _split(toks: list[str], separator: str) -> list[list[str]]:
    """Split a token list at a top-level separator (outside braces and environments)."""
    parts, current, depth = [], [], 0
    for t in toks:
        if t in ("{", r"\begin"):
            depth += 1
        elif t in ("}", r"\end"):
            depth -= 1
        if t == separator and depth == 0:
            parts.append(current)
            current = []
        else:
            current.append(t)
    parts.append(current)
    return parts


def _matrix_width(body: list[str]) -> float:
    rows = [_split(row, "&") for row in _split(body, r"\\")]
    n_cols = max(len(row) for row in rows)
    widths = [0.0] * n_cols
    for row in rows:
        for c, cell in enumerate(row):
            widths[c] = max(widths[c], _width(cell))
    return sum(widths) + 1.0 * (n_cols - 1) + 0.4


def _char_width(t: str) -> float:
    if t in WIDE_CHARS:
        return 0.9
    if t.isalpha():
        return 0.62
    if t.isdigit() or t in ".":
        return 0.5 if t.isdigit() else 0.28
    if t in "()[]|":
        return 0.39
    if t in ",;:!?'":
        return 0.45  # a comma carries the thin space after it in math
    return 0.78


def _width(toks: list[str]) -> float:
    """Estimated width in em of a token list laid out on one line (unbreakable)."""
    total, i, last_base = 0.0, 0, 0.0
    while i < len(toks):
        t = toks[i]
        if t == "{":
            arg, i = _group(toks, i)
            last_base = _width(arg)
            total += last_base
            continue
        if t in ("^", "_"):
            script, i = _group(toks, i + 1)
            width = 0.72 * _width(script) + 0.08
            # a subscript and a superscript on the same base share one column
            if i < len(toks) and toks[i] in ("^", "_"):
                other, i = _group(toks, i + 1)
                width = max(width, 0.72 * _width(other) + 0.08)
            total += width
            continue
        i += 1
        if t in SPACES:
            total += SPACES[t]
        elif t in RELATIONS:
            total += 1.34
        elif t in BINARIES:
            total += 1.22
        elif t in SIZE_FACTORS:
            rest = _width(toks[i:])
            return total + SIZE_FACTORS[t] * rest
        elif t in (r"\frac", r"\dfrac", r"\tfrac", r"\binom"):
            num, i = _group(toks, i)
            den, i = _group(toks, i)
            scale = 0.75 if t == r"\tfrac" else 1.0
            last_base = scale * max(_width(num), _width(den)) + 0.35
            total += last_base
        elif t == r"\sqrt":
            if i < len(toks) and toks[i] == "[":
                while i < len(toks) and toks[i] != "]":
                    i += 1
                i += 1
            arg, i = _group(toks, i)
            total += _width(arg) + 0.9
        elif t in (r"\underbrace", r"\overbrace"):
            arg, i = _group(toks, i)
            body = _width(arg)
            if i < len(toks) and toks[i] in ("_", "^"):
                label, i = _group(toks, i + 1)
                body = max(body, 0.72 * _width(label))
            total += body
        elif t in TEXT_COMMANDS:
            arg, i = _group(toks, i)
            text = "".join(arg)
            total += 0.55 * len(text) if t != r"\operatorname" else 0.62 * len(text) + 0.2
        elif t in ACCENTS:
            arg, i = _group(toks, i)
            if t in (r"\color", r"\textcolor"):
                if t == r"\textcolor":
                    arg, i = _group(toks, i)
                    total += _width(arg)
                continue
            total += _width(arg) * (1.1 if t in (r"\mathbb", r"\mathbf", r"\boldsymbol") else 1.0)
        elif t == r"\begin":
            name, body, i = _environment(toks, i - 1)
            if "matrix" in name or name in ("array", "cases", "aligned", "gathered", "split"):
                total += _matrix_width(body) + (0.0 if name in ("matrix", "aligned") else 0.8)
            else:
                total += _width(body)
        elif t in DELIMITER_SIZES:
            if i < len(toks) and toks[i] != ".":
                total += 0.6
            i += 1
        elif t in BIG_OPERATORS:
            total += BIG_OPERATORS[t] + 0.3
        elif t in (r"\limits", r"\nolimits", r"\allowbreak", r"\nobreak", r"\displaylimits"):
            continue
        elif t in (r"\ldots", r"\cdots", r"\dots", r"\vdots", r"\ddots"):
            total += 1.2 if t in (r"\ldots", r"\cdots", r"\dots") else 0.6
        elif t in (r"\partial", r"\nabla", r"\infty", r"\forall", r"\exists", r"\top", r"\ell"):
            total += 0.85
        elif t.startswith("\\") and len(t) > 2:
            total += 0.7  # a Greek letter or another symbol
        elif t.startswith("\\"):
            total += 0.5  # \{ \} \| and the like
        elif t in "&":
            total += 1.0
        else:
            total += _char_width(t)
    return total


# After these (spaces skipped), KaTeX reads + and - as a sign, not an operator: no break there.
SIGN_AFTER = frozenset({"(", "[", r"\{", r"\langle", r"\lvert", ",", ";", ":"})


def _breaks_after(t: str, previous: str | None) -> bool:
    """Whether KaTeX may break a line after token t (at the top level), `previous` being the
    token before it (spaces skipped): a relation, \\allowbreak, \\\\, or a binary operator
    that is not a sign."""
    if t in RELATIONS or t in (r"\allowbreak", r"\\"):
        return True
    signs_before = RELATIONS | BINARIES | SIGN_AFTER
    return t in BINARIES and previous is not None and previous not in signs_before


def _top_level_pieces(toks: list[str]) -> list[list[str]]:
    """Split at KaTeX's top-level break points: after relations, binary operators and
    \\allowbreak. A + or - that starts the formula or follows a relation, an operator, an
    opening delimiter or punctuation (spaces between do not count) is a sign, not an
    operator, as in KaTeX: `(0.16,\\ -0.27)` does not break."""
    pieces, current, depth = [], [], 0
    previous = None
    for t in toks:
        if t in ("{", r"\begin", r"\left"):
            depth += 1
        elif t in ("}", r"\end", r"\right"):
            depth -= 1
        current.append(t)
        if depth == 0 and _breaks_after(t, previous):
            pieces.append(current)
            current = []
        if t not in ("{", "}") and t not in SPACES:
            previous = t
    if current:
        pieces.append(current)
    return pieces


def pieces(tex: str) -> list[str]:
    """The formula's unbreakable pieces, as source text (for reading and tests)."""
    return [" ".join(p) for p in _top_level_pieces(tokens(tex))]


def width_em(tex: str) -> float:
    """Estimated width in em of the widest unbreakable piece of a display formula (a leading
    size command such as fit's \\small scales every piece)."""
    toks = tokens(tex)
    factor = 1.0
    while toks and toks[0] in SIZE_FACTORS:
        factor *= SIZE_FACTORS[toks.pop(0)]
    return factor * max((_width(piece) for piece in _top_level_pieces(toks)), default=0.0)


def total_width_em(tex: str) -> float:
    """Estimated width in em of the whole formula on one line."""
    return _width(tokens(tex))


_SEPARATOR = re.compile(r"(,\s*\\q?quad|\\qquad|,\s*\\;|;\s*\\quad)")


def _separators(tex: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level separator: outside braces and environments."""
    found, depth = [], 0
    for match in re.finditer(r"[{}]|" + _SEPARATOR.pattern, tex):
        text = match.group(0)
        if text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
        elif depth == 0 and r"\begin" not in tex[: match.start()].split(r"\end")[-1]:
            found.append((match.start(), match.end()))
    return found


def allow_breaks(tex: str) -> str:
    """Add \\allowbreak after each top-level separator (`,\\quad`, `\\qquad`, `,\\;`), so a list
    of equations breaks between the equations on a narrow screen (KaTeX keeps it on one line
    when it fits)."""
    out, last = [], 0
    for _, end in _separators(tex):
        out.append(tex[last:end] + r"\allowbreak ")
        last = end
    out.append(tex[last:])
    return "".join(out)


# a factor that starts a new unbreakable piece after a matrix (break_between_matrices)
_FACTORS = frozenset({r"\underbrace", r"\overbrace", r"\begin"})


def break_between_matrices(tex: str) -> str:
    r"""Add \allowbreak before a top-level factor (a matrix, or an \underbrace or \overbrace
    around one) that follows a matrix in the same unbreakable piece, so a product of matrices
    written side by side wraps between its factors on a narrow screen.

    KaTeX breaks only after relations and binary operators, and a product has none: the chain
    rule's A^j = diag(sigma'(z^j)) W^j with six units was one piece 52 em wide, set in \tiny
    and scaled by the page CSS to digits about 6 px tall at 1024 x 768 in presenter mode. Its
    factors each fit at \footnotesize."""
    out, last, depth, previous, holds_matrix = [], 0, 0, None, False
    for match in _TOKEN.finditer(tex):
        t = match.group(0)
        if t.isspace():
            continue
        if depth == 0 and t in _FACTORS and holds_matrix:
            out.append(tex[last : match.start()] + r"\allowbreak ")
            last, holds_matrix = match.start(), False
        if t == r"\begin":
            holds_matrix = True
        if t in ("{", r"\begin", r"\left"):
            depth += 1
        elif t in ("}", r"\end", r"\right"):
            depth -= 1
        if depth == 0 and _breaks_after(t, previous):
            holds_matrix = False
        if t not in ("{", "}") and t not in SPACES:
            previous = t
    out.append(tex[last:])
    return "".join(out)


# a parenthesis these commands size or pair is left as it is (\left( ... \right) is a group)
_SIZED = re.compile(r"\\(left|right|[bB]igg?[lrm]?)\s*$")


def group_parentheses(tex: str) -> str:
    r"""Brace each outermost top-level pair ( ... ), so KaTeX never breaks a line inside it.

    KaTeX breaks a wrapped formula after any top-level binary operator, and plain parentheses
    are not a group: in presenter mode "l = -(1 - y) ln(1 - h^k)" broke after "ln(1 -". A braced
    group is one unbreakable piece (as `pieces` counts it). Parentheses inside braces or an
    environment, sized ones (\left(, \big(), and unmatched ones (the interval [0, 1)) stay."""
    pairs, stack, depth = [], [], 0
    index = 0
    while index < len(tex):
        char = tex[index]
        if char == "\\":
            index += 2  # an escaped character (\{, \(, \\) or the start of a command
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char in "()" and r"\begin" not in tex[:index].split(r"\end")[-1]:
            sized = _SIZED.search(tex[:index]) is not None
            if char == "(":
                stack.append(None if sized else index)
            elif stack:
                start = stack.pop()
                if not stack and start is not None and not sized:
                    pairs.append((start, index))
        index += 1
    if stack:  # an unmatched "(": the pairing is not trustworthy
        return tex
    for start, end in reversed(pairs):
        tex = f"{tex[:start]}{{{tex[start : end + 1]}}}{tex[end + 1 :]}"
    return tex


def group_equations(tex: str, budget_em: float = BUDGET_EM) -> str:
    r"""Brace each equation of a list (the pieces between top-level separators, `,\quad` and the
    like) that fits on one line within budget_em at `\small` (`fit` then shrinks the formula by
    at most a tenth), so a wrapped formula breaks between its equations, not inside one:
    "h^i = \sigma(z^i) \in" then "R^{m x n_i}" on the next line read as two statements. A wider
    equation keeps its break points (it must wrap somewhere), as does one holding an
    environment (a matrix)."""
    out, last, segments = [], 0, []
    for start, end in _separators(tex):
        segments.append((last, start, end))
        last = end
    segments.append((last, len(tex), len(tex)))
    if len(segments) == 1:  # one equation: within the budget it fits its line as it is
        return tex
    for start, end, after in segments:
        body = tex[start:end]
        stripped = body.strip()
        wraps = len(_top_level_pieces(tokens(stripped))) > 1
        whole = f"{{{stripped}}}"
        fits = total_width_em(whole) <= budget_em / SIZES[1][1]  # at \small at most
        if wraps and r"\begin" not in stripped and fits:
            lead = body[: len(body) - len(body.lstrip())]
            trail = body[len(body.rstrip()) :]
            body = f"{lead}{whole}{trail}"
        out.append(body + tex[end:after])
    return "".join(out)


def fit(tex: str, budget_em: float = BUDGET_EM, group: bool = False) -> str:
    """The formula with break points after its separators, each equation that fits the budget
    kept whole (`group_equations`) and, when its widest piece is wider than budget_em, a KaTeX
    size command that brings it within the budget. group: no break inside parentheses either
    (`group_parentheses`; presenter mode, where formulas wrap)."""
    tex = group_equations(group_parentheses(tex) if group else tex, budget_em)
    tex = allow_breaks(break_between_matrices(tex))
    widest = width_em(tex)
    for command, factor in SIZES:
        if widest * factor <= budget_em:
            return f"{command} {tex}" if command else tex
    return f"{SMALLEST[0]} {tex}"
