"""SKM raw answers in a unit's facts: read at loading, recomputed by the audit."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from patuh.audit.pipeline import audit_file
from patuh.load.data_paths import data_directory
from patuh.load.facts import FactsError, load_facts

EXAMPLES = data_directory("facts") / "examples"
UNIT = EXAMPLES / "sanggau-puskesmas-entikong.yaml"
AS_OF = date(2024, 12, 31)


def _finding(result, rule_id):
    return next(f for f in result.findings if f.rule_id == rule_id)


def test_loading_reads_the_sheet_beside_the_facts_file():
    facts = load_facts(UNIT, AS_OF)
    survey = facts.events.skm[1]
    assert survey.responses.file == "sanggau-puskesmas-entikong-skm-2024.csv"
    assert len(survey.responses.respondents) == 102
    first = survey.responses.respondents[0]
    assert first.row == 2 and first.service_type == "rawat-jalan" and first.dated == date(2024, 11, 19)
    assert facts.events.skm[0].responses is None


def test_the_audit_of_the_bundled_sanggau_unit_reports_the_recomputed_ikm():
    result = audit_file(UNIT, "sanggau-perbup-33-2019", AS_OF)
    recheck = _finding(result, "sanggau.lampiran-ii-e")
    assert recheck.status == "violation"
    survey_2023, survey_2024 = recheck.subjects
    assert survey_2023.status == "unknown" and survey_2023.missing_facts == ["events.skm[0].responses"]
    assert survey_2024.status == "violation"
    # Numbers as Indonesian write them: a decimal comma.
    assert "76,44" in recheck.kondisi and "77,22" in recheck.kondisi
    evidence = {e.input: e for e in survey_2024.evidence}
    assert evidence["recomputed_ikm"].low == 77.22 and evidence["recomputed_mutu"].value == "B"
    assert evidence["difference"].low == pytest.approx(0.78)
    # The evidence says what the annex's 0.11 weight gives: exactly what the unit published.
    assert evidence["difference"].details["ikm_with_weight_0_11"] == 76.44
    sample = _finding(result, "sanggau.lampiran-ii-d")
    assert sample.status == "comply"
    evidence = {e.input: e for e in sample.subjects[1].evidence}
    assert (evidence["population"].low, evidence["required"].low, evidence["respondents"].low) == (137, 101, 102)
    assert evidence["respondents"].details["respondents_counted_from"] == "responses"
    # Coverage per service reads the respondents' services: all used the outpatient service.
    coverage = _finding(result, "sanggau.pasal-11-ayat-3")
    by_subject = {s.key: s.status for s in coverage.subjects}
    assert by_subject["rawat-jalan/2024-01-01"] == "comply" and by_subject["laboratorium/2024-01-01"] == "violation"


def _copy_unit(tmp_path: Path, sheet: str, replace: tuple[str, str] | None = None) -> Path:
    facts = tmp_path / "unit.yaml"
    text = UNIT.read_text(encoding="utf-8")
    if replace:
        text = text.replace(*replace)
    facts.write_text(text, encoding="utf-8")
    (tmp_path / "sanggau-puskesmas-entikong-skm-2024.csv").write_text(sheet, encoding="utf-8")
    return facts


def test_a_bad_sheet_stops_the_audit_naming_the_facts_line_and_the_cell(tmp_path):
    rows = (EXAMPLES / "sanggau-puskesmas-entikong-skm-2024.csv").read_text(encoding="utf-8").splitlines()
    rows[5] = rows[5].replace(",Pelayanan Rawat Jalan Umum,", ",Rawat Inap,")
    rows[7] = "7,3,3,9," + rows[7].split(",", 4)[4]
    facts = _copy_unit(tmp_path, "\n".join(rows) + "\n")
    with pytest.raises(FactsError) as raised:
        load_facts(facts, AS_OF)
    messages = [str(problem) for problem in raised.value.problems]
    line = next(number for number, text in enumerate(facts.read_text(encoding="utf-8").splitlines(), 1)
                if "responses: {file:" in text)
    assert all(message.startswith(f"{facts}:{line}: field `events.skm[1].responses.file`") for message in messages)
    assert any(":8: field `U3 (column D)`: expected a score 1–4" in message for message in messages)
    rows[7] = (EXAMPLES / "sanggau-puskesmas-entikong-skm-2024.csv").read_text(encoding="utf-8").splitlines()[7]
    facts = _copy_unit(tmp_path, "\n".join(rows) + "\n")
    with pytest.raises(FactsError) as raised:
        load_facts(facts, AS_OF)
    (message,) = [str(problem) for problem in raised.value.problems]
    assert ":6: field `jenis_layanan`: 'Rawat Inap' is not a service type of this unit (known: rawat-jalan" in message


def test_a_missing_sheet_is_named(tmp_path):
    facts = _copy_unit(tmp_path, "", ("skm-2024.csv}", "skm-2025.csv}"))
    with pytest.raises(FactsError, match="sanggau-puskesmas-entikong-skm-2025.csv: no such file"):
        load_facts(facts, AS_OF)


def test_answers_dated_after_the_audit_are_refused(tmp_path):
    shutil.copy(EXAMPLES / "sanggau-puskesmas-entikong-skm-2024.csv", tmp_path / "sanggau-puskesmas-entikong-skm-2024.csv")
    facts = tmp_path / "unit.yaml"
    facts.write_text(UNIT.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(FactsError, match=r"events\.skm\[1\]\.responses\.respondents\[\d+\]\.dated"):
        load_facts(facts, date(2024, 11, 20))


def test_inline_answers_are_checked_like_a_sheet():
    from pydantic import ValidationError

    from patuh.model.facts import SkmResponses

    with pytest.raises(ValidationError, match="every score is 1, 2, 3 or 4"):
        SkmResponses(respondents=[{"scores": [4, 4, 4, 4, 5, 4, 4, 4, 4]}])
    with pytest.raises(ValidationError, match="different lengths"):
        SkmResponses(respondents=[{"scores": [4] * 9}, {"scores": [4] * 10}])
    with pytest.raises(ValidationError, match="sum to 0.99, not 1"):
        SkmResponses(weights=[0.11] * 9, respondents=[{"scores": [4] * 9}])
    with pytest.raises(ValidationError, match="no respondent answered U2"):
        SkmResponses(respondents=[{"scores": [4, None] + [4] * 7}, {"scores": [3, None] + [3] * 7}])
    with pytest.raises(ValidationError, match="give `file`"):
        SkmResponses()
    assert SkmResponses(weights=["1/9"] * 9, respondents=[{"scores": [4] * 9}]).weights == ["1/9"] * 9


def test_a_survey_input_names_its_measure():
    from pydantic import ValidationError

    from patuh.rulesets.model import Input

    label = {"id": "x", "en": "x"}
    assert Input(label=label, survey_recomputation="item", measure="recomputed_ikm").kind == "survey_recomputation"
    with pytest.raises(ValidationError, match="needs `measure`"):
        Input(label=label, survey_recomputation="item")
    with pytest.raises(ValidationError, match="needs `measure`"):
        Input(label=label, survey_recomputation="item", measure="average")
    with pytest.raises(ValidationError, match="needs `measure`"):
        Input(label=label, value="item.ikm", measure="recomputed_ikm")


def test_inline_answers_name_services_the_unit_has(tmp_path):
    facts = tmp_path / "unit.yaml"
    facts.write_text("""organisation: {name: Dinas Kependudukan, type: perangkat_daerah, region: Kabupaten Sanggau}
service_types:
  - {id: ktp-el, name: Penerbitan KTP-el}
events:
  skm:
    - held_to: 2024-11-30
      responses:
        respondents:
          - {scores: [4, 4, 4, 4, 4, 4, 4, 4, 4], service_type: ktp-el}
          - {scores: [3, 3, 3, 3, 3, 3, 3, 3, 3], service_type: ktp}
""", encoding="utf-8")
    with pytest.raises(FactsError) as raised:
        load_facts(facts, AS_OF)
    (problem,) = raised.value.problems
    assert problem.line == 10 and problem.field == "events.skm[0].responses.respondents[1].service_type"
    assert "no service type with id 'ktp'" in problem.message
