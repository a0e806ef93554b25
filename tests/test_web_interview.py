"""The self-assessment interview: questions from the rule files' fact uses, a draft saved on
every step with a version (a stale save is refused and told), errors beside their field,
a YAML file to start from, and the submit running the audit."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

from patuh.web.app import MAX_BODY_BYTES
from patuh.web.audits import MAX_UPLOAD_BYTES
from patuh.web.database import Audit, Draft

from web_support import database  # noqa: F401  (the fixture)
from web_support import DISDUKCAPIL, EXAMPLES, KLINIK, ROOT, Browser, example, form_fields, make_database

REGULATION = "tegal-perbup-63-2023"


@pytest.fixture()
def staff(database):
    return Browser(database, "staf-dukcapil")


def _cli_findings(as_of: str) -> list[tuple[str, str]]:
    done = subprocess.run([sys.executable, "-m", "patuh.cli", "audit", str(EXAMPLES / "tegal-disdukcapil.yaml"), "--regulation",
                           "tegal", "--as-of", as_of, "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    return [(finding["rule_id"], finding["status"]) for finding in json.loads(done.stdout)["findings"]]


def _version(html: str) -> str:
    return re.search(r'name="versi" value="(\d+)"', html).group(1)


def test_the_interview_asks_what_the_rules_read_in_words_with_their_articles(staff):
    first = staff.get("/asesmen")
    assert first.url.path == f"/asesmen/{REGULATION}/organisation", "the unit's region has one regulation: chosen for it"
    steps = re.findall(r'<li>(?:<span class="current">|<a [^>]*>)\d+\. ([^<]+)', first.text)
    assert steps[:3] == ["Identitas unit", "Jenis layanan, standar pelayanan dan SOP", "Publikasi dokumen"]
    services = staff.get(f"/asesmen/{REGULATION}/service_types").text
    assert 'name="service_types[0].standar_pelayanan.document.number"' in services
    assert "Dasar: Pasal" in services and "Untuk memeriksa: " in services and 'value="tidak_ada"' in services and "Belum diperiksa" in services
    assert 'type="date" id="f-service_types-0-standar_pelayanan-established_on"' in services
    readable = re.sub(r"<[^>]+>", " ", services)
    assert "tidak_ada" not in readable and "perangkat_daerah" not in readable and "None" not in readable


def test_answers_are_saved_each_step_and_a_stale_save_is_told_not_merged(database, staff):
    page = staff.get(f"/asesmen/{REGULATION}/service_types").text
    version = _version(page)
    saved = staff.post(f"/asesmen/{REGULATION}/service_types", {
        "versi": version, "aksi": "simpan", "ada:service_types": "ada", "baris:service_types": "1",
        "service_types[0].id": "ktp-el", "service_types[0].name": "Penerbitan KTP-el",
        "ada:service_types[0].sop": "tidak_ada", "ada:service_types[0].standar_pelayanan": "belum"})
    assert saved.status_code == 200 and "Tersimpan." in saved.text
    with database.transaction() as session:
        draft = session.query(Draft).one()
        assert draft.version == int(version) + 1
    facts = yaml.safe_load(staff.get(f"/asesmen/{REGULATION}/fakta.yaml").text)
    assert facts["service_types"] == [{"id": "ktp-el", "name": "Penerbitan KTP-el", "sop": "tidak_ada"}]
    # A second tab still holding the old version: refused, told, and the stored answers shown.
    stale = staff.post(f"/asesmen/{REGULATION}/service_types", {
        "versi": version, "aksi": "simpan", "ada:service_types": "tidak_ada", "baris:service_types": "0"})
    assert stale.status_code == 409 and "TIDAK disimpan" in stale.text and 'value="Penerbitan KTP-el"' in stale.text
    assert yaml.safe_load(staff.get(f"/asesmen/{REGULATION}/fakta.yaml").text)["service_types"][0]["id"] == "ktp-el"


def test_a_wrong_answer_is_told_beside_its_field(staff):
    version = _version(staff.get(f"/asesmen/{REGULATION}/service_types").text)
    response = staff.post(f"/asesmen/{REGULATION}/service_types", {
        "versi": version, "aksi": "simpan", "ada:service_types": "ada", "baris:service_types": "1",
        "service_types[0].id": "KTP EL", "service_types[0].name": "KTP"})
    assert response.status_code == 400
    beside = response.text.split('data-question="service_types[0].id"', 1)[1].split("</div>", 1)[0]
    assert 'class="field-error"' in beside and "pattern" in beside


def test_a_row_is_added_and_a_file_starts_the_draft_and_submit_audits(database, staff):
    page = staff.get(f"/asesmen/{REGULATION}/publications").text
    added = staff.post(f"/asesmen/{REGULATION}/publications", {"versi": _version(page), "aksi": "tambah:publications",
                                                               "baris:publications": "0"}, follow_redirects=True)
    assert 'name="publications[0].channel"' in added.text
    started = staff.post(f"/asesmen/{REGULATION}/unggah", {"versi": _version(added.text)},
                         files={"fakta": ("tegal-disdukcapil.yaml", example("tegal-disdukcapil.yaml"), "application/yaml")},
                         follow_redirects=False)
    assert started.status_code == 303
    other = staff.post(f"/asesmen/{REGULATION}/unggah", {"versi": "99"},
                       files={"fakta": ("klinik.yaml", example("tegal-klinik-swasta.yaml"), "application/yaml")})
    assert other.status_code == 400 and "bukan fakta" in other.text
    submitted = staff.post(f"/asesmen/{REGULATION}/kirim", {"tanggal": "2024-12-31"}, follow_redirects=False)
    assert submitted.status_code == 303, submitted.text[:3000]
    report = staff.get(submitted.headers["location"])
    assert 'data-rule="tegal.pasal-9-ayat-4" data-status="violation"' in report.text
    with database.transaction() as session:
        audit = session.query(Audit).one()
        assert audit.source == "asesmen" and "Dinas Kependudukan" in audit.facts_yaml
    assert staff.get(submitted.headers["location"] + "/rencana").status_code == 200


def test_the_interview_is_the_units_own(database):
    inspector = Browser(database, "inspektur-tegal")
    assert inspector.get(f"/asesmen/{REGULATION}/organisation").status_code == 404
    clinic = Browser(database, "staf-klinik")
    page = clinic.get(f"/asesmen/{REGULATION}/organisation").text
    assert KLINIK in page and DISDUKCAPIL not in page
    # The unit's name and region come from its account, whatever the form says.
    clinic.post(f"/asesmen/{REGULATION}/organisation", {"versi": _version(page), "organisation.name": DISDUKCAPIL,
                                                         "organisation.type": "swasta"})
    assert yaml.safe_load(clinic.get(f"/asesmen/{REGULATION}/fakta.yaml").text)["organisation"]["name"] == KLINIK
    assert clinic.get("/asesmen/madiun-perbup-63-2018/organisation").status_code == 404


def test_every_step_saved_as_shown_keeps_the_findings_of_the_yaml(database, staff):
    """The form carries every fact a rule reads: a draft started from the Tegal Disdukcapil file,
    saved step by step through the pages as shown, audits as `patuh audit` does on that file."""
    page = staff.get(f"/asesmen/{REGULATION}/organisation").text
    started = staff.post(f"/asesmen/{REGULATION}/unggah", {"versi": _version(page)},
                         files={"fakta": ("tegal-disdukcapil.yaml", example("tegal-disdukcapil.yaml"), "application/yaml")},
                         follow_redirects=False)
    assert started.status_code == 303
    steps = re.findall(rf'href="/asesmen/{REGULATION}/(\w+)">\d+\.', staff.get(f"/asesmen/{REGULATION}/organisation").text)
    assert len(steps) >= 8, steps
    for block in ["organisation", *steps]:
        path = f"/asesmen/{REGULATION}/{block}"
        fields = form_fields(staff.get(path).text, path)
        fields["aksi"] = ["simpan"]
        saved = staff.post(path, fields)
        assert saved.status_code == 200 and "Tersimpan." in saved.text, (block, re.findall(r'field-error[^>]*>([^<]+)', saved.text))
    submitted = staff.post(f"/asesmen/{REGULATION}/kirim", {"tanggal": "2024-12-31"}, follow_redirects=False)
    assert submitted.status_code == 303, submitted.text[:3000]
    shown = re.findall(r'<tr data-rule="([^"]+)" data-status="([^"]+)"', staff.get(submitted.headers["location"]).text)
    assert shown == _cli_findings("2024-12-31")


ALIAS_BOMB = b"a: &a [x,x,x,x,x,x,x,x,x,x]\n" + b"".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" .encode() + b",".join([f"*{chr(97 + i)}".encode()] * 10) + b"]\n" for i in range(8))


@pytest.mark.parametrize("name, content, words", [
    ("fakta.exe", b"MZ\x90\x00", "jenis berkas tidak diterima"),
    ("jawaban.csv", b"U1,U2\n1,2\n", "lembar jawaban survei"),
    ("besar.yaml", b"#" * (MAX_UPLOAD_BYTES + 10), "batasnya 2 MB"),
    ("bom.yaml", ALIAS_BOMB, "aliases"),
    ("rusak.yaml", b"organisation: [\n", "baris"),
])
def test_a_bad_file_to_start_from_is_told_and_the_draft_is_unchanged(database, staff, name, content, words):
    page = staff.get(f"/asesmen/{REGULATION}/organisation").text
    with database.transaction() as session:
        before = session.query(Draft).one().facts_json
    refused = staff.post(f"/asesmen/{REGULATION}/unggah", {"versi": _version(page)},
                         files={"fakta": (name, content, "application/octet-stream")})
    assert refused.status_code == 400 and "Berkas tidak dipakai" in refused.text and words in refused.text
    with database.transaction() as session:
        assert session.query(Draft).one().facts_json == before


def test_a_stale_file_to_start_from_is_refused_not_merged(database, staff):
    page = staff.get(f"/asesmen/{REGULATION}/organisation").text
    stale = _version(page)
    fields = form_fields(page, f"/asesmen/{REGULATION}/organisation")
    fields.update({"aksi": ["simpan"], "organisation.atasan_satuan_kerja.name": ["Budi Santoso"]})
    assert staff.post(f"/asesmen/{REGULATION}/organisation", fields).status_code == 200
    refused = staff.post(f"/asesmen/{REGULATION}/unggah", {"versi": stale},
                         files={"fakta": ("tegal-disdukcapil.yaml", example("tegal-disdukcapil.yaml"), "application/yaml")})
    assert refused.status_code == 400 and "sudah disimpan orang lain" in refused.text
    kept = yaml.safe_load(staff.get(f"/asesmen/{REGULATION}/fakta.yaml").text)["organisation"]
    assert kept["atasan_satuan_kerja"]["name"] == "Budi Santoso" and "service_types" not in kept


def test_a_form_over_the_whole_limit_is_refused_with_the_limits_and_nothing_is_stored(database, staff):
    page = staff.get(f"/asesmen/{REGULATION}/organisation").text
    with database.transaction() as session:
        before = session.query(Draft).one().facts_json
    refused = staff.post(f"/asesmen/{REGULATION}/unggah", {"versi": _version(page)},
                         files={"fakta": ("besar.yaml", b"#" * (MAX_BODY_BYTES + 1024), "application/yaml")})
    assert refused.status_code == 413 and "2 MB" in refused.text and "10 MB" in refused.text
    with database.transaction() as session:
        assert session.query(Draft).one().facts_json == before


PAYLOAD = "<script>alert('patuh')</script>{{7*7}}"


def test_injection_typed_in_the_interview_stays_inert_in_its_pages_and_report(database, staff):
    path = f"/asesmen/{REGULATION}/service_types"
    fields = form_fields(staff.get(path).text, path)
    fields.update({"aksi": ["simpan"], "ada:service_types": ["ada"], "service_types[0].id": ["ktp-el"],
                   "service_types[0].name": [PAYLOAD]})
    saved = staff.post(path, fields)
    assert saved.status_code == 200
    shown = staff.get(path).text
    assert "<script>alert" not in shown and "&lt;script&gt;alert(&#39;patuh&#39;)&lt;/script&gt;{{7*7}}" in shown
    submitted = staff.post(f"/asesmen/{REGULATION}/kirim", {"tanggal": "2024-12-31"}, follow_redirects=False)
    assert submitted.status_code == 303, submitted.text[:2000]
    for page in (submitted.headers["location"], submitted.headers["location"] + "/laporan",
                 submitted.headers["location"] + "/rencana"):
        html = staff.get(page).text
        assert "<script>alert" not in html, page
    with database.transaction() as session:
        assert PAYLOAD in session.query(Audit).one().facts_yaml, "stored as data, as typed"
