"""Checks that turn a failed test into feedback you can act on.

Every failure message says WHAT was wrong (the property), ON WHICH INPUT, and WHICH IDEA of the
lecture it points to, e.g.

    sigmoid: gave nan or inf on z = [-1000, 0, 1000]. Lecture idea: compute sigma through e^{-|z|}
    so the exponent is never positive.

Hidden tests use the same helpers with reveal=False: they name the input and the property, never
the expected numbers.
"""

import contextlib
import warnings

import numpy as np


def fmt(value, digits=6) -> str:
    """A short, readable number: 0.5, 1e-300, -inf (`digits` significant digits)."""
    value = float(value)
    if value == 0 or 1e-4 <= abs(value) < 1e6 or not np.isfinite(value):
        return f"{value:.{digits}g}"
    mantissa, exponent = f"{value:.{max(digits - 3, 1)}e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{exponent}"


def fmt_pair(got, expected) -> tuple:
    """Both numbers with just enough digits to tell them apart (6 to 17)."""
    for digits in range(6, 18):
        if fmt(got, digits) != fmt(expected, digits):
            return fmt(got, digits), fmt(expected, digits)
    return fmt(got, 17), fmt(expected, 17)


def describe(a) -> str:
    """Name an input briefly: its values when it is small, else its shape and range; a list or
    tuple of arrays as one (its arrays' shapes), not as the array they would stack into."""
    if isinstance(a, (list, tuple)) and a and all(isinstance(x, np.ndarray) for x in a):
        shapes = ", ".join(str(x.shape) for x in a)
        text = f"a {type(a).__name__} of {len(a)} array{'s' if len(a) > 1 else ''} of shape"
        text += f"s {shapes}" if len(a) > 1 else f" {shapes}"
        if all(x.dtype.kind in "biuf" and x.size for x in a):
            low, high = min(x.min() for x in a), max(x.max() for x in a)
            text += f" with values in [{fmt(low)}, {fmt(high)}]"
        return text
    try:
        a = np.asarray(a)
    except ValueError:  # ragged lists, tuples of arrays
        return f"a {type(a).__name__}"
    if a.dtype.kind not in "biuf":
        return f"a value of type {type(a.tolist()).__name__}"
    if a.size == 0:
        return f"an empty array of shape {a.shape}"
    if a.ndim == 0:  # a single number (a Python float, a NumPy scalar): 0, not [0]
        return str(a.item()) if a.dtype.kind == "b" else fmt(a)
    if a.size <= 6:
        if a.ndim <= 1:
            return "[" + ", ".join(fmt(v) for v in a.ravel()) + "]"
        return "[" + ", ".join(describe(row) for row in a) + "]"
    return f"a {a.dtype} array of shape {a.shape} with values in [{fmt(a.min())}, {fmt(a.max())}]"


def fail(what: str, on: str, problem: str, idea: str) -> None:
    """Raise the assertion that pytest and the grader report."""
    raise AssertionError(f"{what}: {problem} on {on}. Lecture idea: {idea}")


def as_array(
    result, what: str, on: str, shape=None, idea: str = "check the shapes", dtype=None
) -> np.ndarray:
    """Your result as a float array (float32 stays float32, bool and int become float64); it
    must hold numbers and, if given, have `shape`.

    dtype: None (any numbers), "float" (a floating-point dtype: float16/32/64, not bool or int)
    or a NumPy dtype that must match exactly (e.g. np.float32). The check looks at the dtype you
    returned, before any conversion, so the message names it (e.g. bool).
    """
    if result is None:
        fail(what, on, "returned None (a missing `return`?)", idea)
    try:
        arr = np.asarray(result)
    except Exception:  # ragged lists and the like
        fail(what, on, f"returned {type(result).__name__}, not an array of numbers", idea)
    if arr.dtype.kind not in "biuf":
        fail(what, on, f"returned values of dtype {arr.dtype}, not numbers", idea)
    if shape is not None and arr.shape != tuple(shape):
        fail(what, on, f"returned shape {arr.shape}, expected shape {tuple(shape)}", idea)
    if dtype is not None:
        check_dtype(arr, dtype, what, on, idea)
    return arr.astype(np.float64) if arr.dtype.kind != "f" else arr


def check_dtype(arr, dtype, what: str, on: str, idea: str) -> None:
    """arr's own dtype is `dtype` ("float" = any floating-point dtype); the message names it."""
    actual = np.asarray(arr).dtype
    if dtype == "float":
        if actual.kind != "f":
            kind = {"b": "booleans", "i": "integers", "u": "unsigned integers"}.get(actual.kind)
            fail(
                what,
                on,
                f"returned dtype {actual} ({kind or 'not floats'}), expected floating-point "
                "numbers",
                idea,
            )
    elif actual != np.dtype(dtype):
        fail(what, on, f"returned dtype {actual}, expected {np.dtype(dtype)}", idea)


def as_number(result, what: str, on: str, idea: str = "a loss is one number") -> float:
    """Your result as a Python float; it must be a single number."""
    arr = as_array(result, what, on, idea=idea)
    if arr.size != 1:
        fail(what, on, f"returned an array of shape {arr.shape}, expected a single number", idea)
    return float(arr.reshape(()))


def check_finite(actual, what: str, on: str, idea: str) -> None:
    """Every entry is a finite number (no nan, no inf): the mark of a stable formula."""
    arr = np.asarray(actual, dtype=np.float64)
    if not np.isfinite(arr).all():
        first = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        got = arr[first] if arr.ndim else arr
        where = f" (first at index {first})" if arr.ndim else ""
        fail(what, on, f"gave {fmt(got)}{where}: overflow or 0/0", idea)


def check_close(
    actual, expected, what: str, on: str, idea: str, rtol=1e-7, atol=1e-12, reveal=True
) -> None:
    """|actual - expected| <= atol + rtol |expected| everywhere, after a finiteness check.

    reveal=False (hidden tests) reports your value and where it is off, not the expected one.
    """
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if actual.shape != expected.shape:
        fail(what, on, f"returned shape {actual.shape}, expected shape {expected.shape}", idea)
    if np.isfinite(expected).all():
        check_finite(actual, what, on, idea)
    with np.errstate(over="ignore"):  # 1e308 against -1e308: a difference of inf is "not close"
        bad = ~np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=False)
    if not bad.any():
        return
    first = tuple(int(i) for i in np.argwhere(bad)[0]) if actual.ndim else ()
    where = f" at index {first}" if actual.ndim else ""
    count = f" ({int(bad.sum())} of {bad.size} entries off)" if bad.size > 1 else ""
    if reveal:
        got, want = fmt_pair(actual[first], expected[first])
        problem = f"got {got}{where}, expected {want}{count}"
    else:
        problem = f"your value {fmt(actual[first])}{where} is wrong{count}"
    factor = common_factor(actual, expected)
    if factor is not None and (reveal or np.count_nonzero(expected) > 1):
        # hidden tests say only that one factor is off: the factor and your value would give
        # the expected number
        words = factor_words(factor, actual.size) if reveal else "every entry is off by one factor"
        problem += f"; {words}"
        if is_simple_factor(factor):  # a guess at the cause only where it can be the cause
            problem += factor_guess(factor) if reveal else HIDDEN_GUESS
    fail(what, on, problem, idea)


def common_factor(actual, expected, rtol=1e-9):
    """c if actual = c * expected entry by entry (c != 1, finite, nonzero), else None.

    For arrays it takes two nonzero entries of expected to tell a factor from chance; a single
    number counts only when c is -1, a whole number or one over a whole number (2 to 1000): any
    two numbers have a ratio, a mean for a sum over m rows gives 1/m.
    """
    actual = np.asarray(actual, dtype=np.float64).ravel()
    expected = np.asarray(expected, dtype=np.float64).ravel()
    if not (np.isfinite(actual).all() and np.isfinite(expected).all()):
        return None
    nonzero = expected != 0
    if not nonzero.any() or (actual[~nonzero] != 0).any():
        return None
    # no warning on extreme values (the assignments' tests turn warnings into errors): a ratio
    # of 1e308 / 1e-308, or ratios of 1e308 and -1e308 compared, is no factor to name
    with np.errstate(all="ignore"):
        ratios = actual[nonzero] / expected[nonzero]
        if not np.isfinite(ratios).all():
            return None
        c = float(np.median(ratios))
        if c == 0 or abs(c - 1) <= rtol or not np.allclose(ratios, c, rtol=rtol, atol=0):
            return None
    if nonzero.sum() > 1:
        return c
    return c if is_simple_factor(c, rtol) else None


def is_simple_factor(c: float, rtol=1e-9) -> bool:
    """-1, a whole number k or 1/k (k = 2 to 1000): what a sign, a dropped 2 or a mean over m
    rows where the lecture sums would give."""
    if not 1e-3 / (1 + rtol) <= abs(c) <= 1e3 * (1 + rtol):  # (and 1 / 1e-310 would overflow)
        return False
    return abs(c + 1) <= rtol or any(
        2 <= round(x) <= 1000 and abs(x - round(x)) <= rtol * x for x in (abs(c), 1 / abs(c))
    )


HIDDEN_GUESS = " (a mean for a sum or a sum for a mean, a 2 dropped or added, or a sign?)"


def factor_guess(c: float) -> str:
    """What a simple factor (is_simple_factor) most likely comes from, e.g. for 1/5: ' (a mean
    of 5 terms where the lecture sums them?)'; '' for -1, which factor_words names already."""
    magnitude = abs(c)
    if abs(magnitude - 1) <= 1e-9:
        return ""
    sign = "a flipped sign and " if c < 0 else ""
    if magnitude > 1:
        k = round(magnitude)
        two = ", or a factor 2 the lecture does not have" if k == 2 else ""
        return f" ({sign}a sum of {k} terms where the lecture takes their mean{two}?)"
    k = round(1 / magnitude)
    two = ", or a dropped factor 2" if k == 2 else ""
    return f" ({sign}a mean of {k} terms where the lecture sums them{two}?)"


def factor_words(c: float, size: int) -> str:
    """'every entry is 1/5 of the expected one', 'your value has the wrong sign', ..."""
    subject = "every entry" if size > 1 else "your value"
    if abs(c + 1) <= 1e-9:
        return f"{subject} has the wrong sign"
    sign = "-" if c < 0 else ""
    magnitude = abs(c)
    k = round(1 / magnitude) if magnitude > 1e-4 else 0  # the nearest 1/k, if any can be near
    if 2 <= k <= 1000 and abs(magnitude * k - 1) <= 1e-9:
        return f"{subject} is {sign}1/{k} of the expected one"
    k = round(magnitude)
    if 2 <= k <= 1000 and abs(magnitude - k) <= 1e-9 * k:
        return f"{subject} is {sign}{k} times the expected one"
    return f"{subject} is {fmt(c)} times the expected one"


def check_true(condition, what: str, on: str, problem: str, idea: str) -> None:
    """A property that must hold; `problem` says what went wrong if it does not."""
    if not bool(condition):
        fail(what, on, problem, idea)


def check_raises_value_error(call, what: str, on: str, idea: str) -> None:
    """`call()` must raise ValueError: bad input gets a clear error, not a silent wrong answer."""
    try:
        result = call()
    except ValueError:
        return
    except Exception as error:  # the student's own exception, re-raised by the grader
        kind = next(c.__name__ for c in type(error).__mro__ if c.__module__ == "builtins")
        fail(what, on, f"raised {kind} instead of ValueError ({error})", idea)
    fail(
        what, on, f"accepted it and returned {describe(result)} instead of raising ValueError", idea
    )


@contextlib.contextmanager
def warnings_allowed():
    """Calls inside this block may warn (RuntimeWarning) without failing the test.

    Only for inputs whose honest answer is infinite: ln 0 = -inf warns "divide by zero" in
    NumPy, and a certain, wrong prediction costs inf. The value is checked instead.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def directional_derivative(f, x, direction, eps=1e-6) -> float:
    """(f(x + eps v) - f(x - eps v)) / (2 eps) ~ <grad f(x), v>: checks a gradient along v.

    f: array of x's shape -> float; x, direction: the same shape -> float.
    """
    x = np.asarray(x, dtype=np.float64)
    v = np.asarray(direction, dtype=np.float64)
    return (f(x + eps * v) - f(x - eps * v)) / (2 * eps)


KEEP_INPUTS = (
    "a function returns new arrays and leaves its arguments as the caller passed them (the caller "
    "uses them again: backprop reads z^i and h^{i-1} after the forward pass): write z = z - m, "
    "np.maximum(z, 0), h.reshape(-1, 1) or As[::-1], not z -= m, z[z < 0] = 0, out=z, "
    "h.shape = ... or As.reverse(), and copy an array or a list before changing its entries"
)


def call_keeping_inputs(function, what: str, names, *args, idea: str = KEEP_INPUTS, **kwargs):
    """function(*args, **kwargs) for a function of your submission; fails, naming the argument
    and its first changed entry, if the call changed one of its arguments in place.

    names: the positional arguments' names, as the docstring calls them (keywords name
    themselves).
    """
    result, args_after, kwargs_after = function.call_and_inputs(*args, **kwargs)
    pairs = list(zip(names, args, args_after, strict=True)) + [
        (key, kwargs[key], kwargs_after.get(key)) for key in kwargs
    ]
    for name, before, after in pairs:
        change = _change(before, after)
        if change is not None:
            fail(
                what,
                f"{name} = {describe(before)}",
                f"changed its argument {name} in place: {change}",
                idea,
            )
    return result


def _change(before, after, where=""):
    """How `after` differs from `before`, in words (None if it does not): arrays entry by entry,
    lists, tuples and dicts item by item, numbers by value."""
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray):
            return f"{where or 'it'} is now a {type(after).__name__}"
        owner = f"{where}'s" if where else "its"
        if after.shape != before.shape:
            return f"{owner} shape went from {before.shape} to {after.shape}"
        if after.dtype != before.dtype:
            return f"{owner} dtype went from {before.dtype} to {after.dtype}"
        same = before == after
        if before.dtype.kind in "fc":
            same |= np.isnan(before) & np.isnan(after)
        if same.all():
            return None
        first = tuple(int(i) for i in np.argwhere(~same)[0]) if before.ndim else ()
        index = f"{where} entry {list(first)}" if before.ndim else (where or "its value")
        count = f" ({int((~same).sum())} of {same.size} entries changed)" if same.size > 1 else ""
        was, now = fmt_pair(before[first], after[first])  # 1 ulp apart shows
        return f"{index.strip()} was {was}, is now {now}{count}"
    if isinstance(before, (list, tuple, dict)):
        if type(after) is not type(before) or len(after) != len(before):
            return f"{where or 'it'} went from {_size(before)} to {_size(after)}"
        keys = list(before) if isinstance(before, dict) else range(len(before))
        moved = _moved(before, after) if not isinstance(before, dict) else None
        if moved is not None:
            owner = f"{where}'s" if where else "its"
            return f"{owner} items were reordered: item {moved[0]} is now what was item {moved[1]}"
        for key in keys:
            if isinstance(before, dict) and key not in after:
                return f"{where} item {key!r} was removed".strip()
            change = _change(before[key], after[key], f"{where} item {key!r}".strip())
            if change is not None:
                return change
        return None
    numbers = (int, float, np.number)  # 2.0 sent as np.float64 comes back a float
    same_kind = isinstance(before, numbers) and isinstance(after, numbers)
    if type(after) is not type(before) and not same_kind:
        return f"{where or 'it'} went from {_size(before)} to {_size(after)}"
    equal = before == after or (before != before and after != after)  # nan is kept nan
    if equal:
        return None
    was, now = fmt_pair(before, after) if same_kind else (_short(before), _short(after))
    return f"{where or 'its value'} was {was}, is now {now}"


def _moved(before, after):
    """(i, j) if `after` holds `before`'s items in another order, its item i being before's
    item j (the first item moved); else None."""
    if len(before) < 2:
        return None
    taken = set()
    first = None
    for i, item in enumerate(after):
        j = next(
            (j for j in range(len(before)) if j not in taken and _change(before[j], item) is None),
            None,
        )
        if j is None:
            return None
        taken.add(j)
        if first is None and j != i:
            first = (i, j)
    return first


def _short(value) -> str:
    """repr(value), cut to 40 characters (newlines and separators escaped by repr)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _size(value) -> str:
    """'a list of 3 items', 'a float'."""
    if isinstance(value, (list, tuple, dict)):
        items = "item" if len(value) == 1 else "items"
        return f"a {type(value).__name__} of {len(value)} {items}"
    return f"a {type(value).__name__}"
