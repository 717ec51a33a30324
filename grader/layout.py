"""What a student uploaded, matched to the files the assignment expects.

Students send their work in many shapes: the files at the top, inside one folder or two levels
down (`hw3/mlp_basics/`), with macOS `__MACOSX` debris, as `Activation.py`, `Vanishing.py` or
`gradcheck (1).py`, or as Jupyter notebooks (one per file, or one for everything). `find` looks
at all of it once and decides, and `Layout.notes` says what it decided in words a student
understands, to be shown ONCE at the top of the report (never repeated in every test):

    layout = find(submission_folder, ["activations.py", "layers.py"])
    layout.sources      # {"activations.py": b"...", ...}: what will be graded
    layout.missing      # expected files found in no form
    layout.notes        # ["Graded Activation.py as activations.py.", ...]

The folder holding the most expected files wins (then the shallower one); a file with the
expected name is used first, then a unique near match (case, a copy suffix such as " (1)", a
singular or plural form, '-' for '_'), then a notebook of that name, then a single notebook
holding everything. Notebooks are read with nbformat (Jupyter's own library): their code cells
are graded, IPython magics (%...) and shell lines (!...) are dropped, and the notes say so.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .workspace import MAX_NOTEBOOK_BYTES, MAX_SOURCE_BYTES, read_file

MAX_DEPTH = 5
MAX_ENTRIES = 2000
SKIPPED_FOLDERS = {"__MACOSX", "__pycache__", ".git", ".ipynb_checkpoints", "node_modules"}
_COPY_SUFFIX = re.compile(r"(\s*\(\d+\)|[\s_-]+copy(\s*\d+)?|[\s_-]+\d+|[\s_-]+final|[\s_-]+v\d+)$")


def normal_stem(name):
    """A file name reduced to what students get wrong least: 'Activation (1).py' -> 'activation'."""
    stem = Path(name).stem.strip().lower().replace("-", "_").replace(" ", "_")
    previous = None
    while previous != stem:
        previous = stem
        stem = _COPY_SUFFIX.sub("", stem).strip("_ ")
    return stem


def _same(stem, wanted):
    """True when stem names the expected stem: equal, or one is the other plus a plural 's'."""
    return stem == wanted or stem + "s" == wanted or stem == wanted + "s"


@dataclass
class Layout:
    folder: Path | None
    sources: dict = field(default_factory=dict)
    missing: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    found: list = field(default_factory=list)  # every .py / .ipynb seen, relative paths

    def summary(self, expected):
        """The one-paragraph upload report (empty when everything was exactly as expected)."""
        if not self.notes and not self.missing:
            return ""
        lines = ["About your upload:"]
        lines += [f"- {shown(note)}" for note in dict.fromkeys(self.notes)]  # each note once
        if self.missing:
            found = ", ".join(shown(name) for name in self.found[:12])
            lines.append(
                f"- Not found: {', '.join(self.missing)} (expected: {', '.join(expected)}; "
                f"found: {found or 'no .py or .ipynb file'})."
            )
        return "\n".join(lines)


def shown(text):
    """A note or a file name of the upload as one line: the student names the files, so a line
    break or any other unprintable character in a name is written as its escape (\\n, \\u202e)
    and no name can add a line of its own to the report."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in str(text)
    )


def _walk(root):
    """(folder, [file names]) below root, bounded in depth and count, skipping debris."""
    seen = 0
    for folder, dirs, files in os.walk(root, followlinks=False):
        depth = len(Path(folder).relative_to(root).parts)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIPPED_FOLDERS and not d.startswith(".") and depth < MAX_DEPTH
        )
        names = sorted(f for f in files if not f.startswith((".", "._")))
        seen += len(names) + len(dirs)
        yield Path(folder), names
        if seen > MAX_ENTRIES:
            return


def notebook_source(data, label):
    """(python source, dropped line count) of a notebook's code cells; ValueError if unreadable."""
    import nbformat

    try:
        notebook = nbformat.reads(data.decode("utf-8", errors="replace"), as_version=4)
    except Exception as error:  # noqa: BLE001 - nbformat raises several kinds for a bad file
        kind = type(error).__name__
        raise ValueError(f"{label} is not a readable Jupyter notebook ({kind})") from None
    kept, dropped = [], 0
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        lines = str(cell.get("source", "")).splitlines()
        if lines and lines[0].lstrip().startswith("%%"):
            dropped += len(lines)  # a cell magic (%%time, %%bash, ...) runs as something else
            continue
        for line in lines:
            if line.lstrip().startswith(("%", "!")):
                dropped += 1
                kept.append("")  # keeps line numbers close to the notebook's
            else:
                kept.append(line)
        kept.append("")
    return "\n".join(kept).encode(), dropped


def find(submission, expected):
    """The Layout of `submission` (a folder) for the expected file names."""
    submission = Path(submission)
    if not submission.is_dir():
        return Layout(None, missing=list(expected))
    wanted = {name: normal_stem(name) for name in expected}
    folders = []
    found = []
    for folder, names in _walk(submission):
        relative = folder.relative_to(submission)
        found += [str(relative / n) for n in names if n.endswith((".py", ".ipynb"))]
        exact = sum(name in names for name in expected)
        near = sum(
            any(_same(normal_stem(n), stem) for n in names if n.endswith((".py", ".ipynb")))
            for stem in wanted.values()
        )
        notebooks = sum(n.endswith(".ipynb") for n in names)
        if exact or near or notebooks:
            folders.append((exact, near, notebooks, -len(relative.parts), str(relative), folder))
    if not folders:
        return Layout(submission, missing=list(expected), found=found)
    folders.sort(key=lambda item: (-item[0], -item[1], -item[2], -item[3], item[4]))
    best = folders[0]
    layout = Layout(best[5], found=found)
    relative = best[5].relative_to(submission)
    if relative.parts:
        layout.notes.append(f"Graded the files in the folder {relative.as_posix()}/.")
    rivals = [f for f in folders[1:] if f[:2] == best[:2] and f[0] + f[1] > 0]
    if rivals:
        layout.notes.append(
            f"The folder {rivals[0][4] or '(top)'}/ holds the same files; only "
            f"{relative.as_posix() or '(top)'}/ was graded: submit one copy of your work."
        )
    names = sorted(p.name for p in best[5].iterdir() if p.is_file() and not p.name.startswith("."))
    notebooks = [n for n in names if n.endswith(".ipynb")]
    used = {}  # notebook -> ([file names graded from it], dropped lines)
    for name, stem in wanted.items():
        if name in names:
            _take(layout, best[5] / name, name, None)
            continue
        near = [n for n in names if n.endswith(".py") and _same(normal_stem(n), stem)]
        if len(near) == 1:
            _take(layout, best[5] / near[0], name, f"Graded {near[0]} as {name}.")
            continue
        if len(near) > 1:
            layout.notes.append(
                f"Several files could be {name}: {', '.join(near)}; none was graded. "
                f"Name one of them {name}."
            )
            layout.missing.append(name)
            continue
        book = [n for n in notebooks if _same(normal_stem(n), stem)]
        if len(book) == 1:
            _take_notebook(layout, best[5] / book[0], name, used)
        elif len(notebooks) == 1:
            _take_notebook(layout, best[5] / notebooks[0], name, used)
        else:
            layout.missing.append(name)
    for notebook, (graded_as, dropped) in used.items():
        extra = f" ({dropped} IPython magic or shell line(s) dropped)" if dropped else ""
        layout.notes.append(
            f"Graded the code cells of {notebook} as {' and '.join(graded_as)}{extra}."
        )
    return layout


def _take(layout, path, name, note):
    data, problem = read_file(path)
    if problem is not None:
        layout.notes.append(f"{path.name} {problem}.")
        layout.missing.append(name)
        return
    layout.sources[name] = data
    if note:
        layout.notes.append(note)


def _take_notebook(layout, path, name, used):
    data, problem = read_file(path, MAX_NOTEBOOK_BYTES)
    if problem is None:
        try:
            source, dropped = notebook_source(data, path.name)
        except ValueError as error:
            problem = str(error)
    if problem is not None:
        layout.notes.append(f"{path.name}: {problem}.")
        layout.missing.append(name)
        return
    if len(source) > MAX_SOURCE_BYTES:
        layout.notes.append(f"{path.name} holds more than {MAX_SOURCE_BYTES} bytes of code.")
        layout.missing.append(name)
        return
    layout.sources[name] = source
    used.setdefault(path.name, ([], dropped))[0].append(name)
