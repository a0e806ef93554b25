"""The self-assessment interview: a unit's staff answer questions generated from the rule
files' fact uses, block by block; every step saves the draft; the submit runs the audit.

The questions are the fact model's fields that a rule of the chosen regulation reads
(`fact_uses`), plus those the model requires, so the interview asks for exactly what the
template holds. A document or a list is answered "belum diperiksa" (left out: unknown),
"tidak ada" (`tidak_ada` / an empty list) or "ada" (its content); a plain value left empty
is "belum diperiksa". A field is named in the form by its path as the engine's messages
name it (`service_types[0].sop.number`), so a validation problem is shown beside its field.
"""

from __future__ import annotations

import datetime
import enum
import json
import re
import tempfile
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from sqlalchemy import select, update
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from . import engine_calls as engine
from .audits import MAX_UPLOAD_BYTES, AuditRefused, Problem, audit_text, check_upload
from .database import Database, Draft, Unit, now
from .sheets import respondents_summary, responses_from_sheet

BLOCK_TITLES = {
    "organisation": "Identitas unit", "service_types": "Jenis layanan, standar pelayanan dan SOP",
    "publications": "Publikasi dokumen", "maklumat": "Maklumat pelayanan", "information_services": "Sistem informasi pelayanan",
    "facilities": "Sarana dan prasarana", "complaint_management": "Pengelolaan pengaduan", "events": "Kegiatan",
    "incidents": "Kejadian", "cooperation_agreements": "Perjanjian kerja sama", "earlier_audits": "Audit sebelumnya",
}
FIELD_WORDS = {
    "name": "Nama", "type": "Jenis unit", "region": "Wilayah (kabupaten/kota)", "id": "Kode singkat (huruf kecil dan tanda hubung)",
    "number": "Nomor", "title": "Judul", "dated": "Tanggal", "document": "Dokumen", "position": "Jabatan", "role": "Kedudukan",
    "atasan_satuan_kerja": "Atasan satuan kerja", "established_on": "Tanggal penetapan", "established_by": "Ditetapkan oleh",
    "standar_pelayanan": "Standar pelayanan", "sop": "SOP", "medium": "Media", "channel": "Sarana publikasi",
    "published_on": "Tanggal publikasi", "location": "Tempat atau alamat", "service_type": "Jenis layanan (kode)",
    "item": "Sarana", "quantity": "Jumlah (0 bila sudah tidak ada atau rusak)", "kind": "Jenis", "address": "Alamat", "received_on": "Tanggal diterima",
    "statements": "Pernyataan", "components": "Komponen", "participants": "Peserta", "held_on": "Tanggal pelaksanaan",
    "archive": "Arsip", "auditor": "Pemeriksa", "berita_acara": "Berita acara", "by": "Oleh", "category": "Golongan",
    "channel_check_gaps": "Hari kerja tanpa pemeriksaan kanal pengaduan", "channel_checks": "Pemeriksaan kanal pengaduan",
    "channels": "Kanal", "charges_to_public": "Biaya dibebankan kepada masyarakat", "checked_by": "Diperiksa oleh",
    "checked_on": "Tanggal pemeriksaan", "code_of_ethics_enforcement": "Penegakan kode etik",
    "compensation_claimed": "Ganti rugi diminta", "compensations": "Ganti rugi", "complaint_contact_shown_by": "Kontak pengaduan ditampilkan melalui",
    "complaint_management": "Pengelolaan pengaduan", "complaints": "Pengaduan", "condition": "Kondisi", "contact": "Kontak",
    "contents": "Isi", "cooperation_agreements": "Perjanjian kerja sama", "cost": "Biaya", "decided_on": "Tanggal keputusan",
    "decision_compensation_amount": "Besar ganti rugi yang diputuskan", "decision_compensation_payment_due_on": "Batas pembayaran ganti rugi",
    "decision_due_on": "Batas waktu keputusan", "declined_on": "Tanggal ditolak", "declined_reason": "Alasan penolakan",
    "decree": "Surat keputusan", "delivered_on": "Tanggal diserahkan", "delivery_due_on": "Batas waktu penyerahan",
    "description": "Uraian", "draft": "Rancangan", "drafting_forum": "Forum penyusunan", "earlier_audits": "Audit sebelumnya",
    "email": "Surel", "events": "Kegiatan", "facilities": "Sarana dan prasarana", "fee_charged": "Biaya dipungut",
    "file": "Berkas", "file_complete_on": "Tanggal berkas lengkap", "findings": "Temuan",
    "first_response_due_on": "Batas waktu tanggapan pertama", "first_response_on": "Tanggal tanggapan pertama",
    "fkp": "Forum Konsultasi Publik", "form": "Formulir", "format": "Bentuk", "formed_on": "Tanggal unit dibentuk",
    "forwarded_to_sp4n_lapor": "Diteruskan ke SP4N-LAPOR!", "held_from": "Mulai tanggal", "held_to": "Sampai tanggal",
    "identity_displayed_at": "Identitas ditampilkan di", "ikm": "Nilai IKM yang diumumkan unit",
    "implementation_activities": "Kegiatan penerapan", "incidents": "Kejadian", "information_services": "Sistem informasi pelayanan",
    "innovation_activities": "Kegiatan inovasi", "internal_supervisions": "Pengawasan internal", "ipp": "Indeks Pelayanan Publik",
    "known_by_atasan": "Diketahui atasan", "last_updated_on": "Terakhir diperbarui", "licensing_office": "Kantor perizinan",
    "local_days_off": "Hari libur daerah (tanggal, satu per baris)", "log_fields": "Isian buku catatan", "maklumat": "Maklumat pelayanan",
    "maklumat_unmet": "Maklumat yang tidak dipenuhi", "managed_by_unit": "Dikelola unit sendiri", "measure": "Tindakan",
    "mechanism": "Mekanisme", "method": "Cara", "monitoring": "Pemantauan", "month_covered": "Bulan yang dicakup",
    "non_asn_pelaksana": "Pelaksana non-ASN", "non_electronic_places": "Tempat non-elektronik", "note": "Catatan",
    "office_address": "Alamat kantor", "officer_appointment": "Penunjukan petugas", "officer_name": "Nama petugas",
    "officers": "Petugas", "online_channels": "Kanal daring", "organisation": "Unit", "parent_institution": "Instansi induk",
    "partner": "Mitra", "partner_institution": "Lembaga mitra", "pekppp": "Evaluasi kinerja (PEKPPP)", "pelaksana": "Pelaksana",
    "pelaksana_violations": "Pelanggaran oleh pelaksana", "phone": "Telepon",
    "population": "Jumlah pengguna layanan selama periode survei (populasi)", "publications": "Publikasi", "reason": "Alasan",
    "regulation": "Peraturan", "report": "Laporan", "reports": "Laporan", "represents": "Mewakili",
    "respondents": "Jumlah responden", "responses": "Jawaban responden (lembar jawaban SKM)", "revisions": "Perubahan",
    "row": "Baris", "rule_id": "Ketentuan", "sanctions_imposed": "Sanksi yang dijatuhkan", "scores": "Nilai",
    "service_changes": "Perubahan layanan", "service_received_on": "Tanggal layanan diterima", "service_types": "Jenis layanan",
    "service_user": "Pengguna layanan", "signatory_count": "Jumlah penanda tangan", "signed_berita_acara": "Menandatangani berita acara",
    "sippn_entry": "Isian SIPPN", "sippn_last_updated_on": "SIPPN terakhir diperbarui", "skm": "Survei Kepuasan Masyarakat (SKM)",
    "standar_evaluations": "Evaluasi standar pelayanan", "stated_as": "Dinyatakan sebagai", "statement_kinds": "Jenis pernyataan",
    "status": "Keadaan", "steps": "Tahapan", "subject": "Pokok", "submitted_on": "Tanggal disampaikan",
    "submitted_to": "Disampaikan kepada", "tool": "Alat survei", "topic": "Topik", "tracking": "Penelusuran",
    "training": "Pelatihan", "update_frequency": "Kekerapan pembaruan", "upp": "Unit pengaduan (UPP)",
    "weights": "Bobot unsur (bila tidak sama rata: satu angka per baris, U1 dulu, jumlahnya 1)", "wording": "Bunyi",
    "year_covered": "Tahun yang dicakup",
}
# Fields the engine reads though its fact uses do not name them, asked with the field that is named:
# a facilities line of quantity 0 counts as absent (engine/inputs/missing_from.py).
READ_WITH = {"facilities.item": ("facilities.quantity",)}
CHOICES = (("belum", "Belum diperiksa"), ("tidak_ada", "Tidak ada"), ("ada", "Ada"))


def words_for(name: str) -> str:
    return FIELD_WORDS.get(name) or name.replace("_", " ").capitalize()


def option_words(value: str) -> str:
    return engine.ORGANISATION_TYPE_LABELS.get(value) or value.replace("_", " ").capitalize()


@dataclass
class Question:
    name: str                 # the field's path as the engine names it
    label: str
    kind: str                 # text, number, integer, date, yes_no, one_of, many_of, lines, block, list, sheet
    articles: str = ""
    why: str = ""             # what the rule that reads it checks, in its own words
    required: bool = False
    absent_allowed: bool = False
    choice: str = "belum"
    value: Any = None
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list["Question"] = field(default_factory=list)
    rows: list[list["Question"]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _union_arguments(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType")):
        return [argument for argument in typing.get_args(annotation) if argument is not type(None)]
    return [annotation]


class Interview:
    """The questions of one regulation's rule set, and reading the answers back into facts."""

    def __init__(self, ruleset):
        self.ruleset = ruleset
        self.uses = engine.fact_uses(ruleset)
        rows = engine.load_topics()
        self.row_index = {row.id: index for index, row in enumerate(rows)}
        self.row_of = engine.row_of_topic(rows)
        self.rows = {row.id: row for row in rows}
        order = {rule.id: index for index, rule in enumerate(ruleset.rules)}
        self.rule_order = order

    def uses_under(self, path: str) -> list:
        found = []
        for used, uses in self.uses.items():
            if used == path or used.startswith(path + "."):
                found.extend(use for use in uses if use not in found)
        return found

    def articles(self, path: str) -> str:
        seen: list[str] = []
        for use in sorted(self.uses_under(path), key=lambda use: self.rule_order.get(use.rule_id, 0)):
            if use.citation not in seen:
                seen.append(use.citation)
        return ", ".join(seen[:6]) + (f" dan {len(seen) - 6} lainnya" if len(seen) > 6 else "")

    def why(self, path: str, name: str) -> str:
        own = [use.label["id"] for use in self.uses.get(path, [])]
        # An identifier is read by many rules only to link records; the first rule's words would mislead.
        return own[0] if own and name not in ("name", "region", "type", "id", "service_type", "service_types") else ""

    def steps(self) -> list[tuple[str, str, str]]:
        """(block, title, topics) in the order of the first topic each block serves."""
        found = []
        for position, name in enumerate(engine.Facts.model_fields):
            uses = self.uses_under(name)
            if name != "organisation" and not uses:
                continue
            rows = sorted({self.row_of[use.topic].id for use in uses if use.topic in self.row_of}, key=self.row_index.get)
            first = -1 if name == "organisation" else min((self.row_index[row] for row in rows), default=99)
            topics = "; ".join(self.rows[row].label["id"] for row in rows[:4])
            found.append((first, position, name, BLOCK_TITLES.get(name, words_for(name)), topics))
        return [(name, title, topics) for _, _, name, title, topics in sorted(found)]

    def wanted(self, model: type[BaseModel], path: str) -> list[tuple[str, Any, bool]]:
        fields = []
        for name, info in model.model_fields.items():
            child = f"{path}.{name}" if path else name
            always = path == "organisation" and name in ("name", "type", "region", "atasan_satuan_kerja")
            read_with = any(_plain(child) in also and self.uses.get(named) for named, also in READ_WITH.items())
            if always or info.is_required() or read_with or self.uses_under(_plain(child)):
                fields.append((name, info.annotation, info.is_required()))
        # A block none of whose fields a rule reads (a person, a document reference) is asked whole.
        return fields or [(name, info.annotation, info.is_required()) for name, info in model.model_fields.items()]

    # --- questions from the draft ---

    def questions(self, block: str, data: dict, extra_rows: dict[str, int]) -> Question:
        info = engine.Facts.model_fields[block]
        return self.question(block, block, info.annotation, info.is_required(), data.get(block), extra_rows)

    def question(self, name: str, path: str, annotation: Any, required: bool, value: Any, extra_rows: dict[str, int]) -> Question:
        inner, is_list = engine.unwrap_annotation(annotation)
        absent = any(argument is engine.NotPresent or getattr(argument, "__name__", "") == "NotPresent"
                     for argument in _union_arguments(annotation))
        question = Question(name=path, label=words_for(name), kind="text", articles=self.articles(_plain(path)),
                            why=self.why(_plain(path), name), required=required, absent_allowed=absent or is_list)
        if inner is engine.SkmResponses:
            return self.sheet_question(question, value, extra_rows)
        if value == "tidak_ada" or value == []:
            question.choice = "tidak_ada"
        elif value is not None:
            question.choice = "ada"
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            if is_list:
                question.kind = "list"
                entries = list(value) if isinstance(value, list) else []
                entries += [{}] * extra_rows.get(path, 0)
                if not entries and question.choice != "tidak_ada":
                    entries = [{}]
                for index, entry in enumerate(entries):
                    question.rows.append([self.question(child, f"{path}[{index}].{child}", child_annotation, child_required,
                                                        entry.get(child) if isinstance(entry, dict) else None, extra_rows)
                                          for child, child_annotation, child_required in self.wanted(inner, _plain(path))])
            else:
                question.kind = "block"
                content = value if isinstance(value, dict) else {}
                question.children = [self.question(child, f"{path}.{child}", child_annotation, child_required, content.get(child),
                                                   extra_rows)
                                      for child, child_annotation, child_required in self.wanted(inner, _plain(path))]
            return question
        # A list of words or choices may be recorded as checked and empty (`[]`), as a list of records may.
        question.absent_allowed = absent or is_list
        if isinstance(inner, type) and issubclass(inner, enum.Enum):
            question.options = [(member.value, option_words(member.value)) for member in inner]
            question.kind = "many_of" if is_list else "one_of"
        elif typing.get_origin(inner) is typing.Literal:
            question.options = [(str(option), option_words(str(option))) for option in typing.get_args(inner)]
            question.kind = "one_of"
        elif is_list:
            question.kind = "lines"
        elif inner is datetime.date:
            question.kind = "date"
        elif inner is bool:
            question.kind = "yes_no"
        elif inner is int:
            question.kind = "integer"
        elif inner is float:
            question.kind = "number"
        if question.kind == "lines" and name == "service_types":
            question.label = "Kode jenis layanan yang dicakup (seperti di langkah Jenis layanan)"
        if question.kind == "lines":
            question.value = "\n".join(str(item) for item in value) if isinstance(value, list) else ""
        elif question.kind == "many_of":
            question.value = [str(item) for item in value] if isinstance(value, list) else []
        else:
            question.value = "" if value in (None, "tidak_ada") else value
        return question

    def sheet_question(self, question: Question, value: Any, extra_rows: dict[str, int]) -> Question:
        """A survey's answers: the sheet `patuh skm` reads is uploaded; its rows are kept in the draft."""
        question.kind = "sheet"
        question.absent_allowed = False
        question.choice = "ada" if isinstance(value, dict) and value.get("respondents") else "belum"
        question.value = respondents_summary(value) if question.choice == "ada" else ""
        weights = engine.SkmResponses.model_fields["weights"]
        question.children = [self.question("weights", f"{question.name}.weights", weights.annotation, False,
                                           value.get("weights") if isinstance(value, dict) else None, extra_rows)]
        return question

    # --- answers back into facts ---

    def read_block(self, block: str, form: FormData, stored: dict | None = None, sheets: dict | None = None) -> Any:
        """The block's answers as facts; `stored` is the draft the form was shown from (a sheet kept
        as it was is taken from there), `sheets` the responses read from sheets uploaded now."""
        self._stored, self._sheets = stored or {}, sheets or {}
        info = engine.Facts.model_fields[block]
        return self.read(block, info.annotation, form)

    def read(self, path: str, annotation: Any, form: FormData) -> Any:
        inner, is_list = engine.unwrap_annotation(annotation)
        choice = form.get(f"ada:{path}")
        if inner is engine.SkmResponses:
            return self.read_sheet(path, form, choice)
        if choice == "belum" and value_at(self._stored, path) is not None:
            return None  # a stored answer taken back; an answer typed anew under "belum" is kept as given
        if choice == "tidak_ada":
            return [] if is_list else "tidak_ada"
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            if is_list:
                entries = []
                for index in range(int(str(form.get(f"baris:{path}") or "0") or 0)):
                    if form.get(f"hapus:{path}[{index}]"):
                        continue
                    entry = self.read_model(f"{path}[{index}]", inner, form)
                    if entry:
                        entries.append(entry)
                return entries if entries or choice == "ada" else None
            content = self.read_model(path, inner, form)
            return content or None
        if isinstance(inner, type) and issubclass(inner, enum.Enum) and is_list:
            chosen = [str(value) for value in form.getlist(path)]
            return chosen or ([] if choice == "ada" else None)
        text = str(form.get(path) or "").strip()
        if is_list:
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            return lines or None
        if not text:
            return None
        if inner is bool:
            return {"ya": True, "tidak": False}.get(text, text)
        if inner in (int, float):
            try:
                return int(text) if inner is int else float(text.replace(",", "."))
            except ValueError:
                return text  # the validator names the field and says a number is expected
        return text

    def read_sheet(self, path: str, form: FormData, choice: Any) -> Any:
        if path in self._sheets:
            return self._sheets[path]
        kept = value_at(self._stored, path)
        if choice != "ada" or not isinstance(kept, dict):
            return None
        weights = self.read(f"{path}.weights", engine.SkmResponses.model_fields["weights"].annotation, form)
        # The weights are asked beside the sheet and may change while its rows stay as read.
        kept = {key: item for key, item in kept.items() if key != "weights"}
        if weights:
            kept["weights"] = weights
        return kept

    def read_model(self, path: str, model: type[BaseModel], form: FormData) -> dict:
        content = {}
        for name, annotation, _ in self.wanted(model, _plain(path)):
            value = self.read(f"{path}.{name}", annotation, form)
            if value is not None:
                content[name] = value
        return content


def _plain(path: str) -> str:
    return re.sub(r"\[\d+\]", "", path)


def value_at(facts: Any, path: str) -> Any:
    """The value at a form path such as `events.skm[1].responses` in the draft's facts, or None."""
    for name, index in re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", path):
        facts = facts.get(name) if isinstance(facts, dict) else None
        if index:
            facts = facts[int(index)] if isinstance(facts, list) and int(index) < len(facts) else None
    return facts


# --- Drafts --------------------------------------------------------------------------------

class DraftConflict(Exception):
    pass


def draft_of(session, unit: Unit, regulation_id: str) -> Draft:
    draft = session.scalar(select(Draft).where(Draft.unit_id == unit.id, Draft.regulation_id == regulation_id))
    if draft is None:
        facts = {"organisation": {"name": unit.name, "type": unit.type or "perangkat_daerah", "region": unit.region}}
        draft = Draft(unit_id=unit.id, regulation_id=regulation_id, version=1, facts_json=json.dumps(facts))
        session.add(draft)
        session.flush()
    return draft


def save_draft(database: Database, draft_id: int, based_on: int, facts: dict, account_id: int) -> int:
    """Store the facts as the draft's next version, unless someone saved since `based_on`."""
    with database.transaction() as session:
        done = session.execute(update(Draft).where(Draft.id == draft_id, Draft.version == based_on)
                               .values(version=based_on + 1, facts_json=json.dumps(facts, ensure_ascii=False),
                                       updated_at=now(), updated_by=account_id))
        if done.rowcount != 1:
            raise DraftConflict()
    return based_on + 1


def read_sheets(form: FormData, block: str, facts: dict) -> tuple[dict[str, dict], list[Problem]]:
    """The answer sheets uploaded with a step's form, read into responses blocks by their path."""
    sheets: dict[str, dict] = {}
    problems: list[Problem] = []
    for key, upload in form.multi_items():
        if not key.startswith("lembar:") or not isinstance(upload, UploadFile) or not upload.filename:
            continue
        path = key.removeprefix("lembar:")
        if block != "events" or _plain(path) != "events.skm.responses":
            continue
        content = upload.file.read(MAX_UPLOAD_BYTES + 1)
        weights = [line.strip() for line in str(form.get(f"{path}.weights") or "").splitlines() if line.strip()]
        try:
            sheets[path] = responses_from_sheet(upload.filename, content, path, weights, facts.get("service_types") or [])
        except AuditRefused as refusal:
            # Told beside the sheet's field, so the message itself names the file and row.
            problems += [Problem(f"{problem.where()}: {problem.message}", problem.file, problem.line, problem.field)
                         for problem in refusal.problems]
    return sheets, problems


def draft_problems(facts: dict, as_of: datetime.date, ruleset) -> list[Problem]:
    with tempfile.TemporaryDirectory(prefix="patuh-draft-") as folder:
        path = Path(folder) / "asesmen.yaml"
        path.write_text(draft_yaml(facts), encoding="utf-8")
        try:
            engine.load_facts(path, as_of, ruleset.regulation.id, {rule.id for rule in ruleset.rules})
        except engine.AUDIT_REFUSALS as error:
            problems = error.problems if isinstance(error, engine.FactsError) else [error]
            return [Problem(getattr(problem, "message", str(problem)), None, None, getattr(problem, "field", None))
                    for problem in problems]
    return []


def draft_yaml(facts: dict) -> str:
    return yaml.safe_dump(facts, allow_unicode=True, sort_keys=False, width=120)


def attach_errors(question: Question, by_field: dict[str, list[str]]) -> None:
    question.errors = by_field.pop(question.name, [])
    for child in question.children:
        attach_errors(child, by_field)
    for row in question.rows:
        for child in row:
            attach_errors(child, by_field)


# --- Routes -------------------------------------------------------------------------------

def routes(signed_in, checked_form, page, visible_unit, database_of) -> list[Route]:

    def context(request: Request, viewer) -> tuple[Unit, Any, Interview]:
        unit = visible_unit(request, viewer, viewer.unit_id)
        regulation_id = request.path_params["regulation_id"]
        if regulation_id not in regulations_of(unit):
            raise HTTPException(404)
        ruleset = engine.ruleset_in_force(regulation_id, datetime.date.today()) if _in_force_today(regulation_id) \
            else engine.load_ruleset(regulation_id, engine.available_versions(regulation_id)[-1])
        return unit, ruleset, Interview(ruleset)

    def regulations_of(unit: Unit) -> tuple[str, ...]:
        return engine.regulations_by_region().get(unit.region.strip().lower(), ())

    def show(request, viewer, unit, ruleset, interview, block, draft_facts, version, problems=None, notice=None,
             extra_rows=None, status_code=200, as_of=None):
        steps = interview.steps()
        names = [name for name, _, _ in steps]
        if block not in names:
            raise HTTPException(404)
        root = interview.questions(block, draft_facts, extra_rows or {})
        by_field: dict[str, list[str]] = {}
        for problem in problems or []:
            by_field.setdefault(problem.field or "", []).append(problem.message)
        attach_errors(root, by_field)
        elsewhere = [(field_name, messages) for field_name, messages in by_field.items()]
        position = names.index(block)
        return page(request, "interview.html", status_code=status_code, unit=unit, ruleset=ruleset, steps=steps, block=block,
                    title=dict((name, title) for name, title, _ in steps)[block], topics=steps[position][2], root=root,
                    version=version, choices=CHOICES, notice=notice, elsewhere=elsewhere,
                    next_step=names[position + 1] if position + 1 < len(names) else None,
                    regulation_name=engine_regulation_name(ruleset.regulation.id), as_of=as_of or datetime.date.today().isoformat(),
                    upload_limit_bytes=MAX_UPLOAD_BYTES)

    @signed_in("unit")
    async def choose(request: Request, viewer) -> Response:
        unit = visible_unit(request, viewer, viewer.unit_id)
        choices = [(regulation_id, engine_regulation_name(regulation_id)) for regulation_id in regulations_of(unit)]
        if len(choices) == 1:
            return RedirectResponse(f"/asesmen/{choices[0][0]}/organisation", status_code=303)
        return page(request, "choose.html", unit=unit, choices=choices)

    @signed_in("unit")
    async def step(request: Request, viewer) -> Response:
        unit, ruleset, interview = context(request, viewer)
        block = request.path_params["block"]
        database = database_of(request)
        with database.transaction() as session:
            draft = draft_of(session, unit, ruleset.regulation.id)
            facts, version, draft_id = json.loads(draft.facts_json), draft.version, draft.id
        if request.method == "GET":
            extra = {request.query_params["tambah"]: 1} if request.query_params.get("tambah") else {}
            return show(request, viewer, unit, ruleset, interview, block, facts, version, extra_rows=extra)
        form = await checked_form(request)
        if block not in [name for name, _, _ in interview.steps()]:
            raise HTTPException(404)
        sheets, sheet_problems = read_sheets(form, block, facts)
        answered = interview.read_block(block, form, facts, sheets)
        if sheet_problems:
            # Nothing of this page is saved: a draft holding half of what was sent would be worse.
            shown = dict(facts, **({block: answered} if answered is not None else {}))
            return show(request, viewer, unit, ruleset, interview, block, shown, version, problems=sheet_problems,
                        notice="Lembar jawaban tidak dapat dibaca; isian halaman ini belum disimpan. Perbaiki berkasnya "
                               "(lihat tanda merah), lalu unggah dan simpan lagi.", status_code=400)
        if block == "organisation":
            # The unit's identity is its account's: a unit cannot assess itself as another.
            answered = dict(answered or {}, name=unit.name, region=unit.region)
        updated = dict(facts)
        if answered is None:
            updated.pop(block, None)
        else:
            updated[block] = answered
        based_on = int(str(form.get("versi") or "0") or 0)
        try:
            version = save_draft(database, draft_id, based_on, updated, viewer.id)
        except DraftConflict:
            notice = ("Draf ini sudah disimpan orang lain (atau di tab lain) sesudah halaman ini dibuka; jawaban Anda di "
                      "halaman ini TIDAK disimpan. Di bawah ini isian yang tersimpan sekarang: periksa, lalu isi dan simpan lagi.")
            return show(request, viewer, unit, ruleset, interview, block, facts, version, notice=notice, status_code=409)
        action = str(form.get("aksi") or "simpan")
        as_of = _date_or_today(str(form.get("tanggal") or ""))
        problems = [problem for problem in draft_problems(updated, as_of, ruleset)
                    if (problem.field or "").split(".")[0].split("[")[0] == block]
        if action.startswith("tambah:"):
            return RedirectResponse(f"/asesmen/{ruleset.regulation.id}/{block}?tambah={action.removeprefix('tambah:')}",
                                    status_code=303)
        if action == "lanjut" and not problems and form.get("berikut"):
            return RedirectResponse(f"/asesmen/{ruleset.regulation.id}/{form.get('berikut')}", status_code=303)
        notice = "Tersimpan." if not problems else "Tersimpan, tetapi ada isian yang perlu diperbaiki (lihat tanda merah)."
        return show(request, viewer, unit, ruleset, interview, block, updated, version, problems=problems, notice=notice,
                    status_code=200 if not problems else 400)

    @signed_in("unit")
    async def submit(request: Request, viewer) -> Response:
        unit, ruleset, interview = context(request, viewer)
        form = await checked_form(request)
        database = database_of(request)
        with database.transaction() as session:
            draft = draft_of(session, unit, ruleset.regulation.id)
            facts = json.loads(draft.facts_json)
        as_of = _date_or_today(str(form.get("tanggal") or ""))
        try:
            run = audit_text(database, draft_yaml(facts), "asesmen-mandiri.yaml", as_of, viewer, "asesmen",
                             regulation_id=ruleset.regulation.id)
        except AuditRefused as refusal:
            block = (refusal.problems[0].field or "organisation").split(".")[0].split("[")[0]
            block = block if block in [name for name, _, _ in interview.steps()] else "organisation"
            return show(request, viewer, unit, ruleset, interview, block, facts, draft.version, problems=refusal.problems,
                        notice="Belum dapat diaudit: perbaiki isian bertanda merah.", status_code=400)
        return RedirectResponse(f"/audit/{run.audit_id}", status_code=303)

    @signed_in("unit")
    async def start_from_file(request: Request, viewer) -> Response:
        unit, ruleset, interview = context(request, viewer)
        form = await checked_form(request)
        upload = form.get("fakta")
        database = database_of(request)
        with database.transaction() as session:
            draft = draft_of(session, unit, ruleset.regulation.id)
            facts, version, draft_id = json.loads(draft.facts_json), draft.version, draft.id
        problems: list[Problem] = []
        if not isinstance(upload, UploadFile) or not upload.filename:
            problems = [Problem("pilih berkas fakta (YAML)")]
        else:
            try:
                text = check_upload(upload.filename, await upload.read(MAX_UPLOAD_BYTES + 1))
                data = _yaml_of(text, upload.filename)
            except AuditRefused as refusal:
                problems = refusal.problems
            else:
                organisation = data.get("organisation") if isinstance(data, dict) else None
                if not isinstance(organisation, dict) or " ".join(str(organisation.get("name", "")).split()) != unit.name:
                    problems = [Problem(f"berkas ini bukan fakta {unit.name}", upload.filename)]
                else:
                    try:
                        save_draft(database, draft_id, int(str(form.get("versi") or "0") or 0), json.loads(json.dumps(data, default=str)),
                                   viewer.id)
                    except DraftConflict:
                        problems = [Problem("draf sudah disimpan orang lain sesudah halaman ini dibuka; muat ulang halaman")]
                    else:
                        return RedirectResponse(f"/asesmen/{ruleset.regulation.id}/organisation", status_code=303)
        return show(request, viewer, unit, ruleset, interview, "organisation", facts, version, problems=problems,
                    notice="Berkas tidak dipakai: " + "; ".join(f"{p.where() + ': ' if p.where() else ''}{p.message}" for p in problems),
                    status_code=400)

    @signed_in("unit")
    async def draft_download(request: Request, viewer) -> Response:
        unit, ruleset, _ = context(request, viewer)
        with database_of(request).transaction() as session:
            facts = json.loads(draft_of(session, unit, ruleset.regulation.id).facts_json)
        return Response(draft_yaml(facts), media_type="application/yaml; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="asesmen-mandiri.yaml"'})

    return [
        Route("/asesmen", choose),
        Route("/asesmen/{regulation_id}/fakta.yaml", draft_download),
        Route("/asesmen/{regulation_id}/kirim", submit, methods=["POST"]),
        Route("/asesmen/{regulation_id}/unggah", start_from_file, methods=["POST"]),
        Route("/asesmen/{regulation_id}/{block}", step, methods=["GET", "POST"]),
    ]


def _yaml_of(text: str, filename: str) -> Any:
    with tempfile.TemporaryDirectory(prefix="patuh-draft-") as folder:
        path = Path(folder) / "fakta.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return engine.load_source(path, "facts").data
        except engine.InputError as error:
            raise AuditRefused([Problem(error.message, filename, error.line, error.field)]) from None


def _date_or_today(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return datetime.date.today()


def _in_force_today(regulation_id: str) -> bool:
    try:
        engine.ruleset_in_force(regulation_id, datetime.date.today())
        return True
    except engine.NotInForce:
        return False


def engine_regulation_name(regulation_id: str) -> str:
    from .words import regulation_short_name

    return regulation_short_name(regulation_id)
