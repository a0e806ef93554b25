"""reports/labels/fact_fields.yaml names every field of the facts model as an auditor does.

A report reads a fact path from its last segment back to its first, one phrase per field name
(engine/load/wording.py). Every name the facts model can reach needs its phrase, in both
languages; the model itself, walked from `Facts`, says which names, which parents, which lists
and which dates there are, so a field added to the model without words fails here.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from datetime import date
from types import UnionType
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from patuh.load.data_paths import data_directory
from patuh.model.facts import NOT_PRESENT, Facts

FIELDS_FILE = data_directory("reports") / "labels" / "fact_fields.yaml"
LANGUAGES = ("id", "en")
# How the regulations (and the glossary) write their terms; a phrase using one writes it so,
# in English too.
LEGAL_TERMS = (
    "Standar Pelayanan", "Maklumat Pelayanan", "Berita Acara Pembahasan", "Forum Konsultasi Publik",
    "Atasan Satuan Kerja Penyelenggara", "Pelaksana", "Kompensasi Pelayanan", "Kode Etik", "Kode Perilaku",
    "SP4N-LAPOR!", "SIPPN", "SKM", "IKM", "IPP", "PEKPPP", "SOP", "UPP",
)
DATE_WORD = {"id": "tanggal", "en": "date"}
COUNT_WORD = {"id": "jumlah", "en": "number"}


@dataclass
class Occurrence:
    """One field of one model of the facts, reached through the field `parent` (None at the root)."""

    parent: str | None
    name: str
    annotation: Any
    metadata: list
    models: list[type[BaseModel]] = field(default_factory=list)  # the models its value holds
    is_list: bool = False


def _kinds(annotation: Any) -> tuple[list[Any], bool]:
    """The types a value may have (Optional and `tidak_ada` removed) and whether it is a list."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, UnionType):
        found, is_list = [], False
        for argument in typing.get_args(annotation):
            if argument is type(None) or typing.get_args(argument) == (NOT_PRESENT,):
                continue
            inner, listed = _kinds(argument)
            found += inner
            is_list = is_list or listed
        return found, is_list
    if origin is list:
        inner, _ = _kinds(typing.get_args(annotation)[0])
        return inner, True
    return [annotation], False


def _occurrences() -> list[Occurrence]:
    found: list[Occurrence] = []
    seen: set[tuple[str | None, type]] = set()

    def walk(model: type[BaseModel], parent: str | None) -> None:
        if (parent, model) in seen:
            return
        seen.add((parent, model))
        for name, info in model.model_fields.items():
            kinds, is_list = _kinds(info.annotation)
            models = [kind for kind in kinds if isinstance(kind, type) and issubclass(kind, BaseModel)]
            found.append(Occurrence(parent, name, info.annotation, list(info.metadata), models, is_list))
            for inner in models:
                walk(inner, name)

    walk(Facts, None)
    return found


OCCURRENCES = _occurrences()
NAMES = {occurrence.name for occurrence in OCCURRENCES}


def _children(parent: str) -> set[str]:
    return {occurrence.name for occurrence in OCCURRENCES if occurrence.parent == parent}


def _is_date(occurrence: Occurrence) -> bool:
    return date in _kinds(occurrence.annotation)[0]


def _is_count(occurrence: Occurrence) -> bool:
    # A count is a whole number that may be 0: how many, not which row or which year.
    kinds = _kinds(occurrence.annotation)[0]
    return kinds == [int] and not occurrence.is_list and any(getattr(rule, "ge", None) == 0 for rule in occurrence.metadata)


@pytest.fixture(scope="module")
def words() -> dict:
    with FIELDS_FILE.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _phrase(words: dict, occurrence: Occurrence) -> dict:
    """The phrase a report uses for this occurrence: the parent's specific one, else the general."""
    specific = (words.get("in") or {}).get(occurrence.parent or "", {}).get(occurrence.name)
    return specific or words["fields"][occurrence.name]


def test_the_model_walk_reaches_nested_models():
    # The walk itself: fields three models deep and in lists of models are reached.
    assert {"established_on", "first_response_on", "respondents", "quantity", "signatory_count", "rule_id"} <= NAMES
    assert len(NAMES) > 100


def test_every_field_name_of_the_facts_model_has_words(words):
    missing = sorted(NAMES - set(words["fields"]))
    assert not missing, f"fields of the facts model without words: {missing}"
    unknown = sorted(set(words["fields"]) - NAMES)
    assert not unknown, f"words for names the facts model does not have: {unknown}"


def _entries(words: dict) -> list[tuple[str, dict]]:
    """Every phrase of the file, named by where it stands."""
    entries = [(name, texts) for name, texts in words["fields"].items()]
    entries += [(f"{parent}.{name}", texts) for parent, children in (words.get("in") or {}).items()
                for name, texts in children.items()]
    entries += [(f"alone.{name}", texts) for name, texts in (words.get("alone") or {}).items()]
    return entries


def test_every_phrase_has_both_languages_and_reads_as_words(words):
    for name, texts in _entries(words):
        assert isinstance(texts, dict) and set(texts) == set(LANGUAGES), f"{name}: give exactly id and en"
        for language in LANGUAGES:
            text = texts[language]
            assert isinstance(text, str), f"{name}.{language}: not text"
            assert text == text.strip() and "  " not in text, f"{name}.{language}: stray spaces"
            assert "_" not in text and "`" not in text, f"{name}.{language}: reads as a code: {text!r}"


def test_only_a_container_is_left_unnamed(words):
    # An empty phrase drops the segment from the chain: right for a block that only holds other
    # fields (`events`), never for a field whose value a finding names.
    for occurrence in OCCURRENCES:
        texts = _phrase(words, occurrence)
        empty = [language for language in LANGUAGES if not texts[language]]
        if empty:
            assert len(empty) == len(LANGUAGES), f"{occurrence.name}: unnamed in one language only"
            assert occurrence.models and not occurrence.is_list, f"{occurrence.name}: a fact a report names needs words"


def test_an_unnamed_container_has_words_for_when_a_path_ends_at_it(words):
    # `events` absent from a facts file is a missing fact named `events`: its chain is empty, so
    # the report needs words for the block itself.
    unnamed = {occurrence.name for occurrence in OCCURRENCES
               if not any(_phrase(words, occurrence)[language] for language in LANGUAGES)}
    assert unnamed, "fact_fields.yaml leaves containers such as events unnamed"
    alone = words.get("alone") or {}
    assert set(alone) == unnamed, f"words alone for exactly the unnamed fields {sorted(unnamed)}, not {sorted(alone)}"
    for name, texts in alone.items():
        assert all(texts.get(language) for language in LANGUAGES), f"alone.{name}: give id and en"


def test_legal_terms_are_written_as_the_regulations_write_them(words):
    texts = [(name, language, entry[language]) for name, entry in _entries(words) for language in LANGUAGES]
    for name, language, text in texts:
        for term in LEGAL_TERMS:
            for match in re.finditer(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, flags=re.IGNORECASE):
                assert match.group(0) == term, f"{name}.{language}: write {term!r}, not {match.group(0)!r}"


def test_a_date_reads_as_a_date_and_only_a_date_does(words):
    for occurrence in OCCURRENCES:
        texts = _phrase(words, occurrence)
        for language in LANGUAGES:
            starts = texts[language].split(" ")[0].lower().removesuffix("s") == DATE_WORD[language]
            if _is_date(occurrence):
                assert starts, f"{occurrence.parent}.{occurrence.name}.{language}: a date reads {DATE_WORD[language]!r} first"
            else:
                assert not starts, f"{occurrence.parent}.{occurrence.name}.{language}: not a date, yet reads as one"


def test_a_count_reads_as_the_number_of_what_it_counts(words):
    counts = [occurrence for occurrence in OCCURRENCES if _is_count(occurrence)]
    assert counts, "the facts model has counts (signatory_count, quantity, ...)"
    for occurrence in counts:
        texts = _phrase(words, occurrence)
        for language in LANGUAGES:
            assert texts[language].split(" ")[0] == COUNT_WORD[language], (
                f"{occurrence.parent}.{occurrence.name}.{language}: a count reads {COUNT_WORD[language]!r} first")


def test_specific_phrases_are_for_real_parents_and_their_fields(words):
    for parent, children in (words.get("in") or {}).items():
        assert parent in NAMES and _children(parent), f"in.{parent}: not a field holding other fields"
        assert isinstance(children, dict) and children, f"in.{parent}: give the fields it words"
        for name, texts in children.items():
            assert name in _children(parent), f"in.{parent}.{name}: {parent} holds no field {name}"
            assert texts != words["fields"][name], f"in.{parent}.{name}: the same as the general phrase"


def test_no_phrase_repeats_the_words_that_follow_it(words):
    # The parent's words follow a field's in the chain: "nama" + "unit", never "nama unit" + "unit",
    # and no word twice at the joint ("tanggal publikasi publikasi").
    by_name: dict[str, list[Occurrence]] = {}
    for occurrence in OCCURRENCES:
        by_name.setdefault(occurrence.name, []).append(occurrence)
    for occurrence in OCCURRENCES:
        if occurrence.parent is None:
            continue
        child = _phrase(words, occurrence)
        parents = [_phrase(words, holder) for holder in by_name[occurrence.parent]
                   if any(occurrence.name in model.model_fields for model in holder.models)]
        for parent in parents:
            for language in LANGUAGES:
                if not parent[language] or not child[language]:
                    continue
                place = f"{occurrence.parent}.{occurrence.name}.{language}"
                assert not child[language].endswith(parent[language]), f"{place}: repeats its parent's words"
                last, first = child[language].split(" ")[-1].lower(), parent[language].split(" ")[0].lower()
                assert last != first, f"{place}: {child[language]!r} then {parent[language]!r} repeats {last!r}"


def test_list_items_name_entries_by_a_field_of_the_entry(words):
    items = dict(words["list_items"])
    entry = items.pop("entry")
    for language in LANGUAGES:
        assert "{n}" in entry[language] and entry[language].format(n=3) != entry[language], language
    lists = {occurrence.name: occurrence for occurrence in OCCURRENCES if occurrence.is_list and occurrence.models}
    missing = sorted(set(lists) - set(items))
    assert not missing, f"lists of entries without the field that names an entry: {missing}"
    for name, naming in items.items():
        assert name in lists, f"list_items.{name}: not a list of entries of the facts model"
        if naming is None:  # named by position only
            continue
        holders = [occurrence for occurrence in OCCURRENCES if occurrence.name == name and occurrence.is_list and occurrence.models]
        assert all(naming in model.model_fields for holder in holders for model in holder.models), (
            f"list_items.{name}: an entry has no field {naming}")


def test_a_path_reads_from_its_last_field_back_to_its_first(words):
    from patuh.load.wording import fact_name

    assert fact_name("information_services.last_updated_on", "id") == "tanggal pemutakhiran terakhir layanan informasi"
    assert fact_name("information_services.last_updated_on", "en") == "date last updated of the information services"
    # An unnamed container drops out; a specific phrase replaces the general one in its parent.
    assert fact_name("complaint_management.sop", "id") == "SOP pengelolaan pengaduan"
    assert fact_name("events.skm[0].respondents", "id").startswith("jumlah responden SKM")
    assert fact_name("service_types[0].standar_pelayanan.established_on", "id", within="service_types[0]") == (
        "tanggal penetapan Standar Pelayanan")
