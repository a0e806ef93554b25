"""One unit's facts under every encoded regulation, side by side (`patuh audit FACTS --regulation all`).

An analyst asks: which region's rules would this unit pass, which would it fail, and why?
Each regulation is audited on its own with `audit.audit_file` (the rule set in force on the
as-of date), exactly as a single audit would; nothing here judges anything. The findings are
then laid side by side on the rows of the comparison matrix (rules/topics.yaml).

A regulation binds only units of its own region; auditing a unit against the others is done
on purpose here, so the per-regulation region warnings `audit_file` returns are gathered into
one note instead of being repeated. A regulation whose rules are not in force on the as-of date,
or that cannot use these facts (an earlier audit naming another regulation's rules), gets a
column saying so, and the others are still audited.

The verdict per regulation: "fail" when any finding is a violation; "pass" when none is a
violation and none is unknown; "undetermined" when there is no violation but facts are
missing (the unit might still fail once they are known). Pending findings do not fail.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..audit.pipeline import audit_file, region_warning
from .compare import load_topics, regulation_header, row_of_topic
from ..judge.evaluate import JudgeName
from ..load.facts import FactsError, load_facts
from ..model.findings import STATUS_ORDER
from ..rulesets.select import NotInForce, binds_region, list_rule_regulations, select_ruleset
from ..render.formats import document_kind
from ..render.labels import document_language, group, words
from .compare_report import document_context, views

SIDE_BY_SIDE_SCHEMA_ID = "patuh-side-by-side/1"
LABELS: dict[str, dict[str, Any]] = group("side_by_side")
VERDICT_LABELS: dict[str, dict[str, str]] = group("side_by_side_verdicts")


def _verdict(counts: dict[str, int]) -> str:
    if counts.get("violation"):
        return "fail"
    # A column where nothing was shown met (all pending or not applicable) has passed nothing.
    if counts.get("unknown") or not counts.get("comply"):
        return "undetermined"
    return "pass"


def _worst(statuses: list[str]) -> str | None:
    for status in STATUS_ORDER:
        if status in statuses:
            return status
    return None


def audit_under_all(facts_file: Path | str, as_of: date, language: str = "id", judge: JudgeName = "durable") -> tuple[dict[str, Any], list[str]]:
    """The side-by-side document, and the notes for the user (plain sentences; the command shows them)."""
    facts_file = Path(facts_file)
    facts = load_facts(facts_file, as_of)  # a file that cannot be read fails the whole command, as for one audit
    notes: list[str] = []
    other_regions: list[str] = []
    columns: list[dict[str, Any]] = []
    rows = load_topics()
    by_topic = row_of_topic(rows)
    findings_by_regulation: dict[str, list[dict[str, Any]]] = {}
    for regulation_id in list_rule_regulations():
        newest, _ = select_ruleset(regulation_id)
        column: dict[str, Any] = {**regulation_header(newest), "state": "audited", "message": None}
        try:
            result = audit_file(facts_file, regulation_id, as_of, language=language, judge=judge)
        except NotInForce as error:
            column.update(state="not_in_force", message=str(error), counts=None, verdict=None, binds_unit=None, violations=[])
            columns.append(column)
            continue
        except FactsError as error:
            column.update(state="cannot_audit", message="; ".join(str(problem) for problem in error.problems),
                          counts=None, verdict=None, binds_unit=None, violations=[])
            columns.append(column)
            continue
        binds = binds_region(result.ruleset, facts.organisation.region)
        if not binds:
            other_regions.append(regulation_id)
        gathered = region_warning(facts, facts_file, result.ruleset)
        notes.extend(warning for warning in result.warnings if warning != gathered)
        report = result.report
        counts = report["summary"]["counts"]
        column.update(regulation_header(result.ruleset))
        column.update(counts=counts, verdict=_verdict(counts), binds_unit=binds, violations=[
            {"rule_id": finding["rule_id"], "citation": finding["citation"], "title": finding["title"],
             "kondisi": [line.strip() for line in finding["kondisi"].splitlines() if line.strip()],
             "sanctions": [f"{sanction['basis']}: " + "; ".join(measure["text"] for measure in sanction["measures"])
                           if sanction["measures"] else f"{sanction['basis']}: {sanction.get('note') or sanction['kind']}"
                           for sanction in finding["sanctions"]],
             "sanction_note": finding.get("sanction_note")}
            for finding in report["findings"] if finding["status"] == "violation"])
        findings_by_regulation[regulation_id] = report["findings"]
        columns.append(column)
    if other_regions:
        notes.append(f"{facts_file}: the unit is in {facts.organisation.region}; "
                     f"{', '.join(other_regions)} bind only units of their own regions and were audited for comparison")
    table = []
    for row in rows:
        cells = []
        for column in columns:
            findings = [finding for finding in findings_by_regulation.get(column["id"], []) if by_topic.get(finding["topic"]) is row]
            cells.append({"regulation": column["id"], "status": _worst([finding["status"] for finding in findings]),
                          "findings": [{"rule_id": finding["rule_id"], "citation": finding["citation"], "status": finding["status"],
                                        "title": finding["title"]} for finding in findings]})
        if row.sanctions or not any(cell["findings"] for cell in cells):
            continue
        table.append({"id": row.id, "group_label": row.group_label[language], "label": row.label[language], "cells": cells})
    # A rule whose topic the topic table does not hold yet (`patuh compare` refuses it) is still shown.
    unplaced = [[finding for finding in findings_by_regulation.get(column["id"], []) if finding["topic"] not in by_topic] for column in columns]
    if any(unplaced):
        table.append({"id": "tanpa_topik", "group_label": LABELS[language]["unplaced"], "label": LABELS[language]["unplaced"], "cells": [
            {"regulation": column["id"], "status": _worst([finding["status"] for finding in findings]),
             "findings": [{"rule_id": finding["rule_id"], "citation": finding["citation"], "status": finding["status"],
                           "title": finding["title"]} for finding in findings]}
            for column, findings in zip(columns, unplaced)]})
    document = {
        "schema": SIDE_BY_SIDE_SCHEMA_ID,
        "language": language,
        "as_of": as_of.isoformat(),
        "facts": facts_file.name,
        "unit": {"name": facts.organisation.name, "type": facts.organisation.type.value, "region": facts.organisation.region},
        "regulations": columns,
        "rows": table,
    }
    return document, notes


def any_violation(document: dict[str, Any]) -> bool:
    return any(column.get("verdict") == "fail" for column in document["regulations"])


def _context(document: dict[str, Any]) -> dict[str, Any]:
    language = document_language(document)
    return document_context(document, LABELS, verdicts=VERDICT_LABELS[language], statuses=words(language)["statuses"],
                            status_order=STATUS_ORDER)


render_side_by_side = document_kind("side by side", **views("side-by-side", _context))
