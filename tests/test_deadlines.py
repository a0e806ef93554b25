"""Working-day deadlines judged per log entry, with "pending" while a deadline still runs.

The rule here is written as data, like the rule files, so the engine features it uses
(`working_days` inputs and `pending_when`) are proved on the dates that matter: spans that
straddle Idul Fitri 2024, where counting weekdays alone gives another answer.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from patuh.judge.compile import compile_rule, judge_with_oracle
from patuh.judge.durable_backend import DurableJudge
from patuh.audit.record import worded
from patuh.judge.evaluate import evaluate_rule
from patuh.model.facts import Facts
from patuh.rulesets.model import Rule
from patuh.rulesets.load import load_ruleset
from patuh.dates.working_days import WorkingCalendar

RULE = Rule.model_validate({
    "id": "test.keputusan-60-hari-kerja",
    "title": {"id": "Keputusan pengaduan dalam 60 hari kerja", "en": "Complaint decided within 60 working days"},
    "citation": "Pasal 18 ayat (1)",
    "quote": "60 (enam puluh) hari kerja",
    "applies_to": ["perangkat_daerah"],
    "topic": "pengaduan.keputusan",
    "impact": "high",
    "scope": {"each": "complaint_management.complaints", "label_field": "number"},
    "inputs": {
        "decided": {"label": {"id": "Diputuskan", "en": "Decided"}, "count": "item.decided_on"},
        "decision_days": {"label": {"id": "Hari kerja sampai keputusan", "en": "Working days to the decision"},
                          "working_days": {"from": "item.file_complete_on", "to": "item.decided_on"}},
        "waiting_days": {"label": {"id": "Hari kerja sejak berkas lengkap", "en": "Working days since the file was complete"},
                         "working_days": {"from": "item.file_complete_on", "to": "as_of"}},
    },
    "comply_when": {"all": [{"input": "decided", "at_least": 1}, {"input": "decision_days", "at_most": 60}]},
    "pending_when": {"all": [{"input": "decided", "at_most": 0}, {"input": "waiting_days", "at_most": 60}]},
    "recommendation": {"id": "Putuskan pengaduan dalam 60 hari kerja.", "en": "Decide within 60 working days."},
})

COMPLETE = date(2024, 3, 20)
UNIT_CALENDAR = WorkingCalendar(local_days_off=[date(2024, 5, 2)])  # a regional day off of the unit
add_working_days = UNIT_CALENDAR.add_working_days
DEADLINE = add_working_days(COMPLETE, 60)


def _audit(complaint: dict, as_of: date, judge_name: str):
    facts = Facts.model_validate({
        "organisation": {"name": "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sanggau", "type": "perangkat_daerah",
                         "region": "Kabupaten Sanggau", "local_days_off": ["2024-05-02"]},
        "complaint_management": {"complaints": [{"number": "ADU-2024-031", "received_on": "2024-03-18",
                                                 **{k: v for k, v in {"file_complete_on": COMPLETE.isoformat(), **complaint}.items() if v is not None}}]},
    })
    return _evaluate(RULE, facts, as_of, judge_name)


def _evaluate(rule: Rule, facts: Facts, as_of: date, judge_name: str):
    """One rule on the facts with the named judge; both judges must give the same finding."""
    compiled = compile_rule(rule)
    if judge_name == "durable":
        durable = DurableJudge(f"patuh_test_{rule.id}", [compiled])
        judge = lambda compiled_rule, fact: durable.judge(fact)
    else:
        judge = judge_with_oracle
    ruleset = load_ruleset("sanggau-perbup-33-2019", "v1")
    finding = evaluate_rule(compiled, facts, facts.model_dump(mode="json", exclude_none=True), ruleset, as_of, judge)
    return worded([finding], "id", as_of.isoformat())[0]


def test_the_deadline_straddles_idul_fitri_and_a_local_day_off():
    weekdays_only = COMPLETE
    counted = 0
    while counted < 60:
        weekdays_only += timedelta(days=1)
        counted += weekdays_only.weekday() < 5
    assert DEADLINE > weekdays_only  # Lebaran 2024 and cuti bersama push the deadline out


@pytest.mark.parametrize("judge_name", ["durable", "oracle"])
@pytest.mark.parametrize("complaint, as_of, status", [
    ({"decided_on": DEADLINE.isoformat()}, DEADLINE, "comply"),
    ({"decided_on": add_working_days(DEADLINE, 1).isoformat()}, add_working_days(DEADLINE, 1), "violation"),
    ({"decided_on": "tidak_ada"}, DEADLINE, "pending"),
    ({"decided_on": "tidak_ada"}, add_working_days(DEADLINE, 1), "violation"),
    ({}, DEADLINE, "unknown"),
])
def test_each_entry_against_its_working_day_deadline(complaint, as_of, status, judge_name):
    finding = _audit(complaint, as_of, judge_name)
    assert finding.status == status, finding.kondisi
    if status == "unknown":
        assert finding.missing_facts == ["complaint_management.complaints[0].decided_on"]
    days_off = [entry for e in finding.subjects[0].evidence for entry in e.details.get("days_off", [])]
    if status in ("comply", "violation"):
        assert any("Idul Fitri" in entry for entry in days_off) and any(entry.startswith("2024-05-02") for entry in days_off)


@pytest.mark.parametrize("judge_name", ["durable", "oracle"])
def test_an_open_entry_without_its_start_date_is_unknown_not_late(judge_name):
    finding = _audit({"decided_on": "tidak_ada", "file_complete_on": None}, add_working_days(DEADLINE, 5), judge_name)
    assert finding.status == "unknown"
    assert finding.missing_facts == ["complaint_management.complaints[0].file_complete_on"]


DAILY = Rule.model_validate({
    "id": "test.pemeriksaan-harian",
    "title": {"id": "Kanal pengaduan diperiksa setiap hari kerja", "en": "Complaint channels checked every working day"},
    "citation": "Pasal 14 ayat (4)",
    "quote": "setiap hari",
    "applies_to": ["perangkat_daerah"],
    "topic": "pengaduan.pemeriksaan_kanal",
    "impact": "medium",
    "period": {"every": "year"},
    "inputs": {"missed": {"label": {"id": "Hari kerja tanpa pemeriksaan", "en": "Working days without a check"},
                          "working_days_without": "complaint_management.channel_checks[].dated"}},
    "comply_when": {"input": "missed", "at_most": 0},
    "recommendation": {"id": "Periksa kanal setiap hari kerja.", "en": "Check the channels every working day."},
})


def _daily(checks, as_of: date, judge_name: str):
    facts = Facts.model_validate({
        "organisation": {"name": "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sanggau", "type": "perangkat_daerah",
                         "region": "Kabupaten Sanggau"},
        "complaint_management": {} if checks is None else {"channel_checks": [{"dated": d.isoformat()} for d in checks]},
    })
    return _evaluate(DAILY, facts, as_of, judge_name)


NATIONAL = WorkingCalendar()
WORKING_DAYS_2024 = [date(2024, 1, 1) + timedelta(days=i) for i in range(366)
                     if NATIONAL.is_working_day(date(2024, 1, 1) + timedelta(days=i))]


@pytest.mark.parametrize("judge_name", ["durable", "oracle"])
def test_a_daily_log_is_judged_by_its_gaps_on_working_days(judge_name):
    # 2020-2023 also fall in the judged years (Sanggau's Perbup is in force from 2019): give them full logs.
    earlier = [date(y, 1, 1) + timedelta(days=i) for y in range(2020, 2024) for i in range(366)
               if date(y, 1, 1) + timedelta(days=i) < date(y + 1, 1, 1)]
    full = _daily(earlier + WORKING_DAYS_2024, date(2024, 12, 31), judge_name)
    assert full.status == "comply"
    # Two working days skipped, one of them the day after Idul Fitri's cuti bersama; holidays never count.
    skipped = [date(2024, 4, 16), date(2024, 12, 30)]
    partial = _daily(earlier + [d for d in WORKING_DAYS_2024 if d not in skipped], date(2024, 12, 31), judge_name)
    assert partial.status == "violation"
    assert "16 April 2024, 30 Desember 2024" in partial.kondisi
    assert _daily(None, date(2024, 12, 31), judge_name).status == "unknown"
    running = _daily(earlier + WORKING_DAYS_2024[:50], date(2024, 6, 30), judge_name)
    assert running.status == "pending"


@pytest.mark.parametrize("judge_name", ["durable", "oracle"])
def test_a_running_year_without_gaps_so_far_is_pending_not_met(judge_name):
    earlier = [date(y, 1, 1) + timedelta(days=i) for y in range(2020, 2024) for i in range(366)
               if date(y, 1, 1) + timedelta(days=i) < date(y + 1, 1, 1)]
    so_far = [d for d in WORKING_DAYS_2024 if d <= date(2024, 6, 28)]
    finding = _daily(earlier + so_far, date(2024, 6, 28), judge_name)
    assert finding.status == "pending" and finding.due == "2024-12-31"


def test_the_report_shows_each_entrys_deadline_and_counts_on_time_and_late_entries():
    from patuh.audit.pipeline import audit_file
    from patuh.load.data_paths import data_directory
    from patuh.documents.audit_report import render

    example = data_directory("facts") / "examples" / "sanggau-disdukcapil.yaml"
    result = audit_file(example, "sanggau-perbup-33-2019", date(2024, 12, 31), judge="oracle")
    finding = next(f for f in result.report["findings"] if f["rule_id"] == "sanggau.pasal-18-ayat-1")
    late = next(line for line in finding["kondisi"].splitlines() if "PGD/019/2024" in line)
    # File complete 2024-03-20. Counted by hand: 60 working days after 2024-03-06 end on 2024-06-20
    # (the rule's case file, across Lebaran); 2024-03-06 to 03-20 holds only 8 working days (Nyepi
    # and its cuti bersama, 11-12 March), so 60 after 03-20 end 8 working days after 06-20: 2 July.
    assert "(Pelanggaran)" in late and "tenggat 2 Juli 2024" in late
    assert [(entry["label"], entry["count"]) for entry in finding["tally"]] == [("terlambat", 1), ("tepat waktu", 2)]
    assert "Rekap entri: terlambat 1, tepat waktu 2" in render(result.report, "md")
