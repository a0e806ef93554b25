"""Every obligation of a regulation's text is covered by a rule or listed as not auditable.

An obligation here is any unit whose own words (its text less its sub-units') say
"wajib", "harus" or "berkewajiban". It is covered by a rule or a not-auditable entry that
cites the unit itself or a part of it; a not-auditable entry may also cite a whole Pasal or Lampiran
section that holds it (a section of principles is set aside as a whole). Periodic duties worded without those words (Tegal
Pasal 25 ayat (1)) are covered by the rule files themselves; this test is the floor.
"""

from __future__ import annotations

import re

import pytest

from patuh.load.regulation_text import citation_to_anchor
from patuh.rulesets.load import load_ruleset
from patuh.rulesets.select import available_versions, list_rule_regulations

DUTY = re.compile(r"\b(wajib|harus|berkewajiban)\b", re.IGNORECASE)
RULESETS = [(r, v) for r in list_rule_regulations() for v in available_versions(r)]


def _own_text(regulation, anchor: str) -> str:
    text = regulation.units[anchor].text
    for unit in regulation.units.values():
        if unit.parent == anchor:
            text = text.replace(unit.text, " ")
    return text


@pytest.mark.parametrize("regulation_id, version", RULESETS)
def test_every_obligation_is_covered(regulation_id, version):
    ruleset = load_ruleset(regulation_id, version)
    regulation = ruleset.regulation
    cited = [citation_to_anchor(citation) for rule in ruleset.rules for citation in [rule.citation, *rule.also_covers]]
    set_aside = [citation_to_anchor(entry.citation) for entry in ruleset.meta.not_auditable]
    uncovered = []
    for anchor, unit in regulation.units.items():
        if anchor.startswith("konsiderans") or not DUTY.search(_own_text(regulation, anchor)):
            continue
        covered = any(c == anchor or c.startswith(anchor + ".") for c in cited + set_aside)
        covered = covered or any(anchor.startswith(s + ".") for s in set_aside)
        if not covered:
            uncovered.append(f"{unit.citation}: {unit.text[:90]}")
    assert not uncovered, "obligations with no rule and no not-auditable entry:\n" + "\n".join(uncovered)


@pytest.mark.parametrize("regulation_id, version", RULESETS)
def test_every_rule_cites_and_quotes_its_article(regulation_id, version):
    ruleset = load_ruleset(regulation_id, version)
    for rule in ruleset.rules:
        unit = ruleset.regulation.resolve(rule.citation)
        assert unit.citation.replace(" ", "") == rule.citation.replace(" ", ""), rule.id
        assert ruleset.regulation.quote_matches(rule.citation, rule.quote), rule.id
    for key, clause in {**ruleset.meta.sanctions, **ruleset.meta.compensations}.items():
        unit = ruleset.regulation.resolve(clause.citation)
        for measure in clause.measures:
            # Every measure is the regulation's own words, under its own huruf.
            item = ruleset.regulation.resolve(f"{clause.citation} huruf {measure.huruf}")
            assert " ".join(measure.text.split()).lower() in " ".join(item.text.split()).lower(), (key, measure.huruf)
        for violated in clause.applies_to_violations_of:
            ruleset.regulation.resolve(violated)
