"""`value: PATH`: a single fact, as a number or a word (a yes/no fact is "true" / "false").

A document recorded as `tidak_ada` is a known value, "tidak_ada", that a condition can test.
"""

from __future__ import annotations

from typing import Any, Iterator

from ..model.facts import NOT_PRESENT
from .sentences import value_phrase
from .subject import InputKind, InputResult, Key, LoadContext, Problem, Subject, Vocabulary, walk


def evaluate(spec: Any, subject: Subject, result: InputResult, vocabulary: Vocabulary) -> None:
    reached, missing = walk(subject, spec.value)
    if missing:
        result.missing_paths.extend(missing)
        return
    if not reached:
        result.value = NOT_PRESENT  # recorded as not there: a known value a condition can test
        return
    concrete, value = reached[0]
    result.items.append({"path": concrete, "fact": value})
    if isinstance(value, bool):
        result.value = "true" if value else "false"
    elif isinstance(value, (int, float)):
        result.low = result.high = value
    else:
        result.value = str(value)


def check(spec: Any, context: LoadContext) -> list[Problem]:
    return context.check_path(context.at + ("value",), spec.value)[1]


def fact_paths(spec: Any) -> Iterator[str]:
    yield spec.value


KIND = InputKind(name="value", keys={"value": Key(str)}, evaluate=evaluate, check=check, fact_paths=fact_paths,
                 phrase=value_phrase)
