"""The batch's summary: what it adds up over all units, and summary.json, summary.csv, dashboard.html."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from .. import __version__
from ..documents.compare import TopicRow, load_topics, row_of_topic
from ..load.regulation_text import load_regulation, short_title
from ..model.findings import STATUS_ORDER
from ..render.charts import Bar, horizontal_bars
from ..render.environment import environment
from ..render.labels import words
from ..render.writer import write_atomically, write_streamed
from .rows import UnitRows, compliance_percent
from .unit import STAGES, BatchOptions, UnitOutcome


@lru_cache(maxsize=None)
def _groups_of_topics() -> dict[str, str]:
    return {topic: row.group for topic, row in row_of_topic(load_topics()).items()}


def topic_group(topic: str) -> str:
    """The group of rules/topics.yaml a rule topic is counted under (the comparison's headings).

    A topic no row holds (tests/test_compare.py keeps there being none) counts under its own
    first part, so no finding is dropped from the totals.
    """
    return _groups_of_topics().get(topic) or topic.split(".")[0]


def topic_group_labels(rows: tuple[TopicRow, ...] | None = None) -> dict[str, dict[str, str]]:
    """Each group's label ({"id": ..., "en": ...}), in the order of rules/topics.yaml."""
    labels: dict[str, dict[str, str]] = {}
    for row in rows or load_topics():
        labels.setdefault(row.group, row.group_label)
    return labels


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
        for topic, tally in outcome.topics.items():
            self.topics.setdefault(topic_group(topic), Counter()).update(tally)
        for rule_id, citation, title in outcome.violated:
            self.violations_by_rule[rule_id] += 1
            self.rule_info.setdefault(rule_id, (outcome.regulation or "", citation, title))
        self.blocking.update(outcome.blocking)


CSV_COLUMNS = ("rank", "facts_file", "unit", "region", "regulation", "ruleset_version", *STATUS_ORDER,
               "compliance_percent", "reports", "error")


def summary_head(options: BatchOptions, totals: Totals, top: int = 20) -> dict[str, Any]:
    """summary.json without its per-unit lists (units, failed, warnings), which are streamed.

    Topics are the groups of rules/topics.yaml (the comparison's headings), in its order, each
    with its name in the batch's language beside its id.
    """
    language = "en" if options.language == "en" else "id"
    group_labels = topic_group_labels()
    group_order = {group: index for index, group in enumerate(group_labels)}
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
            "topic": group, "label": group_labels.get(group, {}).get(language, group),
            **{status: tally.get(status, 0) for status in STATUS_ORDER},
            "compliance_percent": compliance_percent(tally.get("comply", 0), tally.get("violation", 0)),
        } for group, tally in sorted(totals.topics.items(), key=lambda item: group_order.get(item[0], len(group_order)))],
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
    return {**labels["batch_dashboard"], **labels["batch_dashboard_charts"], "statuses": labels["statuses"]}


DASHBOARD_ROWS = 500  # units, and failed files, shown on the page; all are in summary.csv
CHART_UNITS = 30  # units drawn in the violations chart, the worst first; the table lists more


def percent_text(value: float | None, language: str) -> str:
    """A percentage as the language writes it: 60,6% in Indonesian, 60.6% in English."""
    if value is None:
        return "–"
    text = f"{value:.1f}%"
    return text if language == "en" else text.replace(".", ",")


def regulation_title(regulation_id: str | None) -> str:
    """The regulation's short title ("Perbup Tegal 63/2023"); the id if it is not stored here."""
    if not regulation_id:
        return "–"
    try:
        return short_title(load_regulation(regulation_id).metadata)
    except (FileNotFoundError, ValueError):  # a row of a regulation this installation lacks
        return regulation_id


def dashboard_charts(head: dict[str, Any], unit_rows: list[dict[str, Any]], labels: dict[str, Any], language: str) -> dict[str, Any]:
    """The two pictures of the dashboard: compliance per topic, violations per unit (worst first)."""
    topic_bars = [Bar(topic["label"], topic["compliance_percent"],
                      percent_text(topic["compliance_percent"], language) if topic["compliance_percent"] is not None
                      else labels["not_judged"])
                  for topic in head["topics"]]
    offenders = [unit for unit in unit_rows if unit["counts"]["violation"]]
    unit_bars = [Bar(unit["unit"] or unit["facts_file"], unit["counts"]["violation"], str(unit["counts"]["violation"]))
                 for unit in offenders]
    return {
        "topics": horizontal_bars(topic_bars, chart_id="chart-topics", title=labels["chart_topics"], maximum=100, track=True,
                                  colour="#067647", empty=labels["chart_topics_empty"]),
        "units": horizontal_bars(unit_bars, chart_id="chart-units", title=labels["chart_units"], colour="#b42318",
                                 limit=CHART_UNITS, total=max(head["units_with_violations"], len(unit_bars)),
                                 more=labels["chart_more"], empty=labels["chart_units_empty"]),
    }


def dashboard_html(head: dict[str, Any], rows: UnitRows) -> str:
    language = "en" if head["language"] == "en" else "id"
    labels = dashboard_labels(language)
    unit_rows = list(rows.audited(DASHBOARD_ROWS))
    regulations = {unit["regulation"] for unit in unit_rows} | {entry["regulation"] for entry in head["most_frequent_violations"]}
    if head["regulation"] != "auto":
        regulations.add(head["regulation"])
    return environment(autoescape=True).get_template("batch.html.j2").render(
        summary=head, labels=labels, language=language, status_order=STATUS_ORDER,
        titles={regulation: regulation_title(regulation) for regulation in regulations},
        percent=lambda value: percent_text(value, language), charts=dashboard_charts(head, unit_rows, labels, language),
        unit_rows=unit_rows, hidden_units=max(0, head["units_audited"] - DASHBOARD_ROWS),
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
