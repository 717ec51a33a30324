"""Shared by the grading page's test modules (test_grading_*.py except the analytics): the page's
path, the sample class, the sandbox gate every module uses, and the page opened with the server's
settings.

Import `sandbox_ready` into a module to gate all of its tests on the sandbox (it is autouse)."""

import pytest
from streamlit.testing.v1 import AppTest

from viz import grading_harness as harness

PAGE = "pages/grading.py"


@pytest.fixture(autouse=True, scope="module")
def sandbox_ready():
    """The self-check needs the bubblewrap sandbox: skipped with the reason where it cannot run,
    failed where NNLAB_REQUIRE_SANDBOX=1 (CI)."""
    import os

    from grader.sandbox import SandboxUnavailable, preflight

    try:
        preflight()
    except SandboxUnavailable as error:
        if os.environ.get("NNLAB_REQUIRE_SANDBOX") == "1":
            pytest.fail(f"NNLAB_REQUIRE_SANDBOX=1 but the sandbox cannot run: {error}")
        pytest.skip(f"the sandbox cannot run here: {error}")


APP = str(harness.APP_DIR / "app.py")
SAMPLES = harness.APP_DIR / "exercises" / "mlp_basics" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="mlp_basics samples not present")


def open_grading(query=None, nnlab=None):
    """The grading page, with the server's [nnlab] settings (instructor mode etc.)."""
    at = AppTest.from_file(APP, default_timeout=60)
    if nnlab is not None:
        at.secrets["nnlab"] = nnlab
    for name, value in (query or {}).items():
        at.query_params[name] = str(value)
    at.run()
    at.switch_page(PAGE).run()
    return at
