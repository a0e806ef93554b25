"""Rule sets -> a comparison of regulations: the topic matrix, and the differences between two.

Analysts compare what the regions ask of their units. Everything shown here is read from the
rule files and their rule sets, never written by hand: the rows are the topics of
`rules/topics.yaml` (every rule's `topic:` falls in one row), each cell lists the rules of
one regulation in that row with their citation, their requirement (the rule's title), the
period or deadline read from the rule's metadata, and the sanction clause the rule names.
A row with no rule of a regulation says so: "not regulated" (as far as patuh encodes it;
`patuh rules coverage` lists the provisions that cannot be audited from facts).

Periods and deadlines come from the rule, not from its prose:
- `period: {every: year}` is "every year", `every_years: N` "every N years";
- a `comply_when` comparison `at_most: N` on a `working_days` input is "within N working
  days", on a `days_between` input "within N days";
- `working_days_without` compared `at_most: 0` is "every working day"; `months_without`
  is "every month";
- an `on_or_before` test against a literal date in an input `comply_when` uses is "by DATE".

How two regulations are compared (`patuh compare A B`), topic by topic (the rules' own
`topic:` values, finer than the matrix rows):
- only in A / only in B: one regulation has a rule on the topic and the other none;
- on a shared topic, each measurable dimension is compared and named:
  deadline: the shorter one in the same unit is stricter; N calendar days is stricter than
    M working days when N <= M (a calendar day span never holds more working days); any
    other mix of units is not comparable;
  deadline against none: the provision with a time limit is stricter;
  period: more frequent is stricter (every working day > every month > every year >
    every N years, the smaller N the stricter); a period against none is not comparable (a
    duty without a period may fall due once, or at every event);
  required entries (a `missing_from` list: components, facilities): a strict superset is
    stricter; lists that differ otherwise are not comparable;
  who is bound (`applies_to`): binding more kinds of unit (a superset) is stricter;
  sanction: measures listed > only a reference to other law > none; between two lists of
    measures a strict superset (by the measure's words) is stricter, otherwise not comparable.
  The topic is "stricter" when A is stricter on some dimension and looser on none, "looser"
  the other way round, "mixed" when each is stricter on something, "same" when every
  measurable dimension is equal, and "not comparable" when the only differences found are
  ones the list above cannot order. Wording differences are not judged: the citations are
  shown so that a reader can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Optional

from ..inputs import INPUT_KINDS
from ..load.data_paths import data_directory
from ..load.regulation_text import citation_to_anchor, short_title
from ..rulesets.model import AllOf, Comparison, Condition, Not, Rule
from ..rulesets.load import RuleSet
from ..rulesets.select import NotInForce, available_versions, list_rule_regulations, select_ruleset
from ..law.sanctions import party_label
from ..load.vocabulary import load_vocabulary
from ..load.wording import any_code_word
from ..problems import CannotRun, InputError
from ..load.source_yaml import load_source
from ..render.labels import group

COMPARE_SCHEMA_ID = "patuh-compare/1"
DIFFERENCE_SCHEMA_ID = "patuh-compare-difference/1"
TOPICS_FILE = "topics.yaml"


@dataclass(frozen=True)
class TopicRow:
    id: str
    group: str
    group_label: dict[str, str]
    label: dict[str, str]
    topics: tuple[str, ...]
    sanctions: bool = False


@lru_cache(maxsize=None)
def load_topics(file: Path | None = None) -> tuple[TopicRow, ...]:
    """The rows of the matrix, in order; refused (naming the file and row) when malformed."""
    file = file or data_directory("rules") / TOPICS_FILE
    document = load_source(file, "topic table")
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict) or not isinstance(data.get("rows"), list):
        raise InputError(file, "expected `groups:` (a mapping) and `rows:` (a list)")
    groups = data["groups"]
    rows: list[TopicRow] = []
    seen_topics: dict[str, str] = {}
    for index, row in enumerate(data["rows"]):
        where = ("rows", index)
        if not isinstance(row, dict) or not {"id", "group", "label", "topics"} <= set(row):
            raise InputError(file, "a row needs id, group, label and topics", document.line_of(where), f"rows[{index}]")
        labels = [row["label"], groups.get(row["group"])]
        if not all(isinstance(label, dict) and isinstance(label.get("id"), str) and isinstance(label.get("en"), str) for label in labels):
            raise InputError(file, "a row's label and its group's label need `id` and `en` texts", document.line_of(where), f"rows[{index}]")
        if row["group"] not in groups:
            raise InputError(file, f"group {row['group']!r} is not listed under `groups`", document.line_of(where + ("group",)), f"rows[{index}].group")
        for topic in row["topics"]:
            if topic in seen_topics:
                raise InputError(file, f"topic {topic!r} is already in row {seen_topics[topic]!r}; a topic belongs to one row",
                                 document.line_of(where + ("topics",)), f"rows[{index}].topics")
            seen_topics[topic] = row["id"]
        rows.append(TopicRow(id=row["id"], group=row["group"], group_label=dict(groups[row["group"]]), label=dict(row["label"]),
                             topics=tuple(row["topics"]), sanctions=bool(row.get("sanctions", False))))
    return tuple(rows)


def row_of_topic(rows: tuple[TopicRow, ...]) -> dict[str, TopicRow]:
    return {topic: row for row in rows for topic in row.topics}


# --- What one rule asks, read from its metadata -----------------------------------------------

WORDS: dict[str, dict[str, str]] = group("compare")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PERIOD_RANK = {"working_day": 0, "month": 1, "year": 2}  # smaller is more frequent; every_years N ranks 1 + N
# (every_years 1, a year counted from a document's date, is as frequent as every calendar year)


def _comparisons(condition: Optional[Condition]) -> Iterator[Comparison]:
    if condition is None:
        return
    if isinstance(condition, Comparison):
        yield condition
    elif isinstance(condition, Not):
        # Under a negation an at_most is really an at_least: not a deadline the rule sets.
        return
    else:
        for child in (condition.all if isinstance(condition, AllOf) else condition.any):
            yield from _comparisons(child)


@dataclass(frozen=True)
class Timing:
    """A rule's period or deadline, as a comparable value and as words."""

    kind: str  # "deadline_working_days", "deadline_days", "deadline_months", "by_date", "period"
    amount: Any  # days, an ISO date, or a period rank
    words: dict[str, str]


# What an input kind says of its rule's timing (engine/inputs/subject.py `InputKind.timings`), in words.
INPUT_TIMING_WORDS = {"deadline_working_days": "within_working_days", "deadline_days": "within_days",
                      "deadline_months": "within_months", "by_date": "by_date"}
INPUT_PERIOD_WORDS = {"working_day": "every_working_day", "month": "every_month"}


def _input_timing(kind: str, amount: Any) -> Timing:
    if kind == "period":
        return Timing("period", PERIOD_RANK[amount], {lang: WORDS[lang][INPUT_PERIOD_WORDS[amount]] for lang in WORDS})
    return Timing(kind, amount, {lang: WORDS[lang][INPUT_TIMING_WORDS[kind]].format(n=amount, date=amount) for lang in WORDS})


def rule_timings(rule: Rule) -> list[Timing]:
    timings: list[Timing] = []
    if rule.period is not None:
        if rule.period.every == "year":
            timings.append(Timing("period", PERIOD_RANK["year"], {lang: WORDS[lang]["every_year"] for lang in WORDS}))
        elif rule.period.every_years:
            n = rule.period.every_years
            timings.append(Timing("period", PERIOD_RANK["year"] + n - 1,
                                  {lang: (WORDS[lang]["every_year"] if n == 1 else WORDS[lang]["every_years"].format(n=n)) for lang in WORDS}))
    for comparison in _comparisons(rule.comply_when):
        spec = rule.inputs.get(comparison.input)
        if spec is None:
            continue
        for kind, amount in INPUT_KINDS[spec.kind].timings(spec, comparison.at_most):
            timings.append(_input_timing(kind, amount))
    unique: dict[tuple, Timing] = {}
    for timing in timings:
        unique.setdefault((timing.kind, timing.amount), timing)
    return list(unique.values())


def required_entries(rule: Rule) -> frozenset[str]:
    """What a rule requires to be present (its `missing_from` lists: components, facilities)."""
    return frozenset(entry for spec in rule.inputs.values() for entry in INPUT_KINDS[spec.kind].required_entries(spec))


SANCTION_STRENGTH = {"none": 0, "reference": 1, "measures": 2}


def sanction_view(rule: Rule, ruleset: RuleSet, language: str) -> dict[str, Any]:
    """The sanction clause a rule names, in short: its citation, party, combination and measures."""
    words = WORDS[language]
    if rule.sanction is None:
        return {"key": None, "strength": "none", "citation": None, "text": words["no_sanction"], "measures": []}
    clause = ruleset.meta.sanctions[rule.sanction]
    if clause.kind == "rujukan_peraturan_lain":
        return {"key": rule.sanction, "strength": "reference", "citation": clause.citation,
                "text": f"{clause.citation}: {words['reference']}", "measures": []}
    measures = [measure.text_en if language == "en" else measure.text for measure in clause.measures]
    party = party_label(clause.party, language)
    combination = f" ({clause.combination})" if clause.combination != "tidak_disebut" else ""
    return {"key": rule.sanction, "strength": "measures", "citation": clause.citation,
            "text": f"{clause.citation} {words['to']} {party}{combination}: " + "; ".join(measures),
            "measures": [measure.text for measure in clause.measures]}


def provision(rule: Rule, ruleset: RuleSet, language: str) -> dict[str, Any]:
    """One rule as a matrix entry."""
    return {
        "rule_id": rule.id,
        "topic": rule.topic,
        "citation": rule.citation,
        "anchor": citation_to_anchor(rule.citation),
        "requirement": rule.title.get(language),
        "timing": [timing.words[language] for timing in rule_timings(rule)],
        "applies_to": [kind.value for kind in rule.applies_to],
        "sanction": sanction_view(rule, ruleset, language),
    }


# --- Which rule sets ------------------------------------------------------------------------

def resolve_rulesets(names: list[str], as_of: Optional[date]) -> tuple[list[RuleSet], list[str]]:
    """The rule sets to compare (default: every encoded regulation) and any name warnings.

    Without `as_of`, each regulation's newest rule-set version; with it, the version in force then.
    """
    warnings: list[str] = []
    rulesets: list[RuleSet] = []
    for name in names or list_rule_regulations():
        ruleset, name_warnings = select_ruleset(name, as_of=as_of)
        warnings.extend(name_warnings)
        if any(chosen.regulation.id == ruleset.regulation.id for chosen in rulesets):
            raise NotInForce(f"{ruleset.regulation.id} is named twice; name each regulation once")
        rulesets.append(ruleset)
    return rulesets, warnings


def regulation_header(ruleset: RuleSet) -> dict[str, Any]:
    metadata = ruleset.regulation.metadata
    region = str(metadata.get("region") or "")
    return {
        "id": ruleset.regulation.id, "short_name": short_title(metadata), "region": region or None, "title": metadata.get("title"),
        "version": ruleset.version, "effective_from": ruleset.meta.effective_from.isoformat(), "rules": len(ruleset.rules),
    }


def _sanction_clauses(ruleset: RuleSet, language: str) -> list[dict[str, Any]]:
    words = WORDS[language]
    clauses = []
    for key, clause in ruleset.meta.sanctions.items():
        if clause.kind == "rujukan_peraturan_lain":
            text = words["reference"]
            measures: list[str] = []
        else:
            measures = [measure.text_en if language == "en" else measure.text for measure in clause.measures]
            text = "; ".join(measures)
        note = clause.note.get(language) if clause.note else None
        clauses.append({"key": key, "citation": clause.citation, "party": party_label(clause.party, language),
                        "kind": clause.kind, "combination": clause.combination, "text": text, "measures": measures,
                        "applies_to_violations_of": list(clause.applies_to_violations_of), "note": note})
    # Compensation is the service user's due, not a sanction; the row is "sanctions and
    # compensation", so it stands here, under its own party words.
    for key, compensation in ruleset.meta.compensations.items():
        measures = [measure.text_en if language == "en" else measure.text for measure in compensation.measures]
        clauses.append({"key": key, "citation": compensation.citation, "party": words["compensation_to"],
                        "kind": "kompensasi", "combination": compensation.combination, "text": "; ".join(measures),
                        "measures": measures, "applies_to_violations_of": list(compensation.applies_to_violations_of),
                        "note": compensation.note.get(language) if compensation.note else None})
    return clauses


# --- The matrix -------------------------------------------------------------------------------

class TopicMissing(CannotRun):
    """A rule whose topic no row of the topic table holds: the matrix would silently drop it."""


def build_matrix(rulesets: list[RuleSet], language: str = "id", rows: tuple[TopicRow, ...] | None = None) -> dict[str, Any]:
    rows = rows or load_topics()
    by_topic = row_of_topic(rows)
    unplaced = [f"{rule.id} ({rule.topic})" for ruleset in rulesets for rule in ruleset.rules if rule.topic not in by_topic]
    if unplaced:
        raise TopicMissing("rules whose topic is in no row of rules/topics.yaml: " + ", ".join(unplaced))
    words = WORDS[language]
    matrix_rows = []
    for row in rows:
        cells = []
        for ruleset in rulesets:
            if row.sanctions:
                clauses = _sanction_clauses(ruleset, language)
                cells.append({"regulation": ruleset.regulation.id, "regulated": bool(clauses), "provisions": [],
                              "sanction_clauses": clauses,
                              "not_regulated": None if clauses else ruleset.meta.no_sanction_note.get(language)})
                continue
            provisions = [provision(rule, ruleset, language) for rule in ruleset.rules if by_topic[rule.topic] is row]
            cells.append({"regulation": ruleset.regulation.id, "regulated": bool(provisions), "provisions": provisions,
                          "sanction_clauses": [], "not_regulated": None if provisions else words["not_regulated"]})
        matrix_rows.append({"id": row.id, "group": row.group, "group_label": row.group_label[language],
                            "label": row.label[language], "cells": cells})
    return {
        "schema": COMPARE_SCHEMA_ID,
        "language": language,
        "regulations": [regulation_header(ruleset) for ruleset in rulesets],
        "rows": matrix_rows,
    }


# --- Two regulations: what differs ----------------------------------------------------------------

DIMENSION_WORDS: dict[str, dict[str, str]] = group("compare_dimensions")


def _deadline(rules: list[Rule]) -> Optional[tuple[str, int]]:
    """The tightest deadline among the rules: ("working_days"|"days"|"months", N)."""
    found = [(timing.kind.removeprefix("deadline_"), timing.amount) for rule in rules for timing in rule_timings(rule)
             if timing.kind.startswith("deadline_")]
    if not found:
        return None
    return min(found, key=lambda entry: entry[1])


def _period(rules: list[Rule]) -> Optional[int]:
    ranks = [timing.amount for rule in rules for timing in rule_timings(rule) if timing.kind == "period"]
    return min(ranks) if ranks else None


def _sanction_level(rules: list[Rule], ruleset: RuleSet) -> tuple[int, frozenset[str]]:
    strength, measures = 0, set()
    for rule in rules:
        view = sanction_view(rule, ruleset, "id")
        strength = max(strength, SANCTION_STRENGTH[view["strength"]])
        measures.update(view["measures"])
    return strength, frozenset(measures)


def _compare_sets(a: frozenset, b: frozenset) -> Optional[str]:
    if a == b:
        return "same"
    if a > b:
        return "stricter"
    if a < b:
        return "looser"
    return "not_comparable"


def compare_topic(rules_a: list[Rule], ruleset_a: RuleSet, rules_b: list[Rule], ruleset_b: RuleSet) -> list[dict[str, Any]]:
    """Each measurable dimension of one shared topic: A against B (see the module's documentation)."""
    outcomes = []
    deadline_a, deadline_b = _deadline(rules_a), _deadline(rules_b)
    if deadline_a or deadline_b:
        if deadline_a and deadline_b:
            (unit_a, days_a), (unit_b, days_b) = deadline_a, deadline_b
            if unit_a == unit_b:
                verdict = "same" if days_a == days_b else ("stricter" if days_a < days_b else "looser")
            elif "months" in (unit_a, unit_b):
                verdict = "not_comparable"  # months run from an event, days from another: no common measure
            elif unit_a == "days" and days_a <= days_b:
                verdict = "stricter"
            elif unit_b == "days" and days_b <= days_a:
                verdict = "looser"
            else:
                verdict = "not_comparable"
        else:
            verdict = "stricter" if deadline_a else "looser"
        outcomes.append({"dimension": "deadline", "verdict": verdict, "a": deadline_a, "b": deadline_b})
    period_a, period_b = _period(rules_a), _period(rules_b)
    if period_a is not None or period_b is not None:
        if period_a is not None and period_b is not None:
            verdict = "same" if period_a == period_b else ("stricter" if period_a < period_b else "looser")
        else:
            # A duty with no period may be due once, or at every event (each survey): not ordered.
            verdict = "not_comparable"
        outcomes.append({"dimension": "period", "verdict": verdict, "a": period_a, "b": period_b})
    required_a = frozenset().union(*(required_entries(rule) for rule in rules_a))
    required_b = frozenset().union(*(required_entries(rule) for rule in rules_b))
    if required_a or required_b:
        outcomes.append({"dimension": "required", "verdict": _compare_sets(required_a, required_b),
                         "a": sorted(required_a), "b": sorted(required_b)})
    bound_a = frozenset(kind.value for rule in rules_a for kind in rule.applies_to)
    bound_b = frozenset(kind.value for rule in rules_b for kind in rule.applies_to)
    outcomes.append({"dimension": "applies_to", "verdict": _compare_sets(bound_a, bound_b), "a": sorted(bound_a), "b": sorted(bound_b)})
    (strength_a, measures_a), (strength_b, measures_b) = _sanction_level(rules_a, ruleset_a), _sanction_level(rules_b, ruleset_b)
    if strength_a != strength_b:
        verdict = "stricter" if strength_a > strength_b else "looser"
    elif strength_a == SANCTION_STRENGTH["measures"]:
        verdict = _compare_sets(measures_a, measures_b)
    else:
        verdict = "same"
    outcomes.append({"dimension": "sanction", "verdict": verdict, "a": sorted(measures_a) or strength_a, "b": sorted(measures_b) or strength_b})
    return outcomes


def topic_verdict(outcomes: list[dict[str, Any]]) -> str:
    verdicts = {outcome["verdict"] for outcome in outcomes}
    if "stricter" in verdicts and "looser" in verdicts:
        return "mixed"
    if "stricter" in verdicts:
        return "stricter"
    if "looser" in verdicts:
        return "looser"
    if "not_comparable" in verdicts:
        return "not_comparable"
    return "same"


VERDICT_ORDER = ("stricter", "looser", "mixed", "only_in_a", "only_in_b", "not_comparable", "same")


def build_difference(ruleset_a: RuleSet, ruleset_b: RuleSet, language: str = "id", rows: tuple[TopicRow, ...] | None = None) -> dict[str, Any]:
    rows = rows or load_topics()
    by_topic = row_of_topic(rows)
    build_matrix([ruleset_a, ruleset_b], language, rows)  # refuses rules with no row, like the matrix
    topics = [topic for row in rows for topic in row.topics]
    entries = []
    for topic in topics:
        rules_a = [rule for rule in ruleset_a.rules if rule.topic == topic]
        rules_b = [rule for rule in ruleset_b.rules if rule.topic == topic]
        if not rules_a and not rules_b:
            continue
        if rules_a and rules_b:
            outcomes = compare_topic(rules_a, ruleset_a, rules_b, ruleset_b)
            verdict = topic_verdict(outcomes)
        else:
            outcomes = []
            verdict = "only_in_a" if rules_a else "only_in_b"
        row = by_topic[topic]
        entries.append({
            "topic": topic, "row": row.id, "row_label": f"{row.group_label[language]}: {row.label[language]}",
            "verdict": verdict,
            "dimensions": [{**outcome, "label": DIMENSION_WORDS[language][outcome["dimension"]],
                            "a_words": _dimension_words(outcome["dimension"], outcome["a"], language),
                            "b_words": _dimension_words(outcome["dimension"], outcome["b"], language)}
                           for outcome in outcomes],
            "a": [provision(rule, ruleset_a, language) for rule in rules_a],
            "b": [provision(rule, ruleset_b, language) for rule in rules_b],
        })
    entries.sort(key=lambda entry: VERDICT_ORDER.index(entry["verdict"]))
    counts = {verdict: sum(1 for entry in entries if entry["verdict"] == verdict) for verdict in VERDICT_ORDER}
    return {"schema": DIFFERENCE_SCHEMA_ID, "language": language, "a": regulation_header(ruleset_a),
            "b": regulation_header(ruleset_b), "counts": counts, "topics": entries}


def _dimension_words(dimension: str, value: Any, language: str) -> str:
    words = WORDS[language]
    if value is None or value == []:
        return "—"
    if dimension == "deadline":
        unit, days = value
        return words[{"working_days": "within_working_days", "months": "within_months"}.get(unit, "within_days")].format(n=days)
    if dimension == "period":
        if value == PERIOD_RANK["working_day"]:
            return words["every_working_day"]
        if value == PERIOD_RANK["month"]:
            return words["every_month"]
        if value == PERIOD_RANK["year"]:
            return words["every_year"]
        return words["every_years"].format(n=value - PERIOD_RANK["year"] + 1)
    if dimension == "sanction" and isinstance(value, int):
        return words["reference"] if value == SANCTION_STRENGTH["reference"] else words["no_sanction"]
    return ", ".join(_entry_words(str(item), language) for item in value)


def _entry_words(entry: str, language: str) -> str:
    """A required entry or a kind of unit in words: the facilities vocabulary's, else its code list's."""
    facilities = load_vocabulary("facilities")
    return facilities.label(entry, language) if entry in facilities.labels else any_code_word(entry, language)


def every_ruleset_version() -> list[RuleSet]:
    return [select_ruleset(regulation_id, version=version)[0]
            for regulation_id in list_rule_regulations() for version in available_versions(regulation_id)]


__all__ = ["build_matrix", "build_difference", "load_topics", "resolve_rulesets", "TopicMissing", "NotInForce"]
