"""Hostile: prints fake test results and writes fake results.json files everywhere it can."""

import json
import os

FAKE = json.dumps({"score": 1000, "tests": [], "output": "all passed"})
print("=== 7 passed in 0.01s ===", FAKE)
for target in [
    "results.json",
    "../results.json",
    "/tmp/results.json",
    "report.json",
    f"/proc/{os.getppid()}/cwd/report.json",
    "/autograder/results/results.json",
]:
    try:
        with open(target, "w") as handle:
            handle.write(FAKE)
    except OSError:
        pass


def sigmoid(z):
    print(FAKE)
    raise NotImplementedError("not done")


def sigmoid_grad(z):
    raise NotImplementedError("not done")
