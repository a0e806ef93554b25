"""`working_days: {from: PATH, to: PATH}`: hari kerja after `from` up to `to`.

    working_days: {from: item.received_on, to: item.first_response_on}   # either end may be a date token
    deadline: 5                 # optional: the limit the condition holds the span to

Days off are national holidays, cuti bersama and the unit's own `organisation.local_days_off`
(dates/working_days.py); the evidence names the days off that make the count differ from
counting weekdays, and says when a count rests on an estimated calendar. The ends, `deadline`
and the checks are those of `days_between.py`.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, Iterator

from ..dates.working_days import WorkingCalendar
from .days_between import DEADLINE, SPAN, span_check, span_ends, span_fact_paths, span_shape_problem, span_timings
from .sentences import span_phrase
from .subject import InputKind, InputResult, Subject, Vocabulary

DAYS_OFF_PATH = "organisation.local_days_off"  # read by every count of working days


@lru_cache(maxsize=64)
def calendar(days_off: tuple[str, ...]) -> WorkingCalendar:
    return WorkingCalendar(local_days_off=[date.fromisoformat(day) for day in days_off])


def local_days_off(subject: Subject) -> tuple[str, ...]:
    return tuple(subject.facts.get("organisation", {}).get("local_days_off", []))


# Counts and deadlines are remembered per calendar and dates: a batch counts the same spans for
# many complaints and several rules (a count walks every day of its span and builds its notes).
# Bounded, so a batch's memory does not grow with its units (a count with its notes is about
# 1.5 KB: 65,536 of them would add 100 MB to a worker; 4,096 keep the hits, 44,461 of 57,726
# on 300 Sanggau units with 65,536, and 36,355 with 2,048, for the same time). Only read.
@lru_cache(maxsize=4096)
def _counted_between(days_off: tuple[str, ...], start: date, end: date):
    return calendar(days_off).working_days_between_detailed(start, end)


@lru_cache(maxsize=4096)
def _deadline_after(days_off: tuple[str, ...], start: date, days: int):
    return calendar(days_off).add_working_days_detailed(start, days)


def evaluate(spec: Any, subject: Subject, result: InputResult, vocabulary: Vocabulary) -> None:
    start, end = span_ends(spec.working_days, subject, result)
    days_off = local_days_off(subject)
    notes = []
    if start is not None and spec.deadline is not None:
        # The deadline is known as soon as the span starts, even while the entry is still open.
        deadline = _deadline_after(days_off, start, spec.deadline)
        result.details["deadline"] = deadline.date.isoformat()
        notes.append(deadline.estimate_note())
    if start is not None and end is not None:
        counted = _counted_between(days_off, start, end)
        result.low = result.high = counted.working_days
        # The days off that make the count differ from counting weekdays, and any estimate it rests on.
        result.details["days_off"] = [f"{day.isoformat()} {name}" for day, name in counted.holidays_skipped]
        notes.append(counted.estimate_note())
    note = next((text for text in notes if text), None)
    if note:
        result.details["estimated"] = note


def fact_paths(spec: Any) -> Iterator[str]:
    yield from span_fact_paths("working_days")(spec)
    yield DAYS_OFF_PATH


KIND = InputKind(
    name="working_days", keys={"working_days": SPAN, "deadline": DEADLINE}, evaluate=evaluate,
    check=span_check("working_days"), fact_paths=fact_paths,
    shape_problem=span_shape_problem("working_days"), timings=span_timings("deadline_working_days"),
    phrase=lambda evidence, language, within: span_phrase(evidence, language, within, "working_days"))
