"""`patuh skm`: a survey's responses -> the IKM as JSON, Markdown or an HTML display page.

The HTML page follows the public display of Sanggau Lampiran II huruf J (the IKM, the
service, the respondents by sex and education, the survey period), followed by the
per-element table an auditor rechecks. `patuh skm sample-size N` gives the Krejcie &
Morgan sample for a population of N, and checks a survey's respondents against it.
"""

from __future__ import annotations

import argparse
from fractions import Fraction
from pathlib import Path
from typing import Any, Optional

from ..render.environment import render_html, render_markdown
from ..render.formats import FORMATS, document_kind, output_format
from ..render.labels import document_language, group
from ..render.writer import emit
from ..problems import InputError
from ..skm.method import SurveyResult, check_sample, compare_published, compute, krejcie_morgan, round_half_up
from ..skm.sheets import read_responses

EXIT_OK, EXIT_FAILED, EXIT_SHORT = 0, 1, 2
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


def _weights(text: str | None) -> list[str] | None:
    return [part.strip() for part in text.split(",")] if text else None


def command_skm(arguments: argparse.Namespace) -> int:
    if arguments.responses == "sample-size":
        return _command_sample_size(arguments)
    if arguments.number is not None:
        raise InputError(arguments.responses, "takes no number after the responses file (did you mean "
                         "`patuh skm sample-size N`, or --population N?)")
    responses = read_responses(arguments.responses)
    try:
        result = compute(responses, _weights(arguments.weights), language=arguments.lang)
    except ValueError as error:
        raise InputError(arguments.responses, str(error), field="--weights" if arguments.weights else None) from None
    checks = (("--published", arguments.published, lambda value: compare_published(value, result.ikm)),
              ("--population", arguments.population, krejcie_morgan))
    for option, value, check in checks:
        try:
            if value is not None:
                check(value)
        except ValueError as error:
            raise InputError("patuh skm", str(error), field=option) from None
    report = as_report(result, unit=arguments.unit, service=arguments.service, population=arguments.population,
                       published=arguments.published, language=arguments.lang)
    report_format = output_format(arguments.format, arguments.output)
    emit(render(report, report_format), arguments.output)
    short = "sample" in report and not report["sample"]["enough"]
    differs = "published" in report and not report["published"]["matches"]
    return EXIT_SHORT if short or differs else EXIT_OK


def _command_sample_size(arguments: argparse.Namespace) -> int:
    if arguments.number is None:
        raise InputError("patuh skm sample-size", "give the population: the number of service users the survey covers, e.g. `patuh skm sample-size 1200`")
    try:
        required = krejcie_morgan(arguments.number)
    except ValueError as error:
        raise InputError("patuh skm sample-size", str(error)) from None
    check = check_sample(arguments.number, arguments.respondents or 0)
    print(f"population {arguments.number}: Krejcie & Morgan sample {required} respondents "
          "(Lampiran II huruf H; X² = 3.841, P = 0.5, d = 0.05); "
          f"the least the formula allows: {check.least} (taraf kesalahan 10 %, X² = 2.706; Lampiran II huruf D)")
    if arguments.respondents is None:
        return EXIT_OK
    if check.enough:
        below_table = f", below the table's {check.required}" if check.respondents < check.required else ""
        print(f"{check.respondents} respondents: enough{below_table}")
        return EXIT_OK
    print(f"{check.respondents} respondents: {check.shortfall} short of the least allowed, {check.least}")
    return EXIT_SHORT


def add_parser(commands: Any) -> None:
    """The `skm` subcommand, for cli._parser."""
    skm = commands.add_parser("skm", help="compute the IKM from a survey's raw responses (CSV or XLSX), or `skm sample-size N`")
    skm.add_argument("responses", help="the responses file (.csv or .xlsx: U1 … U9, optional jenis_kelamin, usia, pendidikan, "
                                       "pekerjaan, jenis_layanan, tanggal), or the word sample-size")
    skm.add_argument("number", nargs="?", type=int, default=None, help="with sample-size: the population N")
    skm.add_argument("--respondents", type=int, default=None, help="with sample-size: check this many respondents against N")
    skm.add_argument("--weights", default=None, help="one weight per element, comma-separated, summing to 1 (default 1/n each); 1/9 is allowed")
    skm.add_argument("--population", type=int, default=None, help="service users in the survey period: checks the sample size")
    skm.add_argument("--published", default=None, help="the IKM the unit published: checked against the recomputed one")
    skm.add_argument("--unit", default=None, help="unit name shown on the display page")
    skm.add_argument("--service", default=None, help="service name shown on the display page (NAMA PELAYANAN)")
    skm.add_argument("--format", choices=FORMATS, default=None,
                     help="output format (default: from the -o file's extension, else md)")
    skm.add_argument("--lang", choices=("id", "en"), default="id")
    skm.add_argument("-o", "--output", type=Path, help="write here (written whole or not at all)")
