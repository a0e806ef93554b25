"""SKM answer sheets (.csv/.xlsx, the ones `patuh skm` reads) uploaded in the web.

In the self-assessment a sheet is read at once and its rows are kept in the draft as the
inline `responses.respondents` a facts file may carry, so the draft stays one document and
the downloaded YAML audits the same in the CLI. An inspector's sheets are written beside the
uploaded facts file, where its `responses.file` finds them, and stored with the audit.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Optional

from . import engine_calls as engine
from .audits import MAX_UPLOAD_BYTES, MAX_UPLOAD_WORDS, SHEET_SUFFIXES, AuditRefused, Problem, safe_filename

SHEET_WORDS = "lembar jawaban SKM (.csv atau .xlsx, satu baris per responden, kolom U1 … U9)"


def check_sheet(filename: str, content: bytes, field: Optional[str] = None) -> str:
    """The sheet's safe name, once it can be an answer sheet; otherwise a refusal naming the field."""
    name = safe_filename(filename)
    suffix = Path(name).suffix.lower()
    problem = None
    if suffix not in SHEET_SUFFIXES:
        problem = f"jenis berkas tidak diterima: unggah {SHEET_WORDS}"
    elif len(content) > MAX_UPLOAD_BYTES:
        problem = f"berkas terlalu besar ({len(content) / 1024 / 1024:.1f} MB); batasnya {MAX_UPLOAD_WORDS}"
    elif not content.strip():
        problem = f"berkas kosong: unggah {SHEET_WORDS}"
    if problem:
        raise AuditRefused([Problem(problem, name, None, field)])
    return name


def _weights(text_lines: Optional[list]) -> Optional[list]:
    if not text_lines:
        return None
    weights: list[Any] = []
    for line in text_lines:
        try:
            weights.append(float(str(line).replace(",", ".")))
        except ValueError:
            weights.append(str(line))  # a fraction such as 1/9: the engine reads it, or names it
    return weights


def responses_from_sheet(filename: str, content: bytes, field: str, weights: Optional[list],
                         service_types: list) -> dict:
    """The `responses` block of a survey from an uploaded sheet, or AuditRefused naming `field`.

    A respondent's jenis_layanan must be one of the draft's service types, as in the CLI.
    """
    name = check_sheet(filename, content, field)
    weights = _weights(weights)
    services = [SimpleNamespace(id=str(service["id"]), name=str(service.get("name") or service["id"]))
                for service in service_types if isinstance(service, dict) and service.get("id")]
    with tempfile.TemporaryDirectory(prefix="patuh-sheet-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        respondents, problems = engine.respondents_for_facts(path, weights, services)
    if problems:
        raise AuditRefused([Problem(_told(problem), name, problem.line, field) for problem in problems])
    block: dict[str, Any] = {"file": name}
    if weights:
        block["weights"] = weights
    block["respondents"] = [respondent.model_dump(mode="json", exclude_none=True) for respondent in respondents]
    return block


def _told(problem) -> str:
    # The sheet's column as a spreadsheet shows it (its row is the Problem's line).
    if problem.field == "weights":
        return "bobot unsur: " + problem.message
    return (f"kolom {problem.field}: " if problem.field else "") + problem.message


def respondents_summary(block: Any) -> str:
    """What a stored responses block holds, in words."""
    if not isinstance(block, dict):
        return ""
    count = len(block.get("respondents") or [])
    source = f" dari {block['file']}" if block.get("file") else ""
    return f"{count} responden{source} tersimpan"
