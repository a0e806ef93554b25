"""Which rule set each unit of a batch is audited under: the one given, else its region's."""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from ..judge.evaluate import compile_ruleset
from ..load.facts import FactsError, facts_from_document
from ..load.source_yaml import SourceDocument
from ..problems import InputError
from ..rulesets.load import RuleSet
from ..rulesets.select import NotInForce, regulations_by_region, select_ruleset


def region_of(data: Any) -> Optional[str]:
    """The region a facts document names, read before the document is validated (it chooses the rules)."""
    organisation = data.get("organisation") if isinstance(data, dict) else None
    region = organisation.get("region") if isinstance(organisation, dict) else None
    return region if isinstance(region, str) and region.strip() else None


def ruleset_for_unit(document: SourceDocument, regulation: Optional[str], as_of: date) -> RuleSet:
    """The rule set of one unit: `regulation` (an id) for every unit, or None for the unit's region's."""
    # The warnings of choosing a named regulation were told once, when the batch started.
    if regulation is not None:
        return select_ruleset(regulation, as_of=as_of)[0]
    region = region_of(document.data)
    if region is None:
        facts_from_document(document, as_of)  # names what is wrong with the file
        raise FactsError([InputError(document.file, "the unit's region is needed to choose the regulation",
                                     document.line_of(("organisation",)), "organisation.region")])
    return select_ruleset(region=region, as_of=as_of)[0]


def preload(regulation: Optional[str], as_of: date) -> None:
    """Load and compile the rule sets in force before workers fork (not the durable Hosts)."""
    if regulation is not None:
        compile_ruleset(select_ruleset(regulation, as_of=as_of)[0])
        return
    for candidates in regulations_by_region().values():
        for regulation_id in candidates:
            try:
                compile_ruleset(select_ruleset(regulation_id, as_of=as_of)[0])
            except NotInForce:
                pass  # said per unit, for the units of that region
