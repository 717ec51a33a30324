"""deploy/haproxy/haproxy.cfg, run by the real HAProxy in front of two real streamlit servers
on loopback ports: every student stays on one server, and a dropped websocket comes back to
its own session.

The config is used as shipped except for the server list: compose.yaml finds the replicas
through the container DNS (server-template); here two `server` lines name the two ports.
Needs Debian's haproxy (apt-get install haproxy); without it the test is skipped, or fails
where NNLAB_REQUIRE_PROXY=1.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import streamlit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from load_test import sticky_proxy  # noqa: E402
from streamlit_client import StreamlitClient  # noqa: E402

pytestmark = pytest.mark.slow

APP = """
import os
import streamlit as st

st.session_state.setdefault("visits", 0)
st.session_state.visits += 1
st.markdown(f"server {os.environ['NNLAB_SERVER_NAME']} visit {st.session_state.visits}")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, processes, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="module")
def proxy_url(tmp_path_factory):
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        if os.environ.get("NNLAB_REQUIRE_PROXY") == "1":
            pytest.fail("NNLAB_REQUIRE_PROXY=1 but haproxy is missing (apt-get install haproxy)")
        pytest.skip("haproxy is missing (apt-get install haproxy)")
    folder = tmp_path_factory.mktemp("sticky")
    (folder / "app.py").write_text(APP)
    ports = {"one": free_port(), "two": free_port()}
    processes = []
    try:
        for name, port in ports.items():
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "streamlit",
                        "run",
                        "app.py",
                        "--server.headless",
                        "true",
                        "--server.port",
                        str(port),
                        "--server.address",
                        "127.0.0.1",
                        "--browser.gatherUsageStats",
                        "false",
                        "--server.fileWatcherType",
                        "none",
                    ],
                    cwd=folder,
                    env={**os.environ, "NNLAB_SERVER_NAME": name},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
            )
        for port in ports.values():
            wait_for(f"http://127.0.0.1:{port}/_stcore/health", processes)
        # the shipped configuration, checked by `haproxy -c`, in front of the two servers (the
        # load test's --replicas runs the same helper)
        servers = [f"http://127.0.0.1:{port}" for port in ports.values()]
        with sticky_proxy(servers, folder / "haproxy.log") as url:
            yield url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


async def visit(url: str, visits: int) -> tuple[str, list[str]]:
    """One tab: `visits` runs on one websocket; returns its cookie and what the page said."""
    client = StreamlitClient(url, timeout=30)
    await client.connect()
    said = []
    for _ in range(visits):
        result = await client.open_page("")
        assert result.status == "ok", client.errors
        said.extend(client.markdown)
    await client.close()
    return client.cookie, said


def test_every_tab_stays_on_the_server_its_cookie_names(proxy_url):
    async def many():
        return await asyncio.gather(*(visit(proxy_url, 3) for _ in range(8)))

    tabs = asyncio.run(many())
    server_of_cookie = {}
    for cookie, said in tabs:
        assert cookie.startswith("NNLAB_SERVER=") and len(cookie) > len("NNLAB_SERVER="), cookie
        server = said[0].split()[1]
        assert said == [f"server {server} visit {n}" for n in (1, 2, 3)]  # one session
        server_of_cookie.setdefault(cookie, set()).add(server)
    assert all(len(servers) == 1 for servers in server_of_cookie.values())
    assert len(server_of_cookie) == 2  # one cookie value per server
    seen = set().union(*server_of_cookie.values())
    assert seen == {"one", "two"}  # new students are spread over both servers


def test_a_dropped_websocket_comes_back_to_its_session(proxy_url):
    async def drop_and_resume():
        client = StreamlitClient(proxy_url, timeout=30)
        await client.connect()
        await client.open_page("")
        first = list(client.markdown)
        session = client.session_id
        await client.close()  # the network drops; the browser reconnects with its cookie
        results = []
        for _ in range(6):  # leastconn would have sent some of these to the other server
            await client.connect(resume=session)
            await client.open_page("")
            results.append((client.session_id, list(client.markdown)))
            await client.close()
        return client.cookie, first, session, results

    cookie, first, session, results = asyncio.run(drop_and_resume())
    server = first[0].split()[1]
    assert first == [f"server {server} visit 1"]
    for number, (session_id, said) in enumerate(results, start=2):
        assert session_id == session
        assert said == [f"server {server} visit {number}"]  # same server, same session state


def test_without_the_cookie_tabs_are_spread(proxy_url):
    """The control: a tab that drops the cookie is a new student and may land anywhere, so
    stickiness above comes from the cookie, not from chance."""

    async def fresh_tabs():
        return [await visit(proxy_url, 1) for _ in range(6)]

    servers = {said[0].split()[1] for _cookie, said in asyncio.run(fresh_tabs())}
    assert servers == {"one", "two"}


def test_scripts_reach_the_browser_compressed(proxy_url):
    """Streamlit serves its scripts uncompressed (plotly's chunk is 4.7 MB); through the proxy a
    browser gets them gzipped, the same bytes once unpacked, and a client that accepts no
    encoding still gets them plain."""
    scripts = Path(streamlit.__file__).parent / "static" / "static" / "js"
    chunk = next(scripts.glob("PlotlyChart.*.js"))
    url = f"{proxy_url}/static/js/{chunk.name}"
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        body = response.read()
    assert gzip.decompress(body) == chunk.read_bytes()
    assert len(body) < chunk.stat().st_size / 2  # HAProxy's fast libslz: 46 %
    with urllib.request.urlopen(urllib.request.Request(url), timeout=30) as response:
        assert response.headers["Content-Encoding"] is None
        assert response.read() == chunk.read_bytes()
