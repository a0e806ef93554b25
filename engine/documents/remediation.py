"""An audit's findings -> a remediation plan (`patuh todo`): what to fix first, and who must act.

The plan reads the findings of `audit.audit_file`; it judges nothing itself.

Order. Violations come first, heaviest sanction first; among equal weights the one that fell
due earliest (has been overdue longest) first, then by the rule's impact (high, medium, low).
Findings not yet due (pending) follow, soonest due first. Unknowns come last, each with the
facts that would settle it, and the facts to gather are also listed once each, the fact that
settles most findings first.

Sanction weight. The regulations rank their own measures in the usual order of Indonesian
civil-service discipline (PP 94/2021: a reprimand is light, a pay cut or demotion moderate,
removal from office heavy); patuh reads each measure's words, as the rule set quotes them:
  5  pemberhentian (discharge), pembekuan misi/izin (freezing the mission or licences)
  4  pembebasan dari jabatan (removal from office)
  3  penurunan pangkat (demotion)
  2  penurunan gaji (pay cut)
  1  teguran tertulis, sanksi moral (reprimand, apology, statement of regret)
  0  no measure: the regulation lists no sanction, or only refers to other law
Compensation owed to a service user (Tegal Pasal 16 ayat (2)) is not a sanction and weighs
nothing here; the item shows it on a line of its own, so the unit sees what it owes.
A violation weighs what its heaviest measure imposable now weighs. A measure the regulation
makes conditional on time (Tegal Pasal 17 ayat (3) huruf c and d: after 3 or 6 months open)
is not imposable yet; it is shown as the escalation ahead and breaks ties (a violation that
can escalate to removal from office comes before one that cannot).

Due. A finding's `due`, or the earliest `due` of its subjects with the same status (a
complaint's deadline); a violation with no date is due on the as-of date.

Office. Who must act is read from the sanction clause the rule names: where the regulation
addresses the sanction to the Atasan Satuan Kerja Penyelenggara (Tegal), that office must
act, named from organisation.atasan_satuan_kerja when the facts give it. In every other case
(a sanction on the Pelaksana, compensation owed to the user, a reference to other law, no
sanction) the duty the rule states is the unit's own, so the unit (the Organisasi
Penyelenggara) must act. Facts to gather are the unit's task: it holds the records.
"""

from __future__ import annotations

from typing import Any, Optional

from ..audit.pipeline import AuditResult
from ..load.regulation_text import short_title
from ..render.formats import document_kind
from ..render.labels import group
from ..rulesets.load import RuleSet
from .compare_report import document_context, views

REMEDIATION_SCHEMA_ID = "patuh-remediation/1"

MEASURE_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("pemberhentian", 5), ("pembekuan", 5), ("pembebasan dari jabatan", 4), ("penurunan pangkat", 3),
    ("penurunan gaji", 2), ("teguran", 1), ("sanksi moral", 1),
)
KIND_WEIGHTS = {"rujukan_peraturan_lain": 0}
IMPACT_RANK = {"high": 0, "medium": 1, "low": 2}
WEIGHT_LABELS: dict[str, dict[int, str]] = group("remediation_weights")
LABELS: dict[str, dict[str, Any]] = group("remediation")


def measure_weight(text: str) -> int:
    """The weight of one measure from its Indonesian words (see the module's documentation)."""
    lowered = text.lower()
    for keyword, weight in MEASURE_WEIGHTS:
        if keyword in lowered:
            return weight
    return 1  # a measure the table does not know is still a sanction: never weighed as none


def _weights(rule_id: str, finding: dict[str, Any], ruleset: RuleSet) -> tuple[int, int]:
    """(weight of the measures imposable now, weight of the escalation ahead)."""
    rule = ruleset.rule(rule_id)
    if rule.sanction is None:
        return 0, 0
    clause = ruleset.meta.sanctions[rule.sanction]
    if clause.kind in KIND_WEIGHTS:
        weight = KIND_WEIGHTS[clause.kind] if clause.measures else 0
        return weight, 0
    by_huruf = {measure.huruf: measure.text for measure in clause.measures}
    now = [by_huruf[m["huruf"]] for sanction in finding["sanctions"] for m in sanction["measures"] if m["huruf"] in by_huruf]
    later = [by_huruf[m["huruf"]] for sanction in finding["sanctions"] for m in sanction.get("withheld", []) if m["huruf"] in by_huruf]
    if finding["status"] != "violation":
        # Not violated (yet): what a violation would bring, for ordering what falls due.
        now = [measure.text for measure in clause.measures if measure.open_more_than_months is None]
        later = [measure.text for measure in clause.measures if measure.open_more_than_months is not None]
    return max(map(measure_weight, now), default=0), max(map(measure_weight, later), default=0)


def _due(finding: dict[str, Any]) -> Optional[str]:
    dates = [finding["due"]] if finding.get("due") else []
    dates += [subject["due"] for subject in finding["subjects"] if subject.get("due") and subject["status"] == finding["status"]]
    return min(dates) if dates else None


def _office(rule_id: str, ruleset: RuleSet, report: dict[str, Any], language: str) -> tuple[str, str]:
    rule = ruleset.rule(rule_id)
    clause = ruleset.meta.sanctions.get(rule.sanction) if rule.sanction else None
    labels = LABELS[language]
    if clause is not None and clause.party == "atasan_satuan_kerja_penyelenggara" and clause.kind != "rujukan_peraturan_lain":
        atasan = report["unit"].get("atasan_satuan_kerja") or {}
        named = ", ".join(str(atasan[key]) for key in ("name", "position") if atasan.get(key))
        return "atasan_satuan_kerja", labels["office_atasan"] + (f": {named}" if named else "")
    return "unit", f"{labels['office_unit']}: {report['unit']['name']}"


def build_plan(result: AuditResult, language: str = "id") -> dict[str, Any]:
    report, ruleset = result.report, result.ruleset
    as_of = report["as_of"]
    weight_words = WEIGHT_LABELS[language]
    offices: dict[str, dict[str, Any]] = {}

    def office_of(rule_id: str) -> dict[str, Any]:
        key, name = _office(rule_id, ruleset, report, language)
        return offices.setdefault(key, {"office": key, "name": name, "violations": [], "pending": [], "unknowns": [], "facts": []})

    for finding in report["findings"]:
        status = finding["status"]
        if status not in ("violation", "pending", "unknown"):
            continue
        rule = ruleset.rule(finding["rule_id"])
        now, later = _weights(finding["rule_id"], finding, ruleset)
        item = {
            "rule_id": finding["rule_id"], "citation": finding["citation"], "title": finding["title"], "status": status,
            "impact": rule.impact, "weight": now, "weight_label": weight_words[now],
            "escalation_weight": later,
            "due": _due(finding),
            "sanctions": [{"basis": sanction["basis"], "measures": [m["text"] for m in sanction["measures"]],
                           "withheld": [{"text": m["text"], "condition": m["condition"]} for m in sanction.get("withheld", [])]}
                          for sanction in finding["sanctions"]],
            "sanction_note": finding.get("sanction_note"),
            "compensation": finding.get("compensation"),
            "kondisi": [line.strip() for line in finding["kondisi"].splitlines() if line.strip()],
            "recommendation": finding["recommendation"],
            "missing_facts": list(finding["missing_facts"]),
        }
        target = office_of(finding["rule_id"]) if status != "unknown" else offices.setdefault(
            "unit", {"office": "unit", "name": f"{LABELS[language]['office_unit']}: {report['unit']['name']}",
                     "violations": [], "pending": [], "unknowns": [], "facts": []})
        target[{"violation": "violations", "pending": "pending", "unknown": "unknowns"}[status]].append(item)

    for office in offices.values():
        office["violations"].sort(key=lambda item: (-item["weight"], -item["escalation_weight"], item["due"] or as_of,
                                                    IMPACT_RANK[item["impact"]], item["rule_id"]))
        office["pending"].sort(key=lambda item: (item["due"] or "9999-12-31", -item["weight"], IMPACT_RANK[item["impact"]], item["rule_id"]))
        office["unknowns"].sort(key=lambda item: (-item["weight"], IMPACT_RANK[item["impact"]], item["rule_id"]))
        settles: dict[str, list[str]] = {}
        for item in office["unknowns"]:
            for path in item["missing_facts"]:
                settles.setdefault(path, []).append(item["citation"])
        office["facts"] = [{"path": path, "settles": citations} for path, citations in
                           sorted(settles.items(), key=lambda entry: (-len(entry[1]), entry[0]))]
    ordered = sorted(offices.values(), key=lambda office: office["office"] != "atasan_satuan_kerja")
    counts = {key: sum(len(office[key]) for office in ordered) for key in ("violations", "pending", "unknowns")}
    return {
        "schema": REMEDIATION_SCHEMA_ID, "language": language, "as_of": as_of,
        "unit": {"name": report["unit"]["name"], "region": report["unit"]["region"]},
        "regulation": {"id": report["regulation"]["id"], "title": short_title(report["regulation"]),
                       "ruleset_version": report["ruleset"]["version"]},
        "counts": counts, "offices": ordered,
    }


render_plan = document_kind("remediation plan", **views("todo", lambda plan: document_context(plan, LABELS)))
