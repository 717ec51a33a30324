"""`release`: the student bundle, and `gradescope`: the autograder zip.

Student bundle (DIR):
    README.md, assignment.json (public settings), the stubs, tests/public/ (public tests and
    their helpers), conftest.py + pytest.ini + _nnlab_grader/ (this harness's sandbox and
    plugin, so `pytest` in DIR runs the public tests the way the grader does and prints points
    per exercise; it needs only numpy and pytest, no network). No solutions, no hidden tests:
    checked after writing, by name and by content.

Gradescope zip: setup.sh, run_autograder, requirements.txt, grader/ and
exercises/<name>/ (without samples); run_autograder grades /autograder/submission into
/autograder/results/results.json.
"""

import json
import shutil
import zipfile
from pathlib import Path

BUNDLED_MODULES = [
    "protocol.py",
    "child.py",
    "isolation.py",
    "sandbox.py",
    "spawn.py",
    "exchange.py",
    "bubblewrap.py",
    "cgroups.py",
    "seccomp.py",
    "uids.py",
    "text.py",
    "channel.py",
    "workspace.py",
    "proxy.py",
    "feedback.py",
    "assignment.py",
    "pytest_plugin.py",
    "session.py",
]
PUBLIC_KEYS = [
    "name",
    "title",
    "files",
    "exercises",
    "time_limit_per_call",
    "time_limit_total",
    "sandbox",
]
BUNDLE_CONFTEST = '''"""Loads the course grader's pytest plugin, so `pytest` here checks your
files like the grader does: each call runs your code in a separate process, with the same
time limits. It is your own code, so it runs without the grader's sandbox (which needs Linux
and bubblewrap); the course's grader runs it sandboxed."""

pytest_plugins = ["_nnlab_grader.pytest_plugin"]
'''
BUNDLE_INI = """[pytest]
testpaths = tests
addopts = --grader-trust-submissions
filterwarnings =
    error::RuntimeWarning
"""
HOW_TO_CHECK = """

## Checking your work

Install NumPy and pytest (`pip install numpy pytest`), then run in this folder:

    pytest                      # all public tests, points per exercise at the end
    pytest -m {first_id}     # one exercise
    pytest -x -q                # stop at the first failure

The public tests are a subset of the tests used for grading; the hidden tests check more
inputs and edge cases of the same ideas. Only edit the files listed in assignment.json.
"""
SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when building the autograder image (Ubuntu 22.04 or 24.04).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# python3-venv: our own environment, so the system's pip (PEP 668 on 24.04) is never asked to
# install anything; bubblewrap: the sandbox every submission runs in.
apt-get install -y -q python3 python3-pip python3-venv bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install -q --upgrade pip
/autograder/venv/bin/python -m pip install -q -r /autograder/source/requirements.txt
# The tests, the solutions and the grader are for root only.
chmod -R go-rwx /autograder/source
"""
RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission (as root, in a fresh container). The submission
# runs in the bubblewrap sandbox; if the container cannot host it, results.json says "error"
# and why (nothing of the submission ran).
cd /autograder/source
mkdir -p /autograder/results
/autograder/venv/bin/python -m grader grade /autograder/submission \\
    --assignment exercises/{name} --out /autograder/results/results.json
"""
REQUIREMENTS = "numpy>=1.26,<3\npytest>=8.0,<10\nnbformat>=5.9,<6\n"
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


def _grader_dir():
    return Path(__file__).resolve().parent


def public_settings(assignment):
    return {key: assignment.raw[key] for key in PUBLIC_KEYS if key in assignment.raw}


def release(assignment, out):
    """Write the student bundle into out (a new or empty folder); returns the file list."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} exists and is not empty; choose a new folder")
    out.mkdir(parents=True, exist_ok=True)
    for name in assignment.files:
        shutil.copyfile(assignment.folder / name, out / name)
    shutil.copytree(assignment.public_tests, out / "tests" / "public", ignore=IGNORED)
    (out / "assignment.json").write_text(json.dumps(public_settings(assignment), indent=2) + "\n")
    readme = assignment.folder / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else f"# {assignment.title}\n"
    if "pytest" not in text:  # the assignment's README may already explain it
        text += HOW_TO_CHECK.format(first_id=assignment.exercises[0].id)
    (out / "README.md").write_text(text, encoding="utf-8")
    (out / "conftest.py").write_text(BUNDLE_CONFTEST)
    (out / "pytest.ini").write_text(BUNDLE_INI)
    package = out / "_nnlab_grader"
    package.mkdir()
    (package / "__init__.py").write_text('"""The course grader\'s sandbox and pytest plugin."""\n')
    for name in BUNDLED_MODULES:
        shutil.copyfile(_grader_dir() / name, package / name)
    check_no_secrets(assignment, out)
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def _secret_files(assignment):
    """Solutions, hidden tests and sample submissions (a sample may be a full solution)."""
    folders = [assignment.solutions, assignment.hidden_tests, assignment.folder / "samples"]
    return [p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()]


def check_no_secrets(assignment, out):
    """Raise ValueError if out holds a hidden test or a solution (by folder name or content)."""
    secrets = {p.read_bytes() for p in _secret_files(assignment) if p.stat().st_size > 0}
    stubs = {(assignment.folder / n).read_bytes() for n in assignment.files}
    for path in Path(out).rglob("*"):
        parts = set(path.relative_to(out).parts)
        if {"solutions", "hidden", "samples"} & parts:
            raise ValueError(f"release would ship {path}: solutions/hidden tests must stay out")
        if path.is_file():
            data = path.read_bytes()
            if data in secrets and data not in stubs:
                raise ValueError(f"release would ship {path}, a copy of a solution/hidden test")


def gradescope_zip(assignment, out):
    """Write the Gradescope autograder zip; returns the list of archive names."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    names = []
    prefix = f"exercises/{assignment.folder.name}"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add_text(name, text, executable=False):
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o755 if executable else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
            names.append(name)

        add_text("setup.sh", SETUP_SH, executable=True)
        add_text(
            "run_autograder",
            RUN_AUTOGRADER.format(name=assignment.folder.name),
            executable=True,
        )
        add_text("requirements.txt", REQUIREMENTS)
        for path in sorted(_grader_dir().glob("*.py")):
            add_text(f"grader/{path.name}", path.read_text(encoding="utf-8"))
        add_text(f"{prefix}/assignment.json", (assignment.folder / "assignment.json").read_text())
        for name in assignment.files:
            add_text(f"{prefix}/{name}", (assignment.folder / name).read_text(encoding="utf-8"))
        for folder in (assignment.solutions, assignment.public_tests, assignment.hidden_tests):
            for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
                relative = path.relative_to(assignment.folder)
                if path.is_file() and not set(relative.parts) & {"__pycache__"}:
                    if path.suffix in (".py", ".json", ".txt", ".md", ".csv", ".npz"):
                        archive.write(path, f"{prefix}/{relative.as_posix()}")
                        names.append(f"{prefix}/{relative.as_posix()}")
    return names


DASHBOARD_PARTS = ["app.py", "pages", "viz", "nncore", "grader", "requirements.txt"]
DASHBOARD_README = """# nnlab: the student dashboard

Written by `python -m grader publish`: the dashboard and, for each assignment, what students
may see (stubs, public tests, settings). No reference solutions, hidden tests or sample
submissions are in this folder, so a server running it has none on its disk.

    python -m pip install -r requirements.txt && streamlit run app.py

The Grading page's self-check compares a student's function with nncore on inputs the page
chooses, in the grader's bubblewrap sandbox (`apt-get install bubblewrap`).
"""


def publish(out, assignments_dir=None, root=None):
    """Write the student dashboard into out (a new or empty folder); returns the file list.

    Everything the dashboard needs, and of each assignment under assignments_dir only its
    public part; checked after writing, by folder name and by content, like `release`.
    """
    from . import assignment as assignment_module

    root = Path(root) if root else assignment_module.repository_root()
    assignments_dir = Path(assignments_dir) if assignments_dir else root / "exercises"
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} exists and is not empty; choose a new folder")
    out.mkdir(parents=True, exist_ok=True)
    for name in DASHBOARD_PARTS:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=IGNORED)
        elif source.is_file():
            shutil.copyfile(source, out / name)
    (out / ".streamlit").mkdir()
    shutil.copyfile(root / ".streamlit" / "config.toml", out / ".streamlit" / "config.toml")
    (out / "README.md").write_text(DASHBOARD_README)
    assignments = []
    for path in sorted(assignments_dir.glob("*/assignment.json")):
        assignment = assignment_module.load(path.parent)
        assignments.append(assignment)
        target = out / "exercises" / path.parent.name
        target.mkdir(parents=True)
        for name in assignment.files:
            shutil.copyfile(assignment.folder / name, target / name)
        if assignment.public_tests.is_dir():
            shutil.copytree(assignment.public_tests, target / "tests" / "public", ignore=IGNORED)
        (target / "assignment.json").write_text(
            json.dumps(public_settings(assignment), indent=2) + "\n"
        )
        readme = assignment.folder / "README.md"
        if readme.is_file():
            shutil.copyfile(readme, target / "README.md")
    for assignment in assignments:
        check_no_secrets(assignment, out)
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
