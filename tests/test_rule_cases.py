"""Every rule against its data-written cases, judged by durable-rules and by the oracle."""

from __future__ import annotations

from collections import defaultdict

import pytest
import yaml

from patuh.audit.record import worded
from patuh.judge.evaluate import compile_ruleset, durable_judge, evaluate_rule
from patuh.law.sanctions import with_sanctions
from patuh.judge.compile import judge_with_oracle
from patuh.model.facts import Facts
from patuh.rulesets.load import load_ruleset
from patuh.rulesets.select import available_versions, list_rule_regulations

from rule_cases import load_cases

CASES = load_cases()


def _ruleset(regulation: str, version: str | None):
    return load_ruleset(regulation, version or available_versions(regulation)[-1])


def _judge(case, judge_name):
    ruleset = _ruleset(case.regulation, case.version)
    # Round-trip through YAML text so dates are parsed exactly as in a facts file.
    facts = Facts.model_validate(yaml.safe_load(yaml.safe_dump(case.facts)))
    compiled = {c.rule.id: c for c in compile_ruleset(ruleset).rules}[case.rule_id]
    if judge_name == "durable":
        durable = durable_judge(ruleset)
        judge = lambda rule, fact: durable.judge(fact)
    else:
        judge = judge_with_oracle
    dumped = facts.model_dump(mode="json", exclude_none=True)
    return worded(with_sanctions([evaluate_rule(compiled, facts, dumped, ruleset, case.as_of, judge)], ruleset, facts, case.as_of),
                  "id", case.as_of.isoformat())[0]


@pytest.mark.parametrize("case", CASES, ids=[case.test_id for case in CASES])
def test_case(case):
    finding = _judge(case, "durable")
    oracle = _judge(case, "oracle")
    assert finding == oracle, "durable-rules and the oracle disagree"
    expect = case.expect
    assert finding.status == expect["status"], finding.kondisi
    if "missing_facts" in expect:
        assert finding.missing_facts == expect["missing_facts"]
    if "deadlines" in expect:  # each entry's computed deadline, in the order of the log
        assert [e.details["deadline"] for s in finding.subjects for e in s.evidence if "deadline" in e.details] \
            == [str(day) for day in expect["deadlines"]]
    if "gaps" in expect:  # the days or months missed, as listed for the first subject in the finding's status
        subject = next(s for s in finding.subjects if s.status == finding.status)
        shown = {e.input: e.details.get("gaps") for e in subject.evidence}
        assert {name: shown[name] for name in expect["gaps"]} == \
            {name: [str(day) for day in days] for name, days in expect["gaps"].items()}
    if "reason" in expect:  # a not_applicable finding names the one reason that holds
        assert finding.reason == expect["reason"]
    if "due" in expect:
        assert finding.due == str(expect["due"])
    if "tally" in expect:
        assert {entry.status: entry.count for entry in finding.tally} == expect["tally"]
    if finding.status == "unknown":
        assert finding.missing_facts, "an unknown finding must name the facts that would settle it"
    if finding.status == "comply":
        assert any(e.items or e.details or e.value is not None for s in finding.subjects for e in s.evidence), \
            "a comply finding must rest on evidence"
    measures = [m.huruf for s in finding.sanctions for m in s.measures]
    withheld = [m.huruf for s in finding.sanctions for m in s.withheld]
    if "measures" in expect:
        assert measures == expect["measures"]
    if "withheld" in expect:
        assert withheld == expect["withheld"]
    compensation = [m.huruf for m in finding.compensation.measures] if finding.compensation else []
    assert compensation == expect.get("compensation", []), "compensation owed to the service user, apart from sanctions"
    if finding.status != "violation":
        assert not measures and finding.compensation is None


def test_every_rule_has_comply_violation_and_unknown_cases():
    seen = defaultdict(set)
    for case in CASES:
        seen[(case.regulation, case.rule_id)].add(case.expect["status"])
    lacking = []
    for regulation in list_rule_regulations():
        ruleset = _ruleset(regulation, None)
        for rule in ruleset.rules:
            statuses = seen[(regulation, rule.id)]
            needed = {"comply", "violation", "unknown"} - statuses
            if needed:
                lacking.append(f"{rule.id}: no {', '.join(sorted(needed))} case")
    assert not lacking, "\n".join(lacking)
