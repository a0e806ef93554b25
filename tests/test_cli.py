"""The command line as a user runs it, starting with the README's own audit command."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PATUH = shutil.which("patuh")


def _run(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    command = [PATUH] if PATUH else [sys.executable, "-m", "patuh.cli"]
    return subprocess.run(command + list(arguments), cwd=cwd, capture_output=True, text=True, timeout=300)


def _readme_audit_command() -> list[str]:
    match = re.search(r"^\s+python3 -m pip install \. && (patuh audit .+)$", README, re.MULTILINE)
    assert match, "the README lost its audit command"
    return shlex.split(match.group(1))[1:]


def test_the_readme_audit_command_works():
    result = _run(*_readme_audit_command())
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert "Kondisi" in result.stdout and "Kriteria" in result.stdout and "Rekomendasi" in result.stdout
    assert "Pasal 4 ayat (6)" in result.stdout


def test_json_report_is_byte_identical_and_carries_the_documented_keys(tmp_path):
    arguments = _readme_audit_command()
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for output in (first, second):
        result = _run(*arguments, "--format", "json", "-o", str(output))
        assert result.returncode in (0, 2), result.stderr
    assert first.read_bytes() == second.read_bytes()
    report = json.loads(first.read_text(encoding="utf-8"))
    assert report["ruleset"]["version"] and len(report["ruleset"]["sha256"]) == 64
    assert len(report["facts"]["sha256"]) == 64
    for finding in report["findings"]:
        for key in ("rule_id", "citation", "status", "title", "evidence", "missing_facts", "sanctions"):
            assert key in finding
        for sanction in finding["sanctions"]:
            assert {"party", "measures", "basis"} <= set(sanction)
    statuses = [f["status"] for f in report["findings"]]
    order = ["violation", "unknown", "pending", "comply", "not_applicable"]
    assert statuses == sorted(statuses, key=order.index)
    assert sum(report["summary"]["counts"].values()) == len(statuses)


def test_exit_code_says_whether_violations_were_found(tmp_path):
    arguments = _readme_audit_command()
    result = _run(*arguments, "--format", "json")
    violations = json.loads(result.stdout)["summary"]["counts"]["violation"]
    assert result.returncode == (2 if violations else 0)


def test_html_report_in_english(tmp_path):
    output = tmp_path / "report.html"
    result = _run(*_readme_audit_command(), "--format", "html", "--lang", "en", "-o", str(output))
    assert result.returncode in (0, 2), result.stderr
    page = output.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") or page.lower().startswith("<!doctype html>")
    assert '<html lang="en"' in page and "Recommendation" in page


def test_rules_commands():
    listing = _run("rules", "list")
    assert listing.returncode == 0 and "tegal.pasal-4-ayat-6\tPasal 4 ayat (6)" in listing.stdout
    shown = _run("rules", "show", "tegal.pasal-4-ayat-6")
    assert shown.returncode == 0 and "citation: Pasal 4 ayat (6)" in shown.stdout
    coverage = _run("rules", "coverage", "tegal-perbup-63-2023")
    assert coverage.returncode == 0 and "covered" in coverage.stdout and "not auditable" in coverage.stdout
    missing = _run("rules", "show", "tegal.no-such-rule")
    assert missing.returncode == 1 and "no rule with id" in missing.stderr


def test_a_short_regulation_name_works_like_the_id():
    arguments = _readme_audit_command()
    position = arguments.index("--regulation") + 1
    by_id = _run(*arguments, "--format", "json")
    arguments[position] = "Tegal"
    by_alias = _run(*arguments, "--format", "json")
    assert by_alias.returncode == by_id.returncode and by_alias.stdout == by_id.stdout


def test_the_number_metro_disputes_is_accepted_with_a_warning():
    listed = _run("rules", "list", "--regulation", "metro-perwali-15-2018")
    assert listed.returncode == 0
    assert "warning:" in listed.stderr and "metro-perwali-19-2018" in listed.stderr
    assert listed.stdout.startswith("# metro-perwali-19-2018 ")


def test_calendar_commands_for_an_inspector():
    added = _run("calendar", "add-workdays", "2024-12-23", "3")
    assert added.returncode == 0 and added.stdout.startswith("2024-12-30 (Monday)")
    assert "2024-12-26: Cuti Bersama" in added.stdout
    local = _run("calendar", "add-workdays", "2024-12-23", "3", "--day-off", "2024-12-24")
    assert local.stdout.startswith("2024-12-31")
    between = _run("calendar", "between", "2024-04-05", "2024-04-22")
    assert between.returncode == 0 and between.stdout.startswith("5 working days")
    reversed_order = _run("calendar", "between", "2024-04-22", "2024-04-05")
    assert reversed_order.returncode == 0 and "-5" not in reversed_order.stdout
    assert reversed_order.stdout.splitlines()[:2] == [
        "note: the dates are in reverse order (2024-04-22 is after 2024-04-05); counted from the earlier one",
        "5 working days after 2024-04-05 up to and including 2024-04-22"]
    refused = _run("calendar", "between", "2070-01-01", "2070-02-01")
    assert refused.returncode == 1 and "1946-2050" in refused.stderr and "Traceback" not in refused.stderr
