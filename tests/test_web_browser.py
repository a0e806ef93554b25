"""End to end in a real headless Chromium: an inspector signs in, uploads the Tegal
Disdukcapil facts, sees the findings `patuh audit` gives, uploads a second audit and sees
the history and the follow-up; a unit's staff walk the self-assessment, upload their SKM
answer sheet and get the findings `patuh audit` gives. Every page, the engine's report
included, fits a 1366 px laptop and a 390 px phone without sideways scrolling. Screenshots
of the pages go to /tmp/patuh-web-screens/ (PATUH_SCREENS)."""

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
import yaml

from browser_support import chromium_or_skip
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


def _cli_findings(as_of: str, facts: str = "tegal-disdukcapil.yaml", regulation: str = "tegal") -> list[tuple[str, str]]:
    done = subprocess.run([sys.executable, "-m", "patuh.cli", "audit", str(EXAMPLES / facts), "--regulation",
                           regulation, "--as-of", as_of, "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    return [(finding["rule_id"], finding["status"]) for finding in json.loads(done.stdout)["findings"]]


def _fits(page, name: str, focus: str | None = None) -> None:
    """At both widths nothing a person must read is cut off sideways: the page is never wider than
    the screen (a wide table scrolls inside its own box). Screenshots of each are kept."""
    for label, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        if focus:
            page.locator(focus).first.scroll_into_view_if_needed()
            page.evaluate("(selector) => document.querySelector(selector).scrollIntoView()", focus)
        page.screenshot(path=str(SCREENS / f"{name}-{label}.png"), full_page=False)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name} is {width} px wide at {label} ({viewport['width']} px)"
    page.set_viewport_size(VIEWPORTS["lebar"])


def _launch(playwright, executable):
    return playwright.chromium.launch(executable_path=executable, args=[
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"])


def _browser_or_skip():
    executable, sync_api = chromium_or_skip()
    SCREENS.mkdir(parents=True, exist_ok=True)
    return executable, sync_api


def _sign_in(page, base: str, name: str) -> None:
    page.goto(base)
    page.fill("#nama", name)
    page.fill("#sandi", PASSWORD)
    page.click("button:has-text('Masuk')")
    page.wait_for_load_state()


def _upload(page, base: str, file: Path, as_of: str) -> None:
    page.goto(f"{base}/audit/baru")
    page.set_input_files("#fakta", str(file))
    page.fill("#tanggal", as_of)
    page.click("button[type=submit]:has-text('Jalankan audit')")
    page.wait_for_load_state()


def test_an_inspector_audits_a_unit_twice_in_a_real_browser(server, tmp_path):
    executable, sync_api = _browser_or_skip()
    broken = tmp_path / "disdukcapil-salah.yaml"
    broken.write_text((EXAMPLES / "tegal-disdukcapil.yaml").read_text().replace("type: perangkat_daerah", "type: dinas"))
    with sync_api.sync_playwright() as playwright:
        browser = _launch(playwright, executable)
        try:
            page = browser.new_page(viewport=VIEWPORTS["lebar"])
            _sign_in(page, server, "inspektur-tegal")
            page.wait_for_url(f"{server}/unit")

            _upload(page, server, broken, "2024-12-31")
            error = page.inner_text("#kesalahan")
            assert "baris 7" in error and "organisation.type" in error and "tidak ada yang disimpan" in error
            _fits(page, "unggah-salah")

            _upload(page, server, EXAMPLES / "tegal-disdukcapil.yaml", "2024-12-31")
            rows = page.query_selector_all("#temuan tbody tr")
            shown = [(row.get_attribute("data-rule"), row.get_attribute("data-status")) for row in rows]
            assert shown == _cli_findings("2024-12-31")
            _fits(page, "hasil-audit")
            first_audit = page.url

            _upload(page, server, EXAMPLES / "tegal-disdukcapil.yaml", "2025-03-31")
            assert "Dibandingkan dengan audit sebelumnya per" in page.inner_text("main")
            states = {row.get_attribute("data-follow-up") for row in page.query_selector_all("#temuan tbody tr")}
            assert "masih_terbuka" in states
            page.click("a:has-text('Laporan lengkap')")
            page.wait_for_load_state()
            assert "Pasal 9 ayat (4)" in page.inner_text("body")
            # The report is the engine's own HTML page (reports/templates/audit.html.j2), shown as `patuh audit` writes it.
            _fits(page, "laporan")
            page.go_back()

            page.click(f"a:has-text('← {DISDUKCAPIL}')")
            history = page.query_selector_all("#riwayat tbody tr")
            assert len(history) == 2
            assert "Masih terbuka" in history[0].inner_text() and "audit pertama" in history[1].inner_text()
            assert page.query_selector(f"#riwayat a[href='{first_audit.removeprefix(server)}']") is not None
            _fits(page, "riwayat-unit")

            page.goto(f"{server}/unit")
            listing = page.inner_text("#daftar-unit")
            assert DISDUKCAPIL in listing and "pelanggaran" in listing
            _fits(page, "daftar-unit")
        finally:
            browser.close()


def test_a_unit_walks_the_self_assessment_with_its_skm_sheet_in_a_real_browser(server, tmp_path):
    executable, sync_api = _browser_or_skip()
    facts = yaml.safe_load((EXAMPLES / "sanggau-puskesmas-entikong.yaml").read_text())
    del facts["events"]["skm"][1]["responses"]
    start = tmp_path / "entikong-tanpa-lembar.yaml"
    start.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False))
    regulation = "sanggau-perbup-33-2019"
    with sync_api.sync_playwright() as playwright:
        browser = _launch(playwright, executable)
        try:
            page = browser.new_page(viewport=VIEWPORTS["lebar"])
            _sign_in(page, server, "staf-entikong")
            page.click("a:has-text('Asesmen mandiri') >> nth=0")
            page.wait_for_url(f"{server}/asesmen/{regulation}/organisation")
            _fits(page, "asesmen-identitas")
            page.set_input_files("input[name=fakta]", str(start))
            page.click("button:has-text('Unggah')")
            page.wait_for_load_state()
            # Every step, saved as shown and left with "Simpan dan lanjut", fits both widths.
            steps = 0
            while page.query_selector("button:has-text('Simpan dan lanjut')"):
                steps += 1
                if "/events" in page.url:
                    page.set_input_files("input[name='lembar:events.skm[1].responses']",
                                         str(EXAMPLES / "sanggau-puskesmas-entikong-skm-2024.csv"))
                    page.click("button:has-text('Simpan') >> nth=0")
                    page.wait_for_load_state()
                    assert "102 responden dari sanggau-puskesmas-entikong-skm-2024.csv tersimpan" in page.inner_text("main")
                    _fits(page, "asesmen-lembar-skm", focus="fieldset.sheet:has(.ok-note)")
                else:
                    page.evaluate("window.scrollTo(0, 0)")
                    _fits(page, f"asesmen-langkah-{steps}")
                page.click("button:has-text('Simpan dan lanjut')")
                page.wait_for_load_state()
                assert "field-error" not in page.content(), page.url
            assert steps >= 6
            page.fill("#tanggal", "2024-12-31")
            page.click("button:has-text('Jalankan audit mandiri')")
            page.wait_for_url(f"{server}/audit/*")
            rows = page.query_selector_all("#temuan tbody tr")
            shown = [(row.get_attribute("data-rule"), row.get_attribute("data-status")) for row in rows]
            assert shown == _cli_findings("2024-12-31", "sanggau-puskesmas-entikong.yaml", "sanggau")
            _fits(page, "asesmen-hasil")
            page.click("a:has-text('Laporan lengkap')")
            page.wait_for_load_state()
            _fits(page, "asesmen-laporan")
            page.click("a:has-text('Kembali ke hasil audit')")
            page.click("a:has-text('Riwayat audit')")
            page.wait_for_load_state()
            assert len(page.query_selector_all("#riwayat tbody tr")) == 1
            _fits(page, "asesmen-riwayat")
        finally:
            browser.close()
