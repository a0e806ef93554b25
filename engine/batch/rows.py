"""Each audited unit's short row, kept on disk (SQLite) until the summary is written."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Iterator, Optional

from ..model.findings import STATUS_ORDER
from .unit import UnitOutcome


def compliance_percent(comply: int, violation: int) -> Optional[float]:
    """Duties met among duties judged. Unknown, pending and not-applicable findings are left
    out: a missing fact is neither a pass nor a failure, so it cannot move this number."""
    judged = comply + violation
    return round(100.0 * comply / judged, 1) if judged else None


class UnitRows:
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

    def warned(self, limit: int = -1) -> Iterator[dict[str, Any]]:
        for facts_file, warnings in self.database.execute("SELECT * FROM warned ORDER BY facts_file LIMIT ?", (limit,)):
            yield {"facts_file": facts_file, "warnings": json.loads(warnings)}

    def count(self, table: str) -> int:
        return self.database.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def close(self) -> None:
        self.database.close()
        self.path.unlink(missing_ok=True)
