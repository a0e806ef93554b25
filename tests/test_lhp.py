"""The LHP (Laporan Hasil Pemeriksaan) as an inspector opens it: the .docx in a word processor's
library, the HTML as one printable page; and the date wording both use."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import docx  # python-docx: a hard dependency (pyproject.toml), so its absence fails here rather than skips
import pytest

from browser_support import chromium_or_skip

from patuh.render.writer import OutputRefused

from patuh.cli import main
from patuh.dates.wording import long_date
from patuh.documents.lhp import lhp_view, render
from patuh.load.labels import words
from patuh.render.formats import UnsupportedFormat

ROOT = Path(__file__).resolve().parent.parent
PERUMDA = ROOT / "facts" / "examples" / "tegal-perumda-air-minum.yaml"
AUDIT = ["audit", str(PERUMDA), "--regulation", "tegal", "--as-of", "2024-12-31"]
LABELS = {language: words(language)["lhp"] for language in ("id", "en")}

# A fact path: dotted segments, at least one of them snake_case or indexed ("[0]").
FACT_PATH = re.compile(r"\b[a-z][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z][a-z0-9_]*(?:\[\d+\])?)+")


def _is_fact_path(text: str) -> bool:
    return "_" in text or "[" in text


def _fact_paths(text: str) -> list[str]:
    return [match.group(0) for match in FACT_PATH.finditer(text) if _is_fact_path(match.group(0))]


# --- Dates --------------------------------------------------------------------------------------

def test_dates_read_in_long_form_in_both_languages():
    assert long_date("2022-10-10", "id") == "10 Oktober 2022"
    assert long_date("2022-10-10", "en") == "10 October 2022"
    assert long_date(date(2024, 1, 5), "id") == "5 Januari 2024"  # no leading zero
    assert long_date(datetime(2024, 2, 29, 13, 30), "id") == "29 Februari 2024"
    months = [long_date(date(2023, month, 1), "id").split()[1] for month in range(1, 13)]
    assert months == ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                      "Oktober", "November", "Desember"]


@pytest.mark.parametrize("text", ["2024-02-30", "10/10/2022", "20241010", "2024-W01-1", "", "kemarin"])
def test_a_date_that_is_not_one_is_refused_not_guessed(text):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        long_date(text, "id")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        long_date("2024-01-01", "jv")


# --- Writing the LHP through the command line ---------------------------------------------------

@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The JSON report and the LHP of the Perumda, as `patuh audit` writes them."""
    folder = tmp_path_factory.mktemp("lhp")
    files = {"json": folder / "report.json", "docx": folder / "lhp.docx", "html": folder / "lhp.html",
             "docx_en": folder / "lhp-en.docx", "html_en": folder / "lhp-en.html"}
    assert main(AUDIT + ["-o", str(files["json"])]) == 2
    assert main(AUDIT + ["-o", str(files["docx"])]) == 2  # a .docx is the LHP without saying so
    assert main(AUDIT + ["--document", "lhp", "-o", str(files["html"])]) == 2
    assert main(AUDIT + ["--lang", "en", "-o", str(files["docx_en"])]) == 2
    assert main(AUDIT + ["--lang", "en", "--document", "lhp", "--format", "html", "-o", str(files["html_en"])]) == 2
    return files


@pytest.fixture(scope="module")
def report(written):
    return json.loads(written["json"].read_text(encoding="utf-8"))


def _paragraphs(path: Path) -> list:
    return list(docx.Document(str(path)).paragraphs)


def _headings(path: Path, style: str) -> list[str]:
    return [paragraph.text for paragraph in _paragraphs(path) if paragraph.style.name == style]


def _body_text(path: Path, language: str = "id") -> str:
    """Every paragraph and table cell before the Lampiran, in document order."""
    document = docx.Document(str(path))
    texts = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            text = "".join(node.text or "" for node in block.iter() if node.tag.endswith("}t"))
            if text == LABELS[language]["lampiran"]:
                break
            texts.append(text)
        elif block.tag.endswith("}tbl"):
            texts.append(" ".join(node.text or "" for node in block.iter() if node.tag.endswith("}t")))
    return "\n".join(texts)


def _section(paragraphs: list, start: str, end_styles: tuple[str, ...], level: str) -> list:
    """The paragraphs after the heading `start` up to the next heading of `level` or above."""
    texts = [paragraph.text for paragraph in paragraphs]
    begin = texts.index(start) + 1
    for index in range(begin, len(paragraphs)):
        if paragraphs[index].style.name in end_styles:
            return paragraphs[begin:index]
    return paragraphs[begin:]


def test_the_docx_opens_with_the_cover_and_every_bab_each_on_a_new_page(written):
    labels = LABELS["id"]
    paragraphs = _paragraphs(written["docx"])
    assert _headings(written["docx"], "Title") == [labels["title"].upper()]
    assert _headings(written["docx"], "Heading 1") == [labels["bab_1"], labels["bab_2"], labels["bab_3"], labels["lampiran"]]
    for paragraph in paragraphs:
        if paragraph.style.name == "Heading 1":
            assert paragraph.paragraph_format.page_break_before, paragraph.text
    assert _headings(written["docx"], "Heading 2")[:4] == [labels["dasar"], labels["tujuan"], labels["lingkup"], labels["metodologi"]]
    document = docx.Document(str(written["docx"]))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_the_cover_names_the_unit_regulation_audit_date_and_period_in_long_dates(written, report):
    cover = docx.Document(str(written["docx"])).tables[0]
    rows = {row.cells[0].text: row.cells[1].text for row in cover.rows}
    labels = LABELS["id"]
    assert rows[labels["unit"]] == report["unit"]["name"]
    assert rows[labels["regulation"]].startswith("Peraturan Bupati Tegal Nomor 63 Tahun 2023 tentang ")
    assert rows[labels["as_of"]] == "31 Desember 2024"
    in_force = long_date(report["regulation"]["in_force_from"], "id")
    assert rows[labels["period"]] == f"{in_force} sampai dengan 31 Desember 2024"


def test_one_temuan_per_violation_each_with_kondisi_kriteria_akibat_rekomendasi(written, report):
    labels = LABELS["id"]
    violations = [finding for finding in report["findings"] if finding["status"] == "violation"]
    assert violations, "the bundled Perumda example should show violations"
    temuan = [text for text in _headings(written["docx"], "Heading 3") if text.startswith("Temuan ")]
    assert temuan == [labels["temuan"].format(number=number, title=finding["title"])
                      for number, finding in enumerate(violations, start=1)]
    parts = _headings(written["docx"], "Heading 4")
    assert parts == [labels["kondisi"], labels["kriteria"], labels["akibat"], labels["rekomendasi"]] * len(violations)
    assert "Sebab" not in parts  # the facts record no cause: none is invented


def test_akibat_lists_the_sanctions_exactly_and_compensation_apart_from_them(written, report):
    labels = LABELS["id"]
    paragraphs = _paragraphs(written["docx"])
    violations = [finding for finding in report["findings"] if finding["status"] == "violation"]
    seen_sanctions = seen_note = seen_compensation = False
    for number, finding in enumerate(violations, start=1):
        temuan = _section(paragraphs, labels["temuan"].format(number=number, title=finding["title"]),
                          ("Heading 1", "Heading 2", "Heading 3"), "Heading 3")
        texts = [paragraph.text for paragraph in temuan]
        akibat = texts[texts.index(labels["akibat"]) + 1: texts.index(labels["rekomendasi"])]
        measures = [f"huruf {measure['huruf']}. {measure['text']}"
                    for sanction in finding["sanctions"] for measure in sanction["measures"]]
        for measure in measures:
            assert measure in akibat, (finding["rule_id"], measure)
        seen_sanctions = seen_sanctions or bool(measures)
        if not finding["sanctions"]:
            assert finding["sanction_note"] in akibat, finding["rule_id"]
            seen_note = True
        if finding.get("compensation"):
            seen_compensation = True
            start = akibat.index(labels["compensation_intro"])
            forms = [f"huruf {measure['huruf']}. {measure['text']}" for measure in finding["compensation"]["measures"]]
            assert all(form in akibat[start:] for form in forms)
            # Compensation is owed to the user, never shown under the word for sanctions.
            assert not any(text.startswith(words("id")["audit_report"]["measures"]) for text in akibat[start:])
        assert texts[-1] == finding["recommendation"].replace("`", "")
    assert seen_sanctions and seen_note and seen_compensation, "the example should show all three kinds of Akibat"


def test_unknowns_are_matters_not_yet_assured_each_naming_the_evidence_needed(written, report):
    labels = LABELS["id"]
    paragraphs = _paragraphs(written["docx"])
    unknowns = [finding for finding in report["findings"] if finding["status"] == "unknown"]
    assert unknowns
    section = _section(paragraphs, labels["unknowns"], ("Heading 1", "Heading 2"), "Heading 2")
    headings = [paragraph.text for paragraph in section if paragraph.style.name == "Heading 3"]
    assert headings == [f"{number}. {finding['title']} ({finding['citation']})"
                        for number, finding in enumerate(unknowns, start=1)]
    texts = [paragraph.text for paragraph in section]
    assert texts.count(f"{labels['evidence_needed']}:") == len(unknowns)
    pending = [finding for finding in report["findings"] if finding["status"] == "pending"]
    pending_section = [paragraph.text for paragraph in _section(paragraphs, labels["pending"], ("Heading 1", "Heading 2"), "Heading 2")]
    for finding in pending:
        assert labels["pending_item"].format(title=finding["title"], citation=finding["citation"],
                                             due=long_date(finding["due"], "id")) in pending_section


def test_the_lampiran_lists_every_finding_and_keeps_the_fact_paths(written, report):
    from patuh.documents.audit_report import evidence_trail

    document = docx.Document(str(written["docx"]))
    table = next(table for table in document.tables if table.rows[0].cells[1].text == LABELS["id"]["rule"])
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    statuses = words("id")["statuses"]
    assert [(row[1], row[2], row[4]) for row in rows] == \
        [(finding["rule_id"], finding["citation"], statuses[finding["status"]]) for finding in report["findings"]]
    trail_cells = {row.cells[0].text for table in document.tables for row in table.rows}
    paths = [entry["path"] for finding in report["findings"] for entry in evidence_trail(finding)]
    assert paths and set(paths) <= trail_cells


def test_the_parts_the_lhp_writes_itself_carry_no_fact_path(written, report):
    """Cover, Bab I, the headings, the intros and Bab III: composed here, so clean now."""
    view = lhp_view(report)
    own = [view["title"], view["subtitle"], view["dasar"], view["tujuan"], view["lingkup"], *view["metodologi"],
           view["reproduce"], view["temuan_intro"], view["unknowns_intro"], view["pending_intro"], *view["closing"],
           *(value for _, value in view["cover_rows"]), *(item["heading"] for item in view["temuan"]),
           *(item["kriteria"] for item in view["temuan"])]
    assert [text for text in own if _fact_paths(text)] == []
    assert "2024-12-31" not in " ".join(own)  # dates in long form


def test_no_body_paragraph_outside_the_lampiran_carries_a_fact_path(written):
    body = _body_text(written["docx"])
    assert _fact_paths(body) == []


def test_the_english_lhp_has_the_same_shape(written, report):
    labels = LABELS["en"]
    assert _headings(written["docx_en"], "Heading 1") == [labels["bab_1"], labels["bab_2"], labels["bab_3"], labels["lampiran"]]
    violations = sum(1 for finding in report["findings"] if finding["status"] == "violation")
    assert sum(1 for text in _headings(written["docx_en"], "Heading 3") if text.startswith("Finding ")) == violations
    cover = {row.cells[0].text: row.cells[1].text for row in docx.Document(str(written["docx_en"])).tables[0].rows}
    assert cover[labels["as_of"]] == "31 December 2024"
    page = written["html_en"].read_text(encoding="utf-8")
    assert '<html lang="en">' in page and labels["bab_2"] in page


def test_the_same_report_gives_the_same_docx_bytes(written, report):
    assert render(report, "docx") == render(report, "docx") == written["docx"].read_bytes()


# --- The HTML page --------------------------------------------------------------------------------

def test_the_html_is_one_self_contained_printable_file(written, report):
    page = written["html"].read_text(encoding="utf-8")
    assert page == render(report, "html")
    assert not re.search(r"<(link|script|img|iframe)\b|@import|url\(|\b(src|href)=", page, re.IGNORECASE)
    assert "@page { size: A4" in page and "break-before: page" in page
    sections = re.findall(r'<section class="sheet[^"]*" id="([^"]+)"', page)
    assert sections == ["sampul", "bab-1", "bab-2", "bab-3", "lampiran"]
    violations = sum(1 for finding in report["findings"] if finding["status"] == "violation")
    assert len(re.findall(r'<article class="temuan"', page)) == violations


# --- Text from the facts stays text --------------------------------------------------------------

HOSTILE_UNIT = 'Perumda <script>alert(1)</script> {{ 7*7 }} ]]> & "kutip"'
HOSTILE_TITLE = "SP <b>tebal</b> {% raw %} ]]><w:t>sisip</w:t> {{ 7*7 }}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    text = PERUMDA.read_text(encoding="utf-8")
    unit_line = "  name: Perumda Air Minum Tirta Ayu Kabupaten Tegal\n"
    title = "title: Standar Pelayanan Pemasangan Sambungan Baru,"
    assert text.count(unit_line) == 1 and text.count(title) == 1
    # A bell character: XML cannot hold it, so the .docx must replace it rather than fail.
    text = text.replace(unit_line, f"  name: {json.dumps(HOSTILE_UNIT + chr(7))}\n")
    text = text.replace(title, f"title: {json.dumps(HOSTILE_TITLE)},")
    facts = folder / "hostile.yaml"
    facts.write_text(text, encoding="utf-8")
    files = {"docx": folder / "lhp.docx", "html": folder / "lhp.html"}
    base = ["audit", str(facts), "--regulation", "tegal", "--as-of", "2024-12-31"]
    assert main(base + ["-o", str(files["docx"])]) == 2
    assert main(base + ["--document", "lhp", "-o", str(files["html"])]) == 2
    return files


def test_text_from_the_facts_is_plain_text_in_the_docx(hostile):
    document = docx.Document(str(hostile["docx"]))
    cover = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cover[LABELS["id"]["unit"]] == HOSTILE_UNIT + "\ufffd"
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(HOSTILE_TITLE in cell for cell in cells)  # the document title, in the evidence trail
    xml = zipfile.ZipFile(io.BytesIO(hostile["docx"].read_bytes())).read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "<b>tebal</b>" not in xml and "<w:t>sisip" not in xml
    assert "&lt;script&gt;" in xml and "{{ 7*7 }}" in xml


def test_text_from_the_facts_is_escaped_in_the_html(hostile):
    page = hostile["html"].read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<b>tebal" not in page
    assert "Perumda &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} ]]&gt; &amp; &#34;kutip&#34;" in page
    assert "SP &lt;b&gt;tebal&lt;/b&gt; {% raw %}" in page


# --- What cannot be written -------------------------------------------------------------------------

@pytest.mark.parametrize("arguments, message", [
    (["--regulation", "tegal", "--document", "report", "-o", "{folder}/laporan.docx"], "a .docx is the LHP"),
    (["--regulation", "tegal", "--document", "lhp", "-o", "{folder}/lhp.md"], "the LHP is written as docx or html, not md"),
    (["--regulation", "tegal", "--format", "docx"], "give -o FILE.docx"),
    (["--regulation", "all", "-o", "{folder}/lhp.docx"], "one regulation"),
])
def test_a_document_in_a_format_it_does_not_come_in_is_refused_before_anything_is_written(
        tmp_path, capsys, arguments, message):
    command = ["audit", str(PERUMDA), "--as-of", "2024-12-31"] + [argument.replace("{folder}", str(tmp_path))
                                                                  for argument in arguments]
    assert main(command) == 1
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert list(tmp_path.iterdir()) == []


def test_other_documents_refuse_docx_with_a_message(tmp_path, capsys):
    assert main(["compare", "tegal", "sanggau", "--matrix", "-o", str(tmp_path / "matrix.docx")]) == 1
    assert "compare matrix format must be one of json, md, html, got 'docx'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(UnsupportedFormat):
        render({}, "md")


def test_a_docx_that_cannot_be_replaced_leaves_the_old_file_whole(tmp_path, monkeypatch, report):
    import os

    from patuh.render.writer import write_bytes_atomically

    destination = tmp_path / "lhp.docx"
    destination.write_bytes(b"lama")

    def refuse(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputRefused, match="No space left"):
        write_bytes_atomically(render(report, "docx"), destination)
    assert destination.read_bytes() == b"lama"
    assert [path.name for path in tmp_path.iterdir()] == ["lhp.docx"]


# --- The page in a real browser -----------------------------------------------------------------------

def test_the_html_prints_on_a4_with_the_cover_and_each_bab_on_its_own_pages(written, tmp_path):
    executable, sync_api = chromium_or_skip()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(written["html"].as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= 1366
            page.emulate_media(media="print")
            # Each part starts a new page when printed.
            breaks = page.evaluate("[...document.querySelectorAll('section.sheet')].map("
                                   "s => getComputedStyle(s).breakBefore)")
            assert breaks == ["auto", "page", "page", "page", "page"]
            pdf = page.pdf(format="A4", print_background=True)
        finally:
            browser.close()
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= 6, pages
