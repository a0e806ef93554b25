"""`days_between: {from: PATH, to: PATH}`: calendar days from one date to another.

    days_between: {from: item.decided_on, to: item.delivered_on}   # either end may be a date token
    deadline: 14                # optional: the limit the condition holds the span to

With `deadline`, the finding shows the entry's deadline date (`from` + N days) beside its
count, known as soon as the span starts. `working_days.py` counts the same spans in hari kerja
and shares the ends, the `deadline` key and the checks defined here.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterator, Optional

from .sentences import span_phrase
from .subject import (DATE_TOKENS, InputKind, InputResult, Key, LoadContext, Problem, Subject, Vocabulary, date_token,
                      walk)

DEADLINE = Key(int, minimum=0,
               stray="`deadline` belongs to a `working_days` or `days_between` input: the limit its span is held to")
SPAN = Key(dict[str, str])


def span_ends(ends_spec: dict[str, str], subject: Subject, result: InputResult) -> tuple[Optional[date], Optional[date]]:
    """The two ends of a span as dates; None for an end whose fact is missing or recorded absent."""
    ends: list[Optional[date]] = []
    for key in ("from", "to"):
        path = ends_spec[key]
        if path in DATE_TOKENS:
            ends.append(date.fromisoformat(date_token(subject, path)))
            continue
        reached, missing = walk(subject, path)
        if missing or not reached:
            result.missing_paths.extend(missing)
            if not missing:  # recorded as not there: no date to count from, and nothing to ask for
                result.details.setdefault("recorded_absent", []).append(path)
            ends.append(None)
            continue
        result.items.append({"path": reached[0][0], "fact": reached[0][1]})
        ends.append(date.fromisoformat(reached[0][1]))
    return ends[0], ends[1]


def evaluate(spec: Any, subject: Subject, result: InputResult, vocabulary: Vocabulary) -> None:
    start, end = span_ends(spec.days_between, subject, result)
    if start is not None and spec.deadline is not None:
        result.details["deadline"] = (start + timedelta(days=spec.deadline)).isoformat()
    if start is not None and end is not None:
        result.low = result.high = (end - start).days


def span_shape_problem(name: str):
    def shape_problem(spec: Any) -> Optional[str]:
        return None if set(getattr(spec, name)) == {"from", "to"} else f"`{name}` needs exactly `from` and `to`"
    return shape_problem


def span_check(name: str):
    def check(spec: Any, context: LoadContext) -> list[Problem]:
        return [problem for key, path in getattr(spec, name).items() if path not in DATE_TOKENS
                for problem in context.check_path(context.at + (name, key), path)[1]]
    return check


def span_fact_paths(name: str):
    def fact_paths(spec: Any) -> Iterator[str]:
        return (path for path in getattr(spec, name).values() if path not in DATE_TOKENS)
    return fact_paths


def span_timings(timing: str):
    """A `comply_when` holding the span to at most N: a deadline of N (calendar or working) days."""
    def timings(spec: Any, at_most: Optional[float]) -> list[tuple[str, Any]]:
        return [] if at_most is None else [(timing, int(at_most))]
    return timings


KIND = InputKind(
    name="days_between", keys={"days_between": SPAN, "deadline": DEADLINE}, evaluate=evaluate,
    check=span_check("days_between"), fact_paths=span_fact_paths("days_between"),
    shape_problem=span_shape_problem("days_between"), timings=span_timings("deadline_days"),
    phrase=lambda evidence, language, within: span_phrase(evidence, language, within, "days"))
