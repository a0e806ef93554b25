"""Rule files -> validated, cross-checked rule sets.

A rule set version is a folder `rules/<regulation>/<version>/` holding `ruleset.yaml`
(version, effective period, the regulation's sanction lists, obligations that cannot be
audited) and one YAML file per rule. Loading refuses, naming the file and the rule: YAML or
schema errors, a duplicate rule id, a fact path the fact model does not have, an input a
condition does not define, a sanction the rule set does not list, a citation that does not
resolve in regulations/, and a quote that is not in the cited text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from ..load.data_paths import data_directory
from ..model.fact_paths import FactPathError, item_type, resolve_path
from ..inputs import INPUT_KINDS
from ..inputs.subject import LoadContext
from ..load.regulation_text import CitationError, Regulation, citation_to_anchor, load_regulation
from .model import AllOf, AnyOf, Comparison, Condition, EachScope, Not, Rule, RuleSetVersion
from ..problems import InputError, InputProblems
from ..load.source_yaml import SourceDocument, format_path, load_source

RULESET_FILE = "ruleset.yaml"


class RuleLoadError(InputProblems):
    """All the problems found in one rule set version's files."""


@dataclass(frozen=True, eq=False)
class RuleSet:
    """One version of the rules of one regulation, ready to compile (hashed by identity: loads are cached)."""

    regulation: Regulation
    meta: RuleSetVersion
    rules: tuple[Rule, ...]
    files: dict[str, Path]
    sha256: str

    @property
    def version(self) -> str:
        return self.meta.version

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _validation_problems(document: SourceDocument, error: ValidationError, rule_id: str | None) -> list[InputError]:
    problems = []
    for detail in error.errors():
        # Drop pydantic's union branch labels from the location so it reads as a path.
        path = tuple(part for part in detail["loc"] if not (isinstance(part, str) and ("[" in part or part in ("AllOf", "AnyOf", "Not", "Comparison", "EachScope"))))
        where = f"rule {rule_id}: " if rule_id else ""
        problems.append(InputError(document.file, where + detail["msg"], document.line_of(path), format_path(path)))
    return problems


def _conditions(condition: Condition | None) -> Iterator[Comparison]:
    if condition is None:
        return
    if isinstance(condition, Comparison):
        yield condition
    elif isinstance(condition, Not):
        yield from _conditions(condition.not_)
    else:
        for child in (condition.all if isinstance(condition, AllOf) else condition.any):
            yield from _conditions(child)


def check_rule(rule: Rule, meta: RuleSetVersion, regulation: Regulation) -> list[tuple[tuple, str]]:
    """Problems of one rule as (field path, message); empty when the rule is sound."""
    problems: list[tuple[tuple, str]] = []
    roots: dict[str, Any] = {}
    if isinstance(rule.scope, EachScope):
        try:
            roots["item"] = item_type(rule.scope.each)
        except FactPathError as error:
            problems.append((("scope", "each"), str(error)))
    allowed_roots = {"service"} if rule.scope == "service_type" else set()
    if "item" in roots:
        allowed_roots.add("item")

    def check_path(where: tuple, path: str) -> tuple[Any, list[tuple[tuple, str]]]:
        """What `path` reaches in the fact model, and the problems found on the way."""
        head = path.split(".")[0].removesuffix("[]")
        if head in ("service", "item") and head not in allowed_roots:
            return None, [(where, f"`{path}`: the root `{head}` only exists in a rule whose scope is "
                                  f"{'service_type' if head == 'service' else 'each: LIST'}")]
        try:
            return resolve_path(path, roots), []
        except FactPathError as error:
            return None, [(where, str(error))]

    if rule.period and rule.period.start:
        problems.extend(check_path(("period", "start"), rule.period.start)[1])
    for name, spec in rule.inputs.items():
        problems.extend(INPUT_KINDS[spec.kind].check(spec, LoadContext(("inputs", name), roots, check_path)))
    for label, condition in (("applies_if", rule.applies_if), ("comply_when", rule.comply_when),
                             ("pending_when", rule.pending_when)):
        for comparison in _conditions(condition):
            if comparison.input not in rule.inputs:
                problems.append(((label,), f"the condition uses input `{comparison.input}`, which `inputs` does not define"))
                continue
            deadline = rule.inputs[comparison.input].deadline
            # The deadline date shown and the limit judged must be one number, or a report
            # would print a date the judgement did not use.
            if deadline is not None and comparison.at_most is not None and comparison.at_most != deadline:
                problems.append(((label,), f"input `{comparison.input}` has deadline {deadline} but the condition holds it to at most {comparison.at_most:g}"))
    if rule.sanction is not None and rule.sanction not in meta.sanctions:
        problems.append((("sanction",), f"sanction `{rule.sanction}` is not listed in {RULESET_FILE} (known: {', '.join(meta.sanctions) or 'none'})"))
    for index, citation in enumerate(rule.also_covers):
        try:
            regulation.resolve(citation)
        except CitationError as error:
            problems.append((("also_covers", index), str(error)))
    try:
        regulation.resolve(rule.citation)
        if not regulation.quote_matches(rule.citation, rule.quote):
            problems.append((("quote",), f"the quote is not in the text of {rule.citation} of {regulation.id}"))
    except CitationError as error:
        problems.append((("citation",), str(error)))
    return problems


def _digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def rules_directory() -> Path:
    return data_directory("rules")


@lru_cache(maxsize=None)
def load_ruleset(regulation_id: str, version: str) -> RuleSet:
    return load_ruleset_folder(rules_directory() / regulation_id / version)


def load_ruleset_folder(folder: Path) -> RuleSet:
    """Load and cross-check one rule set version folder (uncached)."""
    meta_document = load_source(folder / RULESET_FILE, "rule set")
    try:
        meta = RuleSetVersion.model_validate(meta_document.data)
    except ValidationError as error:
        raise RuleLoadError(_validation_problems(meta_document, error, None)) from None
    regulation = load_regulation(meta.regulation)
    problems: list[InputError] = []
    for key, clause in meta.sanctions.items():
        try:
            regulation.resolve(clause.citation)
        except CitationError as error:
            problems.append(InputError(meta_document.file, str(error), meta_document.line_of(("sanctions", key, "citation")), f"sanctions.{key}.citation"))
    for index, entry in enumerate(meta.not_auditable):
        try:
            regulation.resolve(entry.citation)
        except CitationError as error:
            problems.append(InputError(meta_document.file, str(error), meta_document.line_of(("not_auditable", index)), f"not_auditable[{index}].citation"))
    rules: list[Rule] = []
    files: dict[str, Path] = {}
    rule_files = sorted(p for p in folder.glob("*.yaml") if p.name != RULESET_FILE)
    for file in rule_files:
        document = load_source(file, "rule")
        rule_id = document.data.get("id") if isinstance(document.data, dict) else None
        try:
            rule = Rule.model_validate(document.data)
        except ValidationError as error:
            problems.extend(_validation_problems(document, error, rule_id))
            continue
        if rule.id in files:
            problems.append(InputError(file, f"rule id {rule.id} is already used by {files[rule.id].name}", document.line_of(("id",)), "id"))
            continue
        for path, message in check_rule(rule, meta, regulation):
            problems.append(InputError(file, f"rule {rule.id}: {message}", document.line_of(path), format_path(path)))
        rules.append(rule)
        files[rule.id] = file
    if problems:
        raise RuleLoadError(problems)
    # Findings follow the regulation's own order (Pasal 4 before Pasal 15, Lampiran last).
    order = {anchor: position for position, anchor in enumerate(regulation.units)}
    rules.sort(key=lambda rule: (order[citation_to_anchor(rule.citation)], rule.id))
    return RuleSet(regulation=regulation, meta=meta, rules=tuple(rules), files=files,
                   sha256=_digest([folder / RULESET_FILE, *rule_files]))


def diff_rulesets(old: RuleSet, new: RuleSet) -> list[str]:
    """What an auditor needs to know changed between two versions: rules added or removed,
    and for each kept rule the fields whose content differs (compared as data, not as text)."""
    lines: list[str] = []
    old_meta = old.meta.model_dump(mode="json", exclude={"version"})
    new_meta = new.meta.model_dump(mode="json", exclude={"version"})
    for key in sorted(set(old_meta) | set(new_meta)):
        if old_meta.get(key) != new_meta.get(key):
            lines.append(f"~ ruleset.yaml: {key} changed")
    old_rules = {rule.id: rule for rule in old.rules}
    new_rules = {rule.id: rule for rule in new.rules}
    for rule_id in sorted(set(old_rules) - set(new_rules)):
        lines.append(f"- {rule_id} ({old_rules[rule_id].citation}) removed")
    for rule_id in sorted(set(new_rules) - set(old_rules)):
        lines.append(f"+ {rule_id} ({new_rules[rule_id].citation}) added")
    for rule_id in sorted(set(old_rules) & set(new_rules)):
        before = old_rules[rule_id].model_dump(mode="json", by_alias=True)
        after = new_rules[rule_id].model_dump(mode="json", by_alias=True)
        changed = [key for key in after if before.get(key) != after.get(key)]
        if changed:
            lines.append(f"~ {rule_id}: {', '.join(changed)} changed")
    return lines
