"""Follow-up audits (tindak lanjut): this audit's findings against the previous report.

The previous report is the JSON patuh wrote for the same unit and regulation. A violation
found again is still open since the audit that first found it (carried from report to
report), which is what Tegal Pasal 17 ayat (3) huruf c and d measure; a violation that now
complies is resolved. A report of another unit or another regulation is refused, because
comparing them would make a follow-up out of two different audits.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ..model.facts import EarlierAudit, EarlierFinding, Facts
from ..model.findings import REPORT_SCHEMA_ID, Finding, FollowUp
from ..model.responses import Waiver
from ..problems import InputError
from .sanctions import open_since as open_since_of
from ..dates.periods import whole_months_between


def load_previous_report(file: Path | str, regulation_id: str, unit_name: str, as_of: date) -> dict:
    file = Path(file)
    try:
        report = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(file, "no such file (expected an earlier JSON report of patuh)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(file, f"not a JSON report of patuh ({error})") from None
    if not isinstance(report, dict) or report.get("schema") != REPORT_SCHEMA_ID:
        raise InputError(file, f"not a JSON report of patuh (expected \"schema\": \"{REPORT_SCHEMA_ID}\"; write one with --format json)")
    previous_regulation = report.get("regulation", {}).get("id")
    if previous_regulation != regulation_id:
        raise InputError(file, f"this report audits {previous_regulation}, not {regulation_id}: a follow-up compares audits of the same regulation")
    previous_unit = report.get("unit", {}).get("name")
    if previous_unit != unit_name:
        raise InputError(file, f"this report audits {previous_unit!r}, not {unit_name!r}: a follow-up compares audits of the same unit")
    previous_as_of = date.fromisoformat(report["as_of"])
    if previous_as_of >= as_of:
        raise InputError(file, f"this report is as of {previous_as_of.isoformat()}, not before this audit's {as_of.isoformat()}")
    return report


def with_previous_findings(facts: Facts, previous: dict) -> Facts:
    """The facts with the previous report's findings as earlier audits, so sanctions that
    depend on how long a violation stayed open see its whole history."""
    regulation_id = previous["regulation"]["id"]
    audits = list(facts.earlier_audits or [])
    audits.append(EarlierAudit(dated=date.fromisoformat(previous["as_of"]), auditor="patuh (laporan sebelumnya)",
                               regulation=regulation_id,
                               findings=[EarlierFinding(rule_id=f["rule_id"], status=f["status"]) for f in previous["findings"]]))
    for finding in previous["findings"]:
        since = (finding.get("follow_up") or {}).get("open_since")
        if finding["status"] == "violation" and since and since != previous["as_of"]:
            audits.append(EarlierAudit(dated=date.fromisoformat(since), regulation=regulation_id,
                                       auditor="patuh (awal temuan menurut laporan sebelumnya)",
                                       findings=[EarlierFinding(rule_id=finding["rule_id"], status="violation")]))
    return facts.model_copy(update={"earlier_audits": audits})


def follow_up(findings: list[Finding], previous: dict, as_of: date, facts: Facts) -> list[Finding]:
    """Each finding with its tindak lanjut; `facts` must already hold the previous findings
    (`with_previous_findings`), so "open since" is the same history the sanctions read."""
    before = {f["rule_id"]: f for f in previous["findings"]}
    regulation_id = previous["regulation"]["id"]
    previous_as_of = previous["as_of"]
    updated = []
    for finding in findings:
        earlier = before.get(finding.rule_id)
        previous_status = earlier["status"] if earlier else None
        open_since = None
        if earlier is None:
            state = "tidak_dinilai_sebelumnya"
        elif finding.status == "violation":
            state = "masih_terbuka" if previous_status == "violation" else "baru"
            since = open_since_of(facts, finding.rule_id, regulation_id) if state == "masih_terbuka" else None
            open_since = (since or as_of).isoformat()
        elif previous_status == "violation":
            # Resolved only when the facts now show compliance; unknown or pending proves nothing.
            state = "selesai" if finding.status == "comply" else "belum_dapat_dipastikan"
        else:
            state = "tanpa_pelanggaran"
        months = whole_months_between(date.fromisoformat(open_since), as_of) if open_since else None
        # The action plan the unit gave last time: overdue once its date has passed with the
        # finding still violated.
        plan = (earlier or {}).get("response") or {}
        overdue = plan.get("stance") == "action_plan" and finding.status == "violation" and plan.get("due_on") \
            and date.fromisoformat(plan["due_on"]) < as_of
        # A waiver the previous audit recorded still covers the violation it waived until it
        # expires, and then the finding is open again, reported as lapsed (in_force false).
        carried = earlier.get("waiver") if earlier and finding.status == "violation" and previous_status == "violation" else None
        waiver = Waiver.model_validate({**carried, "in_force": as_of <= date.fromisoformat(carried["expires_on"])}) \
            if carried else finding.waiver
        updated.append(finding.model_copy(update={"waiver": waiver, "follow_up": FollowUp(
            state=state, previous_status=previous_status, previous_as_of=previous_as_of,
            open_since=open_since, months_open=months,
            action_plan_overdue_since=plan["due_on"] if overdue else None, action_plan=plan.get("action") if overdue else None)}))
    return updated
