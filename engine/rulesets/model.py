"""The shape of a rule file and of a rule set, as a validated model.

A rule file is data a lawyer can read beside the regulation: the article, the quoted text,
the condition, the evidence and the sanction on one screen. Nothing in it is executed; the
condition is a small tree of named comparisons over named queries, the inputs.

Each input kind (`count`, `missing_from`, `value`, `days_between`, `working_days`,
`working_days_without`, `months_deadline`, `months_without`, `survey_recomputation`) lives in its own module,
engine/inputs/<kind>.py: the keys it accepts and their checks, how it is evaluated, the fact
paths it reads and what `patuh compare` reads from it. `Input` below is assembled from those
declarations (engine/inputs/__init__.py says how to add a kind). In short:

    inputs:                       # named queries over the facts; each one is evidence
      NAME:
        label: {id: ..., en: ...}
        count: PATH               # how many items of a list match `where`
        distinct: FIELD           # optional: count the distinct values of FIELD among the matches
        where: {FIELD: TEST}      # TEST: a value, a list of values (one of), or an operator map:
                                  #   within: period | same_as, one_of, not_one_of, includes,
                                  #   includes_all, on_or_before, on_or_after, at_least
                                  # operands: a literal, a path under `service.` / `item.`, or a
                                  # date token: `as_of`, `in_force` (the regulation's in-force
                                  # date), `period_start`, `period_end` (of the judged period)
        # or
        missing_from: PATH        # how many `required` entries the list lacks
        field: FIELD              # the item field holding the entry (optional)
        vocabulary: facilities    # entries are resolved through a controlled vocabulary
        required: [ ... ]
        # or
        value: PATH               # a single fact
        # or
        days_between: {from: PATH, to: PATH}    # either end may be a date token
        # or
        working_days: {from: PATH, to: PATH}    # hari kerja after `from` up to `to` (national
                                                # holidays, cuti bersama, the unit's local_days_off)
        # or
        months_deadline: {start: PATH, months: N, checked_date: PATH}
                                                # days from `checked_date` to N calendar months after
                                                # `start` (negative once past): a deadline the
                                                # regulation counts in months from an event
        # or
        survey_recomputation: PATH              # SKM surveys (`item` for the judged one), recomputed
        measure: MEASURE                        # from their raw answers (`responses`): recomputed_ikm,
                                                # recomputed_mutu, ikm_difference, required_sample,
                                                # least_sample, respondents, sample_shortfall,
                                                # least_sample_shortfall, surveys_covering_service;
                                                # `where` filters the surveys as for `count`
        # or
        working_days_without: PATH              # working days of the judged period (up to the
                                                # as-of date) on which no date in PATH falls: the
                                                # gaps in a daily log
        # or
        months_without: PATH                    # months of the judged period (up to the as-of
        month_field: FIELD                      # date) that no matching entry covers: the gaps in
        where: {FIELD: TEST}                    # a monthly duty; FIELD holds a date in the month

        deadline: N               # with `working_days` / `days_between`: the limit the condition
                                  # holds the span to; the finding shows each entry's computed
                                  # deadline date (`from` + N days) beside its count

    applies_if: CONDITION         # false -> not_applicable (with not_applicable_reason); a branch
                                  # of its `all` may carry `otherwise: {id, en}`, the reason when
                                  # that branch is what fails (the first failing one is reported)
    comply_when: CONDITION        # true -> comply, false -> violation, unknown -> unknown
    pending_when: CONDITION       # true (and not comply) -> pending: not yet due

    Paths are dotted fact paths checked against the fact model (`service_types[].sop`: `[]`
    looks inside each item of a list). `service.` is the service type a `scope: service_type`
    rule is judging; `item.` the entry a `scope: {each: LIST}` rule is judging. A document
    recorded as `tidak_ada` is definitely absent: counts through it are 0, a `value` is
    "tidak_ada".

    CONDITION := {all: [CONDITION...]} | {any: [CONDITION...]} | {not: CONDITION}
               | {input: NAME, at_least: N} | {input: NAME, at_most: N}
               | {input: NAME, equals: V} | {input: NAME, one_of: [V...]}
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from ..inputs import INPUT_KEYS, INPUT_KINDS
from ..model.facts import OrganisationType


class Strict(BaseModel):
    # Built when a rule file is first validated: a run whose rule sets come from the cache never pays for it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(Strict):
    """A text in both report languages."""

    id: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.id


class _InputShape(Strict):
    """What every input has (a label, exactly one kind); the kinds' own keys are added below."""

    label: Text

    @model_validator(mode="after")
    def _one_kind(self) -> "_InputShape":
        kinds = [name for name in INPUT_KINDS if getattr(self, name) is not None]
        if len(kinds) != 1:
            raise ValueError(
                f"an input needs exactly one of {', '.join(INPUT_KINDS)}"
                f" (found: {', '.join(kinds) or 'none'})"
            )
        kind = INPUT_KINDS[kinds[0]]
        for name, key in INPUT_KEYS.items():
            if key.stray and name not in kind.keys and getattr(self, name) is not None:
                raise ValueError(key.stray)
        problem = kind.shape_problem(self)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def kind(self) -> str:
        # judge/compile.py reads it once per rule; a pydantic private attribute would cost more
        # per read than finding the kind again.
        return next(name for name in INPUT_KINDS if getattr(self, name) is not None)


# One model, its fields assembled from the keys the kinds declare (engine/inputs/<kind>.py),
# so that a key means the same in the rule file's shape as in its evaluation.
Input = create_model("Input", __base__=_InputShape, __module__=__name__, **{
    name: (Optional[key.type], Field(default=None, ge=key.minimum)) for name, key in INPUT_KEYS.items()})


class Comparison(Strict):
    input: str
    at_least: Optional[float] = None
    at_most: Optional[float] = None
    equals: Optional[Union[str, float]] = None
    one_of: Optional[list[Union[str, float]]] = None

    @field_validator("equals", "one_of", mode="before")
    @classmethod
    def _booleans_as_words(cls, value: Any) -> Any:
        # A `value` input over a yes/no fact yields "true"/"false"; YAML's true must match it.
        def word(item: Any) -> Any:
            return ("true" if item else "false") if isinstance(item, bool) else item
        return [word(item) for item in value] if isinstance(value, list) else word(value)

    # In `applies_if` only: why the duty does not apply when this branch does not hold, so a
    # not_applicable finding names the one reason that holds, not every alternative.
    otherwise: Optional[Text] = None

    @model_validator(mode="after")
    def _one_test(self) -> "Comparison":
        tests = [t for t in ("at_least", "at_most", "equals", "one_of") if getattr(self, t) is not None]
        if len(tests) != 1:
            raise ValueError(f"a comparison needs exactly one of at_least, at_most, equals, one_of (found: {tests or 'none'})")
        return self


class AllOf(Strict):
    all: list["Condition"] = Field(min_length=1)
    otherwise: Optional[Text] = None


class AnyOf(Strict):
    any: list["Condition"] = Field(min_length=1)
    otherwise: Optional[Text] = None


class Not(Strict):
    not_: "Condition" = Field(alias="not")
    otherwise: Optional[Text] = None
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


Condition = Union[AllOf, AnyOf, Not, Comparison]
AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()


class EachScope(Strict):
    """One subject per item of a list (an incident, a complaint, a change)."""

    each: str
    label_field: Optional[str] = None
    when_none: Optional[Text] = None


class Period(Strict):
    """Periodic duties. `every: year` is a calendar year; `every_years` counts from a date fact."""

    every: Optional[Literal["year"]] = None
    every_years: Optional[int] = Field(default=None, ge=1)
    start: Optional[str] = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Period":
        if (self.every is None) == (self.every_years is None):
            raise ValueError("a period needs exactly one of `every: year` or `every_years: N`")
        if self.every_years is not None and not self.start:
            raise ValueError("`every_years` needs `start`: the fact path of the date the period runs from")
        return self


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    title: Text
    citation: str
    quote: str
    applies_to: list[OrganisationType] = Field(min_length=1)
    topic: str
    impact: Literal["high", "medium", "low"]
    scope: Union[Literal["organisation", "service_type"], EachScope] = "organisation"
    period: Optional[Period] = None
    inputs: dict[str, Input] = Field(min_length=1)
    applies_if: Optional[Condition] = None
    not_applicable_reason: Optional[Text] = None
    comply_when: Condition
    # Not yet due (an open complaint whose deadline has not passed): checked before violation.
    pending_when: Optional[Condition] = None
    sanction: Optional[str] = None
    compensation: Optional[str] = None  # what the unit owes the service user (not a sanction)
    recommendation: Text
    interpretation: list[Text] = []
    also_covers: list[str] = []  # other provisions this rule judges (e.g. the duty an ayat sets a period for)

    @model_validator(mode="after")
    def _reason_with_condition(self) -> "Rule":
        if self.applies_if is not None and self.not_applicable_reason is None:
            raise ValueError("`applies_if` needs `not_applicable_reason`: a finding says why a rule does not apply")
        return self


class SanctionMeasure(Strict):
    huruf: str
    text: str
    text_en: str
    open_more_than_months: Optional[int] = None


class SanctionClause(Strict):
    """One list of sanctions exactly as the regulation gives it."""

    citation: str
    party: Literal["atasan_satuan_kerja_penyelenggara", "pelaksana", "tidak_disebut"]
    # `rujukan_peraturan_lain`: the regulation only says violations may be sanctioned under
    # other law (Sanggau Pasal 21-22); it lists no measure, and neither does patuh.
    kind: Literal["sanksi_administratif", "sanksi_moral_administratif", "rujukan_peraturan_lain"]
    # The regulation's connective between the measures; `tidak_disebut` where it gives none.
    combination: Literal["dan/atau", "dan", "atau", "tidak_disebut"]
    applies_to_violations_of: list[str]
    measures: list[SanctionMeasure] = []
    note: Optional[Text] = None  # how patuh reads the clause where the text leaves it open

    @model_validator(mode="after")
    def _measures_or_reference(self) -> "SanctionClause":
        if self.kind == "rujukan_peraturan_lain":
            if self.measures or self.note is None:
                raise ValueError("a clause that refers to other law lists no measures and needs a `note` saying what it says")
        elif not self.measures:
            raise ValueError("a sanction clause lists its measures (or is of kind rujukan_peraturan_lain)")
        return self


class CompensationClause(Strict):
    """What a unit owes the service user it failed (Tegal Pasal 16 ayat (2)), exactly as listed.

    Kept apart from the sanctions: a sanction is imposed on the unit or its staff by their
    superior; compensation is the service user's due. A report shows it in its own section,
    and a rule names it with `compensation:`, never `sanction:`.
    """

    citation: str
    owed_to: Literal["penerima_layanan"]
    combination: Literal["dan/atau", "dan", "atau", "tidak_disebut"]
    applies_to_violations_of: list[str]
    measures: list[SanctionMeasure] = Field(min_length=1)
    note: Optional[Text] = None


class NotAuditable(Strict):
    citation: str
    reason: Text


class RuleSetVersion(Strict):
    """A rule set version as the engine uses it: every rule-set-wide field stated in full.

    The first version's `ruleset.yaml` is one (`changes` is then free text); a later version's
    file is a `VersionDelta`, and the loader builds its `RuleSetVersion` from the chain.
    """

    regulation: str
    version: str
    effective_from: date
    effective_until: Optional[date] = None
    changes: Optional[str] = None
    sanctions: dict[str, SanctionClause] = {}
    compensations: dict[str, CompensationClause] = {}
    no_sanction_note: Text
    not_auditable: list[NotAuditable] = []


# The rule-set-wide fields a later version may restate; each restatement is a change with a reason.
AMENDABLE_FIELDS = ("sanctions", "compensations", "not_auditable", "no_sanction_note")
CHANGE_KINDS = ("replaces", "adds", "removes", "amends")


class ChangeBasis(Strict):
    """The text that makes a change: an article of a regulation stored in regulations/
    (an amending Perbup, or the regulation itself for a provision first encoded now)."""

    regulation: str
    citation: str
    quote: Optional[str] = None  # the words of that article that make the change; checked against the text


class VersionChange(Strict):
    """One change of a later version against the version it is based on."""

    replaces: Optional[str] = None  # a rule id of the base; the version's folder holds the new RULE_ID.yaml
    adds: Optional[str] = None  # a rule id the base lacks; the folder holds RULE_ID.yaml
    removes: Optional[str] = None  # a rule id of the base, no longer judged
    amends: Optional[Literal["sanctions", "compensations", "not_auditable", "no_sanction_note"]] = None  # restated in ruleset.yaml
    reason: Text
    basis: ChangeBasis

    @model_validator(mode="after")
    def _one_kind(self) -> "VersionChange":
        kinds = [kind for kind in CHANGE_KINDS if getattr(self, kind) is not None]
        if len(kinds) != 1:
            raise ValueError(f"a change needs exactly one of {', '.join(CHANGE_KINDS)} (found: {', '.join(kinds) or 'none'})")
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in CHANGE_KINDS if getattr(self, kind) is not None)

    @property
    def target(self) -> str:
        return getattr(self, self.kind)


class VersionDelta(Strict):
    """A later version's `ruleset.yaml`: its period and only what changed against `based_on`.

    Rules and rule-set-wide fields not named in `changes` are those of the base, unchanged.
    """

    regulation: str
    version: str
    based_on: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # a sibling version folder
    effective_from: date
    effective_until: Optional[date] = None
    changes: list[VersionChange] = Field(min_length=1)
    sanctions: Optional[dict[str, SanctionClause]] = None
    compensations: Optional[dict[str, CompensationClause]] = None
    no_sanction_note: Optional[Text] = None
    not_auditable: Optional[list[NotAuditable]] = None
