"""What a load test reads off the machine: a server process's CPU time and memory (/proc), the
whole machine's CPU, the server's own counters (/_stcore/metrics) and log, and percentiles.

Linux only (/proc). A pid may be a list: the replicas behind a proxy, summed.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import urllib.request
from pathlib import Path

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


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


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


def server_log_tracebacks(path: Path) -> int:
    return path.read_text(errors="replace").count("Traceback") if path.exists() else 0
