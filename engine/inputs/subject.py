"""What every input kind shares: the subject a query is about, its result, and the walk over facts.

A query turns evidence into a number or a value the condition compares. Missing evidence
never turns into a number: a count over a list that is absent has no upper bound, an item
whose filtered field is absent may or may not match, and both are carried as a range
`low..high` (high None = unbounded). The condition then decides only what the range
settles; anything else stays unknown and names the missing fact paths.

Besides the walk, this module holds what several kinds declare alike: the `where` filter
(its tests, its load-time checks, the fact paths it reads) and `InputKind`, the declaration
each kind module in this folder makes (see `inputs/__init__.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterator, Optional

from ..model.fact_paths import FactPathError, resolve_path
from ..model.facts import NOT_PRESENT

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
    label_path: Optional[str] = None  # the fact the label was read from (an entry's channel, date, name)

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


def join(path: str, part: Any) -> str:
    return f"{path}[{part}]" if isinstance(part, int) else f"{path}.{part}"


@lru_cache(maxsize=4096)
def _segments(path: str) -> tuple[str, bool, tuple[tuple[str, bool], ...]]:
    """A path cut once into its head and its segments, each with whether it flattens a list (`[]`)."""
    head, *rest = path.split(".")
    return (head.removesuffix("[]"), head.endswith("[]"),
            tuple((segment.removesuffix("[]"), segment.endswith("[]")) for segment in rest))


def walk(subject: Subject, path: str) -> tuple[list[tuple[str, Any]], list[str]]:
    """Every value `path` reaches, with its concrete path, and the paths found absent.

    `[]` after a segment flattens a list: `service_types[].sop` reaches each service's SOP.
    """
    head, flatten_head, segments = _segments(path)
    start, start_path = subject.root(head)
    return walk_from(start, start_path, flatten_head, segments)


def walk_field(item: Any, item_path: str, field_path: str) -> tuple[list[tuple[str, Any]], list[str]]:
    """`walk` from one list entry (`item_path`) along one of its field paths."""
    head, flatten_head, segments = _segments("item." + field_path)
    return walk_from(item, item_path, flatten_head, segments)


def walk_from(start: Any, start_path: str, flatten_head: bool,
              segments: tuple[tuple[str, bool], ...]) -> tuple[list[tuple[str, Any]], list[str]]:
    if not flatten_head and not any(flatten for _, flatten in segments):
        # One value at most: the common case (a date, a document of one entry), without frontiers.
        concrete, value = start_path, start
        for name, _ in segments:
            if value is ABSENT:
                break
            if value == NOT_PRESENT:
                return [], []  # a document recorded as not there: nothing below it, and nothing missing
            concrete = f"{concrete}.{name}"
            value = value.get(name, ABSENT) if isinstance(value, dict) else ABSENT
        if value is ABSENT:
            return [], [concrete]
        return ([], []) if value == NOT_PRESENT else ([(concrete, value)], [])
    frontier: list[tuple[str, Any]] = [(start_path, start)]
    missing: list[str] = []
    pending_flatten = flatten_head
    for segment in segments + (None,):
        if pending_flatten:
            expanded = []
            for concrete, value in frontier:
                if value is ABSENT:
                    expanded.append((concrete, value))
                    continue
                expanded.extend((join(concrete, index), item) for index, item in enumerate(value))
            frontier = expanded
        if segment is None:
            break
        name, pending_flatten = segment
        next_frontier = []
        for concrete, value in frontier:
            if value is ABSENT:
                next_frontier.append((concrete, value))
                continue
            if value == NOT_PRESENT:
                continue  # a document recorded as not there: nothing below it, and nothing missing
            child = value.get(name, ABSENT) if isinstance(value, dict) else ABSENT
            next_frontier.append((join(concrete, name), child))
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


def as_list(value: Any) -> list[Any]:
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
        values, targets = [_word(v) for v in as_list(value)], [_word(t) for t in as_list(target)]
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
    for field_path, test in where.items():
        reached, missing = walk_field(item, item_path, field_path)
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


def summarise(value: Any) -> Any:
    """An item as evidence: its own fields and its document reference, without nested lists."""
    if isinstance(value, dict):
        kept = {k: v for k, v in value.items()
                if not isinstance(v, (list, dict)) or (k == "document" and isinstance(v, dict))}
        return kept or value
    return value




# --- What each kind declares ------------------------------------------------------------------

Problem = tuple[tuple, str]  # (field path in the rule file, message), as rulesets/load.py reports them
Vocabulary = Callable[[str, Any], Optional[str]]  # (vocabulary name, word) -> its id, or None


@dataclass(frozen=True)
class Key:
    """One key of an input: its type, and the refusal when an input of a kind that does not take it has it.

    `stray` None: another kind's input may carry the key unread (as rule files always could).
    """

    type: Any
    stray: Optional[str] = None
    minimum: Optional[int] = None


@dataclass(frozen=True)
class LoadContext:
    """What rulesets/load.py lends a kind to check one input against the fact model."""

    at: tuple  # where the input stands in the rule file: ("inputs", NAME)
    roots: dict[str, Any]  # the model type behind `item` in a rule judging each entry of a list
    check_path: Callable[[tuple, str], tuple[Any, list[Problem]]]  # what a path reaches, and its problems


def _no_shape_problem(spec: Any) -> Optional[str]:
    return None


def _no_timings(spec: Any, at_most: Optional[float]) -> list[tuple[str, Any]]:
    return []


def _no_required_entries(spec: Any) -> list[str]:
    return []


@dataclass(frozen=True)
class InputKind:
    """Everything one input kind means, declared once (one module per kind in this folder).

    `keys` starts with the kind's own key (its name, holding the path it reads); `fact_paths`
    are paths as a rule writes them (`service.` / `item.` roots, `[]`, date tokens), for
    `patuh template`; `timings` is what `patuh compare` reads as the rule's period or deadline
    from a `comply_when` comparison on the input: ("deadline_working_days" | "deadline_days", N),
    ("period", "working_day" | "month") or ("by_date", ISO date).
    """

    name: str
    keys: dict[str, Key]
    evaluate: Callable[[Any, Subject, InputResult, Vocabulary], None]
    check: Callable[[Any, LoadContext], list[Problem]]
    fact_paths: Callable[[Any], Iterator[str]]
    shape_problem: Callable[[Any], Optional[str]] = _no_shape_problem
    timings: Callable[[Any, Optional[float]], list[tuple[str, Any]]] = _no_timings
    required_entries: Callable[[Any], list[str]] = _no_required_entries
    # What the input found for one subject, in words (inputs/sentences.py): (evidence as JSON,
    # language, the subject's own fact path or None) -> the words after the input's label.
    phrase: Optional[Callable[[dict, str, Optional[str]], str]] = None


# --- Kinds over a list filtered by `where` (count, months_without, survey_recomputation) --------

WHERE = Key(dict[str, Any], stray="`where` belongs to a `count`, `months_without` or `survey_recomputation` input")
ROOTED = ("service", "item")  # operands naming a fact of the judged subject, not a literal
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_listed(spec: Any, context: LoadContext, list_key: str, item_fields: tuple[str, ...] = ()) -> list[Problem]:
    """The list path, the item fields the kind reads (`distinct`, `month_field`) and the `where` tests."""
    at = context.at
    reached, problems = context.check_path(at + (list_key,), getattr(spec, list_key))
    if reached is None:
        return problems
    element = reached[0]

    def field_problems(where: tuple, field_path: str) -> list[Problem]:
        try:
            resolve_path("item." + field_path, {**context.roots, "item": element})
        except FactPathError as error:
            return [(where, str(error).replace("`item.", "`"))]
        return []

    for key in item_fields:
        if getattr(spec, key) is not None:
            problems += field_problems(at + (key,), getattr(spec, key))
    for field_path, test in (spec.where or {}).items():
        problems += field_problems(at + ("where", field_path), field_path)
        if isinstance(test, dict):
            for operator, operand in test.items():
                if operator not in WHERE_OPERATORS:
                    problems.append((at + ("where", field_path), f"unknown test `{operator}` (known: {', '.join(sorted(WHERE_OPERATORS))})"))
                elif isinstance(operand, str) and operand.split(".")[0] in ROOTED:
                    problems += context.check_path(at + ("where", field_path, operator), operand)[1]
    return problems


def listed_fact_paths(spec: Any, list_path: str, item_fields: tuple[str, ...] = ()) -> Iterator[str]:
    """The list, the fields of its entries that are tested or read, and the subject's facts the tests compare with."""
    yield list_path
    for field_path in list((spec.where or {}).keys()) + [getattr(spec, key) for key in item_fields]:
        if field_path:
            yield f"{list_path}.{field_path}"
    for test in (spec.where or {}).values():
        if isinstance(test, dict):
            for operand in test.values():
                if isinstance(operand, str) and operand.split(".")[0] in ROOTED:
                    yield operand


def where_timings(spec: Any, at_most: Optional[float]) -> list[tuple[str, Any]]:
    """An `on_or_before` test against a literal date: the date the duty is due by."""
    found = []
    for test in (spec.where or {}).values():
        if isinstance(test, dict):
            limit = test.get("on_or_before")
            if isinstance(limit, str) and ISO_DATE.match(limit):
                found.append(("by_date", limit))
    return found
