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
    yield from _serve(e5_index)


@pytest.fixture(scope="module")
def folders_server(tmp_path_factory):
    """The seeds in two folders (a/: 000-001, b/: 002-004), hash encoder: a corpus to filter by folder."""
    from gokg import KnowledgeBase

    root = tmp_path_factory.mktemp("folders")
    for number, path in enumerate(sorted((APP.parents[1] / "seeds").iterdir())):
        folder = root / "corpus" / ("a" if number < 2 else "b")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / path.name)
    KnowledgeBase.build([root / "corpus"], root / "index", encoder="hash")
    yield from _serve(root / "index")


def _serve(index: Path):
    port = _free_port()
    env = {**os.environ, "GOKG_INDEX": str(index)}
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


def test_chinese_browser_gets_the_chinese_interface_and_filters_by_folder(folders_server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                                                                     "--disable-background-networking"])
        page = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000}).new_page()
        page.goto(f"{folders_server}/?q=saga+%E8%A1%A5%E5%81%BF", timeout=60_000)
        page.get_by_role("heading", name="结果").wait_for(timeout=90_000)  # Chinese, unasked
        page.get_by_text("查询涉及的概念").first.wait_for(timeout=30_000)
        assert "lang=zh" in page.url  # kept in the URL: a shared link opens in Chinese too
        page.get_by_text("a/000_ec0da037d95f2b7d.txt:", exact=False).first.wait_for(timeout=30_000)
        page.get_by_label("文件夹或文件").click()  # the folder/file filter, labelled in Chinese
        page.get_by_role("option", name="b/", exact=True).click()
        page.wait_for_function("() => location.search.includes('in=b')", timeout=30_000)
        page.wait_for_timeout(2500)
        sources = page.locator("[data-testid='stCode'] code").all_inner_texts()
        assert sources and all(s.strip().startswith("b/") for s in sources), sources
        page.screenshot(path=str(SHOTS / "search_zh_folder.png"), full_page=False)
        browser.close()
