"""Controlled vocabularies: the words a facts file may use for inventory items.

Inspectors write what they see ("musholla", "CCTV"); rules need one id per thing the
regulation lists. An entry is found by id, label or alias, ignoring case and spacing; a
word that is none of these is refused with the nearest known words, never guessed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

from .data_paths import data_directory
from .source_yaml import load_source


def _normal(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").split())


@dataclass(frozen=True)
class Vocabulary:
    name: str
    labels: dict[str, dict[str, str]]
    lookup: dict[str, str]

    def resolve(self, word: str) -> str | None:
        return self.lookup.get(_normal(word))

    def suggestions(self, word: str) -> list[str]:
        return difflib.get_close_matches(_normal(word), list(self.lookup), n=3, cutoff=0.5)

    def label(self, entry_id: str, language: str = "id") -> str:
        labels = self.labels.get(entry_id)
        if labels is None:
            return entry_id
        return labels["label_en"] if language == "en" else labels["label"]


@lru_cache(maxsize=None)
def load_vocabulary(name: str) -> Vocabulary:
    document = load_source(data_directory("facts") / "vocabulary" / f"{name}.yaml", "vocabulary")
    labels: dict[str, dict[str, str]] = {}
    lookup: dict[str, str] = {}
    for entry in document.data["entries"]:
        labels[entry["id"]] = {"label": entry["label"], "label_en": entry["label_en"]}
        for word in [entry["id"], entry["label"], *entry.get("aliases", [])]:
            key = _normal(word)
            if lookup.get(key, entry["id"]) != entry["id"]:
                raise ValueError(f"vocabulary {name}: `{word}` names both {lookup[key]} and {entry['id']}")
            lookup[key] = entry["id"]
    return Vocabulary(name=name, labels=labels, lookup=lookup)
