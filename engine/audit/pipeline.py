"""The whole path for one unit: facts file -> validated facts -> rule set in force -> findings -> report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .. import __version__
from ..dates.working_days import check_audit_date
from ..judge.evaluate import JudgeName, run_audit
from ..law.sanctions import with_sanctions
from ..model.facts import Facts
from ..load.facts import load_facts
from ..law.follow_up import follow_up, load_previous_report, with_previous_findings
from ..law.responses import with_responses
from ..load.responses import load_responses
from ..rulesets.load import RuleSet
from ..rulesets.select import binds_region, select_ruleset
from .record import build_report, worded


@dataclass(frozen=True)
class AuditResult:
    report: dict
    # Worded findings (audit/record.WordedFinding): each reads as a Finding, and its record is
    # the report's finding dict.
    findings: list
    ruleset: RuleSet
    # Plain sentences for the user (a disputed short name, a unit of another region); the
    # command shows them, the library never prints.
    warnings: list[str] = field(default_factory=list)

    @property
    def violations(self) -> int:
        return sum(1 for finding in self.findings if finding.status == "violation")


def _iso(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)


def audit_file(facts_file: Path | str, regulation_id: str, as_of: date, language: str = "id",
               judge: JudgeName = "durable", previous_report: Path | str | None = None,
               responses_file: Path | str | None = None) -> AuditResult:
    """Audit one facts file under the rule set of `regulation_id` (an id or short name) in force on `as_of`,
    with the unit's responses and the waivers of `responses_file` where one is given."""
    facts_file = Path(facts_file)
    ruleset, warnings = select_ruleset(regulation_id, as_of=as_of)
    facts = load_facts(facts_file, as_of, ruleset.regulation.id, {rule.id for rule in ruleset.rules})
    result = audit_facts(facts, facts_file, facts_file.read_bytes(), ruleset, as_of, language, judge, previous_report,
                         responses_file)
    return replace(result, warnings=[*warnings, *result.warnings])


def region_warning(facts: Facts, facts_file: Path, ruleset: RuleSet) -> str | None:
    if binds_region(ruleset, facts.organisation.region):
        return None
    # Not refused: an analyst may audit a unit against another region's rules on purpose.
    return (f"{facts_file}: the unit is in {facts.organisation.region}, but {ruleset.regulation.id} "
            f"is a regulation of {ruleset.regulation.metadata['region']}; it binds only units there")


def audit_facts(facts: Facts, facts_file: Path, facts_bytes: bytes, ruleset: RuleSet, as_of: date, language: str = "id",
                judge: JudgeName = "durable", previous_report: Path | str | None = None,
                responses_file: Path | str | None = None) -> AuditResult:
    """The audit of facts already loaded and validated against `ruleset` (a batch times each step).

    Every way in (command line, batch, web, import) passes here, so an audit date beyond the
    holiday data is refused here for all of them."""
    check_audit_date(as_of)
    warning = region_warning(facts, facts_file, ruleset)
    previous = None
    if previous_report is not None:
        previous = load_previous_report(previous_report, ruleset.regulation.id, facts.organisation.name, as_of)
        facts = with_previous_findings(facts, previous)
    findings = with_sanctions(run_audit(facts, ruleset, as_of, judge=judge), ruleset, facts, as_of)
    if previous is not None:
        findings = follow_up(findings, previous, as_of, facts)
    if responses_file is not None:
        responses = load_responses(responses_file, {finding.rule_id: finding.status for finding in findings}, as_of)
        findings = with_responses(findings, responses, as_of)
    findings = worded(findings, language, as_of.isoformat())
    metadata = ruleset.regulation.metadata
    atasan = facts.organisation.atasan_satuan_kerja
    report = build_report(
        findings=findings,
        regulation={
            "id": ruleset.regulation.id, "type": metadata.get("type"), "region": metadata.get("region"),
            "number": metadata.get("number"), "year": metadata.get("year"), "title": metadata.get("title"),
            "in_force_from": _iso(metadata.get("dates", {}).get("berlaku")),
        },
        ruleset={
            "version": ruleset.version, "effective_from": ruleset.meta.effective_from.isoformat(),
            "effective_until": ruleset.meta.effective_until.isoformat() if ruleset.meta.effective_until else None,
            "sha256": ruleset.sha256,
        },
        facts_file=facts_file.name,
        facts_sha256=hashlib.sha256(facts_bytes).hexdigest(),
        unit={
            "name": facts.organisation.name, "type": facts.organisation.type.value, "region": facts.organisation.region,
            "atasan_satuan_kerja": atasan.model_dump(mode="json", exclude_none=True) if atasan else None,
        },
        as_of=as_of.isoformat(),
        language=language,
        not_auditable=[{"citation": entry.citation, "reason": entry.reason.get(language), "reasons": entry.reason.model_dump()}
                       for entry in ruleset.meta.not_auditable],
        patuh_version=__version__,
    )
    return AuditResult(report=report, findings=findings, ruleset=ruleset, warnings=[warning] if warning else [])
