"""One pytest run of an assignment's tests: the assignment, the submission's sandbox (started
on the first call), the reference for later exercises' retries, and the per-test results that
become results.json. The pytest plugin (grader.pytest_plugin) creates it and registers it as a
plugin of its own, so its pytest_* methods are hooks.
"""

import json
import os
import signal
import time
from pathlib import Path

import pytest

from . import assignment as assignment_module
from .cgroups import SubmissionCgroup
from .isolation import Limits
from .proxy import ReferenceProxy
from .sandbox import Sandbox

SESSION_KEY = pytest.StashKey()
EXERCISE_KEY = pytest.StashKey()
POINTS_KEY = pytest.StashKey()
DUMP_INTERVAL = 0.5  # seconds between interim reports


class GradingSession:
    """Per pytest run: the assignment, one lazily started sandbox, the collected results."""

    def __init__(self, config, assignment):
        self.config = config
        self.assignment = assignment
        option = config.option
        self.submission = Path(option.grader_submission or assignment.folder).resolve()
        solutions = option.grader_solutions or assignment.solutions
        self.solutions = Path(solutions).resolve() if Path(solutions).is_dir() else None
        self.report_path = option.grader_report
        self.secrets = [
            str(path)
            for path in [
                assignment.folder,
                self.solutions,
                assignment_module.repository_root(),
                *option.grader_hide,
            ]
            if path
        ]
        self.isolation = "none" if option.grader_trust_submissions else "bwrap"
        self.harness_error = None
        self.reference = None
        if self.solutions is not None:
            # Loaded now, before any student code runs, from the grader's private copy.
            self.reference = ReferenceProxy(self.solutions, assignment.modules)
            self.reference.load_all()
        self.test_roots = [assignment.folder / "tests", *self._test_dirs()]
        hidden = assignment.raw.get("hidden_tests", {})
        self.hidden_details = not (isinstance(hidden, dict) and hidden.get("show") == "name")
        self.printed = []  # what the submission printed during the current test
        self._sandbox = None  # the submission as it is
        # the same files with some earlier ones answered by the reference, one sandbox for each
        # set of replaced files (a student module imported in one keeps the modules it bound)
        self._reference_boxes = {}
        # every sandbox of this submission in one cgroup, so that retries cannot multiply its
        # memory (see grader.cgroups.SubmissionCgroup; its limits are one sandbox's)
        self.limits = Limits.from_config(assignment.sandbox)
        self.group = SubmissionCgroup(
            (self.limits.memory_mb + self.limits.disk_mb) * 1024 * 1024,
            self.limits.processes * 2,
        )
        self.use_reference_files = False
        self.replaced = None  # while retrying: the earlier files answered by the reference
        self.results = {}
        self.order = []
        self.collection_errors = []
        self.started = time.monotonic()
        self.last_dump = 0.0
        if self.report_path:
            signal.signal(signal.SIGTERM, self._stop)

    def _stop(self, signum, frame):
        """The harness's time limit: keep what was graded, stop the sandbox, leave at once."""
        self.close()
        self.dump()
        os._exit(3)

    def _test_dirs(self):
        dirs = []
        for arg in self.config.args:
            path = Path(arg.split("::")[0]).resolve()
            dirs.append(path if path.is_dir() else path.parent)
        return dirs

    def _new_sandbox(self, oracle):
        return Sandbox(
            self.submission,
            self.assignment.files,
            call_timeout=self.assignment.time_limit_per_call,
            total_budget=self.assignment.time_limit_total,
            limits=self.limits,
            secrets=self.secrets,
            isolation=self.isolation,
            packages=self.assignment.sandbox.get("packages", ["numpy"]),
            oracle=self._oracle if oracle else None,
            oracle_files=self._oracle_files if oracle else None,
            submission_group=self.group,
        )

    def sandbox(self):
        """The sandbox a call goes to: the submission as it is or, while a test of a later
        exercise is retried (see pytest_runtest_call), a second one in which the exercise's
        earlier files are the reference's. They never share a process or a folder."""
        if self.use_reference_files:
            if self.replaced not in self._reference_boxes:
                self._reference_boxes[self.replaced] = self._new_sandbox(oracle=True)
            return self._reference_boxes[self.replaced]
        if self._sandbox is None:
            self._sandbox = self._new_sandbox(oracle=False)
        return self._sandbox

    # ----- the reference's earlier files for later exercises ---------------------------------

    def _oracle(self, module, function, args, kwargs):
        return getattr(getattr(self.reference, module), function)(*args, **kwargs)

    def _oracle_files(self, module):
        """{earlier file's module: [its functions]} that calls on `module` see as the
        reference's: the `imports` of the exercise whose file is module.py."""
        files = set()
        for exercise in self.assignment.exercises:
            if exercise.file == f"{module}.py":
                files.update(exercise.imports)
        if self.replaced is not None:
            files &= self.replaced
        found = {}
        for name in sorted(files):
            reference = getattr(self.reference, name[:-3], None)
            if reference is not None:
                found[name[:-3]] = reference_functions(reference)
        return found

    def imports_of(self, item):
        """The earlier files the test's exercise may import (assignment.json 'imports')."""
        exercise = self.assignment.exercise(item.stash.get(EXERCISE_KEY, None) or "")
        return list(exercise.imports) if exercise is not None else []

    def note_printed(self, qualified, text):
        if sum(len(chunk) for chunk in self.printed) < 4000:
            self.printed.append(f"[{qualified}] {text.strip()}")

    def pytest_runtest_setup(self, item):
        self.printed = []

    def close(self):
        for box in (self._sandbox, *self._reference_boxes.values()):
            if box is not None:
                box.close()
        self.group.close()

    # ----- results -------------------------------------------------------------------------

    def record(self, item):
        exercise = item.stash.get(EXERCISE_KEY, None)
        entry = {
            "nodeid": item.nodeid,
            "name": item.name,
            "file": Path(str(item.path)).name,
            "exercise": exercise,
            "points": item.stash.get(POINTS_KEY, 1.0),
            "visibility": "hidden" if is_hidden(item.path, self.config) else "public",
            "idea": test_idea(item),
            "status": "passed",
            "message": "",
            "duration": 0.0,
            "finished": False,
        }
        self.results[item.nodeid] = entry
        self.order.append(item.nodeid)

    def forget(self, nodeid):
        """A test deselected with -m/-k is not part of this run: it earns and costs nothing."""
        if self.results.pop(nodeid, None) is not None:
            self.order.remove(nodeid)

    def update(self, report, message, kind=""):
        entry = self.results.get(report.nodeid)
        if entry is None:
            return
        entry["duration"] += float(getattr(report, "duration", 0.0) or 0.0)
        failed = report.failed or report.skipped or hasattr(report, "wasxfail")
        if failed and entry["status"] == "passed":
            entry["status"] = "failed"
            entry["message"] = message or "the test did not pass"
            entry["file_problem"] = kind in ("missing_file", "import_error")

    def pytest_runtest_logreport(self, report):
        properties = dict(report.user_properties)
        self.update(report, properties.get("nnlab_feedback", ""), properties.get("nnlab_kind", ""))
        if report.when == "teardown" and report.nodeid in self.results:
            self.results[report.nodeid]["finished"] = True
            if time.monotonic() - self.last_dump > DUMP_INTERVAL:
                self.dump()

    def dump(self):
        """Write the report (also during the run, so a killed session keeps its results)."""
        self.last_dump = time.monotonic()
        if self.report_path:
            path = Path(self.report_path)
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_text(json.dumps(self.as_dict()))
            temporary.replace(path)

    def file_problems(self):
        """{file: problem} for files missing, unreadable or failing to import (said once)."""
        if self._sandbox is None:
            return {}
        problems = {
            name: f"{name} is missing or could not be read"
            if problem == "missing"
            else f"{name} {problem}"
            for name, problem in self._sandbox.file_problems.items()
        }
        for module, text in self._sandbox.broken.items():
            problems.setdefault(f"{module}.py", text)
        return problems

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors.append({"nodeid": report.nodeid, "error": str(report.longrepr)})

    def as_dict(self):
        return {
            "assignment": self.assignment.name,
            "tests": [self.results[nodeid] for nodeid in self.order],
            "collection_errors": self.collection_errors,
            "sandbox_notes": list(self._sandbox.notes) if self._sandbox else [],
            "harness_error": self.harness_error,
            "file_problems": self.file_problems(),
            "sandbox_starts": self._sandbox.starts if self._sandbox else 0,
            "seconds": time.monotonic() - self.started,
        }


def reference_functions(module):
    """The public functions a reference module defines (what a student's file provides)."""
    import inspect

    return sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and value.__module__ == module.__name__
    )


def test_idea(item):
    """The lecture idea a test checks: @pytest.mark.idea("..."), else its docstring's first
    line (the exercise's idea is the fallback, added by grader.results)."""
    marker = item.get_closest_marker("idea")
    if marker is not None and marker.args:
        return str(marker.args[0])
    doc = getattr(getattr(item, "obj", None), "__doc__", None) or ""
    return doc.strip().splitlines()[0].strip() if doc.strip() else ""


def is_hidden(path, config):
    """True for a test file under the assignment's tests/hidden folder."""
    grading = config.stash.get(SESSION_KEY, None)
    if grading is None:
        return False
    hidden = grading.assignment.hidden_tests.resolve()
    return hidden in Path(str(path)).resolve().parents
