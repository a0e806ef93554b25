"""End to end in a real headless Chromium: an inspector signs in, uploads the Tegal
Disdukcapil facts, sees the findings `patuh audit` gives, uploads a second audit and sees
the history and the follow-up. Screenshots of the pages go to /tmp/patuh-web-screens/."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from test_compare import _chromium
from web_support import DISDUKCAPIL, EXAMPLES, PASSWORD, ROOT, make_database

SCREENS = Path(os.environ.get("PATUH_SCREENS", "/tmp/patuh-web-screens"))
VIEWPORTS = {"lebar": {"width": 1366, "height": 768}, "ponsel": {"width": 390, "height": 844}}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def server(tmp_path):
    import uvicorn

    from patuh.web.app import create_app

    database = make_database(tmp_path)
    port = _free_port()
    running = uvicorn.Server(uvicorn.Config(create_app(database=database), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline:
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)
    database.dispose()


def _cli_findings(as_of: str) -> list[tuple[str, str]]:
    done = subprocess.run([sys.executable, "-m", "patuh.cli", "audit", str(EXAMPLES / "tegal-disdukcapil.yaml"), "--regulation",
                           "tegal", "--as-of", as_of, "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    return [(finding["rule_id"], finding["status"]) for finding in json.loads(done.stdout)["findings"]]


def _shots(page, name: str, own_page: bool = True) -> None:
    for label, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENS / f"{name}-{label}.png"), full_page=False)
        # Nothing a person must read is cut off sideways on a phone.
        if own_page:
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, f"{name} at {label}"
    page.set_viewport_size(VIEWPORTS["lebar"])


def _upload(page, base: str, file: Path, as_of: str) -> None:
    page.goto(f"{base}/audit/baru")
    page.set_input_files("#fakta", str(file))
    page.fill("#tanggal", as_of)
    page.click("button[type=submit]:has-text('Jalankan audit')")
    page.wait_for_load_state()


def test_an_inspector_audits_a_unit_twice_in_a_real_browser(server, tmp_path):
    executable = _chromium()
    if executable is None:
        pytest.skip("no chromium on this machine (apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the [test] extra")
    SCREENS.mkdir(parents=True, exist_ok=True)
    broken = tmp_path / "disdukcapil-salah.yaml"
    broken.write_text((EXAMPLES / "tegal-disdukcapil.yaml").read_text().replace("type: perangkat_daerah", "type: dinas"))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport=VIEWPORTS["lebar"])
            page.goto(server)
            page.fill("#nama", "inspektur-tegal")
            page.fill("#sandi", PASSWORD)
            page.click("button:has-text('Masuk')")
            page.wait_for_url(f"{server}/unit")

            _upload(page, server, broken, "2024-12-31")
            error = page.inner_text("#kesalahan")
            assert "baris 7" in error and "organisation.type" in error and "tidak ada yang disimpan" in error
            _shots(page, "unggah-salah")

            _upload(page, server, EXAMPLES / "tegal-disdukcapil.yaml", "2024-12-31")
            rows = page.query_selector_all("#temuan tbody tr")
            shown = [(row.get_attribute("data-rule"), row.get_attribute("data-status")) for row in rows]
            assert shown == _cli_findings("2024-12-31")
            _shots(page, "hasil-audit")
            first_audit = page.url

            _upload(page, server, EXAMPLES / "tegal-disdukcapil.yaml", "2025-03-31")
            assert "Dibandingkan dengan audit sebelumnya per" in page.inner_text("main")
            states = {row.get_attribute("data-follow-up") for row in page.query_selector_all("#temuan tbody tr")}
            assert "masih_terbuka" in states
            page.click("a:has-text('Laporan lengkap')")
            page.wait_for_load_state()
            assert "Pasal 9 ayat (4)" in page.inner_text("body")
            # The report is the engine's own HTML page (reports/templates/audit.html.j2), shown as `patuh audit` writes it.
            _shots(page, "laporan", own_page=False)
            page.go_back()

            page.click(f"a:has-text('← {DISDUKCAPIL}')")
            history = page.query_selector_all("#riwayat tbody tr")
            assert len(history) == 2
            assert "Masih terbuka" in history[0].inner_text() and "audit pertama" in history[1].inner_text()
            assert page.query_selector(f"#riwayat a[href='{first_audit.removeprefix(server)}']") is not None

            page.goto(f"{server}/unit")
            listing = page.inner_text("#daftar-unit")
            assert DISDUKCAPIL in listing and "pelanggaran" in listing
            _shots(page, "daftar-unit")
        finally:
            browser.close()
