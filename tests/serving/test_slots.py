"""viz.serving.TrainingSlots: the cap, the line, round-robin turns and every way a slot is freed.

A fake clock drives time, so nothing here sleeps or depends on the machine's speed.
"""

import threading

import numpy as np
import pytest

from viz import serving
from viz.serving import TrainingSlots, Turn


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def slots_with(capacity, turn=60.0, lease=15.0, alive=None):
    clock = Clock()
    return TrainingSlots(capacity, turn, lease, clock=clock, is_alive=alive), clock


def test_no_cap_grants_everyone():
    slots, _ = slots_with(0)
    turns = [slots.request(f"s{i}") for i in range(100)]
    assert all(t.granted and not t.message for t in turns)


def test_cap_admits_the_first_and_lines_up_the_rest_in_order():
    slots, _ = slots_with(2)
    a, b, c, d = (slots.request(name) for name in "abcd")
    assert a.granted and b.granted
    assert (c.granted, c.position, d.granted, d.position) == (False, 1, False, 2)
    assert slots.holders() == ["a", "b"] and slots.waiting() == ["c", "d"]
    # asking again keeps one's place (no one overtakes by polling faster)
    assert slots.request("d").position == 2 and slots.request("c").position == 1


def test_waiting_message_names_the_limit_and_the_place_in_line():
    slots, _ = slots_with(3, turn=45)
    for name in "abc":
        slots.request(name)
    first, second = slots.request("d"), slots.request("e")
    assert "at most 3 playground(s)" in first.message and "You are next in line" in first.message
    assert "You are number 2 in line" in second.message and "45 s" in second.message
    assert first.training == 3 and second.waiting == 2


def test_release_gives_the_slot_to_the_first_in_line():
    slots, _ = slots_with(1)
    slots.request("a")
    slots.request("b")
    slots.request("c")
    slots.release("a")  # a pauses
    assert slots.holders() == ["b"] and slots.waiting() == ["c"]
    assert slots.request("b").granted
    assert slots.request("c").position == 1


def test_release_of_a_waiting_owner_moves_the_line_up():
    slots, _ = slots_with(1)
    for name in "abc":
        slots.request(name)
    slots.release("b")
    assert slots.waiting() == ["c"] and slots.request("c").position == 1


def test_a_session_that_ended_is_freed_at_the_next_request():
    ended = set()
    slots, _ = slots_with(1, alive=lambda owner: owner not in ended)
    slots.request("a")
    assert not slots.request("b").granted
    ended.add("a")  # the student closed the tab: Streamlit's runtime dropped the session
    assert slots.request("b").granted
    assert slots.holders() == ["b"]


def test_a_slot_nobody_asks_for_expires_after_the_lease():
    slots, clock = slots_with(1, lease=15.0)
    slots.request("a")
    clock.now = 14.0
    assert not slots.request("b").granted  # a's lease (last tick at 0 s) still runs
    clock.now = 15.5
    assert slots.request("b").granted  # a stopped ticking 15.5 s ago: it moved to another page
    assert slots.holders() == ["b"]


def test_waiting_owners_expire_too():
    slots, clock = slots_with(1, lease=15.0)
    slots.request("a")
    slots.request("b")
    clock.now = 10.0
    slots.request("a")
    slots.request("c")
    clock.now = 20.0
    slots.request("a")  # b last asked at 0 s: gone; c keeps its place
    assert slots.waiting() == ["c"]


@pytest.mark.parametrize(("capacity", "owners"), [(1, 3), (2, 4), (3, 7)])
def test_turns_share_training_time_equally(capacity, owners):
    """Everyone asks once a second, in a shuffled order, for 1200 s: each owner must hold a slot
    capacity / owners of the time, up to one turn (the granularity of round robin)."""
    turn = 20.0
    slots, clock = slots_with(capacity, turn=turn)
    names = [f"s{i}" for i in range(owners)]
    rng = np.random.default_rng(0)
    granted = dict.fromkeys(names, 0)
    seconds = 1200
    for second in range(seconds):
        clock.now = float(second)
        for index in rng.permutation(owners):
            if slots.request(names[index]).granted:
                granted[names[index]] += 1
        assert len(slots.holders()) <= capacity
    for name in names:
        slots.release(name)
    fair = seconds * capacity / owners
    for name in names:
        assert abs(slots.trained_seconds(name) - fair) <= turn, name
    # A freed slot idles until its new holder asks (at most one second here), so the ticks
    # granted fall short of the slot time by at most one second per turn.
    turns_each = fair / turn
    for name, count in granted.items():
        assert fair - turn - turns_each - 1 <= count <= fair + turn, (name, count, fair)


def test_no_rotation_without_anyone_waiting():
    slots, clock = slots_with(1, turn=10.0)
    for second in range(100):
        clock.now = float(second)
        assert slots.request("a").granted


def test_turn_zero_means_holders_keep_their_slot():
    slots, clock = slots_with(1, turn=0.0)
    slots.request("a")
    for second in range(1, 200):
        clock.now = float(second)
        assert slots.request("a").granted
        assert not slots.request("b").granted


def test_rerun_is_signalled_only_when_the_tick_rate_changes():
    slots, clock = slots_with(1, turn=10.0)
    first = slots.request("a")
    assert first.granted and not first.rerun  # playing starts at the training rate
    waiting = slots.request("b")
    assert not waiting.granted and waiting.rerun  # b must slow down to the waiting rate
    assert not slots.request("b").rerun
    clock.now = 11.0
    over = slots.request("a")
    assert not over.granted and over.rerun  # a's turn is over: a slows down
    promoted = slots.request("b")
    assert promoted.granted and promoted.rerun  # b speeds up
    assert slots.is_granted("a") is False and slots.is_granted("b") is True
    slots.release("a")
    assert slots.is_granted("a") is None


def test_concurrent_requests_never_exceed_the_cap():
    slots = TrainingSlots(3, turn_seconds=0.0)
    most = []
    errors = []

    def student(name):
        try:
            for step in range(300):
                slots.request(name)
                most.append(len(slots.holders()))
                if step % 50 == 49:
                    slots.release(name)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=student, args=(f"s{i}",)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert max(most) <= 3
    assert len(slots.holders()) + len(slots.waiting()) <= 12


@pytest.mark.parametrize(
    ("args", "text"),
    [((-1,), "capacity"), ((1.5,), "capacity"), ((True,), "capacity"), ((2, -1.0), "turn")],
)
def test_bad_settings_are_named(args, text):
    with pytest.raises(ValueError, match=text):
        TrainingSlots(*args)


def test_not_playing_turn_has_no_message():
    assert Turn(granted=False).message == ""


def test_a_newcomer_trains_before_anyone_gets_a_second_turn():
    slots, clock = slots_with(1, turn=10.0)
    slots.request("a")
    slots.request("b")
    clock.now = 10.0
    slots.request("a")  # a's turn is over: b trains, a waits
    assert slots.holders() == ["b"]
    clock.now = 11.0
    slots.request("c")  # c arrives after a went back in line, but has not trained yet
    assert slots.waiting() == ["c", "a"]
    clock.now = 20.0
    slots.request("b")
    assert slots.holders() == ["c"]


def test_pausing_and_playing_again_keeps_the_time_trained():
    slots, clock = slots_with(1, turn=10.0)
    slots.request("a")
    clock.now = 8.0
    slots.release("a")  # pause after 8 s of training
    assert slots.trained_seconds("a") == 8.0
    slots.request("b")
    clock.now = 9.0
    slots.request("a")  # play again: a waits
    slots.request("c")
    assert slots.waiting() == ["c", "a"]  # c (0 s trained) before a (8 s)


def test_time_trained_is_forgotten_once_the_owner_is_gone():
    ended = set()
    slots, clock = slots_with(1, alive=lambda owner: owner not in ended)
    slots.request("a")
    clock.now = 5.0
    slots.release("a")
    ended.add("a")
    slots.request("b")
    assert slots.trained_seconds("a") == 0.0  # no record left of a closed session
    clock.now = 2000.0
    slots.request("c")  # b stopped asking long ago: its slot and its record are gone
    assert slots.holders() == ["c"] and slots.trained_seconds("b") == 0.0


# ----------------------------------------------------------- a lower frame rate for all
def test_without_a_budget_everyone_ticks_at_the_base_rate():
    slots, _ = slots_with(0)
    for name in "abcdef":
        slots.request(name)
    slots.record_tick(0.2)
    assert slots.tick_interval(0.05) == 0.05


@pytest.mark.parametrize("players", [1, 2, 4, 10])
def test_the_budget_stretches_every_tick_equally(players):
    """share 0.5 of a core, ticks of 50 ms CPU: interval = max(base, n * 0.05 / 0.5), so the
    trainings together use n * 0.05 / interval <= 0.5 of a core."""
    slots = TrainingSlots(0, 60.0, cpu_share=0.5)
    for index in range(players):
        slots.request(f"s{index}")
    slots.record_tick(0.05)
    interval = slots.tick_interval(0.05)
    assert interval == pytest.approx(max(0.05, players * 0.05 / 0.5))
    assert players * 0.05 / interval <= 0.5 + 1e-12
    given = {slots.give_interval(f"s{index}", 0.05) for index in range(players)}
    assert given == {interval}  # the same frame rate for all


def test_tick_cost_is_a_moving_average_and_ignores_nonsense():
    slots = TrainingSlots(0, 60.0, cpu_share=1.0)
    slots.request("a")
    slots.record_tick(0.1)
    slots.record_tick(float("nan"))
    slots.record_tick(-1.0)
    slots.record_tick(0.2)
    assert slots.tick_interval(0.01) == pytest.approx(0.1 + 0.2 * (0.2 - 0.1))


def test_a_training_page_reruns_when_its_frame_rate_drifts():
    slots = TrainingSlots(0, 60.0, cpu_share=0.5)
    slots.request("a")
    slots.record_tick(0.05)
    assert slots.give_interval("a", 0.05) == pytest.approx(0.1)
    assert not slots.request("a").rerun
    for name in "bcd":  # three more start training: a's 0.1 s is now too fast
        slots.request(name)
    assert slots.request("a").rerun
    assert slots.give_interval("a", 0.05) == pytest.approx(0.4)  # the rerun takes the new rate
    assert not slots.request("a").rerun
    for name in "bcd":
        slots.release(name)
    assert slots.request("a").rerun  # alone again: back to 0.1 s


def test_a_waiting_page_polls_slowly():
    slots, _ = slots_with(1)
    slots.request("a")
    slots.request("b")
    assert slots.give_interval("b", 0.05) == serving.WAIT_SECONDS
    assert slots.give_interval("a", 0.05) == 0.05


def test_cpu_share_must_be_a_fraction():
    with pytest.raises(ValueError, match="cpu_share"):
        TrainingSlots(1, cpu_share=1.5)
