"""Reading a responses file (`patuh audit --responses`) and checking it against the audit it answers.

The file is validated like a facts file: every problem names the file, the line and the field.
Beyond its shape (model/responses.py), an entry must answer this audit: a rule the rule set
has, found violated on this audit's date (a unit answers a finding, not a rule it met), once;
an action plan falls due on or after the audit date. A waiver may be granted after the audit
date (the unit answers the draft report), never after it expires (model/responses.py).
A waiver that ends before the audit date answers no audit: it is refused (a responses file is
written for one audit, on its findings). A waiver lapses later, in the audit that follows: the
previous report's waiver is carried by `--previous` (law/follow_up.py) and the finding is
reported open again, saying when the waiver lapsed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import ValidationError

from ..model.responses import Responses
from ..problems import InputError, InputProblems
from .source_yaml import format_path, load_source

STATUS_WORDS = {"comply": "complied with", "unknown": "unknown", "pending": "not yet due",
                "not_applicable": "not applicable"}


class ResponsesError(InputProblems):
    """All the problems found in one responses file."""


def load_responses(file: Path | str, statuses: dict[str, str], as_of: date) -> Responses:
    """The responses of `file`, each answering a violation among `statuses` (rule id -> status)."""
    document = load_source(file, "responses")
    if not isinstance(document.data, dict):
        raise ResponsesError([InputError(document.file, "expected a mapping with `responses:` at the top", document.line_of(()))])
    try:
        responses = Responses.model_validate(document.data)
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            path = tuple(detail["loc"])
            message = detail["msg"].removeprefix("Value error, ")
            if detail["type"] == "extra_forbidden":
                message = "unknown field (see the file format in `patuh audit --help` and README)"
            problems.append(InputError(document.file, message, document.line_of(path), format_path(path)))
        raise ResponsesError(problems) from None
    problems = []
    seen: set[str] = set()
    for index, entry in enumerate(responses.responses):
        at = ("responses", index)
        if entry.rule not in statuses:
            problems.append(InputError(document.file, f"no rule {entry.rule!r} in the rule set this audit used "
                                       "(`patuh rules list` shows them)", document.line_of(at + ("rule",)), format_path(at + ("rule",))))
            continue
        if statuses[entry.rule] != "violation":
            problems.append(InputError(document.file, f"{entry.rule} is {STATUS_WORDS[statuses[entry.rule]]} in this audit: "
                                       "only a violation is answered or waived", document.line_of(at + ("rule",)), format_path(at + ("rule",))))
        if entry.rule in seen:
            problems.append(InputError(document.file, f"{entry.rule} is answered twice: give one entry per finding",
                                       document.line_of(at + ("rule",)), format_path(at + ("rule",))))
        seen.add(entry.rule)
        if entry.response and entry.response.due_on and entry.response.due_on < as_of:
            where = at + ("response", "due_on")
            problems.append(InputError(document.file, f"the action plan is due {entry.response.due_on.isoformat()}, before this audit's "
                                       f"date {as_of.isoformat()}: a plan answering this audit falls due on or after it",
                                       document.line_of(where), format_path(where)))
        if entry.waiver and entry.waiver.expires_on < as_of:
            where = at + ("waiver", "expires_on")
            problems.append(InputError(document.file, f"the waiver expires {entry.waiver.expires_on.isoformat()}, before this audit's "
                                       f"date {as_of.isoformat()}: a waiver recorded for this audit runs at least until it",
                                       document.line_of(where), format_path(where)))
    if problems:
        raise ResponsesError(problems)
    return responses

