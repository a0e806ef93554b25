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

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Optional, Sequence

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
SEX_WORDS = {"l": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "m": "L", "male": "L",
             "p": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P"}

PROFILE_ORDER = {"jenis_kelamin": ("L", "P"), "pendidikan": ("SD", "SMP", "SMA", "SMK", "DI", "DII", "DIII", "DIV", "S1", "S2", "S3"),
                 "usia": ("< 20", "20–29", "30–39", "40–49", "50–59", "≥ 60")}
AGE_BANDS = ((0, 19, "< 20"), (20, 29, "20–29"), (30, 39, "30–39"), (40, 49, "40–49"), (50, 59, "50–59"), (60, 200, "≥ 60"))


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
