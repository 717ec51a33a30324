"""Grading page, the student's self-check tab: the page at its defaults and extremes, a new
function starts with an empty uploader, and the page never imports the student's code."""

from pathlib import Path

import numpy as np
import pytest

# sandbox_ready is autouse: every test here is skipped (failed in CI) where the sandbox cannot run
from grading_helpers import (
    PAGE,
    open_grading,
    sandbox_ready,  # noqa: F401
)

from viz import grading_harness as harness


def test_page_defaults(open_page, assert_page_ok, plotly_specs, decode):
    at = open_page(PAGE)
    assert_page_ok(at)
    spec = plotly_specs(at)[0]
    x, y = decode(spec["data"][0]["x"]), decode(spec["data"][0]["y"])
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-x)), rtol=1e-12)


@pytest.mark.parametrize(
    "query",
    [
        {"gd_range": 1, "gd_points": 11},
        {"gd_range": 10000, "gd_points": 1001},
        {"gd_function": "output_units.py: softmax", "gd_alpha": 0.001},
        {"gd_function": "output_units.py: log_softmax", "gd_alpha": 1000.0, "gd_range": 10000},
        {"gd_function": "output_units.py: softmax_reduced"},
        {"gd_function": "activations.py: softplus_grad", "gd_range": 10000},
    ],
)
def test_student_tab_extremes(open_page, assert_page_ok, query):
    assert_page_ok(open_page(PAGE, query))


def test_switching_the_function_starts_with_an_empty_uploader():
    at = open_grading()
    first = at.file_uploader[0]
    first.set_value(("activations.py", b"def sigmoid(z):\n    return z\n", "text/x-python"))
    at.run()
    at.selectbox(key="gd_function").set_value("output_units.py: softmax").run()
    assert not at.exception
    uploader = at.file_uploader[0]
    assert uploader.label == "Your output_units.py" and not uploader.value


def test_page_does_not_import_student_code():
    text = Path(harness.APP_DIR / PAGE).read_text()
    assert "importlib" not in text and "exec(" not in text
