"""`months_without: PATH`: the months of the judged period, up to the as-of date, that no matching entry covers.

    months_without: events.reports
    month_field: month_covered  # the entry's field holding a date in the month it covers
    where: {kind: statistik_pengaduan}

The gaps in a monthly duty; `patuh compare` reads the rule as "every month".
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterator, Optional

from ..load.wording import long_month
from .sentences import gaps_phrase
from .subject import (WHERE, InputKind, InputResult, Key, LoadContext, Problem, Subject, Vocabulary, as_list, check_listed,
                      date_token, join, listed_fact_paths, match_item, summarise, walk, where_timings)

TOGETHER = "`months_without` and `month_field` go together: the list, and the field dating the month each entry covers"
ITEM_FIELDS = ("month_field",)


def evaluate(spec: Any, subject: Subject, result: InputResult, vocabulary: Vocabulary) -> None:
    """Months of the judged period, up to the as-of date, that no matching entry covers.

    An entry that may match (a tested field unrecorded) or whose month is unrecorded may
    cover any one gap: each such entry lowers the lower bound by one, never the count shown.
    """
    reached, missing = walk(subject, spec.months_without)
    result.missing_paths.extend(missing)
    covered: set[str] = set()
    undetermined = 0
    for concrete, items in reached:
        for index, item in enumerate(as_list(items)):
            item_path = join(concrete, index) if isinstance(items, list) else concrete
            verdict, unknown_paths = match_item(subject, item_path, item, spec.where or {})
            month = item.get(spec.month_field) if isinstance(item, dict) else None
            if verdict is True and month is not None:
                covered.add(str(month)[:7])
                result.items.append({"path": item_path, "fact": summarise(item)})
            elif verdict is True or verdict is None:
                undetermined += 1
                result.missing_paths.extend(unknown_paths if verdict is None else [join(item_path, spec.month_field)])
    start = date.fromisoformat(date_token(subject, "period_start"))
    period_end = date.fromisoformat(date_token(subject, "period_end"))
    end = min(period_end, date.fromisoformat(subject.as_of))
    gaps = []
    month = date(start.year, start.month, 1)
    while month <= end:
        if month.isoformat()[:7] not in covered:
            gaps.append(month.isoformat()[:7])
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    if missing:
        result.low, result.high = 0, len(gaps) if period_end <= end else None
    else:
        result.low = max(0, len(gaps) - undetermined)
        # A period still running can gain gaps before it ends: only its lower bound is known.
        result.high = len(gaps) if period_end <= end else None
    result.details = {"gaps": gaps, "gap_count": len(gaps), "months_covered": len(covered)}


def shape_problem(spec: Any) -> Optional[str]:
    return None if spec.month_field is not None else TOGETHER


def check(spec: Any, context: LoadContext) -> list[Problem]:
    return check_listed(spec, context, "months_without", ITEM_FIELDS)


def fact_paths(spec: Any) -> Iterator[str]:
    return listed_fact_paths(spec, spec.months_without, ITEM_FIELDS)


def timings(spec: Any, at_most: Optional[float]) -> list[tuple[str, Any]]:
    return [("period", "month")] + where_timings(spec, at_most)


def phrase(evidence: dict, language: str, within: Optional[str]) -> str:
    shown = [long_month(month, language) for month in (evidence.get("details") or {}).get("gaps", [])]
    return gaps_phrase(evidence, language, within, "months_gaps", shown)


KIND = InputKind(
    name="months_without", keys={"months_without": Key(str), "month_field": Key(str, stray=TOGETHER), "where": WHERE},
    evaluate=evaluate, check=check, fact_paths=fact_paths, shape_problem=shape_problem, timings=timings,
    phrase=phrase)
