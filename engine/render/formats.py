"""The one format registry: which formats a report comes in, and who writes each.

Every document patuh writes (audit report, comparison matrix, difference, side by side,
remediation plan, SKM) is a JSON record first; Markdown and HTML are views of it. A
document module registers its kind here with its Markdown and HTML views
(`document_kind`), and every `render_*` is the function this registry hands back, so the
formats, their names and the refusal of an unknown one are decided in one place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Optional, Union

from ..problems import InputError

FORMATS = ("json", "md", "html")
# A word-processor file, written as bytes: only the LHP comes in it (documents/lhp.py),
# because inspectorates finish an LHP in a word processor and no other document is edited so.
BINARY_FORMATS = ("docx",)
FORMAT_BY_SUFFIX = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                    ".docx": "docx"}

View = Callable[[dict[str, Any]], Union[str, bytes]]
# kind -> format -> the function writing a document of that kind in that format
DOCUMENT_KINDS: dict[str, dict[str, View]] = {}


def output_format(requested: Optional[str], output: Optional[Path]) -> str:
    """The format asked for, else the one the -o file's extension names, else Markdown.

    An extension patuh does not write (`-o report.pdf`) is refused rather than filled with
    Markdown under a name that promises something else.
    """
    if requested:
        return requested
    suffix = output.suffix.lower() if output else ""
    if suffix and suffix not in FORMAT_BY_SUFFIX:
        raise InputError(output, f"patuh does not write {suffix} files; name the output with one of "
                                 f"{', '.join(sorted(FORMAT_BY_SUFFIX))}, or give --format")
    return FORMAT_BY_SUFFIX.get(suffix, "md")


def as_json(document: dict[str, Any]) -> str:
    # Key order is the documented one, so no sort_keys.
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class UnsupportedFormat(InputError, ValueError):
    """A document asked for in a format it does not come in (`-o matrix.docx`): the user's to fix, so an InputError."""

    def __init__(self, kind: str, fmt: str, formats: tuple[str, ...]):
        self.kind, self.formats = kind, formats
        super().__init__(kind, f"format must be one of {', '.join(formats)}, got {fmt!r}")

    def __str__(self) -> str:
        return f"{self.kind} {self.message}"


def render_as(kind: str, document: dict[str, Any], fmt: str) -> Union[str, bytes]:
    """`document` of `kind` in format `fmt` (bytes for a format of BINARY_FORMATS, else text)."""
    views = DOCUMENT_KINDS[kind]
    if fmt not in views:
        raise UnsupportedFormat(kind, fmt, tuple(views))
    return views[fmt](document)


def document_kind(kind: str, *, md: View, html: View) -> Callable[[dict[str, Any], str], str]:
    """Register `kind` with its views, and give back its `render(document, fmt)`."""
    DOCUMENT_KINDS[kind] = {"json": as_json, "md": md, "html": html}
    assert tuple(DOCUMENT_KINDS[kind]) == FORMATS

    def render(document: dict[str, Any], fmt: str) -> str:
        return render_as(kind, document, fmt)

    render.__doc__ = f"The {kind} as JSON, Markdown (\"md\") or one self-contained HTML page."
    return render


def document_kind_in(kind: str, views: dict[str, View]) -> Callable[[dict[str, Any], str], Union[str, bytes]]:
    """Register `kind` with only the formats it comes in (the LHP: docx and html), and give back its render."""
    DOCUMENT_KINDS[kind] = dict(views)

    def render(document: dict[str, Any], fmt: str) -> Union[str, bytes]:
        return render_as(kind, document, fmt)

    render.__doc__ = f"The {kind} in one of its formats: {', '.join(views)}."
    return render
