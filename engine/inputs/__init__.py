"""The input kinds of the condition language: one module per kind, registered here.

An input of a rule (`inputs: NAME: ...`) is a named query over the judged subject's facts;
its kind is the one key naming what it reads (`count: PATH`, `value: PATH`, ...). Everything
a kind means is declared in its own module, `inputs/<kind>.py`, as `KIND = InputKind(...)`
(see `subject.py`): the keys it accepts beside `label` and its own shape check (rulesets/model.py
assembles the rule file's `Input` model from them), its load-time checks against the fact model
(rulesets/load.py), its evaluation (judge/evaluate.py), the fact paths it reads (`patuh
template`) and, where the kind says one, the period, deadline or required entries `patuh
compare` reads from it.

To add a kind:
1. create `inputs/<kind>.py` with `KIND = InputKind(name="<kind>", keys={"<kind>": Key(str), ...},
   evaluate=..., check=..., fact_paths=...)`, and `shape_problem`, `timings`, `required_entries`
   where the kind has them; a key another kind also takes is the same `Key` object (`WHERE`,
   `days_between.DEADLINE`), whose `stray` message refuses it on inputs of kinds without it;
2. register it in `INPUT_KINDS` below (the order is the order the "exactly one of" message names
   the kinds in);
3. document its keys in the condition language of rulesets/model.py, and give it rule cases
   under tests/cases/; tests/test_input_kinds.py then holds it to its declarations.
"""

from __future__ import annotations

from typing import Any

from . import (count, days_between, missing_from, months_deadline, months_without, survey_recomputation, value,
               working_days, working_days_without)
from .subject import InputKind, InputResult, Key, Subject, Vocabulary

INPUT_KINDS: dict[str, InputKind] = {module.KIND.name: module.KIND for module in (
    count, missing_from, value, days_between, working_days, working_days_without, months_deadline, months_without,
    survey_recomputation)}


def _all_keys() -> dict[str, Key]:
    keys: dict[str, Key] = {}
    for kind in INPUT_KINDS.values():
        for name, key in kind.keys.items():
            # A key two kinds take must mean one thing: one type, one refusal elsewhere.
            if keys.setdefault(name, key) is not key:
                raise AssertionError(f"input key `{name}` is declared twice; share one Key object")
    return keys


INPUT_KEYS = _all_keys()  # every key an input may carry beside `label`, in the kinds' order


def evaluate_input(name: str, spec: Any, subject: Subject, vocabulary: Vocabulary, kind: str | None = None) -> InputResult:
    """`kind`: the spec's kind when the caller has it already (judge/compile.CompiledRule.inputs)."""
    result = InputResult(name=name)
    INPUT_KINDS[kind or spec.kind].evaluate(spec, subject, result, vocabulary)
    return result
