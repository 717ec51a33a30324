"""The simulated students: each one websocket-level Streamlit client (streamlit_client.py) that
opens its page and then changes a control every 2-4 s (seeded), as a student in class does.

Viewers open the softmax page and move a slider; players open the playground, press Play,
follow its run_every timer and change the learning rate. A StudentLog holds what one of them
saw: page load time, each change's latency, fragment runs, errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, field

from streamlit_client import StreamlitClient

VIEWER_PAGE, VIEWER_SLIDER = "softmax", "sm_z1"
PLAYER_PAGE, PLAYER_CONTROL = "playground", "pg_lr"


@dataclass
class StudentLog:
    role: str
    load_seconds: float = float("nan")
    changes: list = field(default_factory=list)  # seconds from change to end of rerun
    fragment_runs: int = 0
    play_seconds: float = 0.0
    errors: list = field(default_factory=list)
    stale_media: int = 0
    server: str = ""  # the proxy's sticky cookie, if any


async def student(url: str, role: str, seed: int, start_at: float, stop_at: float) -> StudentLog:
    """One student: open the page, then change a control every 2-4 s until stop_at."""
    log = StudentLog(role)
    rng = random.Random(seed)
    await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
    client = StreamlitClient(url, timeout=60.0)
    try:
        await client.connect()
        log.server = client.cookie
        page = PLAYER_PAGE if role == "player" else VIEWER_PAGE
        result = await client.open_page(page)
        log.load_seconds = result.seconds
        follower = None
        if role == "player":
            await client.click("pg_play")
            played_from = time.perf_counter()
            follower = asyncio.create_task(client.follow_fragments(stop_at))
        direction = 1
        while True:
            pause = rng.uniform(2.0, 4.0)
            if time.perf_counter() + pause >= stop_at:
                break
            await asyncio.sleep(pause)
            client.step_slider(PLAYER_CONTROL if role == "player" else VIEWER_SLIDER, direction)
            direction = -direction
            result = await client.change()
            if result.status == "ok":
                log.changes.append((time.perf_counter(), result.seconds))
        if follower is not None:
            await follower
            log.play_seconds = time.perf_counter() - played_from
            log.fragment_runs = sum(1 for t in client.fragment_runs if t >= played_from)
    except Exception as error:  # noqa: BLE001 - a student's failure is a result, not a crash
        log.errors.append(f"{type(error).__name__}: {error}")
    finally:
        with contextlib.suppress(Exception):
            await client.close()
    log.errors.extend(client.errors)
    log.stale_media = client.stale_media
    return log


async def warm_up(url: str) -> None:
    """One visit to each page the students use (imports, caches), before any measurement."""
    client = StreamlitClient(url)
    await client.connect()
    for page in (VIEWER_PAGE, PLAYER_PAGE, "home"):
        await client.open_page(page)
    await client.close()
