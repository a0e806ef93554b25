"""Audit many units in one run: a report per unit, and a summary of the whole batch.

An inspectorate audits every unit of its region at once. Each facts file is audited on its
own (the regulation is the one in force for the unit's region unless one is given), its
report written as soon as it is done, and only a small summary of it kept: the batch's memory
does not grow with the reports, only by one short row per unit. A file that cannot be
audited is listed with its error and does not stop the others.

Workers: a process pool over all cores. On Linux the pool forks, after the parent has loaded
and compiled the rule sets in force (pure Python objects, shared copy-on-write), but before any
durable-rules Host exists: a Host holds C state and may start timer threads, neither of which
survives a fork safely, so each worker builds its own Host on first use. Where fork is not
available (macOS, Windows) the pool spawns, and each worker loads the rule sets itself.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import orjson

from . import __version__
from .durable_backend import RuleEngineError
from .evaluate import JudgeName, compile_ruleset, durable_judge
from .facts import FactsError, facts_from_document
from .findings import STATUS_ORDER
from .regulation_text import CitationError, list_regulations, load_regulation, resolve_regulation_name
from .rules import NotInForce, RuleSet, ruleset_in_force
from .source_yaml import InputError, load_source
from .working_days import UnsupportedYearError

FACTS_SUFFIXES = (".yaml", ".yml")
REPORT_FORMATS = ("json", "md", "html")
STAGES = ("loading", "validating", "evaluating", "rendering")
# Ways one unit's audit can fail that say something about its facts or its date, not about patuh.
UNIT_ERRORS = (FactsError, InputError, NotInForce, CitationError, UnsupportedYearError, RuleEngineError)


class BatchUsageError(ValueError):
    """The batch cannot start (no facts files, an unknown regulation)."""


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
    topics: dict[str, dict[str, int]] = field(default_factory=dict)
    violated: list[tuple[str, str, str]] = field(default_factory=list)  # (rule id, citation, title)
    blocking: list[str] = field(default_factory=list)  # missing facts, list positions folded: service_types[].sop
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def violations(self) -> int:
        return self.counts.get("violation", 0)


def compliance_percent(comply: int, violation: int) -> Optional[float]:
    """Duties met among duties judged. Unknown, pending and not-applicable findings are left
    out: a missing fact is neither a pass nor a failure, so it cannot move this number."""
    judged = comply + violation
    return round(100.0 * comply / judged, 1) if judged else None


# --- Which files, which regulation -------------------------------------------------------

def facts_files(targets: Iterable[str]) -> list[Path]:
    """Facts files named by folders (their *.yaml / *.yml), glob patterns or file names."""
    found: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            found.extend(sorted(child for child in path.iterdir() if child.suffix.lower() in FACTS_SUFFIXES and child.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            matches = sorted(Path(name) for name in glob.glob(target, recursive=True))
            found.extend(match for match in matches if match.is_file() and match.suffix.lower() in FACTS_SUFFIXES)
    unique = list(dict.fromkeys(found))
    if not unique:
        raise BatchUsageError(f"no facts files (*.yaml, *.yml) in {', '.join(targets)}")
    return unique


def report_names(files: list[Path]) -> list[str]:
    """One report name per facts file; the same file name in two folders gets the folder too."""
    stems = Counter(file.stem for file in files)
    names: list[str] = []
    taken: set[str] = set()
    for file in files:
        name = file.stem if stems[file.stem] == 1 else f"{file.parent.name}-{file.stem}"
        base, number = name, 2
        while name in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name)
        names.append(name)
    return names


@lru_cache(maxsize=None)
def regulations_by_region() -> dict[str, tuple[str, ...]]:
    by_region: dict[str, list[str]] = {}
    for regulation_id in list_regulations():
        region = load_regulation(regulation_id).metadata.get("region")
        if region:
            by_region.setdefault(str(region).strip().lower(), []).append(regulation_id)
    return {region: tuple(ids) for region, ids in by_region.items()}


@lru_cache(maxsize=None)
def _ruleset_for(regulation_id: str, as_of: date) -> RuleSet:
    return ruleset_in_force(regulation_id, as_of)


def ruleset_for_region(region: str, as_of: date) -> RuleSet:
    candidates = regulations_by_region().get(region.strip().lower())
    if not candidates:
        known = ", ".join(sorted(load_regulation(ids[0]).metadata["region"] for ids in regulations_by_region().values()))
        raise NotInForce(f"no encoded regulation for the region {region!r} (regions with rules: {known}); "
                         "give --regulation to audit against another region's rules")
    refusals = []
    for regulation_id in candidates:
        try:
            return _ruleset_for(regulation_id, as_of)
        except NotInForce as refusal:
            refusals.append(str(refusal))
    raise NotInForce("; ".join(refusals))


def _region_of(data: Any) -> Optional[str]:
    organisation = data.get("organisation") if isinstance(data, dict) else None
    region = organisation.get("region") if isinstance(organisation, dict) else None
    return region if isinstance(region, str) and region.strip() else None


# --- One unit (runs in a worker) ---------------------------------------------------------

_FOLDED_POSITION = re.compile(r"\[\d+\]")


def _summarise(outcome: UnitOutcome, report: dict) -> None:
    outcome.counts = dict(report["summary"]["counts"])
    blocking: set[str] = set()
    for finding in report["findings"]:
        status = finding["status"]
        group = finding["topic"].split(".")[0]
        tally = outcome.topics.setdefault(group, {})
        tally[status] = tally.get(status, 0) + 1
        if status == "violation":
            outcome.violated.append((finding["rule_id"], finding["citation"], finding["title"]))
        elif status == "unknown":
            blocking.update(_FOLDED_POSITION.sub("[]", path) for path in finding["missing_facts"])
    outcome.blocking = sorted(blocking)


def report_json(report: dict) -> str:
    """The same text as report.render(report, "json"), about ten times faster.

    The standard library encodes indented JSON in pure Python, and a report with a long
    complaint log runs to a megabyte: 24 ms a unit, a fifth of a batch. orjson writes the
    same bytes (2-space indent, ": " and ",", non-ASCII kept; checked on 209 reports and in
    tests/test_batch.py) in about 2 ms.
    """
    return orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8") + "\n"


def audit_unit(facts_file: Path, report_name: str, options: BatchOptions) -> UnitOutcome:
    """Audit one facts file and write its reports; every failure becomes the outcome's error."""
    from .audit import audit_facts
    from .report import render, write_atomically

    outcome = UnitOutcome(facts_file=str(facts_file))
    seconds = outcome.seconds
    started = time.perf_counter()
    try:
        document = load_source(facts_file, "facts")
        facts_bytes = facts_file.read_bytes()
        loaded = time.perf_counter()
        seconds["loading"] = loaded - started
        if options.regulation is not None:
            ruleset = _ruleset_for(options.regulation, options.as_of)
        else:
            region = _region_of(document.data)
            if region is None:
                facts_from_document(document, options.as_of)  # names what is wrong with the file
                raise FactsError([InputError(facts_file, "the unit's region is needed to choose the regulation",
                                             document.line_of(("organisation",)), "organisation.region")])
            ruleset = ruleset_for_region(region, options.as_of)
        facts = facts_from_document(document, options.as_of, ruleset.regulation.id, {rule.id for rule in ruleset.rules})
        validated = time.perf_counter()
        seconds["validating"] = validated - loaded
        outcome.unit, outcome.region = facts.organisation.name, facts.organisation.region
        outcome.regulation, outcome.ruleset_version = ruleset.regulation.id, ruleset.version
        result = audit_facts(facts, facts_file, facts_bytes, ruleset, options.as_of, options.language, options.judge,
                             warn=outcome.warnings.append)
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
        outcome.errors = [str(error)]
    except OSError as error:
        outcome.errors = [f"{error.filename or facts_file}: {error.strerror or error}"]
    return outcome


_options: Optional[BatchOptions] = None


def _audit_chunk(tasks: list[tuple[Path, str]]) -> list[UnitOutcome]:
    assert _options is not None, "worker started without options"
    return [audit_unit(facts_file, name, _options) for facts_file, name in tasks]


# --- The whole batch ---------------------------------------------------------------------

@dataclass
class BatchResult:
    options: BatchOptions
    units: list[UnitOutcome]  # audited, ranked; each without its per-finding detail
    failed: list[UnitOutcome]
    topics: dict[str, Counter]
    violations_by_rule: Counter
    rule_info: dict[str, tuple[str, str, str]]  # rule id -> (regulation, citation, title)
    blocking: Counter
    seconds: dict[str, float]
    wall_seconds: float
    workers: int

    @property
    def exit_code(self) -> int:
        """1 if any file could not be audited, else 2 if any unit has violations, else 0."""
        if self.failed:
            return 1
        return 2 if any(unit.violations for unit in self.units) else 0


def _preload(options: BatchOptions) -> None:
    """Load and compile the rule sets in force before workers fork (not the durable Hosts)."""
    if options.regulation is not None:
        compile_ruleset(_ruleset_for(options.regulation, options.as_of))
        return
    for candidates in regulations_by_region().values():
        for regulation_id in candidates:
            try:
                compile_ruleset(_ruleset_for(regulation_id, options.as_of))
            except NotInForce:
                pass  # said per unit, for the units of that region


def _pool_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _start_worker(options: BatchOptions) -> None:
    global _options
    _options = options
    # A forked worker may inherit a durable-rules Host built earlier in the parent (a test run,
    # a library caller); each worker builds its own instead of sharing copied C state.
    durable_judge.cache_clear()


def _lost(tasks: list[tuple[Path, str]]) -> list[UnitOutcome]:
    return [UnitOutcome(facts_file=str(facts_file), errors=[
        f"{facts_file}: not audited: a worker process died during the batch (a crash inside durable-rules "
        "or the machine running out of memory); audit the files listed so with --workers 1 to find the cause"])
        for facts_file, _ in tasks]


@contextmanager
def _outcomes(tasks: list[tuple[Path, str]], options: BatchOptions, workers: int) -> Iterator[Iterator[UnitOutcome]]:
    if workers <= 1 or len(tasks) <= 1:
        yield (audit_unit(facts_file, name, options) for facts_file, name in tasks)
        return
    # Small chunks keep both cores busy to the end; not one task per message, which costs IPC.
    size = max(1, min(16, len(tasks) // (workers * 8)))
    chunks = iter([tasks[start:start + size] for start in range(0, len(tasks), size)])
    # With fork, the executor forks all its workers here, before its own thread or the progress
    # bar's start in this process. A worker that dies (a C crash) breaks the pool: the executor
    # says so, where multiprocessing.Pool would wait forever for the lost results.
    with ProcessPoolExecutor(workers, mp_context=_pool_context(), initializer=_start_worker,
                             initargs=(options,)) as pool:
        # A few chunks in flight per worker: results stream back, and nothing queues up in
        # memory however many units the batch has.
        pending: dict[Future, list[tuple[Path, str]]] = {}
        lost: list[UnitOutcome] = []

        def submit() -> bool:
            while len(pending) < workers * 4 and (chunk := next(chunks, None)) is not None:
                try:
                    pending[pool.submit(_audit_chunk, chunk)] = chunk
                except BrokenProcessPool:
                    lost.extend(_lost(chunk))
                    return False
            return True

        broken = not submit()  # the first submission forks the workers, here

        def results() -> Iterator[UnitOutcome]:
            nonlocal broken
            while True:
                if not broken:
                    broken = not submit()
                yield from lost
                lost.clear()
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    chunk = pending.pop(future)
                    try:
                        yield from future.result()
                    except BrokenProcessPool:
                        broken = True
                        yield from _lost(chunk)
            for chunk in chunks:  # left unsubmitted once the pool broke
                yield from _lost(chunk)

        yield results()


def _progress_enabled() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def run_batch(files: list[Path], options: BatchOptions, workers: Optional[int] = None,
              progress: Optional[bool] = None) -> BatchResult:
    """Audit every file, write each report as it is done, then the summary files."""
    for report_format in options.formats:
        if report_format not in REPORT_FORMATS:
            raise BatchUsageError(f"report format must be one of {', '.join(REPORT_FORMATS)}, got {report_format!r}")
    if options.regulation is not None:
        regulation_id, warning = resolve_regulation_name(options.regulation)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
        options = BatchOptions(**{**options.__dict__, "regulation": regulation_id})
    workers = workers or os.cpu_count() or 1
    started = time.perf_counter()
    _preload(options)
    (options.output / "reports").mkdir(parents=True, exist_ok=True)
    tasks = list(zip(files, report_names(files)))

    from tqdm import tqdm  # a live bar on a terminal; nothing in CI or when stderr is a file

    show = _progress_enabled() if progress is None else progress
    units: list[UnitOutcome] = []
    failed: list[UnitOutcome] = []
    topics: dict[str, Counter] = {}
    violations_by_rule: Counter = Counter()
    rule_info: dict[str, tuple[str, str, str]] = {}
    blocking: Counter = Counter()
    seconds = {stage: 0.0 for stage in STAGES}
    with _outcomes(tasks, options, workers) as outcomes, \
            tqdm(total=len(tasks), unit="unit", disable=not show, file=sys.stderr, dynamic_ncols=True) as bar:
        for outcome in outcomes:
            bar.update(1)
            for warning in outcome.warnings:
                bar.write(f"warning: {warning}", file=sys.stderr)
            for stage, spent in outcome.seconds.items():
                seconds[stage] += spent
            if outcome.errors:
                failed.append(outcome)
                continue
            for group, tally in outcome.topics.items():
                topics.setdefault(group, Counter()).update(tally)
            for rule_id, citation, title in outcome.violated:
                violations_by_rule[rule_id] += 1
                rule_info.setdefault(rule_id, (outcome.regulation or "", citation, title))
            blocking.update(outcome.blocking)
            # Keep the row, not the detail: memory grows by a few hundred bytes per unit.
            outcome.topics, outcome.violated, outcome.blocking, outcome.seconds = {}, [], [], {}
            units.append(outcome)
    units.sort(key=lambda unit: (-unit.violations, -unit.counts.get("unknown", 0), unit.unit or "", unit.facts_file))
    failed.sort(key=lambda unit: unit.facts_file)
    result = BatchResult(options=options, units=units, failed=failed, topics=topics, violations_by_rule=violations_by_rule,
                         rule_info=rule_info, blocking=blocking, seconds=seconds,
                         wall_seconds=time.perf_counter() - started, workers=workers)
    write_summary(result)
    return result


# --- Summary: JSON, CSV, dashboard -------------------------------------------------------

CSV_COLUMNS = ("rank", "facts_file", "unit", "region", "regulation", "ruleset_version", *STATUS_ORDER,
               "compliance_percent", "reports", "error")


def summary(result: BatchResult, top: int = 20) -> dict[str, Any]:
    audited = len(result.units)
    status_totals = Counter()
    for unit in result.units:
        status_totals.update(unit.counts)
    return {
        "patuh_version": __version__,
        "as_of": result.options.as_of.isoformat(),
        "regulation": result.options.regulation or "auto",
        "language": result.options.language,
        "units_total": audited + len(result.failed),
        "units_audited": audited,
        "units_failed": len(result.failed),
        "units_with_violations": sum(1 for unit in result.units if unit.violations),
        "status_totals": {status: status_totals.get(status, 0) for status in STATUS_ORDER},
        "compliance_percent": compliance_percent(status_totals.get("comply", 0), status_totals.get("violation", 0)),
        "units": [{
            "rank": rank, "facts_file": unit.facts_file, "unit": unit.unit, "region": unit.region,
            "regulation": unit.regulation, "ruleset_version": unit.ruleset_version,
            "counts": {status: unit.counts.get(status, 0) for status in STATUS_ORDER},
            "compliance_percent": compliance_percent(unit.counts.get("comply", 0), unit.counts.get("violation", 0)),
            "reports": unit.report_files,
        } for rank, unit in enumerate(result.units, 1)],
        "failed": [{"facts_file": unit.facts_file, "errors": unit.errors} for unit in result.failed],
        "topics": [{
            "topic": group, **{status: tally.get(status, 0) for status in STATUS_ORDER},
            "compliance_percent": compliance_percent(tally.get("comply", 0), tally.get("violation", 0)),
        } for group, tally in sorted(result.topics.items())],
        "most_frequent_violations": [{
            "rule_id": rule_id, "regulation": result.rule_info[rule_id][0], "citation": result.rule_info[rule_id][1],
            "title": result.rule_info[rule_id][2], "units": count,
        } for rule_id, count in sorted(result.violations_by_rule.items(), key=lambda item: (-item[1], item[0]))[:top]],
        "blocking_unknowns": [{"fact": fact, "units": count}
                              for fact, count in sorted(result.blocking.items(), key=lambda item: (-item[1], item[0]))[:top]],
        "warnings": [{"facts_file": unit.facts_file, "warnings": unit.warnings} for unit in result.units if unit.warnings],
    }


def summary_csv(data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for unit in data["units"]:
        percent = unit["compliance_percent"]
        writer.writerow([unit["rank"], unit["facts_file"], unit["unit"], unit["region"], unit["regulation"],
                         unit["ruleset_version"], *(unit["counts"][status] for status in STATUS_ORDER),
                         "" if percent is None else f"{percent:.1f}", " ".join(unit["reports"]), ""])
    for failure in data["failed"]:
        writer.writerow(["", failure["facts_file"], "", "", "", "", *("" for _ in STATUS_ORDER), "", "",
                         " | ".join(failure["errors"])])
    return buffer.getvalue()


DASHBOARD_LABELS = {
    "id": {
        "title": "Ringkasan audit", "as_of": "Per tanggal", "regulation": "Peraturan", "auto": "menurut wilayah unit",
        "units": "Unit", "audited": "diaudit", "failed": "gagal", "with_violations": "dengan pelanggaran",
        "overall": "Kepatuhan keseluruhan", "ranking": "Peringkat unit menurut jumlah pelanggaran",
        "rank": "No.", "unit": "Unit", "file": "Berkas fakta", "compliance": "Kepatuhan", "report": "Laporan",
        "topics": "Kepatuhan per topik", "topic": "Topik", "frequent": "Pelanggaran paling sering",
        "rule": "Aturan", "citation": "Pasal", "units_count": "Jumlah unit", "blocking": "Fakta yang paling sering menghalangi penilaian",
        "fact": "Fakta", "failures": "Berkas yang tidak dapat diaudit", "error": "Kesalahan",
        "percent_note": "Kepatuhan = patuh ÷ (patuh + pelanggaran); temuan tidak diketahui, belum jatuh tempo dan tidak berlaku tidak dihitung.",
        "more": "unit lainnya ada di summary.csv", "none": "tidak ada",
        "statuses": {"violation": "Pelanggaran", "unknown": "Tidak diketahui", "pending": "Belum jatuh tempo",
                     "comply": "Patuh", "not_applicable": "Tidak berlaku"},
    },
    "en": {
        "title": "Audit summary", "as_of": "As of", "regulation": "Regulation", "auto": "by each unit's region",
        "units": "Units", "audited": "audited", "failed": "failed", "with_violations": "with violations",
        "overall": "Overall compliance", "ranking": "Units ranked by number of violations",
        "rank": "#", "unit": "Unit", "file": "Facts file", "compliance": "Compliance", "report": "Report",
        "topics": "Compliance per topic", "topic": "Topic", "frequent": "Most frequent violations",
        "rule": "Rule", "citation": "Article", "units_count": "Units", "blocking": "Facts that most often block a judgement",
        "fact": "Fact", "failures": "Files that could not be audited", "error": "Error",
        "percent_note": "Compliance = comply ÷ (comply + violation); unknown, pending and not-applicable findings are not counted.",
        "more": "more units are in summary.csv", "none": "none",
        "statuses": {"violation": "Violation", "unknown": "Unknown", "pending": "Not yet due",
                     "comply": "Complies", "not_applicable": "Not applicable"},
    },
}
DASHBOARD_UNIT_ROWS = 500


def dashboard_html(data: dict[str, Any]) -> str:
    from .report import _environment

    language = "en" if data["language"] == "en" else "id"
    return _environment(autoescape=True).get_template("batch.html.j2").render(
        summary=data, labels=DASHBOARD_LABELS[language], language=language, status_order=STATUS_ORDER,
        unit_rows=data["units"][:DASHBOARD_UNIT_ROWS], hidden_units=max(0, len(data["units"]) - DASHBOARD_UNIT_ROWS))


def write_summary(result: BatchResult) -> dict[str, Any]:
    from .report import write_atomically

    data = summary(result)
    output = result.options.output
    write_atomically(json.dumps(data, ensure_ascii=False, indent=2) + "\n", output / "summary.json")
    write_atomically(summary_csv(data), output / "summary.csv")
    write_atomically(dashboard_html(data), output / "dashboard.html")
    return data
