"""Comparison views: the topic matrix and the differences between two regulations, as JSON,
Markdown or one self-contained HTML page (reports/templates/compare*.j2).

As with the audit report, the JSON is the record and the other formats are views of it;
Markdown escapes every value it prints (render.environment), HTML autoescapes.
"""

from __future__ import annotations

from typing import Any, Callable

from ..render.charts import Series, bar_matrix
from ..render.environment import render_html, render_markdown
from ..render.formats import document_kind
from ..render.labels import document_language, group

LABELS: dict[str, dict[str, Any]] = group("compare_report")
CHART_LABELS: dict[str, dict[str, Any]] = group("compare_charts")


def views(template: str, context: Callable[[dict], dict[str, Any]]) -> dict[str, Callable[[dict], str]]:
    """The Markdown and HTML views of a document through reports/templates/TEMPLATE.{md,html}.j2,
    given what its templates need beyond the document and its labels."""
    return {"md": lambda document: render_markdown(template, context(document)),
            "html": lambda document: render_html(template, context(document))}


def document_context(document: dict, labels: dict[str, dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """What every comparison-style template reads: the document, its labels and its language."""
    language = document_language(document)
    return {"document": document, "labels": labels[language], "language": language, **extra}


def _difference_context(difference: dict) -> dict[str, Any]:
    labels = LABELS[document_language(difference)]
    names = {"a": difference["a"]["short_name"], "b": difference["b"]["short_name"]}
    verdicts = {key: text.format(**names) for key, text in labels["verdicts"].items()}
    return document_context(difference, LABELS, verdicts=verdicts, intro=labels["difference_intro"].format(**names))


def rules_per_topic_chart(matrix: dict, labels: dict[str, Any]) -> str:
    """Rules per topic group (rules/topics.yaml's headings) and regulation, as an inline SVG.

    The sanctions row has no rules but the rule set's sanction and compensation clauses: those
    are counted there, so that a regulation listing sanctions is not drawn as silent on them.
    """
    groups: dict[str, list[int]] = {}
    for row in matrix["rows"]:
        counts = groups.setdefault(row["group_label"], [0] * len(matrix["regulations"]))
        for index, cell in enumerate(row["cells"]):
            counts[index] += len(cell["provisions"]) + len(cell["sanction_clauses"])
    series = [Series(regulation["short_name"], tuple(counts[index] for counts in groups.values()))
              for index, regulation in enumerate(matrix["regulations"])]
    return bar_matrix(list(groups), series, chart_id="chart-rules", title=labels["chart_title"],
                      empty=labels["chart_empty"], unit_words=labels["rules_unit"], zero=labels["not_regulated"])


def _matrix_context(matrix: dict) -> dict[str, Any]:
    chart_labels = CHART_LABELS[document_language(matrix)]
    return document_context(matrix, LABELS, chart_labels=chart_labels, chart=rules_per_topic_chart(matrix, chart_labels))


render_matrix = document_kind("compare matrix", **views("compare", _matrix_context))
render_difference = document_kind("difference", **views("compare-difference", _difference_context))
