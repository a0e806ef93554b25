"""The whole path for one unit: facts file -> validated facts -> rule set in force -> findings -> report."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from .. import __version__
from ..judge.evaluate import JudgeName, run_audit
from ..model.facts import Facts
from ..load.facts import load_facts
from ..model.findings import Finding
from ..law.follow_up import follow_up, load_previous_report, with_previous_findings
from ..load.regulation_text import resolve_regulation_name
from ..rulesets.load import RuleSet, ruleset_in_force
from .record import build_report, worded


@dataclass(frozen=True)
class AuditResult:
    report: dict
    findings: list[Finding]
    ruleset: RuleSet

    @property
    def violations(self) -> int:
        return sum(1 for finding in self.findings if finding.status == "violation")


def _iso(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)


def audit_file(facts_file: Path | str, regulation_id: str, as_of: date, language: str = "id",
               judge: JudgeName = "durable", previous_report: Path | str | None = None) -> AuditResult:
    facts_file = Path(facts_file)
    regulation_id, warning = resolve_regulation_name(regulation_id)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    ruleset = ruleset_in_force(regulation_id, as_of)
    facts = load_facts(facts_file, as_of, ruleset.regulation.id, {rule.id for rule in ruleset.rules})
    return audit_facts(facts, facts_file, facts_file.read_bytes(), ruleset, as_of, language, judge, previous_report)


def region_warning(facts: Facts, facts_file: Path, ruleset: RuleSet) -> str | None:
    regulation_region = ruleset.regulation.metadata.get("region")
    if regulation_region and facts.organisation.region.strip().lower() != str(regulation_region).lower():
        # Not refused: an analyst may audit a unit against another region's rules on purpose.
        return (f"{facts_file}: the unit is in {facts.organisation.region}, but {ruleset.regulation.id} "
                f"is a regulation of {regulation_region}; it binds only units there")
    return None


def audit_facts(facts: Facts, facts_file: Path, facts_bytes: bytes, ruleset: RuleSet, as_of: date, language: str = "id",
                judge: JudgeName = "durable", previous_report: Path | str | None = None,
                warn: Callable[[str], None] | None = None) -> AuditResult:
    """The audit of facts already loaded and validated against `ruleset` (a batch times each step)."""
    warning = region_warning(facts, facts_file, ruleset)
    if warning:
        (warn or (lambda text: print(f"warning: {text}", file=sys.stderr)))(warning)
    previous = None
    if previous_report is not None:
        previous = load_previous_report(previous_report, ruleset.regulation.id, facts.organisation.name, as_of)
        facts = with_previous_findings(facts, previous)
    findings = run_audit(facts, ruleset, as_of, judge=judge)
    if previous is not None:
        findings = follow_up(findings, previous, as_of, facts)
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
    return AuditResult(report=report, findings=findings, ruleset=ruleset)
