"""The report stage: findings -> one report dict -> JSON, Markdown or HTML.

The JSON report is the record; Markdown and HTML are views of it, so `render` takes the
report dict (also one read back from a JSON file) and never the findings. Nothing in a
report varies between runs (no timestamps, no absolute paths, no set or hash ordering):
the same facts and rule set give byte-identical files, and the two sha256 values in it say
which facts and which rules to take to get that result again.

Everything shown in Markdown comes from user files (facts, rule texts). The Markdown
environment therefore escapes every `{{ value }}` by default, so a `**x**` or a `<script>`
in a fact reads as written instead of becoming formatting or markup; the HTML view then
renders that Markdown with raw HTML switched off and puts its own values through Jinja's
HTML autoescaping.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any, Optional

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt

from ..law.follow_up import REPORT_SCHEMA_ID  # defined where reports are read back: law comes before render
from ..load.data_paths import data_directory
from ..model.findings import STATUS_LABELS, STATUS_ORDER, Finding

FORMATS = ("json", "md", "html")

REGULATION_KEYS = ("id", "type", "region", "number", "year", "title", "in_force_from")
RULESET_KEYS = ("version", "effective_from", "effective_until", "sha256")
UNIT_KEYS = ("name", "type", "region", "atasan_satuan_kerja")
NOT_AUDITABLE_KEYS = ("citation", "reason")

# The regulation's own combination word; the only one whose meaning is settled (GLOSSARY).
AND_OR = "dan/atau"

LABELS: dict[str, dict[str, Any]] = {
    "id": {
        "title": "Laporan Audit Kepatuhan",
        "unit": "Unit yang diaudit",
        "atasan": "Atasan Satuan Kerja Penyelenggara",
        "regulation": "Peraturan",
        "in_force_from": "berlaku sejak",
        "as_of": "Per tanggal",
        "ruleset": "Versi aturan",
        "ruleset_sha256": "SHA-256 aturan",
        "facts": "Berkas fakta",
        "facts_sha256": "SHA-256 fakta",
        "patuh_version": "Versi patuh",
        "reproduce": "Hasil ini dapat diulang: berkas fakta dan versi aturan dengan SHA-256 yang sama, "
                     "pada tanggal audit yang sama, memberi laporan yang sama.",
        "summary": "Ringkasan",
        "status": "Status",
        "count": "Jumlah",
        "total": "Total",
        "violated_rules": "Aturan yang dilanggar",
        "findings": "Temuan",
        "no_findings": "Tidak ada temuan.",
        "kondisi": "Kondisi",
        "kriteria": "Kriteria",
        "akibat": "Akibat",
        "rekomendasi": "Rekomendasi",
        "missing_facts": "Fakta tidak ada",
        "reason": "Alasan",
        "due": "Jatuh tempo",
        "tally": "Rekap entri",
        "evidence": "Bukti",
        "evidence_more": "dan {count} lainnya (lengkap dalam laporan JSON)",
        "follow_up": "Tindak lanjut",
        "months": "bulan",
        "follow_up_states": {"baru": "temuan baru", "masih_terbuka": "masih terbuka", "selesai": "selesai (sudah patuh)",
                             "belum_dapat_dipastikan": "belum dapat dipastikan selesai",
                             "tanpa_pelanggaran": "tidak ada pelanggaran", "tidak_dinilai_sebelumnya": "tidak dinilai dalam audit sebelumnya"},
        "basis": "Dasar",
        "party": "Pihak",
        "kind": "Jenis",
        "addressed_to": "Ditujukan kepada",
        "open_since": "Terbuka sejak",
        "measures": "Sanksi",
        "combination_meaning": "dapat dijatuhkan sendiri-sendiri atau bersama-sama",
        "combination_not_stated": "peraturan tidak menyebut kata penghubung antarsanksi",
        "note": "Catatan",
        "withheld": "Belum dapat dijatuhkan",
        "huruf": "huruf",
        "complete_facts": "Lengkapi fakta",
        "interpretation": "Catatan tafsir",
        "not_auditable": "Ketentuan yang tidak dapat diaudit dari fakta",
        "none": "Tidak ada.",
        "number": "Nomor",
        "year": "Tahun",
        "about": "tentang",
        "from": "sejak",
        "until": "s.d.",
        "statuses": STATUS_LABELS["id"],
    },
    "en": {
        "title": "Compliance audit report",
        "unit": "Audited unit",
        "atasan": "Head above the unit (Atasan Satuan Kerja Penyelenggara)",
        "regulation": "Regulation",
        "in_force_from": "in force from",
        "as_of": "As of",
        "ruleset": "Rule set version",
        "ruleset_sha256": "Rule set SHA-256",
        "facts": "Facts file",
        "facts_sha256": "Facts SHA-256",
        "patuh_version": "patuh version",
        "reproduce": "This result can be reproduced: a facts file and rule set version with the same SHA-256, "
                     "audited as of the same date, give the same report.",
        "summary": "Summary",
        "status": "Status",
        "count": "Count",
        "total": "Total",
        "violated_rules": "Rules violated",
        "findings": "Findings",
        "no_findings": "No findings.",
        "kondisi": "Condition",
        "kriteria": "Criteria",
        "akibat": "Effect",
        "rekomendasi": "Recommendation",
        "missing_facts": "Missing facts",
        "reason": "Reason",
        "due": "Due",
        "tally": "Entries",
        "evidence": "Evidence",
        "evidence_more": "and {count} more (all in the JSON report)",
        "follow_up": "Follow-up",
        "months": "months",
        "follow_up_states": {"baru": "new finding", "masih_terbuka": "still open", "selesai": "resolved (complies now)",
                             "belum_dapat_dipastikan": "resolution not yet shown",
                             "tanpa_pelanggaran": "no violation", "tidak_dinilai_sebelumnya": "not judged by the previous audit"},
        "basis": "Basis",
        "party": "Party",
        "kind": "Kind",
        "addressed_to": "Addressed to",
        "open_since": "Open since",
        "measures": "Sanctions",
        "combination_meaning": "may be imposed alone or together",
        "combination_not_stated": "the regulation gives no connective between the measures",
        "note": "Note",
        "withheld": "Not yet imposable",
        "huruf": "huruf",
        "complete_facts": "Complete the facts",
        "interpretation": "Interpretation notes",
        "not_auditable": "Provisions that cannot be audited from facts",
        "none": "None.",
        "number": "No.",
        "year": "of",
        "about": "on",
        "from": "from",
        "until": "to",
        "statuses": STATUS_LABELS["en"],
    },
}


def _exactly(what: str, given: dict, keys: tuple[str, ...]) -> dict:
    """`given` with the documented keys in the documented order; a stray or missing key is the caller's bug."""
    missing = [key for key in keys if key not in given]
    unexpected = sorted(str(key) for key in given if key not in keys)
    if missing or unexpected:
        problems = []
        if missing:
            problems.append("missing " + ", ".join(missing))
        if unexpected:
            problems.append("unexpected " + ", ".join(unexpected))
        raise ValueError(f"report {what}: " + "; ".join(problems) + f" (expected exactly: {', '.join(keys)})")
    return {key: given[key] for key in keys}


def build_report(*, findings: list[Finding], regulation: dict, ruleset: dict, facts_file: str, facts_sha256: str,
                 unit: dict, as_of: str, language: str, not_auditable: list[dict], patuh_version: str) -> dict:
    """The report as plain data, in the documented key order (reports/README.md).

    Findings are grouped by status in STATUS_ORDER so the worst news comes first; sorting is
    stable, so within a status the rule-file order the caller gave is kept.
    """
    if language not in LABELS:
        raise ValueError(f"report language must be one of {', '.join(LABELS)}, got {language!r}")
    # An absolute path would differ from machine to machine and break byte-identical reports.
    if PurePath(facts_file).is_absolute():
        facts_file = PurePath(facts_file).name
    ordered = sorted(findings, key=lambda finding: STATUS_ORDER.index(finding.status))
    dumped = [finding.model_dump(mode="json") for finding in ordered]
    counts = {status: sum(1 for finding in ordered if finding.status == status) for status in STATUS_ORDER}
    return {
        "schema": REPORT_SCHEMA_ID,
        "patuh_version": patuh_version,
        "language": language,
        "as_of": as_of,
        "regulation": _exactly("regulation", regulation, REGULATION_KEYS),
        "ruleset": _exactly("ruleset", ruleset, RULESET_KEYS),
        "facts": {"file": str(facts_file), "sha256": facts_sha256},
        "unit": _exactly("unit", unit, UNIT_KEYS),
        "summary": {
            "total": len(ordered),
            "counts": counts,
            "violations": [finding.rule_id for finding in ordered if finding.status == "violation"],
        },
        "findings": dumped,
        "not_auditable": [_exactly(f"not_auditable[{index}]", entry, NOT_AUDITABLE_KEYS)
                          for index, entry in enumerate(not_auditable)],
    }


# --- Markdown escaping -------------------------------------------------------------------

class MarkdownText(str):
    """Markdown this module or a template composed itself, so it is not escaped again."""


# Escaping is targeted rather than blanket so the .md file stays readable as plain text
# ("perangkat_daerah", "[comply]", "0.1.0" stay as written); each rule below names the
# construct it defuses. tests/test_report.py renders random strings to keep it airtight.
_ALWAYS = re.compile(r"[\\`*<|~]")         # escapes, code, emphasis, raw HTML/autolinks, tables, strikethrough
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # "_" between two letters/digits cannot emphasise
# "](" is what makes an inline link or image; a "]" ending the value could meet a "(" the
# template prints next to it.
_LINK_TARGET = re.compile(r"\](?=\(|$)")
_ENTITY = re.compile(r"&(?=[#0-9A-Za-z])")     # "&amp;", "&#60;" would decode
# A value may land at the start of a line (list item, blockquote, paragraph), where these
# would open a block: heading, list item, blockquote, link reference definition, setext
# underline or thematic break.
_BLOCK_START = re.compile(r"^(?:[>\[]|#{1,6}(?=\s|$)|[-+](?=\s|$)|=+\s*$|(?:-\s*){2,}$)")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def _backslash(match: re.Match) -> str:
    return "\\" + match.group(0)


def markdown_escape(value: Any) -> str:
    """A value as Markdown text that renders exactly as written, on one line.

    Newlines and runs of spaces are collapsed first: a line break in a fact could otherwise
    start a new block (heading, list, code) wherever the value lands in the template, and
    leading spaces could make it a code block.
    """
    if isinstance(value, MarkdownText):
        return value
    text = "—" if value is None else " ".join(str(value).split())
    text = _ALWAYS.sub(_backslash, text)
    text = _UNDERSCORE.sub(_backslash, text)
    text = _LINK_TARGET.sub(_backslash, text)
    text = _ENTITY.sub(_backslash, text)
    if _BLOCK_START.match(text):
        text = "\\" + text
    else:
        # A backslash before a digit is literal, so an ordered-list marker is escaped at its dot.
        text = _ORDERED_START.sub(r"\1\\\2", text)
    return MarkdownText(text)


def markdown_code(value: Any) -> MarkdownText:
    """A fact path as an inline code span, whatever backticks it holds."""
    text = " ".join(str(value).split())
    if not text:
        return markdown_escape(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return MarkdownText(f"{fence}{padding}{text}{padding}{fence}")


def markdown_rule_text(value: Any) -> MarkdownText:
    """Text written in a rule file, whose `backticked` words name facts: shown as code spans,
    everything else escaped like any other value."""
    parts = re.split(r"`([^`]+)`", " ".join(str(value).split()))

    def prose(part: str) -> str:  # keep the spaces that separate prose from a code span
        lead, trail = part[: len(part) - len(part.lstrip())], part[len(part.rstrip()):]
        return lead + markdown_escape(part) + trail if part.strip() else part

    return MarkdownText("".join(markdown_code(part) if index % 2 else prose(part) for index, part in enumerate(parts)))


def markdown_code_list(values: list[Any]) -> MarkdownText:
    return MarkdownText(", ".join(markdown_code(value) for value in values))


# Legal names of the kinds of provider (Tegal Pasal 2 ayat (2)); the same in both languages.
ORGANISATION_TYPE_LABELS = {"perangkat_daerah": "Perangkat Daerah", "bumd": "BUMD", "swasta": "Swasta"}


# --- Views -------------------------------------------------------------------------------

def _labels(report: dict) -> dict[str, Any]:
    return LABELS["en"] if report.get("language") == "en" else LABELS["id"]


# A log of a thousand daily checks is evidence, but not reading matter: the page lists the
# first ones and says how many more the JSON report holds.
EVIDENCE_SHOWN = 12

# The fields that let a reader find a fact in the unit's own papers, in the order they read best.
DESCRIBING_FIELDS = ("number", "title", "name", "kind", "document", "channel", "medium", "location", "address",
                     "item", "quantity", "dated", "established_on", "published_on", "held_on", "held_to",
                     "submitted_on", "received_on")


def _describe(fact: Any) -> str:
    """A fact as an inspector cites it: number, title, date, place; not as a YAML path."""
    if not isinstance(fact, dict):
        return "" if fact is None else str(fact)
    parts = []
    for field in DESCRIBING_FIELDS:
        value = fact.get(field)
        if isinstance(value, dict):
            value = ", ".join(str(value[key]) for key in ("number", "title", "dated") if value.get(key))
        if value not in (None, "", [], {}):
            parts.append(str(value))
    return "; ".join(parts)


def _evidence_entries(finding: dict) -> list[dict[str, str]]:
    """Every fact the finding's evidence points at, once, in the order first met, with what it is."""
    seen: dict[str, str] = {}
    sources = list(finding.get("evidence") or [])
    for subject in finding.get("subjects") or []:
        sources.extend(subject.get("evidence") or [])
    for evidence in sources:
        for item in evidence.get("items") or []:
            path = item.get("path") if isinstance(item, dict) else None
            if path:
                seen.setdefault(str(path), _describe(item.get("fact")))
    return [{"path": path, "description": description} for path, description in seen.items()]


def _finding_views(report: dict) -> list[dict[str, Any]]:
    """What the templates need beyond the report itself, computed once so Markdown and HTML agree."""
    explained = False
    views = []
    for finding in report["findings"]:
        evidence = _evidence_entries(finding)
        sanctions = []
        for sanction in finding["sanctions"]:
            # "dan/atau" is explained the first time it appears; after that the word suffices.
            explain = sanction["combination"] == AND_OR and not explained
            explained = explained or explain
            sanctions.append({"sanction": sanction, "explain_combination": explain,
                              "kind": str(sanction["kind"]).replace("_", " ")})
        views.append({
            "finding": finding,
            "kondisi_lines": [line for line in finding["kondisi"].splitlines() if line.strip()],
            "evidence": evidence[:EVIDENCE_SHOWN],
            "evidence_more": max(0, len(evidence) - EVIDENCE_SHOWN),
            "sanctions": sanctions,
        })
    return views


def _regulation_name(regulation: dict, labels: dict) -> str:
    """The regulation as it is cited in prose (Peraturan Bupati ... Nomor 63 Tahun 2023 tentang ...).

    Parts the caller does not know are left out rather than shown as blanks.
    """
    parts = [str(regulation["type"])] if regulation.get("type") else []
    if regulation.get("region"):
        # A regional head's regulation is cited by the head's title: Peraturan Bupati Tegal,
        # Peraturan Walikota Metro, not "... Kabupaten Tegal".
        region = str(regulation["region"])
        parts.append(region.removeprefix("Kabupaten ").removeprefix("Kota ") if parts else region)
    if regulation.get("number") not in (None, ""):
        parts += [labels["number"], str(regulation["number"])]
    if regulation.get("year") not in (None, ""):
        parts += [labels["year"], str(regulation["year"])]
    if regulation.get("title"):
        parts += [labels["about"], str(regulation["title"])]
    return " ".join(parts) or str(regulation.get("id") or "—")


def _period(ruleset: dict, labels: dict) -> str:
    if ruleset.get("effective_until"):
        return f"{ruleset['effective_from']} {labels['until']} {ruleset['effective_until']}"
    return f"{labels['from']} {ruleset['effective_from']}"


def _person(person: Optional[dict]) -> Optional[str]:
    if not person:
        return None
    return ", ".join(str(person[key]) for key in ("name", "position") if person.get(key)) or None


def _context(report: dict) -> dict[str, Any]:
    labels = _labels(report)
    return {
        "report": report,
        "labels": labels,
        "statuses": labels["statuses"],
        "status_order": STATUS_ORDER,
        "findings": _finding_views(report),
        "regulation_name": _regulation_name(report["regulation"], labels),
        "organisation_types": ORGANISATION_TYPE_LABELS,
        "ruleset_period": _period(report["ruleset"], labels),
        "atasan": _person(report["unit"].get("atasan_satuan_kerja")),
    }


# --- Rendering ---------------------------------------------------------------------------

def _templates_folder() -> Path:
    return data_directory("reports") / "templates"


@lru_cache(maxsize=None)
def _environment(autoescape: bool) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(_templates_folder())),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=autoescape,
        # Markdown has no autoescape of its own: finalize escapes every value the template prints.
        finalize=None if autoescape else markdown_escape,
    )
    if not autoescape:
        environment.filters["code"] = markdown_code
        environment.filters["code_list"] = markdown_code_list
        environment.filters["rule_text"] = markdown_rule_text
        # Only for Markdown the template composed from escaped values (a macro's output).
        environment.filters["as_markdown"] = MarkdownText
    return environment


def _tidy(markdown: str) -> str:
    """Blank lines collapsed to one: the templates stay readable, the output stays tidy.

    Safe because every value is printed on one line (markdown_escape), so only the
    template's own spacing can produce runs of blank lines.
    """
    return re.sub(r"\n{3,}", "\n\n", markdown).strip("\n") + "\n"


def _markdown_to_html(text: str) -> str:
    # html=False: any raw HTML left in the text is shown escaped, never passed through.
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(_tidy(text))


def render(report: dict, fmt: str) -> str:
    """The report as JSON, Markdown ("md") or one self-contained HTML page."""
    if fmt == "json":
        # Key order is the documented one, so no sort_keys.
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"report format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    context = _context(report)
    markdown_template = _environment(autoescape=False).get_template("audit.md.j2")
    if fmt == "md":
        return _tidy(markdown_template.render(context))
    # The HTML page reuses the Markdown template's macros part by part, so both views say
    # the same thing, while the page adds what Markdown cannot: sections to keep whole on
    # paper and coloured status badges.
    parts = markdown_template.make_module(context)
    html = {
        "header": _markdown_to_html(parts.header()),
        "findings": [_markdown_to_html(parts.finding_body(view)) for view in context["findings"]],
        "not_auditable": _markdown_to_html(parts.not_auditable_section()),
    }
    language = "en" if report.get("language") == "en" else "id"
    return _environment(autoescape=True).get_template("audit.html.j2").render(context, html=html, language=language)


FORMAT_BY_SUFFIX = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def output_format(requested: Optional[str], output: Optional[Path]) -> str:
    """The format asked for, else the one the -o file's extension names, else Markdown."""
    return requested or FORMAT_BY_SUFFIX.get(output.suffix.lower() if output else "", "md")


def emit(text: str, output: Optional[Path]) -> None:
    """Print `text`, or write it to `output` whole or not at all (a file that cannot be written is bad input)."""
    import sys

    from ..problems import InputError

    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomically(text, output)
    except OSError as error:
        raise InputError(output, f"cannot write here: {error.strerror or error}") from None
    print(f"{output}: written", file=sys.stderr)


def write_atomically(text: str, destination: Path) -> None:
    """Write `text` to `destination` whole or not at all.

    A report half-written (disk full, interrupted run) would look like a real one, so the text
    goes to a temporary file beside the destination (same file system, so the rename is
    atomic) and replaces it only once it is safely on disk.
    """
    destination = Path(destination)
    handle, temporary_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp",
                                              dir=str(destination.parent))
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600); a report gets the mode an ordinary new
        # file would, or keeps the one the replaced report had.
        os.chmod(temporary, _file_mode(destination))
        os.replace(temporary, destination)
    except BaseException:
        try:
            temporary.unlink()
        except FileNotFoundError:
            pass
        raise
    _sync_directory(destination.parent)


def _file_mode(destination: Path) -> int:
    try:
        return destination.stat().st_mode & 0o7777
    except FileNotFoundError:
        # The umask can only be read by setting it; it is put back at once.
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_directory(folder: Path) -> None:
    """Make the rename itself durable where the platform allows; the report is already in place."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
