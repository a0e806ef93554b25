"""`missing_from: PATH`: how many of the `required` entries the list lacks.

    missing_from: facilities
    field: item                 # optional: the entry's field holding what it is
    vocabulary: facilities      # optional: entries are resolved through a controlled vocabulary
    required: [ruang_tunggu, toilet]

An inventory line counted at quantity 0 is not there. The evidence lists what is lacking and
what is present; `patuh compare` reads `required` as the entries a regulation asks for.
"""

from __future__ import annotations

from typing import Any, Iterator

from ..load.vocabulary import load_vocabulary
from ..model.fact_paths import FactPathError, resolve_path
from .sentences import lacking_phrase
from .subject import InputKind, InputResult, Key, LoadContext, Problem, Subject, Vocabulary, as_list, walk


def evaluate(spec: Any, subject: Subject, result: InputResult, vocabulary: Vocabulary) -> None:
    reached, missing = walk(subject, spec.missing_from)
    if missing:
        result.missing_paths.extend(missing)
        return
    present: set[str] = set()
    for _, items in reached:
        for item in as_list(items):
            if isinstance(item, dict) and item.get("quantity") == 0:
                continue  # an inventory line counted at zero: the thing is not there
            entry = item.get(spec.field) if (isinstance(item, dict) and spec.field) else item
            if spec.vocabulary:
                entry = vocabulary(spec.vocabulary, entry)
            if entry is not None:
                present.add(entry)
    required = spec.required or []
    lacking = [entry for entry in required if entry not in present]
    result.low = result.high = len(lacking)
    result.details = {"lacking": lacking, "present": [entry for entry in required if entry in present]}


def shape_problem(spec: Any) -> str | None:
    return None if spec.required else "a `missing_from` input needs a non-empty `required` list"


def check(spec: Any, context: LoadContext) -> list[Problem]:
    problems = context.check_path(context.at + ("missing_from",), spec.missing_from)[1]
    if spec.vocabulary:
        try:
            vocabulary = load_vocabulary(spec.vocabulary)
        except FileNotFoundError:
            problems.append((context.at + ("vocabulary",), f"no vocabulary named {spec.vocabulary!r}"))
        else:
            for entry in spec.required or []:
                if entry not in vocabulary.labels:
                    problems.append((context.at + ("required",), f"{entry!r} is not an id in the {spec.vocabulary} vocabulary"))
    return problems


def fact_paths(spec: Any) -> Iterator[str]:
    yield spec.missing_from
    if spec.field:
        yield f"{spec.missing_from}.{spec.field}"
    # `evaluate` reads an inventory line's quantity (0: not there), where the entries have one.
    for inside in (f"{spec.missing_from}[].quantity", f"{spec.missing_from}.quantity"):
        try:
            resolve_path(inside)
        except FactPathError:
            continue
        yield f"{spec.missing_from}.quantity"
        return


def required_entries(spec: Any) -> list[str]:
    return list(spec.required or [])


KIND = InputKind(
    name="missing_from",
    keys={"missing_from": Key(str), "field": Key(str), "vocabulary": Key(str), "required": Key(list[str])},
    evaluate=evaluate, check=check, fact_paths=fact_paths, shape_problem=shape_problem, required_entries=required_entries,
    phrase=lacking_phrase)
