"""Audit many units in one run: a report per unit, and a summary of the whole batch.

An inspectorate audits every unit of its region at once. Each facts file is audited on its
own (the regulation is the one in force for the unit's region unless one is given), its
report written as soon as it is done, and only a short row of it kept, on disk (SQLite) until
the summary is written: the batch's memory does not grow with the number of units. What is
added up (statuses, topics, violated rules, blocking facts) is bounded by the rule sets and the
facts' schema. A file that cannot be audited is listed with its error and does not stop the
others.

The jobs are apart: discover (which files), route (which rule set), unit (one unit's audit,
through audit/pipeline's audit_facts), pool (the worker processes), rows (the units' rows on
disk), summary (the totals and the summary files). This module runs them in order.
"""

from __future__ import annotations

import os
import signal
import threading
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from .discover import BatchUsageError, report_names
from .pool import outcomes
from .route import preload
from .rows import UnitRows
from .summary import Totals, write_summary
from .unit import REPORT_FORMATS, BatchOptions, UnitOutcome
from ..rulesets.select import select_ruleset

FAILURES_KEPT = 100  # failures kept in memory for the command's messages; all are in the summary files
WARNINGS_KEPT = 100  # likewise for the units' warnings; all are in summary.json


@dataclass
class BatchResult:
    options: BatchOptions
    audited: int
    with_violations: int
    failed: int
    failures: list[UnitOutcome]  # the first FAILURES_KEPT, by file name
    # Plain sentences for the command to show: the regulation's name, then the first
    # WARNINGS_KEPT of the units' (a unit of another region), by file name.
    warnings: list[str]
    warnings_not_kept: int  # the units' warnings beyond those, which only summary.json lists
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


def _progress_enabled() -> bool:
    # The bar is drawn here, where the units finish, and only on a terminal: it tells no
    # message, so nothing of it reaches a file, a pipe or a test's captured stderr.
    return sys.stderr.isatty() and not os.environ.get("CI")


class _StopRequest:
    """SIGTERM and SIGINT end the batch as Ctrl-C does (workers stopped, files closed).

    The handler raises KeyboardInterrupt where the main thread happens to be; Python swallows
    it when that is a callback it guards (logging's at-fork lock release, a finaliser), and the
    batch would then run to its end. So the request is also remembered, and the loop over the
    units raises it again at the next unit.
    """

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                self._previous[signum] = signal.signal(signum, self._interrupt)

    def _interrupt(self, signum, frame):
        self.requested = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.requested:
            raise KeyboardInterrupt

    def undo(self) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)


def run_batch(files: list[Path], options: BatchOptions, workers: Optional[int] = None,
              progress: Optional[bool] = None) -> BatchResult:
    """Audit every file, write each report as it is done, then the summary files."""
    for report_format in options.formats:
        if report_format not in REPORT_FORMATS:
            raise BatchUsageError(f"report format must be one of {', '.join(REPORT_FORMATS)}, got {report_format!r}")
    warnings: list[str] = []
    if options.regulation is not None:
        ruleset, warnings = select_ruleset(options.regulation, as_of=options.as_of)
        options = BatchOptions(**{**options.__dict__, "regulation": ruleset.regulation.id})
    # More workers than cores only share the cores, and more than files have nothing to do;
    # asked for more, the batch says how many it starts.
    cores = os.cpu_count() or 1
    asked = workers
    workers = max(1, min(workers or cores, cores, len(files)))
    if asked is not None and asked > workers:
        warnings.append(f"--workers {asked}: starting {workers} worker process{'es' if workers > 1 else ''} "
                        f"({cores} core{'s' if cores > 1 else ''}, {len(files)} file{'s' if len(files) > 1 else ''})")
    started = time.perf_counter()
    preload(options.regulation, options.as_of)
    (options.output / "reports").mkdir(parents=True, exist_ok=True)
    tasks = list(zip(files, report_names(files)))

    from tqdm import tqdm  # a live bar on a terminal; nothing in CI or when stderr is a file

    show = _progress_enabled() if progress is None else progress
    rows = UnitRows(options.output)
    totals = Totals()
    stop = _StopRequest()
    try:
        with outcomes(tasks, options, workers) as finished, \
                tqdm(total=len(tasks), unit="unit", disable=not show, file=sys.stderr, dynamic_ncols=True) as bar:
            for outcome in finished:
                stop.check()
                bar.update(1)
                totals.add(outcome)
                rows.add(outcome)
        stop.check()  # a stop that arrived while the last unit finished
        summary_head = write_summary(options, totals, rows)
        failures = [UnitOutcome(facts_file=entry["facts_file"], errors=entry["errors"]) for entry in rows.failed(FAILURES_KEPT)]
        unit_warnings = [warning for entry in rows.warned(WARNINGS_KEPT) for warning in entry["warnings"]][:WARNINGS_KEPT]
    finally:
        rows.close()
        stop.undo()
    return BatchResult(options=options, audited=summary_head["units_audited"], failed=summary_head["units_failed"],
                       with_violations=summary_head["units_with_violations"], failures=failures,
                       warnings=warnings + unit_warnings, warnings_not_kept=totals.warnings - len(unit_warnings),
                       summary=summary_head, seconds=totals.seconds, wall_seconds=time.perf_counter() - started,
                       workers=workers)
