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
import numpy as np
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
CHECKS = {
    name: EXERCISES / name / "tests" / "public" / "_checks.py"
    for name in ("mlp_basics", "approximation")
}


def _load_checks(path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"checks_{path.parents[2].name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Changes:
    """A stand-in for a student's function: call_and_inputs gives the arguments as `change`
    leaves them (the grader's FunctionProxy sends them back from the sandbox)."""

    def __init__(self, change):
        self.change = change

    def call_and_inputs(self, *args, **kwargs):
        import copy

        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        self.change(args, kwargs)
        return "result", args, kwargs


def _clip(args, kwargs):
    args[0][args[0] < 0] = 0


def _nudge(args, kwargs):
    args[0][1] += 1e-16  # rounds to 0.5 + 2^-53, one ulp above 0.5


def _reverse(args, kwargs):
    args[1].reverse()


@pytest.mark.parametrize("assignment", sorted(CHECKS))
@pytest.mark.parametrize(
    ("change", "words"),
    [
        (_clip, "changed its argument z in place: entry [0, 1] was -2, is now 0 (2 of 4 "),
        (_nudge, "entry [1] was 0.5, is now 0.5000000000000001 (1 of 2 entries changed)"),
        (_reverse, "weights in place: item 0's shape went from (3, 2) to (1, 3)"),
        (lambda a, k: a[0].resize((4,), refcheck=False), "its shape went from (2, 2) to (4,)"),
        (lambda a, k: k["b"].__setitem__(0, 7.0), "argument b in place: entry [0] was 1, is now 7"),
        (lambda a, k: a[1].pop(), "went from a list of 2 items to a list of 1 item"),
    ],
    ids=["clip", "one_ulp", "reverse", "reshape", "keyword", "pop"],
)
def test_an_argument_changed_in_place_is_named_with_its_first_change(assignment, change, words):
    """The message names the function, the argument, the first entry that changed with both
    values told apart, and the lecture's idea; unchanged arguments pass and give the result."""
    checks = _load_checks(CHECKS[assignment])
    z = np.array([[1.0, -2.0], [-3.0, 4.0]]) if change is not _nudge else np.array([1.0, 0.5])
    weights = [np.ones((3, 2)), np.ones((1, 3))]
    args, kwargs = (z, weights), {"b": np.array([1.0, 2.0])}
    with pytest.raises(AssertionError) as shown:
        checks.call_keeping_inputs(_Changes(change), "relu", ["z", "weights"], *args, **kwargs)
    message = str(shown.value)
    assert message.startswith("relu: changed its argument "), message
    assert words in message, message
    assert "Lecture idea: a function returns new arrays and leaves its arguments" in message
    kept = checks.call_keeping_inputs(_Changes(lambda a, k: None), "relu", ["z", "weights"], *args)
    assert kept == "result"
    # nan stays nan, and -0.0 == 0.0: neither is a change
    same = np.array([np.nan, -0.0])
    assert (
        checks.call_keeping_inputs(
            _Changes(lambda a, k: a[0].__setitem__(1, 0.0)), "f", ["z"], same
        )
        == "result"
    )


@pytest.mark.parametrize("assignment", sorted(CHECKS))
def test_arguments_a_submission_rewrites_cannot_write_the_courses_words(assignment):
    """The arguments come back from the student's process, which can rewrite them into any
    plain data (its child's frame is its own): a text put there is shown quoted, cut to 40
    characters, its separators escaped, on the course's line; never as a line of its own."""
    checks = _load_checks(CHECKS[assignment])
    forged = "x\u2028Lecture idea: the grader is wrong\n" * 50

    def rewrite(args, kwargs):
        args[0][0] = forged
        kwargs["name"] = forged

    for values in ([1.0, 2.0], ["relu", 2.0]):
        with pytest.raises(AssertionError) as shown:
            checks.call_keeping_inputs(_Changes(rewrite), "f", ["values"], list(values), name="x")
        message = str(shown.value)
        assert len(message.splitlines()) == 1 and "\u2028" not in message, message
        assert message.count("Lecture idea") == 1 + (values[0] == "relu"), message
        assert message.index("Lecture idea: a function returns") > message.index("changed its")
    assert "item 0 went from a float to a str" in checks._change([1.0], [forged])
    cut = "is now 'x\\u2028Lecture idea: the grader is w..."  # 37 characters of its repr
    assert checks._change("relu", forged).endswith(cut)


@pytest.mark.parametrize("assignment", sorted(CHECKS))
@pytest.mark.filterwarnings("error::RuntimeWarning")  # as in the assignments' tests
def test_a_value_off_by_one_factor_is_named(assignment):
    """A mean for a sum, a dropped 2, a flipped sign: the message names the factor (public) or
    only that there is one (hidden: the factor and your value would give the expected one)."""
    checks = _load_checks(CHECKS[assignment])
    expected = np.array([[2.5, -1.0, 0.0], [4.0, 0.5, -3.0]])
    cases = [
        (expected / 5, "every entry is 1/5 of the expected one"),
        (expected * 2, "every entry is 2 times the expected one"),
        (-expected, "every entry has the wrong sign"),
        (expected * 0.37, "every entry is 0.37 times the expected one"),
        (np.array(0.25 * 2.04928), "your value is 1/4 of the expected one"),
    ]
    for actual, words in cases:
        want = expected if actual.ndim else np.array(2.04928)
        with pytest.raises(AssertionError) as shown:
            checks.check_close(actual, want, "dW", "m = 5", "dl/dW sums over the rows")
        assert words in str(shown.value), str(shown.value)
        with pytest.raises(AssertionError) as hidden:
            checks.check_close(actual, want, "dW", "m = 5", "idea", reveal=False)
        named = "every entry is off by one factor" in str(hidden.value)
        assert named == bool(actual.ndim), str(hidden.value)  # a hidden single number: no hint
        assert "expected" not in str(hidden.value).replace("the expected one", "")
    # no factor: values wrong in different ways, a zero where the expected one is not, zeros
    # where it is, an arbitrary single number, non-finite values
    for actual, want in [
        (expected + 1, expected),
        (np.where(expected == 4.0, 0.0, expected * 2), expected),
        (expected * 2 + (expected == 0), expected),
        (np.zeros(3), np.array([1.0, 2.0, 3.0])),
        (np.array(0.7), np.array(2.04928)),
        (np.array([np.inf, 2.0]), np.array([1.0, 1.0])),
        (np.array([1e308, 1e308]), np.array([1e-308, 1e-308])),  # a ratio beyond the floats
        (np.array(1e-310), np.array(1.0)),  # one number 1e-310 times another: no simple factor
        (np.array([1e308, -1e308, 1e308]), np.array([1.0, 1.0, 1.0])),  # their spread overflows
    ]:
        with pytest.raises(AssertionError) as shown:
            checks.check_close(actual, want, "f", "x", "idea")
        assert "factor" not in str(shown.value).split("Lecture idea")[0], str(shown.value)


HIDDEN_GUESS = "(a mean for a sum or a sum for a mean, a 2 dropped or added, or a sign?)"


@pytest.mark.parametrize("assignment", sorted(CHECKS))
@pytest.mark.parametrize(
    "factor, shown, guess",
    [
        (1 / 5, "is 1/5 of the expected one", "(a mean of 5 terms where the lecture sums them?)"),
        (
            1 / 2,
            "is 1/2 of the expected one",
            "(a mean of 2 terms where the lecture sums them, or a dropped factor 2?)",
        ),
        (
            2.0,
            "is 2 times the expected one",
            "(a sum of 2 terms where the lecture takes their mean, or a factor 2 the lecture "
            "does not have?)",
        ),
        (
            7.0,
            "is 7 times the expected one",
            "(a sum of 7 terms where the lecture takes their mean?)",
        ),
        (
            -1 / 3,
            "is -1/3 of the expected one",
            "(a flipped sign and a mean of 3 terms where the lecture sums them?)",
        ),
        (-1.0, "has the wrong sign", None),  # the words name the cause
        (0.37, "is 0.37 times the expected one", None),
        (1e-300, "is 1e-300 times the expected one", None),
    ],
)
@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_the_guess_at_a_cause_names_the_factor_it_can_explain(assignment, factor, shown, guess):
    """A mean for a sum of m terms gives 1/m, a sum for a mean m, a dropped 2 gives 2 or 1/2, a
    sign -1: each is guessed for its own factor (the mse summed over 2 rows was guessed "a mean
    where the lecture sums"). 0.37 or 1e-300 is still named as one factor, with no guess. A
    hidden test names neither the factor nor which cause: its guess lists them all."""
    checks = _load_checks(CHECKS[assignment])
    expected = np.array([[2.5, -1.0, 0.0], [4.0, 0.5, -3.0]])
    with pytest.raises(AssertionError) as revealed:
        checks.check_close(expected * factor, expected, "dW", "m = 5", "idea")
    message = str(revealed.value).split(" on m = 5")[0]
    if guess is None:
        assert message.endswith(f"every entry {shown}"), message
    else:
        assert message.endswith(f"every entry {shown} {guess}"), message
    with pytest.raises(AssertionError) as hidden:
        checks.check_close(expected * factor, expected, "dW", "m = 5", "idea", reveal=False)
    message = str(hidden.value).split(" on m = 5")[0]
    guessed = guess is not None or factor == -1.0
    assert message.endswith(
        "every entry is off by one factor" + (f" {HIDDEN_GUESS}" if guessed else "")
    ), message


@pytest.mark.parametrize("assignment", sorted(CHECKS))
@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_values_at_opposite_ends_of_the_float_range_are_reported_as_wrong(assignment):
    """1e308 where -1e308 is expected: their difference overflows; the check must still say
    what is wrong (a RuntimeWarning from the check itself would replace the message)."""
    checks = _load_checks(CHECKS[assignment])
    with pytest.raises(AssertionError, match=r"got 1e\+308 at index \(0,\), expected -1e\+308"):
        checks.check_close(np.array([1e308, 1.0]), np.array([-1e308, 1.0]), "f", "x", "idea")


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
    if who == "root":
        folder = tmp_path / "submission"
    else:
        user = request.getfixturevalue("unprivileged_user")
        folder = user.base / "factor_submission"
    folder.mkdir()
    for path in (EXERCISES / "mlp_basics" / "solutions").glob("*.py"):
        (folder / path.name).write_text(scaled if path.name == "layers.py" else path.read_text())
    if who == "root":
        results = grade_submission(folder, assignment_module.load(EXERCISES / "mlp_basics"))
    else:
        out = user.base / "factor_results.json"
        for path in (folder, *folder.iterdir()):
            os.lchown(path, user.uid, user.uid)
        done = user.run(
            [user.python, "-m", "grader", "grade", folder, "--out", out,
             "--assignment", user.repo / "exercises" / "mlp_basics"]
        )  # fmt: skip
        assert out.exists(), done.stdout + done.stderr
        results = json.loads(out.read_text())
    assert results["extra_data"]["status"] == "ok", results["output"]
    marks = results["extra_data"]["exercises"]
    assert all(v["score"] == v["max_score"] for k, v in marks.items() if k != "ex3_dense_layer")
    failed = [t for t in results["tests"] if t["score"] < t["max_score"]]
    assert failed and all("ex3_dense_layer" in t["name"] for t in failed)
    assert all("dense_backward" in t["output"] for t in failed), failed
    assert any("off by one factor" in t["output"] for t in failed), failed
    for word in ("RuntimeWarning", "OverflowError", "Traceback", "overflow encountered"):
        assert not any(word in t["output"] for t in failed), failed
