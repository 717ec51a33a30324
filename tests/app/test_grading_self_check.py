"""Grading page, the student's self-check tab: the page at its defaults and extremes, a new
function starts with an empty uploader, and the page never imports the student's code."""

from pathlib import Path

import numpy as np
import pytest

# sandbox_ready is autouse: every test here is skipped (failed in CI) where the sandbox cannot run
from grading_helpers import (
    PAGE,
    open_grading,
    sandbox_ready,  # noqa: F401
)

from viz import grading_harness as harness


def test_page_defaults(open_page, assert_page_ok, plotly_specs, decode):
    at = open_page(PAGE)
    assert_page_ok(at)
    spec = plotly_specs(at)[0]
    x, y = decode(spec["data"][0]["x"]), decode(spec["data"][0]["y"])
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-x)), rtol=1e-12)


@pytest.mark.parametrize(
    "query",
    [
        {"gd_range": 1, "gd_points": 11},
        {"gd_range": 10000, "gd_points": 1001},
        {"gd_function": "output_units.py: softmax", "gd_alpha": 0.001},
        {"gd_function": "output_units.py: log_softmax", "gd_alpha": 1000.0, "gd_range": 10000},
        {"gd_function": "output_units.py: softmax_reduced"},
        {"gd_function": "activations.py: softplus_grad", "gd_range": 10000},
    ],
)
def test_student_tab_extremes(open_page, assert_page_ok, query):
    assert_page_ok(open_page(PAGE, query))


def test_switching_the_function_starts_with_an_empty_uploader():
    at = open_grading()
    first = at.file_uploader[0]
    first.set_value(("activations.py", b"def sigmoid(z):\n    return z\n", "text/x-python"))
    at.run()
    at.selectbox(key="gd_function").set_value("output_units.py: softmax").run()
    assert not at.exception
    uploader = at.file_uploader[0]
    assert uploader.label == "Your output_units.py" and not uploader.value


def test_page_does_not_import_student_code():
    text = Path(harness.APP_DIR / PAGE).read_text()
    assert "importlib" not in text and "exec(" not in text


IN_PLACE_RELU = b"import numpy as np\n\ndef relu(z):\n    z[z < 0] = 0\n    return z\n"


def test_an_argument_changed_in_place_is_named_as_the_grader_charges_it():
    """The self-check reads the arguments back, as the graded tests do: an in-place relu plots
    right but is told which argument changed and where (x = -5, ..., 5: five negatives)."""
    x = np.linspace(-5, 5, 11)
    evaluation = harness.evaluate_student_function(
        IN_PLACE_RELU, "activations.py", "relu", (x,), names=("z",)
    )
    assert evaluation.ok and np.array_equal(evaluation.values, np.maximum(x, 0))
    assert evaluation.changed == [("z", "entry [0] was -5.0, is now 0.0 (5 of 11 entries changed)")]
    kept = b"import numpy as np\n\ndef relu(z):\n    return np.maximum(z, 0)\n"
    assert harness.evaluate_student_function(kept, "activations.py", "relu", (x,)).changed == []
    scaling = b"import numpy as np\n\ndef softmax(z, alpha=1.0):\n    z *= alpha\n"
    scaling += b"    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
    scaling += b"    return e / e.sum(axis=-1, keepdims=True)\n"
    z = np.array([[1.0, 0.0, 1.0]])
    evaluation = harness.evaluate_student_function(
        scaling, "output_units.py", "softmax", (z, 2.0), names=("z", "alpha")
    )
    assert evaluation.changed == [
        ("z", "entry [0, 0] was 1.0, is now 2.0 (2 of 3 entries changed)")
    ]


REWRITES_ALPHA = b"""import sys
import numpy as np


def softmax(z, alpha=1.0):
    sys._getframe(1).f_locals["args"][1] = np.ones(3)  # the child's copy of alpha, now an array
    e = np.exp(alpha * z - (alpha * z).max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""


def test_a_number_sent_back_as_an_array_is_named_not_a_crash():
    """Adversary: the upload rewrites the child's copy of alpha (a number) into an array through
    its caller's frame. Comparing that array with 2.0 raised "truth value of an array is
    ambiguous" in the app; it is told as a change of type, and the values still plot."""
    z = np.array([[1.0, 0.0, 1.0]])
    evaluation = harness.evaluate_student_function(
        REWRITES_ALPHA, "output_units.py", "softmax", (z, 2.0), names=("z", "alpha")
    )
    assert evaluation.ok, evaluation.message
    e = np.exp(2.0 * z - 2.0)
    assert np.allclose(evaluation.values, e / e.sum())
    assert evaluation.changed == [("alpha", "was 2.0, is now of type ndarray")]


def test_arguments_left_unreadable_are_named_as_the_grader_charges_them():
    """Adversary: the upload turns the child's copy of z into an object no protocol can send
    back. The graded tests charge it (grader.proxy); the self-check says so, not nothing."""
    unreadable = REWRITES_ALPHA.replace(b'["args"][1] = np.ones(3)', b'["args"][0] = object()')
    z = np.array([[1.0, 0.0, 1.0]])
    evaluation = harness.evaluate_student_function(
        unreadable, "output_units.py", "softmax", (z, 2.0), names=("z", "alpha")
    )
    assert evaluation.ok, evaluation.message
    [(name, change)] = evaluation.changed
    assert name == "z or alpha" and change.startswith("into something the grader cannot read back")


def test_the_page_warns_about_an_argument_changed_in_place():
    at = open_grading({"gd_function": "activations.py: relu"})
    at.file_uploader[0].set_value(("activations.py", IN_PLACE_RELU, "text/x-python"))
    at.run()
    assert not at.exception and not at.error
    [warning] = [w.value for w in at.warning if "in place" in w.value]
    assert warning.startswith("Your relu changed its argument z in place (entry [0] was ")
    assert "The graded tests charge this" in warning
    assert "Inputs where yours differs" in [m.label for m in at.metric]


APPROXIMATION = harness.APP_DIR / "exercises" / "approximation"


@pytest.mark.parametrize("name", ["softmax_reduced", "log_softmax_reduced", "reduce_scores"])
def test_the_approximation_assignments_functions_can_be_checked(name):
    """Exercise 4 of the approximation assignment: the reference solution matches on the
    page's inputs; the scores without their shift overflow at x = 1000 and are told apart."""
    from viz import grading_compare as compare

    comparable = compare.COMPARABLES[f"softmax_reduced.py: {name}"]
    x = np.linspace(-1000, 1000, 41)
    source = (APPROXIMATION / "solutions" / "softmax_reduced.py").read_bytes()
    args = comparable.make_args(x, 1.0)
    evaluation = harness.evaluate_student_function(
        source, comparable.filename, name, args, names=comparable.arguments
    )
    assert evaluation.ok and evaluation.changed == []
    assert compare.compare(evaluation.values, comparable.reference(x, 1.0)).count == 0
    if name != "reduce_scores":
        naive = b"import numpy as np\n\ndef softmax_reduced(z):\n"
        naive += b"    e = np.exp(np.pad(z, ((0, 0), (0, 1))))\n"
        naive += b"    return e / e.sum(axis=1, keepdims=True)\n"
        naive += b"\ndef log_softmax_reduced(z):\n    return np.log(softmax_reduced(z))\n"
        evaluation = harness.evaluate_student_function(naive, comparable.filename, name, args)
        assert evaluation.ok
        assert compare.compare(evaluation.values, comparable.reference(x, 1.0)).count > 0


def test_the_functions_offered_are_the_chosen_assignments():
    at = open_grading({"gd_assignment": "approximation"})
    assert not at.exception
    assert at.selectbox(key="gd_function").options == [
        "softmax_reduced.py: softmax_reduced",
        "softmax_reduced.py: log_softmax_reduced",
        "softmax_reduced.py: reduce_scores",
    ]
    assert at.file_uploader[0].label == "Your softmax_reduced.py"
    options = open_grading().selectbox(key="gd_function").options
    assert len(options) == 11 and all(
        o.startswith(("activations.py", "output_units.py")) for o in options
    )


def test_a_failure_reads_as_the_graded_tests_word_it_and_as_written():
    """The student's own message is text, not Markdown (red team, 2026-12-07: a message drew
    bold text, a link and a remote image), and a failure names its exception and line, as the
    graded tests do, instead of "could not be evaluated: exception"."""
    at = open_grading()
    source = (
        b"def sigmoid(z):\n    raise ValueError('**bold** [a link](http://example.org) a_b*c')\n"
    )
    at.file_uploader[0].set_value(("activations.py", source, "text/x-python"))
    at.run()
    assert not at.exception
    (error,) = at.error
    message, fenced = error.value.split("\n\n", 1)
    assert message == "Your sigmoid could not be evaluated:"
    assert fenced.startswith("```text\n") and fenced.endswith("\n```")  # shown as written
    assert "activations.sigmoid raised ValueError: **bold** [a link](http://example.org)" in fenced
    assert "activations.py, line 2, in sigmoid" in fenced
    at.file_uploader[0].set_value(
        ("activations.py", b"def sigmoid(z):\n    assert z is None\n", "text/x-python")
    )
    at.run()
    assert "raised AssertionError" in at.error[0].value
