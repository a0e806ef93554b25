"""`survey_recomputation: PATH`: what SKM surveys' raw answers show, recomputed (skm/method.py).

    survey_recomputation: item  # the surveys: `item` in a rule judging each survey
    measure: recomputed_ikm     # one of MEASURES
    where: {held_to: {within: period}}   # optional: filters the surveys as for `count`

A measure of one survey (recomputed_ikm, recomputed_mutu, ikm_difference, required_sample,
least_sample, respondents, sample_shortfall, least_sample_shortfall) needs `item` to reach
one survey; `surveys_covering_service` counts the surveys that covered the judged service,
by their respondents when the raw answers name services, else as the survey lists them.
The raw answers are `responses` (a sheet named in `file`, read with the facts, or rows
written inline under `respondents`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterator, Optional

from ..skm.method import (CHI_SQUARE_LEAST, Respondent, Responses, SurveyResult, check_sample, compare_published, compute,
                          krejcie_morgan, respondents_by_service, round_half_up)
from .sentences import measure_phrase
from .subject import (WHERE, InputKind, InputResult, Key, LoadContext, Problem, Subject, Vocabulary, check_listed, join,
                      listed_fact_paths, match_item, summarise, walk, where_timings)

MEASURES = ("recomputed_ikm", "recomputed_mutu", "ikm_difference", "required_sample", "respondents", "sample_shortfall",
            "least_sample", "least_sample_shortfall", "surveys_covering_service")
NEEDS_MEASURE = f"`survey_recomputation` needs `measure`, one of {', '.join(MEASURES)}"

# The survey's fields each measure reads. Every measure of one survey recomputes the raw answers
# (the evidence shows the recomputed IKM beside any measure); the others read what they compare.
RAW_ANSWERS = ("responses", "responses.file", "responses.weights", "responses.respondents", "responses.respondents.scores")
MEASURE_FIELDS = {
    "recomputed_ikm": RAW_ANSWERS,
    "recomputed_mutu": RAW_ANSWERS,
    "ikm_difference": RAW_ANSWERS + ("ikm",),
    "required_sample": RAW_ANSWERS + ("population",),
    "least_sample": RAW_ANSWERS + ("population",),
    "respondents": RAW_ANSWERS + ("respondents",),
    "sample_shortfall": RAW_ANSWERS + ("population", "respondents"),
    "least_sample_shortfall": RAW_ANSWERS + ("population", "respondents"),
    "surveys_covering_service": ("service_types", "responses.respondents.scores", "responses.respondents.service_type"),
}


def _responses_from_facts(responses: dict[str, Any], source: str) -> Responses:
    rows = responses.get("respondents") or []
    count = len(rows[0]["scores"]) if rows else 9
    return Responses(source=source, elements=tuple(f"U{n}" for n in range(1, count + 1)), respondents=tuple(
        Respondent(row=row.get("row") or index + 1, scores=tuple(row["scores"]),
                   profile={key: str(row[field]) for key, field in (("jenis_layanan", "service_type"), ("tanggal", "dated")) if row.get(field)})
        for index, row in enumerate(rows)))


def recompute_survey(survey: dict[str, Any]) -> Optional[SurveyResult]:
    """The survey (as facts hold it) recomputed from its raw answers; None when it has none."""
    responses = survey.get("responses")
    if not responses or responses.get("respondents") is None:
        return None
    return compute(_responses_from_facts(responses, responses.get("file") or "responses"), responses.get("weights"))


@dataclass
class Measured:
    """What one measure of `survey_recomputation` found: a number or a word, or the fields it lacked."""

    number: Optional[float] = None
    word: Optional[str] = None
    missing: list[str] = field(default_factory=list)   # fields of the survey that are absent
    details: dict[str, Any] = field(default_factory=dict)


def _respondents(survey: dict[str, Any], result: Optional[SurveyResult]) -> tuple[Optional[int], str]:
    """Respondents who answered, counted on the raw answers when there are some, else as the report states."""
    if result is not None:
        return result.respondents, "responses"
    return survey.get("respondents"), "respondents"


def measure_survey(measure: str, survey: dict[str, Any]) -> Measured:
    """One survey's measure for a rule."""
    found = Measured()
    try:
        result = recompute_survey(survey)
    except ValueError as error:  # weights or unanswered elements written inline wrongly
        found.missing.append("responses")
        found.details["error"] = str(error)
        return found
    if result is not None:
        mutu, kinerja, _ = result.grade
        found.details.update({"recomputed_ikm": float(result.ikm_rounded), "mutu": mutu, "kinerja": kinerja,
                              "respondents_answering": result.respondents,
                              "priorities": [element.code for element in result.priorities[:3]]})
        if result.ikm_with_0_11 is not None and all(e.weight == Fraction(1, 9) for e in result.elements):
            found.details["ikm_with_weight_0_11"] = float(round_half_up(result.ikm_with_0_11, 2))
    if measure in ("recomputed_ikm", "recomputed_mutu", "ikm_difference"):
        if result is None:
            found.missing.append("responses")
        if measure == "ikm_difference" and survey.get("ikm") is None:
            found.missing.append("ikm")
        if found.missing:
            return found
        if measure == "recomputed_ikm":
            found.number = float(result.ikm_rounded)
        elif measure == "recomputed_mutu":
            found.word = result.grade[0]
        else:
            comparison = compare_published(survey["ikm"], result.ikm)
            found.details.update(comparison)
            found.number = comparison["difference"]
        return found
    respondents, counted_from = _respondents(survey, result)
    population = survey.get("population")
    if measure in ("required_sample", "sample_shortfall", "least_sample", "least_sample_shortfall") and population is None:
        found.missing.append("population")
    if measure in ("respondents", "sample_shortfall", "least_sample_shortfall") and respondents is None:
        found.missing.append("respondents")
    if found.missing:
        return found
    found.details["respondents_counted_from"] = counted_from
    if population is not None:
        found.details.update({"population": population, "required_sample": krejcie_morgan(population),
                              "least_sample": krejcie_morgan(population, CHI_SQUARE_LEAST)})
    if measure == "required_sample":
        found.number = krejcie_morgan(population)
    elif measure == "least_sample":
        found.number = krejcie_morgan(population, CHI_SQUARE_LEAST)
    elif measure == "least_sample_shortfall":
        found.number = max(0, krejcie_morgan(population, CHI_SQUARE_LEAST) - respondents)
    elif measure == "respondents":
        found.number = respondents
    elif measure == "sample_shortfall":
        found.number = check_sample(population, respondents).shortfall
    else:
        raise ValueError(f"unknown survey measure {measure!r}")
    return found


def survey_covers_service(survey: dict[str, Any], service_id: str) -> tuple[Optional[bool], list[str]]:
    """Whether a survey covered a service: by its respondents when the raw answers name services, else as it lists.

    (None, [fields]) when neither says.
    """
    rows = (survey.get("responses") or {}).get("respondents")
    named = respondents_by_service(rows or [])
    if named:
        if named.get(service_id, 0) > 0:
            return True, []
        # A scored respondent who named no service may have used this one: not known, and the
        # rows that would settle it are named (the first few; the rest say the same).
        unnamed = [index for index, row in enumerate(rows or [])
                   if any(score is not None for score in row.get("scores", [])) and not row.get("service_type")]
        if unnamed:
            return None, [f"responses.respondents[{index}].service_type" for index in unnamed[:3]]
        return False, []
    listed = survey.get("service_types")
    if listed is None:
        return None, ["service_types"]
    return service_id in listed, []


def evaluate(spec: Any, subject: Subject, result: InputResult, vocabulary: Vocabulary) -> None:
    """One survey's measure, or how many surveys cover a service."""
    reached, missing = walk(subject, spec.survey_recomputation)
    result.missing_paths.extend(missing)
    surveys = [(join(concrete, index), item) for concrete, value in reached
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
                result.items.append({"path": path, "fact": summarise(survey)})
        result.low, result.high = covering, (None if missing else covering + undetermined)
        return
    if missing or len(matched) != 1 or undetermined:
        return  # a measure of one survey: `item` in a rule judging each survey
    path, survey = matched[0]
    found = measure_survey(spec.measure, survey)
    result.missing_paths.extend(f"{path}.{name}" for name in found.missing)
    result.details.update(found.details)
    result.items.append({"path": path, "fact": summarise(survey)})
    sheet = (survey.get("responses") or {}).get("file")
    if sheet:  # the evidence cites the sheet the answers were read from
        result.items.append({"path": f"{path}.responses.file", "fact": sheet})
    if found.word is not None:
        result.value = found.word
    elif found.number is not None:
        result.low = result.high = found.number


def shape_problem(spec: Any) -> Optional[str]:
    return None if spec.measure in MEASURES else NEEDS_MEASURE


def check(spec: Any, context: LoadContext) -> list[Problem]:
    return check_listed(spec, context, "survey_recomputation")


def fact_paths(spec: Any) -> Iterator[str]:
    yield from listed_fact_paths(spec, spec.survey_recomputation)
    for survey_field in MEASURE_FIELDS[spec.measure]:
        yield f"{spec.survey_recomputation}.{survey_field}"
    if spec.measure == "surveys_covering_service":
        yield "service.id"


KIND = InputKind(
    name="survey_recomputation",
    keys={"survey_recomputation": Key(str), "measure": Key(str, stray=NEEDS_MEASURE), "where": WHERE},
    evaluate=evaluate, check=check, fact_paths=fact_paths, shape_problem=shape_problem, timings=where_timings,
    phrase=measure_phrase)
