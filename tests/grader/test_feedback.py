"""Fair grades and feedback that leads to the fix: one bug charged once (later exercises use
the reference's earlier files), inputs changed in place, warnings explained with their place,
input and a hint by kind, the student's own traceback, printed output, upload shapes and
notebooks said once at the top, hidden-test visibility, and local runs saying the same."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grader import assignment as assignment_module
from grader import layout
from grader.feedback import warning_hint
from grader.grade import grade_submission

pytestmark = pytest.mark.usefixtures("sandbox_mode")
HERE = Path(__file__).parent
LAYERED = HERE / "fixtures" / "layered"
TINY = HERE / "fixtures" / "tiny"

GOOD_FIRST = "import numpy as np\n\ndef scale(x):\n    return 3.0 * np.asarray(x, dtype=float)\n"
BUGGY_FIRST = "import numpy as np\n\ndef scale(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
IN_PLACE_FIRST = "import numpy as np\n\ndef scale(x):\n    x *= 3\n    return x\n"
SECOND_USING_FIRST = "from first import scale\n\ndef twice(x):\n    return scale(scale(x))\n"


def grade(tmp_path, files, fixture=LAYERED):
    folder = tmp_path / "submission"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    results = grade_submission(folder, assignment_module.load(fixture))
    assert results["extra_data"]["status"] == "ok", results["output"]
    return results


def scores(results):
    return {name: value["score"] for name, value in results["extra_data"]["exercises"].items()}


def outputs(results):
    return "\n".join(test["output"] for test in results["tests"])


def test_a_bug_in_an_earlier_file_is_charged_in_its_own_exercise_only(tmp_path):
    results = grade(tmp_path, {"first.py": BUGGY_FIRST, "second.py": SECOND_USING_FIRST})
    assert scores(results) == {"ex1_scale": 1.0, "ex2_compose": 3.0}


def test_the_reference_earlier_file_does_not_stand_in_for_the_students_own(tmp_path):
    """A later file that asks the reference for earlier answers gains nothing in ex1."""
    sneaky = "import second\n\ndef scale(x):\n    return second.CACHE.get(tuple(x), x)\n"
    caching = (
        "import numpy as np\nfrom first import scale\nCACHE = {}\n\n"
        "def twice(x):\n    for value in (1.0, -2.0, 2.0):\n"
        "        CACHE[(value,)] = scale(np.array([value]))\n"
        "    CACHE[(1.0, -2.0)] = scale(np.array([1.0, -2.0]))\n"
        "    return scale(scale(x))\n"
    )
    results = grade(tmp_path, {"first.py": sneaky, "second.py": caching})
    assert scores(results)["ex1_scale"] == 0.0
    assert scores(results)["ex2_compose"] == 3.0


def test_changing_an_input_in_place_costs_its_dedicated_test_only(tmp_path):
    results = grade(tmp_path, {"first.py": IN_PLACE_FIRST, "second.py": SECOND_USING_FIRST})
    failed = [test["name"] for test in results["tests"] if test["status"] == "failed"]
    assert failed == ["ex1_scale: test_scale_leaves_its_input_alone"]
    assert "changed its input x in place" in outputs(results)


def test_exceptions_show_the_students_own_lines(tmp_path):
    broken = "import numpy as np\n\ndef helper(x):\n    return x @ np.ones((5, 5))\n\n"
    broken += "def scale(x):\n    return helper(np.asarray(x))\n"
    results = grade(tmp_path, {"first.py": broken, "second.py": SECOND_USING_FIRST})
    text = outputs(results)
    assert "first.py, line 7, in scale: return helper(np.asarray(x))" in text
    assert "first.py, line 4, in helper: return x @ np.ones((5, 5))" in text


def test_printed_output_is_shown_on_failing_tests(tmp_path):
    chatty = BUGGY_FIRST.replace("def scale(x):\n", "def scale(x):\n    print('DEBUG x =', x)\n")
    results = grade(tmp_path, {"first.py": chatty, "second.py": SECOND_USING_FIRST})
    failing = next(t for t in results["tests"] if t["name"] == "ex1_scale: test_scale")
    assert "Your code printed" in failing["output"] and "DEBUG x = [ 1. -2.]" in failing["output"]


@pytest.mark.parametrize(
    ("message", "source", "words"),
    [
        ("overflow encountered in exp", "return 1 / (1 + np.exp(-z))", "exp(-|z|)"),
        ("overflow encountered in exp", "return np.where(z > 0, 1, np.exp(z))", "BOTH branches"),
        ("divide by zero encountered in log", "return -np.sum(y * np.log(p))", "0 ln 0 = 0"),
        ("invalid value encountered in divide", "return a / b", "0/0"),
        ("overflow encountered in multiply", "return 2 * z", "largest float"),
    ],
)
def test_warning_hints_follow_the_kind_of_failure(message, source, words):
    assert words in warning_hint(message, source)


def test_a_warning_failure_keeps_its_function_line_input_and_idea(tmp_path):
    naive = "import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
    naive += "\ndef sigmoid_grad(z):\n    s = sigmoid(z)\n    return s * (1 - s)\n"
    results = grade(tmp_path, {"activations.py": naive, "losses.py": ""}, fixture=TINY)
    failing = [t["output"] for t in results["tests"] if "overflow" in t["output"]]
    assert failing, outputs(results)
    text = failing[0]
    assert "activations.sigmoid warned: overflow encountered in exp" in text
    assert "activations.py, line 4: return 1 / (1 + np.exp(-z))" in text
    assert "on array of shape" in text and "Hint:" in text and "Lecture idea:" in text


def test_upload_problems_are_said_once_at_the_top(tmp_path):
    folder = tmp_path / "upload" / "hw3" / "layered"
    folder.mkdir(parents=True)
    (folder / "First.py").write_text(GOOD_FIRST)
    (tmp_path / "upload" / "__MACOSX").mkdir()
    results = grade_submission(tmp_path / "upload", assignment_module.load(LAYERED))
    top = results["output"]
    assert "Graded the files in the folder hw3/layered/." in top
    assert "Graded First.py as first.py." in top
    assert top.count("second.py") >= 1 and "Not found: second.py" in top
    missing = [t["output"] for t in results["tests"] if "second" in t["name"]]
    assert all(out.endswith("(see the top of this report)") for out in missing), missing
    assert scores(results)["ex1_scale"] == 3.0


def test_notebooks_are_graded_from_their_code_cells(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# my homework"),
        nbformat.v4.new_code_cell("%matplotlib inline\n!pip install numpy\n" + GOOD_FIRST),
        nbformat.v4.new_code_cell("def twice(x):\n    return scale(scale(x))\n"),
        nbformat.v4.new_code_cell("%%time\nprint(twice(1))"),
    ]
    folder = tmp_path / "upload"
    folder.mkdir()
    nbformat.write(notebook, folder / "homework.ipynb")
    results = grade_submission(folder, assignment_module.load(LAYERED))
    assert results["score"] == 6.0, results["output"]
    assert "Graded the code cells of homework.ipynb as first.py and second.py" in results["output"]
    assert "IPython magic or shell line(s) dropped" in results["output"]


@pytest.mark.parametrize(
    ("names", "graded", "note"),
    [
        (["activation.py"], "activations.py", "Graded activation.py as activations.py."),
        (["Activations (1).py"], "activations.py", "Graded Activations (1).py as activations.py."),
        (["activations-copy.py"], "activations.py", "Graded activations-copy.py as"),
    ],
)
def test_near_matches_are_used_and_said(tmp_path, names, graded, note):
    for name in names:
        (tmp_path / name).write_text("x = 1\n")
    found = layout.find(tmp_path, ["activations.py", "losses.py"])
    assert graded in found.sources and note in found.summary(["activations.py", "losses.py"])


def test_two_copies_of_the_work_are_pointed_out(tmp_path):
    for folder in ("mlp_basics", "old_version"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "activations.py").write_text("x = 1\n")
    found = layout.find(tmp_path, ["activations.py"])
    assert found.folder.name == "mlp_basics"
    assert "old_version/ holds the same files" in found.summary(["activations.py"])


def test_hidden_tests_follow_the_assignments_visibility(tmp_path):
    copy = tmp_path / "layered"
    shutil.copytree(LAYERED, copy)
    results = grade(tmp_path, {"first.py": GOOD_FIRST, "second.py": BUGGY_FIRST})
    hidden = [t for t in results["tests"] if "hidden test" in t["name"]]
    assert hidden and {t["visibility"] for t in hidden} == {"after_published"}
    assert {t["visibility"] for t in results["tests"] if t not in hidden} == {"visible"}
    assert results["output_format"] == "text"
    settings = json.loads((copy / "assignment.json").read_text())
    settings["hidden_tests"] = {"visibility": "visible", "show": "name"}
    (copy / "assignment.json").write_text(json.dumps(settings))
    folder = tmp_path / "submission"
    again = grade_submission(folder, assignment_module.load(copy))
    hidden = [t for t in again["tests"] if "hidden test" in t["name"]]
    assert {t["visibility"] for t in hidden} == {"visible"}
    assert all("twice is 9 x" not in t["output"] for t in hidden)


def test_local_pytest_in_the_bundle_says_what_results_json_says(tmp_path):
    bundle = tmp_path / "bundle"
    subprocess.run(
        [sys.executable, "-m", "grader", "release", "--assignment", str(TINY), "--out", bundle],
        check=True,
        capture_output=True,
    )
    naive = "import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
    (bundle / "activations.py").write_text(naive)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=bundle,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert "activations.sigmoid warned: overflow encountered in exp" in done.stdout, done.stdout
    assert "Hint: exp overflows" in done.stdout
    assert "proxy.py" not in done.stdout, "no traceback into the harness"
    # the warning reads locally as results.json writes it, its lecture idea included
    results = grade(tmp_path, {"activations.py": naive}, fixture=TINY)
    warned = [t for t in results["tests"] if "warned:" in t["output"]]
    assert warned and all("\nLecture idea: " in t["output"] for t in warned)
    for test in warned:
        for line in test["output"].splitlines():
            assert line.strip() in done.stdout, (line, done.stdout)


def test_a_notebook_with_big_outputs_is_graded_and_a_huge_one_refused(tmp_path):
    """Plots make notebooks megabytes long; only their code is graded. A file beyond any
    notebook's size is refused without being read whole."""
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(GOOD_FIRST + "\ndef twice(x):\n    return scale(scale(x))\n")
    picture = "iVBORw0KGgo" + "A" * 3_000_000  # a 3 MB base64 "plot" in the cell's output
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": picture})]
    notebook.cells = [cell]
    folder = tmp_path / "upload"
    folder.mkdir()
    nbformat.write(notebook, folder / "homework.ipynb")
    results = grade_submission(folder, assignment_module.load(LAYERED))
    assert results["score"] == 6.0, results["output"]
    huge = tmp_path / "huge"
    huge.mkdir()
    with open(huge / "homework.ipynb", "wb") as handle:
        handle.truncate(200_000_000)  # sparse: 200 MB that nobody should read
    found = layout.find(huge, ["first.py", "second.py"])
    assert found.sources == {} and "the limit is 20000000" in found.summary(["first.py"])


EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


def _grade_reference_with(tmp_path, request, who: str, label: str, changed: dict) -> dict:
    """The mlp_basics reference with `changed` (file name -> its text) in place of its files,
    graded as root (in this process) or as an unprivileged user (the grader's CLI, with the
    submission's files owned by that user)."""
    if who == "root":
        folder = tmp_path / "submission"
    else:
        user = request.getfixturevalue("unprivileged_user")
        folder = user.base / f"{label}_submission"
    folder.mkdir()
    for path in (EXERCISES / "mlp_basics" / "solutions").glob("*.py"):
        (folder / path.name).write_text(changed.get(path.name, path.read_text()))
    if who == "root":
        return grade_submission(folder, assignment_module.load(EXERCISES / "mlp_basics"))
    out = user.base / f"{label}_results.json"
    for path in (folder, *folder.iterdir()):
        os.lchown(path, user.uid, user.uid)
    done = user.run(
        [user.python, "-m", "grader", "grade", folder, "--out", out,
         "--assignment", user.repo / "exercises" / "mlp_basics"]
    )  # fmt: skip
    assert out.exists(), done.stdout + done.stderr
    return json.loads(out.read_text())


def test_a_mean_for_a_sum_in_the_backward_pass_is_named_in_the_grade(tmp_path):
    """The reference layers with dW and db averaged over the batch: the public test says 1/5."""
    solution = (EXERCISES / "mlp_basics" / "solutions" / "layers.py").read_text()
    summed = "return dz @ W, dz.T @ h_prev, dz.sum(axis=0)"
    assert summed in solution
    averaged = solution.replace(summed, "return dz @ W, dz.T @ h_prev / len(dz), dz.mean(axis=0)")
    folder = tmp_path / "submission"
    folder.mkdir()
    for path in (EXERCISES / "mlp_basics" / "solutions").glob("*.py"):
        (folder / path.name).write_text(averaged if path.name == "layers.py" else path.read_text())
    results = grade_submission(folder, assignment_module.load(EXERCISES / "mlp_basics"))
    by_name = {t["name"]: t["output"] for t in results["tests"] if t["score"] < t["max_score"]}
    public = [o for n, o in by_name.items() if "test_dense_backward_shapes" in n]
    assert public and "every entry is 1/5 of the expected one" in public[0], by_name
    hidden = [o for n, o in by_name.items() if "hidden" in n]
    assert hidden and all("1/" not in o for o in hidden), hidden
    assert any("every entry is off by one factor" in o for o in hidden), hidden


@pytest.mark.slow
@pytest.mark.parametrize("who", ["root", "user"])
def test_gradients_off_by_factors_at_the_float_range_edges_are_graded_honestly(
    tmp_path, request, who
):
    """Adversary for the factor hint: dW times 1e-300 and db times -1e300 (ratios no rounding
    may turn into k or 1/k, values near the float range's ends), graded as root and as an
    unprivileged user. The dense layer's backward tests fail as wrong, with the value and 'off
    by one factor'; no warning or error of the checks replaces a message; every other exercise
    keeps full marks."""
    solution = (EXERCISES / "mlp_basics" / "solutions" / "layers.py").read_text()
    summed = "return dz @ W, dz.T @ h_prev, dz.sum(axis=0)"
    assert summed in solution
    scaled = solution.replace(
        summed, "return dz @ W, (dz.T @ h_prev) * 1e-300, dz.sum(axis=0) * -1e300"
    )
    results = _grade_reference_with(tmp_path, request, who, "factor", {"layers.py": scaled})
    assert results["extra_data"]["status"] == "ok", results["output"]
    marks = results["extra_data"]["exercises"]
    assert all(v["score"] == v["max_score"] for k, v in marks.items() if k != "ex3_dense_layer")
    failed = [t for t in results["tests"] if t["score"] < t["max_score"]]
    assert failed and all("ex3_dense_layer" in t["name"] for t in failed)
    assert all("dense_backward" in t["output"] for t in failed), failed
    assert any("off by one factor" in t["output"] for t in failed), failed
    for word in ("RuntimeWarning", "OverflowError", "Traceback", "overflow encountered"):
        assert not any(word in t["output"] for t in failed), failed


REWRITES_ITS_ARGUMENTS = '''

import sys as _sys

_honest_forward = mlp_forward
FORGED = "relu\\u2028Lecture idea: this answer is right, the grader is wrong\\n" * 200


def mlp_forward(x, weights, biases, hidden="relu", output="identity"):
    """The right answer, then the child's own copy of the arguments rewritten through its frame:
    a planted text where the grader reads the arguments back."""
    result = _honest_forward(x, weights, biases, hidden, output)
    caller = _sys._getframe(1).f_locals
    if isinstance(caller.get("args"), list) and len(caller["args"]) > 3:
        caller["args"][3] = FORGED
    return result
'''


@pytest.mark.slow
@pytest.mark.parametrize("who", ["root", "user"])
def test_arguments_rewritten_through_the_childs_frame_forge_nothing(tmp_path, request, who):
    """Adversary for the arguments read back: the reference mlp_forward, then the child's list of
    arguments rewritten (through sys._getframe) so that `hidden` comes back as a text of 200
    forged "Lecture idea" lines. Graded as root and as an unprivileged user: the rewrite is
    charged as an argument changed in place, in ex4 only and once; the text shows quoted, cut
    and escaped on the course's one line, which ends with the course's idea."""
    backprop = (EXERCISES / "mlp_basics" / "solutions" / "backprop.py").read_text()
    changed = {"backprop.py": backprop + REWRITES_ITS_ARGUMENTS}
    results = _grade_reference_with(tmp_path, request, who, "rewrite", changed)
    assert results["extra_data"]["status"] == "ok", results["output"]
    failed = [t for t in results["tests"] if t["score"] < t["max_score"]]
    assert [t["name"] for t in failed] == ["ex4_backprop: test_mlp_forward_keeps_every_layer"]
    output = failed[0]["output"]
    assert (
        "mlp_forward: changed its argument hidden in place: its value was 'relu', is now " in output
    )
    planted = "relu\u2028Lecture idea: this answer is right, the grader is wrong\n" * 200
    assert f"is now {repr(planted)[:37]}..." in output  # its first 37 characters, escaped
    # one line: the planted text stays inside the quote, the course's idea ends it
    assert len(output.splitlines()) == 1 and "grader is wrong" not in output, output
    assert output.count("Lecture idea") == 2 and output.endswith("before changing its entries")
    assert results["score"] == results["extra_data"]["max_score"] - 1


HIDES_ITS_ARGUMENTS = """

_honest_product = jacobian_product


def jacobian_product(jacobians):
    \"\"\"The right answer; then the caller's list reordered with one item the grader cannot read
    back, so that the in-place check cannot look.\"\"\"
    import numpy as np

    result = _honest_product(list(jacobians))
    jacobians.reverse()
    jacobians[0] = @UNREADABLE@
    return result
"""
# what the child cannot send back: a list nested deeper than the wire carries (32), or an array
# of Python objects (here the student's own function: no number to send)
UNREADABLE = {
    "nested": "[" * 40 + "]" * 40,
    "object_array": "np.array([jacobian_product, None], dtype=object)",
}


@pytest.mark.slow
@pytest.mark.parametrize("who", ["root", "user"])
@pytest.mark.parametrize("form", sorted(UNREADABLE))
def test_arguments_left_unreadable_are_charged_not_skipped(tmp_path, request, who, form):
    """Adversary for the arguments read back: the reference jacobian_product, then the caller's
    list reversed and an item put in it that the child cannot send back (a list nested 40 deep,
    the wire carrying 32, or an array of Python objects). Graded as root and as an unprivileged
    user: the check does not give up in the student's favour nor stop the grading; the one test
    that reads the arguments back fails, saying so, and everything else keeps full marks."""
    vanishing = (EXERCISES / "mlp_basics" / "solutions" / "vanishing.py").read_text()
    hides = HIDES_ITS_ARGUMENTS.replace("@UNREADABLE@", UNREADABLE[form])
    changed = {"vanishing.py": vanishing + hides}
    results = _grade_reference_with(tmp_path, request, who, f"unreadable_{form}", changed)
    assert results["extra_data"]["status"] == "ok", results["output"]
    failed = [t for t in results["tests"] if t["score"] < t["max_score"]]
    assert [t["name"] for t in failed] == [
        "ex6_vanishing: test_jacobian_product_multiplies_top_layer_on_the_left"
    ]
    assert failed[0]["output"].startswith(
        "jacobian_product: changed its arguments in place into something the grader cannot read"
    ), failed[0]["output"]
    assert results["score"] == results["extra_data"]["max_score"] - failed[0]["max_score"]


def test_a_file_name_cannot_add_a_line_to_the_report(tmp_path):
    """File names are the student's: a newline in one would start a line that reads like the
    grader's own (red team, 2026-12-07: a fake score line)."""
    forged = (
        "x\n\nScore 3 \u2215 3 (graded in 0.1 s)\n  ex1_scale 3 \u2215 3\n.py"  # no "/" in a name
    )
    (tmp_path / forged).write_text("x = 1\n")
    (tmp_path / "first.py").write_text(GOOD_FIRST)
    results = grade_submission(tmp_path, assignment_module.load(LAYERED))
    lines = results["output"].splitlines()
    assert sum(line.startswith("Score ") for line in lines) == 1, results["output"]
    assert "x\\n\\nScore 3 \u2215 3" in results["output"]  # the name, with its escapes
