"""What one student costs the server: CPU seconds per page load, per slider change and per
playground tick, measured alone on an idle server (load_test.py --costs), and the sizing rule
that turns a change's cost into students per server process.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from load_meters import percentile, process_cpu_seconds
from load_students import PLAYER_PAGE, VIEWER_PAGE, VIEWER_SLIDER
from streamlit_client import StreamlitClient


async def costs(url: str, pid: int, changes: int = 15, play_seconds: float = 15.0) -> dict:
    """The server's CPU seconds per action, one student alone: what a class multiplies.

    CPU time counts only the time the server ran, so on a machine shared with other work it
    moves far less than wall-clock latency does. Each action is measured from before it is sent
    to after its rerun ended and the server went quiet.
    """

    async def cpu_of(action) -> float:
        await asyncio.sleep(0.3)
        before = process_cpu_seconds(pid)
        await action()
        await asyncio.sleep(0.3)
        return process_cpu_seconds(pid) - before

    client = StreamlitClient(url)
    await client.connect()
    loads = [await cpu_of(lambda: client.open_page(VIEWER_PAGE)) for _ in range(3)]
    view = []
    for index in range(changes):
        client.step_slider(VIEWER_SLIDER, 1 if index % 2 == 0 else -1)
        view.append(await cpu_of(client.change))
    idle_before = process_cpu_seconds(pid)
    await asyncio.sleep(5.0)
    idle = (process_cpu_seconds(pid) - idle_before) / 5.0
    await client.open_page(PLAYER_PAGE)
    await client.click("pg_play")
    started_runs = len(client.fragment_runs)
    before, wall = process_cpu_seconds(pid), time.perf_counter()
    await client.follow_fragments(time.perf_counter() + play_seconds)
    await asyncio.sleep(0.5)
    ticks = len(client.fragment_runs) - started_runs
    tick_cpu = (process_cpu_seconds(pid) - before) / max(1, ticks)
    rate = ticks / (time.perf_counter() - wall)
    await client.close()
    return {
        "page_load_cpu_ms": 1000 * statistics.median(loads),
        "viewer_change_cpu_ms": 1000 * statistics.median(view),
        "viewer_change_cpu_ms_p90": 1000 * percentile(view, 90),
        "playground_tick_cpu_ms": 1000 * tick_cpu,
        "playground_updates_per_s_alone": rate,
        "playground_cpu_cores_alone": tick_cpu * rate,
        "idle_server_cpu_cores": idle,
        "errors": client.errors,
    }


THINK_SECONDS = 3.0  # a student moves a control every 2-4 s in the load test


def sizing(change_cpu_seconds: float, think_seconds: float) -> str:
    """Students per server process before the p95 latency doubles.

    One process runs every student's Python under one interpreter lock: at most one core. A
    queue's response time grows like 1 / (1 - utilisation), so the p95 doubles against an idle
    server at utilisation 0.5: N = 0.5 / (change_cpu / think_seconds).
    """
    per_student = change_cpu_seconds / think_seconds
    students = 0.5 / per_student
    return (
        f"sizing: a change costs {1000 * change_cpu_seconds:.0f} ms of CPU; a student changing "
        f"a control every {think_seconds:.0f} s needs {per_student:.3f} of a core; one server "
        f"process (one interpreter lock) holds about {students:.0f} such students before the "
        f"p95 doubles; run one replica per core and add one per {students:.0f} students"
    )
