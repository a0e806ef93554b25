"""`patuh batch`: every example unit audited in one run, plus files that cannot be audited."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from browser_support import chromium_or_skip

from patuh.audit.pipeline import audit_file
from patuh.batch.discover import facts_files, report_names
from patuh.batch.summary import CSV_COLUMNS, dashboard_charts, dashboard_labels
from patuh.documents.compare import load_topics
from patuh.load.regulation_text import load_regulation, short_title
from patuh.cli import main
from patuh.load.data_paths import data_directory
from patuh.documents.audit_report import render

AS_OF = date(2024, 12, 31)
EXAMPLES = sorted((data_directory("facts") / "examples").glob("*.yaml"))
REGULATION_OF_REGION = {
    "Kabupaten Tegal": "tegal-perbup-63-2023", "Kabupaten Sanggau": "sanggau-perbup-33-2019",
    "Kabupaten Madiun": "madiun-perbup-63-2018", "Kota Metro": "metro-perwali-19-2018",
}
BROKEN = "organisation:\n  name: Dinas Contoh\n  type: kantor_pos\n  region: Kabupaten Tegal\n"
ELSEWHERE = "organisation:\n  name: Dinas Contoh\n  type: perangkat_daerah\n  region: Kabupaten Antah Berantah\n"


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    """The examples plus a file failing validation and one from a region with no rules, audited on two workers."""
    units = tmp_path_factory.mktemp("units") / "examples"
    # The whole folder: a facts file may name a sheet beside it (SKM responses).
    shutil.copytree(EXAMPLES[0].parent, units)
    (units / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (units / "elsewhere.yaml").write_text(ELSEWHERE, encoding="utf-8")
    output = tmp_path_factory.mktemp("out")
    code = main(["batch", str(units), "--as-of", AS_OF.isoformat(), "-o", str(output), "--workers", "2",
                 "--format", "json,html"])
    return units, output, code


def test_the_exit_code_says_some_files_could_not_be_audited(batch_run):
    assert batch_run[2] == 1


def test_every_unit_report_matches_its_single_audit(batch_run):
    units, output, _ = batch_run
    for example in EXAMPLES:
        facts = units / example.name
        region = next(region for region in REGULATION_OF_REGION if f"region: {region}\n" in facts.read_text(encoding="utf-8"))
        single = render(audit_file(facts, REGULATION_OF_REGION[region], AS_OF).report, "json")
        assert (output / "reports" / f"{example.stem}.json").read_text(encoding="utf-8") == single
        assert (output / "reports" / f"{example.stem}.html").is_file()
    assert not (output / "reports" / "broken.json").exists()


def test_the_summary_lists_the_failed_files_with_their_errors(batch_run):
    units, output, _ = batch_run
    data = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    assert data["units_audited"] == len(EXAMPLES) and data["units_failed"] == 2
    failed = {Path(entry["facts_file"]).name: entry["errors"] for entry in data["failed"]}
    assert any("broken.yaml:3" in error and "organisation.type" in error and "kantor_pos" in error for error in failed["broken.yaml"])
    assert any("Kabupaten Antah Berantah" in error and "--regulation" in error for error in failed["elsewhere.yaml"])


def test_units_are_ranked_by_violations_and_counted_like_their_reports(batch_run):
    _, output, _ = batch_run
    data = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    violations = [unit["counts"]["violation"] for unit in data["units"]]
    assert violations == sorted(violations, reverse=True)
    for unit in data["units"]:
        report = json.loads((output / unit["reports"][0]).read_text(encoding="utf-8"))
        assert unit["counts"] == report["summary"]["counts"]
        judged = report["summary"]["counts"]["comply"] + report["summary"]["counts"]["violation"]
        assert unit["compliance_percent"] == round(100 * report["summary"]["counts"]["comply"] / judged, 1)
    totals = {status: sum(unit["counts"][status] for unit in data["units"]) for status in data["status_totals"]}
    assert totals == data["status_totals"]
    assert sum(topic["violation"] for topic in data["topics"]) == data["status_totals"]["violation"]


def test_most_frequent_violations_and_blocking_unknowns_are_counted_per_unit(batch_run):
    _, output, _ = batch_run
    data = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    reports = [json.loads((output / unit["reports"][0]).read_text(encoding="utf-8")) for unit in data["units"]]
    top = data["most_frequent_violations"][0]
    assert top["units"] == sum(1 for report in reports if top["rule_id"] in report["summary"]["violations"])
    assert top["units"] == max(entry["units"] for entry in data["most_frequent_violations"])
    blocking = data["blocking_unknowns"][0]
    holding = sum(1 for report in reports if any(
        blocking["fact"] == re.sub(r"\[\d+\]", "[]", path)
        for finding in report["findings"] if finding["status"] == "unknown" for path in finding["missing_facts"]))
    assert blocking["units"] == holding > 0


def test_the_csv_has_one_row_per_file_with_the_documented_columns(batch_run):
    _, output, _ = batch_run
    with (output / "summary.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert len(rows) == len(EXAMPLES) + 2
    assert [row["rank"] for row in rows[:len(EXAMPLES)]] == [str(rank) for rank in range(1, len(EXAMPLES) + 1)]
    broken = next(row for row in rows if row["facts_file"].endswith("broken.yaml"))
    assert "kantor_pos" in broken["error"] and broken["violation"] == ""


def test_the_dashboard_shows_units_topics_violations_unknowns_and_failures(batch_run):
    _, output, _ = batch_run
    page = (output / "dashboard.html").read_text(encoding="utf-8")
    data = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    for unit in data["units"]:
        assert html.escape(unit["unit"]) in page
        assert f'href="{unit["reports"][1]}"' in page
    first = data["most_frequent_violations"][0]
    assert html.escape(first["title"]) in page and html.escape(first["citation"]) in page
    assert html.escape(data["blocking_unknowns"][0]["fact"]) in page
    assert "broken.yaml" in page and "kantor_pos" in page


def _visible_text(page: str) -> str:
    """What a reader sees: the body without tags, attributes, or the charts' drawing."""
    body = page.split("<body>", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_dashboard_names_topics_and_regulations_in_words(batch_run):
    _, output, _ = batch_run
    page = (output / "dashboard.html").read_text(encoding="utf-8")
    data = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    topics = load_topics()
    groups = list(dict.fromkeys(row.group for row in topics))
    labels = {row.group: row.group_label["id"] for row in topics}
    # Topics are the comparison's groups (rules/topics.yaml), in its order, named in the batch's language.
    assert [topic["topic"] for topic in data["topics"]] == [group for group in groups if group in {t["topic"] for t in data["topics"]}]
    assert {"standar_pelayanan", "pembinaan", "pengaduan"} <= {topic["topic"] for topic in data["topics"]}
    for topic in data["topics"]:
        assert topic["label"] == labels[topic["topic"]]
        assert f'<td data-label="Topik">{html.escape(topic["label"])}</td>' in page
    # The findings of every unit are all counted, under one group each.
    assert sum(topic["violation"] for topic in data["topics"]) == data["status_totals"]["violation"]
    text = _visible_text(page)
    # No code (standar_pelayanan, sarana_prasarana, perangkat_daerah) outside the two lists that
    # speak of the facts file as it is typed: its errors (quoting the file and the allowed words)
    # and the facts to collect (its field names).
    words = dashboard_labels("id")
    head, rest = text.split(words["failures"])
    _, rest = rest.split(words["ranking"])
    rest = rest.split(words["blocking"])[0]
    assert re.findall(r"\w+_\w+", head + rest) == []
    for regulation in REGULATION_OF_REGION.values():
        assert regulation not in text
        assert short_title(load_regulation(regulation).metadata) in text
    assert "Perbup Tegal 63/2023" in text and "Perwali Metro 19/2018" in text
    for entry in data["most_frequent_violations"]:
        assert entry["rule_id"] not in text


def test_the_dashboard_draws_compliance_per_topic_and_violations_per_unit(batch_run):
    _, output, _ = batch_run
    page = (output / "dashboard.html").read_text(encoding="utf-8")
    data = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    charts = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(charts) == 2 and all('role="img"' in chart and "<title id=" in chart and "<desc id=" in chart for chart in charts)
    topics, units = charts
    for topic in data["topics"]:
        if topic["compliance_percent"] is not None:
            assert f'{html.escape(topic["label"])}: {topic["compliance_percent"]:.1f}%'.replace(".", ",") in topics
    offenders = [unit for unit in data["units"] if unit["counts"]["violation"]]
    drawn = re.findall(r'<g class="bar"><title>(.*?): (\d+)</title>', units)
    assert [(html.unescape(name), int(count)) for name, count in drawn] == \
        [(unit["unit"], unit["counts"]["violation"]) for unit in offenders][:30]
    counts = [int(count) for _, count in drawn]
    assert counts == sorted(counts, reverse=True) and len(counts) == data["units_with_violations"], "the worst units first"
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_dashboard_with_no_judged_finding_says_so_instead_of_a_chart():
    head = {"language": "id", "topics": [], "units_with_violations": 0}
    labels = dashboard_labels("id")
    charts = dashboard_charts(head, [], labels, "id")
    assert charts["topics"] == f'<p class="chart-empty">{labels["chart_topics_empty"]}</p>'
    assert charts["units"] == f'<p class="chart-empty">{labels["chart_units_empty"]}</p>'


def test_one_worker_and_two_give_the_same_summary(batch_run, tmp_path):
    units, output, _ = batch_run
    assert main(["batch", str(units), "--as-of", AS_OF.isoformat(), "-o", str(tmp_path), "--workers", "1",
                 "--format", "json"]) == 1
    two = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    one = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    for unit in two["units"]:
        unit["reports"] = unit["reports"][:1]
    assert one == two


def test_without_failures_the_exit_code_says_violations_were_found(tmp_path, capsys):
    assert main(["batch", str(EXAMPLES[0]), str(EXAMPLES[1]), "--as-of", AS_OF.isoformat(), "-o", str(tmp_path)]) == 2
    assert "2 units audited" in capsys.readouterr().err


def test_a_glob_matching_nothing_is_refused(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "*.yaml"), "--as-of", AS_OF.isoformat(), "-o", str(tmp_path / "out")]) == 1
    assert "no facts files" in capsys.readouterr().err


def test_a_given_regulation_is_used_for_every_unit_and_a_region_mismatch_warned(tmp_path, capsys):
    tegal = [example for example in EXAMPLES if example.name.startswith("tegal-")][0]
    madiun = [example for example in EXAMPLES if example.name.startswith("madiun-")][0]
    main(["batch", str(tegal), str(madiun), "--regulation", "tegal", "--as-of", AS_OF.isoformat(), "-o", str(tmp_path)])
    data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert {unit["regulation"] for unit in data["units"]} == {"tegal-perbup-63-2023"}
    assert [Path(entry["facts_file"]).name for entry in data["warnings"]] == [madiun.name]
    assert "binds only units there" in capsys.readouterr().err


def test_files_found_by_folder_and_glob_and_same_names_kept_apart(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "unit.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "a" / "notes.txt").write_text("not facts", encoding="utf-8")
    assert facts_files([str(tmp_path / "a")]) == [tmp_path / "a" / "unit.yaml"]
    found = facts_files([str(tmp_path / "**" / "*.yaml")])
    assert found == [tmp_path / "a" / "unit.yaml", tmp_path / "b" / "unit.yaml"]
    assert report_names(found) == ["a-unit", "b-unit"]


def test_a_worker_that_dies_is_reported_not_waited_for(tmp_path, monkeypatch):
    """A crash inside a worker (durable-rules is C) loses its units; the batch says which and ends."""
    import os

    import patuh.batch.pool as pool
    import patuh.batch.run as batch

    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("the crash is injected through a forked worker")
    audit = pool.audit_unit

    def crashing(facts_file, name, options):
        if facts_file.name == "crash.yaml":
            os._exit(70)
        return audit(facts_file, name, options)

    monkeypatch.setattr(pool, "audit_unit", crashing)  # inherited by the forked workers
    files = EXAMPLES[:3] + [tmp_path / "crash.yaml"]
    (tmp_path / "crash.yaml").write_text(BROKEN, encoding="utf-8")
    result = batch.run_batch(files, batch.BatchOptions(as_of=AS_OF, output=tmp_path / "out", formats=("json",)),
                             workers=2, progress=False)
    assert result.exit_code == 1
    assert result.audited + result.failed == len(files)
    lost = {Path(unit.facts_file).name: unit.errors[0] for unit in result.failures}
    assert "a worker process died" in lost["crash.yaml"]


def test_nothing_but_the_reports_and_summaries_is_left_behind(batch_run):
    _, output, _ = batch_run
    assert sorted(path.name for path in output.iterdir()) == ["dashboard.html", "reports", "summary.csv", "summary.json"]
    assert not [path for path in (output / "reports").iterdir() if path.name.startswith(".")]


def test_a_rerun_leaves_no_report_of_a_unit_that_now_fails(tmp_path):
    unit = tmp_path / "units" / "unit.yaml"
    unit.parent.mkdir()
    shutil.copy(EXAMPLES[0], unit)
    output = tmp_path / "out"
    assert main(["batch", str(unit), "--as-of", AS_OF.isoformat(), "-o", str(output), "--format", "json,html"]) == 2
    assert (output / "reports" / "unit.json").exists() and (output / "reports" / "unit.html").exists()
    unit.write_text(BROKEN, encoding="utf-8")
    assert main(["batch", str(unit), "--as-of", AS_OF.isoformat(), "-o", str(output), "--format", "json"]) == 1
    assert list((output / "reports").iterdir()) == []
    summary = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    assert summary["units_failed"] == 1


def test_an_unforeseen_failure_of_one_unit_is_listed_and_the_others_are_audited(tmp_path, monkeypatch):
    import patuh.batch.unit as batch

    original = batch.facts_from_document

    def failing(document, *arguments, **keywords):
        if "Tegal" in str(document.data.get("organisation", {}).get("region")):
            raise KeyError("a failure nobody foresaw")
        return original(document, *arguments, **keywords)

    monkeypatch.setattr(batch, "facts_from_document", failing)
    output = tmp_path / "out"
    tegal = next(file for file in EXAMPLES if file.name.startswith("tegal-"))
    madiun = next(file for file in EXAMPLES if file.name.startswith("madiun-"))
    assert main(["batch", str(tegal), str(madiun), "--as-of", AS_OF.isoformat(), "-o", str(output), "--workers", "1"]) == 1
    summary = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    assert summary["units_failed"] == 1 and summary["units_audited"] == 1
    assert "a failure nobody foresaw" in (output / "summary.csv").read_text(encoding="utf-8")


# --- The page in a real browser ----------------------------------------------------------------

def test_the_dashboard_reads_on_a_laptop_and_a_phone_in_a_headless_browser(batch_run, tmp_path):
    executable, sync_api = chromium_or_skip()
    _, output, _ = batch_run
    data = json.loads((output / "summary.json").read_text(encoding="utf-8"))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            for width in (1366, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto((output / "dashboard.html").as_uri())
                # No sideways scrolling of the page, on a laptop or a phone.
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                for chart_id in ("chart-topics", "chart-units"):
                    box = page.locator(f"#{chart_id}").bounding_box()
                    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
                    assert box["width"] > 0.8 * min(width, 500) - 40, (chart_id, width, box)  # drawn wide enough to read
                # The charts' labels are laid out as text the browser measures: none runs past its drawing.
                overflowing = page.evaluate("""() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
                    const frame = svg.getBoundingClientRect();
                    return [...svg.querySelectorAll('text')].filter(text => text.getBoundingClientRect().right > frame.right + 1)
                        .map(text => text.textContent); })""")
                assert overflowing == []
                topics = page.locator("#topics-chart svg text:not(.number)").all_text_contents()
                assert topics == [topic["label"] for topic in data["topics"]]
                ranking = page.locator("#units + table tr").nth(1)
                assert ranking.is_visible() and data["units"][0]["unit"] in ranking.inner_text()
                page.screenshot(path=str(tmp_path / f"dashboard-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()
    assert (tmp_path / "dashboard-1366.png").stat().st_size > 20_000 and (tmp_path / "dashboard-390.png").stat().st_size > 20_000
