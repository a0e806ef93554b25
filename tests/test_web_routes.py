"""The web application's routes: sign-in, CSRF, roles, uploads, history and follow-up, and
that no account reads or changes a unit it may not see."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import pytest
import yaml

from patuh.web.audits import MAX_UPLOAD_BYTES
from patuh.web.database import Account, Audit, Unit

from web_support import database  # noqa: F401  (the fixture)
from web_support import DISDUKCAPIL, EXAMPLES, KLINIK, ROOT, Browser, csrf_of, example, make_database


@pytest.fixture()
def inspector(database):
    return Browser(database, "inspektur-tegal")


def _audit_id(response) -> int:
    assert response.status_code == 303, response.text[:2000]
    return int(response.headers["location"].rsplit("/", 1)[1])


def _findings(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-rule="([^"]+)" data-status="([^"]+)"', html)


def _cli_findings(as_of: str) -> list[tuple[str, str]]:
    done = subprocess.run([sys.executable, "-m", "patuh.cli", "audit", str(EXAMPLES / "tegal-disdukcapil.yaml"),
                           "--regulation", "tegal", "--as-of", as_of, "--format", "json"], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    report = json.loads(done.stdout)
    return [(finding["rule_id"], finding["status"]) for finding in report["findings"]]


def test_pages_need_sign_in_and_a_wrong_password_is_told(database):
    browser = Browser(database)
    for path in ("/unit", "/unit/1", "/audit/1", "/audit/baru", "/akun", "/asesmen", "/asesmen/tegal-perbup-63-2023/organisation"):
        response = browser.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/masuk"), path
    refused = browser.sign_in("inspektur-tegal", "salah-sandi-ini")
    assert refused.status_code == 400 and "Nama akun atau kata sandi salah" in refused.text
    assert browser.sign_in("inspektur-tegal").headers["location"] == "/unit"


def test_every_post_without_the_csrf_token_is_refused_and_changes_nothing(database, inspector):
    before = inspector.get("/unit").text
    admin = Browser(database, "admin")
    for browser, path in ((inspector, "/masuk"), (inspector, "/keluar"), (inspector, "/audit/baru"), (admin, "/akun")):
        response = browser.post(path, {"nama": "x", "sandi": "y", "tanggal": "2024-12-31"}, csrf=False)
        assert response.status_code == 403 and "Formulir kedaluwarsa" in response.text, path
        wrong = browser.client.post(path, data={"csrf": "palsu", "tanggal": "2024-12-31", "nama": "y", "sandi": "z" * 12,
                                                "peran": "admin"})
        assert wrong.status_code == 403, path
    # Still signed in: the refused /keluar did not sign out.
    assert inspector.get("/unit").text == before
    with database.transaction() as session:
        assert session.query(Audit).count() == 0
    assert "y</td>" not in admin.get("/akun").text


def test_a_sign_in_after_the_link_never_leaves_the_site(database):
    browser = Browser(database)
    token = csrf_of(browser.get("/masuk?lanjut=//contoh.invalid/").text)
    response = browser.client.post("/masuk", data={"csrf": token, "nama": "inspektur-tegal", "sandi": "sandi-yang-panjang",
                                                   "lanjut": "//contoh.invalid/"}, follow_redirects=False)
    assert response.headers["location"] == "/unit"


def test_an_upload_gives_the_findings_of_patuh_audit_and_is_stored_whole(database, inspector):
    facts = example("tegal-disdukcapil.yaml")
    audit_id = _audit_id(inspector.upload(facts, "tegal-disdukcapil.yaml"))
    page = inspector.get(f"/audit/{audit_id}").text
    assert _findings(page) == _cli_findings("2024-12-31")
    with database.transaction() as session:
        audit = session.get(Audit, audit_id)
        assert audit.facts_yaml == facts.decode() and audit.as_of == date(2024, 12, 31)
        assert audit.regulation_id == "tegal-perbup-63-2023" and audit.source == "upload"
        assert json.loads(audit.report_json)["facts"]["file"] == "tegal-disdukcapil.yaml"
    download = inspector.get(f"/audit/{audit_id}/fakta.yaml")
    assert download.content == facts and "tegal-disdukcapil.yaml" in download.headers["content-disposition"]
    report = inspector.get(f"/audit/{audit_id}/laporan")
    assert report.status_code == 200 and "Pasal 9 ayat (4)" in report.text
    plan = inspector.get(f"/audit/{audit_id}/rencana")
    assert plan.status_code == 200 and "Rencana" in plan.text


def test_a_second_audit_follows_up_the_stored_one(database, inspector):
    first = _audit_id(inspector.upload(example("tegal-disdukcapil.yaml"), as_of="2024-12-31"))
    mended = yaml.safe_load(example("tegal-disdukcapil.yaml"))
    second = _audit_id(inspector.upload(example("tegal-disdukcapil.yaml"), as_of="2025-03-31"))
    page = inspector.get(f"/audit/{second}").text
    assert f'href="/audit/{first}"' in page
    states = re.findall(r'data-follow-up="([^"]+)"', page)
    assert "masih_terbuka" in states, "the violations of the first audit are still open"
    with database.transaction() as session:
        assert session.get(Audit, second).previous_audit_id == first
        unit_id = session.get(Audit, second).unit_id
    history = inspector.get(f"/unit/{unit_id}").text
    assert history.index(f'data-audit="{second}"') < history.index(f'data-audit="{first}"'), "newest first"
    assert "Masih terbuka" in history
    listing = inspector.get("/unit").text
    assert DISDUKCAPIL in listing and "pelanggaran" in listing and mended


@pytest.mark.parametrize("name, content, words", [
    ("fakta.exe", b"MZ\x90\x00", "jenis berkas tidak diterima"),
    ("jawaban.csv", b"U1,U2\n1,2\n", "lembar jawaban survei"),
    ("kosong.yaml", b"  \n", "berkas kosong"),
    ("biner.yaml", b"\xff\xfe\x00organisation", "bukan teks UTF-8"),
    ("besar.yaml", b"#" * (MAX_UPLOAD_BYTES + 10), "batasnya 2 MB"),
    ("bom.yaml", b"a: &a [x,x,x,x,x,x,x,x,x,x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n".encode()
        for i in range(8)), "aliases"),
    ("rusak.yaml", b"organisation: [\n", "bom"),
])
def test_a_bad_upload_is_told_beside_the_form_and_nothing_is_stored(database, inspector, name, content, words):
    response = inspector.upload(content, name)
    assert response.status_code == 400
    errors = response.text.split('id="kesalahan"', 1)[1].split("</div>", 1)[0]
    if words == "bom":
        assert "rusak.yaml" in errors and "baris" in errors
    else:
        assert words in errors, errors
    assert 'name="fakta"' in response.text, "the form is shown again beside the message"
    with database.transaction() as session:
        assert session.query(Audit).count() == 0 and session.query(Unit).filter(Unit.name == DISDUKCAPIL).count() == 1


def test_facts_that_do_not_validate_are_told_with_file_line_and_field(database, inspector):
    bad = example("tegal-disdukcapil.yaml").replace(b"type: perangkat_daerah", b"type: dinas")
    response = inspector.upload(bad, "disdukcapil.yaml")
    assert response.status_code == 400
    assert re.search(r"disdukcapil\.yaml, baris 7</strong> — isian <code>organisation.type</code>: &#39;dinas&#39; is not one", response.text)
    later = example("tegal-disdukcapil.yaml")
    response = inspector.upload(later, as_of="2024-06-30")
    assert response.status_code == 400 and "after" in response.text


def test_an_inspector_cannot_audit_or_see_another_region(database, inspector):
    madiun = Browser(database, "inspektur-madiun")
    refused = inspector.upload(example("madiun-disdukcapil.yaml"))
    assert refused.status_code == 400 and "Kabupaten Madiun" in refused.text
    audit_id = _audit_id(madiun.upload(example("madiun-disdukcapil.yaml")))
    with database.transaction() as session:
        unit_id = session.get(Audit, audit_id).unit_id
    assert "Kabupaten Madiun" not in inspector.get("/unit").text
    for path in _id_routes(audit_id, unit_id):
        assert inspector.get(path).status_code == 404, path


def _id_routes(audit_id: int, unit_id: int) -> list[str]:
    return [f"/unit/{unit_id}", f"/audit/{audit_id}", f"/audit/{audit_id}/laporan", f"/audit/{audit_id}/laporan.json",
            f"/audit/{audit_id}/rencana", f"/audit/{audit_id}/fakta.yaml", f"/audit/baru?unit={unit_id}"]


def test_a_unit_account_never_reads_or_changes_another_unit(database, inspector):
    clinic_audit = _audit_id(inspector.upload(example("tegal-klinik-swasta.yaml")))
    own_audit = _audit_id(inspector.upload(example("tegal-disdukcapil.yaml")))
    with database.transaction() as session:
        clinic_unit = session.get(Audit, clinic_audit).unit_id
        own_unit = session.get(Audit, own_audit).unit_id
    staff = Browser(database, "staf-dukcapil")
    for path in _id_routes(clinic_audit, clinic_unit):
        response = staff.get(path)
        assert response.status_code == 404 and KLINIK not in response.text, path
    for path in _id_routes(own_audit, own_unit)[:-1]:
        assert staff.get(path).status_code == 200, path
    assert staff.get("/unit", follow_redirects=False).status_code == 404, "the region's list is the inspectors'"
    # Upload is the inspectors'; a unit starts its own audits from the self-assessment.
    assert staff.upload(example("tegal-klinik-swasta.yaml")).status_code == 404
    for path in (f"/asesmen/tegal-perbup-63-2023/organisation?unit={clinic_unit}",):
        assert KLINIK not in staff.get(path).text
    with database.transaction() as session:
        assert session.query(Audit).filter(Audit.unit_id == clinic_unit).count() == 1


def test_only_an_admin_manages_accounts(database, inspector):
    assert inspector.get("/akun").status_code == 404
    admin = Browser(database, "admin")
    assert admin.get("/unit/1").status_code == 404, "an admin manages accounts, not audits"
    made = admin.post("/akun", {"nama": "inspektur-baru", "peran": "inspektorat", "wilayah": "Kota Metro", "sandi": "cukup-panjang-1"},
                      follow_redirects=False)
    assert made.status_code == 303
    short = admin.post("/akun", {"nama": "x2", "peran": "inspektorat", "wilayah": "Kota Metro", "sandi": "pendek"})
    assert short.status_code == 400 and "paling sedikit 10" in short.text
    listing = admin.get("/akun").text
    assert "inspektur-baru" in listing and "Kota Metro" in listing
    assert Browser(database, "inspektur-baru").get("/unit").status_code == 200


PAYLOAD_SCRIPT = "<script>alert('patuh')</script>"
PAYLOAD_TEMPLATE = "{{7*7}}"


def test_injection_payloads_stay_inert_in_every_page_and_the_stored_report(database, inspector):
    facts = yaml.safe_load(example("tegal-disdukcapil.yaml"))
    name = f"Dinas {PAYLOAD_SCRIPT} {PAYLOAD_TEMPLATE}"
    facts["organisation"]["name"] = name
    facts["service_types"][0]["name"] = PAYLOAD_SCRIPT + PAYLOAD_TEMPLATE
    facts["facilities"][0]["location"] = PAYLOAD_SCRIPT
    text = yaml.safe_dump(facts, allow_unicode=True, sort_keys=False)
    audit_id = _audit_id(inspector.upload(text.encode(), "serangan.yaml"))
    with database.transaction() as session:
        unit_id = session.get(Audit, audit_id).unit_id
        stored = session.get(Audit, audit_id).report_json
    assert json.loads(stored)["unit"]["name"] == name, "stored as given, as data"
    for path in ["/unit", f"/unit/{unit_id}", f"/audit/{audit_id}", f"/audit/{audit_id}/laporan", f"/audit/{audit_id}/rencana"]:
        html = inspector.get(path).text
        assert "<script>alert" not in html, path
        assert "&lt;script&gt;alert(" in html or "&lt;script&gt;alert(&#39;" in html or "\\<script\\>" in html, path
        assert "{{7*7}}" in html or "{{7\\*7}}" in html or "&#123;&#123;7*7&#125;&#125;" in html, path
    bad = text.replace("type: perangkat_daerah", f"type: '{PAYLOAD_SCRIPT}'")
    refused = inspector.upload(bad.encode(), "serangan.yaml")
    assert refused.status_code == 400 and "<script>alert" not in refused.text


def test_pages_carry_security_headers(inspector):
    headers = inspector.get("/unit").headers
    assert "script-src 'self'" in headers["content-security-policy"] and headers["x-content-type-options"] == "nosniff"


def _account_id(database, name: str) -> int:
    with database.transaction() as session:
        return session.query(Account).filter(Account.name == name).one().id


def test_only_an_admin_deletes_an_account_after_confirming_and_its_audits_stay(database, inspector):
    audit_id = _audit_id(inspector.upload(example("tegal-disdukcapil.yaml")))
    target = _account_id(database, "inspektur-tegal")
    staff = Browser(database, "staf-dukcapil")
    madiun = Browser(database, "inspektur-madiun")
    for other in (staff, madiun, inspector):
        assert other.get(f"/akun/{target}/hapus").status_code == 404
        assert other.post(f"/akun/{target}/hapus").status_code == 404
    admin = Browser(database, "admin")
    asked = admin.get(f"/akun/{target}/hapus")
    assert asked.status_code == 200 and "Hapus akun inspektur-tegal?" in asked.text and "tetap tersimpan" in asked.text
    assert inspector.get("/unit").status_code == 200, "a GET only asks: nothing is deleted yet"
    assert admin.post(f"/akun/{target}/hapus", csrf=False).status_code == 403
    done = admin.post(f"/akun/{target}/hapus", follow_redirects=False)
    assert done.status_code == 303
    assert "Akun inspektur-tegal dihapus" in admin.get("/akun").text
    # The deleted account's open session ends, and it cannot sign in again.
    assert inspector.get("/unit", follow_redirects=False).status_code == 303
    assert Browser(database).sign_in("inspektur-tegal").status_code == 400
    with database.transaction() as session:
        audit = session.get(Audit, audit_id)
        assert audit.created_by is None and audit.created_by_name == "inspektur-tegal"
    assert Browser(database, "inspektur-madiun").get("/unit").status_code == 200
    own = _account_id(database, "admin")
    refused = admin.post(f"/akun/{own}/hapus")
    assert refused.status_code == 400 and "tidak dapat dihapus sendiri" in refused.text
    assert admin.get("/akun").status_code == 200


def test_only_an_admin_resets_a_password_and_the_old_sessions_end(database, inspector):
    target = _account_id(database, "staf-dukcapil")
    staff = Browser(database, "staf-dukcapil")
    for other in (inspector, staff):
        assert other.get(f"/akun/{target}/sandi").status_code == 404
        assert other.post(f"/akun/{target}/sandi", {"sandi": "sandi-baru-sekali", "ulang": "sandi-baru-sekali"}).status_code == 404
    assert Browser(database).sign_in("staf-dukcapil").status_code == 303, "the password is unchanged"
    admin = Browser(database, "admin")
    assert admin.post(f"/akun/{target}/sandi", {"sandi": "sandi-baru-sekali", "ulang": "sandi-baru-sekali"},
                      csrf=False).status_code == 403
    short = admin.post(f"/akun/{target}/sandi", {"sandi": "pendek", "ulang": "pendek"})
    assert short.status_code == 400 and "paling sedikit 10" in short.text
    differ = admin.post(f"/akun/{target}/sandi", {"sandi": "sandi-baru-sekali", "ulang": "sandi-baru-sekalj"})
    assert differ.status_code == 400 and "tidak sama" in differ.text
    assert staff.get(f"/unit/{_unit_of(database, 'staf-dukcapil')}").status_code == 200
    done = admin.post(f"/akun/{target}/sandi", {"sandi": "sandi-baru-sekali", "ulang": "sandi-baru-sekali"},
                      follow_redirects=False)
    assert done.status_code == 303
    assert staff.get("/asesmen", follow_redirects=False).headers["location"].startswith("/masuk"), "the old session ended"
    assert Browser(database).sign_in("staf-dukcapil").status_code == 400
    assert Browser(database).sign_in("staf-dukcapil", "sandi-baru-sekali").status_code == 303
    # An admin changing its own password stays signed in.
    own = _account_id(database, "admin")
    assert admin.post(f"/akun/{own}/sandi", {"sandi": "admin-sandi-baru", "ulang": "admin-sandi-baru"},
                      follow_redirects=False).status_code == 303
    assert admin.get("/akun").status_code == 200


def _unit_of(database, account_name: str) -> int:
    with database.transaction() as session:
        return session.query(Account).filter(Account.name == account_name).one().unit_id


def test_a_body_over_the_limit_gets_the_page_stating_the_limits_even_when_it_streams(database, inspector):
    from patuh.web.app import MAX_BODY_BYTES

    declared = inspector.upload(b"#" * (MAX_BODY_BYTES + 10), "besar.yaml")
    assert declared.status_code == 413 and "paling besar 2 MB" in declared.text and "10 MB" in declared.text

    def chunks():
        for _ in range(MAX_BODY_BYTES // (1024 * 1024) + 2):
            yield b"x" * (1024 * 1024)
    streamed = inspector.client.post("/audit/baru", content=chunks(),
                                     headers={"content-type": "multipart/form-data; boundary=batas"})
    assert streamed.status_code == 413 and "10 MB" in streamed.text
    with database.transaction() as session:
        assert session.query(Audit).count() == 0


def test_injection_in_account_fields_stays_inert_on_the_admin_pages(database):
    admin = Browser(database, "admin")
    made = admin.post("/akun", {"nama": "staf-serangan", "peran": "unit", "wilayah": f"Kabupaten {PAYLOAD_SCRIPT}",
                                "unit": f"Unit {PAYLOAD_SCRIPT}{PAYLOAD_TEMPLATE}", "sandi": "cukup-panjang-1"},
                      follow_redirects=False)
    assert made.status_code == 303
    target = _account_id(database, "staf-serangan")
    for path in ("/akun", f"/akun/{target}/hapus"):
        html = admin.get(path).text
        assert "<script>alert" not in html and "&lt;script&gt;" in html, path
    assert "{{7*7}}" in admin.get("/akun").text
