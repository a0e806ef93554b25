"""One function chooses the rule set (rulesets/select.py), and the library returns its warnings instead of printing them."""

from __future__ import annotations

import contextlib
import io
from datetime import date
from pathlib import Path

import pytest

from patuh.audit.pipeline import audit_file
from patuh.load.data_paths import data_directory
from patuh.rulesets.select import NotInForce, select_ruleset

TEGAL = "tegal-perbup-63-2023"
CONTOH = "contoh-perbup-1-2024"


def test_a_short_name_chooses_the_same_rule_set_as_the_id():
    by_short_name, warnings = select_ruleset("tegal", as_of=date(2024, 12, 31))
    by_id, _ = select_ruleset(TEGAL, as_of=date(2024, 12, 31))
    assert by_short_name is by_id and by_short_name.regulation.id == TEGAL
    assert warnings == []


def test_the_date_chooses_the_version_in_force_and_no_date_the_newest(monkeypatch):
    # The bundled rule sets have one version each (no regulation text has changed); the chain
    # v1 -> v2 -> v3 of tests/fixtures/versions/ stands in for a regulation that was amended.
    from patuh.load import regulation_text
    from patuh.rulesets import load as rule_files, select

    fixture = Path(__file__).parent / "fixtures" / "versions"
    monkeypatch.setattr(rule_files, "rules_directory", lambda: fixture / "rules")
    monkeypatch.setattr(regulation_text, "REGULATIONS_DIR", fixture / "regulations")
    rule_files.load_ruleset.cache_clear()
    select.forget_choices()
    try:
        assert select_ruleset(CONTOH, as_of=date(2025, 6, 30))[0].version == "v1"
        assert select_ruleset(CONTOH, as_of=date(2025, 7, 1))[0].version == "v2"
        assert select_ruleset(CONTOH)[0].version == "v3"
        assert select_ruleset(CONTOH, version="v1")[0].version == "v1"
        with pytest.raises(NotInForce, match="no rule-set version 'v9'"):
            select_ruleset(CONTOH, version="v9")
    finally:
        rule_files.load_ruleset.cache_clear()
        select.forget_choices()


def test_a_date_before_the_regulation_took_effect_is_refused_and_tegal_has_one_version():
    assert select_ruleset(TEGAL, as_of=date(2025, 7, 1))[0].version == "v1"
    with pytest.raises(NotInForce, match="in force from 2023-10-30"):
        select_ruleset(TEGAL, as_of=date(2020, 1, 1))


def test_the_region_chooses_its_regulation():
    assert select_ruleset(region="Kota Metro", as_of=date(2024, 12, 31))[0].regulation.id == "metro-perwali-19-2018"
    assert select_ruleset(region=" kabupaten tegal ", as_of=date(2024, 12, 31))[0].regulation.id == TEGAL
    with pytest.raises(NotInForce, match="no encoded regulation for the region 'Kota Atlantis'"):
        select_ruleset(region="Kota Atlantis", as_of=date(2024, 12, 31))


def test_a_disputed_short_name_comes_back_as_a_warning():
    ruleset, warnings = select_ruleset("metro-perwali-15-2018")
    assert ruleset.regulation.id == "metro-perwali-19-2018"
    assert len(warnings) == 1 and "metro-perwali-19-2018" in warnings[0]


def test_the_library_prints_nothing_and_returns_the_warning():
    metro_unit = data_directory("facts") / "examples" / "metro-disdukcapil.yaml"
    output, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(errors):
        result = audit_file(metro_unit, "tegal", date(2024, 12, 31), judge="oracle")
    assert output.getvalue() == "" and errors.getvalue() == ""
    assert len(result.warnings) == 1
    assert "Kota Metro" in result.warnings[0] and TEGAL in result.warnings[0] and "binds only units there" in result.warnings[0]
    assert not result.warnings[0].startswith("warning:")
