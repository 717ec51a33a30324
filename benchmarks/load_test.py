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

Not a test: `python -m pytest` never runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import json
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from streamlit_client import StreamlitClient, check_loopback  # noqa: E402

sys.path.insert(0, str(ROOT))
from viz.serving import KEEPER_SECONDS  # noqa: E402  (how often the server frees memory)

MAX_STUDENTS = 60
# the image's environment (Dockerfile ENV): glibc malloc settings that hand memory back
IMAGE_ENV = {
    "MALLOC_ARENA_MAX": "2",
    "MALLOC_MMAP_THRESHOLD_": "131072",
    "MALLOC_TRIM_THRESHOLD_": "131072",
}
MAX_PHASE_SECONDS = 300
APP_ENTRIES = ["app.py", "pages", "viz", "nncore", "grader", "exercises"]
VIEWER_PAGE, VIEWER_SLIDER = "softmax", "sm_z1"
PLAYER_PAGE, PLAYER_CONTROL = "playground", "pg_lr"


# ---------------------------------------------------------------------------- the server
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def course_app_folder(max_trainings: int | None, folder: Path, cpu_percent=None) -> Path:
    """The app as the image holds it: code linked in, deploy/streamlit/* as .streamlit/;
    max_trainings and cpu_percent override the image's [nnlab] values when given."""
    for name in APP_ENTRIES:
        (folder / name).symlink_to(ROOT / name)
    streamlit_dir = folder / ".streamlit"
    streamlit_dir.mkdir()
    shutil.copy(ROOT / "deploy" / "streamlit" / "config.toml", streamlit_dir / "config.toml")
    secrets = (ROOT / "deploy" / "streamlit" / "secrets.toml").read_text()
    overrides = {"max_concurrent_trainings": max_trainings, "training_cpu_percent": cpu_percent}
    lines = []
    for line in secrets.splitlines():
        name = line.split("=", 1)[0].strip()
        if overrides.get(name) is not None:
            line = f"{name} = {overrides[name]}"
        lines.append(line)
    secrets = "\n".join(lines) + "\n"
    (streamlit_dir / "secrets.toml").write_text(secrets)
    return folder


@contextlib.contextmanager
def course_server(
    max_trainings: int | None, ttl: int, log_path: Path, env_extra: dict, cpu_percent=None
):
    """A fresh server like the image's on a free loopback port: yields (url, pid)."""
    with tempfile.TemporaryDirectory(prefix="nnlab-load-") as temporary:
        folder = course_app_folder(max_trainings, Path(temporary), cpu_percent)
        port = free_port()
        command = [
            sys.executable, "-m", "viz.serving",  # the image's command
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.disconnectedSessionTTL", str(ttl),
        ]  # fmt: skip
        env = {**os.environ, **IMAGE_ENV, **env_extra}
        env = {name: value for name, value in env.items() if value is not None}
        with log_path.open("w") as log:
            process = subprocess.Popen(
                command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, env=env
            )
            url = f"http://127.0.0.1:{port}"
            try:
                wait_healthy(url, process)
                yield url, process.pid
            finally:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)


@contextlib.contextmanager
def sticky_proxy(server_urls: list[str], log_path: Path):
    """The course's HAProxy configuration (deploy/haproxy/haproxy.cfg, sticky cookie) in
    front of these servers on a free loopback port, as compose.yaml runs it: yields its URL.
    Its server list names the servers' ports instead of compose's DNS template."""
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        raise SystemExit("--replicas needs HAProxy (apt-get install haproxy)")
    config = (ROOT / "deploy" / "haproxy" / "haproxy.cfg").read_text()
    template = next(x for x in config.splitlines() if x.strip().startswith("server-template"))
    lines = [f"    server app{i} {url.split('//', 1)[1]}" for i, url in enumerate(server_urls)]
    port = free_port()
    env = {**os.environ, "NNLAB_BIND": "127.0.0.1", "NNLAB_PROXY_PORT": str(port)}
    with tempfile.TemporaryDirectory(prefix="nnlab-proxy-") as folder:
        path = Path(folder) / "haproxy.cfg"
        path.write_text(config.replace(template, "\n".join(lines)))
        check = subprocess.run([haproxy, "-c", "-f", str(path)], env=env,
                               capture_output=True, text=True, check=False)  # fmt: skip
        if check.returncode != 0:
            raise RuntimeError(f"haproxy rejects the configuration: {check.stdout}{check.stderr}")
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [haproxy, "-db", "-f", str(path)], env=env, stdout=log, stderr=subprocess.STDOUT
            )
            url = f"http://127.0.0.1:{port}"
            try:
                wait_healthy(url, process)
                time.sleep(7)  # two passed health checks (rise 2, inter 3 s) on every server
                yield url
            finally:
                process.terminate()
                process.wait(timeout=15)


def wait_healthy(url: str, process=None, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=3) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer its health check within {timeout:.0f} s")


# ------------------------------------------------------------------- process measurements
TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int | list[int]) -> float:
    """utime + stime of a process (or several: the sum) and their waited-for children, in s."""
    if isinstance(pid, list):
        return sum(process_cpu_seconds(one) for one in pid)
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / TICKS


def process_rss_mib(pid: int | list[int]) -> float:
    """Resident memory of a process (or several: the sum), MiB."""
    if isinstance(pid, list):
        return sum(process_rss_mib(one) for one in pid)
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Sampler:
    """Samples a server process's RSS every `every` seconds in the background."""

    def __init__(self, pid: int | list[int] | None, every: float = 0.5) -> None:
        self.pid, self.every, self.rss = pid, every, []
        self._task = None

    async def _loop(self):
        while True:
            with contextlib.suppress(OSError):
                self.rss.append(process_rss_mib(self.pid))
            await asyncio.sleep(self.every)

    def start(self):
        if self.pid:
            self._task = asyncio.create_task(self._loop())

    async def stop(self):
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


# ------------------------------------------------------------------------------- students
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


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


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


def server_metrics(url: str) -> dict:
    """Streamlit's /_stcore/metrics (Prometheus text): active sessions, cache bytes."""
    found = {}
    try:
        with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return found
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, _, value = line.rpartition(" ")
        base = name.split("{", 1)[0]
        found[base] = found.get(base, 0) + float(value)
    return found


async def warm_up(url: str) -> None:
    """One visit to each page the students use (imports, caches), before any measurement."""
    client = StreamlitClient(url)
    await client.connect()
    for page in (VIEWER_PAGE, PLAYER_PAGE, "home"):
        await client.open_page(page)
    await client.close()


def server_log_tracebacks(path: Path) -> int:
    return path.read_text(errors="replace").count("Traceback") if path.exists() else 0


# ------------------------------------------------------------------------- server costs
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


# ------------------------------------------------------------------------- browser check
def browser_check(url: str, changes: int = 12) -> dict:
    """The same softmax slider change timed in Debian's chromium and by the websocket client,
    alternately on one idle server: the client must see what a browser sees."""
    sys.path.insert(0, str(ROOT / "tests" / "app"))
    import live_app
    from playwright.sync_api import sync_playwright

    browser_ms, client_ms = [], []
    with sync_playwright() as playwright:
        chromium = live_app.launch_chromium(playwright)
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/{VIEWER_PAGE}", wait_until="networkidle")
        page.wait_for_selector('[data-testid="stSlider"]', timeout=60000)
        page.wait_for_selector(live_app.IDLE, timeout=60000)
        slider = page.locator('[data-testid="stSlider"] input[type="range"]').nth(1)
        for index in range(changes):
            # browser: from the key press to the rerun's end (script state back to notRunning
            # after it was running), then one animation frame: painted
            slider.focus()
            started = time.perf_counter()
            slider.press("ArrowRight" if index % 2 == 0 else "ArrowLeft")
            with contextlib.suppress(Exception):
                page.wait_for_selector(
                    '[data-testid="stApp"][data-test-script-state="running"]', timeout=2000
                )
            page.wait_for_selector(live_app.IDLE, timeout=60000)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
            browser_ms.append(1000 * (time.perf_counter() - started))

            async def one_change(index=index):
                client = StreamlitClient(url)
                await client.connect()
                await client.open_page(VIEWER_PAGE)
                client.step_slider(VIEWER_SLIDER, 1 if index % 2 == 0 else -1)
                result = await client.change()
                await client.close()
                return result.seconds

            # Playwright's sync API owns this thread's event loop: the client gets a thread
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                client_ms.append(1000 * pool.submit(asyncio.run, one_change()).result())
        chromium.close()
    return {
        "browser_p50_ms": statistics.median(browser_ms),
        "client_p50_ms": statistics.median(client_ms),
        "ratio": statistics.median(browser_ms) / statistics.median(client_ms),
        "browser_ms": [round(v) for v in browser_ms],
        "client_ms": [round(v) for v in client_ms],
    }


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
