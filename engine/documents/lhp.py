"""The Laporan Hasil Pemeriksaan (LHP): the audit report in the shape Indonesian inspectorates sign.

Read from the JSON record only (audit/record.py), like the audit report, so an LHP made from
a report read back from its JSON file is the LHP of that audit. One view (`lhp_view`) holds
every sentence of the document as plain text, and both formats are drawn from it: the .docx
(python-docx; inspectorates finish an LHP in a word processor) and one self-contained,
print-ready HTML page (reports/templates/lhp.html.j2). The two therefore say the same thing.

The shape: a cover (unit, regulation, audit date, period audited); Bab I Pendahuluan (dasar
pemeriksaan, tujuan, ruang lingkup, metodologi); Bab II Hasil Pemeriksaan (one temuan per
violation: Kondisi, Kriteria, Akibat, Rekomendasi; then what cannot yet be asserted, and the
duties not yet due); Bab III Penutup; the Lampiran (every finding with its status, and the
evidence trail). Fact paths appear only in the evidence trail: the body speaks of documents
and dates, the trail tells whoever re-performs the audit where each fact sits in the file.

Decisions the brief left open:
- **No Sebab.** A temuan's Sebab (cause) is the one element an LHP cannot take from the
  judge: it is why the unit failed, and neither the facts model (model/facts.py) nor a
  finding records a cause (the nearest fields, a revision's `reason` and a complaint's
  `declined_reason`, describe those entries, not why a duty was missed). Rather than invent
  one, the temuan goes Kondisi, Kriteria, Akibat, Rekomendasi; the inspector adds the Sebab
  in the word processor after hearing the unit.
- **Akibat is the regulation's consequence**: the sanction clauses exactly as the finding
  lists them, else the finding's note that the regulation lists none. Compensation owed to a
  service user follows in its own paragraph and is never called a sanction.
- **The period audited** runs from the day the rule set took effect (or the regulation came
  into force, whichever is later) to the audit date: the rules judge nothing before it.
- Unknowns are "hal yang belum dapat diyakini", each naming the evidence the unit must bring,
  in the words of the rule's inputs (the fact paths go to the trail). Pending duties are
  listed briefly with their due date; compliant and not-applicable provisions appear only in
  the Lampiran's table.
- The .docx is byte-identical for the same report: its document properties carry the audit
  date, and its zip entries a fixed timestamp, so no run's clock gets into the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone
from typing import Any, Optional

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..audit.record import in_language
from ..dates.wording import long_date
from ..load.labels import words
from ..model.findings import STATUS_ORDER
from ..render.environment import environment
from ..render.formats import document_kind_in
from ..render.labels import document_language
from .audit_report import AND_OR, evidence_trail, regulation_name, response_lines

# Characters XML 1.0 cannot hold at all; python-docx refuses them, so a stray control
# character in a facts file would otherwise stop the document. Shown as U+FFFD instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Rule texts mark the facts they speak of with `backticks`; in an LHP they read as prose.
_BACKTICKS = re.compile(r"`([^`]*)`")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _plain(value: Any) -> str:
    return _NOT_XML.sub("\ufffd", "" if value is None else str(value))


def _prose(value: Any) -> str:
    return _BACKTICKS.sub(r"\1", _plain(value))


def _date(value: Optional[str], language: str) -> str:
    """An ISO date in long form; anything else (an older report's free text) as written."""
    if not value:
        return "—"
    try:
        return long_date(str(value), language)
    except ValueError:
        return _plain(value)


def _trail_description(description: str, language: str) -> str:
    """A fact as evidence_trail describes it ("690/SP/012/2024; Standar ...; 2024-03-04"), its
    dates in long form. Only a part that is a date and nothing else is reworded: text a user
    wrote (a title that mentions a date) stays exactly as written."""
    def worded(piece: str) -> str:
        return _date(piece, language) if _ISO_DAY.fullmatch(piece) else piece

    # "; " joins a fact's fields, ", " the fields of a document inside it (audit_report._describe).
    return "; ".join(", ".join(worded(piece) for piece in part.split(", "))
                     for part in _plain(description).split("; ")) or "—"


def _later(first: Optional[str], second: Optional[str]) -> Optional[str]:
    known = [day for day in (first, second) if day]
    return max(known) if known else None


# --- The view: every sentence of the LHP, as plain text -----------------------------------

def _clause(clause: dict, is_sanction: bool, language: str, report_words: dict, labels: dict,
            explain: bool) -> dict[str, Any]:
    """A sanction or a compensation clause as lines and lettered measures, exactly as the finding lists it."""
    lines = []
    if is_sanction:
        kind = labels["sanction_kinds"].get(clause["kind"], str(clause["kind"]).replace("_", " "))
        lines.append(f"{report_words['basis']}: {clause['basis']}; {report_words['party']}: {clause['party']}; "
                     f"{report_words['kind']}: {kind}")
        if clause.get("addressed_to"):
            lines.append(f"{report_words['addressed_to']}: " + "; ".join(clause["addressed_to"]))
        if clause.get("open_since"):
            lines.append(f"{report_words['open_since']}: {_date(clause['open_since'], language)}")
        heading_word = report_words["measures"]
    else:
        line = f"{report_words['basis']}: {clause['basis']}"
        if clause.get("owed_to"):
            line += f"; {report_words['owed_to']}: " + "; ".join(clause["owed_to"])
        lines.append(line)
        heading_word = report_words["compensation_forms"]
    measures_heading = None
    if clause.get("kind") != "rujukan_peraturan_lain":
        combination = clause.get("combination")
        if combination == "tidak_disebut":
            measures_heading = f"{heading_word} ({report_words['combination_not_stated']}):"
        elif explain and combination == AND_OR:
            measures_heading = f"{heading_word} ({combination}: {report_words['combination_meaning']}):"
        else:
            measures_heading = f"{heading_word} ({combination}):"
    return {
        "lines": [_plain(line) for line in lines],
        "measures_heading": measures_heading,
        "measures": [_plain(f"{report_words['huruf']} {measure['huruf']}. {measure['text']}")
                     for measure in clause.get("measures") or []] if measures_heading else [],
        "withheld_heading": f"{report_words['withheld']}:" if clause.get("withheld") else None,
        "withheld": [_plain(f"{report_words['huruf']} {measure['huruf']}. {measure['text']} — {measure['condition']}")
                     for measure in clause.get("withheld") or []],
        "note": _plain(f"{report_words['note']}: {clause['note']}") if clause.get("note") else None,
    }


def _kondisi(finding: dict, language: str, report_words: dict) -> list[str]:
    """What the facts show, for the subjects that make the finding what it is.

    The record words one line per subject; where the lines and the subjects pair up, a
    temuan shows only the subjects of its own status (the service without a standard, not
    the one that has it, nor the one the duty does not bind); the audit report shows every subject.
    """
    lines = [_prose(line) for line in str(finding.get("kondisi") or "").splitlines() if line.strip()]
    subjects = finding.get("subjects") or []
    if len(lines) == len(subjects) and any(subject.get("status") == finding["status"] for subject in subjects):
        lines = [line for line, subject in zip(lines, subjects) if subject.get("status") == finding["status"]]
    if finding.get("tally"):
        lines.append(f"{report_words['tally']}: " + ", ".join(f"{entry['label']} {entry['count']}" for entry in finding["tally"]))
    if finding.get("reason"):
        lines.append(f"{report_words['reason']}: {_prose(finding['reason'])}")
    follow = finding.get("follow_up")
    if follow:
        line = (f"{report_words['follow_up']}: {report_words['follow_up_states'][follow['state']]} "
                f"({_date(follow.get('previous_as_of'), language)}: "
                f"{words(language)['statuses'].get(follow.get('previous_status'), '—')})")
        if follow.get("open_since"):
            line += f"; {report_words['open_since'].lower()} {_date(follow['open_since'], language)}, " \
                    f"{follow.get('months_open')} {report_words['months']}"
        lines.append(line)
    return [_plain(line) for line in lines]


def _evidence_needed(finding: dict, unit_name: str) -> list[str]:
    """What the unit must bring, in the words of the inputs the judge could not settle."""
    needed = []
    for subject in finding.get("subjects") or []:
        if subject.get("status") != "unknown":
            continue
        labels = [evidence["label"] for evidence in subject.get("evidence") or [] if evidence.get("missing_facts")]
        prefix = "" if subject.get("label") in (None, "", unit_name) else f"{subject['label']}: "
        needed.extend(prefix + label for label in labels or [finding["title"]])
    if not needed:
        needed = [evidence["label"] for evidence in finding.get("evidence") or [] if evidence.get("missing_facts")]
    return [_plain(line) for line in dict.fromkeys(needed or [finding["title"]])]


def lhp_view(report: dict) -> dict[str, Any]:
    """Everything the LHP says, as plain text, in the report's language."""
    language = document_language(report)
    labels = words(language)["lhp"]
    report_words = words(language)["audit_report"]
    statuses = words(language)["statuses"]
    regulation, ruleset, unit = report["regulation"], report["ruleset"], report["unit"]
    full_name = regulation_name(regulation, report_words)
    short_name = regulation_name({**regulation, "title": None}, report_words)
    as_of = _date(report["as_of"], language)
    period_start = _later(regulation.get("in_force_from"), ruleset.get("effective_from"))
    period = labels["period_text"].format(start=_date(period_start, language), end=as_of)
    unit_type = words(language)["organisation_types"].get(unit.get("type"), unit.get("type"))
    atasan = unit.get("atasan_satuan_kerja") or {}
    atasan_text = ", ".join(str(atasan[key]) for key in ("name", "position") if atasan.get(key))

    cover_rows = [(labels["unit"], unit["name"]), (labels["unit_type"], unit_type), (labels["region"], unit.get("region")),
                  (labels["atasan"], atasan_text), (labels["regulation"], full_name),
                  (labels["as_of"], as_of), (labels["period"], period)]
    in_force = _date(regulation.get("in_force_from"), language)
    ruleset_period = (labels["ruleset_until"].format(start=_date(ruleset.get("effective_from"), language),
                                                     end=_date(ruleset["effective_until"], language))
                      if ruleset.get("effective_until") else
                      labels["ruleset_from"].format(start=_date(ruleset.get("effective_from"), language)))
    method_rows = [(labels["ruleset"], f"{ruleset['version']} ({ruleset_period})"),
                   (labels["ruleset_sha256"], ruleset["sha256"]),
                   (labels["facts"], report["facts"]["file"]),
                   (labels["facts_sha256"], report["facts"]["sha256"]),
                   (labels["patuh_version"], report["patuh_version"])]

    findings = report["findings"]
    explained = False
    temuan = []
    for finding in (finding for finding in findings if finding["status"] == "violation"):
        sanctions = []
        for sanction in finding.get("sanctions") or []:
            # "dan/atau" is explained the first time it appears, as in the audit report.
            explain = sanction.get("combination") == AND_OR and not explained
            explained = explained or explain
            sanctions.append(_clause(sanction, True, language, report_words, labels, explain))
        compensation = finding.get("compensation")
        temuan.append({
            "number": len(temuan) + 1,
            "heading": _plain(labels["temuan"].format(number=len(temuan) + 1, title=finding["title"])),
            "citation": _plain(finding["citation"]),
            "kondisi": _kondisi(finding, language, report_words),
            "kriteria": _plain(labels["kriteria_text"].format(citation=finding["citation"], regulation=short_name)),
            "quote": _plain(finding.get("quote")) or None,
            "sanctions": sanctions,
            "sanction_note": None if sanctions else _plain(finding.get("sanction_note") or labels["no_sanction_recorded"]),
            "compensation": _clause(compensation, False, language, report_words, labels, False) if compensation else None,
            "compensation_intro": labels["compensation_intro"] if compensation else None,
            "rekomendasi": _prose(finding.get("recommendation")) or "—",
            **{key: _plain(text) if text else None for key, text in response_lines(finding, language).items()},
            "response_heading": report_words["response"], "waiver_heading": report_words["waiver"],
        })
    unknowns = [{
        "heading": _plain(f"{finding['title']} ({finding['citation']})"),
        "kondisi": _kondisi(finding, language, report_words),
        "needed": _evidence_needed(finding, unit["name"]),
    } for finding in findings if finding["status"] == "unknown"]
    pending = [_plain(labels["pending_item"].format(title=finding["title"], citation=finding["citation"],
                                                    due=_date(finding.get("due"), language)))
               for finding in findings if finding["status"] == "pending"]

    counts = report["summary"]["counts"]
    tally = ", ".join(f"{statuses[status].lower()} {counts.get(status, 0)}" for status in STATUS_ORDER)
    closing = [labels["penutup_summary"].format(total=report["summary"]["total"], tally=tally),
               labels["penutup_follow_up"] if temuan or unknowns else labels["penutup_clean"],
               labels["penutup_method"].format(version=report["patuh_version"])]

    trail = []
    for number, finding in enumerate(findings, start=1):
        rows = [(entry["path"], _trail_description(entry["description"], language)) for entry in evidence_trail(finding)]
        rows += [(path, labels["not_recorded"]) for path in finding.get("missing_facts") or []
                 if path not in {row[0] for row in rows}]
        if rows:
            # Numbered as in Lampiran 1, so the two appendices are read together.
            trail.append({"heading": _plain(f"{number}. {finding['citation']} — {finding['title']} ({finding['rule_id']})"),
                          "rows": rows})

    return {
        "language": language,
        "labels": labels,
        "title": labels["title"],
        "subtitle": labels["subtitle"],
        "unit_name": _plain(unit["name"]),
        "cover_rows": [(label, _plain(value) or "—") for label, value in cover_rows],
        "dasar": _plain(labels["dasar_text"].format(regulation=full_name, in_force=in_force)),
        "tujuan": _plain(labels["tujuan_text"].format(unit=unit["name"], as_of=as_of)),
        "lingkup": _plain(labels["lingkup_text"].format(count=report["summary"]["total"])),
        "not_auditable": [(_plain(entry["citation"]), _prose(entry["reason"])) for entry in report.get("not_auditable") or []],
        "metodologi": [labels["metodologi_text"], labels["metodologi_statuses"]],
        "method_rows": [(label, _plain(value)) for label, value in method_rows],
        "reproduce": labels["reproduce"],
        "temuan_intro": labels["temuan_intro"].format(count=len(temuan)) if temuan else labels["no_temuan"],
        "temuan": temuan,
        "unknowns_intro": labels["unknowns_intro"] if unknowns else labels["no_unknowns"],
        "unknowns": unknowns,
        "pending_intro": labels["pending_intro"] if pending else labels["no_pending"],
        "pending": pending,
        "closing": [_plain(line) for line in closing],
        "signature_place_date": _plain(labels["signature_date"].format(date=as_of)),
        "finding_rows": [{"number": index, "rule_id": _plain(finding["rule_id"]), "citation": _plain(finding["citation"]),
                          "title": _plain(finding["title"]), "status": finding["status"],
                          "status_label": statuses.get(finding["status"], finding["status"])}
                         for index, finding in enumerate(findings, start=1)],
        "trail_intro": _plain(labels["trail_intro"].format(file=report["facts"]["file"])),
        "trail": trail,
        "as_of_iso": report["as_of"],
    }


# --- HTML -----------------------------------------------------------------------------------

def _html(report: dict) -> str:
    view = lhp_view(report)
    return environment(autoescape=True).get_template("lhp.html.j2").render(view=view, labels=view["labels"],
                                                                           language=view["language"])


# --- .docx ----------------------------------------------------------------------------------

# A4, with the wider left margin of an official document that is bound (the HTML's @page agrees).
PAGE_MM = (210, 297)
MARGINS_MM = {"left_margin": 30, "right_margin": 20, "top_margin": 20, "bottom_margin": 20}
# A fixed zip timestamp (the earliest the format allows): the file depends on the report only.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _docx(report: dict) -> bytes:
    view = lhp_view(report)
    labels = view["labels"]
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    for side, millimetres in MARGINS_MM.items():
        setattr(section, side, Mm(millimetres))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    # The default template's headings are blue Calibri; an LHP is printed in black, in the body's typeface,
    # with each Bab title centred.
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = document.styles[name]
        style.font.name, style.font.color.rgb = "Arial", RGBColor(0, 0, 0)
    document.styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def paragraph(text: str = "", style: Optional[str] = None, bold: bool = False, italic: bool = False,
                  center: bool = False, indent_mm: int = 0):
        made = document.add_paragraph(style=style)
        if text:
            run = made.add_run(text)  # python-docx writes the run's text as XML character data, escaped
            run.bold, run.italic = bold or None, italic or None
        if center:
            made.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent_mm:
            made.paragraph_format.left_indent = Mm(indent_mm)
        return made

    def heading(text: str, level: int, new_page: bool = False):
        made = document.add_heading(text, level=level)
        made.paragraph_format.page_break_before = new_page or None
        return made

    def table(header: Optional[list[str]], rows: list[list[str]], widths_mm: list[int]):
        """A bordered table; with a header row, that row repeats on every page the table runs over."""
        made = document.add_table(rows=0, cols=len(widths_mm))
        made.style = "Table Grid"
        made.alignment = WD_TABLE_ALIGNMENT.CENTER
        if header:
            cells = made.add_row().cells
            for cell, text in zip(cells, header):
                cell.paragraphs[0].add_run(text).bold = True
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            made.rows[0]._tr.get_or_add_trPr().append(repeat)
        for values in rows:
            for cell, text in zip(made.add_row().cells, values):
                cell.text = text
        for row in made.rows:
            for cell, width in zip(row.cells, widths_mm):
                cell.width = Mm(width)
        return made

    def clause(parts: dict, indent_mm: int = 0) -> None:
        for line in parts["lines"]:
            paragraph(line, indent_mm=indent_mm)
        if parts["measures_heading"]:
            paragraph(parts["measures_heading"], indent_mm=indent_mm)
            for measure in parts["measures"] or ["—"]:
                paragraph(measure, indent_mm=indent_mm + 8)
        if parts["withheld_heading"]:
            paragraph(parts["withheld_heading"], indent_mm=indent_mm)
            for measure in parts["withheld"]:
                paragraph(measure, indent_mm=indent_mm + 8)
        if parts["note"]:
            paragraph(parts["note"], indent_mm=indent_mm)

    # Cover
    for _ in range(4):
        paragraph()
    cover_title = paragraph(view["title"].upper(), style="Title", center=True)
    cover_title.paragraph_format.space_after = Pt(6)
    paragraph(view["subtitle"], bold=True, center=True)
    paragraph(view["unit_name"], bold=True, center=True)
    paragraph()
    cover = table(None, [list(row) for row in view["cover_rows"]], [50, 110])
    for row in cover.rows:
        row.cells[0].paragraphs[0].runs[0].bold = True

    # Bab I
    heading(labels["bab_1"], 1, new_page=True)
    heading(labels["dasar"], 2)
    paragraph(view["dasar"])
    heading(labels["tujuan"], 2)
    paragraph(view["tujuan"])
    heading(labels["lingkup"], 2)
    paragraph(view["lingkup"])
    if view["not_auditable"]:
        paragraph(labels["lingkup_not_auditable"])
        table([labels["citation"], labels["reason"]], [list(row) for row in view["not_auditable"]], [40, 120])
    heading(labels["metodologi"], 2)
    for text in view["metodologi"]:
        paragraph(text)
    table(None, [list(row) for row in view["method_rows"]], [50, 110])
    paragraph(view["reproduce"])

    # Bab II
    heading(labels["bab_2"], 1, new_page=True)
    heading(labels["temuan_section"], 2)
    paragraph(view["temuan_intro"])
    for item in view["temuan"]:
        heading(item["heading"], 3)
        heading(labels["kondisi"], 4)
        for line in item["kondisi"]:
            paragraph(line, style="List Bullet")
        heading(labels["kriteria"], 4)
        paragraph(item["kriteria"])
        if item["quote"]:
            paragraph(item["quote"], style="Quote")
        heading(labels["akibat"], 4)
        for sanction in item["sanctions"]:
            clause(sanction)
        if item["sanction_note"]:
            paragraph(item["sanction_note"])
        if item["compensation"]:
            paragraph(item["compensation_intro"], bold=True)
            clause(item["compensation"])
        heading(labels["rekomendasi"], 4)
        paragraph(item["rekomendasi"])
        for key in ("response", "waiver"):
            if item[key]:
                heading(item[f"{key}_heading"], 4)
                paragraph(item[key])
    heading(labels["unknowns"], 2)
    paragraph(view["unknowns_intro"])
    for number, item in enumerate(view["unknowns"], start=1):
        heading(f"{number}. {item['heading']}", 3)
        for line in item["kondisi"]:
            paragraph(line, style="List Bullet")
        paragraph(f"{labels['evidence_needed']}:", bold=True)
        for line in item["needed"]:
            paragraph(line, style="List Bullet")
    heading(labels["pending"], 2)
    paragraph(view["pending_intro"])
    for line in view["pending"]:
        paragraph(line, style="List Bullet")

    # Bab III
    heading(labels["bab_3"], 1, new_page=True)
    for line in view["closing"]:
        paragraph(line)
    paragraph()
    paragraph(view["signature_place_date"], indent_mm=95)
    paragraph(labels["signature_team"], indent_mm=95)
    for _ in range(3):
        paragraph(indent_mm=95)
    paragraph(labels["signature_line"], indent_mm=95)

    # Lampiran
    heading(labels["lampiran"], 1, new_page=True)
    heading(labels["lampiran_findings"], 2)
    table([labels["number"], labels["rule"], labels["citation"], labels["provision"], labels["status"]],
          [[str(row["number"]), row["rule_id"], row["citation"], row["title"], row["status_label"]]
           for row in view["finding_rows"]], [10, 42, 30, 56, 22])
    heading(labels["lampiran_trail"], 2, new_page=True)
    paragraph(view["trail_intro"])
    for entry in view["trail"]:
        heading(entry["heading"], 3)
        table([labels["fact_path"], labels["description"]], [list(row) for row in entry["rows"]], [75, 85])

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{view['title']} — {view['unit_name']} — {labels['page']} ")
    page_field = OxmlElement("w:fldSimple")
    page_field.set(qn("w:instr"), "PAGE")
    footer._p.append(page_field)

    properties = document.core_properties
    properties.title = f"{view['title']} — {view['unit_name']}"
    properties.subject = view["subtitle"]
    properties.author = properties.last_modified_by = "patuh"
    properties.language = view["language"]
    audit_day = datetime.fromisoformat(view["as_of_iso"]).replace(tzinfo=timezone.utc) \
        if _ISO_DAY.fullmatch(str(view["as_of_iso"])) else datetime(1980, 1, 1, tzinfo=timezone.utc)
    properties.created = properties.modified = audit_day
    properties.revision = 1
    properties.comments = ""

    written = io.BytesIO()
    document.save(written)
    return _fixed_timestamps(written.getvalue())


def _fixed_timestamps(package: bytes) -> bytes:
    """The same .docx with every zip entry dated ZIP_TIME, so the same report gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(package))
    rewritten = io.BytesIO()
    with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry.filename))
    return rewritten.getvalue()


_render = document_kind_in("lhp", {"docx": _docx, "html": _html})
FORMATS = ("docx", "html")


def render(report: dict, fmt: str, language: Optional[str] = None) -> str | bytes:
    """The LHP of `report` as .docx bytes ("docx") or one self-contained HTML page ("html"),
    worded in `language` (by default the one the audit was worded in)."""
    if language is not None and language != report.get("language"):
        report = in_language(report, language)
    return _render(report, fmt)
