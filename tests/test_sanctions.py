"""Sanction clauses as the regulation words them, including one that only refers to other law."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from patuh.model.facts import Facts
from patuh.rulesets.model import SanctionClause
from patuh.rulesets.load import load_ruleset
from patuh.law.sanctions import open_since, sanctions_for

REFERENCE = {
    "citation": "Pasal 22 ayat (1)", "party": "tidak_disebut", "kind": "rujukan_peraturan_lain",
    "combination": "tidak_disebut", "applies_to_violations_of": ["Pasal 4"],
    "note": {"id": "Pelanggaran dapat dikenakan sanksi administratif sesuai peraturan perundang-undangan; Perbup ini tidak merinci sanksinya.",
             "en": "Violations may be sanctioned administratively under other legislation; this Perbup lists no measure."},
}


def test_a_clause_referring_to_other_law_lists_no_measure_and_says_so():
    clause = SanctionClause.model_validate(REFERENCE)
    ruleset = SimpleNamespace(meta=SimpleNamespace(sanctions={"pasal-22": clause}),
                              regulation=SimpleNamespace(id="sanggau-perbup-33-2019"))
    rule = SimpleNamespace(sanction="pasal-22", id="x.rule")
    facts = Facts.model_validate({"organisation": {"name": "Dinas X", "type": "perangkat_daerah", "region": "Kabupaten Sanggau"}})
    (sanction,), note = sanctions_for(rule, "violation", [], ruleset, facts, date(2024, 12, 31), "id")
    assert note is None
    assert sanction.measures == [] and sanction.basis == "Pasal 22 ayat (1)"
    assert "tidak merinci sanksinya" in sanction.note
    assert sanction.party == "tidak disebut dalam peraturan"


@pytest.mark.parametrize("change", [{"measures": [{"huruf": "a", "text": "teguran", "text_en": "reprimand"}]}, {"note": None}])
def test_a_reference_clause_cannot_invent_measures_or_go_unexplained(change):
    with pytest.raises(ValidationError):
        SanctionClause.model_validate({**REFERENCE, **change})


def test_an_ordinary_clause_needs_its_measures():
    with pytest.raises(ValidationError):
        SanctionClause.model_validate({**REFERENCE, "kind": "sanksi_administratif", "note": None})


def _facts(audits):
    return Facts.model_validate({"organisation": {"name": "Dinas X", "type": "perangkat_daerah", "region": "Kabupaten Tegal"},
                                 "earlier_audits": audits})


def test_open_since_is_the_start_of_the_unbroken_run_of_violations():
    rule = "tegal.pasal-17-ayat-1-huruf-b"
    audits = [
        {"dated": "2023-11-01", "findings": [{"rule_id": rule, "status": "violation"}]},
        {"dated": "2024-02-01", "findings": [{"rule_id": rule, "status": "comply"}]},
        {"dated": "2024-05-01", "findings": [{"rule_id": rule, "status": "violation"}]},
        {"dated": "2024-08-01", "findings": [{"rule_id": rule, "status": "violation"}, {"rule_id": "other", "status": "comply"}]},
    ]
    assert open_since(_facts(audits), rule) == date(2024, 5, 1)
    assert open_since(_facts(audits[:2]), rule) is None
    assert open_since(_facts([]), rule) is None


def test_a_rule_without_clause_reports_the_regulations_silence():
    ruleset = load_ruleset("tegal-perbup-63-2023", "v1")
    rule = ruleset.rule("tegal.pasal-25-ayat-1")
    sanctions, note = sanctions_for(rule, "violation", [], ruleset, _facts([]), date(2024, 12, 31), "en")
    assert sanctions == [] and note == "Peraturan Bupati Tegal 63/2023 lists no sanction for a violation of this provision."


def test_an_earlier_audit_of_another_regulation_does_not_open_a_violation():
    rule = "tegal.pasal-17-ayat-1-huruf-b"
    audits = [{"dated": "2024-05-01", "regulation": "sanggau-perbup-33-2019",
               "findings": [{"rule_id": rule, "status": "violation"}]}]
    assert open_since(_facts(audits), rule, "tegal-perbup-63-2023") is None
    assert open_since(_facts(audits), rule, "sanggau-perbup-33-2019") == date(2024, 5, 1)


def test_versions_sort_by_number(tmp_path, monkeypatch):
    from patuh.rulesets import load as rule_files, select as rules

    for name in ("v1", "v2", "v10"):
        (tmp_path / "x" / name).mkdir(parents=True)
        (tmp_path / "x" / name / "ruleset.yaml").write_text("x: 1\n", encoding="utf-8")
    monkeypatch.setattr(rule_files, "rules_directory", lambda: tmp_path)
    assert rules.available_versions("x") == ["v1", "v2", "v10"]
