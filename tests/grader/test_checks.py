"""The assignments' feedback checks (`exercises/*/tests/public/_checks.py`): the copies agree,
and their messages name what is wrong (a value off by one factor, an argument changed in place)
without giving hidden expected values away.

Each assignment ships its own copy of the checks (a student downloads one assignment's folder),
so the copies must not drift apart: the same code under each assignment's own module docstring.
"""

import ast
from pathlib import Path

import numpy as np
import pytest

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


EXERCISES = ROOT / "exercises"
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

        args, kwargs = list(copy.deepcopy(args)), copy.deepcopy(kwargs)
        self.change(args, kwargs)
        return "result", tuple(args), kwargs


def _clip(args, kwargs):
    args[0][args[0] < 0] = 0


def _nudge(args, kwargs):
    args[0][1] += 1e-16  # rounds to 0.5 + 2^-53, one ulp above 0.5


def _reverse(args, kwargs):
    args[1].reverse()


def _reverse_and_scale(args, kwargs):  # not the same items in another order: told item by item
    args[1].reverse()
    args[1][1] *= 2


@pytest.mark.parametrize("assignment", sorted(CHECKS))
@pytest.mark.parametrize(
    ("change", "words"),
    [
        (_clip, "changed its argument z in place: entry [0, 1] was -2, is now 0 (2 of 4 "),
        (_nudge, "entry [1] was 0.5, is now 0.5000000000000001 (1 of 2 entries changed)"),
        (_reverse, "weights in place: its items were reordered: item 0 is now what was item 1"),
        (_reverse_and_scale, "weights in place: item 0's shape went from (3, 2) to (1, 3)"),
        (lambda a, k: a[0].resize((4,), refcheck=False), "its shape went from (2, 2) to (4,)"),
        (lambda a, k: k["b"].__setitem__(0, 7.0), "argument b in place: entry [0] was 1, is now 7"),
        (lambda a, k: a[1].pop(), "went from a list of 2 items to a list of 1 item"),
    ],
    ids=["clip", "one_ulp", "reverse", "reverse_and_scale", "reshape", "keyword", "pop"],
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

    # the same number in another numeric type (np.float64(2) as 2.0) is no change
    def as_plain(args, kwargs):
        kwargs["alpha"] = float(kwargs["alpha"])
        args[1] = int(args[1])

    plain = _Changes(as_plain)
    assert checks.call_keeping_inputs(plain, "f", ["z", "n"], z, np.int64(3), alpha=np.float64(2))
    with pytest.raises(AssertionError, match="argument alpha in place: its value was 2, is now 3"):
        checks.call_keeping_inputs(
            _Changes(lambda a, k: k.__setitem__("alpha", 3.0)), "f", ["z"], z, alpha=np.float64(2)
        )


@pytest.mark.parametrize("assignment", sorted(CHECKS))
def test_a_list_of_arrays_is_named_as_a_list(assignment):
    """The weights a network takes, or the Jacobians of its layers, are a list of arrays: the
    message names them so, with their shapes, and not as the one array they would stack into
    (two 2x2 matrices read as "a float64 array of shape (2, 2, 2)") or as "a list"."""
    checks = _load_checks(CHECKS[assignment])
    weights = [np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[4.0, 0.0]])]
    assert checks.describe(weights) == (
        "a list of 2 arrays of shapes (2, 2), (1, 2) with values in [-2, 4]"
    )
    assert checks.describe((np.eye(2), np.eye(2))) == (
        "a tuple of 2 arrays of shapes (2, 2), (2, 2) with values in [0, 1]"
    )
    assert checks.describe([np.zeros(3)]) == "a list of 1 array of shape (3,) with values in [0, 0]"
    with pytest.raises(AssertionError) as shown:
        checks.call_keeping_inputs(_Changes(_reverse), "f", ["z", "weights"], np.ones(2), weights)
    assert "on weights = a list of 2 arrays of shapes (2, 2), (1, 2)" in str(shown.value)


@pytest.mark.parametrize("assignment", sorted(CHECKS))
def test_a_list_reordered_in_place_is_named_so(assignment):
    """Items of one shape swapped, a middle pair swapped, equal items moved: "reordered", with
    the first item that moved; a list whose items only stay where they were is no change."""
    checks = _load_checks(CHECKS[assignment])
    A, B, C = np.eye(2), 2 * np.eye(2), 3 * np.eye(2)

    def message(before, change):
        try:
            checks.call_keeping_inputs(_Changes(change), "f", ["As"], before)
        except AssertionError as shown:
            return str(shown)
        return None

    def swap(i, j):
        def change(args, kwargs):
            args[0][i], args[0][j] = args[0][j], args[0][i]

        return change

    assert "its items were reordered: item 0 is now what was item 2" in message(
        [A, B, C], swap(0, 2)
    )
    assert "its items were reordered: item 1 is now what was item 2" in message(
        [A, B, C], swap(1, 2)
    )
    assert "item 0 is now what was item 2" in message(
        (A, A, B), lambda a, k: a.__setitem__(0, (B, A, A))
    )
    assert message([A, A], swap(0, 1)) is None  # equal items swapped: nothing the caller can see


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


@pytest.mark.parametrize("assignment", sorted(CHECKS))
def test_a_single_number_is_named_as_a_number(assignment):
    """A function that returned one number (a Python float, a NumPy scalar, a 0-d array) is
    told so with the number itself, not as a one-element list: "returned 0", not "returned [0]"."""
    checks = _load_checks(CHECKS[assignment])
    assert checks.describe(0.0) == "0"
    assert checks.describe(np.float32(1.5)) == "1.5"
    assert checks.describe(np.array(-2e-300)) == "-2e-300"
    assert checks.describe(np.bool_(True)) == "True"
    assert checks.describe(np.array([0.0])) == "[0]"  # a one-element array stays a list
    with pytest.raises(AssertionError) as shown:
        checks.check_raises_value_error(lambda: 0.0, "mse", "h of shape (4, 2)", "same shapes")
    assert "accepted it and returned 0 instead of raising ValueError" in str(shown.value)


@pytest.mark.parametrize("assignment", sorted(CHECKS))
@pytest.mark.parametrize(
    ("returned", "shown"), [(np.bool_(False), "False"), (np.float64(np.nan), "nan")]
)
def test_a_falsy_or_nan_number_where_an_error_is_due_still_fails(assignment, returned, shown):
    """The adversary: an mse that answers mismatched shapes with NumPy's False (or nan), as if
    "no loss" were "no result". It is a returned value, so it fails, and the message says which."""
    checks = _load_checks(CHECKS[assignment])
    with pytest.raises(AssertionError) as failed:
        checks.check_raises_value_error(lambda: returned, "mse", "h of shape (4, 2)", "same shapes")
    assert f"accepted it and returned {shown} instead of raising ValueError" in str(failed.value)
