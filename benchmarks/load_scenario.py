"""One class on a server: the students arrive over a ramp, work for `duration` seconds and
leave; what they measured and what the server used becomes one row of the load test's report.

Latency is counted from a control change (the BackMsg sent) to the end of the rerun it causes,
and CPU over the steady part only, once everyone has loaded. After the class, once the
disconnected sessions' TTL has run out and the server's memory keeper
(viz.serving.keep_memory) has had its look, the server's memory is read again.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time

from load_meters import (
    Sampler,
    machine_cpu,
    percentile,
    process_cpu_seconds,
    process_rss_mib,
    server_metrics,
)
from load_servers import ROOT
from load_students import student
from streamlit_client import StreamlitClient

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from viz.serving import KEEPER_SECONDS  # noqa: E402  (how often the server frees memory)

MAX_STUDENTS = 60


async def scenario(
    url: str, pid: int | list[int] | None, viewers: int, players: int, args, servers=None
) -> dict:
    """Ramp up, hold `duration` seconds, leave; measure latency, CPU, memory, errors.

    pid: the server's process, or the replicas' (CPU and memory are their sums); servers: the
    replicas' own URLs behind a proxy (each gets the visit that frees disconnected sessions).
    """
    total = viewers + players
    if not 1 <= total <= MAX_STUDENTS:
        raise ValueError(f"1 to {MAX_STUDENTS} students, got {total}")
    roles = ["player"] * players + ["viewer"] * viewers
    random.Random(args.seed).shuffle(roles)
    sampler = Sampler(pid)
    sampler.start()
    await asyncio.sleep(2.0)
    baseline = process_rss_mib(pid) if pid else float("nan")
    ramp = min(10.0, 0.25 * total)
    now = time.perf_counter()
    steady_from = now + ramp + 5.0  # latency and CPU counted once everyone has loaded
    stop_at = now + ramp + 5.0 + args.duration
    load_before = os.getloadavg()
    tasks = [
        asyncio.create_task(
            student(url, role, args.seed * 1000 + index, now + ramp * index / total, stop_at)
        )
        for index, role in enumerate(roles)
    ]
    await asyncio.sleep(max(0.0, steady_from - time.perf_counter()))
    cpu0 = process_cpu_seconds(pid) if pid else 0.0
    client_cpu0 = time.process_time()
    machine0, wall0 = machine_cpu(), time.perf_counter()
    await asyncio.sleep(max(0.0, stop_at - time.perf_counter()))
    cpu1 = process_cpu_seconds(pid) if pid else 0.0
    client_cpu1 = time.process_time()
    machine1, wall1 = machine_cpu(), time.perf_counter()
    load_during = os.getloadavg()
    peak = max(sampler.rss) if sampler.rss else float("nan")
    held = process_rss_mib(pid) if pid else float("nan")
    logs = await asyncio.gather(*tasks)
    # everyone has left; the server frees a disconnected session after its TTL, at the next
    # change of its session store: one short visit after the TTL, as the next student would
    after = float("nan")
    if pid and args.ttl_wait > 0:
        await asyncio.sleep(args.ttl_wait)
        for server in servers or [url]:
            visitor = StreamlitClient(server)
            await visitor.connect()
            await visitor.open_page("home")
            await visitor.close()
        # the server's memory keeper looks every KEEPER_SECONDS whether sessions have ended
        await asyncio.sleep(KEEPER_SECONDS + 5.0)
        after = process_rss_mib(pid)
    metrics = {}
    for server in servers or [url]:
        for name, value in server_metrics(server).items():
            metrics[name] = metrics.get(name, 0) + value
    await sampler.stop()
    wall = wall1 - wall0
    viewer_changes = [
        s for log in logs if log.role == "viewer" for t, s in log.changes if t >= steady_from
    ]
    player_changes = [
        s for log in logs if log.role == "player" for t, s in log.changes if t >= steady_from
    ]
    rates = [
        log.fragment_runs / log.play_seconds
        for log in logs
        if log.role == "player" and log.play_seconds
    ]
    errors = [e for log in logs for e in log.errors]
    held_by = {}
    for log in logs:
        held_by[log.server or "-"] = held_by.get(log.server or "-", 0) + 1
    busy = (machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1])
    return {
        "students": total,
        "viewers": viewers,
        "players": players,
        "viewer_p50_ms": 1000 * percentile(viewer_changes, 50),
        "viewer_p95_ms": 1000 * percentile(viewer_changes, 95),
        "viewer_changes": len(viewer_changes),
        "player_p50_ms": 1000 * percentile(player_changes, 50),
        "player_p95_ms": 1000 * percentile(player_changes, 95),
        "player_changes": len(player_changes),
        "load_p95_ms": 1000 * percentile([log.load_seconds for log in logs], 95),
        "updates_per_s_mean": statistics.fmean(rates) if rates else float("nan"),
        "updates_per_s_min": min(rates) if rates else float("nan"),
        "updates_per_s_total": sum(rates) if rates else float("nan"),
        "players_training": sum(1 for r in rates if r >= 1.5),
        "server_cpu_cores": (cpu1 - cpu0) / wall if pid else float("nan"),
        "client_cpu_cores": (client_cpu1 - client_cpu0) / wall,
        "machine_busy_share": busy,
        "loadavg_1min_before": load_before[0],
        "loadavg_1min_during": load_during[0],
        "rss_baseline_mib": baseline,
        "rss_peak_mib": peak,
        "rss_held_mib": held,
        "rss_per_session_mib": (peak - baseline) / total if pid else float("nan"),
        "rss_after_mib": after,
        "rss_after_vs_baseline": after / baseline if pid else float("nan"),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "stale_media": sum(log.stale_media for log in logs),
        "sessions_per_server": held_by,
        "active_sessions_after": metrics.get("active_sessions"),
        "cache_bytes_after": metrics.get("cache_memory_bytes"),
    }
