"""The batch's summary: what it adds up over all units, and summary.json, summary.csv, dashboard.html."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

from .. import __version__
from ..model.findings import STATUS_ORDER
from ..render.environment import environment
from ..render.labels import words
from ..render.writer import write_atomically, write_streamed
from .rows import UnitRows, compliance_percent
from .unit import STAGES, BatchOptions, UnitOutcome


@dataclass
class Totals:
    """What the summary adds up over all units: bounded by the rules and facts, not the units."""

    audited: int = 0
    failed: int = 0
    with_violations: int = 0
    statuses: Counter = field(default_factory=Counter)
    topics: dict[str, Counter] = field(default_factory=dict)
    violations_by_rule: Counter = field(default_factory=Counter)
    rule_info: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # rule id -> (regulation, citation, title)
    blocking: Counter = field(default_factory=Counter)
    warnings: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: {stage: 0.0 for stage in STAGES})

    def add(self, outcome: UnitOutcome) -> None:
        for stage, spent in outcome.seconds.items():
            self.seconds[stage] += spent
        self.warnings += len(outcome.warnings)
        if outcome.errors:
            self.failed += 1
            return
        self.audited += 1
        self.with_violations += 1 if outcome.violations else 0
        self.statuses.update(outcome.counts)
        for group, tally in outcome.topics.items():
            self.topics.setdefault(group, Counter()).update(tally)
        for rule_id, citation, title in outcome.violated:
            self.violations_by_rule[rule_id] += 1
            self.rule_info.setdefault(rule_id, (outcome.regulation or "", citation, title))
        self.blocking.update(outcome.blocking)


CSV_COLUMNS = ("rank", "facts_file", "unit", "region", "regulation", "ruleset_version", *STATUS_ORDER,
               "compliance_percent", "reports", "error")


def summary_head(options: BatchOptions, totals: Totals, top: int = 20) -> dict[str, Any]:
    """summary.json without its per-unit lists (units, failed, warnings), which are streamed."""
    return {
        "patuh_version": __version__,
        "as_of": options.as_of.isoformat(),
        "regulation": options.regulation or "auto",
        "language": options.language,
        "units_total": totals.audited + totals.failed,
        "units_audited": totals.audited,
        "units_failed": totals.failed,
        "units_with_violations": totals.with_violations,
        "status_totals": {status: totals.statuses.get(status, 0) for status in STATUS_ORDER},
        "compliance_percent": compliance_percent(totals.statuses.get("comply", 0), totals.statuses.get("violation", 0)),
        "topics": [{
            "topic": group, **{status: tally.get(status, 0) for status in STATUS_ORDER},
            "compliance_percent": compliance_percent(tally.get("comply", 0), tally.get("violation", 0)),
        } for group, tally in sorted(totals.topics.items())],
        "most_frequent_violations": [{
            "rule_id": rule_id, "regulation": totals.rule_info[rule_id][0], "citation": totals.rule_info[rule_id][1],
            "title": totals.rule_info[rule_id][2], "units": count,
        } for rule_id, count in sorted(totals.violations_by_rule.items(), key=lambda item: (-item[1], item[0]))[:top]],
        "blocking_unknowns": [{"fact": fact, "units": count}
                              for fact, count in sorted(totals.blocking.items(), key=lambda item: (-item[1], item[0]))[:top]],
    }


def _json_pieces(head: dict[str, Any], lists: dict[str, Iterator[dict[str, Any]]]) -> Iterator[str]:
    """One JSON object written piece by piece: `head`'s keys, then each list one entry at a time."""
    yield "{"
    first = True
    for key, value in head.items():
        yield ("\n" if first else ",\n") + f"  {json.dumps(key)}: " + json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        first = False
    for key, entries in lists.items():
        yield ("\n" if first else ",\n") + f"  {json.dumps(key)}: ["
        first, empty = False, True
        for entry in entries:
            yield ("\n    " if empty else ",\n    ") + json.dumps(entry, ensure_ascii=False, indent=2).replace("\n", "\n    ")
            empty = False
        yield "]" if empty else "\n  ]"
    yield "\n}\n"


def _csv_pieces(rows: UnitRows) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def line(values: list[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(list(CSV_COLUMNS))
    for unit in rows.audited():
        percent = unit["compliance_percent"]
        yield line([unit["rank"], unit["facts_file"], unit["unit"], unit["region"], unit["regulation"],
                    unit["ruleset_version"], *(unit["counts"][status] for status in STATUS_ORDER),
                    "" if percent is None else f"{percent:.1f}", " ".join(unit["reports"]), ""])
    for failure in rows.failed():
        yield line(["", failure["facts_file"], "", "", "", "", *("" for _ in STATUS_ORDER), "", "",
                    " | ".join(failure["errors"])])


def dashboard_labels(language: str) -> dict[str, Any]:
    """The dashboard's words (reports/labels/<language>.yaml) with the status names beside them."""
    labels = words(language)
    return {**labels["batch_dashboard"], "statuses": labels["statuses"]}


DASHBOARD_ROWS = 500  # units, and failed files, shown on the page; all are in summary.csv


def dashboard_html(head: dict[str, Any], rows: UnitRows) -> str:
    language = "en" if head["language"] == "en" else "id"
    return environment(autoescape=True).get_template("batch.html.j2").render(
        summary=head, labels=dashboard_labels(language), language=language, status_order=STATUS_ORDER,
        unit_rows=list(rows.audited(DASHBOARD_ROWS)), hidden_units=max(0, head["units_audited"] - DASHBOARD_ROWS),
        failed_rows=list(rows.failed(DASHBOARD_ROWS)), hidden_failed=max(0, head["units_failed"] - DASHBOARD_ROWS))


def write_summary(options: BatchOptions, totals: Totals, rows: UnitRows) -> dict[str, Any]:
    """summary.json, summary.csv and dashboard.html, each written whole or not at all."""
    head = summary_head(options, totals)
    output = options.output
    write_streamed(_json_pieces(head, {"units": rows.audited(), "failed": rows.failed(), "warnings": rows.warned()}),
                   output / "summary.json")
    write_streamed(_csv_pieces(rows), output / "summary.csv")
    write_atomically(dashboard_html(head, rows), output / "dashboard.html")
    return head
