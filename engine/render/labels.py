"""The words a document is rendered in: its language's labels (reports/labels/*.yaml)."""

from __future__ import annotations

from typing import Any

from ..load.labels import LANGUAGES, group, words

__all__ = ["LANGUAGES", "document_language", "group", "labels_of", "words"]


def document_language(document: dict[str, Any]) -> str:
    """The language a document was written in; Indonesian unless it says English."""
    return "en" if document.get("language") == "en" else "id"


def labels_of(document: dict[str, Any], name: str) -> dict[str, Any]:
    """The label group `name` in the document's language."""
    return words(document_language(document))[name]
