"""Grading page, the self-check's sandbox: an uploaded function is evaluated in a sandbox of its
own; hostile or broken code is contained, an upload that hunts for the solutions gets nothing of
them, and two visitors at the same moment each get their own answer."""

import json
import os
import threading
import time

import numpy as np
import pytest

# sandbox_ready is autouse: every test here is skipped (failed in CI) where the sandbox cannot run
from grading_helpers import (
    open_grading,
    sandbox_ready,  # noqa: F401
)

from viz import grading_compare as compare
from viz import grading_harness as harness
from viz import settings as settings_module


def _evaluate(source: str, name="sigmoid", filename="activations.py", x=None, timeout=2.0):
    x = np.linspace(-5, 5, 11) if x is None else x
    return harness.evaluate_student_function(source.encode(), filename, name, (x,), timeout)


def test_sandbox_evaluates_a_correct_function():
    good = "import numpy as np\ndef sigmoid(z):\n    return 0.5 * (1 + np.tanh(z / 2))\n"
    evaluation = _evaluate(good)
    assert evaluation.ok
    x = np.linspace(-5, 5, 11)
    assert compare.compare(evaluation.values, (1 / (1 + np.exp(-x)))[:, None]).count == 0


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("def sigmoid(z):\n    while True:\n        pass\n", "did not return"),
        ("import os\nos._exit(3)\n", ""),
        ("def sigmoid(z):\n    raise KeyboardInterrupt\n", ""),
        ("def sigmoid(z):\n    return 'not numbers'\n", ""),
        ("def sigmoid(z)\n    return z\n", ""),
    ],
)
def test_hostile_or_broken_code_is_contained(source, words):
    evaluation = _evaluate(source, timeout=1.0)
    assert not evaluation.ok and evaluation.message
    assert words.lower() in evaluation.message.lower()


EXFILTRATE = """
import gc, os, sys
import numpy as np


def _disarm():
    child = sys.modules.get("nnlab_sandbox_child")
    if child is not None:
        child._inside = lambda path, roots: True
    for item in gc.get_objects():
        closure = getattr(item, "__closure__", None) if callable(item) else None
        if getattr(item, "__name__", "") == "hook" and closure:
            for cell in closure:
                if isinstance(cell.cell_contents, (tuple, frozenset)):
                    cell.cell_contents = type(cell.cell_contents)()


def _loot():
    _disarm()
    found = [repr(sorted(os.environ.items())).encode()]
    public = tuple(p for p in sys.path if p and p != os.getcwd())
    for top in ("/", "/submission", "/tmp"):
        for folder, dirs, files in os.walk(top):
            if folder.startswith(("/proc", "/sys", "/dev", "/usr", "/lib", *public)):
                dirs[:] = []
                continue
            for name in files:
                try:
                    with open(os.path.join(folder, name), "rb") as handle:
                        found.append(handle.read(20000))
                except OSError:
                    pass
    return b"\\n".join(found)


def sigmoid(z):
    data = np.frombuffer(_loot(), dtype=np.uint8).astype(float)
    out = np.zeros(len(z))
    out[: min(len(z), len(data))] = data[: len(z)]
    return out
"""


def test_an_upload_that_hunts_for_solutions_gets_nothing_of_them(monkeypatch):
    """The self-check's only way out is the plotted values: they carry no solution."""
    monkeypatch.setenv("NNLAB_TEST_SECRET_TOKEN", "hunter2-4d2a")
    at = open_grading({"gd_points": 1001, "gd_range": 1})
    at.file_uploader[0].set_value(("activations.py", EXFILTRATE.encode(), "text/x-python"))
    at.run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    yours = next(trace for trace in spec["data"] if trace.get("name") == "yours")
    values = yours["y"]
    if isinstance(values, dict):
        import base64

        values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    leaked = bytes(int(v) for v in np.nan_to_num(np.asarray(values, dtype=float)) if 0 <= v < 256)
    solutions = harness.APP_DIR / "exercises" / "mlp_basics" / "solutions" / "activations.py"
    secret_line = solutions.read_text().splitlines()[-1].strip().encode()
    assert b"OPENBLAS_NUM_THREADS" in leaked, "the channel works: the sandbox's own env got out"
    assert b"def sigmoid(" not in leaked or b"_loot" in leaked  # only its own file
    assert secret_line not in leaked and b"hunter2-4d2a" not in leaked
    assert b"test_" not in leaked and b"solutions" not in leaked


def test_two_visitors_at_the_same_moment_get_their_own_answers():
    import threading

    slow = "import time\nimport numpy as np\n\ndef sigmoid(z):\n    time.sleep(1.0)\n"
    slow += "    return np.full(len(z), 0.25)\n"
    fast = "import numpy as np\n\ndef sigmoid(z):\n    return np.full(len(z), 0.75)\n"
    answers = {}

    def visit(name, source):
        answers[name] = _evaluate(source, timeout=10.0)

    threads = [threading.Thread(target=visit, args=p) for p in (("slow", slow), ("fast", fast))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers["slow"].ok and answers["fast"].ok, (answers["slow"], answers["fast"])
    assert set(answers["slow"].values) == {0.25} and set(answers["fast"].values) == {0.75}


SLOW = "import time\n\ndef sigmoid(z):\n    time.sleep(1.0)\n    return z\n"


def _in_threads(calls, spacing=0.1):
    """Run each call in a thread of its own, started `spacing` seconds apart (as reruns of a
    held key are, each in a thread Streamlit abandons); the evaluations in call order."""
    results = [None] * len(calls)

    def run(index, call):
        results[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
        time.sleep(spacing)
    for thread in threads:
        thread.join(60)
    return results


def _slow_check(session):
    x = np.linspace(-1, 1, 3)
    return lambda: harness.evaluate_student_function(
        SLOW.encode(), "activations.py", "sigmoid", (x,), 5.0, session=session
    )


def test_a_session_runs_one_check_at_a_time_and_skips_the_replaced_ones():
    # red team, 2026-12-07: one tab with a key held down had ten sandboxes running at once
    first, second, third, last = _in_threads([_slow_check("tab") for _ in range(4)])
    assert first.ok and last.ok, (first.message, last.message)
    for replaced in (second, third):
        assert not replaced.ok and replaced.message == "a newer setting replaced this check"


def test_the_server_runs_at_most_its_number_of_checks(monkeypatch):
    monkeypatch.setattr(harness, "_running", (1, threading.BoundedSemaphore(1)))
    monkeypatch.setattr(harness, "WAIT_SECONDS", 0.3)
    one, other = _in_threads([_slow_check("tab 1"), _slow_check("tab 2")])
    assert one.ok, one.message
    assert not other.ok and other.message.startswith("the self-check is busy: 1 check is")


@pytest.mark.parametrize(("setting", "places"), [(3, 3), (0, max(2, os.cpu_count() or 2))])
def test_the_servers_places_follow_its_setting(monkeypatch, setting, places):
    monkeypatch.setattr(harness, "_running", None)
    chosen = settings_module.Settings(max_concurrent_checks=setting)
    monkeypatch.setattr(settings_module, "current_or_default", lambda: chosen)
    assert harness._places()[0] == places


def test_a_server_without_its_sandbox_tells_the_student_briefly(monkeypatch):
    """The fix (sysctls, container options) is the administrator's: the student reads what
    happened and whom to tell, not 2,000 characters of server setup (red team, 2026-12-07)."""
    from grader import bubblewrap

    monkeypatch.setenv("NNLAB_BWRAP", "/nonexistent/bwrap")
    monkeypatch.delenv(bubblewrap.MODE_VARIABLE, raising=False)
    evaluation = _evaluate("def sigmoid(z):\n    return z\n")
    assert not evaluation.ok
    assert evaluation.message.startswith("the self-check cannot run on this server")
    assert "Tell your instructor" in evaluation.message and len(evaluation.message) < 200
