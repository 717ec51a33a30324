"""A class on one server: N simulated students against one `streamlit run app.py`, on loopback.

Each student is one websocket-level Streamlit client (benchmarks/streamlit_client.py: the real
protocol, the real protobufs, the pictures fetched as a browser does). Viewers open the softmax
page and move a slider every 2-4 s (seeded); players open the playground, press Play, follow its
run_every timer and change the learning rate every 2-4 s. For each N it reports:

- latency: p50 and p95 from a control change (the BackMsg sent) to the end of the rerun it
  causes (the last element received: what a browser then paints), viewers and players apart;
- updates/s on the playground (fragment runs finished per second, per player);
- the server process's CPU (share of one core) and memory (RSS before, at the peak, per session,
  and after the students leave, the disconnected sessions' TTL has run out and the server's
  memory keeper (viz.serving.keep_memory) has had its look);
- errors: exceptions and st.error boxes on any student's page, failed runs, timeouts, closed
  websockets, failed media requests, and tracebacks in the server log;
- the machine's load (2 cores shared with other work): load average and all-process CPU.

Each N gets a fresh server started like the course image (deploy/streamlit/config.toml and
secrets.toml in a temporary app folder), on a free port of 127.0.0.1. Bounded: at most 60
students, at most 300 s per phase; every client and the server stop by themselves.

    python benchmarks/load_test.py                           # N = 1, 10, 25, 50
    python benchmarks/load_test.py --students 10 --duration 30 --max-trainings 0
    python benchmarks/load_test.py --replicas 2 --students 10 20   # two servers behind the
        # course's HAProxy configuration (deploy/haproxy/haproxy.cfg), sticky sessions
    python benchmarks/load_test.py --url http://127.0.0.1:8501 --students 20   # a running
        # server or proxy (compose.yaml); --server-pid PID adds its CPU and memory
    python benchmarks/load_test.py --browser-check           # the client against chromium

Its parts, one module each beside this file: load_servers.py (the course server and the sticky
proxy), load_students.py (the simulated students), load_scenario.py (one class: ramp, hold,
leave, measure), load_meters.py (CPU, memory, the server's metrics, percentiles), load_costs.py
(--costs and the sizing rule) and load_browser_check.py (--browser-check). This file holds the
command line and the report, and re-exports those modules' names for the scripts and tests that
import them from here (memory_probe.py, tests/serving).

Not a test: `python -m pytest` never runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from load_browser_check import browser_check  # noqa: E402
from load_costs import THINK_SECONDS, costs, sizing  # noqa: E402
from load_meters import (  # noqa: E402
    TICKS,
    Sampler,
    machine_cpu,
    percentile,
    process_cpu_seconds,
    process_rss_mib,
    server_log_tracebacks,
    server_metrics,
)
from load_scenario import MAX_STUDENTS, scenario  # noqa: E402
from load_servers import (  # noqa: E402
    APP_ENTRIES,
    IMAGE_ENV,
    course_app_folder,
    course_server,
    free_port,
    sticky_proxy,
    wait_healthy,
)
from load_students import (  # noqa: E402
    PLAYER_CONTROL,
    PLAYER_PAGE,
    VIEWER_PAGE,
    VIEWER_SLIDER,
    StudentLog,
    student,
    warm_up,
)
from streamlit_client import check_loopback  # noqa: E402

__all__ = [
    # the servers (load_servers.py)
    "APP_ENTRIES", "IMAGE_ENV", "course_app_folder", "course_server", "free_port",
    "sticky_proxy", "wait_healthy",
    # the measurements (load_meters.py)
    "TICKS", "Sampler", "machine_cpu", "percentile", "process_cpu_seconds", "process_rss_mib",
    "server_log_tracebacks", "server_metrics",
    # the students (load_students.py) and one class of them (load_scenario.py)
    "PLAYER_CONTROL", "PLAYER_PAGE", "VIEWER_PAGE", "VIEWER_SLIDER", "StudentLog", "student",
    "warm_up", "MAX_STUDENTS", "scenario",
    # --costs (load_costs.py) and --browser-check (load_browser_check.py)
    "THINK_SECONDS", "costs", "sizing", "browser_check",
    # this file: the command line and the report
    "MAX_PHASE_SECONDS", "split", "replicas", "print_table", "main",
]  # fmt: skip

MAX_PHASE_SECONDS = 300


# --------------------------------------------------------------------------------- report
def split(total: int, share: float) -> tuple[int, int]:
    """(viewers, players) for `total` students, a `share` of them playing (0 for N = 1)."""
    players = int(total * share) if total > 1 else 0
    return total - players, players


def replicas(row: dict) -> str:
    """ ", 2 replicas: 5 + 5" for a row behind the proxy (the students each replica held)."""
    if row.get("replicas", 1) == 1:
        return ""
    held = " + ".join(str(n) for _, n in sorted(row["sessions_per_server"].items()))
    return f", {row['replicas']} replicas: {held}"


def print_table(rows: list[dict]) -> None:
    head = (
        "| N (viewers+players) | viewer p50 / p95 ms | player p50 / p95 ms | updates/s per "
        "player (mean, min) | server CPU (cores) | RSS MiB base -> peak (per session) | "
        "RSS after leaving | errors | load avg |"
    )
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in rows:
        print(
            f"| {r['students']} ({r['viewers']}+{r['players']}){replicas(r)} "
            f"| {r['viewer_p50_ms']:.0f} / {r['viewer_p95_ms']:.0f} "
            f"| {r['player_p50_ms']:.0f} / {r['player_p95_ms']:.0f} "
            f"| {r['updates_per_s_mean']:.1f}, {r['updates_per_s_min']:.1f} "
            f"| {r['server_cpu_cores']:.2f} "
            f"| {r['rss_baseline_mib']:.0f} -> {r['rss_peak_mib']:.0f} "
            f"({r['rss_per_session_mib']:.1f}) "
            f"| {r['rss_after_mib']:.0f} ({100 * (r['rss_after_vs_baseline'] - 1):+.0f} %) "
            f"| {r['errors']} "
            f"| {r['loadavg_1min_before']:.1f} -> {r['loadavg_1min_during']:.1f} |"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 10, 25, 50])
    parser.add_argument("--players", type=float, default=0.2, help="share pressing Play")
    parser.add_argument("--duration", type=float, default=40.0, help="steady seconds per N")
    parser.add_argument(
        "--max-trainings",
        type=int,
        default=None,
        help="override the image's max_concurrent_trainings (0: no cap)",
    )
    parser.add_argument(
        "--cpu-percent",
        type=int,
        default=None,
        help="override the image's training_cpu_percent (0: no budget)",
    )
    parser.add_argument("--ttl", type=int, default=20, help="disconnectedSessionTTL (s)")
    parser.add_argument(
        "--ttl-wait",
        type=float,
        default=None,
        help="seconds to wait after the students leave (default ttl + 5)",
    )
    parser.add_argument(
        "--replicas",
        type=int,
        default=1,
        help="servers behind the course's HAProxy configuration (sticky sessions)",
    )
    parser.add_argument("--url", help="drive this running server or proxy (loopback only)")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's pid")
    parser.add_argument(
        "--glibc-default",
        action="store_true",
        help="no malloc settings of the image",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="classes one after another on the same server (a leak grows)",
    )
    parser.add_argument("--browser-check", action="store_true")
    parser.add_argument("--costs", action="store_true", help="CPU per action, one student")
    parser.add_argument("--json", type=Path, help="write the rows here")
    args = parser.parse_args(argv)  # fmt: skip
    # a SIGTERM ends the run through the context managers: servers stop, folders go
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.duration > MAX_PHASE_SECONDS or args.ttl > MAX_PHASE_SECONDS:
        parser.error(f"--duration and --ttl are at most {MAX_PHASE_SECONDS} s")
    if not 1 <= args.replicas <= 4:
        parser.error("--replicas: 1 to 4")
    if args.replicas > 1 and args.url:
        parser.error("--replicas starts its own servers: not with --url")
    if any(not 1 <= n <= MAX_STUDENTS for n in args.students):
        parser.error(f"--students: 1 to {MAX_STUDENTS}")
    if args.url:
        check_loopback(args.url)
    args.ttl_wait = args.ttl + 5 if args.ttl_wait is None else args.ttl_wait
    env_extra = dict.fromkeys(IMAGE_ENV) if args.glibc_default else {}

    logs = ROOT / "screenshots"
    logs.mkdir(exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)

    if args.costs:
        # Streamlit's default (a full gc.collect(2) after every run) against the course config
        # (runner.postScriptGC = false), alternately, `--rounds` rounds: the machine's load drifts
        results = {"default postScriptGC=true": [], "course postScriptGC=false": []}
        for _round in range(args.rounds):
            for name, value in (("default postScriptGC=true", "true"),
                                ("course postScriptGC=false", "false")):  # fmt: skip
                env = {**env_extra, "STREAMLIT_RUNNER_POST_SCRIPT_GC": value}
                log_path = logs / "load_server.log"
                # no frame-rate budget here: it would slow the lone player in one arm only
                with course_server(args.max_trainings, args.ttl, log_path, env, 0) as (url, pid):
                    asyncio.run(warm_up(url))
                    result = asyncio.run(costs(url, pid))
                result["loadavg_1min"] = os.getloadavg()[0]
                results[name].append(result)
                print(name, json.dumps(result), flush=True)
        print()
        keys = ["page_load_cpu_ms", "viewer_change_cpu_ms", "playground_tick_cpu_ms",
                "playground_updates_per_s_alone", "playground_cpu_cores_alone"]  # fmt: skip
        baseline, candidate = results.values()
        for key in keys:
            base = statistics.median(r[key] for r in baseline)
            cand = statistics.median(r[key] for r in candidate)
            print(f"{key:32s} default {base:8.2f}  course {cand:8.2f}  ratio {cand / base:5.2f}")
        change = statistics.median(r["viewer_change_cpu_ms"] for r in candidate) / 1000
        print(sizing(change, THINK_SECONDS))
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
        return 0

    if args.browser_check:
        log_path = logs / "load_server.log"
        with course_server(args.max_trainings, args.ttl, log_path, env_extra, args.cpu_percent) as (
            url,
            _,
        ):
            asyncio.run(warm_up(url))
            print(json.dumps(browser_check(url), indent=1))
        return 0

    rows = []
    plan = [split(total, args.players) for total in args.students]
    if args.students[0] == 1 and args.players > 0:
        plan.insert(1, (0, 1))  # the playground's own rate: one player alone
    for viewers, players in plan:
        total = viewers + players
        if args.url:
            if args.server_pid is None:
                args.ttl_wait = 0
            asyncio.run(warm_up(args.url))
            row = asyncio.run(scenario(args.url, args.server_pid, viewers, players, args))
        else:
            with contextlib.ExitStack() as stack:
                started = [
                    stack.enter_context(
                        course_server(
                            args.max_trainings,
                            args.ttl,
                            logs / f"load_server_{total}_{replica}.log",
                            env_extra,
                            args.cpu_percent,
                        )
                    )
                    for replica in range(args.replicas)
                ]
                servers = [server_url for server_url, _ in started]
                for server_url in servers:
                    asyncio.run(warm_up(server_url))
                if args.replicas == 1:
                    url, pid, behind = servers[0], started[0][1], None
                else:
                    proxy_log = logs / f"load_proxy_{total}.log"
                    url = stack.enter_context(sticky_proxy(servers, proxy_log))
                    pid, behind = [server_pid for _, server_pid in started], servers
                for number in range(1, args.rounds + 1):
                    row = asyncio.run(scenario(url, pid, viewers, players, args, behind))
                    row["round"] = number
                    row["replicas"] = args.replicas
                    row["server_tracebacks"] = sum(
                        server_log_tracebacks(logs / f"load_server_{total}_{replica}.log")
                        for replica in range(args.replicas)
                    )
                    if number < args.rounds:
                        print(json.dumps(row), flush=True)
                        rows.append(row)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print_table(rows)
    base = rows[0]["viewer_p95_ms"]
    doubled = [r["students"] for r in rows if r["viewer_p95_ms"] >= 2 * base]
    print(f"\nviewer p95 doubles (vs N = {rows[0]['students']}) first at N = "
          f"{doubled[0] if doubled else 'none of these'}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
