"""The words of every report, one YAML file per language (reports/labels/id.yaml, en.yaml).

Kept out of the code so that a translator edits one file and so that an audit judged once
can be worded in either language. The files are read here, in the loading stage, because
the audit record (audit/record.py) already words its JSON fields in the report's language;
render/labels.py is the rendering side's view of the same data.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .data_paths import data_directory
from .source_yaml import load_data_file

LANGUAGES = ("id", "en")


def labels_file(language: str):
    return data_directory("reports") / "labels" / f"{language}.yaml"


@lru_cache(maxsize=None)
def words(language: str) -> dict[str, Any]:
    """All label groups of `language` (a document's group, e.g. words("en")["audit_report"]).

    The dict is shared between callers: it is read-only by convention, like any constant.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    return load_data_file(labels_file(language))


def group(name: str) -> dict[str, dict[str, Any]]:
    """One label group in every language: {"id": {...}, "en": {...}}."""
    return {language: words(language)[name] for language in LANGUAGES}
