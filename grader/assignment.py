"""Reading and checking an assignment folder (exercises/<name>/assignment.json).

{"name": "mlp_basics", "title": "...", "files": ["activations.py", ...],
 "exercises": [{"id": "ex1_activations", "title": "...", "file": "activations.py",
                "idea": "one line on the lecture idea",
                "imports": ["activations.py"]}, ...],     # optional: earlier files this
                                                          # exercise is graded with, as the
                                                          # reference's (one bug, one charge)
 "time_limit_per_call": 2.0,
 "time_limit_total": 120.0,                       # optional, whole submission (s)
 "sandbox": {"cpu_seconds": 60, "memory_mb": 1024, ...,    # optional, see isolation.Limits
             "packages": ["numpy"]},                       # what submissions may import
 "hidden_tests": {"visibility": "after_published",         # Gradescope's visibility of hidden
                  "show": "message"}}                      # tests; "name": no failure details
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")
ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
FILE_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.py$")
RESERVED_MARKERS = {"points", "idea", "parametrize", "skip", "skipif", "xfail", "usefixtures"}


@dataclass
class Exercise:
    id: str
    title: str
    file: str
    idea: str
    imports: list = field(default_factory=list)  # earlier files graded as the reference's


@dataclass
class Assignment:
    """A parsed assignment.json plus the folder it came from."""

    folder: Path
    name: str
    title: str
    files: list
    exercises: list
    time_limit_per_call: float = 2.0
    time_limit_total: float = 120.0
    sandbox: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)

    @property
    def modules(self):
        return [name[:-3] for name in self.files]

    def exercise(self, exercise_id):
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        return None

    @property
    def solutions(self):
        return self.folder / "solutions"

    @property
    def public_tests(self):
        return self.folder / "tests" / "public"

    @property
    def hidden_tests(self):
        return self.folder / "tests" / "hidden"


def _require(condition, message):
    if not condition:
        raise ValueError(message)


def load(folder):
    """Parse folder/assignment.json; ValueError naming the file and the bad field."""
    folder = Path(folder).resolve()
    path = folder / "assignment.json"
    _require(path.is_file(), f"{path} does not exist; an assignment folder needs assignment.json")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from None
    _require(isinstance(raw, dict), f"{path} must hold a JSON object")
    files = raw.get("files")
    _require(
        isinstance(files, list) and files and all(isinstance(f, str) for f in files),
        f"{path}: 'files' must be a non-empty list of file names, got {files!r}",
    )
    for name in files:
        _require(FILE_PATTERN.match(name), f"{path}: file name {name!r} must look like name.py")
    exercises = []
    for entry in raw.get("exercises", []):
        _require(isinstance(entry, dict), f"{path}: each exercise must be an object")
        exercise_id = entry.get("id")
        _require(
            isinstance(exercise_id, str) and ID_PATTERN.match(exercise_id),
            f"{path}: exercise id {exercise_id!r} must be a Python identifier (it is a marker)",
        )
        _require(exercise_id not in RESERVED_MARKERS, f"{path}: {exercise_id!r} is reserved")
        imports = entry.get("imports", [])
        _require(
            isinstance(imports, list) and all(name in files for name in imports),
            f"{path}: exercise {exercise_id} 'imports' must list files of the assignment, "
            f"got {imports!r}",
        )
        exercises.append(
            Exercise(
                id=exercise_id,
                title=str(entry.get("title", exercise_id)),
                file=str(entry.get("file", "")),
                idea=str(entry.get("idea", "")),
                imports=list(imports),
            )
        )
    _require(exercises, f"{path}: 'exercises' must list at least one exercise")
    ids = [e.id for e in exercises]
    _require(len(set(ids)) == len(ids), f"{path}: exercise ids repeat: {ids}")
    per_call = raw.get("time_limit_per_call", 2.0)
    total = raw.get("time_limit_total", 120.0)
    for label, value in (("time_limit_per_call", per_call), ("time_limit_total", total)):
        _require(
            isinstance(value, (int, float)) and 0 < value <= 3600,
            f"{path}: {label} must be a number of seconds in (0, 3600], got {value!r}",
        )
    sandbox = raw.get("sandbox", {})
    _require(isinstance(sandbox, dict), f"{path}: 'sandbox' must be an object")
    hidden = raw.get("hidden_tests", {})
    _require(
        isinstance(hidden, dict)
        and hidden.get("visibility", "after_published") in VISIBILITIES
        and hidden.get("show", "message") in ("message", "name"),
        f"{path}: 'hidden_tests' takes visibility (one of {VISIBILITIES}) and show "
        f"('message' or 'name'), got {hidden!r}",
    )
    return Assignment(
        folder=folder,
        name=str(raw.get("name", folder.name)),
        title=str(raw.get("title", folder.name)),
        files=list(files),
        exercises=exercises,
        time_limit_per_call=float(per_call),
        time_limit_total=float(total),
        sandbox=sandbox,
        raw=raw,
    )


def repository_root():
    """The folder holding the grader package (the repository, or /autograder/source)."""
    return Path(__file__).resolve().parent.parent


def resolve(name_or_path):
    """--assignment: a path to a folder, or a name under exercises/ (cwd or repository)."""
    candidate = Path(name_or_path)
    if (candidate / "assignment.json").is_file():
        return load(candidate)
    for base in (Path.cwd() / "exercises", repository_root() / "exercises"):
        if (base / str(name_or_path) / "assignment.json").is_file():
            return load(base / str(name_or_path))
    known = sorted(
        p.parent.name for p in (repository_root() / "exercises").glob("*/assignment.json")
    )
    raise ValueError(
        f"no assignment {name_or_path!r}: give a folder with assignment.json or one of {known}"
    )


def find_upwards(start):
    """The nearest folder at or above start that holds assignment.json, or None."""
    current = Path(start).resolve()
    if current.is_file():
        current = current.parent
    for folder in (current, *current.parents):
        if (folder / "assignment.json").is_file():
            return folder
    return None
