"""Each input kind is one module of engine/inputs/, registered once, and its declarations hold:
the keys it takes make up the rule file's `Input`, and every fact path it says it reads is one
`patuh template` offers to fill in (the template cannot drift from what the rules read)."""

from __future__ import annotations

import contextlib
import io
import pkgutil

import pytest
import yaml
from pydantic import ValidationError

import patuh.inputs
from patuh.cli import main
from patuh.documents.template import WORDS, template_paths
from patuh.inputs import INPUT_KEYS, INPUT_KINDS, evaluate_input
from patuh.inputs.subject import DATE_TOKENS, InputKind, Subject
from patuh.rulesets.load import load_ruleset
from patuh.rulesets.select import available_versions, list_rule_regulations
from patuh.rulesets.model import EachScope, Input, Rule

SHARED_MODULES = {"subject", "sentences"}  # what the kinds share; every other module of engine/inputs/ is a kind
RULESETS = [load_ruleset(regulation_id, version) for regulation_id in list_rule_regulations()
            for version in available_versions(regulation_id)]
LABEL = {"id": "contoh", "en": "example"}


def _template(regulation: str, tmp_path, *options: str) -> str:
    output = tmp_path / "template.yaml"
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["template", "--regulation", regulation, "--lang", "en", "-o", str(output), *options]) == 0
    return output.read_text(encoding="utf-8")


def _keys(data, prefix: str):
    """Every dotted key path of a parsed shape, list entries flattened as the fact paths flatten `[]`."""
    if isinstance(data, list):
        for item in data:
            yield from _keys(item, prefix)
    elif isinstance(data, dict):
        for key, value in data.items():
            yield f"{prefix}.{key}"
            yield from _keys(value, f"{prefix}.{key}")


def offered_paths(text: str) -> set[str]:
    """The fact paths a template offers: its `KEY: ~` fields, the blocks holding them, and the
    fields of the shape commented above a list or a document (read back as the YAML it is)."""
    lines = text.splitlines()
    headers = {WORDS["en"]["shape"], WORDS["en"]["shape_document"]}
    offered: set[str] = set()
    for path, index in template_paths(text):
        segments = path.split(".")
        offered.update(".".join(segments[:end]) for end in range(1, len(segments) + 1))
        indent = len(lines[index]) - len(lines[index].lstrip())
        above = index - 1
        while above >= 0 and lines[above].strip().startswith("#") and lines[above].strip()[1:].strip() not in headers:
            above -= 1
        if above < 0 or lines[above].strip()[1:].strip() not in headers:
            continue
        prefix = " " * indent + "#   "
        shape = "\n".join(line[len(prefix):] for line in lines[above + 1:index])
        offered.update(_keys(yaml.safe_load(shape), path))
    return offered


def model_path(rule: Rule, path: str) -> str | None:
    """A path as a rule writes it (`service.` / `item.` roots, `[]`), as the facts file holds it."""
    if path in DATE_TOKENS:
        return None
    head, _, rest = path.replace("[]", "").partition(".")
    base = {"service": "service_types", "item": rule.scope.each.replace("[]", "") if isinstance(rule.scope, EachScope) else "item"}.get(head, head)
    return f"{base}.{rest}" if rest else base


def test_every_kind_module_is_registered_and_declares_its_parts():
    modules = {module.name for module in pkgutil.iter_modules(patuh.inputs.__path__)} - SHARED_MODULES
    assert modules == set(INPUT_KINDS)
    for name, kind in INPUT_KINDS.items():
        assert isinstance(kind, InputKind) and kind.name == name
        assert next(iter(kind.keys)) == name, f"{name}: its own key comes first"
        for part in (kind.evaluate, kind.check, kind.fact_paths, kind.shape_problem, kind.timings, kind.required_entries):
            assert callable(part), name
    # The rule file's Input takes exactly the keys the kinds declare.
    assert set(Input.model_fields) == {"label"} | set(INPUT_KEYS)


def test_every_kind_is_used_by_a_rule_and_evaluates_through_the_registry():
    used = {spec.kind for ruleset in RULESETS for rule in ruleset.rules for spec in rule.inputs.values()}
    assert used == set(INPUT_KINDS)
    subject = Subject(key="organisation", label="unit", facts={"organisation": {}}, as_of="2024-12-31", in_force="2024-01-01")
    result = evaluate_input("listed", Input(label=LABEL, count="service_types"), subject, lambda name, word: None)
    assert (result.name, result.low, result.high, result.missing_paths) == ("listed", 0, None, ["service_types"])


def test_a_key_of_another_kind_is_refused_with_its_own_message():
    with pytest.raises(ValidationError, match="`distinct` belongs to a `count` input"):
        Input(label=LABEL, value="organisation.name", distinct="name")
    with pytest.raises(ValidationError, match="`deadline` belongs to a `working_days` or `days_between` input"):
        Input(label=LABEL, value="organisation.name", deadline=3)
    with pytest.raises(ValidationError, match="an input needs exactly one of count, missing_from, value, days_between"):
        Input(label=LABEL, value="organisation.name", count="service_types")


@pytest.mark.parametrize("ruleset", RULESETS, ids=[f"{ruleset.regulation.id}-{ruleset.version}" for ruleset in RULESETS])
def test_the_template_offers_every_path_every_input_kind_declares(ruleset, tmp_path):
    text = _template(ruleset.regulation.id, tmp_path, "--as-of", ruleset.meta.effective_from.isoformat())
    assert f"rule set {ruleset.version}" in text
    offered = offered_paths(text)
    for rule in ruleset.rules:
        for name, spec in rule.inputs.items():
            for path in INPUT_KINDS[spec.kind].fact_paths(spec):
                found = model_path(rule, path)
                assert found is None or found in offered, f"{rule.id} input {name} ({spec.kind}) reads {found}, not in the template"


def test_the_sanggau_template_offers_the_raw_survey_answers(tmp_path):
    # Lampiran II huruf D and E recompute the IKM and count respondents from the raw answers.
    offered = offered_paths(_template("sanggau", tmp_path))
    for path in ("events.skm.responses", "events.skm.responses.file", "events.skm.responses.respondents",
                 "events.skm.responses.respondents.scores"):
        assert path in offered, path
