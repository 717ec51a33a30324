"""The grader's own tests. Fixture assignments and hostile submissions are data, not tests.

Tests that run submissions need the bubblewrap sandbox. Where it cannot run (no bwrap, no user
namespaces) they are skipped with the reason, except where NNLAB_REQUIRE_SANDBOX=1 (CI sets
it): there they fail, so a CI machine without the sandbox can never look green.
"""

import os

import pytest

from grader.sandbox import SandboxUnavailable, preflight

collect_ignore_glob = ["fixtures/*", "hostile/*"]


def skip_or_fail(reason):
    if os.environ.get("NNLAB_REQUIRE_SANDBOX") == "1":
        pytest.fail(f"NNLAB_REQUIRE_SANDBOX=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sandbox_mode():
    """The sandbox mode of this machine (privileged, userns-root or userns, maybe -noproc)."""
    try:
        return preflight()
    except SandboxUnavailable as error:
        skip_or_fail(f"the sandbox cannot run here: {error}")


@pytest.fixture(scope="session")
def unprivileged_user():
    """An unused uid with its own repository copy and venv (see unprivileged.py)."""
    from unprivileged import Unavailable, UnprivilegedUser

    try:
        user = UnprivilegedUser.create()
    except Unavailable as error:
        skip_or_fail(f"no unprivileged test user: {error}")
    yield user
    user.remove()
