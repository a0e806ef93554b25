"""Follow-up audits: a bundled example audited twice, the second time against the first report."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml

from patuh.audit.pipeline import audit_file
from patuh.cli import main
from patuh.load.data_paths import data_directory
from patuh.documents.audit_report import render

EXAMPLE = data_directory("facts") / "examples" / "tegal-perumda-air-minum.yaml"
VULNERABLE = ["kursi roda", "pintu masuk yang mudah diakses", "ramp", "selasar", "toilet khusus", "loket khusus",
              "ruang tunggu khusus", "parkir khusus", "arena bermain anak", "ruang laktasi"]


def _facts(tmp_path, name: str, change=None):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.pop("earlier_audits")  # the history now comes from the previous report alone
    if change:
        change(data)
    file = tmp_path / name
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return file


def _first_report(tmp_path):
    first = audit_file(_facts(tmp_path, "2024.yaml"), "tegal", date(2024, 12, 31))
    report = tmp_path / "2024.json"
    report.write_text(render(first.report, "json"), encoding="utf-8")
    return first, report


def _a_year_later(data):
    # Fixed: the facilities for vulnerable groups. Broken: the complaint mechanism was withdrawn.
    data["facilities"] = [item for item in data["facilities"] if item["item"] != "kursi roda"]
    data["facilities"] += [{"item": word, "quantity": 1} for word in VULNERABLE]
    data["complaint_management"]["mechanism"] = "tidak_ada"


def test_new_open_and_resolved_findings_and_the_escalated_sanctions(tmp_path):
    first, report = _first_report(tmp_path)
    officers = next(f for f in first.findings if f.rule_id == "tegal.pasal-17-ayat-1-huruf-c")
    assert [m.huruf for m in officers.sanctions[0].withheld] == ["c", "d"]  # never found before

    second = audit_file(_facts(tmp_path, "2025.yaml", _a_year_later), "tegal", date(2025, 7, 31), previous_report=report)
    by_rule = {f.rule_id: f for f in second.findings}
    still_open = by_rule["tegal.pasal-17-ayat-1-huruf-c"]
    assert still_open.follow_up.state == "masih_terbuka"
    assert still_open.follow_up.open_since == "2024-12-31" and still_open.follow_up.months_open == 7
    # Open more than 6 months since the first audit found it: huruf c and d now apply.
    assert [m.huruf for m in still_open.sanctions[0].measures] == ["a", "b", "c", "d"]
    assert by_rule["tegal.pasal-9-ayat-4"].follow_up.state == "selesai"
    assert by_rule["tegal.pasal-9-ayat-4"].status == "comply"
    mechanism = by_rule["tegal.pasal-17-ayat-1-huruf-b"]
    assert mechanism.status == "violation" and mechanism.follow_up.state == "baru"
    assert mechanism.follow_up.open_since == "2025-07-31" and mechanism.follow_up.previous_status == "comply"
    assert [m.huruf for m in mechanism.sanctions[0].withheld] == ["c", "d"]  # new: not yet escalated


def test_the_report_shows_the_follow_up(tmp_path):
    _, report = _first_report(tmp_path)
    later = tmp_path / "2025.md"
    code = main(["audit", str(_facts(tmp_path, "2025.yaml")), "--regulation", "tegal", "--as-of", "2025-07-31",
                 "--previous", str(report), "-o", str(later)])
    assert code == 2
    text = later.read_text(encoding="utf-8")
    assert "Tindak lanjut: masih terbuka (31 Desember 2024: Pelanggaran); Terbuka sejak 31 Desember 2024, 7 bulan" in text


@pytest.mark.parametrize("change, message", [
    (lambda r: r["unit"].update(name="Dinas Lain"), "not 'Perumda Air Minum Tirta Ayu Kabupaten Tegal'"),
    (lambda r: r["regulation"].update(id="sanggau-perbup-33-2019"), "audits sanggau-perbup-33-2019, not tegal-perbup-63-2023"),
    (lambda r: r.update(schema="something-else"), "not a JSON report of patuh"),
    (lambda r: r.update(as_of="2025-08-01"), "not before this audit's 2025-07-31"),
])
def test_a_report_of_another_unit_or_regulation_is_refused(tmp_path, capsys, change, message):
    _, report = _first_report(tmp_path)
    data = json.loads(report.read_text(encoding="utf-8"))
    change(data)
    report.write_text(json.dumps(data), encoding="utf-8")
    code = main(["audit", str(_facts(tmp_path, "2025.yaml")), "--regulation", "tegal", "--as-of", "2025-07-31",
                 "--previous", str(report)])
    error = capsys.readouterr().err
    assert code == 1 and message in error and str(report) in error
