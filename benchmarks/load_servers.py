"""The servers a load test drives: the course app started as its image starts it, and the
course's HAProxy configuration in front of several of them, each on a free loopback port.

course_app_folder lays out the app as the image holds it (code linked in, deploy/streamlit/* as
.streamlit/), course_server runs `python -m viz.serving` there with the image's malloc settings
(IMAGE_ENV) and stops it afterwards; sticky_proxy runs deploy/haproxy/haproxy.cfg in front of
the given servers. benchmarks/load_test.py uses them; so do benchmarks/memory_probe.py and
tests/serving/test_sticky_proxy.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# the image's environment (Dockerfile ENV): glibc malloc settings that hand memory back
IMAGE_ENV = {
    "MALLOC_ARENA_MAX": "2",
    "MALLOC_MMAP_THRESHOLD_": "131072",
    "MALLOC_TRIM_THRESHOLD_": "131072",
}
APP_ENTRIES = ["app.py", "pages", "viz", "nncore", "grader", "exercises"]


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
