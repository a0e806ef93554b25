"""Reading an SKM responses sheet (.csv or .xlsx): one row a respondent, U1..Un and the profile columns.

Every problem names its row and column; nothing is scored here (see method.py).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Optional, Sequence

from ..problems import InputError, InputProblems
from .method import PROFILE_COLUMNS, SCORES, Respondent, Responses

IGNORED_COLUMNS = ("no", "nomor", "responden", "id", "jam", "jam_survei", "time", "saran", "saran_perbaikan", "suggestion")
PROBLEMS_SHOWN = 20  # a sheet with a shifted column errs on every row; the first screenful is enough


class SurveyError(InputProblems):
    """Every problem found in one responses file, each naming its row and column."""



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
