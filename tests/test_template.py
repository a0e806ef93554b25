"""`patuh template`: a facts file to fill in holds every fact the rules read, with what to enter,
an example and the articles depending on it; filled from a bundled example it audits to the
example's own findings."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from patuh.audit.pipeline import audit_file
from patuh.documents.template import fact_uses, facts_template, fill_template, template_paths
from patuh.load.facts import FactsError, load_facts
from patuh.rulesets.select import list_rule_regulations, ruleset_in_force
from patuh.load.source_yaml import load_source

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "facts" / "examples").glob("*.yaml"))
AS_OF = date(2024, 12, 31)
PATUH = shutil.which("patuh")


def _regulation_of(example: Path) -> str:
    region = load_source(example, "facts").data["organisation"]["region"].lower()
    for regulation_id in list_rule_regulations():
        if regulation_id.split("-")[0] in region:
            return regulation_id
    raise AssertionError(f"{example.name}: no regulation for {region}")


def _findings(facts_file: Path, regulation_id: str) -> dict:
    with contextlib.redirect_stderr(io.StringIO()):
        result = audit_file(facts_file, regulation_id, AS_OF, judge="oracle")
    return {finding.rule_id: finding for finding in result.findings}


def _covers(wider: list[str], narrower: list[str]) -> bool:
    """Every path of `narrower` is one of `wider` or lies below one."""
    return all(any(path == top or path.startswith(top + ".") for top in wider) for path in narrower)


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.stem for example in EXAMPLES])
def test_a_template_filled_from_an_example_audits_to_the_examples_findings(example, tmp_path):
    regulation_id = _regulation_of(example)
    template = facts_template(ruleset_in_force(regulation_id, AS_OF))
    for sheet in example.parent.iterdir():
        if sheet.is_file() and sheet.suffix != ".yaml":  # survey response sheets, named relative to the facts file
            shutil.copy(sheet, tmp_path / sheet.name)
    filled = tmp_path / "filled.yaml"
    filled.write_text(fill_template(template, load_source(example, "facts").data), encoding="utf-8")
    expected, actual = _findings(example, regulation_id), _findings(filled, regulation_id)
    assert list(actual) == list(expected)
    for rule_id, finding in expected.items():
        other = actual[rule_id]
        assert other.status == finding.status, rule_id
        assert [(s.key, s.status, s.due, s.reason) for s in other.subjects] == \
            [(s.key, s.status, s.due, s.reason) for s in finding.subjects], rule_id
        # A block left with `~` fields reads as the missing block; the audit may only name the
        # missing facts more precisely (information_services.online_channels for information_services).
        assert _covers(finding.missing_facts, other.missing_facts), (rule_id, finding.missing_facts, other.missing_facts)
        assert all(any(path == top or path.startswith(top + ".") for path in other.missing_facts) for top in finding.missing_facts), \
            (rule_id, finding.missing_facts, other.missing_facts)
        assert [s.measures for s in other.sanctions] == [s.measures for s in finding.sanctions], rule_id


@pytest.mark.parametrize("regulation_id", list_rule_regulations())
def test_the_template_names_every_fact_the_rules_read_with_its_articles(regulation_id):
    ruleset = ruleset_in_force(regulation_id, AS_OF)
    text = facts_template(ruleset)
    filled_paths = {path for path, _ in template_paths(text)}
    for path, uses in fact_uses(ruleset).items():
        segments = path.split(".")
        holder = next((".".join(segments[:end]) for end in range(len(segments), 0, -1) if ".".join(segments[:end]) in filled_paths), None)
        is_block = any(filled.startswith(path + ".") for filled in filled_paths)  # a block written out field by field
        assert holder is not None or is_block, f"{path} has no place to fill in"
        assert f"{segments[-1]}:" in text, f"{path} is not shown"
        for use in uses:
            assert use.citation in text, f"{use.citation} ({use.rule_id}) is not named"
    # Every field to fill in is explained right above it: what, and an example or its shape.
    lines = text.splitlines()
    for _, index in template_paths(text):
        above = lines[max(0, index - 2):index]
        assert all(line.lstrip().startswith("#") for line in above), lines[index]
    # Facts no rule of this regulation reads are left out (Tegal reads no cooperation agreement).
    if regulation_id == "tegal-perbup-63-2023":
        assert "cooperation_agreements" not in text and "channel_checks" not in text
    if regulation_id == "sanggau-perbup-33-2019":
        assert "cooperation_agreements: ~" in text


def test_the_template_is_valid_yaml_and_an_unfilled_one_is_refused_clearly(tmp_path):
    text = facts_template(ruleset_in_force("tegal-perbup-63-2023", AS_OF), "en")
    data = yaml.safe_load(text)
    assert data["organisation"]["name"] is None and data["service_types"] is None
    assert "Used by: Pasal 4 ayat (1)" in text and "Example: name:" in text
    unfilled = tmp_path / "unfilled.yaml"
    unfilled.write_text(text, encoding="utf-8")
    with pytest.raises(FactsError) as error:
        load_facts(unfilled, AS_OF)
    assert any("organisation.name" in str(problem) for problem in error.value.problems)
    # The organisation alone makes it a valid facts file: everything else is "not known".
    minimal = text.replace("  name: ~", "  name: Dinas Contoh").replace("  type: ~", "  type: perangkat_daerah") \
        .replace("  region: ~", "  region: Kabupaten Tegal")
    unfilled.write_text(minimal, encoding="utf-8")
    findings = _findings(unfilled, "tegal-perbup-63-2023")
    assert {finding.status for finding in findings.values()} <= {"unknown", "not_applicable", "pending"}


def test_the_command_writes_a_template(tmp_path):
    command = [PATUH] if PATUH else [sys.executable, "-m", "patuh.cli"]
    output = tmp_path / "madiun.yaml"
    result = subprocess.run(command + ["template", "--regulation", "madiun", "--lang", "en", "-o", str(output)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Lampiran IV huruf A angka 3 huruf c" in output.read_text(encoding="utf-8")
    result = subprocess.run(command + ["template", "--regulation", "bogor"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
