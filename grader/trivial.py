"""Trivial submissions for an assignment: every function returns zeros, ones, NaN, random
values, or its first argument. No test should give any of them a point.

    python -m grader.trivial exercises/mlp_basics OUT
    python -m grader batch OUT --assignment mlp_basics --out OUT_GRADED --no-progress

`python -m grader validate` grades every kind and fails when one earns a point.

For each stub file the function names are read from the stub (top-level `def`s that do not
start with an underscore; names in ALL_CAPS such as SCALAR_FUNCTIONS are data and are kept).
Two shapes are tried for the constant answers:

- `reference_*`: the reference solution runs first (inside the generated file, with its own
  copy of the solution's source) and its answer is replaced entry by entry by the constant,
  keeping shape, dtype and nesting (tuples, lists). This is the strongest trivial submission:
  it has the right shape, dtype and container every time. When the reference raises (bad
  input), the trivial function does not: it answers like `first_*` below, so it never
  inherits the reference's input checks.
- `first_*`: the constant in the shape of the first array argument (0-d for a number).

`first_argument` returns its first argument unchanged (the identity).
"""

import argparse
import ast
import shutil
from pathlib import Path

VALUES = ("zeros", "ones", "nan", "random")
KINDS = (
    *(f"reference_{value}" for value in VALUES),
    *(f"first_{value}" for value in VALUES),
    "first_argument",
)

TEMPLATE = '''"""Generated trivial submission ({kind}) for {file} (grader.trivial)."""

import numpy as _np

_KIND = {kind!r}
_REFERENCE = {{}}
exec(compile({source!r}, "reference_{file}", "exec"), _REFERENCE)
_RNG = _np.random.default_rng(12345)


def _constant(shape, dtype=None):
    value = _KIND.split("_", 1)[1]
    if value == "random":
        out = _RNG.random(shape)
    else:
        out = _np.full(shape, {{"zeros": 0.0, "ones": 1.0, "nan": _np.nan}}[value])
    if dtype is not None and _np.dtype(dtype).kind == "f":
        out = out.astype(dtype)
    return out


def _like(value):
    """The constant with the shape, dtype and nesting of value."""
    if isinstance(value, (list, tuple)):
        return type(value)(_like(item) for item in value)
    if isinstance(value, dict):
        return {{key: _like(item) for key, item in value.items()}}
    if isinstance(value, _np.ndarray):
        return _constant(value.shape, value.dtype)
    if isinstance(value, (bool, _np.bool_)):
        return bool(_constant(()))
    if isinstance(value, (int, float, _np.number)):
        return float(_constant(()))
    return value


def _first(args, kwargs):
    for value in (*args, *kwargs.values()):
        if isinstance(value, (_np.ndarray, list, tuple, int, float)):
            return value
    return 0.0


def _answer(name, args, kwargs):
    first = _first(args, kwargs)
    if _KIND == "first_argument":
        return first
    if _KIND.startswith("reference_"):
        try:
            return _like(_REFERENCE[name](*args, **kwargs))
        except Exception:  # no input checks: a trivial function never raises
            pass
    try:
        shape = _np.shape(first)
    except ValueError:
        shape = ()
    return _constant(shape)
'''

FUNCTION = """

def {name}(*args, **kwargs):
    return _answer({name!r}, args, kwargs)
"""


def stub_functions(path):
    """Names of the public top-level functions a stub file asks for."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def stub_data(path):
    """Source of the stub's given top-level data and helpers (e.g. SCALAR_FUNCTIONS)."""
    source = Path(path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    kept = []
    for node in tree.body:
        private_def = isinstance(node, ast.FunctionDef) and node.name.startswith("_")
        if isinstance(node, ast.Assign) or private_def:
            kept.append("\n".join(lines[node.lineno - 1 : node.end_lineno]))
    return "\n\n".join(kept)


def write_trivial(assignment_folder, kind, out):
    """One trivial submission of the given kind in folder out; returns its files."""
    assignment_folder, out = Path(assignment_folder), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stub in sorted(assignment_folder.glob("*.py")):
        solution = assignment_folder / "solutions" / stub.name
        if not solution.is_file():
            continue
        text = TEMPLATE.format(
            kind=kind, file=stub.name, source=solution.read_text(encoding="utf-8")
        )
        data = stub_data(stub)
        if data:
            text += "\n\n# Given in the stub (data the tests may rely on):\nimport numpy as np\n\n"
            text += data + "\n"
        for name in stub_functions(stub):
            text += FUNCTION.format(name=name)
        (out / stub.name).write_text(text, encoding="utf-8")
        written.append(out / stub.name)
    return written


def write_all(assignment_folder, out, kinds=KINDS):
    """Every kind as out/<kind>/; returns the folders."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    folders = []
    for kind in kinds:
        write_trivial(assignment_folder, kind, out / kind)
        folders.append(out / kind)
    return folders


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("assignment", help="the assignment folder (exercises/<name>)")
    parser.add_argument("out", help="folder for the submissions (replaced)")
    parser.add_argument("--kinds", nargs="*", default=list(KINDS), choices=KINDS)
    args = parser.parse_args(argv)
    for folder in write_all(args.assignment, args.out, args.kinds):
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
