"""The safe formula parser: correct values, and clear refusals of anything outside the whitelist."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nncore.formula import parse_formula

X = np.linspace(-2.0, 2.0, 41)


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("sin(3*x)", lambda x: np.sin(3 * x)),
        ("x^2 - 1", lambda x: x**2 - 1),
        ("x**3 + 2*x", lambda x: x**3 + 2 * x),
        ("abs(x) + relu(x - 1)", lambda x: np.abs(x) + np.maximum(x - 1, 0)),
        ("(x > 0)", lambda x: (x > 0).astype(float)),
        ("-1 < x <= 1", lambda x: ((x > -1) & (x <= 1)).astype(float)),
        ("exp(-x^2/2)/sqrt(2*pi)", lambda x: np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi)),
        ("max(x, 0.5*x) + min(x, 0)", lambda x: np.maximum(x, 0.5 * x) + np.minimum(x, 0)),
        ("sigmoid(x) + tanh(x) + e", lambda x: 1 / (1 + np.exp(-x)) + np.tanh(x) + np.e),
        ("3", lambda x: np.full_like(x, 3.0)),
        ("x % 1", lambda x: np.mod(x, 1)),
    ],
)
def test_values_match_numpy(text, reference):
    np.testing.assert_allclose(parse_formula(text)(X), reference(X), rtol=1e-14, atol=1e-15)


def test_two_variables_positional_and_keyword():
    f = parse_formula("exp(-(x^2 + y^2))", variables=("x", "y"))
    a, b = np.meshgrid(X, X)
    np.testing.assert_allclose(f(a, b), np.exp(-(a**2 + b**2)))
    np.testing.assert_allclose(f(y=b, x=a), np.exp(-(a**2 + b**2)))


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_arithmetic_agrees_with_python(a, b):
    f = parse_formula("x*2 - y/4 + 1", variables=("x", "y"))
    assert f(a, b) == pytest.approx(a * 2 - b / 4 + 1, rel=1e-12, abs=1e-9)


def test_sigmoid_is_stable_at_extremes():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        values = parse_formula("sigmoid(x)")(np.array([-1e4, 0.0, 1e4]))
    np.testing.assert_array_equal(values, [0.0, 0.5, 1.0])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os').system('ls')", "unknown function"),
        ("x.__class__", "Attribute expressions are not allowed"),
        ("open('f')", "unknown function 'open'"),
        ("x[0]", "Subscript expressions are not allowed"),
        ("lambda: 1", "Lambda expressions are not allowed"),
        ("'abc'", "only numbers"),
        ("sin(x", "syntax error"),
        ("2 * z", "unknown name 'z'"),
        ("sin", "is a function"),
        ("sin(x, 2)", r"sin\(\) takes 1 argument"),
        ("max(x)", r"max\(\) takes 2 argument"),
        ("x if x > 0 else 0", "IfExp expressions are not allowed"),
        ("x == 1", "comparison Eq is not allowed"),
        ("x << 2", "operator LShift is not allowed"),
        ("x ^^ 2", "syntax error"),
        ("not x", "unary operator Not"),
        ("", "empty"),
        ("x" + "+x" * 400, "characters"),
        ("[x for x in ()]", "not allowed"),
        ("True + x", "only numbers"),
        ("1j * x", "only numbers"),
    ],
)
def test_refusals_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        parse_formula(text)


def test_error_points_at_the_column():
    with pytest.raises(ValueError, match="column 10") as info:
        parse_formula("sin(x) + foo")
    assert "^" in str(info.value)


def test_non_finite_values_are_reported_with_the_input():
    f = parse_formula("log(x)")
    with pytest.raises(ValueError, match=r"not finite at \{'x': -1.0\}"):
        f(np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="not finite"):
        parse_formula("1/x")(np.array([0.0]))


def test_huge_power_does_not_hang_but_is_reported():
    with pytest.raises(ValueError, match="not finite"):
        parse_formula("9^9^9^9 + x")(np.array([1.0]))


def test_bad_variable_names():
    with pytest.raises(ValueError, match="clashes"):
        parse_formula("sin(x)", variables=("sin",))
    with pytest.raises(TypeError, match="needs values"):
        parse_formula("x + y", variables=("x", "y"))(np.ones(2))


@pytest.mark.parametrize(
    ("text", "points_at"),
    [
        ("__import__('os')", "__import__"),
        ("sin(3*x) + 0.3*abs(x", "(x"),  # the parenthesis that was never closed
        ("2*z + x", "z"),
        ("x^2 + foo(x)", "foo"),  # '^' becomes '**' inside: the column still counts the user's text
    ],
)
def test_formula_error_points_at_the_users_column(text, points_at):
    from nncore.formula import FormulaError

    with pytest.raises(FormulaError) as info:
        parse_formula(text)
    error = info.value
    column = text.rindex(points_at) if points_at == "(x" else text.index(points_at)
    assert error.column == column and error.text == text
    formula_line, caret_line = error.pointer().split("\n")
    assert formula_line == "  " + text
    assert caret_line == "  " + " " * column + "^"
    assert str(error).startswith(f"bad formula {text!r}: {error.reason}")


def test_formula_error_lists_the_functions_plainly():
    with pytest.raises(ValueError) as info:
        parse_formula("open(x)")
    assert info.value.reason.startswith("unknown function 'open'; allowed: abs, acos, arccos")
    assert info.value.reason.endswith(", tan, tanh")  # a plain list, not a Python list


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("sin(3*x) +", "+"),
        ("sin(3*x) + 0.3*", "0.3*"),
        ("x^", "x^"),
        ("x ==", "=="),
        ("x and", "and"),
        ("  2*x -  ", "-"),  # the caret counts the text as stripped
        ("x+" * 40, None),  # a long last word is not repeated whole: the caret shows where
    ],
)
def test_a_formula_that_ends_too_early_points_past_its_end(text, last):
    """A student's commonest slip, an unfinished expression: the caret goes after the last
    character (Python reports no column for it, and the caret stood under the first)."""
    from nncore.formula import FormulaError

    with pytest.raises(FormulaError) as info:
        parse_formula(text)
    error = info.value
    assert error.column == len(text.strip()) and error.text == text.strip()
    after = f"after {last!r}" if last else "at the caret"
    assert error.reason == f"it ends too early: something must come {after}"
    assert error.pointer().split("\n")[1] == "  " + " " * len(text.strip()) + "^"
