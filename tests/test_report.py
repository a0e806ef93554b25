"""The report stage: ordering, reproducibility, schema, the temuan layout, escaping, atomic writes.

Findings are built by hand so each status and each Akibat variant is present without
depending on the rules or the evaluator.
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
from pathlib import Path

import pytest

from patuh.render.writer import OutputRefused
from markdown_it import MarkdownIt

from patuh.load.data_paths import data_directory
from patuh.model.findings import STATUS_ORDER, Evidence, Finding, Measure, Sanction, SubjectResult, WithheldMeasure
from patuh.audit.record import REPORT_SCHEMA_ID, build_report
from patuh.documents.audit_report import labels_of, render
from patuh.render.environment import markdown_code, markdown_escape
from patuh.render.writer import write_atomically

SCHEMA_FILE = data_directory("reports") / "schema" / "audit-report.schema.json"
HOSTILE = "<script>alert(1)</script> dan **x**"
RULESET_SHA = "a" * 64
FACTS_SHA = "b" * 64


def _finding(rule_id: str, status: str, **changes) -> Finding:
    values = dict(
        rule_id=rule_id, citation="Pasal 4 ayat (6)", anchor="pasal-4.ayat-6", title=f"Judul {rule_id}",
        topic="standar_pelayanan.publikasi", impact="high", status=status,
        quote="Organisasi Penyelenggara wajib melakukan publikasi Standar Pelayanan.",
        kondisi=f"Dinas Contoh [{status}]: keadaan {rule_id}",
        evidence=[], subjects=[SubjectResult(key="organisation", label="Dinas Contoh", status=status, evidence=[])],
        missing_facts=[], sanctions=[], recommendation=f"Rekomendasi untuk {rule_id}.",
    )
    values.update(changes)
    return Finding(**values)


def _violation_with_sanction() -> Finding:
    evidence = Evidence(input="electronic", label="Publikasi elektronik", low=0, high=0,
                        items=[{"path": "publications[0]", "fact": {"medium": "website"}},
                               {"path": "publications[2]", "fact": {"medium": "papan"}}])
    sanction = Sanction(
        basis="Pasal 17 ayat (3)", party="Atasan Satuan Kerja Penyelenggara", kind="sanksi_administratif",
        combination="dan/atau",
        measures=[Measure(huruf="a", text="teguran tertulis"), Measure(huruf="b", text="pembebasan dari jabatan")],
        withheld=[WithheldMeasure(huruf="c", text="penurunan pangkat setingkat lebih rendah",
                                  condition="berlaku bila pelanggaran tetap terbuka lebih dari 3 bulan sejak ditemukan")],
        addressed_to=["Drs. Contoh, Kepala Dinas"])
    return _finding(
        "rule.violation-sanction", "violation",
        kondisi=f"Penerbitan KTP-el [violation]: {HOSTILE}\nPenerbitan Akta [violation]: tidak ada publikasi",
        evidence=[evidence],
        subjects=[SubjectResult(key="ktp-el", label="Penerbitan KTP-el", status="violation", evidence=[evidence])],
        sanctions=[sanction],
        recommendation="Publikasikan lewat [situs](https://evil.example/track) dan <img src=x onerror=alert(2)>.",
        interpretation=["Kedua jenis media wajib (\"dan\")."])


def _findings() -> list[Finding]:
    """One of each status, deliberately out of report order."""
    return [
        _finding("rule.comply", "comply"),
        _finding("rule.unknown", "unknown", missing_facts=["publications", "service_types[0].standar_pelayanan"],
                 kondisi="Dinas Contoh [unknown]: fakta tidak ada: publications"),
        _finding("rule.violation-note", "violation",
                 sanction_note="Peraturan Bupati Tegal 63/2023 tidak mencantumkan sanksi atas pelanggaran ketentuan ini."),
        _finding("rule.not-applicable", "not_applicable",
                 reason="kewajiban ini hanya mengikat bumd, swasta; unit ini perangkat_daerah"),
        _finding("rule.pending", "pending", due="2025-12-31"),
        _violation_with_sanction(),
    ]


def _report(language: str = "id", findings: list[Finding] | None = None) -> dict:
    return build_report(
        findings=_findings() if findings is None else findings,
        regulation={"id": "tegal-perbup-63-2023", "type": "Peraturan Bupati", "region": "Kabupaten Tegal",
                    "number": 63, "year": 2023, "title": "Pedoman Penyelenggaraan Pelayanan Publik di Daerah",
                    "in_force_from": "2023-10-30"},
        ruleset={"version": "v1", "effective_from": "2023-10-30", "effective_until": None, "sha256": RULESET_SHA},
        facts_file="tegal-contoh.yaml",
        facts_sha256=FACTS_SHA,
        unit={"name": "Dinas Contoh", "type": "perangkat_daerah", "region": "Kabupaten Tegal",
              "atasan_satuan_kerja": {"name": "Drs. Contoh", "position": "Kepala Dinas"}},
        as_of="2025-03-01",
        language=language,
        not_auditable=[{"citation": "Pasal 5 ayat (2)", "reason": "perlu wawancara"}],
        patuh_version="0.1.0",
    )


def _sections(markdown: str) -> dict[str, str]:
    """Each finding's Markdown, keyed by rule id."""
    parts = re.split(r"^### ", markdown, flags=re.MULTILINE)[1:]
    sections = {}
    for part in parts:
        rule_id = part.split(" — ", 1)[0]
        sections[rule_id] = part.split("\n## ", 1)[0]
    return sections


# --- The JSON report ---------------------------------------------------------------------

def test_top_level_and_nested_key_order_is_the_documented_one():
    report = _report()
    assert list(report) == ["schema", "patuh_version", "language", "as_of", "regulation", "ruleset", "facts", "unit",
                            "summary", "findings", "not_auditable"]
    assert report["schema"] == REPORT_SCHEMA_ID
    assert list(report["regulation"]) == ["id", "type", "region", "number", "year", "title", "in_force_from"]
    assert list(report["ruleset"]) == ["version", "effective_from", "effective_until", "sha256"]
    assert list(report["facts"]) == ["file", "sha256"]
    assert list(report["unit"]) == ["name", "type", "region", "atasan_satuan_kerja"]
    assert list(report["summary"]) == ["total", "counts", "violations", "waived"]
    assert list(report["summary"]["counts"]) == list(STATUS_ORDER)
    assert list(report["not_auditable"][0]) == ["citation", "reason"]
    rendered = render(report, "json")
    assert list(json.loads(rendered)) == list(report)
    assert rendered.index('"schema"') < rendered.index('"patuh_version"') < rendered.index('"not_auditable"')


def test_caller_key_order_does_not_leak_into_the_report():
    report = _report()
    shuffled = build_report(
        findings=_findings(), regulation=dict(reversed(list(report["regulation"].items()))),
        ruleset=dict(reversed(list(report["ruleset"].items()))), facts_file="tegal-contoh.yaml",
        facts_sha256=FACTS_SHA, unit=dict(reversed(list(report["unit"].items()))), as_of="2025-03-01",
        language="id", not_auditable=[{"reason": "perlu wawancara", "citation": "Pasal 5 ayat (2)"}],
        patuh_version="0.1.0")
    assert render(shuffled, "json") == render(report, "json")


def test_findings_are_ordered_by_status_keeping_the_given_order_within_a_status():
    report = _report()
    assert [finding["rule_id"] for finding in report["findings"]] == [
        "rule.violation-note", "rule.violation-sanction", "rule.unknown", "rule.pending", "rule.comply",
        "rule.not-applicable"]
    assert report["summary"] == {
        "total": 6,
        "counts": {"violation": 2, "unknown": 1, "pending": 1, "comply": 1, "not_applicable": 1},
        "violations": ["rule.violation-note", "rule.violation-sanction"],
        "waived": [],
    }
    assert report["findings"][1] == _violation_with_sanction().model_dump(mode="json")


def test_the_same_inputs_give_byte_identical_output():
    for fmt in ("json", "md", "html"):
        assert render(_report(), fmt) == render(_report(), fmt)
    assert render(_report(), "json").endswith("}\n")


def test_a_saved_json_report_renders_the_same_as_the_fresh_one():
    report = _report()
    saved = json.loads(render(report, "json"))
    for fmt in ("md", "html"):
        assert render(saved, fmt) == render(report, fmt)


def test_json_keeps_non_ascii_text_readable():
    findings = [_finding("rule.comply", "comply", title="Pengaduan — tindak lanjut ≤ 5 hari")]
    assert "Pengaduan — tindak lanjut ≤ 5 hari" in render(_report(findings=findings), "json")


def test_missing_or_unexpected_caller_keys_are_refused():
    report = _report()
    with pytest.raises(ValueError, match="missing sha256"):
        build_report(**{**_arguments(report), "ruleset": {"version": "v1", "effective_from": "2023-10-30",
                                                           "effective_until": None}})
    with pytest.raises(ValueError, match="unexpected province"):
        build_report(**{**_arguments(report), "regulation": {**report["regulation"], "province": "Jawa Tengah"}})
    with pytest.raises(ValueError, match="language"):
        build_report(**{**_arguments(report), "language": "jv"})


def test_an_absolute_facts_path_is_reduced_to_its_name():
    report = build_report(**{**_arguments(_report()), "facts_file": str(Path("/home/auditor/facts/tegal.yaml").resolve())})
    assert report["facts"]["file"] == "tegal.yaml"


def _arguments(report: dict) -> dict:
    return dict(findings=_findings(), regulation=report["regulation"], ruleset=report["ruleset"],
                facts_file=report["facts"]["file"], facts_sha256=report["facts"]["sha256"], unit=report["unit"],
                as_of=report["as_of"], language=report["language"], not_auditable=report["not_auditable"],
                patuh_version=report["patuh_version"])


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="format"):
        render(_report(), "pdf")


# --- The schema --------------------------------------------------------------------------

def _schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_the_report_validates_against_the_schema():
    schema = _schema()
    for language in ("id", "en"):
        report = json.loads(render(_report(language), "json"))
        try:
            import jsonschema
        except ImportError:
            _check_required_keys(report, schema, schema)
        else:
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.Draft202012Validator(schema).validate(report)


def _check_required_keys(value, node: dict, schema: dict) -> None:
    """Enough of JSON Schema to catch a missing or stray key when jsonschema is not installed."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if isinstance(value, dict) and "properties" in node:
        assert set(node.get("required", [])) <= set(value), (sorted(node.get("required", [])), sorted(value))
        if node.get("additionalProperties") is False:
            assert set(value) <= set(node["properties"]), (sorted(value), sorted(node["properties"]))
        for key, item in value.items():
            if key in node["properties"]:
                _check_required_keys(item, node["properties"][key], schema)
    elif isinstance(value, list) and "items" in node:
        for item in value:
            _check_required_keys(item, node["items"], schema)


def test_the_schema_describes_every_key_and_follows_the_finding_models():
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"]["const"] == REPORT_SCHEMA_ID
    assert list(schema["properties"]) == list(_report())
    models = {"Finding": Finding, "SubjectResult": SubjectResult, "Evidence": Evidence, "Sanction": Sanction,
              "Measure": Measure, "WithheldMeasure": WithheldMeasure}
    for name, model in models.items():
        definition = schema["$defs"][name]
        assert list(definition["properties"]) == list(model.model_fields), name
        assert definition["additionalProperties"] is False

    def described(node: dict, where: str) -> None:
        for key, child in node.get("properties", {}).items():
            assert child.get("description"), f"{where}.{key} has no description"
            described(child, f"{where}.{key}")
        if isinstance(node.get("items"), dict):
            described(node["items"], where + "[]")

    described(schema, "report")
    for name, definition in schema["$defs"].items():
        described(definition, name)


def test_the_schema_knows_every_field_of_the_atasan_satuan_kerja():
    fact_model = pytest.importorskip("patuh.model.facts")
    person = _schema()["properties"]["unit"]["properties"]["atasan_satuan_kerja"]
    assert set(fact_model.Person.model_fields) <= set(person["properties"])


# --- Markdown ----------------------------------------------------------------------------

def test_every_finding_is_written_as_a_temuan():
    markdown = render(_report(), "md")
    sections = _sections(markdown)
    assert list(sections) == [finding["rule_id"] for finding in _report()["findings"]]
    for rule_id, section in sections.items():
        for label in ("**Kondisi**", "**Kriteria**", "**Akibat**", "**Rekomendasi**"):
            assert label in section, (rule_id, label)
        assert section.index("**Kondisi**") < section.index("**Kriteria**") < section.index("**Akibat**") \
            < section.index("**Rekomendasi**")
        assert "Pasal 4 ayat (6)" in section
        assert "> Organisasi Penyelenggara wajib melakukan publikasi Standar Pelayanan." in section


def test_the_header_names_what_reproduces_the_result():
    markdown = render(_report(), "md")
    assert markdown.startswith("# Laporan Audit Kepatuhan\n")
    for text in ("Dinas Contoh", "Peraturan Bupati Tegal Nomor 63 Tahun 2023 tentang Pedoman",
                 "1 Maret 2025", "v1", f"`{RULESET_SHA}`", f"`{FACTS_SHA}`", "`tegal-contoh.yaml`",
                 "Drs. Contoh, Kepala Dinas"):
        assert text in markdown, text
    assert "| Pelanggaran | 2 |" in markdown
    assert "| Tidak diketahui | 1 |" in markdown
    assert "| **Total** | **6** |" in markdown


def test_headings_carry_the_indonesian_status_word():
    sections = _sections(render(_report(), "md"))
    words = {"rule.violation-sanction": "Pelanggaran", "rule.unknown": "Tidak diketahui",
             "rule.pending": "Belum jatuh tempo", "rule.comply": "Patuh", "rule.not-applicable": "Tidak berlaku"}
    for rule_id, word in words.items():
        assert sections[rule_id].startswith(f"{rule_id} — Judul {rule_id} ({word})\n")


def test_akibat_lists_the_sanction_measures_by_huruf():
    section = _sections(render(_report(), "md"))["rule.violation-sanction"]
    akibat = section[section.index("**Akibat**"):section.index("**Rekomendasi**")]
    assert "**Dasar:** Pasal 17 ayat (3)" in akibat
    assert "**Pihak:** Atasan Satuan Kerja Penyelenggara" in akibat
    assert "sanksi administratif" in akibat
    assert "Drs. Contoh, Kepala Dinas" in akibat
    assert "(dan/atau: dapat dijatuhkan sendiri-sendiri atau bersama-sama)" in akibat
    assert "  - huruf a. teguran tertulis\n" in akibat
    assert "  - huruf b. pembebasan dari jabatan\n" in akibat
    assert "**Belum dapat dijatuhkan:**" in akibat
    assert ("  - huruf c. penurunan pangkat setingkat lebih rendah — berlaku bila pelanggaran tetap terbuka lebih "
            "dari 3 bulan sejak ditemukan") in akibat


def test_dan_atau_is_explained_once():
    second = _violation_with_sanction().model_copy(update={"rule_id": "rule.violation-again"})
    markdown = render(_report(findings=_findings() + [second]), "md")
    assert markdown.count("dapat dijatuhkan sendiri-sendiri atau bersama-sama") == 1
    assert "- **Sanksi** (dan/atau):" in _sections(markdown)["rule.violation-again"]


def test_akibat_without_sanctions():
    sections = _sections(render(_report(), "md"))
    note = sections["rule.violation-note"]
    assert "tidak mencantumkan sanksi atas pelanggaran ketentuan ini" in note[note.index("**Akibat**"):]
    for rule_id in ("rule.unknown", "rule.pending", "rule.comply", "rule.not-applicable"):
        section = sections[rule_id]
        assert section[section.index("**Akibat**"):section.index("**Rekomendasi**")].strip() == "**Akibat**\n\n—"


def test_kondisi_carries_missing_facts_reason_due_and_evidence():
    sections = _sections(render(_report(), "md"))
    unknown = sections["rule.unknown"]
    # Missing facts by what they are; their paths are in the evidence trail.
    from patuh.load.wording import fact_names
    named = fact_names(["publications", "service_types[0].standar_pelayanan"], "id")
    assert f"- Fakta tidak ada: {named}" in unknown and "`publications`" not in unknown
    markdown = render(_report(), "md")
    trail = markdown[markdown.index("## Lampiran: Jejak bukti"):]
    assert "- `publications` — belum diperiksa" in trail and "- `service_types[0].standar_pelayanan` — belum diperiksa" in trail
    # A finding patuh did not word (no rule texts) keeps its own recommendation.
    assert "Rekomendasi untuk rule.unknown" in unknown[unknown.index("**Rekomendasi**"):]
    assert "- Alasan: kewajiban ini hanya mengikat bumd, swasta; unit ini perangkat_daerah" in sections["rule.not-applicable"]
    assert "- Jatuh tempo: 31 Desember 2025" in sections["rule.pending"]
    violation = sections["rule.violation-sanction"]
    kondisi = violation[:violation.index("**Kriteria**")]
    assert "- Penerbitan Akta [violation]: tidak ada publikasi" in kondisi
    assert "Bukti:" not in kondisi and "`publications[0]`" not in kondisi
    assert "- `publications[0]` — website" in trail and "- `publications[2]` — papan" in trail
    assert "**Catatan tafsir**" in violation
    assert "Rekomendasi untuk rule.pending." in sections["rule.pending"]


def test_not_auditable_provisions_are_listed():
    markdown = render(_report(), "md")
    tail = markdown[markdown.index("## Ketentuan yang tidak dapat diaudit dari fakta"):]
    assert "- **Pasal 5 ayat (2):** perlu wawancara" in tail
    empty = build_report(**{**_arguments(_report()), "not_auditable": []})
    assert "Tidak ada." in render(empty, "md").split("## Ketentuan yang tidak dapat diaudit dari fakta")[1]


def test_english_labels():
    markdown = render(_report("en"), "md")
    assert markdown.startswith("# Compliance audit report\n")
    for text in ("**Condition**", "**Criteria**", "**Effect**", "**Recommendation**", "(Violation)",
                 "(Not yet due)", "may be imposed alone or together", "## Appendix: evidence trail",
                 "## Provisions that cannot be audited from facts", "| Unknown | 1 |"):
        assert text in markdown, text
    for text in ("**Kondisi**", "Laporan Audit", "sendiri-sendiri", "Lengkapi fakta"):
        assert text not in markdown, text
    assert labels_of("en").keys() == labels_of("id").keys()


def test_user_text_cannot_format_or_inject_markup_in_markdown():
    markdown = render(_report(), "md")
    assert r"\<script>alert(1)\</script> dan \*\*x\*\*" in markdown
    assert not re.search(r"(?<!\\)<(script|img)", markdown)
    assert r"[situs\](https://evil.example/track)" in markdown


# --- HTML --------------------------------------------------------------------------------

def test_html_escapes_user_text():
    page = render(_report(), "html")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "**x**" in page and "<strong>x</strong>" not in page
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert not re.search(r"<a [^>]*href=\"https?:", page)


def test_html_is_one_self_contained_printable_page():
    page = render(_report(), "html")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"id\">")
    assert "<style>" in page and "@media print" in page and "page-break-inside: avoid" in page
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert not re.search(r"<script\b[^>]*\bsrc=", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(", page)
    # The only address on the page is the user's, shown as text and never followed.
    assert not re.search(r"(href|src)=\"?(https?:)?//", page)
    assert "[situs](https://evil.example/track)" in page
    assert page.count('<section class="finding ') == 6
    assert '<span class="badge violation">Pelanggaran</span>' in page
    assert '<h2>Ketentuan yang tidak dapat diaudit dari fakta</h2>' in page
    assert render(_report("en"), "html").startswith("<!DOCTYPE html>\n<html lang=\"en\">")


def test_html_shows_the_same_temuan_as_markdown():
    page = render(_report(), "html")
    assert "<li>huruf a. teguran tertulis</li>" in page
    assert "<code>publications[0]</code>" in page
    assert "<blockquote>" in page
    assert page.count("<strong>Kondisi</strong>") == 6


# --- Markdown escaping -------------------------------------------------------------------

def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def test_escaped_values_read_exactly_as_written_wherever_they_land():
    """Random strings of Markdown's special characters, rendered where the templates put values."""
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    pieces = list("ab1 _*`\\[]()<>|&#;~!-+=.:^\"'\n\t") + ["amp;", "#60;", "http://x", "1.", "##", "---", "```",
                                                           "~~~", "<b>", "[x]: /y"]
    generator = random.Random(20240101)
    for _ in range(4000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(1, 10)))
        shown = " ".join(text.split())
        if not shown:
            continue
        escaped = markdown_escape(text)
        expected = _html_text(shown)
        assert parser.render(f"- {escaped}\n") == f"<ul>\n<li>{expected}</li>\n</ul>\n", text
        assert parser.render(f"{escaped}\n") == f"<p>{expected}</p>\n", text
        assert parser.render(f"> {escaped}\n") == f"<blockquote>\n<p>{expected}</p>\n</blockquote>\n", text
        assert parser.render(f"x {escaped} (y)\n") == f"<p>x {expected} (y)</p>\n", text


def test_escaping_leaves_ordinary_text_alone():
    for text in ("perangkat_daerah", "Dinas [comply]: 0", "0.1.0", "Pasal 4 ayat (6)", "2024-01-22 – 2027-01-22",
                 "dan/atau", "Drs. Suhartono, M.Si."):
        assert markdown_escape(text) == text


def test_code_spans_hold_any_path():
    parser = MarkdownIt("commonmark", {"html": False})
    for path in ("service_types[0].standar_pelayanan", "a`b", "`x`", "<b>"):
        assert parser.render(markdown_code(path)) == f"<p><code>{_html_text(path)}</code></p>\n"


# --- Writing -----------------------------------------------------------------------------

def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name not in keep)


def test_write_atomically_writes_and_replaces(tmp_path):
    destination = tmp_path / "laporan.md"
    write_atomically("pertama\n", destination)
    assert destination.read_text(encoding="utf-8") == "pertama\n"
    os.chmod(destination, 0o640)
    write_atomically("kedua — ≤\n", destination)
    assert destination.read_bytes() == "kedua — ≤\n".encode("utf-8")
    assert destination.stat().st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path, {"laporan.md"}) == []


def test_write_atomically_into_a_missing_folder_fails_cleanly(tmp_path):
    destination = tmp_path / "tidak-ada" / "laporan.html"
    with pytest.raises(OutputRefused, match="does not exist"):
        write_atomically("isi\n", destination)
    assert not destination.parent.exists()
    assert _leftovers(tmp_path, set()) == []


def test_a_failed_replace_keeps_the_old_report_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    destination = tmp_path / "laporan.json"
    destination.write_text("laporan lama\n", encoding="utf-8")

    def refuse(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputRefused, match="No space left"):
        write_atomically(render(_report(), "json"), destination)
    assert destination.read_text(encoding="utf-8") == "laporan lama\n"
    assert _leftovers(tmp_path, {"laporan.json"}) == []


def test_a_failed_write_keeps_the_old_report(tmp_path, monkeypatch):
    destination = tmp_path / "laporan.md"
    destination.write_text("laporan lama\n", encoding="utf-8")

    def broken_fsync(descriptor):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OutputRefused, match="Input/output"):
        write_atomically("laporan baru\n", destination)
    assert destination.read_text(encoding="utf-8") == "laporan lama\n"
    assert _leftovers(tmp_path, {"laporan.md"}) == []


def test_rendering_does_not_change_the_report():
    report = _report()
    before = copy.deepcopy(report)
    for fmt in ("json", "md", "html"):
        render(report, fmt)
    assert report == before


def test_rule_text_words_backticked_facts_and_codes_and_escapes_the_rest():
    from patuh.render.environment import markdown_rule_text

    text = str(markdown_rule_text("Catat `sop: tidak_ada` bila *tidak* ada <b>SOP</b>; lihat `patuh rules coverage`."))
    # A fact and a code read as words; a command stays a code span, as the user types it.
    assert "sop: tidak ada" in text.lower() and "`sop" not in text and " bila " in text
    assert "`patuh rules coverage`" in text
    assert "\\<b>" in text and "\\*tidak\\*" in text


def test_a_worded_finding_copies_and_pickles_as_itself():
    import copy
    import pickle
    from datetime import date

    from patuh.audit.pipeline import audit_file
    from patuh.audit.record import WordedFinding
    from patuh.load.data_paths import data_directory

    result = audit_file(data_directory("facts") / "examples" / "tegal-disdukcapil.yaml", "tegal", date(2024, 12, 31))
    finding = result.findings[0]
    for again in (copy.deepcopy(finding), copy.copy(finding), pickle.loads(pickle.dumps(finding))):
        assert isinstance(again, WordedFinding) and again == finding
    assert finding.citation == finding.record["citation"]  # a field read through the model
