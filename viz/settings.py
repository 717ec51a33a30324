"""The dashboard's settings: one documented place, Streamlit's secrets file.

A course sets them in `.streamlit/secrets.toml` (or any file named by the `secrets.files` option
of `.streamlit/config.toml`), under the section `[nnlab]`:

    [nnlab]
    instructor_mode = false          # grade submissions and read class results on this server
    assignments_dir = "exercises"    # folder of assignments (relative to the app, or absolute)
    results_dir = ""                 # instructor mode: the one folder class results are read from
    max_zip_entries = 200            # an uploaded .zip with more entries is refused unread
    max_zip_bytes = 20000000         # ... or with more bytes once unpacked
    max_file_bytes = 1000000         # one uploaded file
    max_concurrent_trainings = 0     # playgrounds training at once on this server (0: no cap)
    training_turn_seconds = 60       # while others wait, a training run yields after this long
                                     # (0: runs keep their place until they pause; viz.serving)
    training_cpu_percent = 0         # all trainings together: at most this % of one core; the
                                     # frame rate drops for all (0: no limit; viz.serving)
    max_concurrent_checks = 0        # student self-checks running at once, each a sandbox of up
                                     # to its memory limit (0: one per core, at least 2)

Server settings (port, address, upload size, cache bound, session TTL) stay in
`.streamlit/config.toml` as Streamlit defines them. The course image's two files are
`deploy/streamlit/config.toml` and `deploy/streamlit/secrets.toml` (the Dockerfile copies them to
`/app/.streamlit/`; a course mounts its own secrets file there). Every setting has a safe
default: without a secrets file the dashboard is the student dashboard (instructor views off).
Settings are read per run, so a test (AppTest's `secrets`) or a redeployed secrets file takes
effect without code changes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

APP_DIR = Path(__file__).resolve().parents[1]
SECTION = "nnlab"


@dataclass(frozen=True)
class Settings:
    """The [nnlab] section of the secrets file, with its defaults."""

    instructor_mode: bool = False
    assignments_dir: str = "exercises"
    results_dir: str = ""
    max_zip_entries: int = 200
    max_zip_bytes: int = 20_000_000
    max_file_bytes: int = 1_000_000
    max_concurrent_trainings: int = 0
    training_turn_seconds: int = 60
    training_cpu_percent: int = 0
    max_concurrent_checks: int = 0

    @property
    def assignments_path(self) -> Path:
        """assignments_dir as an absolute path (relative paths start at the app's folder)."""
        path = Path(self.assignments_dir).expanduser()
        return path if path.is_absolute() else APP_DIR / path

    @property
    def results_path(self) -> Path | None:
        """results_dir as an absolute, resolved path, or None when not configured."""
        if not self.results_dir:
            return None
        path = Path(self.results_dir).expanduser()
        return (path if path.is_absolute() else APP_DIR / path).resolve()


def parse(section: object) -> Settings:
    """Settings from a mapping (the [nnlab] section); ValueError naming a bad or unknown key."""
    if section is None:
        return Settings()
    try:
        items = dict(section)
    except (TypeError, ValueError):
        raise ValueError(f"[{SECTION}] in the secrets file must be a table of settings") from None
    known = {field.name: field for field in fields(Settings)}
    unknown = sorted(set(items) - set(known))
    if unknown:
        raise ValueError(f"unknown setting(s) {unknown} in [{SECTION}]; known: {sorted(known)}")
    values = {}
    defaults = Settings()
    for name, value in items.items():
        expected = type(getattr(defaults, name))
        if expected is bool and not isinstance(value, bool):
            raise ValueError(f"[{SECTION}] {name} must be true or false, got {value!r}")
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(f"[{SECTION}] {name} must be a whole number, got {value!r}")
        if expected is int and value < 0:
            raise ValueError(f"[{SECTION}] {name} must be >= 0, got {value}")
        if name.endswith("_percent") and value > 100:
            raise ValueError(f"[{SECTION}] {name} is a percentage: 0 to 100, got {value}")
        if expected is str and not isinstance(value, str):
            raise ValueError(f"[{SECTION}] {name} must be a string, got {value!r}")
        values[name] = value
    return Settings(**values)


def current() -> Settings:
    """The settings of this server (Streamlit's secrets); the defaults when there is no file."""
    import streamlit as st

    try:
        section = st.secrets.get(SECTION) if SECTION in st.secrets else None
    except FileNotFoundError:  # no secrets file at all: the safe defaults
        return Settings()
    except Exception as error:  # noqa: BLE001 - StreamlitSecretNotFoundError, a TOML syntax error
        if "No secrets" in str(error) or "not found" in str(error).lower():
            return Settings()
        raise ValueError(f"the secrets file could not be read: {error}") from None
    return parse(section)


def current_or_default() -> Settings:
    """current(), or the defaults when the secrets file cannot be read (for code that must not
    fail on a bad settings file, e.g. choosing what a sandbox must never see)."""
    try:
        return current()
    except ValueError:
        return Settings()
