"""Rule-set versions as deltas: a later version states only what changed, with reason and
basis; the loader builds the full set from the chain and refuses every mistake in it, naming
file, line and field (issue 11, item 6). The fixture is a made-up regulation and its
amendment (tests/fixtures/versions/README.md)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from patuh.load import regulation_text
from patuh.rulesets import load as rulesets
from patuh.rulesets import select
from patuh.rulesets.load import RuleLoadError, diff_rulesets, load_ruleset_folder

FIXTURE = Path(__file__).parent / "fixtures" / "versions"
REGULATIONS = FIXTURE / "regulations"
REGULATION = "contoh-perbup-1-2024"


@pytest.fixture
def chain(tmp_path) -> Path:
    """A writable copy of the fixture's versions: tmp/contoh-perbup-1-2024/{v1,v2,v3}."""
    folder = tmp_path / REGULATION
    shutil.copytree(FIXTURE / "rules" / REGULATION, folder)
    return folder


def _load(folder: Path):
    return load_ruleset_folder(folder, REGULATIONS)


def _edit(file: Path, change) -> None:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    change(data)
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _refusal(folder: Path) -> str:
    with pytest.raises(RuleLoadError) as error:
        _load(folder)
    return str(error.value)


def _line(file: Path, starts: str) -> int:
    return next(number for number, text in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if text.lstrip().startswith(starts))


def test_the_chain_builds_each_versions_full_rule_set(chain):
    v1, v2, v3 = (_load(chain / name) for name in ("v1", "v2", "v3"))
    assert [rule.id for rule in v1.rules] == ["contoh.pasal-2", "contoh.pasal-3"]
    assert [rule.id for rule in v2.rules] == ["contoh.pasal-2"]
    assert [rule.id for rule in v3.rules] == ["contoh.pasal-2", "contoh.pasal-4"]
    # The replacement judges 7 days in v2 and is inherited, unchanged, by v3.
    assert v1.rule("contoh.pasal-2").comply_when.at_most == 30
    assert v2.rule("contoh.pasal-2") == v3.rule("contoh.pasal-2") and v3.rule("contoh.pasal-2").comply_when.at_most == 7
    assert v3.files["contoh.pasal-2"] == chain / "v2" / "contoh.pasal-2.yaml"
    assert v3.files["contoh.pasal-4"] == chain / "v3" / "contoh.pasal-4.yaml"
    # Rule-set-wide fields a version does not restate are its base's.
    assert v3.meta.no_sanction_note == v1.meta.no_sanction_note
    assert (v3.meta.effective_from, v3.meta.effective_until) == (date(2026, 1, 1), None)
    assert v3.base.version == "v2" and v3.base.base.version == "v1" and v1.base is None


def test_a_versions_sha256_covers_the_files_of_the_versions_before_it(chain):
    before = {name: _load(chain / name).sha256 for name in ("v1", "v2", "v3")}
    assert len(set(before.values())) == 3
    # A word changed in v1 changes every version built on it ...
    file = chain / "v1" / "contoh.pasal-3.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("impact: medium", "impact: high"), encoding="utf-8")
    after = {name: _load(chain / name).sha256 for name in ("v1", "v2", "v3")}
    assert all(after[name] != before[name] for name in after)
    # ... while the same files give the same digest wherever they are read from.
    assert _load(FIXTURE / "rules" / REGULATION / "v3").sha256 == before["v3"]


def test_adding_a_version_changes_nothing_in_the_versions_before_it(chain):
    def snapshot(name):
        ruleset = _load(chain / name)
        return ruleset.sha256, ruleset.rules, ruleset.meta
    before = {name: snapshot(name) for name in ("v1", "v2", "v3")}
    (chain / "v4").mkdir()
    (chain / "v4" / "ruleset.yaml").write_text(
        "regulation: contoh-perbup-1-2024\nversion: v4\nbased_on: v3\neffective_from: 2027-01-01\n"
        "changes:\n  - removes: contoh.pasal-4\n    reason: {id: x, en: x}\n"
        "    basis: {regulation: contoh-perbup-1-2024, citation: Pasal 4}\n", encoding="utf-8")
    # v3 is left open: it ends the day before v4 starts, so v4 loads without editing v3.
    v4 = _load(chain / "v4")
    assert v4.version == "v4" and "contoh.pasal-4" not in {rule.id for rule in v4.rules}
    assert {name: snapshot(name) for name in ("v1", "v2", "v3")} == before


def test_the_as_of_date_selects_the_version_in_force_and_the_report_says_which(monkeypatch):
    from patuh.audit.pipeline import audit_file
    from patuh.load.data_paths import data_directory

    monkeypatch.setattr(rulesets, "rules_directory", lambda: FIXTURE / "rules")
    monkeypatch.setattr(regulation_text, "REGULATIONS_DIR", REGULATIONS)
    rulesets.load_ruleset.cache_clear()
    select.forget_choices()
    try:
        assert select.available_versions(REGULATION) == ["v1", "v2", "v3"]
        assert select.ruleset_in_force(REGULATION, date(2025, 6, 30)).version == "v1"
        assert select.ruleset_in_force(REGULATION, date(2025, 7, 1)).version == "v2"
        assert select.ruleset_in_force(REGULATION, date(2026, 1, 1)).version == "v3"
        example = data_directory("facts") / "examples" / "tegal-disdukcapil.yaml"
        report = audit_file(example, "contoh", date(2025, 7, 1)).report
        assert report["ruleset"]["version"] == "v2"
        assert report["ruleset"]["sha256"] == load_ruleset_folder(FIXTURE / "rules" / REGULATION / "v2", REGULATIONS).sha256
        assert audit_file(example, "contoh", date(2025, 6, 30)).report["ruleset"]["version"] == "v1"
    finally:
        rulesets.load_ruleset.cache_clear()
        select.forget_choices()
    select.forget_choices()


def test_diff_shows_the_stated_reasons_and_basis(chain):
    v1, v2, v3 = (_load(chain / name) for name in ("v1", "v2", "v3"))
    lines = diff_rulesets(v1, v3)
    assert "- contoh.pasal-3 (Pasal 3) removed" in lines
    assert "+ contoh.pasal-4 (Pasal 4) added" in lines
    assert "~ contoh.pasal-2: title, comply_when, recommendation, interpretation changed" in lines
    removed = lines.index("- contoh.pasal-3 (Pasal 3) removed")
    assert lines[removed + 1].startswith("    v2 removes contoh.pasal-3; basis: Pasal 1 angka 2 of contoh-perbup-5-2025 (Peraturan Bupati Kabupaten Contoh Nomor 5 Tahun 2025)")
    assert "      reason: Pasal 3 is deleted; the duty to place information in the service room no longer exists." in lines
    assert "      alasan: Jangka waktu pemutakhiran diubah dari 30 hari menjadi 7 hari." in lines
    # Between v2 and v3 only v3's change is stated.
    assert not any("v2 " in line for line in diff_rulesets(v2, v3))
    # Backwards nothing was stated, and the diff says so rather than invent a reason.
    assert diff_rulesets(v3, v1)[0] == "! v1 is not built on v3: the differences are computed, no reasons are stated"
    assert diff_rulesets(v3, v3) == []


def test_patuh_rules_diff_prints_the_reasons(monkeypatch, capsys):
    from patuh.cli import main

    monkeypatch.setattr(rulesets, "rules_directory", lambda: FIXTURE / "rules")
    monkeypatch.setattr(regulation_text, "REGULATIONS_DIR", REGULATIONS)
    rulesets.load_ruleset.cache_clear()
    select.forget_choices()
    try:
        assert main(["rules", "diff", "contoh", "v1", "v2"]) == 0
    finally:
        rulesets.load_ruleset.cache_clear()
        select.forget_choices()
    select.forget_choices()
    out = capsys.readouterr().out
    assert out.startswith("# contoh-perbup-1-2024: v1 -> v2\n")
    assert "  v2 replaces contoh.pasal-2; basis: Pasal 1 angka 1 of contoh-perbup-5-2025" in out
    assert '"dilakukan paling lama setiap 7 (tujuh) hari"' in out
    assert "reason: The update interval is shortened from 30 days to 7." in out


# Every mistake in a delta is refused, naming the file, the line and the field.

def _v2(chain: Path) -> Path:
    return chain / "v2" / "ruleset.yaml"


def test_removing_a_rule_the_base_does_not_have(chain):
    _edit(_v2(chain), lambda d: d["changes"][1].update(removes="contoh.pasal-9"))
    message = _refusal(chain / "v2")
    line = _line(_v2(chain), "- removes: contoh.pasal-9")
    assert f"{_v2(chain)}:{line}: field `changes[1].removes`: removes contoh.pasal-9, which v1 does not have" in message


def test_replacing_a_rule_the_base_does_not_have(chain):
    (chain / "v2" / "contoh.pasal-2.yaml").rename(chain / "v2" / "contoh.pasal-7.yaml")
    _edit(chain / "v2" / "contoh.pasal-7.yaml", lambda d: d.update(id="contoh.pasal-7"))
    _edit(_v2(chain), lambda d: d["changes"][0].update(replaces="contoh.pasal-7"))
    assert "field `changes[0].replaces`: replaces contoh.pasal-7, which v1 does not have" in _refusal(chain / "v2")


def test_a_replacing_file_whose_id_differs(chain):
    file = chain / "v2" / "contoh.pasal-2.yaml"
    _edit(file, lambda d: d.update(id="contoh.pasal-2a"))
    message = _refusal(chain / "v2")
    assert f"{file}:1: field `id`: the file holds rule contoh.pasal-2a; a version's rule file is named after its rule (contoh.pasal-2a.yaml)" in message
    assert f"{file}:1: field `id`: rule contoh.pasal-2a is in v2, but no change in ruleset.yaml replaces or adds it" in message
    assert "field `changes[0].replaces`: no rule file in v2 holds rule contoh.pasal-2" in message


def test_a_replacement_without_its_file(chain):
    (chain / "v2" / "contoh.pasal-2.yaml").unlink()
    assert "field `changes[0].replaces`: no rule file in v2 holds rule contoh.pasal-2" in _refusal(chain / "v2")


def test_a_replacement_identical_to_the_base(chain):
    shutil.copy(chain / "v1" / "contoh.pasal-2.yaml", chain / "v2" / "contoh.pasal-2.yaml")
    assert "replaces contoh.pasal-2 with a rule identical to v1's" in _refusal(chain / "v2")


def test_adding_a_rule_the_base_already_has(chain):
    _edit(chain / "v3" / "ruleset.yaml", lambda d: d["changes"][0].update(adds="contoh.pasal-2"))
    message = _refusal(chain / "v3")
    assert "field `changes[0].adds`: adds contoh.pasal-2, which v2 already has: a changed rule `replaces` it" in message


def test_a_change_without_a_reason(chain):
    _edit(_v2(chain), lambda d: d["changes"][1].pop("reason"))
    line = _line(_v2(chain), "- removes: contoh.pasal-3")
    message = _refusal(chain / "v2")
    assert f"{_v2(chain)}:{line}: field `changes[1].reason`: Field required" in message


def test_a_change_with_two_kinds(chain):
    _edit(_v2(chain), lambda d: d["changes"][1].update(adds="contoh.pasal-4"))
    assert "a change needs exactly one of replaces, adds, removes, amends (found: adds, removes)" in _refusal(chain / "v2")


def test_a_basis_that_does_not_resolve(chain):
    _edit(_v2(chain), lambda d: d["changes"][0]["basis"].update(citation="Pasal 1 angka 9"))
    _edit(_v2(chain), lambda d: d["changes"][1]["basis"].update(regulation="contoh-perbup-6-2025"))
    message = _refusal(chain / "v2")
    assert "field `changes[0].basis.citation`: basis: 'Pasal 1 angka 9' is not in contoh-perbup-5-2025" in message
    assert "field `changes[1].basis.regulation`: basis: regulation 'contoh-perbup-6-2025'" in message


def test_a_basis_quote_not_in_the_text(chain):
    _edit(_v2(chain), lambda d: d["changes"][0]["basis"].update(quote="paling lama setiap 3 (tiga) hari"))
    assert "field `changes[0].basis.quote`: basis: the quote is not in the text of Pasal 1 angka 1 of contoh-perbup-5-2025" in _refusal(chain / "v2")


def test_a_missing_base(chain):
    _edit(_v2(chain), lambda d: d.update(based_on="v0"))
    line = _line(_v2(chain), "based_on:")
    message = _refusal(chain / "v2")
    assert f"{_v2(chain)}:{line}: field `based_on`: based_on: there is no version 'v0' beside v2" in message
    assert "versions there: v1, v3" in message


def test_a_chain_with_a_loop(chain):
    _edit(chain / "v1" / "ruleset.yaml", lambda d: d.update(based_on="v3", changes=[
        {"adds": "contoh.pasal-9", "reason": {"id": "x", "en": "x"}, "basis": {"regulation": REGULATION, "citation": "Pasal 1"}}]))
    message = _refusal(chain / "v3")
    v1 = chain / "v1" / "ruleset.yaml"
    assert (f"{v1}:{_line(v1, 'based_on:')}: field `based_on`: based_on: v3 closes a loop of versions "
            "(each based on the next: v3 -> v2 -> v1 -> v3)") in message


def test_a_version_based_on_itself(chain):
    _edit(_v2(chain), lambda d: d.update(based_on="v2"))
    assert "field `based_on`: based_on: v2 closes a loop of versions (each based on the next: v2 -> v2)" in _refusal(chain / "v2")


def test_a_list_of_changes_without_a_base(chain):
    _edit(_v2(chain), lambda d: d.pop("based_on"))
    assert "field `changes`: a list of changes needs `based_on`: the version whose rules they change" in _refusal(chain / "v2")


def test_periods_must_meet(chain):
    _edit(chain / "v1" / "ruleset.yaml", lambda d: d.update(effective_until="2025-06-30"))
    assert _load(chain / "v2").version == "v2"  # closed on the day before v2: they meet
    _edit(chain / "v1" / "ruleset.yaml", lambda d: d.update(effective_until="2025-05-31"))
    message = _refusal(chain / "v2")
    assert "field `effective_from`: v1 ends 2025-05-31, but v2 starts 2025-07-01: v1's effective_until must be 2025-06-30 or left out" in message


def test_another_regulations_base(chain):
    _edit(_v2(chain), lambda d: d.update(regulation="tegal-perbup-63-2023"))
    assert "field `regulation`: regulation 'tegal-perbup-63-2023', but v1 is a rule set of 'contoh-perbup-1-2024'" in _refusal(chain / "v2")


def test_restated_fields_need_a_change_and_a_change_needs_the_field(chain):
    _edit(chain / "v3" / "ruleset.yaml", lambda d: d.update(no_sanction_note={"id": "Tidak ada sanksi.", "en": "No sanction."}))
    assert "field `no_sanction_note`: no_sanction_note is restated, but no change `amends: no_sanction_note` gives the reason" in _refusal(chain / "v3")
    _edit(chain / "v3" / "ruleset.yaml", lambda d: (d.pop("no_sanction_note"), d["changes"].append(
        {"amends": "no_sanction_note", "reason": {"id": "x", "en": "x"}, "basis": {"regulation": REGULATION, "citation": "Pasal 1"}})))
    assert "field `changes[1].amends`: amends no_sanction_note, but this ruleset.yaml does not restate `no_sanction_note`" in _refusal(chain / "v3")


def test_a_restated_field_replaces_the_bases(chain):
    _edit(chain / "v3" / "ruleset.yaml", lambda d: (d.update(no_sanction_note={"id": "Tidak ada sanksi.", "en": "No sanction."}), d["changes"].append(
        {"amends": "no_sanction_note", "reason": {"id": "x", "en": "x"}, "basis": {"regulation": REGULATION, "citation": "Pasal 1"}})))
    v3 = _load(chain / "v3")
    assert v3.meta.no_sanction_note.en == "No sanction."
    assert "~ ruleset.yaml: no_sanction_note changed" in diff_rulesets(_load(chain / "v2"), v3)
