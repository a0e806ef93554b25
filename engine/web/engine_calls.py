"""Everything the web layer uses from the engine, imported in one place.

The engine's stages are being regrouped; when a name moves, only this file changes.
"""

from __future__ import annotations

from ..audit.pipeline import AuditResult, audit_facts
from ..documents.compare import load_topics, row_of_topic
from ..documents.remediation import build_plan, render_plan
from ..documents.template import Use, fact_uses, facts_template
from ..load.facts import FactsError, load_facts, respondents_for_facts
from ..load.regulation_text import load_regulation, resolve_regulation_name, short_title
from ..load.source_yaml import MAX_VALUES, format_path, load_source
from ..model.facts import Facts, NotPresent, OrganisationType, SkmResponses
from ..model.fact_paths import unwrap_annotation
from ..model.findings import REPORT_SCHEMA_ID, STATUS_ORDER
from ..problems import InputError
from ..documents.audit_report import render
from ..load.labels import group as _label_group
from ..rulesets.load import RuleLoadError, RuleSet, load_ruleset
from ..rulesets.select import (NotInForce, available_versions, list_rule_regulations, regulations_by_region,
                               ruleset_in_force, select_ruleset)
from ..dates.working_days import UnsupportedYearError
from .. import __version__ as patuh_version

STATUS_LABELS = _label_group("statuses")
ORGANISATION_TYPE_LABELS = _label_group("organisation_types")["id"]


def ruleset_for_region(region: str, as_of) -> RuleSet:
    """The rule set of the unit's region in force on `as_of` (the one selection function of the engine)."""
    return select_ruleset(region=region, as_of=as_of)[0]


# The engine's refusals that mean "these facts cannot be audited as given": told to the user.
AUDIT_REFUSALS = (FactsError, InputError, NotInForce, RuleLoadError, UnsupportedYearError)

__all__ = [
    "AUDIT_REFUSALS", "AuditResult", "Facts", "FactsError", "InputError", "MAX_VALUES", "NotInForce", "NotPresent",
    "ORGANISATION_TYPE_LABELS", "OrganisationType", "REPORT_SCHEMA_ID", "RuleLoadError", "RuleSet", "STATUS_LABELS", "STATUS_ORDER", "Use",
    "SkmResponses", "respondents_for_facts",
    "UnsupportedYearError", "audit_facts", "available_versions", "build_plan", "fact_uses", "facts_template", "format_path", "list_rule_regulations",
    "load_facts", "load_regulation", "load_ruleset", "short_title", "load_source", "load_topics", "patuh_version", "regulations_by_region",
    "render", "render_plan", "resolve_regulation_name", "row_of_topic", "ruleset_for_region", "ruleset_in_force",
    "unwrap_annotation",
]
