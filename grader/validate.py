"""`validate`: the reference scores full marks, the stubs score zero, every test is exercised
both ways (passes on the reference, fails on the stubs), trivial submissions (grader.trivial:
every function returning zeros, ones, NaN, random values in the reference's exact shapes, or
its first argument) earn no point, and the assignment is well formed.

Each function is also probed for a test that reads its arguments back (grader.in_place: the
reference with that one function changing its caller's data): the functions whose change costs
nothing are listed, for information (a function that takes no arrays has nothing to change).

Samples (exercises/<A>/samples/<name>/) are graded too and their scores printed, for
information. All runs go through the real pipeline (grade_submission: sandbox, plugin,
results.json), so a passing validate also means the harness works for this assignment here.
"""

import ast
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import in_place, trivial
from .grade import grade_submission


def _functions(path):
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def check_structure(assignment):
    """Problems with the folder itself (missing stubs, solutions, tests), as text lines."""
    problems = []
    folder = assignment.folder
    for name in assignment.files:
        stub, solution = folder / name, assignment.solutions / name
        if not stub.is_file():
            problems.append(f"stub {name} is missing from {folder}")
        if not solution.is_file():
            problems.append(f"solution {name} is missing from {assignment.solutions}")
        if stub.is_file() and solution.is_file():
            missing = _functions(stub) - _functions(solution)
            if missing:
                problems.append(f"solutions/{name} lacks {sorted(missing)} defined in the stub")
    if not sorted(assignment.public_tests.glob("test_*.py")):
        problems.append(f"no public tests in {assignment.public_tests}")
    for exercise in assignment.exercises:
        if exercise.file and exercise.file not in assignment.files:
            problems.append(f"exercise {exercise.id} names file {exercise.file!r} not in files")
    return problems


def validate(assignment, trust=False):
    """Returns (ok, lines of text)."""
    lines = []
    problems = check_structure(assignment)
    samples = sorted(p for p in (assignment.folder / "samples").glob("*") if p.is_dir())
    scratch = Path(tempfile.mkdtemp(prefix="nnlab-trivial-"))
    try:
        trivial_folders = trivial.write_all(assignment.folder, scratch / "class")
        changing = in_place.write_all(
            assignment.folder, scratch / "in_place", solutions=assignment.solutions
        )
        folders = [assignment.solutions, assignment.folder, *samples, *trivial_folders]
        folders += [folder for _, folder in changing]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            graded = list(
                pool.map(lambda folder: grade_submission(folder, assignment, trust=trust), folders)
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    reference, stubs = graded[0], graded[1]
    sampled = graded[2 : 2 + len(samples)]
    trivial_results = graded[2 + len(samples) : 2 + len(samples) + len(trivial_folders)]
    changing_results = graded[2 + len(samples) + len(trivial_folders) :]
    ref_tests = {test["name"]: test for test in reference["tests"]}
    stub_tests = {test["name"]: test for test in stubs["tests"]}
    max_score = reference["extra_data"]["max_score"]
    lines.append(f"reference: {reference['score']:g} / {max_score:g}")
    lines.append(f"stubs:     {stubs['score']:g} / {stubs['extra_data']['max_score']:g}")
    for label, results in (("reference", reference), ("stubs", stubs)):
        status = results["extra_data"].get("status")
        if status != "ok":
            problems.append(f"the {label} run was {status}: {results['output'][:500]}")
    if not ref_tests:
        problems.append("no tests were collected")
    if reference["score"] != max_score:
        problems.append("the reference does not score full marks")
    if stubs["score"] != 0:
        problems.append("the untouched stubs do not score zero")
    if set(ref_tests) != set(stub_tests):
        problems.append("the two runs collected different tests")
    for name, test in sorted(ref_tests.items()):
        if test["status"] != "passed":
            first = test["output"].splitlines()[0] if test["output"] else ""
            problems.append(f"fails on the reference: {name}: {first}")
        stub = stub_tests.get(name)
        if stub is not None and stub["status"] == "passed":
            problems.append(f"passes on the stubs (cannot fail?): {name}")
        elif stub is not None and "not implemented" not in stub["output"]:
            first = stub["output"].splitlines()[0] if stub["output"] else ""
            lines.append(f"note: on the stubs {name} fails without NotImplementedError: {first}")
        if test["tags"][0] == "other":
            problems.append(f"{name} has no exercise marker from assignment.json")
        if test["max_score"] <= 0:
            problems.append(f"{name} is worth no points")
    covered = {test["tags"][0] for test in ref_tests.values()}
    for exercise in assignment.exercises:
        if exercise.id not in covered:
            problems.append(f"exercise {exercise.id} has no tests")
    for sample, results in zip(samples, sampled, strict=True):
        lines.append(
            f"sample {sample.name}: {results['score']:g} / {max_score:g} (for information)"
        )
    for folder, results in zip(trivial_folders, trivial_results, strict=True):
        earned = [t["name"] for t in results["tests"] if t["status"] == "passed"]
        if results["extra_data"].get("status") == "error":
            problems.append(f"the trivial submission {folder.name} could not be graded")
        elif earned:
            problems.append(
                f"a trivial submission ({folder.name}) earns {results['score']:g} points in: "
                + ", ".join(earned[:5])
            )
    lines.append(f"trivial submissions: {len(trivial_folders)} kinds, all must score 0")
    unnoticed = [
        name
        for (name, _), results in zip(changing, changing_results, strict=True)
        if results["extra_data"].get("status") == "ok" and results["score"] == max_score
    ]
    lines.append(
        f"in place: {len(changing) - len(unnoticed)} of {len(changing)} functions lose points "
        "when they change an argument in place"
        + (
            f"; not noticed for {', '.join(unnoticed)} (fine if they take no arrays; otherwise "
            "give each one test that reads its arguments back with call_and_inputs)"
            if unnoticed
            else ""
        )
    )
    public = sum(1 for t in ref_tests.values() if t["tags"][1] == "public")
    lines.append(f"tests: {len(ref_tests)} ({public} public, {len(ref_tests) - public} hidden)")
    for problem in problems:
        lines.append(f"PROBLEM: {problem}")
    ok = not problems
    lines.append("validate: OK" if ok else f"validate: FAILED ({len(problems)} problems)")
    return ok, lines
