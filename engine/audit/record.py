"""The JSON record of one audit: findings -> one report dict, in the documented key order.

The JSON report is the record; Markdown and HTML are views of it (documents/audit_report.py),
so they take this dict (also one read back from a JSON file) and never the findings. Nothing
in a report varies between runs (no timestamps, no absolute paths, no set or hash ordering):
the same facts and rule set give byte-identical files, and the two sha256 values in it say
which facts and which rules to take to get that result again.
"""

from __future__ import annotations

from pathlib import PurePath

from ..load.labels import LANGUAGES
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
        "not_auditable": [_exactly(f"not_auditable[{index}]", entry, NOT_AUDITABLE_KEYS)
                          for index, entry in enumerate(not_auditable)],
    }
