"""A live `streamlit run` server and Debian's chromium, shared by the browser tests, the browser
benchmark and the README screenshot script (one way to start them, not four).

Chromium is Debian's (/usr/bin/chromium) driven through Playwright's executable_path: no test
tool ever downloads a browser.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from viz import page_css

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# A script run has ended. An app without the app's page CSS (a test's own small app) waits for
# this; the app's pages wait for IDLE.
BARE_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Idle, with the app's page CSS drawn (page_css.MARKER, on BASE's style element). Streamlit
# draws that CSS through a component it loads lazily (rehype-raw for HTML in markdown, st.html's
# component): on a page's first load, the run ends and the page shows 0.3-0.5 s before the CSS
# applies, longer on a busy machine. A check in that gap measured Streamlit's own styles (a
# caption at opacity 0.6: 3.9:1, a CI failure).
IDLE = f"{BARE_IDLE}:has(style[{page_css.MARKER}])"
SKELETON = '[data-testid="stSkeleton"]'  # an element whose code Streamlit is still loading
# IDLE, with every element drawn, none left stale and none faded. An element whose script is
# still loading shows Streamlit's skeleton (after a page's first run the sidebar's controls do,
# for up to a second on a busy machine). While a rerun has not yet sent an element again,
# Streamlit marks it data-stale and fades it, and a page can rerun itself once after it loaded
# (viz.ui.ensure_frame on a fresh server). A check of colours or an audit waits for this.
SETTLED = """() => {
  if (!document.querySelector(`@IDLE@`) || document.querySelector(`@SKELETON@`)) return false;
  for (let e = document.querySelector('[data-testid="stMain"]'); e; e = e.parentElement)
    if (getComputedStyle(e).opacity !== '1') return false;
  return [...document.querySelectorAll('[data-testid="stElementContainer"]')].every(
    e => e.getAttribute('data-stale') !== 'true' && getComputedStyle(e).opacity === '1');
}""".replace("@IDLE@", IDLE).replace("@SKELETON@", SKELETON)


class ServerError(RuntimeError):
    """The server exited or did not answer its health check in time."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(
    script: str | Path = "app.py",
    cwd: Path = ROOT,
    log=None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
):
    """Run `streamlit run script` on a free localhost port; yield its URL; stop it by its PID.

    log: an open file for the server's output (default: discarded).
    env: variables added to this process's environment for the server.
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=log if log is not None else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log is not None else subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None:
                raise ServerError(f"streamlit exited with code {process.returncode} before serving")
            if time.monotonic() > deadline:
                raise ServerError(f"streamlit did not answer /_stcore/health within {timeout} s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def launch_chromium(playwright):
    """Debian's headless chromium through Playwright."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def wait_settled(page, timeout_ms: float = 180_000) -> None:
    """Until the page is idle with every element current and opaque (SETTLED)."""
    page.wait_for_function(SETTLED, timeout=timeout_ms, polling=100)


def open_list(page, field, timeout_ms: float = 30_000) -> None:
    """Open a select box's list from the keyboard: focus its field (a locator), ArrowDown. A box
    drawn a moment ago can ignore keys for a moment (seen on a loaded machine), so again until
    the options show."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        field.focus()
        page.keyboard.press("ArrowDown")
        try:
            page.get_by_role("option").first.wait_for(timeout=500)
            return
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise
