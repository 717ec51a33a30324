"""Regenerate the README's screenshots: the top of every page, as a new user first sees it.

Starts `streamlit run app.py` on a free port, opens each page in Debian's chromium (Playwright with
executable_path; no downloaded browser), waits for its charts and formulas, and saves a
1400x1000 viewport screenshot to docs/screenshots/<page>.png.
Run: python docs/make_screenshots.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "app"))

import live_app  # noqa: E402

from viz import ui  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# A few pages look best at a setting other than the defaults (all kept in the URL).
QUERIES = {"grading": "?gd_assignment=mlp_basics&gd_source=the+sample+class"}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with live_app.serve() as url:
        with sync_playwright() as p:
            browser = live_app.launch_chromium(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for entry in ui.existing_pages():
                name = entry[1].removesuffix(".py")
                path = "" if name == "home" else name
                page.goto(f"{url}/{path}{QUERIES.get(name, '')}", wait_until="networkidle")
                page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
                page.wait_for_selector(live_app.IDLE, timeout=90_000)
                time.sleep(2.0)  # let plotly finish drawing
                page.screenshot(path=str(OUT / f"{name}.png"))
                print("saved", OUT / f"{name}.png")
            browser.close()


if __name__ == "__main__":
    main()
