"""The `student` and `reference` objects that tests use: `student.activations.sigmoid(z)`.

A call on `student` goes to the sandbox (grader.sandbox) and comes back as plain data, or as:

- the student's own exception, re-raised as a subclass of the same built-in class
  (`StudentError` + ValueError for a ValueError or LinAlgError), so `pytest.raises(ValueError)`
  works and the message names the function;
- a test failure (`SubmissionFailed`, a pytest `Failed`, so no `except Exception` in a test can
  swallow it) with a teaching message for everything else: not implemented, timeout, crash,
  exit, missing file or function, syntax error, a result that is not plain data.

Warnings raised in the child (overflow in exp, ...) are re-emitted here as
`StudentRuntimeWarning`, so a test run with RuntimeWarning-as-error fails on them, exactly as
an in-process call would.
"""

import builtins
import importlib
import sys
import warnings

import pytest
from _pytest.outcomes import Failed

from .bubblewrap import HarnessError
from .text import one_line, quoted

ALLOWED_BASES = {
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BufferError",
    "EOFError",
    "Exception",
    "FloatingPointError",
    "ImportError",
    "IndexError",
    "KeyError",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "OSError",
    "OverflowError",
    "PermissionError",
    "RecursionError",
    "RuntimeError",
    "TypeError",
    "UnboundLocalError",
    "UnicodeError",
    "ValueError",
    "ZeroDivisionError",
}


class SubmissionFailed(Failed):
    """A call on the submission failed in a way the student must fix; the message teaches.

    kind: the sandbox's failure kind ("missing_file" and "import_error" are problems of a
    whole file, reported once at the top of the report rather than as every test's lesson).
    """

    def __init__(self, msg=None, pytrace=True, kind=""):
        super().__init__(msg, pytrace=pytrace)
        self.kind = kind


class StudentError(Exception):
    """Base of the exceptions re-raised from a student's function."""


class StudentRuntimeWarning(RuntimeWarning):
    """A RuntimeWarning that the student's code raised inside the sandbox.

    Carries what feedback needs to explain it: the function, the numpy message, where in the
    student's file (file and line, the source line) and a short description of the inputs.
    """

    def __init__(self, qualified, message, where="", source="", inputs=""):
        super().__init__(f"{qualified}: {message}")
        self.qualified = qualified
        self.text = message
        self.where = where
        self.source = source
        self.inputs = inputs


def describe(value, limit=6):
    """A short description of one argument: numbers shown, big arrays summarised."""
    import numpy as np

    if isinstance(value, np.ndarray):
        flat = value.ravel()
        head = np.array2string(flat[:limit], precision=4, separator=", ", threshold=limit)
        more = ", ..." if flat.size > limit else ""
        body = head[1:-1] + more if value.size else ""
        return f"array of shape {value.shape}, {value.dtype} [{body}]"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(describe(item, 3) for item in value[:3])
        more = ", ..." if len(value) > 3 else ""
        return f"{type(value).__name__} of {len(value)} [{inner}{more}]"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe_inputs(args, kwargs):
    parts = [describe(value) for value in args]
    parts += [f"{name}={describe(value)}" for name, value in kwargs.items()]
    return "; ".join(parts)


def _trace_text(outcome):
    if not outcome.trace:
        return ""
    return "\nin your code:\n" + "\n".join(f"  {one_line(line)}" for line in outcome.trace)


_EXCEPTION_CLASSES = {}


def student_exception_class(base_name):
    """StudentError subclass that is also the built-in class base_name (cached)."""
    if base_name not in ALLOWED_BASES:
        base_name = "Exception"
    if base_name not in _EXCEPTION_CLASSES:
        base = getattr(builtins, base_name)
        bases = (StudentError,) if base is Exception else (StudentError, base)
        _EXCEPTION_CLASSES[base_name] = type(f"Student{base_name}", bases, {})
    return _EXCEPTION_CLASSES[base_name]


def raise_for(outcome, qualified):
    """Turn a failed Outcome into the exception a test sees."""
    # the child's words are the student's: a line of them never passes for the grader's own
    kind, message = outcome.kind, quoted(outcome.message)
    if kind == "exception":
        shown = one_line(outcome.error_type or "Exception")
        if outcome.error_base == "NotImplementedError":
            kind = "not_implemented"
        else:
            cls = student_exception_class(outcome.error_base)
            raise cls(f"{qualified} raised {shown}: {message}{_trace_text(outcome)}")
    if kind == "not_implemented":
        text = f"{qualified} is not implemented yet (NotImplementedError: {message})"
    elif kind == "missing_function":
        text = f"{message} (check the spelling and that it is defined at the top level)"
    elif kind == "bad_result":
        text = (
            f"{qualified} returned {message}; results must be NumPy arrays of numbers, "
            "numbers, or tuples/lists/dicts of those"
        )
    elif kind == "exit":
        text = f"{qualified} called {message}; a function must return, not exit the program"
    elif kind == "keyboard_interrupt":
        text = f"{qualified} raised KeyboardInterrupt; a function must return its result"
    else:
        text = message
    raise SubmissionFailed(text, pytrace=False, kind=kind)


class FunctionProxy:
    """One function of the submission; calling it runs it in the sandbox."""

    def __init__(self, session, module, name, timeout=None):
        self._session = session
        self._module = module
        self._name = name
        self._timeout = timeout

    def __call__(self, *args, **kwargs):
        return self._run(args, kwargs, False).value

    def call_and_inputs(self, *args, **kwargs):
        """(result, args, kwargs) with the arguments as the function left them: a test can
        check that a function did not change its inputs in place."""
        outcome = self._run(args, kwargs, True)
        after = outcome.inputs_after
        if not (isinstance(after, list) and len(after) == 2):
            # they were plain data when sent, so the call itself left them unreadable
            raise SubmissionFailed(
                f"{self._name}: changed its arguments in place into something the grader cannot "
                "read back (not numbers, arrays, lists, tuples or dicts, or nested too deeply). "
                "Lecture idea: a function leaves its arguments as the caller passed them",
                pytrace=False,
            )
        return outcome.value, tuple(after[0]), dict(after[1])

    def _run(self, args, kwargs, report_inputs):
        qualified = f"{self._module}.{self._name}"
        try:
            outcome = self._session.sandbox().call(
                self._module,
                self._name,
                args,
                kwargs,
                timeout=self._timeout,
                report_inputs=report_inputs,
            )
        except HarnessError as error:
            # Not the student's fault: stop grading; results.json says "error" and why.
            self._session.harness_error = str(error)
            pytest.exit(f"grading stopped: {error}", returncode=3)
        if outcome.stdout.strip():
            self._session.note_printed(qualified, outcome.stdout)
        for category, message, where, source in outcome.warnings:
            if category == "RuntimeWarning":
                warning = StudentRuntimeWarning(
                    qualified,
                    one_line(message),
                    one_line(where),
                    one_line(source),
                    describe_inputs(args, kwargs),
                )
                warnings.warn(warning, stacklevel=3)
        if not outcome.ok:
            raise_for(outcome, qualified)
        return outcome

    def __repr__(self):
        return f"<student function {self._module}.{self._name}>"


class ModuleProxy:
    """One file of the submission: attribute access gives FunctionProxy objects."""

    def __init__(self, session, module, timeout=None):
        self._session = session
        self._module = module
        self._timeout = timeout

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return FunctionProxy(self._session, self._module, name, self._timeout)

    def __repr__(self):
        return f"<student file {self._module}.py>"


class StudentProxy:
    """`student.<file>.<function>(...)`; `student.with_timeout(s)` for a longer call limit."""

    def __init__(self, session, modules, timeout=None):
        self._session = session
        self._modules = list(modules)
        self._timeout = timeout

    def __getattr__(self, name):
        if name in self._modules:
            return ModuleProxy(self._session, name, self._timeout)
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(
            f"the assignment has no file {name}.py; its files are "
            + ", ".join(f"{m}.py" for m in self._modules)
        )

    def with_timeout(self, seconds):
        """The same proxy with a different per-call wall-clock limit (seconds)."""
        return StudentProxy(self._session, self._modules, float(seconds))

    def __repr__(self):
        return f"<student submission: {', '.join(self._modules)}>"


class ReferenceProxy:
    """`reference.<file>.<function>`: the solutions, imported in the trusted process."""

    def __init__(self, solutions_dir, modules):
        self._dir = str(solutions_dir)
        self._modules = list(modules)
        self._loaded = {}

    def load_all(self):
        """Import every reference file now (before any student code has run)."""
        if self._dir not in sys.path:
            sys.path.insert(0, self._dir)
        for name in self._modules:
            self._loaded[name] = importlib.import_module(name)

    def __getattr__(self, name):
        if name.startswith("_") or name not in self._modules:
            raise AttributeError(f"the reference has no file {name}.py")
        if name not in self._loaded:
            self.load_all()
        return self._loaded[name]
