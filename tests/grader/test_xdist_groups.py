"""The suite's xdist groups reach xdist's scheduler (tests/conftest.py).

xdist reads a test's group from the "@group" suffix its own collection hook adds to the node id
from the test's xdist_group mark. A mark added after that hook has run is silently ignored: the
"sandbox" tests then ran on both workers at once, and each module fixture was set up once per
worker that ran one of its tests (the fairness class, graded in sandboxes, twice).
"""

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_carries_its_group_where_xdist_reads_it(request):
    loadgroup = request.config.getoption("loadgroup", default=False)  # an xdist worker's option
    checked = {"sandbox": 0, "browser": 0}
    for item in request.session.items:
        groups = [mark.args[0] for mark in item.iter_markers("xdist_group")]
        path = Path(str(item.fspath)).resolve()
        if TESTS / "grader" in path.parents:
            assert groups == ["sandbox"], (item.nodeid, groups)
        elif item.get_closest_marker("browser") and groups != ["sandbox"]:
            assert len(groups) == 1 and groups[0].startswith("browser"), (item.nodeid, groups)
        if groups:
            checked["browser" if groups[0].startswith("browser") else "sandbox"] += 1
            if loadgroup:
                assert item.nodeid.endswith("@" + groups[0]), item.nodeid
    # a run of the whole suite (one test file alone collects only itself)
    if len(request.session.items) > 1000:
        assert checked["sandbox"] > 100 and checked["browser"] > 20, checked


def test_every_module_named_for_the_sandbox_group_exists(request):
    """A renamed or split module left in SANDBOX_USERS would drop its tests out of the group
    without a word: each name must be a test module that is there."""
    plugins = request.config.pluginmanager.get_plugins()
    suite = TESTS / "conftest.py"
    (conftest,) = [p for p in plugins if getattr(p, "__file__", None) and Path(p.__file__) == suite]
    assert conftest.SANDBOX_USERS
    for path in conftest.SANDBOX_USERS:
        assert path.is_file() and path.name.startswith("test_"), path
        assert TESTS / "app" in path.parents, path
