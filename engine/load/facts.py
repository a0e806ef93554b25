"""Facts YAML -> the validated model, or one clear message per problem.

Every message names the file, the line and the field, and says what was expected. Beyond
the model's own checks, facts are checked against each other: a date after the audit's
as-of date, a facility word outside the vocabulary, a publication naming a service type
the unit does not have.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

from pydantic import ValidationError

from ..model.facts import Facts, SurveyRespondent
from ..model.fact_paths import unwrap_annotation
from ..problems import InputError, InputProblems
from ..skm.method import weights_for
from ..skm.sheets import PROBLEMS_SHOWN, SurveyError, read_responses
from .source_yaml import SourceDocument, format_path, load_source
from .vocabulary import load_vocabulary


class FactsError(InputProblems):
    """All the problems found in one facts file."""


def _fields_at(path: tuple) -> list[str]:
    """The field names the model allows in the block at `path` (for "did you mean")."""
    current: Any = Facts
    for part in path:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current, _ = unwrap_annotation(fields[part].annotation)
    return list(getattr(current, "model_fields", {}))


def _shown(value: Any) -> str:
    """A value as the facts file writes it: true/false and null as YAML spells them, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null (nothing)"
    return repr(value)


def _pydantic_message(error: dict[str, Any], path: tuple = ()) -> str:
    kind = error["type"]
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number such as 3, found {_shown(error.get('input'))}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number such as 75.5, found {_shown(error.get('input'))}"
    if kind == "extra_forbidden":
        known = _fields_at(path[:-1])
        nearest = difflib.get_close_matches(str(path[-1]), known, n=2, cutoff=0.6) if path else []
        hint = f"did you mean {' or '.join(f'`{n}`' for n in nearest)}? " if nearest else ""
        allowed = f"this block holds: {', '.join(known)}" if known else "see facts/README.md"
        return f"unknown key; {hint}({allowed})"
    if kind.startswith("bool"):
        return f"expected true or false, found {_shown(error.get('input'))}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = next(iter(error.get("ctx", {}).values()), None)
        words = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than", "less_than": "less than"}
        return f"expected a number {words[kind]} {limit}, found {_shown(error.get('input'))}"
    if kind == "missing":
        return "this field is required here"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
        return f"expected a real date written YYYY-MM-DD, found {_shown(error.get('input'))}: {error['msg']}"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{_shown(error.get('input'))} is not one of the allowed values: {expected}"
    return f"{error['msg']} (found {_shown(error.get('input'))})" if "input" in error and not isinstance(error.get("input"), (dict, list)) else error["msg"]


def _is_union_branch(part: object) -> bool:
    """pydantic names the branch of a union in the location (`Maklumat`, `literal['tidak_ada']`)."""
    return isinstance(part, str) and (part[:1].isupper() or part.startswith("literal[") or part == "date")


def _validation_problems(document: SourceDocument, error: ValidationError) -> list[InputError]:
    """One message per field, in the words of the facts file rather than of the model's unions."""
    problems: list[InputError] = []
    seen: set[tuple] = set()
    for detail in error.errors():
        path = tuple(part for part in detail["loc"] if not _is_union_branch(part))
        branches = [part for part in detail["loc"] if _is_union_branch(part)]
        if branches and branches[-1].startswith("literal["):
            continue  # the "tidak_ada" branch: explained with the other branch's message below
        if branches and detail["type"] in ("model_type", "dict_type"):
            message = f"expected a block of fields, or `tidak_ada` to record that there is none (found {_shown(detail.get('input'))})"
        elif branches == ["date"]:
            message = _pydantic_message(detail, path) + " (or `tidak_ada` for not yet)"
        else:
            message = _pydantic_message(detail, path)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        problems.append(InputError(document.file, message, document.line_of(path), format_path(path)))
    return problems


def _walk_dates(value: Any, path: tuple) -> Iterator[tuple[tuple, date]]:
    if isinstance(value, date):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _walk_dates(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk_dates(child, path + (index,))


def check_consistency(facts: Facts, document: SourceDocument, as_of: date | None) -> list[InputError]:
    problems: list[InputError] = []

    def problem(path: tuple, message: str) -> None:
        problems.append(InputError(document.file, message, document.line_of(path), format_path(path)))

    dumped = facts.model_dump(mode="python", exclude_none=True)
    if as_of is not None:
        for path, value in _walk_dates(dumped, ()):
            if value > as_of:
                problem(path, f"{value.isoformat()} is after the audit's as-of date {as_of.isoformat()}; "
                              "facts can only record what had happened by then (use a later --as-of)")
    for index, survey in enumerate(facts.events.skm or [] if facts.events else []):
        if survey.held_from and survey.held_from > survey.held_to:
            problem(("events", "skm", index, "held_from"),
                    f"the survey starts ({survey.held_from.isoformat()}) after it ends ({survey.held_to.isoformat()})")
    vocabulary = load_vocabulary("facilities")
    for index, item in enumerate(facts.facilities or []):
        if vocabulary.resolve(item.item) is None:
            nearest = vocabulary.suggestions(item.item)
            hint = f"; did you mean {', '.join(repr(n) for n in nearest)}?" if nearest else ""
            problem(("facilities", index, "item"), f"{item.item!r} is not in the facility vocabulary (facts/vocabulary/facilities.yaml){hint}")
    service_ids = [service.id for service in facts.service_types or []]
    for index, service_id in enumerate(service_ids):
        if service_ids.index(service_id) != index:
            problem(("service_types", index, "id"), f"service type id {service_id!r} is used twice")
    known = set(service_ids)

    def check_reference(path: tuple, service_id: str | None) -> None:
        if service_id is not None and service_id not in known:
            problem(path, f"no service type with id {service_id!r} in service_types (known: {', '.join(sorted(known)) or 'none'})")

    for index, publication in enumerate(facts.publications or []):
        check_reference(("publications", index, "service_type"), publication.service_type)
    complaints = facts.complaint_management.complaints if facts.complaint_management else None
    for index, complaint in enumerate(complaints or []):
        check_reference(("complaint_management", "complaints", index, "service_type"), complaint.service_type)
    for index, agreement in enumerate(facts.cooperation_agreements or []):
        for position, service_id in enumerate(agreement.service_types or []):
            check_reference(("cooperation_agreements", index, "service_types", position), service_id)
    events = facts.events
    if events is not None:
        for index, change in enumerate(events.service_changes or []):
            check_reference(("events", "service_changes", index, "service_type"), change.service_type)
        for name in ("skm", "standar_evaluations", "implementation_activities", "monitoring"):
            for index, event in enumerate(getattr(events, name) or []):
                for position, service_id in enumerate(event.service_types or []):
                    check_reference(("events", name, index, "service_types", position), service_id)
        for index, survey in enumerate(events.skm or []):
            for position, respondent in enumerate((survey.responses.respondents if survey.responses else None) or []):
                check_reference(("events", "skm", index, "responses", "respondents", position, "service_type"), respondent.service_type)
    return problems


def _service_lookup(service_types: Sequence[Any]) -> dict[str, str]:
    """Service ids by their id and their name, as a sheet may write either."""
    lookup: dict[str, str] = {}
    for service in service_types:
        for word in (service.id, service.name):
            lookup[" ".join(str(word).casefold().split())] = service.id
    return lookup


def respondents_for_facts(file: Path, weights: Optional[Sequence[Any]], service_types: Sequence[Any]) -> tuple[list, list[InputError]]:
    """The rows of a responses sheet as `SurveyRespondent`s, or the problems that stop it loading.

    A respondent's service (jenis_layanan) must be one of the unit's service types, by id or by
    name: a survey is judged per service, and a name no service has would silently cover nothing.
    """
    try:
        responses = read_responses(file)
        weights_for(len(responses.elements), weights)
    except SurveyError as error:
        return [], error.problems
    except ValueError as error:
        return [], [InputError(file, str(error), None, "weights")]
    lookup = _service_lookup(service_types)
    known = ", ".join(f"{service.id} ({service.name})" for service in service_types) or "none: the facts list no service_types"
    problems: list[InputError] = []
    respondents = []
    for respondent in responses.respondents:
        service_type = None
        named = respondent.profile.get("jenis_layanan")
        if named is not None:
            service_type = lookup.get(" ".join(named.casefold().split()))
            if service_type is None:
                problems.append(InputError(file, f"{named!r} is not a service type of this unit (known: {known})",
                                           respondent.row, "jenis_layanan"))
        respondents.append(SurveyRespondent(row=respondent.row, scores=list(respondent.scores), service_type=service_type,
                                            dated=respondent.profile.get("tanggal")))
    return respondents, problems[:PROBLEMS_SHOWN]


def attach_survey_responses(facts: Facts, document: SourceDocument) -> tuple[Facts, list[InputError]]:
    """Each survey's responses sheet, read (relative to the facts file) into its `respondents`."""
    surveys = facts.events.skm if facts.events and facts.events.skm else []
    if not any(survey.responses and survey.responses.file and survey.responses.respondents is None for survey in surveys):
        return facts, []
    problems: list[InputError] = []
    updated = []
    for index, survey in enumerate(surveys):
        if not (survey.responses and survey.responses.file and survey.responses.respondents is None):
            updated.append(survey)
            continue
        path = ("events", "skm", index, "responses", "file")
        responses, found = respondents_for_facts(Path(document.file).parent / survey.responses.file, survey.responses.weights,
                                                 facts.service_types or [])
        problems += [InputError(document.file, f"the responses sheet does not load: {problem}", document.line_of(path),
                                format_path(path)) for problem in found]
        updated.append(survey.model_copy(update={"responses": survey.responses.model_copy(update={"respondents": responses})}))
    events = facts.events.model_copy(update={"skm": updated})
    return facts.model_copy(update={"events": events}), problems


def check_earlier_audits(facts: Facts, document: SourceDocument, regulation_id: str, rule_ids: set[str]) -> list[InputError]:
    """An earlier finding naming a rule this regulation does not have would silently never escalate."""
    problems = []
    for audit_index, audit in enumerate(facts.earlier_audits or []):
        if audit.regulation not in (None, regulation_id):
            continue
        for finding_index, finding in enumerate(audit.findings):
            if finding.rule_id not in rule_ids:
                path = ("earlier_audits", audit_index, "findings", finding_index, "rule_id")
                problems.append(InputError(document.file, f"no rule {finding.rule_id!r} in {regulation_id} "
                                           "(`patuh rules list` shows the ids)", document.line_of(path), format_path(path)))
    return problems


def load_facts(file: Path | str, as_of: date | None = None, regulation_id: str | None = None,
               rule_ids: set[str] | None = None) -> Facts:
    """Read, validate and cross-check a facts file; raise FactsError listing every problem.

    With `regulation_id` and `rule_ids`, earlier audit findings must name rules that exist.
    """
    return facts_from_document(load_source(file, "facts"), as_of, regulation_id, rule_ids)


def facts_from_document(document: SourceDocument, as_of: date | None = None, regulation_id: str | None = None,
                        rule_ids: set[str] | None = None) -> Facts:
    """`load_facts` for a file already read (a batch reads the region first to choose the regulation)."""
    if not isinstance(document.data, dict):
        raise FactsError([InputError(document.file, "expected a mapping with at least `organisation:` at the top", document.line_of(()))])
    try:
        facts = Facts.model_validate(document.data)
    except ValidationError as error:
        raise FactsError(_validation_problems(document, error)) from None
    facts, survey_problems = attach_survey_responses(facts, document)
    if survey_problems:
        raise FactsError(survey_problems)
    problems = check_consistency(facts, document, as_of)
    if regulation_id is not None and rule_ids is not None:
        problems += check_earlier_audits(facts, document, regulation_id, rule_ids)
    if problems:
        raise FactsError(problems)
    return facts
