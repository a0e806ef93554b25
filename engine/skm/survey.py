"""Survei Kepuasan Masyarakat: raw answers -> the IKM, its grade, priorities and profile.

The method is Sanggau Lampiran II huruf E (the national guideline, PermenPAN-RB 14/2017):
per element (unsur) the average of the scores of the respondents who answered it (NRR),
weighted so that the weights sum to 1 (equal weights: 1/n each, exactly — the 0.11 printed
in the example caps a perfect survey at 99.0), summed, and converted to 25-100 by x25.
The grade reads the converted value rounded half up to 2 decimals against lower bounds
(A >= 88.31, B >= 76.61, C >= 65.00, else D), so no value falls into the gaps of the
printed interval table (64.99 -> 65.00, 76.60 -> 76.61, 88.30 -> 88.31).

Everything is computed in exact fractions: an auditor rechecking a published 76.61 must
not get 76.60 from a float that landed on 76.6049999.

Sample size: Krejcie & Morgan (1970), the table of Lampiran II huruf H, reproduced by
s = X^2 N P(1-P) / (d^2 (N-1) + X^2 P(1-P)) with X^2 = 3.841, P = 0.5, d = 0.05,
rounded to the nearest whole respondent.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from ..load.source_yaml import InputError

# Lampiran II huruf A angka 4 huruf a-i, in that order: U1 ... U9.
ELEMENTS = (
    "Persyaratan",
    "Sistem, Mekanisme, dan Prosedur",
    "Waktu Penyelesaian",
    "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan",
    "Kompetensi Pelaksana",
    "Perilaku Pelaksana",
    "Penanganan Pengaduan, Saran dan Masukan",
    "Sarana dan Prasarana",
)
ELEMENTS_EN = (
    "Requirements", "Systems, mechanisms and procedures", "Completion time", "Fee/tariff",
    "Product specification of the service", "Staff competence", "Staff conduct",
    "Handling of complaints, suggestions and feedback", "Facilities and infrastructure",
)
SCORES = (1, 2, 3, 4)  # Lampiran II huruf D angka I huruf b angka 3: tidak baik 1 ... sangat baik 4

# (lower bound of the converted IKM, mutu, kinerja): Lampiran II huruf E, the interval table.
GRADES = (
    (Decimal("88.31"), "A", "Sangat Baik", "Very good"),
    (Decimal("76.61"), "B", "Baik", "Good"),
    (Decimal("65.00"), "C", "Kurang Baik", "Less than good"),
    (Decimal("25.00"), "D", "Tidak Baik", "Not good"),
)

# Optional respondent columns: the name used in reports, and the headers accepted for it.
PROFILE_COLUMNS = {
    "jenis_kelamin": ("jenis_kelamin", "kelamin", "jk", "sex", "gender"),
    "usia": ("usia", "umur", "age"),
    "pendidikan": ("pendidikan", "education"),
    "pekerjaan": ("pekerjaan", "occupation"),
    "jenis_layanan": ("jenis_layanan", "layanan", "service", "service_type"),
    "tanggal": ("tanggal", "tanggal_survei", "date"),
}
# Columns a questionnaire sheet commonly carries that do not enter the index.
IGNORED_COLUMNS = ("no", "nomor", "responden", "id", "jam", "jam_survei", "time", "saran", "saran_perbaikan", "suggestion")
SEX_WORDS = {"l": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "m": "L", "male": "L",
             "p": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P"}
PROFILE_ORDER = {"jenis_kelamin": ("L", "P"), "pendidikan": ("SD", "SMP", "SMA", "SMK", "DI", "DII", "DIII", "DIV", "S1", "S2", "S3"),
                 "usia": ("< 20", "20–29", "30–39", "40–49", "50–59", "≥ 60")}
AGE_BANDS = ((0, 19, "< 20"), (20, 29, "20–29"), (30, 39, "30–39"), (40, 49, "40–49"), (50, 59, "50–59"), (60, 200, "≥ 60"))
PROBLEMS_SHOWN = 20  # a sheet with a shifted column errs on every row; the first screenful is enough


class SurveyError(Exception):
    """Every problem found in one responses file, each naming its row and column."""

    def __init__(self, problems: list[InputError]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Respondent:
    row: int                                  # the row in the sheet (the header is row 1)
    scores: tuple[Optional[int], ...]         # U1..Un; None = not answered
    profile: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Responses:
    source: str
    elements: tuple[str, ...]                 # column codes U1..Un
    respondents: tuple[Respondent, ...]


# --- Reading -----------------------------------------------------------------------------

def _header_key(text: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(text if text is not None else "").strip().casefold())


def _rows_from_csv(file: Path) -> list[list[Any]]:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise SurveyError([InputError(file, f"not UTF-8 text (byte {error.start}); save the sheet as CSV UTF-8")]) from None
    if not text.strip():
        return []
    first_line = text.splitlines()[0]
    # Spreadsheets in an Indonesian locale write `;` between cells (the comma is the decimal sign).
    delimiter = max((",", ";", "\t"), key=first_line.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _rows_from_xlsx(file: Path) -> list[list[Any]]:
    from openpyxl import load_workbook  # only a spreadsheet needs it
    from zipfile import BadZipFile

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as error:
        raise SurveyError([InputError(file, f"not a readable .xlsx workbook ({error})")]) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_rows(file: Path | str) -> list[list[Any]]:
    file = Path(file)
    if not file.is_file():
        raise SurveyError([InputError(file, "no such file")])
    suffix = file.suffix.lower()
    if suffix == ".xlsx":
        return _rows_from_xlsx(file)
    if suffix in (".csv", ".txt"):
        return _rows_from_csv(file)
    raise SurveyError([InputError(file, f"expected a .csv or .xlsx file of responses, found {suffix or 'no extension'}")])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _score(value: Any) -> tuple[Optional[int], Optional[str]]:
    """A cell as a score 1-4, None when unanswered, or the reason it is neither."""
    if _blank(value):
        return None, None
    if isinstance(value, bool):
        return None, f"expected a score 1–4 or an empty cell, found {value!r}"
    if isinstance(value, (int, float)):
        number = value
    else:
        text = str(value).strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None, f"expected a score 1–4 or an empty cell, found {str(value).strip()!r} (not a number)"
    if number not in SCORES:  # 4.0 is 4; 3.5, nan and inf are none of the four
        return None, f"expected a score 1–4 (1 tidak baik … 4 sangat baik), found {value!r}"
    return int(number), None


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return " ".join(str(value).split())


def parse_rows(rows: Sequence[Sequence[Any]], source: Path | str) -> Responses:
    """Validate a sheet (header row, then one row per respondent) into responses, or raise SurveyError."""
    source = str(source)
    rows = [list(row) for row in rows]
    while rows and all(_blank(cell) for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise SurveyError([InputError(source, "the file is empty: expected a header row (U1 … U9, optional "
                                      "jenis_kelamin, usia, pendidikan, pekerjaan, jenis_layanan, tanggal) and one row per respondent")])
    header = rows[0]
    problems: list[InputError] = []
    element_columns: dict[int, int] = {}   # element number -> column index
    profile_columns: dict[str, int] = {}
    aliases = {alias: name for name, names in PROFILE_COLUMNS.items() for alias in names}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        column = _column_letter(index)
        element = re.fullmatch(r"u(\d+)", key)
        if element and int(element.group(1)) >= 1:
            number = int(element.group(1))
            if number in element_columns:
                problems.append(InputError(source, f"column U{number} appears twice", 1, column))
            element_columns[number] = index
        elif key in aliases:
            profile_columns[aliases[key]] = index
        elif key in IGNORED_COLUMNS or (not key and all(_blank(row[index]) if index < len(row) else True for row in rows[1:])):
            continue
        else:
            problems.append(InputError(
                source, f"unknown column {str(cell).strip()!r}; expected U1 … U9 (one per element of Lampiran II "
                f"huruf A angka 4; extra elements U10, U11, …), and optionally {', '.join(PROFILE_COLUMNS)} "
                f"(or {', '.join(IGNORED_COLUMNS)}, which are not scored)", 1, column))
    count = max([9, *element_columns])
    lacking = [f"U{n}" for n in range(1, count + 1) if n not in element_columns]
    if lacking:
        problems.append(InputError(source, f"no column {', '.join(lacking)}: the scores need one column per element, "
                                   f"U1 … U{count} (the nine of Lampiran II huruf A angka 4 are U1 … U9)", 1, "header"))
    if problems:
        raise SurveyError(problems)
    codes = tuple(f"U{n}" for n in range(1, count + 1))
    respondents = []
    for offset, row in enumerate(rows[1:]):
        row_number = offset + 2
        if all(_blank(cell) for cell in row):
            continue  # a blank line between blocks of a sheet
        if any(not _blank(cell) for cell in row[len(header):]):
            problems.append(InputError(source, f"the row has {len(row)} cells but the header names {len(header)}: "
                                       "a cell may hold an unquoted separator", row_number, _column_letter(len(header))))
            continue
        scores = []
        for number in range(1, count + 1):
            index = element_columns[number]
            value = row[index] if index < len(row) else None
            score, problem = _score(value)
            if problem:
                problems.append(InputError(source, problem, row_number, f"U{number} (column {_column_letter(index)})"))
            scores.append(score)
        profile = {}
        for name, index in profile_columns.items():
            value = row[index] if index < len(row) else None
            if _blank(value):
                continue
            text = _cell_text(value)
            if name == "tanggal":
                try:
                    text = date.fromisoformat(text).isoformat()
                except ValueError:
                    problems.append(InputError(source, f"expected a date written YYYY-MM-DD, found {text!r}", row_number,
                                               f"tanggal (column {_column_letter(index)})"))
                    continue
            profile[name] = text
        respondents.append(Respondent(row=row_number, scores=tuple(scores), profile=profile))
    if problems:
        shown = problems[:PROBLEMS_SHOWN]
        if len(problems) > PROBLEMS_SHOWN:
            shown.append(InputError(source, f"… and {len(problems) - PROBLEMS_SHOWN} more problems of the same kind"))
        raise SurveyError(shown)
    if not respondents:
        raise SurveyError([InputError(source, "the file has a header but no respondent rows", 2)])
    unanswered = [f"U{n + 1}" for n in range(count) if all(r.scores[n] is None for r in respondents)]
    if unanswered:
        raise SurveyError([InputError(source, f"no respondent answered {', '.join(unanswered)}: its average (NRR) "
                                      "cannot be computed", None, ", ".join(unanswered))])
    return Responses(source=source, elements=codes, respondents=tuple(respondents))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def read_responses(file: Path | str) -> Responses:
    return parse_rows(read_rows(file), file)


# --- Weights -----------------------------------------------------------------------------

def exact(number: Any) -> Fraction:
    """A weight or published value as the decimal the person wrote (0.11 is 11/100, not a binary float)."""
    if isinstance(number, Fraction):
        return number
    text = str(number).strip().replace(",", ".")
    try:
        value = Fraction(text) if "/" in text else Fraction(Decimal(text))
    except (ArithmeticError, ValueError):
        raise ValueError(f"expected a number such as 82.43, 0.2 or 1/9, found {str(number)!r}") from None
    return value


def weights_for(element_count: int, given: Optional[Sequence[Any]] = None) -> tuple[Fraction, ...]:
    """Equal weights 1/n, or the unit's own weights, which must be one per element and sum to exactly 1."""
    if not given:
        return tuple(Fraction(1, element_count) for _ in range(element_count))
    try:
        weights = tuple(exact(w) for w in given)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"weights must be numbers such as 0.2 or 1/9, found {list(given)!r}") from None
    if len(weights) != element_count:
        raise ValueError(f"{len(weights)} weights given for {element_count} elements (U1 … U{element_count}): give one per element")
    if any(w <= 0 for w in weights):
        raise ValueError("every weight must be more than 0")
    total = sum(weights)
    # Lampiran II huruf E: "dengan catatan jumlah bobot seluruh unsur tetap 1". Nine times 0.11 is 0.99.
    if total != 1:
        raise ValueError(f"the weights sum to {float(total):.6g}, not 1 (Lampiran II huruf E: the weights of all "
                         "elements together stay 1); write 1/9 rather than 0.11")
    return weights


# --- Computing -----------------------------------------------------------------------------

def round_half_up(value: Fraction, places: int) -> Decimal:
    """Rounded half up (as a spreadsheet's ROUND does), in integers so that nothing is lost on the way."""
    scaled = value * 10 ** places
    rounded = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)  # floor(x + 1/2), x >= 0
    return Decimal(rounded).scaleb(-places)


def grade(ikm: Any) -> tuple[str, str, str]:
    """(mutu, kinerja, kinerja in English) of a converted IKM, read at 2 decimals against lower bounds."""
    value = round_half_up(exact(ikm), 2)
    for lower, mutu, kinerja, english in GRADES:
        if value >= lower:
            return mutu, kinerja, english
    raise ValueError(f"an IKM is between 25 and 100, found {ikm}")


@dataclass(frozen=True)
class ElementResult:
    code: str
    name: str
    answered: int
    total: int
    weight: Fraction

    @property
    def nrr(self) -> Fraction:
        return Fraction(self.total, self.answered)

    @property
    def weighted(self) -> Fraction:
        return self.nrr * self.weight


@dataclass(frozen=True)
class SurveyResult:
    source: str
    respondents: int            # rows with at least one answer: the questionnaires that could be processed
    blank_rows: int             # respondent rows with no score at all (not processed)
    elements: tuple[ElementResult, ...]
    profiles: dict[str, dict[str, int]]
    first_date: Optional[str]
    last_date: Optional[str]

    @property
    def index(self) -> Fraction:
        """Σ NRR × weight, on 1-4 (the Nilai Interval of the table)."""
        return sum((element.weighted for element in self.elements), Fraction(0))

    @property
    def ikm(self) -> Fraction:
        return self.index * 25

    @property
    def ikm_rounded(self) -> Decimal:
        return round_half_up(self.ikm, 2)

    @property
    def grade(self) -> tuple[str, str, str]:
        return grade(self.ikm)

    @property
    def priorities(self) -> list[ElementResult]:
        """Lowest NRR first (Lampiran II huruf E angka III huruf b): the elements to improve first."""
        return sorted(self.elements, key=lambda element: (element.nrr, int(element.code[1:])))

    @property
    def ikm_with_0_11(self) -> Optional[Fraction]:
        """What the example's rounded weight 0.11 gives: explains a published value 1 % too low."""
        if len(self.elements) != 9:
            return None
        return sum((element.nrr * Fraction(11, 100) for element in self.elements), Fraction(0)) * 25


def _element_name(code: str, language: str = "id") -> str:
    number = int(code[1:])
    names = ELEMENTS_EN if language == "en" else ELEMENTS
    if number <= len(names):
        return names[number - 1]
    return f"Additional element {code}" if language == "en" else f"Unsur tambahan {code}"


def _age_band(text: str) -> str:
    try:
        age = int(float(text.replace(",", ".")))
    except (ValueError, OverflowError):
        return text  # an age already written as a band ("20-29 tahun")
    # An age no band holds (a typo such as -3 or 420) is counted as written, for the reader to see.
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), text)


def compute(responses: Responses, weights: Optional[Sequence[Any]] = None, language: str = "id") -> SurveyResult:
    """NRR per element, weighted, the IKM, and the respondents' profile; `weights` as in `weights_for`."""
    element_weights = weights_for(len(responses.elements), weights)
    scored = [r for r in responses.respondents if any(s is not None for s in r.scores)]
    elements = []
    for position, code in enumerate(responses.elements):
        answers = [r.scores[position] for r in scored if r.scores[position] is not None]
        if not answers:
            raise ValueError(f"no respondent answered {code}: its average (NRR) cannot be computed")
        elements.append(ElementResult(code=code, name=_element_name(code, language), answered=len(answers),
                                      total=sum(answers), weight=element_weights[position]))
    profiles: dict[str, dict[str, int]] = {}
    for name in PROFILE_COLUMNS:
        if name == "tanggal":
            continue
        values = Counter()
        for respondent in scored:
            value = respondent.profile.get(name)
            if value is None:
                values["(tidak diisi)" if language != "en" else "(not given)"] += 1
            elif name == "jenis_kelamin":
                values[SEX_WORDS.get(value.casefold(), value)] += 1
            elif name == "usia":
                values[_age_band(value)] += 1
            elif name == "pendidikan":
                values[value.upper()] += 1
            else:
                values[value] += 1
        if set(values) - {"(tidak diisi)", "(not given)"}:
            # Sex and education in the display's own order (Lampiran II huruf J), the rest most frequent first.
            order = PROFILE_ORDER.get(name, ())
            profiles[name] = dict(sorted(values.items(), key=lambda item: (
                order.index(item[0]) if item[0] in order else len(order), item[0].startswith("("), -item[1], item[0])))
    dates = sorted(r.profile["tanggal"] for r in scored if "tanggal" in r.profile)
    return SurveyResult(source=responses.source, respondents=len(scored),
                        blank_rows=len(responses.respondents) - len(scored), elements=tuple(elements),
                        profiles=profiles, first_date=dates[0] if dates else None, last_date=dates[-1] if dates else None)


def respondents_by_service(responses_rows: Iterable[dict[str, Any]]) -> Counter:
    """How many scored respondents named each service (rows as facts hold them)."""
    counted = Counter()
    for row in responses_rows:
        if any(score is not None for score in row.get("scores", [])) and row.get("service_type"):
            counted[row["service_type"]] += 1
    return counted


# --- Sample size ----------------------------------------------------------------------------

CHI_SQUARE = Fraction("3.841")     # X², one degree of freedom at 95 % confidence: the table of huruf H
# Huruf D lets the formula be used at "taraf kesalahan 1 %, 5 %, 10 %"; 10 % (X² = 2.706, 90 %
# confidence) is the least demanding level the text allows, so the smallest sample it accepts.
CHI_SQUARE_LEAST = Fraction("2.706")
PROPORTION = Fraction(1, 2)        # P
MARGIN = Fraction(5, 100)          # d


def krejcie_morgan(population: int, chi_square: Fraction = CHI_SQUARE) -> int:
    """The sample Krejcie & Morgan require for a population of `population` service users."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise ValueError(f"the population is a whole number of service users, at least 1; found {population!r}")
    spread = chi_square * PROPORTION * (1 - PROPORTION)
    sample = spread * population / (MARGIN ** 2 * (population - 1) + spread)
    return int(round_half_up(sample, 0))


@dataclass(frozen=True)
class SampleCheck:
    """Respondents against the table's sample (5 %) and the least the formula allows (10 %)."""

    population: int
    required: int
    least: int
    respondents: int

    @property
    def shortfall(self) -> int:
        return max(0, self.least - self.respondents)

    @property
    def enough(self) -> bool:
        return self.respondents >= self.least


def check_sample(population: int, respondents: int) -> SampleCheck:
    return SampleCheck(population=population, required=krejcie_morgan(population),
                       least=krejcie_morgan(population, CHI_SQUARE_LEAST), respondents=respondents)


# --- As data for reports and facts --------------------------------------------------------------

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


PUBLISHED_PLACES = 2  # the precision of the grade table (65.00, 76.61, 88.31)


def compare_published(published: Any, recomputed: Fraction) -> dict[str, Any]:
    """A published IKM against the recomputed one, both at 2 decimals, the grade table's precision.

    The precision a unit printed cannot be read back from a number (77.20 arrives as 77.2), and
    judging at a coarser one would let 77.00 pass for 76.50, across a grade boundary. So a
    published 82.4 is read as 82.40: a recomputed 82.44 differs from it.
    """
    value = exact(published)
    if not 25 <= value <= 100:
        raise ValueError(f"a published IKM is between 25 and 100, found {published}")
    places = PUBLISHED_PLACES
    published_value = round_half_up(value, places)
    recomputed_value = round_half_up(recomputed, places)
    difference = abs(published_value - recomputed_value)
    return {"published": float(published_value), "recomputed": float(recomputed_value), "places": places,
            "difference": float(difference), "matches": difference == 0}


# --- Facts: a survey's sheet read at load time, and what rules measure on it ----------------------

def _service_lookup(service_types: Sequence[Any]) -> dict[str, str]:
    """Service ids by their id and their name, as a sheet may write either."""
    lookup: dict[str, str] = {}
    for service in service_types:
        for word in (service.id, service.name):
            lookup[" ".join(str(word).casefold().split())] = service.id
    return lookup


def respondents_for_facts(file: Path, weights: Optional[Sequence[Any]], service_types: Sequence[Any]) -> tuple[list, list[InputError]]:
    """The rows of a responses sheet as `SurveyRespondent`s, or the problems that stop it loading.

    A respondent's service (jenis_layanan) must be one of the unit's service types, by id or by
    name: a survey is judged per service, and a name no service has would silently cover nothing.
    """
    from ..model.facts import SurveyRespondent

    try:
        responses = read_responses(file)
        weights_for(len(responses.elements), weights)
    except SurveyError as error:
        return [], error.problems
    except ValueError as error:
        return [], [InputError(file, str(error), None, "weights")]
    lookup = _service_lookup(service_types)
    known = ", ".join(f"{service.id} ({service.name})" for service in service_types) or "none: the facts list no service_types"
    problems: list[InputError] = []
    respondents = []
    for respondent in responses.respondents:
        service_type = None
        named = respondent.profile.get("jenis_layanan")
        if named is not None:
            service_type = lookup.get(" ".join(named.casefold().split()))
            if service_type is None:
                problems.append(InputError(file, f"{named!r} is not a service type of this unit (known: {known})",
                                           respondent.row, "jenis_layanan"))
        respondents.append(SurveyRespondent(row=respondent.row, scores=list(respondent.scores), service_type=service_type,
                                            dated=respondent.profile.get("tanggal")))
    return respondents, problems[:PROBLEMS_SHOWN]


def _responses_from_facts(responses: dict[str, Any], source: str) -> Responses:
    rows = responses.get("respondents") or []
    count = len(rows[0]["scores"]) if rows else 9
    return Responses(source=source, elements=tuple(f"U{n}" for n in range(1, count + 1)), respondents=tuple(
        Respondent(row=row.get("row") or index + 1, scores=tuple(row["scores"]),
                   profile={key: str(row[field]) for key, field in (("jenis_layanan", "service_type"), ("tanggal", "dated")) if row.get(field)})
        for index, row in enumerate(rows)))


def recompute_survey(survey: dict[str, Any]) -> Optional[SurveyResult]:
    """The survey (as facts hold it) recomputed from its raw answers; None when it has none."""
    responses = survey.get("responses")
    if not responses or responses.get("respondents") is None:
        return None
    return compute(_responses_from_facts(responses, responses.get("file") or "responses"), responses.get("weights"))


@dataclass
class Measured:
    """What one measure of `survey_recomputation` found: a number or a word, or the fields it lacked."""

    number: Optional[float] = None
    word: Optional[str] = None
    missing: list[str] = field(default_factory=list)   # fields of the survey that are absent
    details: dict[str, Any] = field(default_factory=dict)


def _respondents(survey: dict[str, Any], result: Optional[SurveyResult]) -> tuple[Optional[int], str]:
    """Respondents who answered, counted on the raw answers when there are some, else as the report states."""
    if result is not None:
        return result.respondents, "responses"
    return survey.get("respondents"), "respondents"


def measure_survey(measure: str, survey: dict[str, Any]) -> Measured:
    """One survey's measure for a rule (engine/queries.py `survey_recomputation`)."""
    found = Measured()
    try:
        result = recompute_survey(survey)
    except ValueError as error:  # weights or unanswered elements written inline wrongly
        found.missing.append("responses")
        found.details["error"] = str(error)
        return found
    if result is not None:
        mutu, kinerja, _ = result.grade
        found.details.update({"recomputed_ikm": float(result.ikm_rounded), "mutu": mutu, "kinerja": kinerja,
                              "respondents_answering": result.respondents,
                              "priorities": [element.code for element in result.priorities[:3]]})
        if result.ikm_with_0_11 is not None and all(e.weight == Fraction(1, 9) for e in result.elements):
            found.details["ikm_with_weight_0_11"] = float(round_half_up(result.ikm_with_0_11, 2))
    if measure in ("recomputed_ikm", "recomputed_mutu", "ikm_difference"):
        if result is None:
            found.missing.append("responses")
        if measure == "ikm_difference" and survey.get("ikm") is None:
            found.missing.append("ikm")
        if found.missing:
            return found
        if measure == "recomputed_ikm":
            found.number = float(result.ikm_rounded)
        elif measure == "recomputed_mutu":
            found.word = result.grade[0]
        else:
            comparison = compare_published(survey["ikm"], result.ikm)
            found.details.update(comparison)
            found.number = comparison["difference"]
        return found
    respondents, counted_from = _respondents(survey, result)
    population = survey.get("population")
    if measure in ("required_sample", "sample_shortfall", "least_sample", "least_sample_shortfall") and population is None:
        found.missing.append("population")
    if measure in ("respondents", "sample_shortfall", "least_sample_shortfall") and respondents is None:
        found.missing.append("respondents")
    if found.missing:
        return found
    found.details["respondents_counted_from"] = counted_from
    if population is not None:
        found.details.update({"population": population, "required_sample": krejcie_morgan(population),
                              "least_sample": krejcie_morgan(population, CHI_SQUARE_LEAST)})
    if measure == "required_sample":
        found.number = krejcie_morgan(population)
    elif measure == "least_sample":
        found.number = krejcie_morgan(population, CHI_SQUARE_LEAST)
    elif measure == "least_sample_shortfall":
        found.number = max(0, krejcie_morgan(population, CHI_SQUARE_LEAST) - respondents)
    elif measure == "respondents":
        found.number = respondents
    elif measure == "sample_shortfall":
        found.number = check_sample(population, respondents).shortfall
    else:
        raise ValueError(f"unknown survey measure {measure!r}")
    return found


def survey_covers_service(survey: dict[str, Any], service_id: str) -> tuple[Optional[bool], list[str]]:
    """Whether a survey covered a service: by its respondents when the raw answers name services, else as it lists.

    (None, [fields]) when neither says.
    """
    rows = (survey.get("responses") or {}).get("respondents")
    named = respondents_by_service(rows or [])
    if named:
        if named.get(service_id, 0) > 0:
            return True, []
        # A scored respondent who named no service may have used this one: not known, and the
        # rows that would settle it are named (the first few; the rest say the same).
        unnamed = [index for index, row in enumerate(rows or [])
                   if any(score is not None for score in row.get("scores", [])) and not row.get("service_type")]
        if unnamed:
            return None, [f"responses.respondents[{index}].service_type" for index in unnamed[:3]]
        return False, []
    listed = survey.get("service_types")
    if listed is None:
        return None, ["service_types"]
    return service_id in listed, []
