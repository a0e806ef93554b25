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
from typing import Any, Callable, Optional

FORMATS = ("json", "md", "html")
FORMAT_BY_SUFFIX = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}

View = Callable[[dict[str, Any]], str]
# kind -> format -> the function writing a document of that kind in that format
DOCUMENT_KINDS: dict[str, dict[str, View]] = {}


def output_format(requested: Optional[str], output: Optional[Path]) -> str:
    """The format asked for, else the one the -o file's extension names, else Markdown."""
    return requested or FORMAT_BY_SUFFIX.get(output.suffix.lower() if output else "", "md")


def as_json(document: dict[str, Any]) -> str:
    # Key order is the documented one, so no sort_keys.
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_as(kind: str, document: dict[str, Any], fmt: str) -> str:
    """`document` of `kind` in format `fmt`."""
    views = DOCUMENT_KINDS[kind]
    if fmt not in views:
        raise ValueError(f"{kind} format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return views[fmt](document)


def document_kind(kind: str, *, md: View, html: View) -> Callable[[dict[str, Any], str], str]:
    """Register `kind` with its views, and give back its `render(document, fmt)`."""
    DOCUMENT_KINDS[kind] = {"json": as_json, "md": md, "html": html}
    assert tuple(DOCUMENT_KINDS[kind]) == FORMATS

    def render(document: dict[str, Any], fmt: str) -> str:
        return render_as(kind, document, fmt)

    render.__doc__ = f"The {kind} as JSON, Markdown (\"md\") or one self-contained HTML page."
    return render
