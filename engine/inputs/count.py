"""`count: PATH`: how many entries of a list match `where`; with `distinct: FIELD`, how many distinct values of FIELD they hold.

    count: events.publications
    where: {document: maklumat, published_on: {within: period}}
    distinct: medium            # optional

An entry whose tested field is unrecorded may or may not match: it widens the range, never
the count shown. A list that is absent leaves the count without an upper bound.
"""

from __future__ import annotations

from typing import Any, Iterator

from .sentences import count_phrase
from .subject import (WHERE, InputKind, InputResult, Key, LoadContext, Problem, Subject, Vocabulary, check_listed, join,
                      listed_fact_paths, match_item, summarise, walk, where_timings)

ITEM_FIELDS = ("distinct",)


def evaluate(spec: Any, subject: Subject, result: InputResult, vocabulary: Vocabulary) -> None:
    reached, missing = walk(subject, spec.count)
    result.missing_paths.extend(missing)
    matched = undetermined = 0
    distinct_values: set[str] = set()
    for concrete, items in reached:
        if isinstance(items, list):
            concrete_paths = [join(concrete, i) for i in range(len(items))]
        else:
            items, concrete_paths = [items], [concrete]
        for item_path, item in zip(concrete_paths, items):
            verdict, unknown_paths = match_item(subject, item_path, item, spec.where or {})
            if verdict is True:
                if spec.distinct is not None:
                    value = item.get(spec.distinct) if isinstance(item, dict) else None
                    if value is None:
                        undetermined += 1  # a match whose field is unrecorded may or may not be new
                        result.missing_paths.append(join(item_path, spec.distinct))
                        continue
                    distinct_values.add(" ".join(str(value).lower().split()))
                matched += 1
                result.items.append({"path": item_path, "fact": summarise(item)})
            elif verdict is None:
                undetermined += 1
                result.missing_paths.extend(unknown_paths)
    if not reached and not missing:
        # The walk stopped at a document recorded `tidak_ada`: none, as the examination found.
        result.details.setdefault("recorded_absent", []).append(spec.count)
    if spec.distinct is not None:
        matched = len(distinct_values)
    result.low = matched
    result.high = None if missing else matched + undetermined


def check(spec: Any, context: LoadContext) -> list[Problem]:
    return check_listed(spec, context, "count", ITEM_FIELDS)


def fact_paths(spec: Any) -> Iterator[str]:
    return listed_fact_paths(spec, spec.count, ITEM_FIELDS)


KIND = InputKind(
    name="count",
    keys={"count": Key(str), "where": WHERE, "distinct": Key(str, stray="`distinct` belongs to a `count` input")},
    evaluate=evaluate, check=check, fact_paths=fact_paths, timings=where_timings, phrase=count_phrase)
