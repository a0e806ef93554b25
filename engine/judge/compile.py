"""Compile a rule's conditions into the two forms that judge them.

A condition over query ranges has three outcomes (true, false, unknown). durable-rules only
matches, so each condition is compiled twice, as "surely true" and as "surely false"
(Kleene logic: unknown is whatever neither settles):

    true(all)  = and(true(c))     false(all) = or(false(c))
    true(any)  = or(true(c))      false(any) = and(false(c))
    true(not c) = false(c)        false(not c) = true(c)
    at_least N:  true  low >= N,  false  high < N
    at_most N:   true  high <= N, false  low > N

A field absent from the subject fact never matches in durable-rules, which is exactly the
"unknown" we need. The plain-Python oracle (`truth`) evaluates the same compiled tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ..rulesets.model import AllOf, Comparison, Condition, Not, Rule

SUBJECT_TYPE = "patuh_subject"
OUTCOMES = ("comply", "violation", "not_applicable", "pending")


def field_names(input_name: str) -> dict[str, str]:
    return {"low": f"{input_name}__low", "high": f"{input_name}__high", "value": f"{input_name}__value"}


def subject_fact(rule_id: str, subject_key: str, results: dict[str, Any]) -> dict[str, Any]:
    """The flat record both judges see: only known bounds are present."""
    fact: dict[str, Any] = {"type": SUBJECT_TYPE, "rule": rule_id, "subject": subject_key}
    for name, result in results.items():
        names = field_names(name)
        if result.low is not None:
            fact[names["low"]] = result.low
        if result.high is not None:
            fact[names["high"]] = result.high
        if result.value is not None:
            fact[names["value"]] = result.value
    return fact


def _comparison(comparison: Comparison, surely: bool) -> dict[str, Any]:
    names = field_names(comparison.input)
    if comparison.at_least is not None:
        n = comparison.at_least
        return {"$gte": {names["low"]: n}} if surely else {"$lt": {names["high"]: n}}
    if comparison.at_most is not None:
        n = comparison.at_most
        return {"$lte": {names["high"]: n}} if surely else {"$gt": {names["low"]: n}}
    values = [comparison.equals] if comparison.equals is not None else list(comparison.one_of or [])
    branches = []
    for value in values:
        if isinstance(value, str):
            branches.append({names["value"]: value} if surely else {"$neq": {names["value"]: value}})
        elif surely:
            branches.append({"$and": [{names["low"]: value}, {names["high"]: value}]})
        else:
            branches.append({"$or": [{"$gt": {names["low"]: value}}, {"$lt": {names["high"]: value}}]})
    if len(branches) == 1:
        return branches[0]
    return {"$or": branches} if surely else {"$and": branches}


def compile_condition(condition: Condition, surely: bool) -> dict[str, Any]:
    """The durable-rules JSON pattern for "condition is surely true" (or surely false)."""
    if isinstance(condition, Comparison):
        return _comparison(condition, surely)
    if isinstance(condition, Not):
        return compile_condition(condition.not_, not surely)
    children = condition.all if isinstance(condition, AllOf) else condition.any
    parts = [compile_condition(child, surely) for child in children]
    if len(parts) == 1:
        return parts[0]
    conjunction = isinstance(condition, AllOf) == surely
    return {"$and": parts} if conjunction else {"$or": parts}


@dataclass(frozen=True)
class CompiledRule:
    """The outcome patterns of one rule, ready for either judge."""

    rule: Rule
    patterns: dict[str, dict[str, Any]]
    # (name, spec, kind) of each input, in the rule's order: the kind is read for every input
    # of every judged subject, so it is found once, here.
    inputs: tuple[tuple[str, Any, str], ...] = ()


def _with_identity(rule_id: str, pattern: Optional[dict[str, Any]]) -> dict[str, Any]:
    identity = [{"type": SUBJECT_TYPE}, {"rule": rule_id}]
    return {"$and": identity + ([pattern] if pattern else [])}


def compile_rule(rule: Rule) -> CompiledRule:
    applies = compile_condition(rule.applies_if, True) if rule.applies_if else None
    comply = compile_condition(rule.comply_when, True)
    violate = compile_condition(rule.comply_when, False)

    def both(a: Optional[dict[str, Any]], b: dict[str, Any]) -> dict[str, Any]:
        return {"$and": [a, b]} if a else b

    if rule.pending_when is not None:
        # Late only when it is also surely not still running: otherwise the entry is pending or unknown.
        violate = {"$and": [violate, compile_condition(rule.pending_when, False)]}
    patterns = {
        "comply": _with_identity(rule.id, both(applies, comply)),
        "violation": _with_identity(rule.id, both(applies, violate)),
    }
    if rule.applies_if is not None:
        patterns["not_applicable"] = _with_identity(rule.id, compile_condition(rule.applies_if, False))
    if rule.pending_when is not None:
        patterns["pending"] = _with_identity(rule.id, both(applies, compile_condition(rule.pending_when, True)))
    return CompiledRule(rule=rule, patterns=patterns,
                        inputs=tuple((name, spec, spec.kind) for name, spec in rule.inputs.items()))


def matches(pattern: dict[str, Any], fact: dict[str, Any]) -> bool:
    """The oracle: the same pattern language durable-rules matches, in plain Python.

    Semantics follow durable-rules: any comparison on an absent field is false.
    """
    if "$and" in pattern:
        return all(matches(part, fact) for part in pattern["$and"])
    if "$or" in pattern:
        return any(matches(part, fact) for part in pattern["$or"])
    (operator, operand), = pattern.items()
    comparisons = {"$gte": lambda a, b: a >= b, "$lte": lambda a, b: a <= b, "$gt": lambda a, b: a > b,
                   "$lt": lambda a, b: a < b, "$neq": lambda a, b: a != b}
    if operator in comparisons:
        (name, value), = operand.items()
        return name in fact and comparisons[operator](fact[name], value)
    return operator in fact and fact[operator] == operand


def judge_with_oracle(compiled: CompiledRule, fact: dict[str, Any]) -> set[str]:
    return {outcome for outcome, pattern in compiled.patterns.items() if matches(pattern, fact)}
