"""The auditee's responses (tanggapan) and waivers (pengecualian): `patuh audit --responses`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from patuh.audit.pipeline import audit_file
from patuh.cli import main
from patuh.documents.audit_report import render
from patuh.load.data_paths import data_directory
from patuh.load.responses import ResponsesError

EXAMPLES = data_directory("facts") / "examples"
UNIT = EXAMPLES / "tegal-perumda-air-minum.yaml"
RESPONSES = EXAMPLES / "responses" / "tegal-perumda-air-minum.yaml"
AS_OF = date(2024, 12, 31)
SCHEMA = json.loads((data_directory("reports") / "schema" / "audit-report.schema.json").read_text(encoding="utf-8"))


def _finding(report: dict, rule_id: str) -> dict:
    return next(f for f in report["findings"] if f["rule_id"] == rule_id)


def _write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "responses.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def test_the_bundled_responses_change_the_report_but_not_the_judgement():
    plain = audit_file(UNIT, "tegal", AS_OF)
    answered = audit_file(UNIT, "tegal", AS_OF, responses_file=RESPONSES)
    # A waiver changes nothing the law says: same statuses, same sanctions.
    assert [(f["rule_id"], f["status"], f["sanctions"]) for f in plain.report["findings"]] == \
        [(f["rule_id"], f["status"], f["sanctions"]) for f in answered.report["findings"]]
    assert answered.report["summary"]["waived"] == ["tegal.pasal-9-ayat-4"] and plain.report["summary"]["waived"] == []
    waived = _finding(answered.report, "tegal.pasal-9-ayat-4")
    assert waived["waiver"]["in_force"] is True and waived["response"]["stance"] == "action_plan"
    jsonschema.validate(answered.report, SCHEMA)
    markdown = render(answered.report, "md")
    assert "### tegal.pasal-9-ayat-4 — Sarana dan fasilitas bagi kelompok rentan (Pelanggaran, dikecualikan)" in markdown
    assert "Temuan ini dikecualikan sampai 30 Juni 2025 (disetujui Inspektur Kabupaten Tegal, 15 Januari 2025)" in markdown
    assert "batas waktu 31 Maret 2025; penanggung jawab Kepala Bagian Pelayanan Pelanggan" in markdown
    assert "Unit menyetujui temuan ini." in markdown and "Unit tidak menyetujui temuan ini, dengan alasan" in markdown


def test_a_waiver_is_in_force_until_its_expiry_then_the_finding_returns(tmp_path):
    """A waiver answers the audit it is recorded for; the audits that follow carry it from the
    previous report (--previous) while it runs, and report the finding open again once it has lapsed."""
    file = _write(tmp_path, """responses:
  - rule: tegal.pasal-9-ayat-4
    waiver: {justification: Gedung sewaan, approved_by: Inspektur, approved_on: 2025-01-15, expires_on: 2025-06-30}
""")
    first = audit_file(UNIT, "tegal", date(2025, 3, 31), responses_file=file)
    assert first.report["summary"]["waived"] == ["tegal.pasal-9-ayat-4"]
    previous = tmp_path / "first.json"
    previous.write_text(json.dumps(first.report), encoding="utf-8")
    on_the_day = audit_file(UNIT, "tegal", date(2025, 6, 30), previous_report=previous)
    assert on_the_day.report["summary"]["waived"] == ["tegal.pasal-9-ayat-4"]
    after = audit_file(UNIT, "tegal", date(2025, 7, 1), previous_report=previous)
    finding = _finding(after.report, "tegal.pasal-9-ayat-4")
    assert finding["status"] == "violation" and finding["waiver"]["in_force"] is False
    assert finding["waiver"]["approved_by"] == "Inspektur"
    assert after.report["summary"]["waived"] == []
    markdown = render(after.report, "md")
    assert "berakhir 30 Juni 2025; temuan ini kembali terbuka" in markdown
    assert "(Pelanggaran, dikecualikan)" not in markdown
    with pytest.raises(ResponsesError, match="the waiver expires 2025-06-30, before this audit's date 2025-07-01"):
        audit_file(UNIT, "tegal", date(2025, 7, 1), responses_file=file)


BAD = {
    "a rule the rule set does not have": ("responses:\n  - rule: tegal.pasal-99\n    response: {stance: agree}\n",
                                         2, "responses[0].rule", "no rule 'tegal.pasal-99'"),
    "a finding that is not a violation": ("responses:\n  - rule: tegal.pasal-5-ayat-1\n    response: {stance: agree}\n",
                                          2, "responses[0].rule", "only a violation is answered"),
    "an action plan due before the audit": (
        "responses:\n  - rule: tegal.pasal-9-ayat-4\n    response:\n      stance: action_plan\n      action: x\n"
        "      due_on: 2024-12-30\n      responsible: y\n", 6, "responses[0].response.due_on", "before this audit's date"),
    "a waiver ending before it is granted": (
        "responses:\n  - rule: tegal.pasal-9-ayat-4\n    waiver:\n      justification: x\n      approved_by: y\n"
        "      approved_on: 2025-01-15\n      expires_on: 2025-01-01\n", 3, "responses[0].waiver", "before `approved_on`"),
    "a waiver that has run out by the audit date": (
        "responses:\n  - rule: tegal.pasal-9-ayat-4\n    waiver:\n      justification: x\n      approved_by: y\n"
        "      approved_on: 2024-06-01\n      expires_on: 2024-12-30\n", 7, "responses[0].waiver.expires_on",
        "the waiver expires 2024-12-30, before this audit's date 2024-12-31"),
    "an unknown field": ("responses:\n  - rule: tegal.pasal-9-ayat-4\n    respons: {stance: agree}\n",
                         3, "responses[0].respons", "unknown field"),
    "a stance that is not one of the three": ("responses:\n  - rule: tegal.pasal-9-ayat-4\n    response: {stance: setuju}\n",
                                              3, "responses[0].response.stance", "agree"),
    "disagreeing without a reason": ("responses:\n  - rule: tegal.pasal-9-ayat-4\n    response: {stance: disagree}\n",
                                     3, "responses[0].response", "gives its `reason`"),
    "an action plan without its date and person": (
        "responses:\n  - rule: tegal.pasal-9-ayat-4\n    response: {stance: action_plan, action: x}\n",
        3, "responses[0].response", "`due_on`, `responsible`"),
    "the same finding answered twice": (
        "responses:\n  - rule: tegal.pasal-9-ayat-4\n    response: {stance: agree}\n"
        "  - rule: tegal.pasal-9-ayat-4\n    response: {stance: agree}\n", 4, "responses[1].rule", "answered twice"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_responses_file_is_refused_naming_file_line_and_field(kind, tmp_path, capsys):
    text, line, field, words = BAD[kind]
    file = _write(tmp_path, text)
    with pytest.raises(ResponsesError) as raised:
        audit_file(UNIT, "tegal", AS_OF, responses_file=file)
    problem = raised.value.problems[0]
    assert (problem.line, problem.field) == (line, field) and words in problem.message, str(problem)
    output = tmp_path / "report.md"
    code = main(["audit", str(UNIT), "--regulation", "tegal", "--as-of", "2024-12-31", "--responses", str(file), "-o", str(output)])
    error = capsys.readouterr().err
    assert code == 1 and f"responses.yaml:{line}: field `{field}`" in error and "Traceback" not in error
    assert not output.exists()


def test_a_follow_up_shows_the_action_plans_now_overdue(tmp_path):
    previous = tmp_path / "2024.json"
    first = audit_file(UNIT, "tegal", AS_OF, responses_file=RESPONSES)
    previous.write_text(json.dumps(first.report), encoding="utf-8")
    later = audit_file(UNIT, "tegal", date(2025, 4, 30), previous_report=previous)
    overdue = _finding(later.report, "tegal.pasal-4-ayat-1")["follow_up"]
    assert overdue["action_plan_overdue_since"] == "2025-03-31" and overdue["action_plan"].startswith("Menyusun")
    # The facilities plan is due 30 June 2025: not yet overdue on 30 April.
    assert _finding(later.report, "tegal.pasal-9-ayat-4")["follow_up"]["action_plan_overdue_since"] is None
    assert 'rencana aksi "Menyusun dan menetapkan Standar Pelayanan Penanganan Gangguan Aliran Air bersama masyarakat" ' \
           "melewati batas waktu 31 Maret 2025" in render(later.report, "md")


def test_response_text_stays_inert_in_every_format(tmp_path):
    payload = "<script>alert(1)</script> **x** {{ 7*7 }}"
    file = _write(tmp_path, f"""responses:
  - rule: tegal.pasal-18-ayat-2
    response: {{stance: disagree, reason: "{payload}"}}
""")
    report = audit_file(UNIT, "tegal", AS_OF, responses_file=file).report
    assert _finding(report, "tegal.pasal-18-ayat-2")["response"]["reason"] == payload
    html = render(report, "html")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "\\<script>alert(1)\\</script> \\*\\*x\\*\\*" in render(report, "md") and "49" not in render(report, "md").split("dengan alasan")[1][:80]


def test_the_lhp_prints_the_units_response_and_the_waiver(tmp_path):
    import docx

    output = tmp_path / "lhp.docx"
    code = main(["audit", str(UNIT), "--regulation", "tegal", "--as-of", "2024-12-31", "--responses", str(RESPONSES),
                 "-o", str(output)])
    assert code == 2
    text = [paragraph.text for paragraph in docx.Document(str(output)).paragraphs]
    assert text.count("Tanggapan unit") == 4 and "Pengecualian" in text
    assert any(line.startswith("Temuan ini dikecualikan sampai 30 Juni 2025") for line in text)
