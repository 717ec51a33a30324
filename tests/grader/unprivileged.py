"""A TA's laptop, made here: an unused uid with its own copy of the repository and its own venv.

The grader's tests run as root on CI; the sandbox must hold just as well for a user without
root. `UnprivilegedUser.create()` (root only) builds, under /tmp:

    base/            owned by the new uid, mode 0755
    base/repo/       grader/, nncore/, exercises/, tests/grader/ copied from this checkout
    base/repo/.venv/ a venv of Debian's /usr/bin/python3 with numpy and pytest, installed from
                     wheels that root downloaded for that Python version (cached between runs);
                     inside the checkout, where the README's commands put it, so the sandbox
                     tests also check that such a venv does not show the checkout to a child

and `user.run(argv)` runs a command as that uid (setpriv; no supplementary groups, no
capabilities), with cwd base/repo and a minimal environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path("/usr/bin/python3")
WHEELS = Path(tempfile.gettempdir()) / "nnlab-test-wheels"
UID_START = 2_900_000
COPIED = ["grader", "nncore", "exercises", "tests/grader", "pyproject.toml"]


class Unavailable(RuntimeError):
    """This machine cannot host the unprivileged test environment (the message says why)."""


def _free_uid():
    used = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                used.add(os.stat(f"/proc/{entry}").st_uid)
            except OSError:
                pass
    for uid in range(UID_START + os.getpid() % 1000, UID_START + 100_000):
        if uid not in used:
            return uid
    raise Unavailable("no free uid")


def _installed(name):
    from importlib.metadata import version

    return version(name)


def _download_wheels(python_version):
    target = WHEELS / python_version
    marker = target / "complete.json"
    wanted = {"numpy": _installed("numpy"), "pytest": _installed("pytest")}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return target
    target.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:",
        "--python-version", python_version, "-d", str(target),
        *(f"{name}=={value}" for name, value in wanted.items()),
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise Unavailable(f"could not download wheels: {finished.stderr.strip()[-500:]}")
    marker.write_text(json.dumps(wanted))
    for path in [WHEELS, *WHEELS.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return target


class UnprivilegedUser:
    def __init__(self, uid, base):
        self.uid = uid
        self.base = base
        self.repo = base / "repo"
        self.python = base / "repo" / ".venv" / "bin" / "python"

    @classmethod
    def create(cls):
        if os.geteuid() != 0:
            raise Unavailable("creating another user's environment needs root")
        if not SYSTEM_PYTHON.exists():
            raise Unavailable(f"{SYSTEM_PYTHON} (Debian's python3) is not installed")
        probe = subprocess.run(
            [str(SYSTEM_PYTHON), "-c", "import sys, venv, ensurepip; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode != 0:
            raise Unavailable(
                "Debian's python3 lacks venv/ensurepip (apt-get install python3-venv)"
            )
        major, minor = probe.stdout.strip("()\n").split(", ")
        wheels = _download_wheels(f"{major}.{minor}")
        uid = _free_uid()
        base = Path(tempfile.mkdtemp(prefix="nnlab-user-"))
        os.chmod(base, 0o755)
        for name in COPIED:
            source, target = REPO / name, base / "repo" / name
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
        for path in [base, *base.rglob("*")]:
            os.lchown(path, uid, uid)
        user = cls(uid, base)
        for command in (
            [str(SYSTEM_PYTHON), "-m", "venv", str(user.python.parent.parent)],
            [str(user.python), "-m", "pip", "install", "-q", "--no-index",
             "--find-links", str(wheels), "numpy", "pytest"],
        ):  # fmt: skip
            finished = user.run(command, timeout=300)
            if finished.returncode != 0:
                user.remove()
                raise Unavailable(f"{command[:3]} failed: {finished.stderr.strip()[-500:]}")
        return user

    def run(self, argv, cwd=None, timeout=600, env=None):
        """Run argv as this user: its uid and gid, no groups, no capabilities."""
        command = [
            "setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
            "--inh-caps=-all", "--", *map(str, argv),
        ]  # fmt: skip
        environment = {"PATH": "/usr/bin:/bin", "HOME": str(self.base), "LANG": "C.UTF-8"}
        environment.update(env or {})
        return subprocess.run(
            command,
            cwd=cwd or self.repo,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def grader(self, *args, timeout=600):
        """`python -m grader ARGS` as this user, with its venv and its copy of the repo."""
        return self.run([self.python, "-m", "grader", *args], timeout=timeout)

    def processes(self):
        """Host pids of this uid's processes."""
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.stat(f"/proc/{entry}").st_uid == self.uid:
                        pids.append(int(entry))
                except OSError:
                    continue
        return pids

    def remove(self):
        subprocess.run(["pkill", "-KILL", "-U", str(self.uid)], check=False)
        shutil.rmtree(self.base, ignore_errors=True)
