"""The websocket client checked against a real browser (load_test.py --browser-check): the same
softmax slider change timed in Debian's chromium and by the client, so the load test's
latencies stand for what a student's browser shows.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import statistics
import sys
import time

from load_servers import ROOT
from load_students import VIEWER_PAGE, VIEWER_SLIDER
from streamlit_client import StreamlitClient


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
