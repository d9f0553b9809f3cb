"""Regenerate docs/workbench.png: the workbench of `twin serve` in headless Chromium.

Starts a server on a free loopback port, opens the page on the Dakhla campus, keeps three
what-ifs (as published, more PV, adiabatic coolers) and takes a screenshot of the page.
Run from the repository root with Debian `chromium` on PATH:
    python docs/make_workbench_png.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.serve.server import Server  # noqa: E402

SETTLED = (
    "n => { const s = document.getElementById('status');"
    " return s.dataset.done && Number(s.dataset.done) > n && !s.className; }"
)


def shoot(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1250})
        page.goto(url)
        page.wait_for_function(SETTLED, arg=0, timeout=300_000)
        n = int(page.get_attribute("#status", "data-done"))
        page.select_option("#base", "example:dakhla")
        steps = ((None, None), ("#pv", "1500"), ("#plant", "adiabatic_coolers"))
        for field, value in steps:
            if field == "#plant":
                page.select_option(field, value)
            elif field:
                page.fill(field, value)
            page.wait_for_function(SETTLED, arg=n, timeout=300_000)
            n = int(page.get_attribute("#status", "data-done"))
            page.click("#keep")
        page.screenshot(path=str(out), full_page=True)
        browser.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(log=Path(tmp) / "server.log")
        try:
            shoot(server.url + "/", REPO / "docs" / "workbench.png")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
