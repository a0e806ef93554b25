"""The cache of validated rule sets (engine/cache.py): a shortcut that never changes a result."""

import os
import pickle
import shutil
from pathlib import Path

import pytest

from patuh import cache
from patuh.rulesets.load import load_ruleset_folder, rules_directory

TEGAL = rules_directory() / "tegal-perbup-63-2023"


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("PATUH_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "rules" / "tegal-perbup-63-2023"
    shutil.copytree(TEGAL, copy)
    return copy


def _load(folder: Path):
    return cache.cached("ruleset-test", (folder,), lambda: load_ruleset_folder(folder / "v1"))


def test_a_cached_rule_set_is_the_one_loaded_from_the_files(rules_copy: Path):
    first = _load(rules_copy)
    entries = list((rules_copy.parent.parent / "cache").glob("ruleset-test-*.pickle"))
    assert len(entries) == 1
    again = _load(rules_copy)
    assert again is not first  # read back from the entry, not the same object
    assert [rule.model_dump() for rule in again.rules] == [rule.model_dump() for rule in first.rules]
    assert again.sha256 == first.sha256 and again.meta == first.meta
    assert again.regulation.units.keys() == first.regulation.units.keys()


def test_editing_a_rule_file_makes_the_next_run_load_it_afresh(rules_copy: Path):
    before = _load(rules_copy)
    rule_file = next(path for path in sorted((rules_copy / "v1").glob("*.yaml")) if path.name != "ruleset.yaml")
    text = rule_file.read_text(encoding="utf-8")
    rule_id = next(rule.id for rule in before.rules if before.files[rule.id].name == rule_file.name)
    old_title = before.rule(rule_id).title.id
    rule_file.write_text(text.replace(old_title, old_title + " (diubah)", 1), encoding="utf-8")
    after = _load(rules_copy)
    assert after.rule(rule_id).title.id == old_title + " (diubah)"
    assert after.sha256 != before.sha256
    # The entry of the old files is gone: one entry per rule set.
    assert len(list((rules_copy.parent.parent / "cache").glob("ruleset-test-*.pickle"))) == 1


def test_a_rule_set_that_does_not_load_is_told_every_time(rules_copy: Path):
    from patuh.rulesets.load import RuleLoadError

    rule_file = next(path for path in sorted((rules_copy / "v1").glob("*.yaml")) if path.name != "ruleset.yaml")
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace("citation:", "citation_typo:", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleLoadError):
            _load(rules_copy)
    assert not list((rules_copy.parent.parent / "cache").glob("*.pickle"))


def test_a_damaged_entry_is_only_a_missed_shortcut(rules_copy: Path):
    _load(rules_copy)
    (entry,) = (rules_copy.parent.parent / "cache").glob("ruleset-test-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert _load(rules_copy).rules
    assert pickle.loads(entry.read_bytes()).rules  # rewritten whole


def test_an_entry_others_may_write_is_not_read(rules_copy: Path, monkeypatch):
    _load(rules_copy)
    (entry,) = (rules_copy.parent.parent / "cache").glob("ruleset-test-*.pickle")
    os.chmod(entry, 0o666)
    loaded = []
    monkeypatch.setattr(cache, "_write", lambda path, value: None)
    cache.cached("ruleset-test", (rules_copy,), lambda: loaded.append(1) or "fresh")
    assert loaded == [1]


def test_the_cache_can_be_turned_off(rules_copy: Path, monkeypatch):
    monkeypatch.setenv("PATUH_CACHE_DIR", "off")
    calls = []
    for _ in range(2):
        cache.cached("ruleset-test", (rules_copy,), lambda: calls.append(1) or "loaded")
    assert calls == [1, 1]
    assert not (rules_copy.parent.parent / "cache").exists()


def test_a_data_file_is_read_again_once_it_changes(tmp_path: Path, monkeypatch):
    from patuh.load.source_yaml import load_data_file

    monkeypatch.setenv("PATUH_CACHE_DIR", str(tmp_path / "cache"))
    labels = tmp_path / "labels" / "id.yaml"
    labels.parent.mkdir()
    labels.write_text("status: Patuh\n", encoding="utf-8")
    assert load_data_file(labels) == {"status": "Patuh"}
    assert len(list((tmp_path / "cache").glob("data-labels-id-*.pickle"))) == 1
    labels.write_text("status: Pelanggaran\n", encoding="utf-8")
    assert load_data_file(labels) == {"status": "Pelanggaran"}


def test_a_changed_vocabulary_makes_the_shipped_rule_set_load_afresh(tmp_path: Path, monkeypatch):
    """A rule set's load checks its `missing_from` entries against the vocabularies, so a cached
    rule set must not outlive a vocabulary that no longer has an entry a rule requires."""
    import patuh.load.vocabulary as vocabulary_module
    import patuh.rulesets.load as load_module
    from patuh.load.data_paths import data_directory
    from patuh.rulesets.load import RuleLoadError

    monkeypatch.setenv("PATUH_CACHE_DIR", str(tmp_path / "cache"))
    facts = tmp_path / "facts"
    shutil.copytree(data_directory("facts") / "vocabulary", facts / "vocabulary")
    moved = lambda name: facts if name == "facts" else data_directory(name)  # noqa: E731
    monkeypatch.setattr(load_module, "data_directory", moved)
    monkeypatch.setattr(vocabulary_module, "data_directory", moved)
    vocabulary_module.load_vocabulary.cache_clear()
    assert load_module.load_ruleset.__wrapped__("tegal-perbup-63-2023", "v1").rules
    listing = facts / "vocabulary" / "facilities.yaml"
    listing.write_text("\n".join(line for line in listing.read_text(encoding="utf-8").splitlines()
                                 if "id: kotak_pengaduan" not in line) + "\n", encoding="utf-8")
    vocabulary_module.load_vocabulary.cache_clear()
    try:
        with pytest.raises(RuleLoadError, match="kotak_pengaduan"):
            load_module.load_ruleset.__wrapped__("tegal-perbup-63-2023", "v1")
    finally:
        vocabulary_module.load_vocabulary.cache_clear()
