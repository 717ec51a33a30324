"""viz.settings: the [nnlab] section of Streamlit's secrets file, parsed with safe defaults, and
the course image's own settings files (deploy/streamlit/) parsed by the same code."""

from pathlib import Path

import pytest

from viz import settings

try:
    import tomllib  # novermin (3.10 falls back to tomli below)
except ModuleNotFoundError:  # Python 3.10: pytest itself depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "streamlit"


def test_no_section_gives_the_student_dashboard():
    current = settings.parse(None)
    assert current == settings.Settings()
    assert current.instructor_mode is False
    assert current.max_concurrent_trainings == 0 and current.training_turn_seconds == 60
    assert current.training_cpu_percent == 0  # a lecturer's own laptop: no limit


def test_values_are_taken():
    current = settings.parse(
        {"instructor_mode": True, "max_concurrent_trainings": 6, "training_turn_seconds": 0}
    )
    assert current.instructor_mode is True
    assert (current.max_concurrent_trainings, current.training_turn_seconds) == (6, 0)


@pytest.mark.parametrize(
    ("section", "text"),
    [
        ({"instructor_mode": "yes"}, "instructor_mode must be true or false"),
        ({"instructor_mode": 1}, "instructor_mode must be true or false"),
        ({"max_concurrent_trainings": 2.5}, "max_concurrent_trainings must be a whole number"),
        ({"max_concurrent_trainings": True}, "max_concurrent_trainings must be a whole number"),
        ({"training_turn_seconds": -1}, "training_turn_seconds must be >= 0"),
        ({"training_cpu_percent": 150}, "training_cpu_percent is a percentage"),
        ({"assignments_dir": 3}, "assignments_dir must be a string"),
        ({"max_trainings": 3}, "unknown setting"),
        ("instructor_mode = true", "must be a table"),
    ],
)
def test_bad_values_are_named(section, text):
    with pytest.raises(ValueError, match=text):
        settings.parse(section)


def test_relative_folders_start_at_the_app():
    current = settings.parse({"assignments_dir": "exercises", "results_dir": "class/results"})
    assert current.assignments_path == ROOT / "exercises"
    assert current.results_path == (ROOT / "class" / "results").resolve()
    assert settings.parse({}).results_path is None


def test_the_course_image_secrets_parse_and_keep_instructor_views_off():
    section = tomllib.loads((DEPLOY / "secrets.toml").read_text())["nnlab"]
    current = settings.parse(section)
    assert current.instructor_mode is False
    assert current.max_concurrent_trainings >= 1  # the image caps trainings (viz.serving)
    assert current.training_turn_seconds > 0
    assert 0 < current.training_cpu_percent <= 100  # and shares a frame-rate budget


def test_the_course_image_config_sets_what_a_class_needs():
    config = tomllib.loads((DEPLOY / "config.toml").read_text())
    server = config["server"]
    assert server["headless"] is True and server["port"] == 8501
    assert server["address"] == "0.0.0.0"  # inside a container: reachable through its port
    assert 1 <= server["maxUploadSize"] <= 20  # megabytes; exercise files are kilobytes
    # every st.cache_data entry of every session counts against one bound (leaks stay bounded)
    assert server["maxCacheDataSize"].endswith("mb")
    assert 0 < server["disconnectedSessionTTL"] <= 120
    assert config["runner"]["fastReruns"] is True
    assert config["runner"]["postScriptGC"] is False  # no full collection after every run
    assert config["client"]["toolbarMode"] == "viewer"
    # the zip limits of the secrets fit under the upload limit
    section = settings.parse(tomllib.loads((DEPLOY / "secrets.toml").read_text())["nnlab"])
    assert section.max_file_bytes <= server["maxUploadSize"] * 1024 * 1024


def test_streamlit_knows_every_option_of_the_course_config():
    """A misspelt option is ignored by Streamlit with a mere warning: check each one."""
    from streamlit import config as streamlit_config

    options = streamlit_config.get_config_options()
    config = tomllib.loads((DEPLOY / "config.toml").read_text())
    for section, values in config.items():
        for name in values:
            assert f"{section}.{name}" in options, f"{section}.{name} is not a Streamlit option"
