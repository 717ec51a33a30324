"""Benchmark the grading harness against plain in-process pytest on the same tests.

    python benchmarks/grading.py [--assignment mlp_basics] [--repeats 5] [--class-size 40]
                                 [--class-repeats 3] [--workers 2]

Four measurements, each against a baseline timed in the same run (interleaved, medians and
ratios printed):

1. the sandbox's own start-up: a child up and answering in bubblewrap versus the same child
   as a plain process (--trust-submissions);
2. one submission: `grade_submission` (trusted pytest process + bubblewrap child,
   results.json) versus the same without the sandbox (trust=True), and versus a fresh
   `python -m pytest` process running the same public and hidden tests with in-process
   `student`/`reference` fixtures (no isolation at all);
3. a class of N submissions (built from the assignment's samples, solutions and stubs) with
   `run_batch` on all cores, versus the same N baseline runs on the same number of workers;
4. one call: `student.<file>.<function>(x)` through the sandbox versus a direct call.

Targets: one submission < 1.5x the unsandboxed harness, a class of 40 < 60 s on 2 cores.
"""

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader import assignment as assignment_module  # noqa: E402
from grader.batch import run_batch  # noqa: E402
from grader.grade import grade_submission  # noqa: E402
from grader.sandbox import Sandbox  # noqa: E402

BASELINE_CONFTEST = """
import importlib
import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_addoption(parser):
    parser.addoption("--submission")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): points")
    for exercise in json.loads((HERE / "assignment.json").read_text())["exercises"]:
        config.addinivalue_line("markers", exercise["id"] + ": exercise")
    sys.path[:0] = [config.getoption("submission"), str(HERE / "tests" / "public")]


class InProcess:
    def __getattr__(self, name):
        return importlib.import_module(name)


@pytest.fixture
def student():
    return InProcess()


@pytest.fixture
def reference():
    return InProcess()
"""


def baseline_folder(assignment):
    """A folder with the same tests and an in-process conftest (no sandbox, no plugin).

    Both `student` and `reference` import from the submission folder: a timing baseline, not
    a grading (hidden tests then compare a submission with itself).
    """
    folder = Path(tempfile.mkdtemp(prefix="nnlab-bench-baseline-"))
    shutil.copyfile(assignment.folder / "assignment.json", folder / "assignment.json")
    shutil.copytree(assignment.public_tests, folder / "tests" / "public")
    if assignment.hidden_tests.is_dir():
        shutil.copytree(assignment.hidden_tests, folder / "tests" / "hidden")
    (folder / "conftest.py").write_text(BASELINE_CONFTEST)
    (folder / "pytest.ini").write_text("[pytest]\nfilterwarnings =\n    error::RuntimeWarning\n")
    return folder


def run_baseline(folder, submission):
    """Plain pytest, in-process student code, in a fresh process (like one grading)."""
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONDONTWRITEBYTECODE="1")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "--assert=plain",  # the same pytest options as the harness's session
            "--no-header",
            "-p",
            "no:cacheprovider",
            "--import-mode=importlib",
            "--submission",
            str(submission),
            "tests",
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - started


def run_harness(assignment, submission, trust=False):
    started = time.perf_counter()
    results = grade_submission(submission, assignment, trust=trust)
    seconds = time.perf_counter() - started
    if results["extra_data"]["status"] != "ok":
        raise RuntimeError(f"grading failed: {results['output']}")
    return seconds


def one_submission(assignment, folder, repeats):
    harness, trusted, baseline = [], [], []
    for _ in range(repeats):
        harness.append(run_harness(assignment, assignment.solutions))
        trusted.append(run_harness(assignment, assignment.solutions, trust=True))
        baseline.append(run_baseline(folder, assignment.solutions))
    ratios = [h / t for h, t in zip(harness, trusted, strict=True)]
    return (
        statistics.median(harness),
        statistics.median(trusted),
        statistics.median(baseline),
        statistics.median(ratios),
    )


def startup(assignment, repeats=15):
    """Median seconds from Sandbox.start() to the child's hello: bubblewrap vs a plain process."""
    times = {"bwrap": [], "none": []}
    for _ in range(repeats):
        for isolation in ("bwrap", "none"):
            box = Sandbox(assignment.solutions, assignment.files, isolation=isolation)
            started = time.perf_counter()
            box.start()
            times[isolation].append(time.perf_counter() - started)
            box.close()
    ratios = [b / n for b, n in zip(times["bwrap"], times["none"], strict=True)]
    return (
        statistics.median(times["bwrap"]),
        statistics.median(times["none"]),
        statistics.median(ratios),
    )


def make_class(assignment, size):
    """size submissions cycling through the samples, the solutions and the stubs."""
    sources = sorted(p for p in (assignment.folder / "samples").glob("*") if p.is_dir())
    sources += [assignment.solutions, assignment.folder]
    root = Path(tempfile.mkdtemp(prefix="nnlab-bench-class-"))
    for index, source in zip(range(size), itertools.cycle(sources)):
        student = root / "subs" / f"student{index:03d}"
        student.mkdir(parents=True)
        for name in assignment.files:
            if (source / name).is_file():
                shutil.copyfile(source / name, student / name)
    return root


def whole_class(assignment, folder, size, workers, repeats):
    """Median wall time of grading the class (regrading each time) and of the baseline."""
    root = make_class(assignment, size)
    students = sorted((root / "subs").iterdir())
    harness, baseline = [], []
    try:
        for _ in range(repeats):
            started = time.perf_counter()
            run_batch(
                root / "subs",
                assignment,
                root / "out",
                regrade=True,
                workers=workers,
                progress=False,
            )
            harness.append(time.perf_counter() - started)
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(lambda s: run_baseline(folder, s), students))
            baseline.append(time.perf_counter() - started)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return statistics.median(harness), statistics.median(baseline)


def one_call(assignment, repeats=15, number=200):
    """Median seconds per call of the first function of the first file, sandbox vs direct."""
    module = assignment.modules[0]
    sys.path.insert(0, str(assignment.solutions))
    reference = __import__(module)
    function = next(
        name
        for name in dir(reference)
        if not name.startswith("_") and callable(getattr(reference, name))
    )
    x = np.random.default_rng(0).normal(size=(32, 16))
    sandbox = Sandbox(assignment.solutions, assignment.files, call_timeout=10)
    direct = getattr(reference, function)
    try:
        sandbox.call(module, function, (x,))
        through, plain = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            for _ in range(number):
                sandbox.call(module, function, (x,))
            through.append((time.perf_counter() - started) / number)
            started = time.perf_counter()
            for _ in range(number):
                direct(x)
            plain.append((time.perf_counter() - started) / number)
    finally:
        sandbox.close()
    return f"{module}.{function}", statistics.median(through), statistics.median(plain)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--assignment", default="mlp_basics")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--class-size", type=int, default=40)
    parser.add_argument("--class-repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    assignment = assignment_module.resolve(args.assignment)
    folder = baseline_folder(assignment)
    try:
        print(f"assignment {assignment.name}: {args.repeats} repeats, {args.workers} workers")
        sandboxed, plain, ratio = startup(assignment)
        print(
            f"sandbox start-up bubblewrap {sandboxed * 1e3:6.0f} ms   plain process "
            f"{plain * 1e3:6.0f} ms   ratio {ratio:5.2f}   "
            f"(added {1e3 * (sandboxed - plain):.0f} ms)"
        )
        harness, trusted, baseline, ratio = one_submission(assignment, folder, args.repeats)
        print(
            f"one submission   harness {harness:6.2f} s   without sandbox {trusted:6.2f} s   "
            f"ratio {ratio:5.2f} (target < 1.5)   plain pytest {baseline:6.2f} s   "
            f"ratio {harness / baseline:5.2f}"
        )
        harness, baseline = whole_class(
            assignment, folder, args.class_size, args.workers, args.class_repeats
        )
        print(
            f"class of {args.class_size:<3}     harness {harness:6.2f} s   plain pytest "
            f"{baseline:6.2f} s   ratio {harness / baseline:5.2f}   (target < 60 s)"
        )
        name, through, plain = one_call(assignment)
        print(
            f"one call {name}: sandbox {through * 1e6:8.1f} us   direct {plain * 1e6:8.1f} us   "
            f"ratio {through / plain:7.1f}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
