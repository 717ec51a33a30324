"""A safe parser for formulas typed by a user, e.g. ``sin(3*x) + 0.5*abs(x)``.

The text is parsed with Python's ``ast`` module and checked node by node against a whitelist;
nothing is ever passed to ``eval`` or ``exec``. Allowed:

- numbers (int or float literals), the variables you name, and the constants ``pi`` and ``e``;
- ``+ - * / ** %``, unary ``+ -``, and ``^`` as a synonym for ``**`` (as people write maths;
  it is rewritten to ``**`` before parsing, so ``x^2 - 1`` is (x^2) - 1 and ``-x^2`` is -(x^2));
- comparisons ``< <= > >=`` (giving 1.0 or 0.0, handy for steps such as ``(x > 0)``);
- the functions in ``FORMULA_FUNCTIONS`` (sin, cos, tan, exp, log, sqrt, abs, tanh, relu,
  sigmoid, sign, step, min, max, ...), called by name with positional arguments.

Anything else (attributes, subscripts, strings, lambdas, keyword arguments, names not listed)
is a ``FormulaError`` (a ValueError) that says what is wrong and points at the column; a page
shows its ``pointer()`` in a monospace block so the caret sits under the column.
"""

import ast

import numpy as np

MAX_FORMULA_LENGTH = 500
MAX_FORMULA_NODES = 300


def _sigmoid(z):
    """1 / (1 + e^{-z}) through e^{-|z|}: no overflow for any z."""
    exp_neg_abs = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + exp_neg_abs), exp_neg_abs / (1.0 + exp_neg_abs))


# name -> (numpy function, number of arguments)
FORMULA_FUNCTIONS = {
    "sin": (np.sin, 1),
    "cos": (np.cos, 1),
    "tan": (np.tan, 1),
    "arcsin": (np.arcsin, 1),
    "arccos": (np.arccos, 1),
    "arctan": (np.arctan, 1),
    "asin": (np.arcsin, 1),
    "acos": (np.arccos, 1),
    "atan": (np.arctan, 1),
    "sinh": (np.sinh, 1),
    "cosh": (np.cosh, 1),
    "tanh": (np.tanh, 1),
    "exp": (np.exp, 1),
    "log": (np.log, 1),
    "ln": (np.log, 1),
    "log2": (np.log2, 1),
    "log10": (np.log10, 1),
    "sqrt": (np.sqrt, 1),
    "abs": (np.abs, 1),
    "sign": (np.sign, 1),
    "floor": (np.floor, 1),
    "ceil": (np.ceil, 1),
    "round": (np.round, 1),
    "relu": (lambda z: np.maximum(z, 0.0), 1),
    "sigmoid": (_sigmoid, 1),
    "softplus": (lambda z: np.logaddexp(0.0, z), 1),
    "step": (lambda z: (z >= 0).astype(np.float64), 1),
    "min": (np.minimum, 2),
    "max": (np.maximum, 2),
    "atan2": (np.arctan2, 2),
    "hypot": (np.hypot, 2),
}
FORMULA_CONSTANTS = {"pi": np.pi, "e": np.e}

_BINARY_OPERATORS = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
    ast.Mod: np.mod,
}
_UNARY_OPERATORS = {ast.USub: np.negative, ast.UAdd: np.positive}
_COMPARISONS = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
}


class FormulaError(ValueError):
    """A formula that cannot be used: what is wrong (reason) and where (0-based column or None).

    str(error) is the whole message, "bad formula 'text': reason at column N:" followed by the
    formula and a caret under column N; ``pointer()`` is just those two lines, for a monospace
    block (the caret lines up only in a fixed-width font).
    """

    def __init__(self, text, reason, column=None):
        self.text = text
        self.reason = reason
        self.column = column
        where = "" if column is None else f" at column {column + 1}:\n" + self.pointer()
        super().__init__(f"bad formula {text!r}: {reason}{where}")

    def pointer(self):
        """The formula and a caret under the offending column ('' when there is no column)."""
        if self.column is None:
            return ""
        return f"  {self.text}\n  {' ' * self.column}^"


def _to_python(text):
    """Replace the maths power '^' by '**'; also return a map back to the user's columns."""
    python_text, columns = [], []
    for column, char in enumerate(text):
        pieces = "**" if char == "^" else char
        python_text.append(pieces)
        columns.extend([column] * len(pieces))
    columns.append(len(text))
    return "".join(python_text), columns


def _column(text, node):
    """The user's 0-based column of a node (None when the node has no position)."""
    column = getattr(node, "col_offset", None)
    if column is None:
        return None
    columns = _to_python(text)[1]
    return columns[min(column, len(columns) - 1)]


def _fail(text, node, message):
    raise FormulaError(text, message, _column(text, node))


def _check(text, node, variables):
    """Walk the tree and reject any node, name or call outside the whitelist."""
    if isinstance(node, ast.Expression):
        _check(text, node.body, variables)
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            _fail(text, node, f"only numbers are allowed as constants, not {value!r}")
    elif isinstance(node, ast.Name):
        if node.id not in variables and node.id not in FORMULA_CONSTANTS:
            if node.id in FORMULA_FUNCTIONS:
                _fail(text, node, f"{node.id!r} is a function; call it like {node.id}(x)")
            allowed = ", ".join(sorted(variables) + sorted(FORMULA_CONSTANTS))
            _fail(text, node, f"unknown name {node.id!r}; allowed names: {allowed}")
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY_OPERATORS:
            _fail(text, node, f"operator {type(node.op).__name__} is not allowed")
        _check(text, node.left, variables)
        _check(text, node.right, variables)
    elif isinstance(node, ast.UnaryOp):
        if type(node.op) not in _UNARY_OPERATORS:
            _fail(text, node, f"unary operator {type(node.op).__name__} is not allowed")
        _check(text, node.operand, variables)
    elif isinstance(node, ast.Compare):
        for operator in node.ops:
            if type(operator) not in _COMPARISONS:
                _fail(text, node, f"comparison {type(operator).__name__} is not allowed")
        _check(text, node.left, variables)
        for comparator in node.comparators:
            _check(text, comparator, variables)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FORMULA_FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            _fail(
                text,
                node,
                f"unknown function {name!r}; allowed: {', '.join(sorted(FORMULA_FUNCTIONS))}",
            )
        if node.keywords:
            _fail(text, node, f"{node.func.id}() takes no keyword arguments")
        arity = FORMULA_FUNCTIONS[node.func.id][1]
        if len(node.args) != arity:
            _fail(text, node, f"{node.func.id}() takes {arity} argument(s), got {len(node.args)}")
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                _fail(text, argument, "*arguments are not allowed")
            _check(text, argument, variables)
    else:
        _fail(text, node, f"{type(node).__name__} expressions are not allowed")


def _evaluate(node, values):
    """Evaluate a checked tree over float64 arrays."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, values)
    if isinstance(node, ast.Constant):
        return np.float64(node.value)
    if isinstance(node, ast.Name):
        return values[node.id] if node.id in values else np.float64(FORMULA_CONSTANTS[node.id])
    if isinstance(node, ast.BinOp):
        return _BINARY_OPERATORS[type(node.op)](
            _evaluate(node.left, values), _evaluate(node.right, values)
        )
    if isinstance(node, ast.UnaryOp):
        return _UNARY_OPERATORS[type(node.op)](_evaluate(node.operand, values))
    if isinstance(node, ast.Compare):
        result = None
        left = _evaluate(node.left, values)
        for operator, comparator in zip(node.ops, node.comparators, strict=True):
            right = _evaluate(comparator, values)
            holds = _COMPARISONS[type(operator)](left, right)
            result = holds if result is None else np.logical_and(result, holds)
            left = right
        return result.astype(np.float64)
    function = FORMULA_FUNCTIONS[node.func.id][0]
    return function(*[_evaluate(argument, values) for argument in node.args])


class Formula:
    """A parsed formula: call it with one array per variable (or keywords), all broadcastable.

    ``f(x)`` returns float64 values of the broadcast shape. Values that come out NaN or inf
    (log of a negative number, division by zero, overflow) raise ValueError naming the formula
    and the first input that produced one.
    """

    def __init__(self, text, variables, tree):
        self.text = text
        self.variables = tuple(variables)
        self._tree = tree

    def __repr__(self):
        return f"Formula({self.text!r}, variables={self.variables})"

    def __call__(self, *args, **kwargs):
        if len(args) > len(self.variables):
            raise TypeError(
                f"formula {self.text!r} takes {len(self.variables)} variables "
                f"{self.variables}, got {len(args)} arrays"
            )
        values = dict(zip(self.variables, args, strict=False))
        for name, value in kwargs.items():
            if name not in self.variables or name in values:
                raise TypeError(f"unexpected or repeated variable {name!r} for {self!r}")
            values[name] = value
        missing = [name for name in self.variables if name not in values]
        if missing:
            raise TypeError(f"formula {self.text!r} needs values for {missing}")
        values = {name: np.asarray(value, dtype=np.float64) for name, value in values.items()}
        shape = np.broadcast_shapes(*(value.shape for value in values.values()))
        with np.errstate(all="ignore"):
            result = np.broadcast_to(np.asarray(_evaluate(self._tree, values), np.float64), shape)
        bad = ~np.isfinite(result)
        if np.any(bad):
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            at = {
                name: float(np.broadcast_to(value, shape)[index]) for name, value in values.items()
            }
            raise FormulaError(self.text, f"not finite at {at} (value {result[index]})")
        return np.array(result)


def parse_formula(text, variables=("x",)):
    """Parse a user's formula into a vectorised callable, safely (an AST whitelist, no eval).

    Args:
        text: e.g. "sin(3*x)", "x^2 - 1", "exp(-(x^2 + y^2))", "(x > 0)".
        variables: names the formula may use, e.g. ("x",) or ("x", "y").

    Returns:
        A ``Formula``: f(*arrays) -> float64 array of the arrays' broadcast shape.

    Raises:
        ValueError: empty or too long text, syntax errors, names/functions/operators outside the
            whitelist; the message says what and at which column.
    """
    if not isinstance(text, str):
        raise TypeError(f"formula must be a string, got {type(text).__name__}")
    if isinstance(variables, str):
        variables = (variables,)
    variables = tuple(variables)
    for name in variables:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"variable names must be identifiers, got {name!r}")
        if name in FORMULA_FUNCTIONS or name in FORMULA_CONSTANTS:
            raise ValueError(f"variable name {name!r} clashes with a function or constant")
    stripped = text.strip()
    if not stripped:
        raise FormulaError(text, "it is empty; type an expression such as sin(3*x)")
    if len(stripped) > MAX_FORMULA_LENGTH:
        raise FormulaError(
            stripped[:40] + "...", f"{len(stripped)} characters, more than {MAX_FORMULA_LENGTH}"
        )
    python_text, columns = _to_python(stripped)
    try:
        tree = ast.parse(python_text, mode="eval")
    except SyntaxError as error:
        if not error.offset or error.offset > len(python_text):
            # the text ended where more was expected ('sin(3*x) +'): Python 3.11 gives offset 0
            # for it, and a caret at column 1 sent the student to the formula's start
            last = stripped.split()[-1]  # named when short: 'x+x+...+' is not repeated whole
            after = f"after {last!r}" if len(last) <= 12 else "at the caret"
            raise FormulaError(
                stripped, f"it ends too early: something must come {after}", len(stripped)
            ) from None
        column = columns[error.offset - 1]
        raise FormulaError(stripped, f"syntax error ({error.msg})", column) from None
    node_count = sum(1 for _ in ast.walk(tree))
    if node_count > MAX_FORMULA_NODES:
        raise FormulaError(
            stripped[:40] + "...", f"{node_count} syntax nodes, more than {MAX_FORMULA_NODES}"
        )
    _check(stripped, tree, variables)
    return Formula(stripped, variables, tree)
