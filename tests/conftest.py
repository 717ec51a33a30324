"""Shared by the whole suite: which tests must not run beside each other under pytest-xdist.

- "sandbox": tests that start grading sandboxes run one after another on one worker. Some check
  the state of the whole machine after grading (no sandbox process left, no file left in /tmp or
  /dev/shm, leased user ids), which another worker's sandboxes would disturb.
- "browser": the real-browser tests (marked `browser`) run one after another on one worker. Each
  drives a chromium and a streamlit server; two such pairs on two cores made every page load
  slower than running them in turn, while the other worker runs the AppTests, nncore and the
  grader meanwhile. (A browser test that grades in the sandbox stays in "sandbox".)

Every other test may run on any worker at the same time.
"""

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# Besides tests/grader: the pages and browser tests that grade an upload in the sandbox.
SANDBOX_USERS = {HERE / "app" / "test_page_grading.py", HERE / "app" / "test_browser_practice.py"}


def pytest_collection_modifyitems(items):
    for item in items:
        path = Path(str(item.fspath)).resolve()
        if HERE / "grader" in path.parents or path in SANDBOX_USERS:
            item.add_marker(pytest.mark.xdist_group("sandbox"))
        elif item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
