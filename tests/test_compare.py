"""`patuh compare`: the topic matrix is built from the rule files alone, every rule has a row,
every cell names its citations or says "not regulated", and two regulations are ordered
stricter/looser by documented, measurable dimensions."""

from __future__ import annotations

import dataclasses
import html as html_text
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from browser_support import chromium_or_skip
import yaml

from patuh.documents.compare import (TopicMissing, build_difference, build_matrix, compare_topic, every_ruleset_version,
                           load_topics, resolve_rulesets, rule_timings, topic_verdict)
from patuh.documents.compare_report import render_difference, render_matrix
from patuh.rulesets.model import Rule
from patuh.rulesets.select import list_rule_regulations

ROOT = Path(__file__).resolve().parent.parent
PATUH = shutil.which("patuh")


def _run(*arguments: str) -> subprocess.CompletedProcess:
    command = [PATUH] if PATUH else [sys.executable, "-m", "patuh.cli"]
    return subprocess.run(command + list(arguments), cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def rulesets():
    return resolve_rulesets([], None)[0]


@pytest.fixture(scope="module")
def matrix(rulesets):
    return build_matrix(rulesets, "id")


def test_every_rule_of_every_version_has_a_topic_in_exactly_one_row():
    rows = load_topics()
    placed = [topic for row in rows for topic in row.topics]
    assert len(placed) == len(set(placed)), "a topic is listed in two rows"
    for ruleset in every_ruleset_version():
        for rule in ruleset.rules:
            assert rule.topic in placed, f"{rule.id}: topic {rule.topic!r} is in no row of rules/topics.yaml"


def test_a_rule_without_a_row_stops_the_matrix(rulesets):
    tegal = next(ruleset for ruleset in rulesets if ruleset.regulation.id == "tegal-perbup-63-2023")
    stray = tegal.rules[0].model_copy(update={"topic": "standar_pelayanan.tidak_ada_barisnya"})
    broken = dataclasses.replace(tegal, rules=(stray,) + tegal.rules[1:])
    with pytest.raises(TopicMissing, match="tidak_ada_barisnya"):
        build_matrix([broken])


def test_the_matrix_holds_every_rule_once_under_its_topic_row(rulesets, matrix):
    rows = {row.id: row for row in load_topics()}
    assert [row["id"] for row in matrix["rows"]] == list(rows), "every row of the topic table is shown, in its order"
    for column, ruleset in enumerate(rulesets):
        shown = [(row["id"], item["rule_id"]) for row in matrix["rows"] for item in row["cells"][column]["provisions"]]
        assert sorted(rule_id for _, rule_id in shown) == sorted(rule.id for rule in ruleset.rules)
        for row_id, rule_id in shown:
            assert ruleset.rule(rule_id).topic in rows[row_id].topics


def test_every_cell_names_its_citations_or_says_not_regulated(matrix):
    assert [regulation["id"] for regulation in matrix["regulations"]] == list_rule_regulations()
    for row in matrix["rows"]:
        assert len(row["cells"]) == len(matrix["regulations"])
        for cell in row["cells"]:
            entries = cell["provisions"] + cell["sanction_clauses"]
            if entries:
                assert cell["regulated"] and cell["not_regulated"] is None
                assert all(entry["citation"] for entry in entries)
            else:
                assert not cell["regulated"] and cell["not_regulated"]
    pekppp = next(row for row in matrix["rows"] if row["id"] == "pekppp")
    assert [cell["not_regulated"] for cell in pekppp["cells"]] == ["tidak diatur"] * 4
    sanctions = next(row for row in matrix["rows"] if row["id"] == "sanksi")
    by_regulation = {cell["regulation"]: cell for cell in sanctions["cells"]}
    assert "tidak mencantumkan sanksi" in by_regulation["madiun-perbup-63-2018"]["not_regulated"]
    assert [clause["citation"] for clause in by_regulation["sanggau-perbup-33-2019"]["sanction_clauses"]] == ["Pasal 22"]
    assert "Pasal 17 ayat (3)" in [clause["citation"] for clause in by_regulation["tegal-perbup-63-2023"]["sanction_clauses"]]


def test_periods_and_deadlines_are_read_from_the_rule_metadata(rulesets):
    rules = {rule.id: rule for ruleset in rulesets for rule in ruleset.rules}

    def words(rule_id: str) -> list[str]:
        return [timing.words["id"] for timing in rule_timings(rules[rule_id])]

    assert words("sanggau.pasal-18-ayat-1") == ["paling lambat 60 hari kerja"]
    assert words("madiun.lampiran-iv-a-angka-3-huruf-c") == ["paling lambat 3 hari kerja"]
    assert words("tegal.pasal-4-ayat-7") == ["setiap tahun"]
    assert words("tegal.pasal-4-ayat-8") == ["setiap 3 tahun"]
    assert words("sanggau.pasal-14-ayat-4") == ["setiap tahun", "setiap hari kerja"]  # judged per year, daily
    assert words("sanggau.pasal-23-ayat-1-huruf-a") == ["paling lambat 2020-10-25"]
    assert words("tegal.pasal-4-ayat-1") == []


def test_rendered_matrix_shows_each_citation_in_its_cell(matrix, rulesets):
    markdown = render_matrix(matrix, "md")
    html = render_matrix(matrix, "html")
    table_lines = [line for line in markdown.splitlines() if line.startswith("| **")]
    assert len(table_lines) == len(matrix["rows"])
    for line, row in zip(table_lines, matrix["rows"]):
        cells = line.strip("|").split(" | ")
        assert len(cells) == 1 + len(rulesets)
        for text, cell in zip(cells[1:], row["cells"]):
            for item in cell["provisions"]:
                assert f"**{item['citation']}**" in text
            if not cell["regulated"]:
                assert cell["not_regulated"].split()[0] in text
    assert html.count('<td data-regulation="') == len(matrix["rows"]) * len(rulesets)
    assert not re.search(r"\(`[a-z]+-per[a-z]+-\d+-\d+`\)", markdown), "the Markdown names regulations by title, not id"
    assert json.loads(render_matrix(matrix, "json")) == matrix
    english = render_matrix(build_matrix(rulesets, "en"), "md")
    assert "not regulated" in english and "Complaint, response and resolution deadlines" in english


def _rule(rule_id: str, **changes) -> Rule:
    regulation, _ = rule_id.split(".", 1)
    folder = {"sanggau": "sanggau-perbup-33-2019/v1", "madiun": "madiun-perbup-63-2018/v1", "tegal": "tegal-perbup-63-2023/v1"}[regulation]
    data = yaml.safe_load((ROOT / "rules" / folder / f"{rule_id}.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return Rule.model_validate(data)


def _deadline(rule_id: str, kind: str, days: int) -> Rule:
    data = yaml.safe_load((ROOT / "rules/sanggau-perbup-33-2019/v1" / f"{rule_id}.yaml").read_text(encoding="utf-8"))
    data["inputs"]["decision_days"] = {"label": {"id": "x", "en": "x"}, kind: {"from": "item.file_complete_on", "to": "item.decided_on"}}
    data["comply_when"] = {"all": [{"input": "decided", "at_least": 1}, {"input": "decision_days", "at_most": days}]}
    return Rule.model_validate(data)


def test_deadlines_compare_only_where_the_units_allow(rulesets):
    sanggau = next(ruleset for ruleset in rulesets if ruleset.regulation.id == "sanggau-perbup-33-2019")

    def verdict(a: Rule, b: Rule) -> str:
        outcome = next(o for o in compare_topic([a], sanggau, [b], sanggau) if o["dimension"] == "deadline")
        return outcome["verdict"]

    base = "sanggau.pasal-18-ayat-1"
    assert verdict(_deadline(base, "working_days", 3), _deadline(base, "working_days", 5)) == "stricter"
    assert verdict(_deadline(base, "working_days", 14), _deadline(base, "working_days", 3)) == "looser"
    assert verdict(_deadline(base, "days_between", 10), _deadline(base, "working_days", 14)) == "stricter"
    assert verdict(_deadline(base, "days_between", 20), _deadline(base, "working_days", 14)) == "not_comparable"
    assert verdict(_deadline(base, "working_days", 60), _deadline(base, "working_days", 60)) == "same"
    assert topic_verdict(compare_topic([_deadline(base, "working_days", 60)], sanggau, [_deadline(base, "working_days", 60)], sanggau)) == "same"


def test_difference_of_two_regulations_is_symmetric_and_cites_both(rulesets):
    by_id = {ruleset.regulation.id: ruleset for ruleset in rulesets}
    tegal, sanggau = by_id["tegal-perbup-63-2023"], by_id["sanggau-perbup-33-2019"]
    forward, backward = build_difference(tegal, sanggau), build_difference(sanggau, tegal)
    mirror = {"stricter": "looser", "looser": "stricter", "only_in_a": "only_in_b", "only_in_b": "only_in_a",
              "mixed": "mixed", "same": "same", "not_comparable": "not_comparable"}
    back = {entry["topic"]: entry["verdict"] for entry in backward["topics"]}
    assert {entry["topic"]: mirror[entry["verdict"]] for entry in forward["topics"]} == back
    verdicts = {entry["topic"]: entry for entry in forward["topics"]}
    assert verdicts["pengaduan.tenggat_keputusan"]["verdict"] == "only_in_b"
    assert verdicts["fkp.pelaksanaan"]["verdict"] == "only_in_a"
    # Tegal lists measures (Pasal 4 ayat (9)); Sanggau only refers to other law (Pasal 22).
    penetapan = verdicts["standar_pelayanan.penetapan"]
    assert penetapan["verdict"] == "stricter"
    assert {d["dimension"]: d["verdict"] for d in penetapan["dimensions"]}["sanction"] == "stricter"
    # Tegal reports the SKM every year; Sanggau reports each survey, with no period: not ordered.
    reporting = {d["dimension"]: d["verdict"] for d in verdicts["skm.laporan"]["dimensions"]}
    assert reporting["period"] == "not_comparable" and reporting["sanction"] == "stricter"
    markdown = render_difference(forward, "md")
    for entry in forward["topics"]:
        for item in entry["a"] + entry["b"]:
            assert f"**{item['citation']}**" in markdown
    assert "Hanya diatur Perbup Sanggau 33/2019" in markdown
    assert "<h1>" in render_difference(forward, "html")


def test_the_command_line(tmp_path):
    result = _run("compare", "-o", str(tmp_path / "matrix.html"))
    assert result.returncode == 0, result.stderr
    assert "<table class=\"matrix\">" in (tmp_path / "matrix.html").read_text(encoding="utf-8")
    result = _run("compare", "tegal", "madiun", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schema"] == "patuh-compare-difference/1"
    result = _run("compare", "tegal", "madiun", "--matrix", "--format", "json")
    assert len(json.loads(result.stdout)["regulations"]) == 2
    result = _run("compare", "tegal", "bogor")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "bogor" in result.stderr


# --- The page in a real browser ----------------------------------------------------------------

def test_the_matrix_page_renders_every_column_in_a_headless_browser(tmp_path, matrix):
    executable, sync_api = chromium_or_skip()
    page_file = tmp_path / "matrix.html"
    page_file.write_text(render_matrix(matrix, "html"), encoding="utf-8")
    screenshot = tmp_path / "matrix.png"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(page_file.as_uri())
            headers = page.query_selector_all("table.matrix thead th")
            assert [header.inner_text().splitlines()[0] for header in headers[1:]] == \
                [regulation["short_name"] for regulation in matrix["regulations"]]
            for header in headers:
                box = header.bounding_box()
                assert box is not None and box["width"] > 150, header.inner_text()
                assert box["x"] >= 0 and box["x"] + box["width"] <= 1366 and box["y"] + box["height"] <= 900, header.inner_text()
            # No horizontal scrolling: the analyst sees every regulation side by side.
            assert page.evaluate("document.documentElement.scrollWidth") <= 1366
            cells = page.query_selector_all('tr[data-row="pengaduan.tenggat"] td')
            assert len(cells) == len(matrix["regulations"])
            assert "60 hari kerja" in cells[2].inner_text()
            page.screenshot(path=str(screenshot))
            # The chart above the table is as wide as the page allows, and no wider.
            chart = page.locator("#chart-rules").bounding_box()
            assert chart is not None and 600 <= chart["width"] <= 1366
            # On a phone the page does not scroll sideways either: the table's columns narrow and the
            # chart scrolls inside its own box.
            by_id = {regulation.regulation.id: regulation for regulation in resolve_rulesets([], None)[0]}
            difference_file = tmp_path / "difference.html"
            difference_file.write_text(render_difference(build_difference(by_id["tegal-perbup-63-2023"], by_id["sanggau-perbup-33-2019"]), "html"),
                                       encoding="utf-8")
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            for file in (page_file, difference_file):
                phone.goto(file.as_uri())
                assert phone.evaluate("document.documentElement.scrollWidth") <= 390, file.name
            phone.goto(page_file.as_uri())
            assert phone.locator("#rules-chart").bounding_box()["width"] <= 390
            phone.screenshot(path=str(tmp_path / "matrix-390.png"))
        finally:
            browser.close()
    assert screenshot.stat().st_size > 20_000


def test_the_short_title_is_read_from_the_regulation_metadata(matrix):
    from patuh.load.regulation_text import short_title
    assert [regulation["short_name"] for regulation in matrix["regulations"]] == [
        "Perbup Madiun 63/2018", "Perwali Metro 19/2018", "Perbup Sanggau 33/2019", "Perbup Tegal 63/2023"]
    assert short_title({"type": "Peraturan Gubernur", "region": "Provinsi Jawa Barat", "number": 7, "year": 2020}) == \
        "Pergub Provinsi Jawa Barat 7/2020"
    assert short_title({"type": "Keputusan Bupati", "region": "Kabupaten Bogor", "number": 1, "year": 2021}) == \
        "Keputusan Bupati Bogor 1/2021", "a type with no usual abbreviation is written out"
    assert short_title({"id": "contoh", "type": "Peraturan Bupati", "short_title": "Perbup Contoh (perubahan)"}) == "Perbup Contoh (perubahan)"
    assert short_title({"id": "contoh", "year": 2024}) == "2024" and short_title({"id": "contoh"}) == "contoh"


def _visible(page: str) -> str:
    return html_text.unescape(re.sub(r"<[^>]+>", " ", page.split("<body>", 1)[1]))


def test_the_matrix_page_draws_rules_per_topic_and_names_regulations_by_short_title(matrix):
    page = render_matrix(matrix, "html")
    chart = re.search(r'<svg class="chart" id="chart-rules".*?</svg>', page, flags=re.S).group(0)
    assert 'role="img"' in chart and 'aria-label="Jumlah aturan per topik dan peraturan"' in chart
    groups: dict[str, list[int]] = {}
    for row in matrix["rows"]:
        counts = groups.setdefault(row["group_label"], [0] * len(matrix["regulations"]))
        for index, cell in enumerate(row["cells"]):
            counts[index] += len(cell["provisions"]) + len(cell["sanction_clauses"])
    description = html_text.unescape(re.search(r"<desc [^>]*>(.*?)</desc>", chart).group(1))
    for group, counts in groups.items():
        expected = ", ".join(f"{regulation['short_name']} {count} aturan" for regulation, count in zip(matrix["regulations"], counts))
        assert f"{group}: {expected}" in description
    # Every rule of every regulation is counted somewhere in the chart.
    for index, regulation in enumerate(matrix["regulations"]):
        clauses = sum(len(row["cells"][index]["sanction_clauses"]) for row in matrix["rows"])
        assert sum(counts[index] for counts in groups.values()) == regulation["rules"] + clauses
    text = _visible(page)
    for regulation in matrix["regulations"]:
        assert regulation["id"] not in text and regulation["short_name"] in text


def test_the_difference_page_shows_topic_names_not_topic_codes(rulesets):
    by_id = {ruleset.regulation.id: ruleset for ruleset in rulesets}
    difference = build_difference(by_id["tegal-perbup-63-2023"], by_id["madiun-perbup-63-2018"])
    page, markdown = render_difference(difference, "html"), render_difference(difference, "md")
    text = _visible(page)
    for entry in difference["topics"]:
        assert f'data-topic="{entry["topic"]}"' in page and entry["topic"] not in text
        assert f"`{entry['topic']}`" not in markdown
        assert html_text.escape(entry["row_label"]) in page
    assert "Perbup Tegal 63/2023 — Perbup Madiun 63/2018" in text
