"""A broken rule file is a load error naming the file and the rule, never a silent default."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from patuh.rulesets.load import RuleLoadError, load_ruleset, load_ruleset_folder, rules_directory
from patuh.rulesets.select import available_versions, list_rule_regulations

SOURCE = rules_directory() / "tegal-perbup-63-2023" / "v1"
RULE = "tegal.pasal-4-ayat-6"


@pytest.fixture
def ruleset_copy(tmp_path) -> Path:
    folder = tmp_path / "v1"
    shutil.copytree(SOURCE, folder)
    return folder


def _edit(folder: Path, change) -> Path:
    file = folder / f"{RULE}.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    change(data)
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return file


def _load_error(folder: Path) -> str:
    with pytest.raises(RuleLoadError) as error:
        load_ruleset_folder(folder)
    return str(error.value)


def test_the_shipped_rules_load():
    for regulation in list_rule_regulations():
        for version in available_versions(regulation):
            assert load_ruleset(regulation, version).rules


def test_unknown_fact_path(ruleset_copy):
    file = _edit(ruleset_copy, lambda d: d["inputs"]["electronic"].update(count="publikasi"))
    message = _load_error(ruleset_copy)
    assert str(file) in message and RULE in message and "`publikasi`" in message and "has no field" in message


def test_unknown_field_inside_where(ruleset_copy):
    _edit(ruleset_copy, lambda d: d["inputs"]["electronic"]["where"].update(mediumm="elektronik"))
    assert "mediumm" in _load_error(ruleset_copy)


@pytest.mark.parametrize("kind, spec, bad", [
    ("months_without", {"months_without": "publications", "month_field": "month_coverd"}, "month_coverd"),
    ("survey_recomputation", {"survey_recomputation": "events.skm[].responsez", "measure": "recomputed_ikm"}, "responsez"),
])
def test_a_mistyped_path_in_any_input_kind_is_a_load_error(ruleset_copy, kind, spec, bad):
    _edit(ruleset_copy, lambda d: d["inputs"].update(extra={"label": {"id": "x", "en": "x"}, **spec}))
    message = _load_error(ruleset_copy)
    assert RULE in message and f"inputs.extra" in message and bad in message


def test_a_deadline_must_be_the_limit_the_condition_judges(ruleset_copy):
    def change(d):
        d["inputs"]["span"] = {"label": {"id": "x", "en": "x"}, "working_days": {"from": "in_force", "to": "as_of"}, "deadline": 60}
        d["comply_when"] = {"all": [d["comply_when"], {"input": "span", "at_most": 14}]}
    _edit(ruleset_copy, change)
    assert "deadline 60 but the condition holds it to at most 14" in _load_error(ruleset_copy)


def test_duplicate_rule_id(ruleset_copy):
    shutil.copy(ruleset_copy / f"{RULE}.yaml", ruleset_copy / "zz-copy.yaml")
    message = _load_error(ruleset_copy)
    assert "zz-copy.yaml" in message and f"rule id {RULE} is already used" in message


def test_citation_that_does_not_resolve(ruleset_copy):
    file = _edit(ruleset_copy, lambda d: d.update(citation="Pasal 4 ayat (19)"))
    message = _load_error(ruleset_copy)
    assert str(file) in message and RULE in message and "Pasal 4 ayat (19)" in message


def test_quote_not_in_the_text(ruleset_copy):
    _edit(ruleset_copy, lambda d: d.update(quote="Organisasi Penyelenggara boleh tidak mempublikasikan Standar Pelayanan."))
    assert "the quote is not in the text of Pasal 4 ayat (6)" in _load_error(ruleset_copy)


def test_condition_on_an_undefined_input(ruleset_copy):
    _edit(ruleset_copy, lambda d: d.update(comply_when={"input": "elektronik", "at_least": 1}))
    assert "input `elektronik`" in _load_error(ruleset_copy)


def test_sanction_the_ruleset_does_not_list(ruleset_copy):
    _edit(ruleset_copy, lambda d: d.update(sanction="pasal-99"))
    assert "sanction `pasal-99`" in _load_error(ruleset_copy)


def test_schema_error_names_the_line(ruleset_copy):
    file = ruleset_copy / f"{RULE}.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("impact: high", "impact: enormous"), encoding="utf-8")
    message = _load_error(ruleset_copy)
    line = next(i for i, text in enumerate(file.read_text().splitlines(), 1) if text.startswith("impact:"))
    assert f"{file}:{line}" in message and "impact" in message


def test_rule_text_is_never_executed(ruleset_copy):
    # A YAML tag that would construct a Python object is refused by the safe loader.
    file = ruleset_copy / f"{RULE}.yaml"
    file.write_text("!!python/object/apply:os.system ['echo owned']\n", encoding="utf-8")
    assert "not valid YAML" in str(pytest.raises(Exception, load_ruleset_folder, ruleset_copy).value)


def test_diff_lists_added_removed_and_changed_rules(ruleset_copy, tmp_path):
    from patuh.rulesets.load import diff_rulesets

    _edit(ruleset_copy, lambda d: d.update(impact="low"))
    (ruleset_copy / "tegal.pasal-4-ayat-4.yaml").unlink()
    newer = load_ruleset_folder(ruleset_copy)
    lines = diff_rulesets(load_ruleset("tegal-perbup-63-2023", "v1"), newer)
    assert f"~ {RULE}: impact changed" in lines
    assert "- tegal.pasal-4-ayat-4 (Pasal 4 ayat (4)) removed" in lines
    assert diff_rulesets(newer, newer) == []


def test_tegal_has_one_reading_for_every_audit_date_and_the_report_says_which():
    # Issue 12, point 3: no regulation text changed in July 2025, so one rule set version
    # judges every audit date (the selection between versions is tested in test_versions.py).
    from datetime import date

    from patuh.audit.pipeline import audit_file
    from patuh.load.data_paths import data_directory
    from patuh.rulesets.select import ruleset_in_force

    assert available_versions("tegal-perbup-63-2023") == ["v1"]
    assert ruleset_in_force("tegal-perbup-63-2023", date(2025, 6, 30)).version == "v1"
    assert ruleset_in_force("tegal-perbup-63-2023", date(2025, 7, 1)).version == "v1"
    example = data_directory("facts") / "examples" / "tegal-disdukcapil.yaml"
    assert audit_file(example, "tegal", date(2025, 7, 1)).report["ruleset"]["version"] == "v1"
    assert audit_file(example, "tegal", date(2024, 12, 31)).report["ruleset"]["version"] == "v1"


def test_every_branch_of_a_compound_applicability_says_why_it_may_fail():
    """A not_applicable finding names the one reason that holds (issue 13): where applies_if
    joins several conditions with `all`, each carries its own `otherwise` reason."""
    from patuh.rulesets.model import AllOf
    from patuh.rulesets.select import available_versions, list_rule_regulations

    lacking = [rule.id for regulation in list_rule_regulations() for version in available_versions(regulation)
               for rule in load_ruleset(regulation, version).rules
               if isinstance(rule.applies_if, AllOf) and len(rule.applies_if.all) > 1
               and not all(branch.otherwise for branch in rule.applies_if.all)]
    assert not lacking, lacking
