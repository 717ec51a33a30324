"""Does a class leave memory behind? The server's Python heap and RSS before and after classes.

Starts the app as the image runs it (benchmarks/load_test.py: course config, the image's malloc
settings unless --glibc-default) inside a wrapper that, on SIGUSR1, runs gc.collect() and
records the process's RSS, sys.getallocatedblocks() (the Python heap) and the live objects by
type. Then: warm-up, a first record; `--rounds` classes of load_test's students (8 viewers,
2 players, 30 s), each followed by the session TTL and a record. A session leak shows as
objects and blocks growing round after round; memory the allocator keeps shows as RSS above
the first record while the heap is back to its size.

    python benchmarks/memory_probe.py
    python benchmarks/memory_probe.py --glibc-default      # without the image's malloc settings

Loopback only, bounded (at most 5 rounds); not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TTL = 20


def serve() -> None:
    """The wrapped server: `python memory_probe.py --serve OUT streamlit-args...`."""
    out = sys.argv[2]

    def record(*_):
        gc.collect()
        objects = gc.get_objects()
        kinds = collections.Counter(
            f"{getattr(type(o), '__module__', '?')}.{getattr(type(o), '__qualname__', '?')}"
            for o in objects
        )
        status = Path("/proc/self/status").read_text().splitlines()
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        with open(out, "a") as file:
            row = {"rss_mib": rss / 1024, "blocks": sys.getallocatedblocks(),
                   "objects": len(objects), "top": kinds.most_common(60)}  # fmt: skip
            file.write(json.dumps(row) + "\n")

    signal.signal(signal.SIGUSR1, record)
    sys.path.insert(0, os.getcwd())  # the app folder, as `python -m viz.serving` has it
    from viz import serving

    serving.main(sys.argv[4:])  # after "app.py": the image's command


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--glibc-default", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 5:
        parser.error("--rounds: 1 to 5")
    sys.path.insert(0, str(HERE))
    import load_test

    env = {**os.environ, **({} if args.glibc_default else load_test.IMAGE_ENV)}
    with tempfile.TemporaryDirectory(prefix="nnlab-memory-") as temporary:
        (Path(temporary) / "app").mkdir()
        folder = load_test.course_app_folder(None, Path(temporary) / "app")
        out = Path(temporary) / "records.jsonl"
        port = load_test.free_port()
        command = [sys.executable, str(Path(__file__).resolve()), "--serve", str(out), "app.py",
                   "--server.port", str(port), "--server.address", "127.0.0.1",
                   "--server.disconnectedSessionTTL", str(TTL)]  # fmt: skip
        server = subprocess.Popen(
            command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        url = f"http://127.0.0.1:{port}"

        def record() -> None:
            lines = out.read_text().count("\n") if out.exists() else 0
            server.send_signal(signal.SIGUSR1)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if out.exists() and out.read_text().count("\n") > lines:
                    return
                time.sleep(0.2)
            raise RuntimeError("the server did not record its memory within 60 s")

        try:
            load_test.wait_healthy(url, server)
            asyncio.run(load_test.warm_up(url))
            time.sleep(TTL + 5)  # the warm-up session expires
            asyncio.run(load_test.warm_up(url))
            record()
            options = argparse.Namespace(seed=0, duration=30.0, ttl_wait=TTL + 5.0)
            for _ in range(args.rounds):
                row = asyncio.run(load_test.scenario(url, server.pid, 8, 2, options))
                if row["errors"]:
                    print("errors:", row["error_samples"])
                record()
        finally:
            server.terminate()
            server.wait(timeout=15)
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    first = rows[0]
    print(f"{'record':>8} {'RSS MiB':>8} {'vs first':>9} {'heap blocks':>12} {'objects':>8}")
    for index, row in enumerate(rows):
        label = "warm" if index == 0 else f"class {index}"
        print(f"{label:>8} {row['rss_mib']:8.0f} {row['rss_mib'] / first['rss_mib'] - 1:+9.1%} "
              f"{row['blocks']:12d} {row['objects']:8d}")  # fmt: skip
    before, after = dict(first["top"]), dict(rows[-1]["top"])
    grown = sorted(((after.get(k, 0) - before.get(k, 0), k) for k in after), reverse=True)[:8]
    print("objects grown most since the first record:", grown)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--serve":
        serve()
    else:
        sys.exit(main())
