"""The unit's responses and the inspector's waivers, attached to the findings they answer.

After the sanctions: a waiver (pengecualian) changes nothing the law says — the finding keeps
its status, its sanctions and its place in the record — but a report shows it as waived while
the waiver is in force (the audit date on or before `expires_on`); after that, as open again.
"""

from __future__ import annotations

from datetime import date

from ..model.findings import Finding
from ..model.responses import Responses


def with_responses(findings: list[Finding], responses: Responses, as_of: date) -> list[Finding]:
    by_rule = {entry.rule: entry for entry in responses.responses}
    answered = []
    for finding in findings:
        entry = by_rule.get(finding.rule_id)
        if entry is None:
            answered.append(finding)
            continue
        # A response without a waiver keeps the waiver carried from the previous audit, if any.
        waiver = entry.waiver.model_copy(update={"in_force": as_of <= entry.waiver.expires_on}) if entry.waiver else finding.waiver
        answered.append(finding.model_copy(update={"response": entry.response, "waiver": waiver}))
    return answered

