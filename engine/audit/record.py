"""The JSON record of one audit: findings -> one report dict, in the documented key order.

The JSON report is the record; Markdown and HTML are views of it (documents/audit_report.py),
so they take this dict (also one read back from a JSON file) and never the findings. Nothing
in a report varies between runs (no timestamps, no absolute paths, no set or hash ordering):
the same facts and rule set give byte-identical files, and the two sha256 values in it say
which facts and which rules to take to get that result again.

The judge finds in no language (judge/evaluate.py); `worded` gives its findings the words of
the report's language, and `in_language` words a whole report again in the other one, from
the language-free fields it keeps beside the words. Both word a finding with
`word_finding`, so a report worded again reads exactly as a fresh audit in that language.
"""

from __future__ import annotations

from pathlib import PurePath

from typing import Any, Optional

from ..law.sanctions import word_compensation, word_sanction
from ..load.labels import LANGUAGES, words
from ..load.vocabulary import load_vocabulary
from ..model.findings import REPORT_SCHEMA_ID, STATUS_ORDER, Finding

REGULATION_KEYS = ("id", "type", "region", "number", "year", "title", "in_force_from")
RULESET_KEYS = ("version", "effective_from", "effective_until", "sha256")
UNIT_KEYS = ("name", "type", "region", "atasan_satuan_kerja")
NOT_AUDITABLE_KEYS = ("citation", "reason")


def _exactly(what: str, given: dict, keys: tuple[str, ...]) -> dict:
    """`given` with the documented keys in the documented order; a stray or missing key is the caller's bug."""
    missing = [key for key in keys if key not in given]
    unexpected = sorted(str(key) for key in given if key not in keys)
    if missing or unexpected:
        problems = []
        if missing:
            problems.append("missing " + ", ".join(missing))
        if unexpected:
            problems.append("unexpected " + ", ".join(unexpected))
        raise ValueError(f"report {what}: " + "; ".join(problems) + f" (expected exactly: {', '.join(keys)})")
    return {key: given[key] for key in keys}


def build_report(*, findings: list[Finding], regulation: dict, ruleset: dict, facts_file: str, facts_sha256: str,
                 unit: dict, as_of: str, language: str, not_auditable: list[dict], patuh_version: str) -> dict:
    """The report as plain data, in the documented key order (reports/README.md).

    Findings are grouped by status in STATUS_ORDER so the worst news comes first; sorting is
    stable, so within a status the rule-file order the caller gave is kept.
    """
    if language not in LANGUAGES:
        raise ValueError(f"report language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    # An absolute path would differ from machine to machine and break byte-identical reports.
    if PurePath(facts_file).is_absolute():
        facts_file = PurePath(facts_file).name
    ordered = sorted(findings, key=lambda finding: STATUS_ORDER.index(finding.status))
    dumped = [finding.model_dump(mode="json") for finding in ordered]
    counts = {status: sum(1 for finding in ordered if finding.status == status) for status in STATUS_ORDER}
    return {
        "schema": REPORT_SCHEMA_ID,
        "patuh_version": patuh_version,
        "language": language,
        "as_of": as_of,
        "regulation": _exactly("regulation", regulation, REGULATION_KEYS),
        "ruleset": _exactly("ruleset", ruleset, RULESET_KEYS),
        "facts": {"file": str(facts_file), "sha256": facts_sha256},
        "unit": _exactly("unit", unit, UNIT_KEYS),
        "summary": {
            "total": len(ordered),
            "counts": counts,
            "violations": [finding.rule_id for finding in ordered if finding.status == "violation"],
        },
        "findings": dumped,
        # "reasons" (the reason in every language) lets the report be worded again; a caller
        # with only the one language's reason may leave it out.
        "not_auditable": [_exactly(f"not_auditable[{index}]", entry,
                                   NOT_AUDITABLE_KEYS + (("reasons",) if "reasons" in entry else ()))
                          for index, entry in enumerate(not_auditable)],
    }


# --- Words ---------------------------------------------------------------------------------

def worded(findings: list[Finding], language: str, as_of: str) -> list[Finding]:
    """The judge's findings with the words of `language`."""
    return [Finding.model_validate(word_finding(finding.model_dump(mode="json"), language, as_of)) for finding in findings]


def in_language(report: dict, language: str) -> dict:
    """The report worded in `language`: the same findings, as an audit in that language words them."""
    if language not in LANGUAGES:
        raise ValueError(f"report language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return {**report, "language": language,
            "findings": [word_finding(finding, language, report["as_of"]) for finding in report["findings"]],
            "not_auditable": [{**entry, "reason": entry["reasons"][language]} if entry.get("reasons") else entry
                              for entry in report["not_auditable"]]}


def word_finding(finding: dict, language: str, as_of: str) -> dict:
    """One finding (as JSON) worded in `language`.

    A finding without the rule's texts was not judged by patuh (a test's, or an older
    report's) and is kept as written: there is nothing to word it from.
    """
    texts = finding.get("texts")
    if texts is None:
        return finding
    labels = words(language)
    inputs = texts["inputs"]

    def word_evidence(evidence: dict) -> dict:
        details = evidence["details"]
        if evidence.get("vocabulary"):
            vocabulary = load_vocabulary(evidence["vocabulary"])
            details = {key: [vocabulary.label(entry, language) for entry in entries]
                       for key, entries in evidence["detail_codes"].items()}
        return {**evidence, "label": inputs[evidence["input"]][language], "details": details}

    def word_reason(reason: Optional[dict]) -> Optional[str]:
        if reason is None:
            return None
        if reason["code"] == "rule_text":
            return reason["texts"][language]
        return labels["findings"]["reasons"][reason["code"]].format(**reason["values"])

    subjects = [{**subject, "evidence": [word_evidence(evidence) for evidence in subject["evidence"]],
                 "reason": word_reason(subject.get("reason_code"))} for subject in finding["subjects"]]
    status = finding["status"]
    reasons = sorted({subject["reason"] for subject in subjects if subject["reason"] and subject["status"] == status})
    tally_words = labels["tally_deadline" if finding.get("tally_per_deadline") else "statuses"]
    return {
        **finding,
        "title": texts["title"][language],
        "kondisi": _kondisi(subjects, labels),
        "evidence": [word_evidence(evidence) for evidence in finding["evidence"]],
        "subjects": subjects,
        "reason": "; ".join(reasons) or None,
        "tally": [{**entry, "label": tally_words[entry["status"]]} for entry in finding["tally"]],
        "sanctions": [word_sanction(sanction, language, as_of) for sanction in finding["sanctions"]],
        "sanction_note": texts["sanction_note"][language] if texts.get("sanction_note") else None,
        "compensation": word_compensation(finding.get("compensation"), language),
        "recommendation": texts["recommendation"][language],
        "interpretation": [note[language] for note in texts["interpretation"]],
    }


def _kondisi(subjects: list[dict], labels: dict[str, Any]) -> str:
    """What the facts show, one line per subject: its status and each input's value."""
    words_of = labels["findings"]
    lines = []
    for subject in subjects:
        parts = []
        for evidence in subject["evidence"]:
            details = evidence["details"]
            low, high = evidence.get("low"), evidence.get("high")
            if evidence.get("value") is not None:
                shown = evidence["value"]
            elif low is None and details.get("recorded_absent"):
                shown = words_of["none_yet"]
            elif low is None:
                shown = words_of["not_known"]
            elif high is None or high != low:
                upper = "?" if high is None else f"{high:g}"
                shown = f"{low:g}–{upper}"
            else:
                shown = f"{low:g}"
            gaps = details.get("gaps")
            if gaps:
                more = ", …" if details.get("gap_count", 0) > len(gaps[:5]) else ""
                shown += " (" + ", ".join(gaps[:5]) + more + ")"
            if details.get("deadline"):
                shown += " (" + words_of["deadline"] + details["deadline"] + ")"
            if details.get("lacking"):
                shown += " (" + words_of["lacking"] + ", ".join(details["lacking"]) + ")"
            parts.append(f"{evidence['label']}: {shown}")
        if subject["reason"] and not parts:
            parts.append(subject["reason"])
        if subject["missing_facts"] and not parts:
            parts.append(words_of["facts_missing"] + ", ".join(subject["missing_facts"]))
        lines.append(f"{subject['label']} [{labels['statuses'][subject['status']]}]: " + "; ".join(parts))
    return "\n".join(lines)
