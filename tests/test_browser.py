"""A real browser: headless Debian Chromium (driven by Playwright) against the running app."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(__file__).resolve().parent / "screenshots"
APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(e5_index):
    port = _free_port()
    env = {**os.environ, "GOKG_INDEX": str(e5_index)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_search_concept_and_explorer_in_chromium(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/?q=saga+%E8%A1%A5%E5%81%BF", timeout=60_000)
        chip = page.get_by_role("button", name="Saga · pattern")
        chip.wait_for(timeout=90_000)
        page.locator("mark", has_text="补偿").first.wait_for(timeout=30_000)  # highlighted Saga passages
        page.get_by_text("000_ec0da037d95f2b7d.txt", exact=False).first.wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / "search.png"), full_page=False)
        chip.click()
        page.get_by_role("heading", name="Saga", exact=True).wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "concept.png"), full_page=False)
        page.get_by_role("link", name="Explorer").click()
        page.get_by_text("relations", exact=False).first.wait_for(timeout=60_000)
        page.wait_for_timeout(2500)
        page.screenshot(path=str(SHOTS / "explorer.png"), full_page=False)
        browser.close()
    assert (SHOTS / "search.png").stat().st_size > 10_000
