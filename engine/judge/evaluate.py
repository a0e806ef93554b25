"""One audit: facts + a rule set + an as-of date -> findings.

For each rule: decide whom it binds (organisation type), cut it into subjects (the unit,
each service type, each listed item; each due period), run the rule's queries on every
subject, let a judge (durable-rules, or the plain-Python oracle) decide the outcome, and
fold the subjects back into one finding. Each audit is evaluated in isolation: nothing of
one audit is visible to the next.

Time, as the first step of issue 4 will extend it:
- the as-of date is the end of that day: a duty due on 31 December is due when auditing
  "as of 31 December";
- a yearly duty is judged per calendar year, from the first whole calendar year the
  regulation was in force (a regulation in force from 30 October 2023 binds yearly duties
  from 2024); the year containing the as-of date is pending until its last day unless
  already met;
- an `every_years: N` duty runs in windows of N years from the date fact it names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable, Literal, Optional

from .compile import CompiledRule, compile_condition, compile_rule, judge_with_oracle, matches, subject_fact
from .durable_backend import DurableJudge
from ..model.facts import Facts
from ..model.findings import (STATUS_ORDER, Evidence, Finding, Reason, RuleTexts, SubjectResult, TallyEntry,
                              overall_status)
from ..inputs import evaluate_input
from ..inputs.subject import InputResult, Subject, walk
from ..load.regulation_text import citation_to_anchor
from ..rulesets.model import AllOf, Comparison, Condition, EachScope, Not, Rule
from ..rulesets.load import RuleSet
from ..dates.periods import add_years
from ..load.vocabulary import load_vocabulary

JudgeName = Literal["durable", "oracle"]


@dataclass(frozen=True)
class CompiledRuleSet:
    ruleset: RuleSet
    rules: tuple[CompiledRule, ...]


@lru_cache(maxsize=None)
def compile_ruleset(ruleset: RuleSet) -> CompiledRuleSet:
    return CompiledRuleSet(ruleset=ruleset, rules=tuple(compile_rule(rule) for rule in ruleset.rules))


@lru_cache(maxsize=None)
def durable_judge(ruleset: RuleSet) -> DurableJudge:
    compiled = compile_ruleset(ruleset)
    return DurableJudge(f"patuh_{ruleset.regulation.id}_{ruleset.version}", compiled.rules)


def regulation_in_force(ruleset: RuleSet) -> date:
    """When the regulation took effect (not this rule-set version): duties run from then."""
    berlaku = ruleset.regulation.metadata.get("dates", {}).get("berlaku")
    if isinstance(berlaku, date):
        return berlaku
    return date.fromisoformat(str(berlaku)) if berlaku else ruleset.meta.effective_from


def _vocabulary_lookup(name: str, word: Any) -> Optional[str]:
    return load_vocabulary(name).resolve(word) if isinstance(word, str) else None


def _rule_text(text) -> Reason:
    return Reason(code="rule_text", texts=text.model_dump())


def _base_subjects(rule: Rule, facts: dict[str, Any], as_of: str, in_force: str) -> tuple[list[Subject], Optional[SubjectResult]]:
    """The unit, each service type, or each item; or a ready result when there are none."""
    organisation = facts["organisation"]
    if rule.scope == "organisation":
        return [Subject(key="organisation", label=organisation["name"], facts=facts, as_of=as_of, in_force=in_force)], None
    if rule.scope == "service_type":
        services = facts.get("service_types")
        if services is None or not services:
            note = None if services is None else Reason(code="no_service_types")
            return [], SubjectResult(key="service_types", label="", path="service_types", status="unknown",
                                     evidence=[], missing_facts=["service_types"], reason_code=note)
        return [Subject(key=service["id"], label=service["name"], facts=facts, as_of=as_of, in_force=in_force,
                        service=service, service_path=f"service_types[{index}]")
                for index, service in enumerate(services)], None
    assert isinstance(rule.scope, EachScope)
    probe = Subject(key="", label="", facts=facts, as_of=as_of, in_force=in_force)
    reached, missing = walk(probe, rule.scope.each)
    if missing:
        return [], SubjectResult(key=rule.scope.each, label="", path=rule.scope.each, status="unknown",
                                 evidence=[], missing_facts=missing)
    subjects = []
    for list_path, items in reached:
        for index, item in enumerate(items):
            label_value = item.get(rule.scope.label_field) if rule.scope.label_field else None
            path = f"{list_path}[{index}]"
            # The entry's own words name it; its path stays in the subject's `path` (evidence trail).
            label = str(label_value) if label_value not in (None, "") else ""
            subjects.append(Subject(key=path, label=label, label_path=f"{path}.{rule.scope.label_field}" if label else None, facts=facts, as_of=as_of, in_force=in_force, item=item, item_path=path))
    if not subjects:
        reason = _rule_text(rule.scope.when_none) if rule.scope.when_none else Reason(
            code="no_entries", values={"list": rule.scope.each})
        return [], SubjectResult(key=rule.scope.each, label="", path=rule.scope.each, status="not_applicable",
                                 evidence=[], reason_code=reason)
    return subjects, None


def _with_periods(rule: Rule, subject: Subject, in_force: date, as_of: date) -> list[Subject] | SubjectResult:
    period = rule.period
    if period is None:
        return [subject]
    windows: list[tuple[date, date]] = []
    if period.every == "year":
        first_year = in_force.year if (in_force.month, in_force.day) == (1, 1) else in_force.year + 1
        for year in range(first_year, max(first_year, as_of.year) + 1):
            windows.append((date(year, 1, 1), date(year, 12, 31)))
    else:
        reached, missing = walk(subject, period.start)
        if missing:
            return SubjectResult(key=subject.key, label=subject.label, status="unknown", evidence=[],
                                 missing_facts=missing)
        if not reached:  # the document the period runs from is recorded as not there
            return SubjectResult(key=subject.key, label=subject.label, status="not_applicable", evidence=[],
                                 reason_code=Reason(code="period_cannot_start", values={"start": period.start}))
        start = date.fromisoformat(reached[0][1])
        step = period.every_years
        k = 0
        while True:
            # Windows do not overlap: after the first, each starts the day after the last ended,
            # so an event on an anniversary counts for the window it closes, not for two.
            window_start = add_years(start, k * step) + (timedelta(days=1) if k else timedelta(0))
            window_end = add_years(start, (k + 1) * step)
            if window_end >= in_force:  # a window over before the regulation took effect is not judged
                windows.append((window_start, window_end))
            if window_end >= as_of:
                break
            k += 1
    result = []
    for window_start, window_end in windows:
        # The label stays the subject's: a report words the period from period_start/period_end.
        result.append(replace(
            subject, key=f"{subject.key}/{window_start.isoformat()}",
            period_start=window_start.isoformat(), period_end=window_end.isoformat(), period_ended=window_end <= as_of))
    return result


def _undecided(condition: Condition, fact: dict[str, Any]) -> bool:
    return not matches(compile_condition(condition, True), fact) and not matches(compile_condition(condition, False), fact)


def _blocking_inputs(condition: Optional[Condition], fact: dict[str, Any]) -> list[str]:
    """The inputs whose missing facts keep `condition` undecided.

    Only undecided branches count: a branch already false inside `all`, or already true
    inside `any`, decides nothing, so its missing facts are not asked for.
    """
    if condition is None or not _undecided(condition, fact):
        return []
    if isinstance(condition, Comparison):
        return [condition.input]
    if isinstance(condition, Not):
        return _blocking_inputs(condition.not_, fact)
    children = condition.all if isinstance(condition, AllOf) else condition.any
    return [name for child in children for name in _blocking_inputs(child, fact)]


def _not_applicable_reason(rule: Rule, fact: dict[str, Any]) -> Optional[Reason]:
    """The reason of the first branch of `applies_if` that surely fails, where the rule gives
    one (`otherwise`); else the rule's reason for all of them."""
    condition = rule.applies_if
    branches = condition.all if isinstance(condition, AllOf) else [condition]
    for branch in branches:
        if branch.otherwise is not None and matches(compile_condition(branch, False), fact):
            return _rule_text(branch.otherwise)
    return _rule_text(rule.not_applicable_reason) if rule.not_applicable_reason else None


def _inputs_of(condition: Optional[Condition]) -> list[str]:
    if condition is None:
        return []
    if isinstance(condition, Comparison):
        return [condition.input]
    if isinstance(condition, Not):
        return _inputs_of(condition.not_)
    return [name for child in (condition.all if isinstance(condition, AllOf) else condition.any) for name in _inputs_of(child)]


def _evidence(compiled: CompiledRule, results: dict[str, InputResult]) -> list[Evidence]:
    evidence = []
    for (name, spec, kind), result in zip(compiled.inputs, results.values()):
        details = dict(result.details)
        vocabulary, codes = None, {}
        if spec.vocabulary and "lacking" in details:
            # The vocabulary's codes; their words are the report language's (audit/record.py).
            vocabulary, codes = spec.vocabulary, {key: list(entries) for key, entries in details.items()}
        evidence.append(Evidence(input=name, kind=kind, low=result.low, high=result.high,
                                 value=result.value, items=result.items, details=details,
                                 missing_facts=sorted(set(result.missing_paths)), vocabulary=vocabulary,
                                 detail_codes=codes))
    return evidence


def _judge_subject(compiled: CompiledRule, subject: Subject, judge: Callable[[CompiledRule, dict], set[str]]) -> SubjectResult:
    rule = compiled.rule
    results = {name: evaluate_input(name, spec, subject, _vocabulary_lookup, kind) for name, spec, kind in compiled.inputs}
    fact = subject_fact(rule.id, subject.key, results)
    outcomes = judge(compiled, fact)
    reason = None
    missing: list[str] = []
    if "not_applicable" in outcomes:
        status = "not_applicable"
        reason = _not_applicable_reason(rule, fact)
    elif "comply" in outcomes:
        status = "comply"
    elif "pending" in outcomes:  # not yet due: a deadline still running outranks "not met yet"
        status = "pending"
    elif "violation" in outcomes:
        status = "violation"
    else:
        status = "unknown"
        # Name only the facts that block the decision: applicability first, if it is open.
        applicability_open = rule.applies_if is not None and not matches(compile_condition(rule.applies_if, True), fact)
        comply_open = _undecided(rule.comply_when, fact)
        deciding = rule.applies_if if applicability_open else (rule.comply_when if comply_open else rule.pending_when)
        names = _blocking_inputs(deciding, fact)
        missing = sorted({path for name in names for path in results[name].missing_paths})
        absent = sorted({path for name in names for path in results[name].details.get("recorded_absent", [])})
        if not missing and absent:
            # Nothing more to ask for: say what the rule could not count from, rather than stay silent.
            reason = Reason(code="recorded_absent", values={"paths": ", ".join(absent)})
    due = None
    if not subject.period_ended and status in ("violation", "unknown"):
        status, due, missing = "pending", subject.period_end, []
    elif status == "pending":
        # Not yet due by `pending_when`: due when the last of its deadlines still running ends
        # (deadlines already past are those of branches that do not hold).
        due = max((deadline for name in _inputs_of(rule.pending_when)
                   if (deadline := results[name].details.get("deadline")) and deadline >= subject.as_of), default=None)
    return SubjectResult(key=subject.key, label=subject.label, path=subject.item_path or subject.service_path,
                         label_path=subject.label_path,
                         status=status, period_start=subject.period_start,
                         period_end=subject.period_end, due=due, evidence=_evidence(compiled, results),
                         missing_facts=missing, reason_code=reason)


def _tally(rule: Rule, subjects: list[SubjectResult]) -> list[TallyEntry]:
    """How many entries of the list stand in each status."""
    entries = [subject for subject in subjects if subject.key != rule.scope.each]  # not the "no entries" result
    return [TallyEntry(status=status, count=count)
            for status in STATUS_ORDER if (count := sum(1 for s in entries if s.status == status))]


def evaluate_rule(compiled: CompiledRule, facts: Facts, dumped: dict[str, Any], ruleset: RuleSet, as_of: date,
                  judge: Callable[[CompiledRule, dict], set[str]]) -> Finding:
    rule = compiled.rule
    organisation_type = facts.organisation.type.value
    subject_results: list[SubjectResult] = []
    if organisation_type not in [t.value for t in rule.applies_to]:
        bound = ", ".join(t.value for t in rule.applies_to)
        subject_results.append(SubjectResult(
            key="organisation", label=facts.organisation.name, status="not_applicable", evidence=[],
            reason_code=Reason(code="binds_only", values={"bound": bound, "type": organisation_type})))
    else:
        in_force = regulation_in_force(ruleset)
        subjects, ready = _base_subjects(rule, dumped, as_of.isoformat(), in_force.isoformat())
        if ready is not None:
            subject_results.append(ready)
        for subject in subjects:
            expanded = _with_periods(rule, subject, in_force, as_of)
            if isinstance(expanded, SubjectResult):
                subject_results.append(expanded)
                continue
            for period_subject in expanded:
                subject_results.append(_judge_subject(compiled, period_subject, judge))
    status = overall_status([s.status for s in subject_results])
    missing = sorted({path for s in subject_results if s.status == "unknown" for path in s.missing_facts})
    dues = sorted({s.due for s in subject_results if s.due and s.status == "pending"})
    evidence = [e for s in subject_results for e in s.evidence] if len(subject_results) == 1 else []
    tally = _tally(rule, subject_results) if isinstance(rule.scope, EachScope) else []
    texts = RuleTexts(
        title=rule.title.model_dump(), recommendation=rule.recommendation.model_dump(),
        interpretation=[note_text.model_dump() for note_text in rule.interpretation],
        inputs={name: spec.label.model_dump() for name, spec in rule.inputs.items()},
        sanction_note=ruleset.meta.no_sanction_note.model_dump() if rule.sanction is None else None)
    return Finding(
        rule_id=rule.id, citation=rule.citation, anchor=citation_to_anchor(rule.citation),
        topic=rule.topic, impact=rule.impact, status=status, quote=" ".join(rule.quote.split()),
        evidence=evidence, subjects=subject_results,
        missing_facts=missing, due=dues[0] if dues and status == "pending" else None,
        tally=tally, sanctions=[], texts=texts,  # the next stage (law/sanctions.py) adds them
        tally_per_deadline=any(spec.deadline is not None for spec in rule.inputs.values()))


def once_per_distinct_fact(judge: Callable[[CompiledRule, dict], set[str]]) -> Callable[[CompiledRule, dict], set[str]]:
    """`judge`, asked once per distinct subject fact of one audit.

    A subject fact is the rule and the values its inputs found; the subject's key only names
    it. Two complaints answered in 3 working days make the same fact for the same compiled
    rule, so the judge's outcomes for the first hold for the second (on the seed-7 units, 10,080
    subject facts are 5,895 distinct ones). The memo lives for one audit only.
    """
    outcomes: dict[tuple, frozenset[str]] = {}

    def judged(rule: CompiledRule, fact: dict) -> set[str]:
        key = tuple(sorted((name, value) for name, value in fact.items() if name != "subject"))
        found = outcomes.get(key)
        if found is None:
            found = outcomes[key] = frozenset(judge(rule, fact))
        return set(found)

    return judged


def run_audit(facts: Facts, ruleset: RuleSet, as_of: date, judge: JudgeName = "durable") -> list[Finding]:
    """Every rule of the rule set judged on the facts, in the regulation's order, in no language
    (audit/record.py words the findings)."""
    compiled = compile_ruleset(ruleset)
    if judge == "durable":
        durable = durable_judge(ruleset)
        judge_function = once_per_distinct_fact(lambda rule, fact: durable.judge(fact))
    else:
        judge_function = once_per_distinct_fact(judge_with_oracle)
    dumped = facts.model_dump(mode="json", exclude_none=True)
    return [evaluate_rule(rule, facts, dumped, ruleset, as_of, judge_function) for rule in compiled.rules]
