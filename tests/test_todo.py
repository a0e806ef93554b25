"""`patuh todo`: the remediation plan orders violations by the weight of their sanction and by
when they fell due, lists what falls due next and the facts that would settle each unknown,
and groups everything by the office that must act."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from patuh.audit.pipeline import audit_file
from patuh.documents.remediation import build_plan, measure_weight, render_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "facts" / "examples"
AS_OF = date(2024, 12, 31)
PATUH = shutil.which("patuh")


def _plan(facts: Path, regulation: str = "tegal-perbup-63-2023", language: str = "id"):
    with contextlib.redirect_stderr(io.StringIO()):
        result = audit_file(facts, regulation, AS_OF, language=language, judge="oracle")
    return result, build_plan(result, language)


def _items(plan: dict, kind: str) -> list[dict]:
    return [item for office in plan["offices"] for item in office[kind]]


def test_measure_weights_follow_the_discipline_ladder():
    assert measure_weight("teguran tertulis") == 1
    assert measure_weight("sanksi moral permohonan maaf secara lisan") == 1
    assert measure_weight("penurunan gaji sebesar 1 (satu) kali kenaikan gaji berkala untuk paling lama 1 (satu) tahun") == 2
    assert measure_weight("penurunan pangkat pada pangkat yang setingkat lebih rendah untuk paling lama 1 (satu) tahun") == 3
    assert measure_weight("pembebasan dari jabatan") == 4
    assert measure_weight("pemberhentian dengan hormat tidak atas permintaan sendiri") == 5
    assert measure_weight("pembekuan misi dan/atau izin yang diterbitkan oleh Pemerintah Daerah") == 5
    assert measure_weight("sanksi yang belum dikenal") == 1  # never weighed as no sanction


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_open_finding_is_in_the_plan_once_in_order(example):
    regulation = {"tegal": "tegal-perbup-63-2023", "sanggau": "sanggau-perbup-33-2019", "madiun": "madiun-perbup-63-2018",
                  "metro": "metro-perwali-19-2018"}[example.stem.split("-")[0]]
    result, plan = _plan(example, regulation)
    for status, kind in (("violation", "violations"), ("pending", "pending"), ("unknown", "unknowns")):
        assert sorted(item["rule_id"] for item in _items(plan, kind)) == \
            sorted(finding.rule_id for finding in result.findings if finding.status == status)
    for office in plan["offices"]:
        weights = [(item["weight"], item["escalation_weight"]) for item in office["violations"]]
        assert weights == sorted(weights, reverse=True), office["office"]
        for first, second in zip(office["violations"], office["violations"][1:]):
            if (first["weight"], first["escalation_weight"]) == (second["weight"], second["escalation_weight"]):
                assert (first["due"] or plan["as_of"]) <= (second["due"] or plan["as_of"])
        dues = [item["due"] or "9999-12-31" for item in office["pending"]]
        assert dues == sorted(dues)
        for item in office["unknowns"]:
            for path in item["missing_facts"]:
                assert item["citation"] in next(fact["settles"] for fact in office["facts"] if fact["path"] == path)
    # A regulation without sanctions weighs nothing and leaves every duty with the unit itself.
    if regulation in ("madiun-perbup-63-2018", "metro-perwali-19-2018", "sanggau-perbup-33-2019"):
        assert {office["office"] for office in plan["offices"]} <= {"unit"}
        assert all(item["weight"] == 0 for item in _items(plan, "violations"))


def test_the_atasan_acts_where_the_regulation_addresses_the_sanction_to_him():
    result, plan = _plan(EXAMPLES / "tegal-klinik-swasta.yaml")
    offices = {office["office"]: office for office in plan["offices"]}
    assert offices["atasan_satuan_kerja"]["name"].endswith("dr. Rahmat Hidayat, Ketua Yayasan Bhakti Husada Tegal")
    assert [item["rule_id"] for item in offices["atasan_satuan_kerja"]["violations"]] == \
        ["tegal.pasal-5-ayat-4", "tegal.pasal-9-ayat-1", "tegal.pasal-9-ayat-4", "tegal.pasal-20-ayat-1"]  # removal from office (4) before demotion (3); Pasal 9 ayat (1) with its ayat (2)/(3) lists
    assert all(item["weight"] == 0 for item in offices["unit"]["violations"])  # Tegal lists no sanction for these
    assert offices["unit"]["name"].endswith("Klinik Pratama Bhakti Husada Slawi")


def test_a_time_conditional_sanction_is_the_escalation_ahead_until_it_applies(tmp_path):
    source = EXAMPLES / "tegal-perumda-air-minum.yaml"
    _, with_history = _plan(source)
    escalated = next(item for item in _items(with_history, "violations") if item["rule_id"] == "tegal.pasal-17-ayat-1-huruf-c")
    assert escalated["weight"] == 5 and escalated["escalation_weight"] == 0  # open more than 6 months: freezing applies
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data.pop("earlier_audits")
    fresh = tmp_path / "fresh.yaml"
    fresh.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _, first_time = _plan(fresh)
    item = next(item for item in _items(first_time, "violations") if item["rule_id"] == "tegal.pasal-17-ayat-1-huruf-c")
    assert item["weight"] == 2 and item["escalation_weight"] == 5  # pay cut now; freezing only after 6 months open
    assert [withheld["text"][:16] for withheld in item["sanctions"][0]["withheld"]] == ["pembebasan dari ", "pembekuan misi d"]
    atasan = next(office for office in first_time["offices"] if office["office"] == "atasan_satuan_kerja")
    order = [entry["rule_id"] for entry in atasan["violations"]]
    # Demotion now (Pasal 20 ayat (5), weight 3) comes before a pay cut now (weight 2) whatever may follow it.
    assert order.index("tegal.pasal-9-ayat-4") < order.index("tegal.pasal-20-ayat-1") < order.index("tegal.pasal-17-ayat-1-huruf-c")


def test_views_and_command_line(tmp_path):
    _, plan = _plan(EXAMPLES / "tegal-klinik-swasta.yaml", language="en")
    markdown = render_plan(plan, "md")
    assert "## Atasan Satuan Kerja Penyelenggara: dr. Rahmat Hidayat" in markdown
    # The unit gathers facts by what they are, not by their path in a facts file.
    from patuh.load.wording import fact_name
    assert "### Facts to gather" in markdown and fact_name("information_services", "en") in markdown
    assert "`information_services`" not in markdown
    assert json.loads(render_plan(plan, "json")) == plan
    command = [PATUH] if PATUH else [sys.executable, "-m", "patuh.cli"]
    output = tmp_path / "todo.html"
    result = subprocess.run(command + ["todo", str(EXAMPLES / "tegal-klinik-swasta.yaml"), "--regulation", "tegal",
                                       "--as-of", "2024-12-31", "-o", str(output)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 2, result.stderr
    assert "Pasal 9 ayat (4)" in output.read_text(encoding="utf-8")
    result = subprocess.run(command + ["todo", str(tmp_path / "missing.yaml"), "--regulation", "tegal", "--as-of", "2024-12-31"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 1 and "missing.yaml" in result.stderr and "Traceback" not in result.stderr
