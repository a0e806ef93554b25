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

from ..inputs import INPUT_KINDS
from ..inputs.sentences import count_phrase
from ..law.sanctions import word_compensation, word_sanction
from ..load.labels import LANGUAGES, words
from ..load.vocabulary import load_vocabulary
from ..load.wording import INDEX, any_code_word, describe_fact, fact_name, fact_names, join_words, long_period
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


def build_report(*, findings: "list[Finding] | list[WordedFinding]", regulation: dict, ruleset: dict, facts_file: str, facts_sha256: str,
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
    ordered = [_record(finding) for finding in sorted(findings, key=lambda finding: STATUS_ORDER.index(finding.status))]
    counts = {status: sum(1 for finding in ordered if finding["status"] == status) for status in STATUS_ORDER}
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
            "violations": [finding["rule_id"] for finding in ordered if finding["status"] == "violation"],
            # Violations under a waiver still in force (they keep their status in `counts`).
            "waived": [finding["rule_id"] for finding in ordered if finding["status"] == "violation"
                       and (finding.get("waiver") or {}).get("in_force")],
        },
        "findings": ordered,
        # "reasons" (the reason in every language) lets the report be worded again; a caller
        # with only the one language's reason may leave it out.
        "not_auditable": [_exactly(f"not_auditable[{index}]", entry,
                                   NOT_AUDITABLE_KEYS + (("reasons",) if "reasons" in entry else ()))
                          for index, entry in enumerate(not_auditable)],
    }


# --- Words ---------------------------------------------------------------------------------

class WordedFinding:
    """A finding worded in one language: the JSON record a report carries (`record`), and the
    Finding model of that record, validated only when a caller first reads a field other
    than its rule id and status. A batch writes the record and never reads the model: the
    round trip through pydantic was a fifth of a unit's time (benchmarks/RESULTS.md)."""

    __slots__ = ("record", "_model")

    def __init__(self, record: dict):
        self.record = record
        self._model: Optional[Finding] = None

    @property
    def rule_id(self) -> str:
        return self.record["rule_id"]

    @property
    def status(self) -> str:
        return self.record["status"]

    @property
    def model(self) -> Finding:
        if self._model is None:
            self._model = Finding.model_validate(self.record)
        return self._model

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordedFinding) and self.record == other.record

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dict it holds

    def __repr__(self) -> str:
        return f"WordedFinding({self.rule_id}: {self.status})"

    def __getattr__(self, name: str) -> Any:
        # Only attributes the class does not define arrive here: the model's fields. Private and
        # special names (`_model` before it is set, `__deepcopy__`, `__setstate__`) are not the
        # model's to answer: copy and pickle must see this object, not the Finding.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.model, name)


def worded(findings: list[Finding], language: str, as_of: str) -> list[WordedFinding]:
    """The judge's findings with the words of `language`."""
    return [WordedFinding(word_finding(finding.model_dump(mode="json"), language, as_of)) for finding in findings]


def _record(finding: "Finding | WordedFinding") -> dict:
    return finding.record if isinstance(finding, WordedFinding) else finding.model_dump(mode="json")


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
        return labels["findings"]["reasons"][reason["code"]].format(
            **{key: reason_value(key, value, language) for key, value in reason["values"].items()})

    subjects = [{**subject, "evidence": [word_evidence(evidence) for evidence in subject["evidence"]],
                 "reason": word_reason(subject.get("reason_code"))} for subject in finding["subjects"]]
    status = finding["status"]
    reasons = sorted({subject["reason"] for subject in subjects if subject["reason"] and subject["status"] == status})
    tally_words = labels["tally_deadline" if finding.get("tally_per_deadline") else "statuses"]
    return {
        **finding,
        "title": texts["title"][language],
        "kondisi": _kondisi(subjects, labels, language),
        "evidence": [word_evidence(evidence) for evidence in finding["evidence"]],
        "subjects": subjects,
        "reason": "; ".join(reasons) or None,
        "tally": [{**entry, "label": tally_words[entry["status"]]} for entry in finding["tally"]],
        "sanctions": [word_sanction(sanction, language, as_of) for sanction in finding["sanctions"]],
        "sanction_note": texts["sanction_note"][language] if texts.get("sanction_note") else None,
        "compensation": word_compensation(finding.get("compensation"), language),
        "recommendation": recommendation(finding, subjects, texts["recommendation"][language], language, as_of),
        "interpretation": [note[language] for note in texts["interpretation"]],
    }


def subject_words(subject: dict, language: str) -> str:
    """The subject of a Kondisi line as a reader names it: the unit, the service, or the entry
    by its list and its own name ("SKM 22 November 2024", "kanal aduan SP4N-LAPOR!"), with the
    period judged ("tahun 2024", "periode 4 Maret 2024 sampai ...")."""
    label, path = subject.get("label") or "", subject.get("path") or ""
    entry = INDEX.search(path.rsplit(".", 1)[-1]) if path else None
    if entry or (path and not label):
        # An entry of a list (or the list itself): named by the list, then by its own words.
        list_word = fact_name(INDEX.sub("", path.rsplit(".", 1)[-1]), language)
        own = describe_fact(label, language, subject.get("label_path")) if label else ""
        name = f"{list_word} {own}".strip() if own else (list_word if not entry else fact_name(path.rsplit(".", 1)[-1], language))
    else:
        name = label
    period = long_period(subject.get("period_start"), subject.get("period_end"), language)
    return f"{name}, {period}" if period and name else (period or name)


def evidence_phrase(evidence: dict, language: str, within: Optional[str]) -> str:
    """`Label: what was found` for one input, worded by its kind (engine/inputs/<kind>.py)."""
    kind = INPUT_KINDS.get(evidence.get("kind") or "")
    phrase = kind.phrase if kind is not None and kind.phrase is not None else count_phrase
    return f"{evidence['label']}: {phrase(evidence, language, within)}"


def recommendation(finding: dict, subjects: list[dict], own: str, language: str, as_of: str) -> str:
    """The Rekomendasi for this case, addressed to the unit.

    An unknown asks for the evidence that would settle it, by name; a violation of periods
    that have closed says that those cannot be made good on time, and what to do now and for
    the next period; otherwise the rule's own recommendation.
    """
    texts = words(language)["recommendations"]
    status = finding["status"]
    if status == "unknown" and finding.get("missing_facts"):
        return texts["bring_evidence"].format(facts=fact_names(finding["missing_facts"], language), then=own)
    if status == "violation":
        closed = [subject for subject in subjects if subject["status"] == "violation"]
        if closed and all(subject.get("period_end") and subject["period_end"] < as_of for subject in closed):
            periods = sorted({long_period(subject["period_start"], subject["period_end"], language) for subject in closed})
            return texts["closed_period"].format(periods=join_words(periods, language), then=own)
    return own


# What each value of a reason holds: fact paths, or codes of a code list, never shown as written.
REASON_PATHS = ("list", "start", "paths")


def reason_value(key: str, value: str, language: str) -> str:
    if key in REASON_PATHS:
        return fact_names([part.strip() for part in value.split(",")], language)
    return ", ".join(any_code_word(part.strip(), language) for part in value.split(","))


def _kondisi(subjects: list[dict], labels: dict[str, Any], language: str) -> str:
    """What the facts show, one line per subject: whom it is about, its status, and one
    sentence per input in words, never a fact path (those go to the evidence trail)."""
    texts = labels["kondisi"]
    lines = []
    for subject in subjects:
        within = subject.get("path")
        # Not applicable: the reason says why; the inputs it rests on are in the evidence trail.
        shown = [] if subject["status"] == "not_applicable" and subject["reason"] else subject["evidence"]
        parts = [evidence_phrase(evidence, language, within) for evidence in shown]
        if subject["reason"]:
            parts.insert(0, subject["reason"])
        if subject["missing_facts"] and not parts:
            parts.append(texts["not_examined_line"].format(facts=fact_names(subject["missing_facts"], language, within)).rstrip("."))
        head = texts["subject_status"].format(subject=subject_words(subject, language), status=labels["statuses"][subject["status"]])
        sentences = [part.strip().rstrip(".") for part in parts if part.strip()]
        lines.append(f"{head}: " + ". ".join(part[:1].upper() + part[1:] for part in sentences) + "." if sentences else head + ".")
    return "\n".join(lines)
