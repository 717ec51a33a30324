"""Shared by the whole suite: which tests must not run beside each other under pytest-xdist, and
how many workers `-n auto` starts.

- "sandbox": tests that start grading sandboxes run one after another on one worker. Some check
  the state of the whole machine after grading (no sandbox process left, no file left in /tmp or
  /dev/shm, leased user ids), which another worker's sandboxes would disturb.
- "browser-1", "browser-2": the real-browser tests (marked `browser`), in two groups of about the
  same length, each run one after another on one worker: each test drives a chromium and a
  streamlit server, and module fixtures serve one app to all of a module's tests. (A browser test
  that grades in the sandbox stays in "sandbox".)
- Every other test may run on any worker at the same time.

Workers: at least three, so that each of the three groups has its own (the browser groups are
the suite's longest chains, most of its wall time on 2 cores; the rest of the suite fills in
beside them). The suite mostly waits (for pages to settle,
for sandboxes to time out), so a third worker on two cores cuts the wall time rather than adding
to it (see README, "Tests").
"""

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# Besides tests/grader: the pages and browser tests that grade an upload in the sandbox (the
# grading page's modules, all but the pure test_grading_analytics.py).
SANDBOX_USERS = {
    HERE / "app" / name
    for name in (
        "test_grading_class_view.py",
        "test_grading_compare.py",
        "test_grading_harness.py",
        "test_grading_sandbox.py",
        "test_grading_self_check.py",
        "test_browser_practice.py",
    )
}
# The browser modules in the group "browser-1" (the projector matrix is the longest module);
# every other browser module is in "browser-2". Balanced by a run's --durations (2026-12-07, the
# machine loaded): 1,561 s of the slowest tests in browser-1, 1,401 s in browser-2; then the
# text contrast sweeps (205 s) went into the projector sweep's page loads, and the width-and-
# depth Stop test (115 s) trains lighter networks.
BROWSER_ONE = {
    "test_browser_projector",
    "test_browser_plotly_wire",
    "test_browser_lecture_pages",
    "test_browser_gradients",
    "test_browser_text_contrast",
}


# tryfirst: xdist's own hook turns the marks into the "@group" suffix of each node id, which is
# all its scheduler reads; a mark added after it would be ignored (tests/grader/test_xdist_groups)
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        path = Path(str(item.fspath)).resolve()
        if HERE / "grader" in path.parents or path in SANDBOX_USERS:
            item.add_marker(pytest.mark.xdist_group("sandbox"))
        elif item.get_closest_marker("browser"):
            group = "browser-1" if path.stem in BROWSER_ONE else "browser-2"
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_auto_num_workers(config):
    """-n auto: one worker per core, and at least one per group (PYTEST_XDIST_AUTO_NUM_WORKERS,
    when set, still decides)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(3, cores or 1)
