"""`patuh audit FACTS --regulation all`: one unit under every regulation, each audited exactly
as a single audit would, laid side by side with a verdict and the reasons."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from patuh.audit.pipeline import audit_file
from patuh.rulesets.select import list_rule_regulations
from patuh.documents.side_by_side import audit_under_all, render_side_by_side

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "facts" / "examples" / "tegal-klinik-swasta.yaml"
AS_OF = date(2024, 12, 31)
PATUH = shutil.which("patuh")


def _run(*arguments: str) -> subprocess.CompletedProcess:
    command = [PATUH] if PATUH else [sys.executable, "-m", "patuh.cli"]
    return subprocess.run(command + list(arguments), cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_each_column_is_the_single_audit_of_that_regulation():
    document, notes = audit_under_all(EXAMPLE, AS_OF, judge="oracle")
    assert [column["id"] for column in document["regulations"]] == list_rule_regulations()
    for column in document["regulations"]:
        with contextlib.redirect_stderr(io.StringIO()):
            single = audit_file(EXAMPLE, column["id"], AS_OF, judge="oracle").report
        assert column["state"] == "audited"
        assert column["counts"] == single["summary"]["counts"]
        assert [violation["rule_id"] for violation in column["violations"]] == single["summary"]["violations"]
        expected = "fail" if single["summary"]["counts"]["violation"] else ("undetermined" if single["summary"]["counts"]["unknown"] else "pass")
        assert column["verdict"] == expected
        assert column["binds_unit"] == (column["id"] == "tegal-perbup-63-2023")
        # Every finding of the single audit sits in exactly one topic row of its column.
        placed = [finding["rule_id"] for row in document["rows"] for cell in row["cells"] if cell["regulation"] == column["id"]
                  for finding in cell["findings"]]
        assert sorted(placed) == sorted(finding["rule_id"] for finding in single["findings"])
    # The three region warnings become one note naming the regulations that do not bind the unit.
    assert len(notes) == 1 and "madiun-perbup-63-2018, metro-perwali-19-2018, sanggau-perbup-33-2019" in notes[0]


def test_a_regulation_not_yet_in_force_gets_a_column_saying_so(tmp_path):
    facts = tmp_path / "unit.yaml"
    facts.write_text("organisation: {name: Dinas Contoh, type: perangkat_daerah, region: Kota Metro}\n", encoding="utf-8")
    document, _ = audit_under_all(facts, date(2019, 1, 1), judge="oracle")
    states = {column["id"]: column["state"] for column in document["regulations"]}
    assert states == {"madiun-perbup-63-2018": "audited", "metro-perwali-19-2018": "audited",
                      "sanggau-perbup-33-2019": "not_in_force", "tegal-perbup-63-2023": "not_in_force"}
    metro = next(column for column in document["regulations"] if column["id"] == "metro-perwali-19-2018")
    assert metro["binds_unit"] and metro["verdict"] == "undetermined" and metro["counts"]["violation"] == 0
    markdown = render_side_by_side(document, "md")
    assert "tidak berlaku pada tanggal ini" in markdown and "2019-10-25" in markdown


def test_the_views_say_why_a_unit_fails():
    document, _ = audit_under_all(EXAMPLE, AS_OF, language="en", judge="oracle")
    markdown = render_side_by_side(document, "md")
    html = render_side_by_side(document, "html")
    tegal = next(column for column in document["regulations"] if column["id"] == "tegal-perbup-63-2023")
    for violation in tegal["violations"]:
        assert violation["citation"] in markdown and violation["rule_id"] in html
    assert "Violations under Perbup Tegal 63/2023" in markdown
    assert "fails (violations)" in html
    assert json.loads(render_side_by_side(document, "json")) == document


def test_the_command_line(tmp_path):
    output = tmp_path / "all.html"
    result = _run("audit", str(EXAMPLE), "--regulation", "all", "--as-of", "2024-12-31", "-o", str(output))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("binds only units") == 0 and result.stderr.count("audited for comparison") == 1
    assert "Perwali Metro 19/2018" in output.read_text(encoding="utf-8")
    refused = _run("audit", str(EXAMPLE), "--regulation", "all", "--as-of", "2024-12-31", "--previous", str(output))
    assert refused.returncode == 1 and "--previous" in refused.stderr


def test_a_column_where_nothing_was_met_is_not_a_pass():
    from patuh.documents.side_by_side import _verdict

    assert _verdict({"not_applicable": 3, "pending": 2}) == "undetermined"
    assert _verdict({"comply": 1, "not_applicable": 3}) == "pass"
    assert _verdict({"comply": 5, "unknown": 1}) == "undetermined"
    assert _verdict({"comply": 5, "violation": 1}) == "fail"
