"""Rule files -> validated, cross-checked rule sets.

A rule set version is a folder `rules/<regulation>/<version>/` holding `ruleset.yaml`
(version, effective period, the regulation's sanction lists, obligations that cannot be
audited) and one YAML file per rule. Loading refuses, naming the file and the rule: YAML or
schema errors, a duplicate rule id, a fact path the fact model does not have, an input a
condition does not define, a sanction the rule set does not list, a citation that does not
resolve in regulations/, and a quote that is not in the cited text.

A later version states only what changed: its `ruleset.yaml` names the version it is
`based_on` and lists `changes` (a rule replaced, added or removed, a rule-set-wide field
amended), each with its reason and the regulation text that makes it; its folder holds only
the replacing and added rule files. The loader builds the full rule set from the chain of
versions and refuses, naming file, line and field: a missing base, a loop, a change without
reason or basis, a basis that does not resolve, a removed or replaced rule the base lacks, an
added rule it already has, a rule file no change names or named after another rule.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from ..load.data_paths import data_directory
from ..model.fact_paths import FactPathError, item_type, resolve_path
from ..inputs import INPUT_KINDS
from ..inputs.subject import LoadContext
from ..load import regulation_text
from ..load.regulation_text import CitationError, Regulation, citation_to_anchor, load_regulation
from .model import AMENDABLE_FIELDS, AllOf, Comparison, Condition, EachScope, Not, Rule, RuleSetVersion, VersionDelta
from ..problems import InputError, InputProblems
from ..load.source_yaml import SourceDocument, format_path, load_source
from ..cache import cached

RULESET_FILE = "ruleset.yaml"


class RuleLoadError(InputProblems):
    """All the problems found in one rule set version's files."""

    heading = "the rule files do not load:"


@dataclass(frozen=True, eq=False)
class RuleSet:
    """One version of the rules of one regulation, ready to compile (hashed by identity: loads are cached)."""

    regulation: Regulation
    meta: RuleSetVersion
    rules: tuple[Rule, ...]
    files: dict[str, Path]
    sha256: str  # of every file the set is built from: its own and those of the versions before it
    base: "RuleSet | None" = None  # the version this one is based on (None: stated in full)
    delta: VersionDelta | None = None  # what this version changes against `base`
    regulations: Path | None = None  # the folder of regulation texts it was checked against (None: regulations/)

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


def _nodes(condition: Condition | None) -> Iterator[Condition]:
    """Every node of a condition tree, the root first."""
    if condition is None:
        return
    yield condition
    if isinstance(condition, Not):
        yield from _nodes(condition.not_)
    elif not isinstance(condition, Comparison):
        for child in (condition.all if isinstance(condition, AllOf) else condition.any):
            yield from _nodes(child)


def _conditions(condition: Condition | None) -> Iterator[Comparison]:
    return (node for node in _nodes(condition) if isinstance(node, Comparison))


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
    for label, condition in (("comply_when", rule.comply_when), ("pending_when", rule.pending_when)):
        if any(node.otherwise is not None for node in _nodes(condition)):
            problems.append(((label,), "`otherwise` gives the reason a duty does not apply: it belongs to a branch of `applies_if`"))
    if rule.sanction is not None and rule.sanction not in meta.sanctions:
        problems.append((("sanction",), f"sanction `{rule.sanction}` is not listed in {RULESET_FILE} (known: {', '.join(meta.sanctions) or 'none'})"))
    if rule.compensation is not None and rule.compensation not in meta.compensations:
        problems.append((("compensation",), f"compensation `{rule.compensation}` is not listed in {RULESET_FILE} (known: {', '.join(meta.compensations) or 'none'})"))
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


def _digest(files: list[Path], base_sha256: str | None = None) -> str:
    digest = hashlib.sha256()
    if base_sha256 is not None:
        # A later version is built from its base too: the base's files change its content.
        digest.update(base_sha256.encode() + b"\0")
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def rules_directory() -> Path:
    return data_directory("rules")


@lru_cache(maxsize=None)
def load_ruleset(regulation_id: str, version: str) -> RuleSet:
    """A shipped rule set version, loaded and checked once per change of its files (cache.py)."""
    rules = rules_directory()
    # Everything a load reads: the rule files, the regulation texts citations resolve against,
    # and the vocabularies a `missing_from` input's `required` entries are checked against.
    read = (rules, regulation_text.REGULATIONS_DIR, data_directory("facts") / "vocabulary")
    return cached(f"ruleset-{regulation_id}-{version}", read, lambda: load_ruleset_folder(rules / regulation_id / version))


def load_ruleset_folder(folder: Path, regulations: Path | None = None) -> RuleSet:
    """Load and cross-check one rule set version folder (uncached), with the versions it is
    based on (sibling folders). `regulations`: the folder of regulation texts (default regulations/)."""
    return _load_version(Path(folder), regulations, ())


def _ruleset_field_problems(document: SourceDocument, regulation: Regulation, sanctions: dict, not_auditable: list,
                            compensations: dict) -> list[InputError]:
    problems = []
    for field, clauses in (("sanctions", sanctions), ("compensations", compensations)):
        for key, clause in clauses.items():
            try:
                regulation.resolve(clause.citation)
            except CitationError as error:
                problems.append(InputError(document.file, str(error), document.line_of((field, key, "citation")), f"{field}.{key}.citation"))
    for index, entry in enumerate(not_auditable):
        try:
            regulation.resolve(entry.citation)
        except CitationError as error:
            problems.append(InputError(document.file, str(error), document.line_of(("not_auditable", index)), f"not_auditable[{index}].citation"))
    return problems


def _load_rule_files(folder: Path, meta: RuleSetVersion, regulation: Regulation,
                     problems: list[InputError]) -> tuple[list[Rule], dict[str, Path], dict[str, SourceDocument]]:
    rules: list[Rule] = []
    files: dict[str, Path] = {}
    documents: dict[str, SourceDocument] = {}
    for file in sorted(p for p in folder.glob("*.yaml") if p.name != RULESET_FILE):
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
        documents[rule.id] = document
    return rules, files, documents


def _in_regulation_order(rules: list[Rule], regulation: Regulation) -> tuple[Rule, ...]:
    # Findings follow the regulation's own order (Pasal 4 before Pasal 15, Lampiran last).
    order = {anchor: position for position, anchor in enumerate(regulation.units)}
    return tuple(sorted(rules, key=lambda rule: (order[citation_to_anchor(rule.citation)], rule.id)))


def _load_version(folder: Path, regulations: Path | None, later: tuple[Path, ...]) -> RuleSet:
    """`later`: the folders of the versions being built on this one, to refuse a loop."""
    meta_document = load_source(folder / RULESET_FILE, "rule set")
    data = meta_document.data
    if isinstance(data, dict) and "based_on" in data:
        return _load_delta(folder, meta_document, regulations, later)
    if isinstance(data, dict) and isinstance(data.get("changes"), list):
        raise RuleLoadError([InputError(meta_document.file, "a list of changes needs `based_on`: the version whose rules they change",
                                        meta_document.line_of(("changes",)), "changes")])
    try:
        meta = RuleSetVersion.model_validate(data)
    except ValidationError as error:
        raise RuleLoadError(_validation_problems(meta_document, error, None)) from None
    if later and meta.version != folder.name:
        # `based_on` names a version by its folder; a file saying otherwise leaves it ambiguous.
        raise RuleLoadError([InputError(meta_document.file, f"version {meta.version!r} is in folder {folder.name}: a version is named by its folder",
                                        meta_document.line_of(("version",)), "version")])
    regulation = load_regulation(meta.regulation, regulations)
    problems = _ruleset_field_problems(meta_document, regulation, meta.sanctions, meta.not_auditable, meta.compensations)
    rules, files, _ = _load_rule_files(folder, meta, regulation, problems)
    if problems:
        raise RuleLoadError(problems)
    rule_files = sorted(p for p in folder.glob("*.yaml") if p.name != RULESET_FILE)
    return RuleSet(regulation=regulation, meta=meta, rules=_in_regulation_order(rules, regulation), files=files,
                   sha256=_digest([folder / RULESET_FILE, *rule_files]), regulations=regulations)


def _load_delta(folder: Path, document: SourceDocument, regulations: Path | None, later: tuple[Path, ...]) -> RuleSet:
    file = document.file

    def problem(message: str, *path) -> InputError:
        return InputError(file, message, document.line_of(path), format_path(path))

    try:
        delta = VersionDelta.model_validate(document.data)
    except ValidationError as error:
        raise RuleLoadError(_validation_problems(document, error, None)) from None
    if delta.version != folder.name:
        raise RuleLoadError([problem(f"version {delta.version!r} is in folder {folder.name}: a version is named by its folder", "version")])
    chain = later + (folder.resolve(),)
    base_folder = folder.parent / delta.based_on
    if base_folder.resolve() in chain:
        names = " -> ".join(path.name for path in chain)
        raise RuleLoadError([problem(f"based_on: {delta.based_on} closes a loop of versions (each based on the next: {names} -> {delta.based_on}); "
                                     "the first version states its rules in full", "based_on")])
    if not (base_folder / RULESET_FILE).is_file():
        known = sorted(p.name for p in folder.parent.iterdir() if (p / RULESET_FILE).is_file() and p != folder)
        raise RuleLoadError([problem(f"based_on: there is no version {delta.based_on!r} beside {folder.name} "
                                     f"(no {base_folder / RULESET_FILE}; versions there: {', '.join(known) or 'none'})", "based_on")])
    base = _load_version(base_folder, regulations, chain)
    problems: list[InputError] = []
    if delta.regulation != base.meta.regulation:
        problems.append(problem(f"regulation {delta.regulation!r}, but {base.version} is a rule set of {base.meta.regulation!r}", "regulation"))
    # The versions' periods must meet: a gap leaves audit dates without rules, an overlap gives two.
    # A base left open (no effective_until) ends the day before the next version starts
    # (rulesets/select.py), so adding a version never edits, and never re-hashes, the one before.
    day_before = delta.effective_from - timedelta(days=1)
    if delta.effective_from <= base.meta.effective_from:
        problems.append(problem(f"effective_from {delta.effective_from} is not after {base.version}'s ({base.meta.effective_from})", "effective_from"))
    elif base.meta.effective_until not in (None, day_before):
        problems.append(problem(f"{base.version} ends {base.meta.effective_until}, but {delta.version} starts {delta.effective_from}: "
                                f"{base.version}'s effective_until must be {day_before} or left out", "effective_from"))
    if delta.effective_until is not None and delta.effective_until < delta.effective_from:
        problems.append(problem(f"effective_until {delta.effective_until} is before effective_from {delta.effective_from}", "effective_until"))
    if problems:
        raise RuleLoadError(problems)
    regulation = base.regulation

    seen: dict[str, int] = {}
    for index, change in enumerate(delta.changes):
        at = ("changes", index)
        if change.target in seen:
            problems.append(problem(f"{change.target} is already changed by changes[{seen[change.target]}]: one change per rule", *at, change.kind))
        seen[change.target] = index
        try:
            basis_regulation = load_regulation(change.basis.regulation, regulations)
        except (FileNotFoundError, ValueError) as error:
            problems.append(problem(f"basis: {error}", *at, "basis", "regulation"))
        else:
            try:
                basis_regulation.resolve(change.basis.citation)
                if change.basis.quote is not None and not basis_regulation.quote_matches(change.basis.citation, change.basis.quote):
                    problems.append(problem(f"basis: the quote is not in the text of {change.basis.citation} of {basis_regulation.id}", *at, "basis", "quote"))
            except CitationError as error:
                problems.append(problem(f"basis: {error}", *at, "basis", "citation"))
    for field in AMENDABLE_FIELDS:
        stated = getattr(delta, field) is not None
        amended = any(change.amends == field for change in delta.changes)
        if stated and not amended:
            problems.append(problem(f"{field} is restated, but no change `amends: {field}` gives the reason", field))
        elif amended and not stated:
            index = next(i for i, change in enumerate(delta.changes) if change.amends == field)
            problems.append(problem(f"amends {field}, but this ruleset.yaml does not restate `{field}`", "changes", index, "amends"))

    base_meta = base.meta
    meta = RuleSetVersion(
        regulation=delta.regulation, version=delta.version, effective_from=delta.effective_from, effective_until=delta.effective_until,
        sanctions=base_meta.sanctions if delta.sanctions is None else delta.sanctions,
        compensations=base_meta.compensations if delta.compensations is None else delta.compensations,
        no_sanction_note=base_meta.no_sanction_note if delta.no_sanction_note is None else delta.no_sanction_note,
        not_auditable=base_meta.not_auditable if delta.not_auditable is None else delta.not_auditable)
    problems.extend(_ruleset_field_problems(document, regulation, delta.sanctions or {}, delta.not_auditable or [], delta.compensations or {}))

    base_rules = {rule.id: rule for rule in base.rules}
    new_rules, new_files, rule_documents = _load_rule_files(folder, meta, regulation, problems)
    named = {change.target: index for index, change in enumerate(delta.changes) if change.kind in ("replaces", "adds")}
    for rule in new_rules:
        rule_document = rule_documents[rule.id]
        if new_files[rule.id].stem != rule.id:
            problems.append(InputError(new_files[rule.id], f"the file holds rule {rule.id}; a version's rule file is named after its rule ({rule.id}.yaml)",
                                       rule_document.line_of(("id",)), "id"))
        if rule.id not in named:
            problems.append(InputError(new_files[rule.id], f"rule {rule.id} is in {folder.name}, but no change in {RULESET_FILE} replaces or adds it",
                                       rule_document.line_of(("id",)), "id"))
    new_by_id = {rule.id: rule for rule in new_rules}
    for index, change in enumerate(delta.changes):
        at = ("changes", index, change.kind)
        if change.kind in ("replaces", "removes") and change.target not in base_rules:
            problems.append(problem(f"{change.kind} {change.target}, which {base.version} does not have", *at))
        if change.kind == "adds" and change.target in base_rules:
            problems.append(problem(f"adds {change.target}, which {base.version} already has: a changed rule `replaces` it", *at))
        if change.kind in ("replaces", "adds"):
            replacement = new_by_id.get(change.target)
            if replacement is None:
                problems.append(problem(f"no rule file in {folder.name} holds rule {change.target} (expected {folder / (change.target + '.yaml')})", *at))
            elif change.kind == "replaces" and change.target in base_rules and replacement == base_rules[change.target]:
                problems.append(problem(f"replaces {change.target} with a rule identical to {base.version}'s", *at))
    replaced = {change.target for change in delta.changes if change.kind in ("replaces", "removes")}
    kept = [rule for rule in base.rules if rule.id not in replaced]
    for rule in kept:
        if rule.sanction is not None and rule.sanction not in meta.sanctions:
            problems.append(problem(f"rule {rule.id}, kept from {base.version}, points at sanction `{rule.sanction}`, which these sanctions "
                                    "no longer list: replace the rule too", "sanctions"))
        if rule.compensation is not None and rule.compensation not in meta.compensations:
            problems.append(problem(f"rule {rule.id}, kept from {base.version}, points at compensation `{rule.compensation}`, which these "
                                    "compensations no longer list: replace the rule too", "compensations"))
    if problems:
        raise RuleLoadError(problems)
    files = {rule.id: base.files[rule.id] for rule in kept} | new_files
    own_files = sorted(p for p in folder.glob("*.yaml") if p.name != RULESET_FILE)
    return RuleSet(regulation=regulation, meta=meta, rules=_in_regulation_order(kept + new_rules, regulation), files=files,
                   sha256=_digest([folder / RULESET_FILE, *own_files], base.sha256), base=base, delta=delta, regulations=regulations)


def _stated_changes(old: RuleSet, new: RuleSet) -> dict[str, list[tuple[str, Any]]] | None:
    """The changes the versions after `old` up to `new` state, by rule id or field; None when
    `old` is not a version `new` is built on (then no reason was ever written down)."""
    deltas = []
    ruleset: RuleSet | None = new
    while ruleset is not None and ruleset.sha256 != old.sha256:
        if ruleset.delta is not None:
            deltas.append((ruleset.version, ruleset.delta))
        ruleset = ruleset.base
    if ruleset is None:
        return None
    stated: dict[str, list[tuple[str, Any]]] = {}
    for version, delta in reversed(deltas):
        for change in delta.changes:
            stated.setdefault(change.target, []).append((version, change))
    return stated


def _reason_lines(stated: dict[str, list[tuple[str, Any]]] | None, target: str, regulations: Path | None = None) -> list[str]:
    lines = []
    for version, change in (stated or {}).get(target, []):
        basis = change.basis
        try:
            source = load_regulation(basis.regulation, regulations).describe()
        except (FileNotFoundError, ValueError):
            source = basis.regulation
        lines.append(f"    {version} {change.kind} {change.target}; basis: {basis.citation} of {source}")
        if basis.quote:
            lines.append(f'      "{" ".join(basis.quote.split())}"')
        lines.append(f"      alasan: {' '.join(change.reason.id.split())}")
        lines.append(f"      reason: {' '.join(change.reason.en.split())}")
    return lines


def diff_rulesets(old: RuleSet, new: RuleSet) -> list[str]:
    """What an auditor needs to know changed between two versions: rules added or removed,
    and for each kept rule the fields whose content differs (compared as data, not as text).
    Under each, when `new` is built on `old`, the reason and basis its version states."""
    stated = _stated_changes(old, new)
    lines: list[str] = []
    if stated is None:
        lines.append(f"! {new.version} is not built on {old.version}: the differences are computed, no reasons are stated")
    # A version's own name and notes differ by nature; its stated changes are shown per rule.
    old_meta = old.meta.model_dump(mode="json", exclude={"version", "changes"})
    new_meta = new.meta.model_dump(mode="json", exclude={"version", "changes"})
    for key in sorted(set(old_meta) | set(new_meta)):
        if old_meta.get(key) != new_meta.get(key):
            lines.append(f"~ ruleset.yaml: {key} changed")
            lines.extend(_reason_lines(stated, key, new.regulations))
    old_rules = {rule.id: rule for rule in old.rules}
    new_rules = {rule.id: rule for rule in new.rules}
    for rule_id in sorted(set(old_rules) - set(new_rules)):
        lines.append(f"- {rule_id} ({old_rules[rule_id].citation}) removed")
        lines.extend(_reason_lines(stated, rule_id, new.regulations))
    for rule_id in sorted(set(new_rules) - set(old_rules)):
        lines.append(f"+ {rule_id} ({new_rules[rule_id].citation}) added")
        lines.extend(_reason_lines(stated, rule_id, new.regulations))
    for rule_id in sorted(set(old_rules) & set(new_rules)):
        before = old_rules[rule_id].model_dump(mode="json", by_alias=True)
        after = new_rules[rule_id].model_dump(mode="json", by_alias=True)
        changed = [key for key in after if before.get(key) != after.get(key)]
        if changed:
            lines.append(f"~ {rule_id}: {', '.join(changed)} changed")
            lines.extend(_reason_lines(stated, rule_id, new.regulations))
    return lines
