"""`working_days_without: PATH`: the working days of the judged period, up to the as-of date, on which no date in PATH falls.

    working_days_without: complaint_management.channel_checks[].dated

The gaps in a daily log. A period still running can gain gaps before it ends, so only the
lower bound is known until it does; `patuh compare` reads the rule as "every working day".
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Iterator, Optional

from ..load.wording import long_date
from .sentences import gaps_phrase
from .subject import InputKind, InputResult, Key, LoadContext, Problem, Subject, Vocabulary, date_token, walk
from .working_days import DAYS_OFF_PATH, calendar, local_days_off


@lru_cache(maxsize=1024)
def _working_days_from_to(days_off: tuple[str, ...], start: date, end: date) -> tuple[str, ...]:
    working = calendar(days_off)
    days, day = [], start
    while day <= end:
        if working.is_working_day(day):
            days.append(day.isoformat())
        day += timedelta(days=1)
    return tuple(days)


GAPS_LISTED = 31  # a month of missed days is enough to show; the count says the rest


def evaluate(spec: Any, subject: Subject, result: InputResult, vocabulary: Vocabulary) -> None:
    reached, missing = walk(subject, spec.working_days_without)
    if missing:
        result.missing_paths.extend(missing)
        return
    logged = {value for _, value in reached if isinstance(value, str)}
    start = date.fromisoformat(date_token(subject, "period_start"))
    end = min(date.fromisoformat(date_token(subject, "period_end")), date.fromisoformat(subject.as_of))
    gaps = [day for day in _working_days_from_to(local_days_off(subject), start, end) if day not in logged]
    result.low = len(gaps)
    # A period still running can gain gaps before it ends: only its lower bound is known.
    result.high = len(gaps) if date.fromisoformat(date_token(subject, "period_end")) <= end else None
    result.details = {"gaps": gaps[:GAPS_LISTED], "gap_count": len(gaps), "days_logged": len(logged)}


def check(spec: Any, context: LoadContext) -> list[Problem]:
    return context.check_path(context.at + ("working_days_without",), spec.working_days_without)[1]


def fact_paths(spec: Any) -> Iterator[str]:
    yield spec.working_days_without
    yield DAYS_OFF_PATH


def timings(spec: Any, at_most: Optional[float]) -> list[tuple[str, Any]]:
    return [("period", "working_day")]


def phrase(evidence: dict, language: str, within: Optional[str]) -> str:
    shown = [long_date(day, language) for day in (evidence.get("details") or {}).get("gaps", [])]
    return gaps_phrase(evidence, language, within, "working_days_gaps", shown)


KIND = InputKind(name="working_days_without", keys={"working_days_without": Key(str)}, evaluate=evaluate, check=check,
                 fact_paths=fact_paths, timings=timings, phrase=phrase)
