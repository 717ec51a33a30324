"""In-place probes for an assignment: the reference solution with one function changing its
caller's data after computing its answer. A test that reads the function's arguments back
(`student.<file>.<function>.call_and_inputs`) notices; no other test can, since every answer is
the reference's.

    python -m grader.in_place exercises/mlp_basics OUT

`python -m grader validate` grades one probe per function and lists the functions whose probe
loses nothing: either they take no arrays (nothing to change), or no test checks that they leave
their arguments as they were.

The change: the first array argument's first entry grows by 1 (for a list or tuple of arrays,
such as a network's weights, the first array's).
"""

import argparse
import shutil
from pathlib import Path

from .trivial import stub_functions

CHANGE = """

def _grader_changes_an_argument(function):
    import functools

    import numpy

    @functools.wraps(function)
    def changed(*args, **kwargs):
        result = function(*args, **kwargs)
        for value in [*args, *kwargs.values()]:
            if isinstance(value, (list, tuple)) and value and isinstance(value[0], numpy.ndarray):
                value = value[0]
            if isinstance(value, numpy.ndarray) and value.size and value.dtype.kind in "fiu":
                value.flat[0] = value.flat[0] + 1
                break
        return result

    return changed


{name} = _grader_changes_an_argument({name})
"""


def probes(assignment_folder):
    """(stub file name, function name) for every public function of the stubs."""
    folder = Path(assignment_folder)
    return [
        (stub.name, name)
        for stub in sorted(folder.glob("*.py"))
        if (folder / "solutions" / stub.name).is_file()
        for name in stub_functions(stub)
    ]


def write_all(assignment_folder, out, solutions=None):
    """out/<file>.<function>/: the reference solution (default: the assignment's solutions/)
    with that function changing its argument; returns [(function, folder)]."""
    folder, out = Path(assignment_folder), Path(out)
    solutions = Path(solutions) if solutions is not None else folder / "solutions"
    if out.exists():
        shutil.rmtree(out)
    written = []
    for filename, name in probes(folder):
        target = out / f"{Path(filename).stem}.{name}"
        shutil.copytree(solutions, target)
        with open(target / filename, "a", encoding="utf-8") as handle:
            handle.write(CHANGE.format(name=name))
        written.append((name, target))
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("assignment", help="the assignment folder (exercises/<name>)")
    parser.add_argument("out", help="folder for the submissions (replaced)")
    args = parser.parse_args(argv)
    for _, folder in write_all(args.assignment, args.out):
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
