"""`new`: write a new assignment skeleton that validates out of the box.

    python -m grader new NAME [--out DIR]       (DIR defaults to exercises/NAME)

writes

    DIR/assignment.json                 name, title, files, one exercise (id, title, file, idea)
    DIR/README.md                       what students implement and how they run the tests
    DIR/relu.py                         the stub: raises NotImplementedError naming the exercise
    DIR/solutions/relu.py               the reference solution
    DIR/tests/public/test_ex1_relu.py   a public test: closed-form values, student fixture
    DIR/tests/hidden/test_hidden_ex1_relu.py   a hidden test against the reference fixture

so that `python -m grader validate --assignment DIR` passes at once (reference full marks,
stubs zero, every test both ways). Replace the example exercise with your own: rename the
file in "files" and "exercises", write the stub and its solution under the same name, and
give every test a one-line docstring (its lecture idea), `@pytest.mark.points(n)` and the
exercise's marker. The public test shows how a test reads a function's arguments back
(`call_and_inputs`) to check that the function left them as they were: give each function of
yours one such test.
"""

import json
import re
from pathlib import Path

NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

STUB = '''"""Exercise 1: the rectified linear unit, relu(z) = max(0, z), elementwise.

NumPy only. Never change the input array in place: return a new array.
"""

import numpy as np  # noqa: F401  (you will need it)


def relu(z):
    """relu(z) = max(0, z), elementwise.

    z: any shape, e.g. (m, n) -> the same shape.
    """
    raise NotImplementedError("Exercise 1 (relu.relu): max(0, z) elementwise")
'''

SOLUTION = '''"""Exercise 1 (reference): relu(z) = max(0, z), elementwise."""

import numpy as np


def relu(z):
    """relu(z) = max(0, z), elementwise. z: any shape -> the same shape."""
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)
'''

PUBLIC_TEST = '''"""Exercise 1 (public tests): expected values are closed forms, by hand."""

import numpy as np
import pytest

pytestmark = [pytest.mark.ex1_relu, pytest.mark.filterwarnings("error::RuntimeWarning")]


@pytest.mark.points(1)
def test_relu_by_hand(student):
    """relu(z) = max(0, z): negative scores become 0, positive ones pass unchanged; z itself is
    left as it was (one test per function reads its arguments back)."""
    z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    # call_and_inputs: the result, and the arguments as the call left them
    got, (z_after,), _ = student.relu.relu.call_and_inputs(z)
    got = np.asarray(got, dtype=float)
    assert got.shape == z.shape, f"relu: returned shape {got.shape} for z of shape {z.shape}"
    expected = np.array([0.0, 0.0, 0.0, 0.5, 3.0])
    assert np.allclose(got, expected), (
        f"relu: got {got.tolist()} on z = {z.tolist()}, expected {expected.tolist()}. "
        "Lecture idea: relu(z) = max(0, z), elementwise"
    )
    assert np.array_equal(z_after, z), (
        f"relu: changed its argument z in place, to {np.asarray(z_after).tolist()}, on z = "
        f"{z.tolist()}. Lecture idea: return a new array (np.maximum(z, 0)); the caller uses z "
        "again"
    )
'''

HIDDEN_TEST = '''"""Exercise 1 (hidden tests): against the reference; messages hide its values."""

import numpy as np
import pytest

pytestmark = [pytest.mark.ex1_relu, pytest.mark.filterwarnings("error::RuntimeWarning")]


@pytest.mark.points(1)
def test_relu_on_a_random_batch(student, reference):
    """relu acts elementwise on a batch (m, n) of scores of any sign."""
    z = np.random.default_rng(0).normal(scale=10.0, size=(4, 5))
    got = np.asarray(student.relu.relu(z), dtype=float)
    expected = reference.relu.relu(z)
    assert got.shape == expected.shape, f"relu: returned shape {got.shape} on a (4, 5) batch"
    assert np.allclose(got, expected), (
        "relu: wrong values on a random (4, 5) batch of scale 10. "
        "Lecture idea: relu(z) = max(0, z), elementwise"
    )
'''

README = """# {title}

You implement, in NumPy, the functions named below. Every function raises
`NotImplementedError` until you replace its body; its docstring gives the formula and the shape
of every array.

| exercise | file | functions | points (public + hidden) |
|---|---|---|---|
| 1 relu | `relu.py` | `relu` | 1 + 1 |

## Rules of the game

- **NumPy only.** Your code runs in a separate process; only data (arrays, numbers, lists and
  tuples of those) crosses, so return plain data.
- A `RuntimeWarning` from your code (overflow in `exp`, division by zero) fails the test that
  caused it.
- Never change the arrays you are given: compute new ones.

## Running the tests

From this folder, `pytest` runs the public tests and prints your points per exercise;
`pytest -m ex1_relu` runs one exercise. A failing test says which property failed, on which
input, and which idea of the lecture it points to.
"""


def assignment_json(name):
    return {
        "name": name,
        "title": f"{name}: a new assignment (edit this title)",
        "files": ["relu.py"],
        "exercises": [
            {
                "id": "ex1_relu",
                "title": "The rectified linear unit",
                "file": "relu.py",
                "idea": "relu(z) = max(0, z), elementwise: a unit is off for z < 0",
            }
        ],
        "time_limit_per_call": 2.0,
    }


def scaffold(name, out=None):
    """Write the skeleton of assignment `name` into `out` (default exercises/<name>).

    Returns the written paths. ValueError for a name that is not an identifier or an `out`
    that exists and is not an empty folder.
    """
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(
            f"the assignment name must be a Python identifier (letters, digits, _), got {name!r}"
        )
    out = Path(out) if out is not None else Path("exercises") / name
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"{out} already exists and is not an empty folder; choose a new --out")
    files = {
        "assignment.json": json.dumps(assignment_json(name), indent=2) + "\n",
        "README.md": README.format(title=assignment_json(name)["title"]),
        "relu.py": STUB,
        "solutions/relu.py": SOLUTION,
        "tests/public/test_ex1_relu.py": PUBLIC_TEST,
        "tests/hidden/test_hidden_ex1_relu.py": HIDDEN_TEST,
    }
    written = []
    for relative, text in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
