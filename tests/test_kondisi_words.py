"""The Kondisi in words: one golden sentence per input kind, and no engine text in a report's body.

An inspector pastes a finding into an LHP. Its body must read as an auditor writes — dates in
long form, documents by number and date, codes in words — and keep fact paths, raw codes,
open ranges ("0–?") and Python literals out; those belong to the evidence trail (Jejak bukti)
at the end, for whoever re-performs the audit.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from patuh.audit.pipeline import audit_file
from patuh.documents.audit_report import render
from patuh.inputs import INPUT_KINDS
from patuh.load.data_paths import data_directory

EXAMPLES = sorted((data_directory("facts") / "examples").glob("*.yaml"))


def _regulation_of(path) -> str:
    return {"tegal": "tegal-perbup-63-2023", "sanggau": "sanggau-perbup-33-2019", "madiun": "madiun-perbup-63-2018",
            "metro": "metro-perwali-19-2018"}[path.name.split("-")[0]]


def phrase(kind: str, evidence: dict, language: str = "id", within=None) -> str:
    return INPUT_KINDS[kind].phrase(evidence, language, within)


# --- One golden sentence per input kind ------------------------------------------------------

def test_count_cites_documents_by_number_date_and_title():
    evidence = {"low": 1, "high": 1, "items": [{"path": "service_types[0].standar_pelayanan.document",
                                              "fact": {"number": "690/SP/012/2024", "title": "Standar Pelayanan Pemasangan",
                                                       "dated": "2024-03-04"}}]}
    assert phrase("count", evidence) == "Nomor 690/SP/012/2024 tanggal 4 Maret 2024 tentang Standar Pelayanan Pemasangan"
    assert phrase("count", evidence, "en") == "No. 690/SP/012/2024 dated 4 March 2024 on Standar Pelayanan Pemasangan"


def test_count_of_a_date_a_recorded_absence_and_an_open_count():
    dated = {"low": 1, "high": 1, "items": [{"path": "maklumat.established_on", "fact": "2022-10-10"}]}
    assert phrase("count", dated) == "10 Oktober 2022"
    absent = {"low": 0, "high": 0, "items": [], "details": {"recorded_absent": ["service.standar_pelayanan.established_on"]}}
    assert phrase("count", absent) == "tidak ada (tercatat tidak ada pada pemeriksaan)"
    assert phrase("count", {"low": 0, "high": 0, "items": []}) == "tidak ada"
    open_count = {"low": 0, "high": None, "items": [], "missing_facts": ["information_services"]}
    said = phrase("count", open_count)
    assert said.startswith("belum dapat dipastikan (") and "belum diperiksa" in said and "?" not in said
    assert "information_services" not in said


def test_count_of_many_entries_names_the_first_and_counts_the_rest():
    items = [{"path": f"complaints[{i}]", "fact": {"number": f"PGD/{i:03d}/2024", "received_on": "2024-01-02"}} for i in range(5)]
    said = phrase("count", {"low": 5, "high": 5, "items": items})
    assert said == ("5, antara lain Nomor PGD/000/2024 tanggal 2 Januari 2024; Nomor PGD/001/2024 tanggal 2 Januari 2024; "
                    "Nomor PGD/002/2024 tanggal 2 Januari 2024, dan 2 lainnya")


def test_missing_from_lists_what_is_lacking_in_words():
    evidence = {"low": 2, "high": 2, "details": {"lacking": ["ruang tunggu khusus", "ruang laktasi"], "present": []}}
    assert phrase("missing_from", evidence) == "ruang tunggu khusus dan ruang laktasi"
    assert phrase("missing_from", {"low": 0, "high": 0, "details": {"lacking": [], "present": ["x"]}}) == \
        "tidak ada; semua butir yang disyaratkan tercatat ada"


def test_value_words_dates_booleans_and_absence():
    assert phrase("value", {"value": "2024-08-01", "items": [{"path": "events.service_changes[0].dated", "fact": "2024-08-01"}]}) \
        == "1 Agustus 2024"
    assert phrase("value", {"value": "false", "items": [{"path": "x", "fact": False}]}) == "tidak"
    assert phrase("value", {"value": "true", "items": [{"path": "x", "fact": True}]}, "en") == "yes"
    assert phrase("value", {"value": "tidak_ada", "items": []}) == "tidak ada (tercatat tidak ada pada pemeriksaan)"
    assert phrase("value", {"low": 74.9, "high": 74.9, "items": [{"path": "events.skm[0].ikm", "fact": 74.9}]}) == "74,9"
    assert phrase("value", {"low": 74.9, "high": 74.9, "items": [{"path": "events.skm[0].ikm", "fact": 74.9}]}, "en") == "74.9"


def test_spans_of_days_and_working_days_with_their_deadline():
    span = {"low": 12, "high": 12, "details": {"deadline": "2024-03-21"},
            "items": [{"path": "complaints[0].received_on", "fact": "2024-03-01"},
                      {"path": "complaints[0].first_response_on", "fact": "2024-03-19"}]}
    assert phrase("working_days", span) == "12 hari kerja (dari 1 Maret 2024 sampai 19 Maret 2024) (tenggat 21 Maret 2024)"
    assert phrase("days_between", span, "en") == "12 days (from 1 March 2024 to 19 March 2024) (deadline 21 March 2024)"


def test_gaps_in_a_daily_and_a_monthly_log():
    daily = {"low": 2, "high": 2, "details": {"gaps": ["2024-04-16", "2024-12-30"], "gap_count": 2}}
    assert phrase("working_days_without", daily) == "2 hari kerja tanpa catatan: 16 April 2024, 30 Desember 2024"
    monthly = {"low": 3, "high": 3, "details": {"gaps": ["2024-01", "2024-02"], "gap_count": 3}}
    assert phrase("months_without", monthly) == "3 bulan tanpa catatan: Januari 2024, Februari 2024, dan 1 lainnya"
    assert phrase("months_without", {"low": 0, "high": 0, "details": {"gaps": [], "gap_count": 0}}) == "tidak ada yang terlewat"


def test_a_deadline_in_months_before_and_after():
    assert phrase("months_deadline", {"low": 154, "high": 154, "details": {"deadline": "2025-06-03"}}) == \
        "154 hari sebelum tenggat 3 Juni 2025"
    assert phrase("months_deadline", {"low": -30, "high": -30, "details": {"deadline": "2021-02-28"}}, "en") == \
        "30 days after the deadline of 28 February 2021"


def test_a_recomputed_survey_measure():
    evidence = {"low": 77.22, "high": 77.22, "items": [{"path": "events.skm[1]", "fact": {"held_to": "2024-11-29"}}], "details": {}}
    assert phrase("survey_recomputation", evidence) == "77,22"
    assert phrase("survey_recomputation", {"value": "B", "items": [{"path": "events.skm[1]", "fact": {}}]}) == "B"


def test_every_kind_words_what_it_found():
    assert all(kind.phrase is not None for kind in INPUT_KINDS.values()), "a kind without a phrase leaves its Kondisi unworded"


# --- No engine text in a report body -----------------------------------------------------------

# What only an engine writes: a fact path or a list index, a snake_case code, an open range,
# a Python literal.
ENGINE_TEXT = {
    "a fact path": re.compile(r"\b[a-z]+(?:_[a-z]+)*(?:\[\d*\])?\.[a-z]+_[a-z_]+\b|\w\[\d+\]"),
    "a raw code": re.compile(r"(?<![\w/.@-])[a-z]+_[a-z_]+(?![\w/.@-])"),
    "an open range or placeholder": re.compile(r"–\?|\s\?(?:\s|$)|\{\w+\}"),
    "a Python literal": re.compile(r"\b(?:None|True|False)\b|\{'|'\}|\[\]"),
}


def _body(markdown: str) -> str:
    """The report without its header (hashes, file name) and its evidence trail."""
    start = markdown.index("\n## ")
    end = markdown.index("## Lampiran: Jejak bukti") if "## Lampiran: Jejak bukti" in markdown else \
        markdown.index("## Appendix: evidence trail")
    return markdown[start:end]


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
@pytest.mark.parametrize("language", ["id", "en"])
def test_a_report_body_carries_no_engine_text(example, language):
    result = audit_file(example, _regulation_of(example), date(2024, 12, 31), language=language)
    body = _body(render(result.report, "md"))
    found = {what: sorted(set(pattern.findall(body)))[:8] for what, pattern in ENGINE_TEXT.items() if pattern.search(body)}
    assert not found, f"{example.name} ({language}): {found}"


def test_the_evidence_trail_keeps_the_paths():
    example = data_directory("facts") / "examples" / "tegal-perumda-air-minum.yaml"
    markdown = render(audit_file(example, "tegal-perbup-63-2023", date(2024, 12, 31)).report, "md")
    trail = markdown[markdown.index("## Lampiran: Jejak bukti"):]
    assert "`service_types[0].standar_pelayanan.document`" in trail
    assert "service_types[0]" not in _body(markdown)


def test_a_block_not_examined_as_a_whole_is_named():
    from patuh.load.wording import fact_name
    assert fact_name("events", "id").startswith("catatan kegiatan unit") and fact_name("incidents", "en")
