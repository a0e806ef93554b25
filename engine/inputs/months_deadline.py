"""`months_deadline: {start: PATH, months: N, checked_date: PATH}`: days left to a deadline N calendar months after a date.

    months_deadline: {start: organisation.formed_on, months: 12, checked_date: as_of}
    months_deadline: {start: organisation.formed_on, months: 12, checked_date: service.standar_pelayanan.established_on}

For a deadline the regulation counts in months from an event ("paling lama 12 (dua belas) bulan
sejak terbentuknya", Sanggau Pasal 23 ayat (2)). The deadline is `start` plus N calendar months,
on the same day of the month or that month's last day where the day does not exist (formed
29 February 2020: due 28 February 2021; dates/periods.py `add_months`). The value is the days
from `checked_date` to the deadline: 0 or more means that date falls on or before it, negative after it. The
finding shows the deadline date as soon as `start` is known.

It replaces counting such a deadline as a yearly `period`, which cut a one-off deadline into
windows the regulation does not have; either end may be a date token (`as_of`, `in_force`).
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

from ..dates.periods import add_months
from .days_between import span_ends
from .sentences import deadline_in_months_phrase
from .subject import DATE_TOKENS, InputKind, InputResult, Key, LoadContext, Problem, Subject, Vocabulary

DEADLINE_IN_MONTHS = Key(dict[str, Any])
ENDS = ("start", "checked_date")  # not `on`: YAML 1.1 reads an unquoted `on` key as true


def evaluate(spec: Any, subject: Subject, result: InputResult, vocabulary: Vocabulary) -> None:
    shape = spec.months_deadline
    start, checked = span_ends({"from": shape["start"], "to": shape["checked_date"]}, subject, result)
    if start is None:
        return
    deadline = add_months(start, shape["months"])
    result.details["deadline"] = deadline.isoformat()
    if checked is not None:
        result.low = result.high = (deadline - checked).days


def shape_problem(spec: Any) -> Optional[str]:
    shape = spec.months_deadline
    if set(shape) != {"start", "months", "checked_date"}:
        return ("`months_deadline` needs exactly `start` (the date counted from), `months` and `checked_date` "
                "(the date held to the deadline)")
    months = shape["months"]
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        return "`months_deadline.months` is a whole number of months, 1 or more"
    if not all(isinstance(shape[end], str) for end in ENDS):
        return "`months_deadline.start` and `.checked_date` are fact paths or date tokens (as_of, in_force)"
    return None


def check(spec: Any, context: LoadContext) -> list[Problem]:
    return [problem for end in ENDS if spec.months_deadline[end] not in DATE_TOKENS
            for problem in context.check_path(context.at + ("months_deadline", end), spec.months_deadline[end])[1]]


def fact_paths(spec: Any) -> Iterator[str]:
    return (spec.months_deadline[end] for end in ENDS if spec.months_deadline[end] not in DATE_TOKENS)


def timings(spec: Any, at_most: Optional[float]) -> list[tuple[str, Any]]:
    """Held to the deadline (`at_least: 0`, the only use): "within N months" of its start."""
    return [("deadline_months", spec.months_deadline["months"])]


KIND = InputKind(
    name="months_deadline", keys={"months_deadline": DEADLINE_IN_MONTHS}, evaluate=evaluate, check=check,
    fact_paths=fact_paths, shape_problem=shape_problem, timings=timings, phrase=deadline_in_months_phrase)
