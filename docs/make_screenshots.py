"""Regenerate the README's screenshots: the top of every page, as a new user first sees it, and
the same pages as the room sees them in presenter mode.

Starts `streamlit run app.py` on a free port, opens each page in Debian's chromium (Playwright with
executable_path; no downloaded browser), waits for its charts and formulas, and saves
- a 1400x1000 viewport screenshot to docs/screenshots/<page>.png, and
- presenter mode on a 1024x768 projector, to docs/screenshots/presenter/<page>_<theme>.png:
  the Projector theme for every page, and the Dark room for PRESENTER_DARK.
Run: python docs/make_screenshots.py            (everything)
     python docs/make_screenshots.py --presenter-only
     python docs/make_screenshots.py --pages softmax,quiz
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "app"))

import live_app  # noqa: E402

from viz import navigation  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PRESENTER_OUT = OUT / "presenter"
# A few pages look best at a setting other than the defaults (all kept in the URL).
QUERIES = {"grading": "gd_assignment=mlp_basics"}
PROJECTOR_SIZE = {"width": 1024, "height": 768}
PRESENTER_DARK = ("structure", "gradients", "playground")


def shoot(page, url: str, path: Path) -> None:
    """Open url, wait for the script and its charts, save the viewport to path."""
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
    page.wait_for_selector(live_app.IDLE, timeout=90_000)
    time.sleep(2.0)  # let plotly finish drawing
    page.screenshot(path=str(path))
    print("saved", path)


def page_url(url: str, name: str, *params: str) -> str:
    query = "&".join(p for p in (*params, QUERIES.get(name, "")) if p)
    return f"{url}/{'' if name == 'home' else name}" + (f"?{query}" if query else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presenter-only", action="store_true")
    parser.add_argument("--pages", default="", help="comma-separated names (default: every page)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    PRESENTER_OUT.mkdir(parents=True, exist_ok=True)
    names = [entry[1].removesuffix(".py") for entry in navigation.existing_pages()]
    if args.pages:
        names = [name for name in names if name in args.pages.split(",")]
    with live_app.serve() as url:
        with sync_playwright() as p:
            browser = live_app.launch_chromium(p)
            if not args.presenter_only:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                for name in names:
                    shoot(page, page_url(url, name), OUT / f"{name}.png")
                page.close()
            page = browser.new_page(viewport=PROJECTOR_SIZE)
            for name in names:
                projector = page_url(
                    url, name, "presenter=true", "theme=Projector+%28high+contrast%29"
                )
                shoot(page, projector, PRESENTER_OUT / f"{name}_projector.png")
                if name in PRESENTER_DARK:
                    dark = page_url(url, name, "presenter=true", "theme=Dark+room")
                    shoot(page, dark, PRESENTER_OUT / f"{name}_dark.png")
            browser.close()


if __name__ == "__main__":
    main()
