"""Everything the web layer uses from the engine, imported in one place.

The engine's stages are being regrouped; when a name moves, only this file changes.
"""

from __future__ import annotations

from ..audit.pipeline import AuditResult, audit_facts
from ..batch.run import regulations_by_region, ruleset_for_region
from ..documents.compare import load_topics, row_of_topic
from ..documents.remediation import build_plan, render_plan
from ..documents.template import Use, fact_uses, facts_template
from ..law.follow_up import REPORT_SCHEMA_ID
from ..load.facts import FactsError, load_facts
from ..load.regulation_text import load_regulation, resolve_regulation_name
from ..load.source_yaml import MAX_VALUES, format_path, load_source
from ..model.facts import Facts, NotPresent, OrganisationType
from ..model.fact_paths import unwrap_annotation
from ..model.findings import STATUS_LABELS, STATUS_ORDER
from ..problems import InputError
from ..render.report import LABELS as REPORT_LABELS, ORGANISATION_TYPE_LABELS, render
from ..rulesets.load import (NotInForce, RuleLoadError, RuleSet, available_versions, list_rule_regulations, load_ruleset,
                             ruleset_in_force)
from ..dates.working_days import UnsupportedYearError
from .. import __version__ as patuh_version

# The engine's refusals that mean "these facts cannot be audited as given": told to the user.
AUDIT_REFUSALS = (FactsError, InputError, NotInForce, RuleLoadError, UnsupportedYearError)

__all__ = [
    "AUDIT_REFUSALS", "AuditResult", "Facts", "FactsError", "InputError", "MAX_VALUES", "NotInForce", "NotPresent",
    "ORGANISATION_TYPE_LABELS", "OrganisationType", "REPORT_LABELS", "REPORT_SCHEMA_ID", "RuleLoadError", "RuleSet", "STATUS_LABELS", "STATUS_ORDER", "Use",
    "UnsupportedYearError", "audit_facts", "available_versions", "build_plan", "fact_uses", "facts_template", "format_path", "list_rule_regulations",
    "load_facts", "load_regulation", "load_ruleset", "load_source", "load_topics", "patuh_version", "regulations_by_region",
    "render", "render_plan", "resolve_regulation_name", "row_of_topic", "ruleset_for_region", "ruleset_in_force",
    "unwrap_annotation",
]
