"""Running an audit for the web and keeping it: upload checks, the previous audit as the
follow-up's base, and the record stored whole in one transaction.

The engine reads facts from a file (a responses sheet is found relative to it), so an upload
is written to a private temporary folder first, under the name the user gave it; messages
then name that file as the user knows it.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import engine_calls as engine
from .accounts import Viewer
from .database import Audit, AuditSheet, Database, Unit, find_unit, same_region

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_WORDS = "2 MB"
# An inspector sends a facts file and up to four answer sheets in one form.
MAX_SHEETS = 4
MAX_FORM_WORDS = "10 MB"
FACTS_SUFFIXES = (".yaml", ".yml")
SHEET_SUFFIXES = (".csv", ".xlsx")


@dataclass
class Problem:
    """One thing wrong with an upload, told as the CLI tells it: file, line, field, message."""

    message: str
    file: Optional[str] = None
    line: Optional[int] = None
    field: Optional[str] = None

    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.line:
            parts.append(f"baris {self.line}")
        return ", ".join(parts)


class AuditRefused(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


def refused(message: str, file: Optional[str] = None) -> AuditRefused:
    return AuditRefused([Problem(message, file)])


def safe_filename(name: str) -> str:
    base = Path(name.replace("\\", "/")).name.strip() or "fakta.yaml"
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", base)[:200]
    return base if not base.startswith(".") else "fakta" + base


def check_upload(filename: str, content: bytes) -> str:
    """The upload's text if it can be a facts file; otherwise a clear refusal."""
    name = safe_filename(filename)
    suffix = Path(name).suffix.lower()
    if len(content) > MAX_UPLOAD_BYTES:
        raise refused(f"berkas terlalu besar ({len(content) / 1024 / 1024:.1f} MB); batasnya {MAX_UPLOAD_WORDS}", name)
    if not content.strip():
        raise refused("berkas kosong: pilih berkas fakta YAML yang berisi data unit", name)
    if suffix in SHEET_SUFFIXES:
        raise refused("ini lembar jawaban survei (CSV/XLSX), bukan berkas fakta. Pilih berkas fakta YAML di sini; "
                      "lembar jawaban diunggah di kolom lembar jawaban SKM, dengan nama yang disebut berkas fakta "
                      "(events.skm[].responses.file)", name)
    if suffix not in FACTS_SUFFIXES:
        raise refused("jenis berkas tidak diterima: unggah berkas fakta YAML (.yaml atau .yml)", name)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise refused("berkas ini bukan teks UTF-8; simpan berkas fakta sebagai teks YAML (UTF-8)", name) from None


def _problems_of(error: Exception, folder: Path) -> list[Problem]:
    def shown(file: Optional[str]) -> Optional[str]:
        if not file:
            return None
        path = Path(file)
        return str(path.relative_to(folder)) if path.is_relative_to(folder) else path.name

    def said(message: str) -> str:
        return message.replace(str(folder) + "/", "")

    if isinstance(error, engine.FactsError):
        return [Problem(said(problem.message), shown(problem.file), problem.line, problem.field) for problem in error.problems]
    if isinstance(error, engine.InputError):
        return [Problem(error.message, shown(error.file), error.line, error.field)]
    if isinstance(error, engine.RuleLoadError):
        return [Problem("berkas aturan tidak dapat dimuat; hubungi pengelola patuh: " + "; ".join(map(str, error.problems)))]
    return [Problem(str(error))]


@dataclass
class AuditRun:
    audit_id: int
    unit_id: int
    warnings: list[str] = field(default_factory=list)


def previous_audit(session: Session, unit_id: int, regulation_id: str, as_of: date) -> Optional[Audit]:
    return session.scalars(select(Audit).where(Audit.unit_id == unit_id, Audit.regulation_id == regulation_id,
                                               Audit.as_of < as_of)
                           .order_by(Audit.as_of.desc(), Audit.id.desc()).limit(1)).first()


def organisation_of(text: str, filename: str, folder: Path) -> dict:
    """The organisation block of the facts, read before choosing the regulation (by region)."""
    path = folder / filename
    try:
        document = engine.load_source(path, "facts")
    except engine.AUDIT_REFUSALS as error:
        raise AuditRefused(_problems_of(error, folder)) from None
    organisation = document.data.get("organisation") if isinstance(document.data, dict) else None
    if not isinstance(organisation, dict) or not organisation.get("region") or not organisation.get("name"):
        raise refused("berkas fakta harus dimulai dengan blok `organisation:` yang berisi `name` dan `region` unit", filename)
    return organisation


def audit_text(database: Database, text: str, filename: str, as_of: date, viewer: Optional[Viewer], source: str,
               unit_id: Optional[int] = None, regulation_id: Optional[str] = None,
               sheets: Optional[dict[str, bytes]] = None) -> AuditRun:
    """Audit facts given as text and store the audit; the follow-up is against the unit's previous audit.

    `sheets` (safe name → content) are the SKM answer sheets the facts name, laid beside them.
    """
    filename = safe_filename(filename)
    sheets = sheets or {}
    with tempfile.TemporaryDirectory(prefix="patuh-web-") as temporary:
        folder = Path(temporary)
        facts_path = folder / filename
        facts_bytes = text.encode("utf-8")
        facts_path.write_bytes(facts_bytes)
        for sheet_name, content in sheets.items():
            if sheet_name != filename:
                (folder / sheet_name).write_bytes(content)
        organisation = organisation_of(text, filename, folder)
        region, name = str(organisation["region"]), " ".join(str(organisation["name"]).split())
        if viewer is not None and viewer.role == "inspektorat" and not same_region(viewer.region, region):
            raise refused(f"unit ini berada di {region}; akun Anda memeriksa unit di {viewer.region}", filename)
        try:
            ruleset = (engine.ruleset_in_force(regulation_id, as_of) if regulation_id
                       else engine.ruleset_for_region(region, as_of))
            facts = engine.load_facts(facts_path, as_of, ruleset.regulation.id, {rule.id for rule in ruleset.rules})
        except engine.AUDIT_REFUSALS as error:
            raise AuditRefused(_problems_of(error, folder)) from None
        named = {survey.responses.file for survey in ((facts.events.skm if facts.events else None) or [])
                 if survey.responses and survey.responses.file}
        unread = sorted(set(sheets) - named)
        if unread:
            # A sheet no survey names would be kept with the audit yet judge nothing.
            raise refused(f"lembar jawaban {', '.join(unread)} tidak disebut berkas fakta; tulis namanya di "
                          f"events.skm[].responses.file survei yang bersangkutan"
                          + (f" (berkas fakta menyebut: {', '.join(sorted(named))})" if named else ""), filename)
        with database.transaction() as session:
            unit = find_unit(session, name, region)
            if unit_id is not None and (unit is None or unit.id != unit_id):
                target = session.get(Unit, unit_id)
                raise refused(f"berkas ini berisi fakta {name!r}, bukan {target.name if target else 'unit ini'!r}", filename)
            if viewer is not None and viewer.role == "unit" and (unit is None or unit.id != viewer.unit_id):
                raise refused(f"berkas ini berisi fakta {name!r}; akun Anda hanya untuk unitnya sendiri", filename)
            previous = previous_audit(session, unit.id, ruleset.regulation.id, as_of) if unit else None
            previous_path = None
            if previous is not None:
                previous_path = folder / "audit-sebelumnya.json"
                previous_path.write_text(previous.report_json, encoding="utf-8")
            try:
                result = engine.audit_facts(facts, facts_path, facts_bytes, ruleset, as_of, "id", "durable", previous_path)
            except engine.AUDIT_REFUSALS as error:
                raise AuditRefused(_problems_of(error, folder)) from None
            if unit is None:
                unit = Unit(name=name, region=region, type=facts.organisation.type.value)
                session.add(unit)
                session.flush()
            elif unit.type is None:
                unit.type = facts.organisation.type.value
            audit = store_audit(session, unit, result.report, text, filename, source, viewer, previous)
            for sheet_name, content in sorted(sheets.items()):
                session.add(AuditSheet(audit_id=audit.id, filename=sheet_name, content=content,
                                       sha256=hashlib.sha256(content).hexdigest()))
            return AuditRun(audit.id, unit.id, [warning.replace(str(folder) + "/", "") for warning in result.warnings])


def store_audit(session: Session, unit: Unit, report: dict, facts_text: Optional[str], filename: str, source: str,
                viewer: Optional[Viewer], previous: Optional[Audit]) -> Audit:
    report_text = engine.render(report, "json")
    counts = report["summary"]["counts"]
    audit = Audit(
        unit_id=unit.id, created_by=viewer.id if viewer else None, created_by_name=viewer.name if viewer else None,
        source=source, facts_filename=filename,
        facts_yaml=facts_text, facts_sha256=report["facts"]["sha256"], as_of=date.fromisoformat(report["as_of"]),
        regulation_id=report["regulation"]["id"], ruleset_version=report["ruleset"]["version"],
        ruleset_sha256=report["ruleset"]["sha256"], report_json=report_text,
        report_sha256=hashlib.sha256(report_text.encode("utf-8")).hexdigest(),
        violation_count=counts.get("violation", 0), unknown_count=counts.get("unknown", 0),
        pending_count=counts.get("pending", 0), comply_count=counts.get("comply", 0),
        not_applicable_count=counts.get("not_applicable", 0), previous_audit_id=previous.id if previous else None)
    session.add(audit)
    session.flush()
    return audit


def report_of(audit: Audit) -> dict:
    return json.loads(audit.report_json)


def follow_up_counts(report: dict) -> dict[str, int]:
    """How the findings stand against the previous audit: baru, masih_terbuka, selesai, ..."""
    counts: dict[str, int] = {}
    for finding in report["findings"]:
        state = (finding.get("follow_up") or {}).get("state")
        if state:
            counts[state] = counts.get(state, 0) + 1
    return counts


def plan_html(audit: Audit) -> str:
    """The remediation plan of a stored audit, from its report and the rule set it was run with."""
    report = report_of(audit)
    ruleset = engine.load_ruleset(audit.regulation_id, audit.ruleset_version)
    result = engine.AuditResult(report=report, findings=[], ruleset=ruleset)
    return engine.render_plan(engine.build_plan(result, "id"), "html")


# --- patuh import ---------------------------------------------------------------------------

def _json_report(path: Path) -> Optional[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("schema") == engine.REPORT_SCHEMA_ID else None


def import_directory(database: Database, folder: Path, as_of: date) -> list[str]:
    """Facts files and JSON reports of a folder (and its subfolders) into the database as audits.

    A report whose facts file is in the folder (same sha256) is kept with that text; a facts
    file with no report is audited as of `as_of`; a report with no facts file is kept alone.
    Imports run in date order so each audit's follow-up base is the one before it; an audit
    already in the database (same unit, date, regulation and report) is not added twice.
    """
    lines: list[str] = []
    reports = []
    for path in sorted(folder.rglob("*.json")):
        report = _json_report(path)
        if report is not None:
            reports.append((path, report))
    facts_files = sorted(path for suffix in FACTS_SUFFIXES for path in folder.rglob(f"*{suffix}"))
    by_hash = {hashlib.sha256(path.read_bytes()).hexdigest(): path for path in facts_files}
    paired = set()
    work: list[tuple[date, str, Path, Optional[dict]]] = []
    for path, report in reports:
        facts_path = by_hash.get(report.get("facts", {}).get("sha256", ""))
        if facts_path is not None:
            paired.add(facts_path)
        work.append((date.fromisoformat(report["as_of"]), "report", path, report))
    for path in facts_files:
        if path not in paired:
            work.append((as_of, "facts", path, None))
    work.sort(key=lambda entry: (entry[0], str(entry[2])))
    for dated, kind, path, report in work:
        shown = path.relative_to(folder)
        if kind == "facts":
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            with database.transaction() as session:
                already = session.scalars(select(Audit).where(Audit.facts_sha256 == digest, Audit.as_of == dated)).first()
            if already is not None:
                lines.append(f"{shown}: sudah ada (audit #{already.id}), tidak ditambahkan lagi")
                continue
            try:
                text = path.read_text(encoding="utf-8")
                run = audit_text(database, text, path.name, dated, None, "impor")
                lines.append(f"{shown}: diaudit per {dated.isoformat()}, audit #{run.audit_id}")
            except UnicodeDecodeError:
                lines.append(f"{shown}: dilewati: bukan teks UTF-8")
            except AuditRefused as refusal:
                for problem in refusal.problems:
                    where = ":".join(str(part) for part in (problem.file or shown, problem.line) if part)
                    lines.append(f"{shown}: dilewati: {where}: " + (f"field `{problem.field}`: " if problem.field else "") + problem.message)
            continue
        facts_path = by_hash.get(report.get("facts", {}).get("sha256", ""))
        unit_block = report.get("unit", {})
        with database.transaction() as session:
            unit = find_unit(session, unit_block.get("name", ""), unit_block.get("region", ""))
            if unit is None:
                unit = Unit(name=" ".join(str(unit_block["name"]).split()), region=unit_block["region"], type=unit_block.get("type"))
                session.add(unit)
                session.flush()
            report_text = engine.render(report, "json")
            report_hash = hashlib.sha256(report_text.encode("utf-8")).hexdigest()
            already = session.scalars(select(Audit).where(Audit.unit_id == unit.id, Audit.report_sha256 == report_hash)).first()
            if already is not None:
                lines.append(f"{shown}: sudah ada (audit #{already.id}), tidak ditambahkan lagi")
                continue
            previous = previous_audit(session, unit.id, report["regulation"]["id"], dated)
            text = facts_path.read_text(encoding="utf-8") if facts_path else None
            audit = store_audit(session, unit, report, text, facts_path.name if facts_path else report["facts"]["file"],
                                "impor", None, previous)
            with_facts = f"dengan berkas fakta {facts_path.relative_to(folder)}" if facts_path else "tanpa berkas fakta"
            lines.append(f"{shown}: laporan per {dated.isoformat()} disimpan {with_facts}, audit #{audit.id}")
    return lines


def imported_counts(lines: Iterable[str]) -> tuple[int, int]:
    lines = list(lines)
    return sum(1 for line in lines if "audit #" in line and "sudah ada" not in line), sum(1 for line in lines if "dilewati" in line)
