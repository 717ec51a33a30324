"""The container image's build context (.dockerignore) holds what a student dashboard needs and
no solutions, no hidden tests, no sample submissions.

The context is listed here with the rules of Docker's own matcher (moby/patternmatcher, which
BuildKit and Buildah use too): patterns in order, the last match wins, `!` lets a path back in,
`*` and `?` stop at `/`, `**` crosses folders, and a pattern that matches a parent folder
matches everything below it.
"""

import hashlib
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def compile_pattern(pattern: str) -> re.Pattern:
    regex, i = "^", 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            if pattern[i + 1 : i + 2] == "*":
                i += 1
                if pattern[i + 1 : i + 2] == "/":
                    i += 1
                    regex += "(.*/)?"
                else:
                    regex += ".*"
            else:
                regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            regex += re.escape(pattern[i])
        else:
            regex += re.escape(char)
        i += 1
    return re.compile(regex + "$")


def read_rules(text: str) -> list[tuple[bool, re.Pattern, int]]:
    """(exclusion, regex, number of path parts) per rule of a .dockerignore text."""
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        pattern = os.path.normpath(line[1:].strip() if exclusion else line).lstrip("/")
        rules.append((exclusion, compile_pattern(pattern), len(pattern.split("/"))))
    return rules


def ignored(path: str, rules) -> bool:
    """Docker's MatchesOrParentMatches: is this context path left out?"""
    parts = path.split("/")
    result = False
    for exclusion, regex, depth in rules:
        match = bool(regex.match(path))
        if not match and len(parts) > 1 and depth <= len(parts) - 1:
            match = bool(regex.match("/".join(parts[:depth])))
        if match:
            result = not exclusion
    return result


def context_files(root: Path = ROOT) -> set[str]:
    rules = read_rules((root / ".dockerignore").read_text())
    kept = set()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder, name).relative_to(root).as_posix()
            if not ignored(path, rules):
                kept.add(path)
    return kept


@pytest.fixture(scope="module")
def context() -> set[str]:
    return context_files()


# --------------------------------------------------------------- the matcher itself
@pytest.mark.parametrize(
    ("rules", "path", "expected"),
    [
        ("*", "app.py", True),
        ("*", "pages/home.py", True),  # the parent folder matches
        ("*\n!pages/", "pages/home.py", False),
        ("*\n!pages/\npages/secret.py", "pages/secret.py", True),  # the last match wins
        ("*.py", "pages/home.py", False),  # `*` stops at `/`
        ("**/*.py", "pages/home.py", True),
        ("**/__pycache__", "viz/__pycache__/ui.cpython-311.pyc", True),
        ("exercises/*/solutions", "exercises/a/solutions/x.py", True),
        ("exercises/*/solutions", "exercises/a/b/solutions/x.py", False),
        ("exercises/*/tests/hidden", "exercises/a/tests/hidden/t.py", True),
        ("exercises/*/tests/hidden", "exercises/a/tests/public/t.py", False),
        ("/app.py", "app.py", True),
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
    ],
)
def test_matcher_follows_dockers_rules(rules, path, expected):
    assert ignored(path, read_rules(rules)) is expected


# ------------------------------------------------------------------- the context
def test_no_solution_hidden_test_or_sample_in_the_context(context):
    leaked = [
        path
        for path in context
        if re.match(r"exercises/[^/]+/(solutions|samples|tests/hidden)/", path)
    ]
    assert not leaked


def test_no_copy_of_a_solution_anywhere_in_the_context(context):
    """By content, not by name: a solution copied to another folder is caught too."""
    secret = {
        hashlib.sha256(path.read_bytes()).hexdigest(): path.relative_to(ROOT).as_posix()
        for pattern in ("exercises/*/solutions/**/*", "exercises/*/tests/hidden/**/*",
                        "exercises/*/samples/**/*")
        for path in ROOT.glob(pattern)
        if path.is_file()
    }  # fmt: skip
    assert secret, "the repository's solutions were not found: the check would prove nothing"
    # a sample that hands in a stub unchanged (samples/partial) holds no secret
    for path in ROOT.glob("exercises/*/*.py"):
        secret.pop(hashlib.sha256(path.read_bytes()).hexdigest(), None)
    copies = {
        path: secret[digest]
        for path in context
        if (digest := hashlib.sha256((ROOT / path).read_bytes()).hexdigest()) in secret
    }
    assert not copies


def test_nothing_but_the_dashboard_in_the_context(context):
    tops = {path.split("/")[0] for path in context}
    assert tops <= {"app.py", "requirements.txt", "pages", "viz", "nncore", "grader",
                    "exercises", "deploy"}  # fmt: skip
    assert {p for p in context if p.startswith("deploy/")} == {
        "deploy/streamlit/config.toml",
        "deploy/streamlit/secrets.toml",
    }
    assert not [p for p in context if "__pycache__" in p or p.endswith(".pyc")]
    assert not [p for p in context if p.endswith("secrets.toml") and p.startswith(".streamlit")]


def test_the_context_holds_what_the_dashboard_needs(context):
    needed = {"app.py", "requirements.txt"}
    for folder in ("pages", "viz", "grader"):
        needed |= {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).glob("*.py")}
    needed |= {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "nncore").rglob("*") if p.is_file()
        and "__pycache__" not in p.parts
    }  # fmt: skip
    for assignment in (ROOT / "exercises").glob("*/assignment.json"):
        folder = assignment.parent
        needed.add(assignment.relative_to(ROOT).as_posix())
        needed |= {p.relative_to(ROOT).as_posix() for p in folder.glob("*.py")}  # the stubs
        needed |= {p.relative_to(ROOT).as_posix() for p in folder.glob("tests/public/*.py")}
    missing = needed - context
    assert not missing


def test_the_image_config_repeats_the_repository_config():
    """deploy/streamlit/config.toml replaces .streamlit/config.toml in the image: every value of
    the repository's file must be there too (the theme, the client), unless changed on purpose."""
    try:
        import tomllib  # novermin (3.10 falls back to tomli below)
    except ModuleNotFoundError:  # Python 3.10: pytest itself depends on tomli there
        import tomli as tomllib
    repository = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    image = tomllib.loads((ROOT / "deploy" / "streamlit" / "config.toml").read_text())
    for section, values in repository.items():
        for name, value in values.items():
            assert image.get(section, {}).get(name) == value, f"{section}.{name}"
