"""SKM answer sheets in the web: the .csv/.xlsx `patuh skm` reads, uploaded in the self-assessment
(kept in the draft as the facts' inline responses) and by an inspector beside a facts file
(stored with the audit); a bad sheet is told beside its field and nothing is stored."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
import yaml

from patuh.web.accounts import create_account
from patuh.web.audits import MAX_UPLOAD_BYTES
from patuh.web.database import Audit, AuditSheet, Draft

from web_support import database  # noqa: F401  (the fixture)
from web_support import EXAMPLES, PASSWORD, ROOT, Browser, form_fields

REGULATION = "sanggau-perbup-33-2019"
FACTS = EXAMPLES / "sanggau-puskesmas-entikong.yaml"
SHEET = EXAMPLES / "sanggau-puskesmas-entikong-skm-2024.csv"
SHEET_FIELD = "lembar:events.skm[1].responses"
AS_OF = "2024-12-31"


def _cli_findings() -> list[tuple[str, str]]:
    done = subprocess.run([sys.executable, "-m", "patuh.cli", "audit", str(FACTS), "--regulation", "sanggau", "--as-of",
                           AS_OF, "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    return [(finding["rule_id"], finding["status"]) for finding in json.loads(done.stdout)["findings"]]


def _findings(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-rule="([^"]+)" data-status="([^"]+)"', html)


@pytest.fixture()
def staff(database):
    """The Entikong health centre's account, its draft started from the example facts without the sheet."""
    browser = Browser(database, "staf-entikong")
    facts = yaml.safe_load(FACTS.read_text())
    del facts["events"]["skm"][1]["responses"]
    page = browser.get(f"/asesmen/{REGULATION}/organisation").text
    started = browser.post(f"/asesmen/{REGULATION}/unggah", {"versi": re.search(r'name="versi" value="(\d+)"', page).group(1)},
                           files={"fakta": ("entikong.yaml", yaml.safe_dump(facts, allow_unicode=True).encode(), "application/yaml")},
                           follow_redirects=False)
    assert started.status_code == 303
    return browser


def _send_sheet(staff, name: str, content: bytes, **changes):
    path = f"/asesmen/{REGULATION}/events"
    fields = form_fields(staff.get(path).text, path)
    fields.update(changes)
    fields["aksi"] = ["simpan"]
    return staff.post(path, fields, files={SHEET_FIELD: (name, content, "text/csv")})


def _draft(database) -> Draft:
    with database.transaction() as session:
        return session.query(Draft).one()


def test_a_sheet_uploaded_in_the_interview_becomes_the_facts_responses_and_audits_as_the_cli(database, staff):
    page = staff.get(f"/asesmen/{REGULATION}/events").text
    assert f'name="{SHEET_FIELD}"' in page and "Paling besar 2 MB" in page and "U1 … U9" in page
    saved = _send_sheet(staff, "jawaban-2024.csv", SHEET.read_bytes())
    assert saved.status_code == 200 and "Tersimpan." in saved.text
    assert "102 responden dari jawaban-2024.csv tersimpan" in saved.text
    responses = yaml.safe_load(staff.get(f"/asesmen/{REGULATION}/fakta.yaml").text)["events"]["skm"][1]["responses"]
    assert responses["file"] == "jawaban-2024.csv" and len(responses["respondents"]) == 102
    assert responses["respondents"][0] == {"row": 2, "scores": [3, 3, 3, 4, 3, 2, 2, 4, 2], "service_type": "rawat-jalan",
                                           "dated": "2024-11-19"}
    # Saving the step again without a new file keeps the rows read before.
    again = _send_sheet(staff, "", b"")
    assert again.status_code == 200 and "102 responden" in again.text
    submitted = staff.post(f"/asesmen/{REGULATION}/kirim", {"tanggal": AS_OF}, follow_redirects=False)
    assert submitted.status_code == 303, submitted.text[:3000]
    assert _findings(staff.get(submitted.headers["location"]).text) == _cli_findings()


def test_an_xlsx_sheet_is_read_as_the_csv(database, staff):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in SHEET.read_text(encoding="utf-8").splitlines():
        sheet.append([int(cell) if cell.isdigit() else (cell or None) for cell in row.split(",")])
    content = io.BytesIO()
    workbook.save(content)
    saved = _send_sheet(staff, "jawaban.xlsx", content.getvalue())
    assert saved.status_code == 200 and "102 responden dari jawaban.xlsx" in saved.text


@pytest.mark.parametrize("name, content, words", [
    ("jawaban.csv", SHEET.read_bytes().replace(b"\n2,3,4,3,,3", b"\n2,3,7,3,,3"), "jawaban.csv, baris 3: kolom U2"),
    ("jawaban.csv", SHEET.read_bytes().replace(b"Pelayanan Rawat Jalan Umum,2024-11-19", b"Poli Gigi,2024-11-19", 1),
     "&#39;Poli Gigi&#39; is not a service type of this unit"),
    ("jawaban.csv", b"U1,U2,U3\n1,2,3\n", "no column U4"),
    ("jawaban.csv", b" \n", "berkas kosong"),
    ("jawaban.exe", b"MZ\x90\x00", "jenis berkas tidak diterima"),
    ("jawaban.yaml", b"organisation: {}\n", "jenis berkas tidak diterima"),
    ("jawaban.xlsx", b"PK\x03\x04 not really a workbook", "not a readable .xlsx workbook"),
    ("besar.csv", b"U1" + b" " * MAX_UPLOAD_BYTES, "batasnya 2 MB"),
])
def test_a_bad_sheet_is_told_beside_its_field_and_nothing_is_stored(database, staff, name, content, words):
    before = _draft(database)
    refused = _send_sheet(staff, name, content, **{"events.skm[1].ikm": ["80.5"]})
    assert refused.status_code == 400
    beside = refused.text.split(f'data-question="events.skm[1].responses"', 1)[1].split("</fieldset>", 1)[0]
    assert 'class="field-error"' in beside and words in beside, beside
    assert "belum disimpan" in refused.text
    after = _draft(database)
    assert (after.version, after.facts_json) == (before.version, before.facts_json), "nothing of the page was saved"


def _inspector_upload(inspector, facts: bytes, sheets: list[tuple[str, bytes]]):
    files = [("fakta", ("entikong.yaml", facts, "application/yaml"))] + [("lembar", (name, content, "text/csv"))
                                                                         for name, content in sheets]
    return inspector.post("/audit/baru", {"tanggal": AS_OF}, files=files, follow_redirects=False)


def test_an_inspector_uploads_the_sheet_beside_the_facts_and_it_is_kept_with_the_audit(database):
    inspector = Browser(database, "inspektur-tegal")
    sanggau = _sanggau_inspector(database)
    assert _inspector_upload(inspector, FACTS.read_bytes(), [(SHEET.name, SHEET.read_bytes())]).status_code == 400, \
        "another region's unit"
    done = _inspector_upload(sanggau, FACTS.read_bytes(), [(SHEET.name, SHEET.read_bytes())])
    assert done.status_code == 303, done.text[:3000]
    page = sanggau.get(done.headers["location"]).text
    assert _findings(page) == _cli_findings()
    link = re.search(r'href="(/audit/\d+/lembar/\d+)">' + re.escape(SHEET.name), page).group(1)
    assert sanggau.get(link).content == SHEET.read_bytes()
    assert inspector.get(link).status_code == 404
    assert Browser(database, "staf-dukcapil").get(link).status_code == 404


def test_a_missing_wrong_or_unnamed_sheet_stores_nothing(database):
    sanggau = _sanggau_inspector(database)
    missing = _inspector_upload(sanggau, FACTS.read_bytes(), [])
    assert missing.status_code == 400 and "sanggau-puskesmas-entikong-skm-2024.csv: no such file" in missing.text
    assert "/tmp/" not in missing.text, "the server's folder is not shown"
    wrong = _inspector_upload(sanggau, FACTS.read_bytes(), [(SHEET.name, SHEET.read_bytes().replace(b"\n2,3,4,3,,3", b"\n2,3,9,3,,3"))])
    assert wrong.status_code == 400 and "expected a score 1–4" in wrong.text
    unnamed = _inspector_upload(sanggau, FACTS.read_bytes(), [(SHEET.name, SHEET.read_bytes()), ("lain.csv", SHEET.read_bytes())])
    assert unnamed.status_code == 400 and "lain.csv tidak disebut berkas fakta" in unnamed.text
    not_a_sheet = _inspector_upload(sanggau, FACTS.read_bytes(), [("jawaban.pdf", b"%PDF-1.4")])
    assert not_a_sheet.status_code == 400 and "jenis berkas tidak diterima" in not_a_sheet.text
    with database.transaction() as session:
        assert session.query(Audit).count() == 0 and session.query(AuditSheet).count() == 0


def _sanggau_inspector(database) -> Browser:
    with database.transaction() as session:
        create_account(session, "inspektur-sanggau", PASSWORD, "inspektorat", "Kabupaten Sanggau")
    return Browser(database, "inspektur-sanggau")


def test_every_step_saved_as_shown_with_the_sheet_keeps_the_findings_of_the_yaml(database, staff):
    """What a rule reads survives the pages: quantity 0 of a facility (read by the engine though no
    fact use names it), an empty list recorded as checked, the sheet's rows."""
    steps = re.findall(rf'href="/asesmen/{REGULATION}/(\w+)">\d+\.', staff.get(f"/asesmen/{REGULATION}/organisation").text)
    assert "events" in steps and "facilities" in steps
    for block in ["organisation", *steps]:
        path = f"/asesmen/{REGULATION}/{block}"
        fields = form_fields(staff.get(path).text, path)
        fields["aksi"] = ["simpan"]
        files = {SHEET_FIELD: (SHEET.name, SHEET.read_bytes(), "text/csv")} if block == "events" else None
        saved = staff.post(path, fields, files=files)
        assert saved.status_code == 200 and "Tersimpan." in saved.text, (block, re.findall(r'field-error[^>]*>([^<]+)', saved.text))
    draft = yaml.safe_load(staff.get(f"/asesmen/{REGULATION}/fakta.yaml").text)
    assert {"item": "printer", "quantity": 0} == {key: draft["facilities"][1][key] for key in ("item", "quantity")}
    assert draft["cooperation_agreements"][0]["identity_displayed_at"] == []
    submitted = staff.post(f"/asesmen/{REGULATION}/kirim", {"tanggal": AS_OF}, follow_redirects=False)
    assert submitted.status_code == 303, submitted.text[:3000]
    assert _findings(staff.get(submitted.headers["location"]).text) == _cli_findings()
