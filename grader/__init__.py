"""nnlab's grading harness: run student code in a sandbox, score it with pytest, report.

Command line: `python -m grader grade|batch|validate|release|gradescope ...` (see grader.cli).
Pytest plugin for assignment tests: `-p grader.pytest_plugin` (fixtures `student`, `reference`).
"""
