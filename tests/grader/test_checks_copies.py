"""Each assignment ships its own copy of the feedback checks (`tests/public/_checks.py`: a student
downloads one assignment's folder), so the copies must not drift apart: the same code under each
assignment's own module docstring."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _code_without_docstring(path: Path) -> str:
    module = ast.parse(path.read_text())
    body = module.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return ast.dump(ast.Module(body=body, type_ignores=[]))


def test_every_assignment_ships_the_same_checks():
    copies = sorted(ROOT.glob("exercises/*/tests/public/_checks.py"))
    assert len(copies) == len(list(ROOT.glob("exercises/*/assignment.json"))) >= 2
    first = _code_without_docstring(copies[0])
    differing = [
        str(p.relative_to(ROOT)) for p in copies[1:] if _code_without_docstring(p) != first
    ]
    assert not differing, (
        f"{differing} differ from {copies[0].relative_to(ROOT)} beyond the docstring"
    )
