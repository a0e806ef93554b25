"""Comparison views: the topic matrix and the differences between two regulations, as JSON,
Markdown or one self-contained HTML page (reports/templates/compare*.j2).

As with the audit report, the JSON is the record and the other formats are views of it;
Markdown escapes every value it prints (report.markdown_escape), HTML autoescapes.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..load.data_paths import data_directory
from ..render.report import MarkdownText, markdown_escape

FORMATS = ("json", "md", "html")

LABELS: dict[str, dict[str, Any]] = {
    "id": {
        "matrix_title": "Perbandingan peraturan pelayanan publik",
        "matrix_intro": "Setiap sel memuat ketentuan peraturan itu pada topik tersebut: pasal, kewajiban singkat, "
                        "periode atau tenggat, dan sanksinya. \"Tidak diatur\" berarti tidak ada aturan patuh untuk topik itu "
                        "dalam peraturan tersebut; ketentuan yang tidak dapat diaudit dari fakta ditampilkan oleh "
                        "`patuh rules coverage`. Matriks ini dibuat dari berkas aturan, bukan ditulis tangan.",
        "topic": "Topik",
        "rules": "aturan",
        "version": "versi aturan",
        "from": "berlaku sejak",
        "timing": "Periode/tenggat",
        "sanction": "Sanksi",
        "applies_to_violations_of": "atas pelanggaran",
        "difference_title": "Perbedaan",
        "difference_intro": "Dibandingkan per topik aturan. \"Lebih ketat\" dan \"lebih longgar\" dibaca dari sisi {a} "
                            "terhadap {b}: tenggat lebih pendek, periode lebih sering, lebih banyak unsur yang diwajibkan, "
                            "lebih banyak jenis unit yang terikat, atau sanksi yang lebih berat berarti lebih ketat. "
                            "Perbedaan yang tidak dapat diurutkan disebut \"tidak dapat dibandingkan\".",
        "verdicts": {"stricter": "{a} lebih ketat", "looser": "{a} lebih longgar", "mixed": "Sebagian lebih ketat, sebagian lebih longgar",
                     "only_in_a": "Hanya diatur {a}", "only_in_b": "Hanya diatur {b}", "not_comparable": "Tidak dapat dibandingkan",
                     "same": "Sama (sejauh dapat diukur)"},
        "dimension_verdicts": {"stricter": "lebih ketat", "looser": "lebih longgar", "same": "sama", "not_comparable": "tidak dapat dibandingkan"},
        "none": "Tidak ada.",
        "summary": "Ringkasan",
        "count": "Jumlah topik",
    },
    "en": {
        "matrix_title": "Comparison of public-service regulations",
        "matrix_intro": "Each cell holds what that regulation requires on the topic: the article, the requirement in "
                        "short, its period or deadline, and its sanction. \"Not regulated\" means patuh has no rule on the "
                        "topic for that regulation; provisions that cannot be audited from facts are listed by "
                        "`patuh rules coverage`. This matrix is generated from the rule files, not written by hand.",
        "topic": "Topic",
        "rules": "rules",
        "version": "rule set",
        "from": "in force from",
        "timing": "Period/deadline",
        "sanction": "Sanction",
        "applies_to_violations_of": "for violations of",
        "difference_title": "Differences",
        "difference_intro": "Compared topic by topic. \"Stricter\" and \"looser\" are read from {a} against {b}: a "
                            "shorter deadline, a more frequent period, more required entries, more kinds of unit bound, "
                            "or a heavier sanction is stricter. Differences that cannot be ordered are called \"not comparable\".",
        "verdicts": {"stricter": "{a} stricter", "looser": "{a} looser", "mixed": "Stricter in part, looser in part",
                     "only_in_a": "Only in {a}", "only_in_b": "Only in {b}", "not_comparable": "Not comparable",
                     "same": "Same (as far as measurable)"},
        "dimension_verdicts": {"stricter": "stricter", "looser": "looser", "same": "same", "not_comparable": "not comparable"},
        "none": "None.",
        "summary": "Summary",
        "count": "Topics",
    },
}


@lru_cache(maxsize=None)
def _environment(autoescape: bool) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(data_directory("reports") / "templates")),
        undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        autoescape=autoescape, finalize=None if autoescape else markdown_escape,
    )
    # Markdown a template macro composed from values it already escaped: not escaped twice.
    environment.filters["as_markdown"] = MarkdownText
    return environment


def _tidy(markdown: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", markdown).strip("\n") + "\n"


def render_document(document: dict, fmt: str, template: str, extra: dict[str, Any], labels: dict[str, dict[str, Any]] = LABELS) -> str:
    """`document` as JSON, or through reports/templates/TEMPLATE.md.j2 / .html.j2 with `labels` of its language."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    language = "en" if document.get("language") == "en" else "id"
    context = {"document": document, "labels": labels[language], "language": language, **extra}
    if fmt == "md":
        return _tidy(_environment(False).get_template(f"{template}.md.j2").render(context))
    return _environment(True).get_template(f"{template}.html.j2").render(context)


def render_matrix(matrix: dict, fmt: str) -> str:
    return render_document(matrix, fmt, "compare", {})


def render_difference(difference: dict, fmt: str) -> str:
    language = "en" if difference.get("language") == "en" else "id"
    names = {"a": difference["a"]["short_name"], "b": difference["b"]["short_name"]}
    verdicts = {key: text.format(**names) for key, text in LABELS[language]["verdicts"].items()}
    intro = LABELS[language]["difference_intro"].format(**names)
    return render_document(difference, fmt, "compare-difference", {"verdicts": verdicts, "intro": intro})
