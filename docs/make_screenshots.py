"""Regenerate the README's screenshots: the top of every page, as a new user first sees it.

Starts `streamlit run app.py` on a free port, opens each page in Debian's chromium (Playwright with
executable_path; no downloaded browser), waits for its charts and formulas, and saves a
1400x1000 viewport screenshot to docs/screenshots/<page>.png.
Run: python docs/make_screenshots.py
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from viz import ui  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# A few pages look best at a setting other than the defaults (all kept in the URL).
QUERIES = {"grading": "?gd_source=the+sample+class"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                      "--disable-background-networking", "--no-first-run"],
            )  # fmt: skip
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for entry in ui.existing_pages():
                name = entry[1].removesuffix(".py")
                path = "" if name == "home" else name
                page.goto(f"{url}/{path}{QUERIES.get(name, '')}", wait_until="networkidle")
                page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
                page.wait_for_selector(
                    '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000
                )
                time.sleep(2.0)  # let plotly finish drawing
                page.screenshot(path=str(OUT / f"{name}.png"))
                print("saved", OUT / f"{name}.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
