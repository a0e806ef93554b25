"""Findings: what an audit says about each rule, in the order a report shows them.

The statuses and what each promises:
- comply: the facts show the duty met (a rule that checked nothing never says this);
- violation: the facts show the duty not met;
- unknown: the facts needed are missing, and `missing_facts` names them;
- not_applicable: the duty does not bind this unit, and `reason` says why;
- pending: the duty is not yet due (`due` says when).

Judging is language-free: the judge fills the codes and values (`reason_code`, evidence by
input name, `detail_codes`, the tally's counts, `party_code`, the measures' `texts` in both
languages, the rule's own texts in `texts`), and audit/record.py words them in one
language. The worded fields (title, kondisi, reason, labels, ...) are kept in the JSON report
as before, and the language-free ones beside them, so a report can be worded again in the
other language.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict

from .responses import Response, Waiver

Status = Literal["violation", "unknown", "pending", "comply", "not_applicable"]
STATUS_ORDER: tuple[str, ...] = ("violation", "unknown", "pending", "comply", "not_applicable")
# The authoritative id of the JSON audit report (audit/record.py writes it, law/follow_up.py
# reads it back): defined with the findings it carries, the earliest stage both can import.
REPORT_SCHEMA_ID = "patuh-audit-report/1"



class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


Texts = dict[str, str]  # one text in every report language: {"id": ..., "en": ...}


class Reason(Model):
    """Why a subject stands as it does: a code of reports/labels/*.yaml (findings.reasons) with
    the values it names, or code "rule_text" with the rule's own words in `texts`."""

    code: str
    values: dict[str, str] = {}
    texts: Optional[Texts] = None


class RuleTexts(Model):
    """The rule's own words in every language, for wording the finding in either."""

    title: Texts
    recommendation: Texts
    interpretation: list[Texts] = []
    inputs: dict[str, Texts] = {}
    sanction_note: Optional[Texts] = None


class Evidence(Model):
    input: str
    kind: str = ""  # the input kind (engine/inputs/), which words what it found
    label: str = ""
    low: Optional[float] = None
    high: Optional[float] = None
    value: Optional[str] = None
    items: list[dict[str, Any]] = []
    details: dict[str, Any] = {}
    missing_facts: list[str] = []
    vocabulary: Optional[str] = None
    detail_codes: dict[str, list[str]] = {}  # `details` as the vocabulary's codes, which `details` shows in words


class SubjectResult(Model):
    key: str
    label: str  # the unit's, service's or entry's own name; "" for an entry without one
    path: Optional[str] = None  # the subject's fact path (service_types[0], complaints[2]); evidence trail only
    label_path: Optional[str] = None  # the fact its label was read from, so the label is worded as that fact
    status: Status
    period_start: Optional[str] = None
    period_end: Optional[str] = None
    due: Optional[str] = None
    evidence: list[Evidence]
    missing_facts: list[str] = []
    reason: Optional[str] = None
    reason_code: Optional[Reason] = None


class Measure(Model):
    huruf: str
    text: str = ""
    texts: Optional[Texts] = None


class WithheldMeasure(Measure):
    condition: str = ""
    open_more_than_months: Optional[int] = None


class Sanction(Model):
    basis: str
    party: str = ""
    kind: str
    combination: str
    measures: list[Measure]
    withheld: list[WithheldMeasure] = []
    open_since: Optional[str] = None
    addressed_to: list[str] = []
    note: Optional[str] = None
    party_code: Optional[str] = None
    note_texts: Optional[Texts] = None


class Compensation(Model):
    """What the unit owes each service user it failed (Tegal Pasal 16 ayat (2)): not a sanction."""

    basis: str
    combination: str
    measures: list[Measure]
    owed_to: list[str] = []  # the service users of the violating entries, as the facts name them
    note: Optional[str] = None
    note_texts: Optional[Texts] = None


class FollowUp(Model):
    """Tindak lanjut: how this finding stands against the previous audit's report."""

    state: Literal["baru", "masih_terbuka", "selesai", "belum_dapat_dipastikan", "tanpa_pelanggaran",
                   "tidak_dinilai_sebelumnya"]
    previous_status: Optional[str] = None
    previous_as_of: str
    open_since: Optional[str] = None
    months_open: Optional[int] = None
    # The action plan the unit gave in the previous audit, when its due date has passed and
    # the finding is still a violation (ISO date); None otherwise.
    action_plan_overdue_since: Optional[str] = None
    action_plan: Optional[str] = None


class TallyEntry(Model):
    """How many entries of a log (complaints, changes, incidents) a finding judged in one status."""

    status: Status
    label: str = ""
    count: int


class Finding(Model):
    rule_id: str
    citation: str
    anchor: str
    title: str = ""
    topic: str
    impact: str
    status: Status
    quote: str
    kondisi: str = ""
    evidence: list[Evidence]
    subjects: list[SubjectResult]
    missing_facts: list[str]
    reason: Optional[str] = None
    due: Optional[str] = None
    tally: list[TallyEntry] = []  # for a rule judging each entry of a list: the count per status
    sanctions: list[Sanction]
    sanction_note: Optional[str] = None
    compensation: Optional[Compensation] = None
    recommendation: str = ""
    interpretation: list[str] = []
    follow_up: Optional[FollowUp] = None
    texts: Optional[RuleTexts] = None
    tally_per_deadline: bool = False  # the tally counts entries against a deadline (on time, late)
    response: Optional[Response] = None  # the unit's tanggapan (patuh audit --responses)
    waiver: Optional[Waiver] = None  # an inspector's pengecualian, with whether it is still in force


def overall_status(statuses: list[str]) -> str:
    """The finding's status from its subjects': the first in STATUS_ORDER that occurs."""
    for status in STATUS_ORDER:
        if status in statuses:
            return status
    raise ValueError("a finding needs at least one subject")
