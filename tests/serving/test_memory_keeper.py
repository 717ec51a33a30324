"""viz.serving's memory keeper: after sessions end, the server collects their garbage and hands
free heap pages back (the load test measures the memory; here, when it acts)."""

import gc

from viz import serving


def test_the_keeper_gives_memory_back_only_when_sessions_have_ended():
    counts = iter([3, 3, 5, 1, 1, None, 0, 0, 2, 1])
    calls, sleeps = [], []
    serving.keep_memory(
        session_count=lambda: next(counts),
        give_back=lambda: calls.append(len(sleeps)) or 0.0,
        sleep=sleeps.append,
        every=7.0,
        rounds=10,
    )
    assert sleeps == [7.0] * 10
    # 5 -> 1 at the 4th look; None (no runtime) is no change; 0 -> 2 -> 1 at the 10th
    assert calls == [4, 10]


def test_give_back_memory_collects_cycles():
    class Node:
        pass

    gc.disable()
    try:
        for _ in range(1000):
            a, b = Node(), Node()
            a.other, b.other = b, a  # a cycle only the cyclic collector frees
        del a, b
        before = sum(isinstance(o, Node) for o in gc.get_objects())
        assert before >= 1000
        seconds = serving.give_back_memory()
        after = sum(isinstance(o, Node) for o in gc.get_objects())
    finally:
        gc.enable()
    assert after == 0 and seconds >= 0.0


def test_outside_a_streamlit_server_there_is_no_session_count():
    assert serving._session_count() is None
