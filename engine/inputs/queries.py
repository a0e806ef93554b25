"""Named queries ("inputs") over one subject's facts.

A query turns evidence into a number or a value the condition compares. Missing evidence
never turns into a number: a count over a list that is absent has no upper bound, an item
whose filtered field is absent may or may not match, and both are carried as a range
`low..high` (high None = unbounded). The condition then decides only what the range
settles; anything else stays unknown and names the missing fact paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable, Optional

from ..model.facts import NOT_PRESENT
from ..rulesets.model import Input
from ..dates.working_days import WorkingCalendar

ABSENT = object()


@dataclass(frozen=True)
class Subject:
    """What one evaluation of a rule is about: the unit, one service, one item, one period."""

    key: str
    label: str
    facts: dict[str, Any]
    as_of: str
    in_force: str = ""
    service: Optional[dict[str, Any]] = None
    service_path: Optional[str] = None
    item: Optional[dict[str, Any]] = None
    item_path: Optional[str] = None
    period_start: Optional[str] = None
    period_end: Optional[str] = None
    period_ended: bool = True

    def root(self, name: str) -> tuple[Any, str]:
        if name == "service":
            return (self.service if self.service is not None else ABSENT), self.service_path or "service"
        if name == "item":
            return (self.item if self.item is not None else ABSENT), self.item_path or "item"
        return self.facts.get(name, ABSENT), name


@dataclass
class InputResult:
    name: str
    low: Optional[float] = None
    high: Optional[float] = None
    value: Optional[str] = None
    missing_paths: list[str] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return self.value is not None or (self.low is not None and self.high is not None and self.low == self.high)


def _join(path: str, part: Any) -> str:
    return f"{path}[{part}]" if isinstance(part, int) else f"{path}.{part}"


def walk(subject: Subject, path: str) -> tuple[list[tuple[str, Any]], list[str]]:
    """Every value `path` reaches, with its concrete path, and the paths found absent.

    `[]` after a segment flattens a list: `service_types[].sop` reaches each service's SOP.
    """
    segments = path.split(".")
    head = segments[0]
    flatten_head = head.endswith("[]")
    start, start_path = subject.root(head.removesuffix("[]"))
    frontier: list[tuple[str, Any]] = [(start_path, start)]
    missing: list[str] = []
    pending_flatten = flatten_head
    for segment in segments[1:] + [None]:
        if pending_flatten:
            expanded = []
            for concrete, value in frontier:
                if value is ABSENT:
                    expanded.append((concrete, value))
                    continue
                expanded.extend((_join(concrete, index), item) for index, item in enumerate(value))
            frontier = expanded
        if segment is None:
            break
        name = segment.removesuffix("[]")
        pending_flatten = segment.endswith("[]")
        next_frontier = []
        for concrete, value in frontier:
            if value is ABSENT:
                next_frontier.append((concrete, value))
                continue
            if value == NOT_PRESENT:
                continue  # a document recorded as not there: nothing below it, and nothing missing
            child = value.get(name, ABSENT) if isinstance(value, dict) else ABSENT
            next_frontier.append((_join(concrete, name), child))
        frontier = next_frontier
    reached = []
    for concrete, value in frontier:
        if value is ABSENT:
            missing.append(concrete)
        elif value != NOT_PRESENT:
            reached.append((concrete, value))
    return reached, missing


DATE_TOKENS = ("as_of", "in_force", "period_start", "period_end")


def date_token(subject: Subject, token: str) -> str:
    """The audit's dates by name; a subject without a period has its period end at the as-of date."""
    if token == "as_of":
        return subject.as_of
    if token == "in_force":
        return subject.in_force
    if token == "period_start":
        return subject.period_start or subject.in_force
    return subject.period_end or subject.as_of


def reference(subject: Subject, text: Any) -> tuple[Any, list[str]]:
    """A test operand and the fact paths found absent on the way to it.

    An operand is a date token (`as_of`, `in_force` — the regulation's in-force date —,
    `period_start`, `period_end`), a path rooted at `service`/`item`, or a literal.
    """
    if text in DATE_TOKENS:
        return date_token(subject, text), []
    if isinstance(text, str) and (text.startswith("service.") or text.startswith("item.")):
        reached, missing = walk(subject, text)
        return (reached[0][1] if reached else ABSENT), missing
    return text, []


def _word(value: Any) -> Any:
    return " ".join(value.casefold().split()) if isinstance(value, str) else value


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _test_one(subject: Subject, operator: str, operand: Any, value: Any, missing: list[str]) -> Optional[bool]:
    """True/False, or None when the operand itself is unknown (its absent paths go to `missing`)."""
    if operator == "within":
        if subject.period_start is None:
            return value <= subject.as_of
        return subject.period_start <= value <= subject.period_end
    target, absent = reference(subject, operand)
    if target is ABSENT:
        missing.extend(absent)
        return None
    if operator in ("same_as", "one_of", "not_one_of", "includes", "includes_all"):
        # Words people type (a channel, a place) match whatever their case and spacing.
        values, targets = [_word(v) for v in _as_list(value)], [_word(t) for t in _as_list(target)]
        if operator == "same_as":
            return values == targets
        if operator == "one_of":
            return any(v in targets for v in values)
        if operator == "not_one_of":
            return not any(v in targets for v in values)
        if operator == "includes":  # the list holds the operand (or one of the operands)
            return any(t in values for t in targets)
        return all(t in values for t in targets)
    if operator == "on_or_before":
        return value <= target
    if operator == "on_or_after":
        return value >= target
    if operator == "at_least":
        return value >= target
    raise ValueError(f"unknown operator {operator}")


def _test_all(subject: Subject, tests: dict[str, Any], value: Any, missing: list[str]) -> Optional[bool]:
    outcomes = [_test_one(subject, operator, operand, value, missing) for operator, operand in tests.items()]
    if False in outcomes:
        return False
    return None if None in outcomes else True


WHERE_OPERATORS = {"within", "same_as", "one_of", "not_one_of", "includes", "includes_all", "on_or_before", "on_or_after", "at_least"}


def match_item(subject: Subject, item_path: str, item: Any, where: dict[str, Any]) -> tuple[Optional[bool], list[str]]:
    undetermined: list[str] = []
    verdict: Optional[bool] = True
    # Field paths are walked from the list item; operands still refer to the judged subject.
    as_item = replace(subject, item=item, item_path=item_path) if where else subject
    for field_path, test in where.items():
        reached, missing = walk(as_item, "item." + field_path)
        tests = test if isinstance(test, dict) else {"one_of": test}
        # A field reached through `[]` may hold several values: the test passes if any
        # value passes, fails if every value is known and fails, and is open otherwise.
        operand_missing: list[str] = []
        outcomes = [_test_all(subject, tests, value, operand_missing) for _, value in reached]
        if True in outcomes:
            continue
        if missing or None in outcomes:
            undetermined.extend(missing + operand_missing)
            verdict = None if verdict is not False else False
        else:
            verdict = False
    return verdict, (undetermined if verdict is None else [])


def _summarise(value: Any) -> Any:
    """An item as evidence: its own fields and its document reference, without nested lists."""
    if isinstance(value, dict):
        kept = {k: v for k, v in value.items()
                if not isinstance(v, (list, dict)) or (k == "document" and isinstance(v, dict))}
        return kept or value
    return value


def _count(spec: Input, subject: Subject, result: InputResult, vocabulary) -> None:
    reached, missing = walk(subject, spec.count)
    result.missing_paths.extend(missing)
    matched = undetermined = 0
    distinct_values: set[str] = set()
    for concrete, items in reached:
        if isinstance(items, list):
            concrete_paths = [_join(concrete, i) for i in range(len(items))]
        else:
            items, concrete_paths = [items], [concrete]
        for item_path, item in zip(concrete_paths, items):
            verdict, unknown_paths = match_item(subject, item_path, item, spec.where or {})
            if verdict is True:
                if spec.distinct is not None:
                    value = item.get(spec.distinct) if isinstance(item, dict) else None
                    if value is None:
                        undetermined += 1  # a match whose field is unrecorded may or may not be new
                        result.missing_paths.append(_join(item_path, spec.distinct))
                        continue
                    distinct_values.add(" ".join(str(value).lower().split()))
                matched += 1
                result.items.append({"path": item_path, "fact": _summarise(item)})
            elif verdict is None:
                undetermined += 1
                result.missing_paths.extend(unknown_paths)
    if spec.distinct is not None:
        matched = len(distinct_values)
    result.low = matched
    result.high = None if missing else matched + undetermined


def _missing_from(spec: Input, subject: Subject, result: InputResult, vocabulary) -> None:
    reached, missing = walk(subject, spec.missing_from)
    if missing:
        result.missing_paths.extend(missing)
        return
    present: set[str] = set()
    for _, items in reached:
        for item in _as_list(items):
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


def _value(spec: Input, subject: Subject, result: InputResult, vocabulary) -> None:
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


def _date_ends(ends_spec: dict[str, str], subject: Subject, result: InputResult) -> tuple[Optional[date], Optional[date]]:
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


def _days_between(spec: Input, subject: Subject, result: InputResult, vocabulary) -> None:
    start, end = _date_ends(spec.days_between, subject, result)
    if start is not None and spec.deadline is not None:
        result.details["deadline"] = (start + timedelta(days=spec.deadline)).isoformat()
    if start is not None and end is not None:
        result.low = result.high = (end - start).days


@lru_cache(maxsize=64)
def _calendar(local_days_off: tuple[str, ...]) -> WorkingCalendar:
    return WorkingCalendar(local_days_off=[date.fromisoformat(day) for day in local_days_off])


def _local_days_off(subject: Subject) -> tuple[str, ...]:
    return tuple(subject.facts.get("organisation", {}).get("local_days_off", []))


# Counts and deadlines are remembered per calendar and dates: a batch counts the same spans for
# many complaints and several rules (a count walks every day of its span and builds its notes).
# Bounded, so a batch's memory does not grow with its units (a count with its notes is about
# 1.5 KB: 65,536 of them would add 100 MB to a worker; 4,096 keep the hits, 44,461 of 57,726
# on 300 Sanggau units with 65,536, and 36,355 with 2,048, for the same time). Only read.
@lru_cache(maxsize=4096)
def _counted_between(local_days_off: tuple[str, ...], start: date, end: date):
    return _calendar(local_days_off).working_days_between_detailed(start, end)


@lru_cache(maxsize=4096)
def _deadline_after(local_days_off: tuple[str, ...], start: date, days: int):
    return _calendar(local_days_off).add_working_days_detailed(start, days)


@lru_cache(maxsize=1024)
def _working_days_from_to(local_days_off: tuple[str, ...], start: date, end: date) -> tuple[str, ...]:
    calendar = _calendar(local_days_off)
    days, day = [], start
    while day <= end:
        if calendar.is_working_day(day):
            days.append(day.isoformat())
        day += timedelta(days=1)
    return tuple(days)


def _working_days(spec: Input, subject: Subject, result: InputResult, vocabulary) -> None:
    start, end = _date_ends(spec.working_days, subject, result)
    local_days_off = _local_days_off(subject)
    notes = []
    if start is not None and spec.deadline is not None:
        # The deadline is known as soon as the span starts, even while the entry is still open.
        deadline = _deadline_after(local_days_off, start, spec.deadline)
        result.details["deadline"] = deadline.date.isoformat()
        notes.append(deadline.estimate_note())
    if start is not None and end is not None:
        counted = _counted_between(local_days_off, start, end)
        result.low = result.high = counted.working_days
        # The days off that make the count differ from counting weekdays, and any estimate it rests on.
        result.details["days_off"] = [f"{day.isoformat()} {name}" for day, name in counted.holidays_skipped]
        notes.append(counted.estimate_note())
    note = next((text for text in notes if text), None)
    if note:
        result.details["estimated"] = note


GAPS_LISTED = 31  # a month of missed days is enough to show; the count says the rest


def _working_days_without(spec: Input, subject: Subject, result: InputResult, vocabulary) -> None:
    reached, missing = walk(subject, spec.working_days_without)
    if missing:
        result.missing_paths.extend(missing)
        return
    logged = {value for _, value in reached if isinstance(value, str)}
    start = date.fromisoformat(date_token(subject, "period_start"))
    end = min(date.fromisoformat(date_token(subject, "period_end")), date.fromisoformat(subject.as_of))
    gaps = [day for day in _working_days_from_to(_local_days_off(subject), start, end) if day not in logged]
    result.low = len(gaps)
    # A period still running can gain gaps before it ends: only its lower bound is known.
    result.high = len(gaps) if date.fromisoformat(date_token(subject, "period_end")) <= end else None
    result.details = {"gaps": gaps[:GAPS_LISTED], "gap_count": len(gaps), "days_logged": len(logged)}


def _months_without(spec: Input, subject: Subject, result: InputResult, vocabulary) -> None:
    """Months of the judged period, up to the as-of date, that no matching entry covers.

    An entry that may match (a tested field unrecorded) or whose month is unrecorded may
    cover any one gap: each such entry lowers the lower bound by one, never the count shown.
    """
    reached, missing = walk(subject, spec.months_without)
    result.missing_paths.extend(missing)
    covered: set[str] = set()
    undetermined = 0
    for concrete, items in reached:
        for index, item in enumerate(_as_list(items)):
            item_path = _join(concrete, index) if isinstance(items, list) else concrete
            verdict, unknown_paths = match_item(subject, item_path, item, spec.where or {})
            month = item.get(spec.month_field) if isinstance(item, dict) else None
            if verdict is True and month is not None:
                covered.add(str(month)[:7])
                result.items.append({"path": item_path, "fact": _summarise(item)})
            elif verdict is True or verdict is None:
                undetermined += 1
                result.missing_paths.extend(unknown_paths if verdict is None else [_join(item_path, spec.month_field)])
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


def _survey_recomputation(spec: Input, subject: Subject, result: InputResult, vocabulary) -> None:
    """What SKM surveys' raw answers show (engine/survey.py): one survey's measure, or how many surveys cover a service."""
    from .survey_measures import measure_survey, survey_covers_service

    reached, missing = walk(subject, spec.survey_recomputation)
    result.missing_paths.extend(missing)
    surveys = [(_join(concrete, index), item) for concrete, value in reached
               for index, item in enumerate(value)] if reached and isinstance(reached[0][1], list) else reached
    matched, undetermined = [], 0
    for path, survey in surveys:
        verdict, unknown_paths = match_item(subject, path, survey, spec.where or {})
        if verdict is True:
            matched.append((path, survey))
        elif verdict is None:
            undetermined += 1
            result.missing_paths.extend(unknown_paths)
    if spec.measure == "surveys_covering_service":
        covering = 0
        for path, survey in matched:
            covers, lacking = survey_covers_service(survey, subject.service["id"] if subject.service else "")
            if covers is None:
                undetermined += 1
                result.missing_paths.extend(f"{path}.{name}" for name in lacking)
            elif covers:
                covering += 1
                result.items.append({"path": path, "fact": _summarise(survey)})
        result.low, result.high = covering, (None if missing else covering + undetermined)
        return
    if missing or len(matched) != 1 or undetermined:
        return  # a measure of one survey: `item` in a rule judging each survey
    path, survey = matched[0]
    found = measure_survey(spec.measure, survey)
    result.missing_paths.extend(f"{path}.{name}" for name in found.missing)
    result.details.update(found.details)
    result.items.append({"path": path, "fact": _summarise(survey)})
    sheet = (survey.get("responses") or {}).get("file")
    if sheet:  # the evidence cites the sheet the answers were read from
        result.items.append({"path": f"{path}.responses.file", "fact": sheet})
    if found.word is not None:
        result.value = found.word
    elif found.number is not None:
        result.low = result.high = found.number


QUERY_KINDS = {"count": _count, "missing_from": _missing_from, "value": _value, "days_between": _days_between,
               "working_days": _working_days, "working_days_without": _working_days_without,
               "months_without": _months_without, "survey_recomputation": _survey_recomputation}


def evaluate_input(name: str, spec: Input, subject: Subject, vocabulary: Callable[[str, str], Optional[str]]) -> InputResult:
    result = InputResult(name=name)
    QUERY_KINDS[spec.kind](spec, subject, result, vocabulary)
    return result
