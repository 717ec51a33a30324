"""The playground page with a cap on concurrent trainings (viz.serving, [nnlab] settings).

AppTest runs every test session under one session id, so the other students are played by
owners entered into the server's slots directly.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from viz import serving

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/playground.py"
pytestmark = pytest.mark.slow  # several AppTest runs of the playground


@pytest.fixture
def playground():
    """The playground under a server whose secrets allow one training at a time."""

    def open_with(secrets: dict) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.secrets["nnlab"] = secrets
        at.run()
        at.switch_page(PAGE).run()
        return at

    yield open_with
    serving._SERVER_SLOTS = None  # the next test starts with an empty server


def epoch(at: AppTest) -> int:
    return int(next(m.value for m in at.metric if m.label == "Epoch"))


def test_a_full_server_says_so_and_trains_when_a_place_frees_up(playground):
    at = playground({"max_concurrent_trainings": 1, "training_turn_seconds": 60})
    slots = serving.server_slots(1, 60.0)
    slots.request("another student")  # holds the only slot
    at.button(key="pg_play").click().run()
    assert not at.exception and not at.error
    assert at.session_state["pg_playing"] is True
    messages = [text.value for text in at.markdown]
    assert any(
        "trains at most 1 playground(s) at once" in m and "next in line" in m for m in messages
    )
    assert epoch(at) == 0  # waiting: no training
    assert slots.waiting() == ["test session id"]

    slots.release("another student")  # the other student pauses
    at.run()
    assert not at.exception and not at.error
    assert not any("in line" in text.value for text in at.markdown)
    assert epoch(at) >= 1  # our turn: it trains
    assert slots.holders() == ["test session id"]


def test_pause_frees_the_slot(playground):
    at = playground({"max_concurrent_trainings": 2})
    slots = serving.server_slots(2, 60.0)
    at.button(key="pg_play").click().run()
    assert slots.holders() == ["test session id"]
    at.button(key="pg_play").click().run()  # Pause
    assert at.session_state["pg_playing"] is False
    assert slots.holders() == [] and slots.waiting() == []


def test_no_cap_by_default(playground):
    at = playground({})
    at.button(key="pg_play").click().run()
    assert not any("in line" in text.value for text in at.markdown)
    assert epoch(at) >= 1
    # still counted, for the shared frame rate (none here: training_cpu_percent defaults to 0)
    slots = serving.server_slots(0, 60.0, 0.0)
    assert slots.holders() == ["test session id"]
    assert slots.tick_interval(0.05) == 0.05


def test_the_frame_rate_budget_sets_the_fragment_interval(playground):
    """training_cpu_percent = 10 and ticks measured at 20 ms CPU: one trainer ticks every
    max(0.05, 1 * 0.02 / 0.10) = 0.2 s; a fragment with that run_every is on the page."""
    at = playground({"training_cpu_percent": 10})
    slots = serving.server_slots(0, 60.0, 0.10)
    slots.record_tick(0.02)
    at.button(key="pg_play").click().run()
    assert not at.exception and not at.error
    # the full run gave the fragment its run_every before its first tick was measured
    assert slots._interval_given["test session id"] == pytest.approx((0.05, 0.2))
    assert slots.holders() == ["test session id"]
    assert slots.tick_interval(0.05) != pytest.approx(0.2)  # the real tick's CPU time counted
