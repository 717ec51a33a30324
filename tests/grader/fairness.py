"""Build a class of fairness probes for an assignment: correct variants, single bugs, trivial
submissions (see tests/grader/fixtures/fairness/<assignment>/probes.py and test_fairness.py).

    python tests/grader/fairness.py mlp_basics OUT     # then: python -m grader batch OUT ...

A probe replaces top-level definitions of a base submission (alice) by name, in place, so
module-level tables that refer to them keep working; new names are appended, imports go first.
"""

import ast
import importlib.util
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "grader" / "fixtures" / "fairness"
from grader import trivial as trivial_submissions  # noqa: E402


def _names(node):
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    return set()


def replace_definitions(source, replacement):
    """source with each top-level def/assignment of `replacement` swapped in by name."""
    lines = source.splitlines()
    base = ast.parse(source).body
    new = ast.parse(replacement).body
    new_lines = replacement.splitlines()
    imports, appended, swaps = [], [], []
    for node in new:
        text = "\n".join(new_lines[node.lineno - 1 : node.end_lineno])
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(text)
            continue
        names = _names(node)
        target = next((b for b in base if names and _names(b) == names), None)
        if target is None:
            appended.append(text)
        else:
            swaps.append((target.lineno - 1, target.end_lineno, text))
    for start, end, text in sorted(swaps, reverse=True):
        lines[start:end] = text.splitlines()
    first_code = next(
        (n.lineno - 1 for n in base if not isinstance(n, ast.Import | ast.ImportFrom | ast.Expr)),
        len(lines),
    )
    lines[first_code:first_code] = [*imports, ""] if imports else []
    return "\n".join([*lines, *("\n\n" + text for text in appended)]) + "\n"


def load_probes(assignment):
    path = FIXTURES / assignment / "probes.py"
    spec = importlib.util.spec_from_file_location(f"probes_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_probe(base, changes, out):
    """A copy of the base submission with `changes` ({file: replacement source}) applied."""
    shutil.copytree(base, out)
    for name, replacement in changes.items():
        path = out / name
        path.write_text(replace_definitions(path.read_text(), replacement))


def build_class(assignment, out):
    """out/<student>/ for every variant, bug, trivial kind and whole fixture submission.

    Returns {student: ("full", None) | ("bug", (exercise, points or None)) | ("zero", None)}.
    """
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    probes = load_probes(assignment)
    base = FIXTURES / assignment / "alice"
    expected = {}
    for folder in sorted(p for p in (FIXTURES / assignment).iterdir() if p.is_dir()):
        if folder.name != "__pycache__":
            shutil.copytree(folder, out / folder.name)
            expected[folder.name] = ("full", None)
    for name, changes in probes.VARIANTS.items():
        write_probe(base, changes, out / f"variant_{name}")
        expected[f"variant_{name}"] = ("full", None)
    for name, (charge, changes) in probes.BUGS.items():
        write_probe(base, changes, out / f"bug_{name}")
        expected[f"bug_{name}"] = ("bug", charge)
    for kind in trivial_submissions.KINDS:
        trivial_submissions.write_trivial(REPO / "exercises" / assignment, kind, out / kind)
        expected[kind] = ("zero", None)
    return expected


if __name__ == "__main__":
    for student, expectation in build_class(sys.argv[1], sys.argv[2]).items():
        print(student, *expectation)
