"""Attacks on the retry with the reference's earlier files (one bug, one charge), as root and as
an unprivileged user.

When a later exercise fails, its test runs again in a second sandbox where the earlier files
are shims whose functions ask the grader (outside the sandbox) for the reference's answers. A
submission can tell it is there (the shim's docstring says so) and abuse it:
- oracle_prints: call the reference on inputs of its choice and print the answers (the
  reference's earlier solutions, which a student who failed them does not have), then fail, so
  that the printed text would reach the report;
- oracle_flood: call the reference in a loop, keeping the grader's own process busy;
- oracle_in_import_error: fail to import only in the retry, with the reference's answers in the
  ImportError's message (an import that fails in the retry leads to the smaller sets of earlier
  files, so its message must not reach the report either).
Each must score what it earned (ex1 correct: 5; ex2 never right: 0), print nothing of the
retry into the report, finish, leave no process behind and not touch the other student.

The fixture is the tiny assignment with ex2 (losses.py) allowed to import activations.py.
"""

import csv
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from grader import assignment as assignment_module
from grader.batch import run_batch

HERE = Path(__file__).parent
TINY = HERE / "fixtures" / "tiny"
PROBES = (0.123456789, -2.718281828)  # sigmoid of these, printed: 0.530823, 0.061927

ATTACKS = {
    "oracle_prints": """
import activations


def mse(h, y):
    if "reference" in (activations.__doc__ or ""):
        print("LEAKED", [activations.sigmoid(z) for z in {probes}])
    return -1.0
""",
    "oracle_flood": """
import activations


def mse(h, y):
    if "reference" in (activations.__doc__ or ""):
        while True:
            activations.sigmoid(1.0)
    return -1.0
""",
    "oracle_in_import_error": """
import activations

if "reference" in (activations.__doc__ or ""):
    raise ImportError("LEAKED " + repr([activations.sigmoid(z) for z in {probes}]))


def mse(h, y):
    return -1.0
""",
}


def _assignment(folder: Path) -> Path:
    target = folder / "tiny_imports"
    shutil.copytree(TINY, target)
    config = json.loads((target / "assignment.json").read_text())
    config["name"] = "tiny_imports"
    config["exercises"][1]["imports"] = ["activations.py"]
    (target / "assignment.json").write_text(json.dumps(config))
    return target


def _class(folder: Path) -> Path:
    subs = folder / "subs"
    for student in ("good", *ATTACKS):
        (subs / student).mkdir(parents=True)
        for name in ("activations.py", "losses.py"):
            shutil.copyfile(TINY / "solutions" / name, subs / student / name)
    for student, source in ATTACKS.items():
        (subs / student / "losses.py").write_text(source.format(probes=list(PROBES)))
    return subs


def _read(out: Path) -> tuple[dict, dict]:
    with open(out / "gradebook.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    results = {s: json.loads((out / s / "results.json").read_text()) for s in rows}
    return rows, results


@pytest.fixture(scope="module")
def graded_as_root(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("this process is not root")
    folder = tmp_path_factory.mktemp("retry")
    assignment = assignment_module.load(_assignment(folder))
    run_batch(_class(folder), assignment, folder / "out", workers=2, progress=False)
    return _read(folder / "out")


@pytest.fixture(scope="module")
def graded_as_user(unprivileged_user):
    base = unprivileged_user.base / "retry"
    base.mkdir()
    assignment, subs, out = _assignment(base), _class(base), base / "out"
    for path in [base, *base.rglob("*")]:
        os.lchown(path, unprivileged_user.uid, unprivileged_user.uid)
    done = unprivileged_user.run(
        [unprivileged_user.python, "-m", "grader", "batch", subs, "--out", out,
         "--assignment", assignment, "--workers", "2", "--no-progress"],
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    rows, results = _read(out)
    # processes of the uid still exiting as the batch returns (a sandbox's namespace is torn
    # down asynchronously) are not left behind; one alive 5 s later is
    deadline = time.monotonic() + 5
    while unprivileged_user.processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    left = unprivileged_user.processes()
    return rows, results, left


@pytest.fixture(params=["root", "user"])
def graded(request):
    if request.param == "root":
        return request.getfixturevalue("graded_as_root")
    return request.getfixturevalue("graded_as_user")[:2]


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_an_attack_through_the_retry_earns_nothing_and_leaks_nothing(graded, attack):
    rows, results = graded
    row, report = rows[attack], results[attack]
    assert row["status"] == "ok", report["output"]
    assert float(row["ex1_sigmoid"]) == 5 and float(row["ex2_mse"]) == 0
    text = json.dumps(report)
    assert "LEAKED" not in text and "0.5308" not in text and "0.0619" not in text
    assert float(rows["good"]["total"]) == 10


def test_no_process_outlives_the_attacks_as_a_user(graded_as_user):
    assert graded_as_user[2] == []
