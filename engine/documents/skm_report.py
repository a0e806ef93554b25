"""`patuh skm`: a survey's responses -> the IKM as JSON, Markdown or an HTML display page.

The HTML page follows the public display of Sanggau Lampiran II huruf J (the IKM, the
service, the respondents by sex and education, the survey period), followed by the
per-element table an auditor rechecks. `patuh skm sample-size N` gives the Krejcie &
Morgan sample for a population of N, and checks a survey's respondents against it.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any, Optional

from ..render.environment import render_html, render_markdown
from ..render.formats import document_kind
from ..render.labels import document_language, group
from ..skm.method import SurveyResult, check_sample, compare_published, round_half_up

LABELS: dict[str, dict[str, Any]] = group("skm_report")



def _number(value: Fraction, places: int) -> float:
    return float(round_half_up(value, places))


def as_report(result: SurveyResult, *, unit: Optional[str] = None, service: Optional[str] = None,
              population: Optional[int] = None, published: Optional[Any] = None, language: str = "id") -> dict[str, Any]:
    """The result as plain data (the JSON report, and what the templates show)."""
    mutu, kinerja, kinerja_en = result.grade
    report: dict[str, Any] = {
        "source": Path(result.source).name,
        "unit": unit,
        "service": service,
        "language": language,
        "respondents": result.respondents,
        "blank_rows": result.blank_rows,
        "period": {"from": result.first_date, "to": result.last_date},
        "elements": [
            {"code": e.code, "name": e.name, "answered": e.answered, "sum": e.total, "nrr": _number(e.nrr, 4),
             "weight": _number(e.weight, 6), "weighted_nrr": _number(e.weighted, 4)}
            for e in result.elements
        ],
        "index": _number(result.index, 4),
        "ikm": float(result.ikm_rounded),
        "mutu": mutu,
        "kinerja": kinerja_en if language == "en" else kinerja,
        "priorities": [{"code": e.code, "name": e.name, "nrr": _number(e.nrr, 4)} for e in result.priorities],
        "profiles": result.profiles,
    }
    if result.ikm_with_0_11 is not None and all(e.weight == Fraction(1, 9) for e in result.elements):
        report["ikm_with_weight_0_11"] = float(round_half_up(result.ikm_with_0_11, 2))
    if population is not None:
        check = check_sample(population, result.respondents)
        report["sample"] = {"population": population, "required": check.required, "least": check.least,
                            "respondents": check.respondents, "shortfall": check.shortfall, "enough": check.enough}
    if published is not None:
        report["published"] = compare_published(published, result.ikm)
    return report


def _display_date(iso: str | None) -> str | None:
    """Lampiran II huruf J writes dates day-month-year."""
    if not iso:
        return None
    year, month, day = iso.split("-")
    return f"{day}-{month}-{year}"


def _context(report: dict[str, Any]) -> dict[str, Any]:
    language = document_language(report)
    return {"report": report, "labels": LABELS[language], "language": language,
            "period_from": _display_date(report["period"]["from"]), "period_to": _display_date(report["period"]["to"])}


render = document_kind("skm", md=lambda report: render_markdown("skm", _context(report)),
                       html=lambda report: render_html("skm", _context(report)))
