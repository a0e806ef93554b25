"""Audit many units in one run: a report per unit, and a summary of the whole batch.

An inspectorate audits every unit of its region at once. Each facts file is audited on its
own (the regulation is the one in force for the unit's region unless one is given), its
report written as soon as it is done, and only a short row of it kept, on disk (SQLite) until
the summary is written: the batch's memory does not grow with the number of units. What is
added up (statuses, topics, violated rules, blocking facts) is bounded by the rule sets and the
facts' schema. A file that cannot be audited is listed with its error and does not stop the
others.

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
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import orjson

from .. import __version__
from ..judge.durable_backend import RuleEngineError
from ..judge.evaluate import JudgeName, compile_ruleset, durable_judge
from ..load.facts import FactsError, facts_from_document
from ..model.findings import STATUS_LABELS, STATUS_ORDER
from ..load.regulation_text import CitationError
from ..rulesets.select import NotInForce, regulations_by_region, select_ruleset
from ..problems import InputError
from ..load.source_yaml import load_source
from ..dates.working_days import UnsupportedYearError

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
    from ..audit.pipeline import audit_facts
    from ..render.report import render, write_atomically

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
        if options.regulation is not None:
            ruleset, _ = select_ruleset(options.regulation, as_of=options.as_of)
        else:
            region = _region_of(document.data)
            if region is None:
                facts_from_document(document, options.as_of)  # names what is wrong with the file
                raise FactsError([InputError(facts_file, "the unit's region is needed to choose the regulation",
                                             document.line_of(("organisation",)), "organisation.region")])
            ruleset, _ = select_ruleset(region=region, as_of=options.as_of)
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


_options: Optional[BatchOptions] = None


def _audit_chunk(tasks: list[tuple[Path, str]]) -> list[UnitOutcome]:
    assert _options is not None, "worker started without options"
    return [audit_unit(facts_file, name, _options) for facts_file, name in tasks]


# --- The whole batch ---------------------------------------------------------------------

FAILURES_KEPT = 100  # failures kept in memory for the command's messages; all are in the summary files


@dataclass
class BatchResult:
    options: BatchOptions
    audited: int
    with_violations: int
    failed: int
    failures: list[UnitOutcome]  # the first FAILURES_KEPT, by file name
    summary: dict[str, Any]  # summary.json without its per-unit lists
    seconds: dict[str, float]
    wall_seconds: float
    workers: int

    @property
    def exit_code(self) -> int:
        """1 if any file could not be audited, else 2 if any unit has violations, else 0."""
        if self.failed:
            return 1
        return 2 if self.with_violations else 0


class _UnitRows:
    """Each unit's summary row, kept on disk rather than in memory until the summary is written.

    A national exercise has tens of thousands of units: rows in memory (and the summary built
    from them) grew the batch process by about 5 KB a unit. SQLite (standard library) ranks
    them at the end; the file lives beside the reports while the batch runs and is removed.
    """

    ORDER = "ORDER BY violation DESC, unknown DESC, unit, facts_file"

    def __init__(self, folder: Path):
        handle, name = tempfile.mkstemp(prefix=".patuh-batch-", suffix=".sqlite", dir=str(folder))
        os.close(handle)
        self.path = Path(name)
        self.database = sqlite3.connect(name)
        self.database.execute("PRAGMA journal_mode = OFF")  # scratch data: nothing to recover
        self.database.execute("PRAGMA synchronous = OFF")
        self.database.execute("CREATE TABLE audited (violation INTEGER, unknown INTEGER, unit TEXT, facts_file TEXT, row TEXT)")
        self.database.execute("CREATE TABLE failed (facts_file TEXT, errors TEXT)")
        self.database.execute("CREATE TABLE warned (facts_file TEXT, warnings TEXT)")

    def add(self, outcome: UnitOutcome) -> None:
        if outcome.errors:
            self.database.execute("INSERT INTO failed VALUES (?, ?)", (outcome.facts_file, json.dumps(outcome.errors)))
            return
        row = {
            "facts_file": outcome.facts_file, "unit": outcome.unit, "region": outcome.region,
            "regulation": outcome.regulation, "ruleset_version": outcome.ruleset_version,
            "counts": {status: outcome.counts.get(status, 0) for status in STATUS_ORDER},
            "compliance_percent": compliance_percent(outcome.counts.get("comply", 0), outcome.counts.get("violation", 0)),
            "reports": outcome.report_files,
        }
        self.database.execute("INSERT INTO audited VALUES (?, ?, ?, ?, ?)", (
            outcome.counts.get("violation", 0), outcome.counts.get("unknown", 0), outcome.unit or "",
            outcome.facts_file, json.dumps(row, ensure_ascii=False)))
        if outcome.warnings:
            self.database.execute("INSERT INTO warned VALUES (?, ?)", (outcome.facts_file, json.dumps(outcome.warnings)))

    def audited(self, limit: int = -1) -> Iterator[dict[str, Any]]:
        query = f"SELECT row FROM audited {self.ORDER} LIMIT ?"
        for rank, (row,) in enumerate(self.database.execute(query, (limit,)), 1):
            yield {"rank": rank, **json.loads(row)}

    def failed(self, limit: int = -1) -> Iterator[dict[str, Any]]:
        for facts_file, errors in self.database.execute("SELECT * FROM failed ORDER BY facts_file LIMIT ?", (limit,)):
            yield {"facts_file": facts_file, "errors": json.loads(errors)}

    def warned(self) -> Iterator[dict[str, Any]]:
        for facts_file, warnings in self.database.execute("SELECT * FROM warned ORDER BY facts_file"):
            yield {"facts_file": facts_file, "warnings": json.loads(warnings)}

    def count(self, table: str) -> int:
        return self.database.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def close(self) -> None:
        self.database.close()
        self.path.unlink(missing_ok=True)


def _preload(options: BatchOptions) -> None:
    """Load and compile the rule sets in force before workers fork (not the durable Hosts)."""
    if options.regulation is not None:
        compile_ruleset(select_ruleset(options.regulation, as_of=options.as_of)[0])
        return
    for candidates in regulations_by_region().values():
        for regulation_id in candidates:
            try:
                compile_ruleset(select_ruleset(regulation_id, as_of=options.as_of)[0])
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
        ruleset, warnings = select_ruleset(options.regulation, as_of=options.as_of)
        print(*(f"warning: {warning}" for warning in warnings), sep="\n", file=sys.stderr) if warnings else None
        options = BatchOptions(**{**options.__dict__, "regulation": ruleset.regulation.id})
    workers = workers or os.cpu_count() or 1
    started = time.perf_counter()
    _preload(options)
    (options.output / "reports").mkdir(parents=True, exist_ok=True)
    tasks = list(zip(files, report_names(files)))

    from tqdm import tqdm  # a live bar on a terminal; nothing in CI or when stderr is a file

    show = _progress_enabled() if progress is None else progress
    rows = _UnitRows(options.output)
    totals = _Totals()
    try:
        with _outcomes(tasks, options, workers) as outcomes, \
                tqdm(total=len(tasks), unit="unit", disable=not show, file=sys.stderr, dynamic_ncols=True) as bar:
            for outcome in outcomes:
                bar.update(1)
                for warning in outcome.warnings:
                    bar.write(f"warning: {warning}", file=sys.stderr)
                totals.add(outcome)
                rows.add(outcome)
        summary_head = write_summary(options, totals, rows)
        failures = [UnitOutcome(facts_file=entry["facts_file"], errors=entry["errors"]) for entry in rows.failed(FAILURES_KEPT)]
    finally:
        rows.close()
    return BatchResult(options=options, audited=summary_head["units_audited"], failed=summary_head["units_failed"],
                       with_violations=summary_head["units_with_violations"], failures=failures, summary=summary_head,
                       seconds=totals.seconds, wall_seconds=time.perf_counter() - started, workers=workers)


@dataclass
class _Totals:
    """What the summary adds up over all units: bounded by the rules and facts, not the units."""

    audited: int = 0
    failed: int = 0
    with_violations: int = 0
    statuses: Counter = field(default_factory=Counter)
    topics: dict[str, Counter] = field(default_factory=dict)
    violations_by_rule: Counter = field(default_factory=Counter)
    rule_info: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # rule id -> (regulation, citation, title)
    blocking: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: {stage: 0.0 for stage in STAGES})

    def add(self, outcome: UnitOutcome) -> None:
        for stage, spent in outcome.seconds.items():
            self.seconds[stage] += spent
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


# --- Summary: JSON, CSV, dashboard -------------------------------------------------------

CSV_COLUMNS = ("rank", "facts_file", "unit", "region", "regulation", "ruleset_version", *STATUS_ORDER,
               "compliance_percent", "reports", "error")


def summary_head(options: BatchOptions, totals: _Totals, top: int = 20) -> dict[str, Any]:
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


def _csv_pieces(rows: _UnitRows) -> Iterator[str]:
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


def write_streamed(pieces: Iterable[str], destination: Path) -> None:
    """report.write_atomically for text produced piece by piece: whole or not at all."""
    from ..render.report import _file_mode, _sync_directory

    handle, temporary_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=str(destination.parent))
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            for piece in pieces:
                stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode(destination))
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(destination.parent)


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
        "more": "unit lainnya ada di summary.csv", "more_failed": "berkas lainnya ada di summary.csv", "none": "tidak ada",
        "statuses": STATUS_LABELS["id"],
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
        "more": "more units are in summary.csv", "more_failed": "more files are in summary.csv", "none": "none",
        "statuses": STATUS_LABELS["en"],
    },
}
DASHBOARD_ROWS = 500  # units, and failed files, shown on the page; all are in summary.csv


def dashboard_html(head: dict[str, Any], rows: _UnitRows) -> str:
    from ..render.report import _environment

    language = "en" if head["language"] == "en" else "id"
    return _environment(autoescape=True).get_template("batch.html.j2").render(
        summary=head, labels=DASHBOARD_LABELS[language], language=language, status_order=STATUS_ORDER,
        unit_rows=list(rows.audited(DASHBOARD_ROWS)), hidden_units=max(0, head["units_audited"] - DASHBOARD_ROWS),
        failed_rows=list(rows.failed(DASHBOARD_ROWS)), hidden_failed=max(0, head["units_failed"] - DASHBOARD_ROWS))


def write_summary(options: BatchOptions, totals: _Totals, rows: _UnitRows) -> dict[str, Any]:
    """summary.json, summary.csv and dashboard.html, each written whole or not at all."""
    from ..render.report import write_atomically

    head = summary_head(options, totals)
    output = options.output
    write_streamed(_json_pieces(head, {"units": rows.audited(), "failed": rows.failed(), "warnings": rows.warned()}),
                   output / "summary.json")
    write_streamed(_csv_pieces(rows), output / "summary.csv")
    write_atomically(dashboard_html(head, rows), output / "dashboard.html")
    return head
