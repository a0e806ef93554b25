"""One unit of a batch, in a worker: its facts read and validated, audited, its reports written,
and only a short outcome kept; every failure becomes the outcome's error, never the batch's."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

import orjson

from ..audit.pipeline import audit_facts
from ..judge.evaluate import JudgeName
from ..load.facts import FactsError, facts_from_document
from ..load.source_yaml import load_source
from ..problems import CannotRun, InputError
from ..documents.audit_report import render
from ..render.writer import write_atomically
from .route import ruleset_for_unit

REPORT_FORMATS = ("json", "md", "html")
STAGES = ("loading", "validating", "evaluating", "rendering")
# Ways one unit's audit can fail that say something about its facts or its date, not about patuh.
# (A rule set not in force on the date, a year beyond the holiday data, a citation or a rule the
# engine refuses: every stage's CannotRun.)
UNIT_ERRORS = (FactsError, InputError, CannotRun)


@dataclass(frozen=True)
class BatchOptions:
    as_of: date
    output: Path
    regulation: Optional[str] = None  # None: from each unit's region
    formats: tuple[str, ...] = ("json", "html")
    language: str = "id"
    judge: JudgeName = "durable"


@dataclass
class UnitOutcome:
    """What the summary keeps of one unit: small, whatever the size of its report."""

    facts_file: str
    report_files: list[str] = field(default_factory=list)
    unit: Optional[str] = None
    region: Optional[str] = None
    regulation: Optional[str] = None
    ruleset_version: Optional[str] = None
    counts: dict[str, int] = field(default_factory=dict)
    topics: dict[str, dict[str, int]] = field(default_factory=dict)  # rule topic -> status -> findings; the summary groups them
    violated: list[tuple[str, str, str]] = field(default_factory=list)  # (rule id, citation, title)
    blocking: list[str] = field(default_factory=list)  # missing facts, list positions folded: service_types[].sop
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def violations(self) -> int:
        return self.counts.get("violation", 0)


_FOLDED_POSITION = re.compile(r"\[\d+\]")


def _summarise(outcome: UnitOutcome, report: dict) -> None:
    outcome.counts = dict(report["summary"]["counts"])
    blocking: set[str] = set()
    for finding in report["findings"]:
        status = finding["status"]
        tally = outcome.topics.setdefault(finding["topic"], {})
        tally[status] = tally.get(status, 0) + 1
        if status == "violation":
            outcome.violated.append((finding["rule_id"], finding["citation"], finding["title"]))
        elif status == "unknown":
            blocking.update(_FOLDED_POSITION.sub("[]", path) for path in finding["missing_facts"])
    outcome.blocking = sorted(blocking)


def report_json(report: dict) -> str:
    """The same text as documents.audit_report.render(report, "json"), about ten times faster.

    The standard library encodes indented JSON in pure Python, and a report with a long
    complaint log runs to a megabyte: 24 ms a unit, a fifth of a batch. orjson writes the
    same bytes (2-space indent, ": " and ",", non-ASCII kept; checked on 209 reports and in
    tests/test_batch.py) in about 2 ms.
    """
    return orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8") + "\n"


def audit_unit(facts_file: Path, report_name: str, options: BatchOptions) -> UnitOutcome:
    """Audit one facts file and write its reports; every failure becomes the outcome's error.

    The audit is audit/pipeline's `audit_facts`, as for one unit; the file is read and
    validated here so that each stage is timed and the region can choose the rules first.
    """
    outcome = UnitOutcome(facts_file=str(facts_file))
    seconds = outcome.seconds
    started = time.perf_counter()
    # A report left by an earlier run must not sit beside a summary that says this run failed
    # for the unit, or wrote other formats: the unit's old reports go before it is audited.
    for report_format in REPORT_FORMATS:
        (options.output / "reports" / f"{report_name}.{report_format}").unlink(missing_ok=True)
    try:
        document = load_source(facts_file, "facts")
        facts_bytes = facts_file.read_bytes()
        loaded = time.perf_counter()
        seconds["loading"] = loaded - started
        ruleset = ruleset_for_unit(document, options.regulation, options.as_of)
        facts = facts_from_document(document, options.as_of, ruleset.regulation.id, {rule.id for rule in ruleset.rules})
        validated = time.perf_counter()
        seconds["validating"] = validated - loaded
        outcome.unit, outcome.region = facts.organisation.name, facts.organisation.region
        outcome.regulation, outcome.ruleset_version = ruleset.regulation.id, ruleset.version
        result = audit_facts(facts, facts_file, facts_bytes, ruleset, options.as_of, options.language, options.judge)
        outcome.warnings = result.warnings
        evaluated = time.perf_counter()
        seconds["evaluating"] = evaluated - validated
        for report_format in options.formats:
            destination = options.output / "reports" / f"{report_name}.{report_format}"
            write_atomically(report_json(result.report) if report_format == "json" else render(result.report, report_format),
                             destination)
            outcome.report_files.append(f"reports/{destination.name}")
        seconds["rendering"] = time.perf_counter() - evaluated
        _summarise(outcome, result.report)
    except FactsError as error:
        outcome.errors = [str(problem) for problem in error.problems]
    except UNIT_ERRORS as error:
        message = str(error)
        # Errors about the date or the regulation do not know the file; the summary must name it.
        outcome.errors = [message if message.startswith(str(facts_file)) else f"{facts_file}: {message}"]
    except OSError as error:
        outcome.errors = [f"{error.filename or facts_file}: {error.strerror or error}"]
    except Exception as error:  # noqa: BLE001 - one unit's unforeseen failure must not stop the others
        outcome.errors = [f"{facts_file}: patuh could not audit this file ({type(error).__name__}: {error}); "
                          "please report it with the file"]
    return outcome
