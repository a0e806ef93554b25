"""SKM: the IKM recomputed from raw answers, its grade, the Krejcie & Morgan sample, and bad sheets."""

from __future__ import annotations

import json
import re
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from patuh.cli import main
from patuh.load.data_paths import data_directory
from patuh.load.regulation_text import load_regulation
from patuh.skm.method import compare_published, compute, grade, krejcie_morgan, weights_for
from patuh.skm.sheets import SurveyError, parse_rows, read_responses

EXAMPLES = data_directory("facts") / "examples"
BUNDLED = EXAMPLES / "sanggau-puskesmas-entikong-skm-2024.csv"
HEADER = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]


def _sheet(tmp_path: Path, text: str, name: str = "responses.csv") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


# --- The index ------------------------------------------------------------------------------

def test_the_bundled_survey_matches_a_hand_computation():
    # Counted by hand in a spreadsheet from the 102 rows: per element the sum of the scores and
    # how many respondents answered (8 left U4, biaya/tarif, blank; 1 left U8 blank).
    sums = [331, 308, 278, 325, 315, 326, 343, 278, 301]
    answered = [102, 102, 102, 94, 102, 102, 102, 101, 102]
    nrr = [Fraction(s, n) for s, n in zip(sums, answered)]
    by_hand = sum(nrr) / 9 * 25          # Σ NRR × 1/9 × 25
    assert 77.2171 < float(by_hand) < 77.2172
    result = compute(read_responses(BUNDLED))
    assert [e.total for e in result.elements] == sums and [e.answered for e in result.elements] == answered
    assert result.ikm == by_hand
    assert str(result.ikm_rounded) == "77.22" and result.grade == ("B", "Baik", "Good")
    assert result.respondents == 102
    # The example's unit weighted each element 0.11, as the annex prints: 1 % too low, and grade C.
    assert float(result.ikm_with_0_11) == pytest.approx(float(by_hand) * 0.99)
    assert grade(result.ikm_with_0_11)[0] == "C"


def test_a_small_sheet_by_hand(tmp_path):
    sheet = _sheet(tmp_path, "U1,U2,U3,U4,U5,U6,U7,U8,U9,jenis_kelamin\n"
                             "4,4,4,4,4,4,4,4,4,L\n"
                             "3,3,3,3,3,3,3,3,3,P\n"
                             "3,4,3,4,3,4,3,4,3,perempuan\n"
                             "2,3,3,,3,3,4,3,3,\n")
    result = compute(read_responses(sheet))
    # U4 was answered by 3 of 4: its NRR is 11/3, not 11/4.
    assert [e.nrr for e in result.elements] == [Fraction(12, 4), Fraction(14, 4), Fraction(13, 4), Fraction(11, 3),
                                                Fraction(13, 4), Fraction(14, 4), Fraction(14, 4), Fraction(14, 4), Fraction(13, 4)]
    assert result.ikm == Fraction(365, 12) / 9 * 25 == Fraction(9125, 108)
    assert str(result.ikm_rounded) == "84.49"
    assert [e.code for e in result.priorities][:2] == ["U1", "U3"]  # lowest NRR first, ties in element order
    assert result.profiles["jenis_kelamin"] == {"P": 2, "L": 1, "(tidak diisi)": 1}


def test_ages_are_counted_in_bands():
    rows = [HEADER + ["usia"]] + [[3] * 9 + [age] for age in ("17", "20", "29", "45", "60", "88", "-3", "20-29 tahun", "")]
    assert compute(parse_rows(rows, "sheet")).profiles["usia"] == {
        "< 20": 1, "20–29": 2, "40–49": 1, "≥ 60": 2, "(tidak diisi)": 1, "-3": 1, "20-29 tahun": 1}


def test_a_perfect_survey_scores_100_and_the_lowest_25(tmp_path):
    perfect = compute(parse_rows([HEADER, [4] * 9, [4] * 9], "sheet"))
    assert str(perfect.ikm_rounded) == "100.00" and perfect.grade[0] == "A"
    # The annex's 0.11 would cap it at 99.0: why patuh weights 1/9.
    assert perfect.ikm_with_0_11 == 99
    lowest = compute(parse_rows([HEADER, [1] * 9], "sheet"))
    assert lowest.ikm == 25 and lowest.grade == ("D", "Tidak Baik", "Not good")


@pytest.mark.parametrize("value, expected", [
    ("25", "D"), ("64.99", "D"), ("64.994", "D"), ("64.995", "C"), ("65.00", "C"), ("65.01", "C"),
    ("76.59", "C"), ("76.60", "C"), ("76.604", "C"), ("76.605", "B"), ("76.61", "B"), ("76.62", "B"),
    ("88.29", "B"), ("88.30", "B"), ("88.3049", "B"), ("88.305", "A"), ("88.31", "A"), ("88.32", "A"), ("100", "A"),
])
def test_grade_boundaries_read_the_value_rounded_to_two_decimals(value, expected):
    assert grade(value)[0] == expected


def test_grades_from_exact_fractions_do_not_fall_in_the_printed_gaps():
    # 3.0644 x 25 = 76.61 and 3.064 x 25 = 76.60: the interval table's gap holds no grade; 
    # an index between them is graded by the converted value, rounded.
    assert grade(Fraction("3.0642") * 25)[0] == "B"   # 76.605 -> 76.61
    assert grade(Fraction("3.0641") * 25)[0] == "C"   # 76.6025 -> 76.60


def test_custom_weights_and_extra_elements(tmp_path):
    rows = [HEADER + ["U10"], [4, 4, 4, 4, 4, 4, 4, 4, 4, 1], [4, 4, 4, 4, 4, 4, 4, 4, 4, 1]]
    equal = compute(parse_rows(rows, "sheet"))
    assert len(equal.elements) == 10 and equal.elements[9].name == "Unsur tambahan U10"
    assert equal.ikm == Fraction(9 * 4 + 1, 10) * 25
    weighted = compute(parse_rows(rows, "sheet"), ["0.1"] * 9 + ["0.1"])
    assert weighted.ikm == equal.ikm
    heavy = compute(parse_rows(rows, "sheet"), ["0.05"] * 9 + ["0.55"])
    assert heavy.ikm == (Fraction("0.45") * 4 + Fraction("0.55")) * 25
    assert weights_for(9, ["1/9"] * 9) == tuple([Fraction(1, 9)] * 9)


@pytest.mark.parametrize("weights, message", [
    (["0.11"] * 9, "sum to 0.99, not 1"),
    (["0.2"] * 9, "sum to 1.8, not 1"),
    (["0.5", "0.5"], "2 weights given for 9 elements"),
    (["0"] * 8 + ["1"], "more than 0"),
    (["abc"] * 9, "numbers such as"),
])
def test_weights_that_do_not_sum_to_one_are_refused(weights, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        weights_for(9, weights)


def test_a_published_ikm_is_compared_at_two_decimals_the_grade_tables_precision():
    recomputed = Fraction(9125, 108)  # 84.4907...
    assert compare_published(84.49, recomputed)["matches"]
    assert compare_published("84,49", recomputed)["matches"]       # a decimal comma, as printed in Indonesia
    assert not compare_published(84.5, recomputed)["matches"]      # 84.5 is read as 84.50
    assert not compare_published(84, recomputed)["matches"]
    assert not compare_published(84.48, recomputed)["matches"]
    assert compare_published(83.65, recomputed)["difference"] == pytest.approx(0.84)
    # 77.00 must not pass for 76.50: a coarser precision would hide a grade boundary (76.61).
    assert not compare_published(77.00, Fraction(7650, 100))["matches"]


# --- Krejcie & Morgan -----------------------------------------------------------------------------

def test_the_formula_at_the_least_demanding_error_level_the_text_allows():
    from patuh.skm.method import CHI_SQUARE_LEAST

    # By hand, N = 1,200 at 10 % (X² = 2.706): 2.706·1200·0.25 / (0.0025·1199 + 2.706·0.25)
    # = 811.8 / 3.674 = 220.96 -> 221, against the table's 291 at 5 %.
    assert krejcie_morgan(1200, CHI_SQUARE_LEAST) == 221
    assert krejcie_morgan(1200) == 291


# Lampiran II huruf H (anchor lampiran-ii.h), quoted as the regulation text prints it: three
# columns of (populasi N, sampel n) pairs read row by row.
KREJCIE_MORGAN_ANCHOR = "lampiran-ii.h"
KREJCIE_MORGAN_TABLE = """
10 10 220 140 1200 291 15 14 230 144 1300 297 20 19 240 148 1400 302 25 24 250 152 1500 306
30 28 260 155 1600 310 35 32 270 159 1700 313 40 36 280 162 1800 317 45 40 290 165 1900 320
50 44 300 169 2000 322 55 48 320 175 2200 327 60 52 340 181 2400 331 65 56 360 186 2600 335
70 59 380 191 2800 338 75 63 400 196 3000 341 80 66 420 201 3500 346 85 70 440 205 4000 351
90 73 460 210 4500 354 95 76 480 214 5000 357 100 80 500 217 6000 361 110 86 550 226 7000 364
120 92 600 234 8000 367 130 97 650 242 9000 368 140 103 700 248 10000 370 150 108 750 254
15000 375 160 113 800 260 20000 377 170 118 850 265 30000 379 180 123 900 269 40000 380
190 127 950 274 50000 381 200 132 1000 278 75000 382 210 136 1100 285 1000000 384
"""
NUMBERS = [int(n) for n in KREJCIE_MORGAN_TABLE.split()]
TABLE_ROWS = list(zip(NUMBERS[0::2], NUMBERS[1::2]))


def test_the_quoted_table_is_the_regulations():
    text = load_regulation("sanggau-perbup-33-2019").units[KREJCIE_MORGAN_ANCHOR].text
    assert " ".join(KREJCIE_MORGAN_TABLE.split()) in " ".join(text.split())
    assert len(TABLE_ROWS) == 90


@pytest.mark.parametrize("population, sample", TABLE_ROWS, ids=[f"N={n}" for n, _ in TABLE_ROWS])
def test_every_row_of_the_krejcie_morgan_table(population, sample):
    assert krejcie_morgan(population) == sample


@pytest.mark.parametrize("population", [0, -5, True, 2.5])
def test_a_population_is_a_whole_number_of_users(population):
    with pytest.raises(ValueError, match="whole number"):
        krejcie_morgan(population)


def test_sample_size_command(capsys):
    assert main(["skm", "sample-size", "1200"]) == 0
    printed = capsys.readouterr().out
    assert "sample 291" in printed and "allows: 221" in printed
    assert main(["skm", "sample-size", "1200", "--respondents", "291"]) == 0
    assert main(["skm", "sample-size", "1200", "--respondents", "250"]) == 0   # below the table's 291, above the 221 allowed
    assert "below the table's 291" in capsys.readouterr().out
    assert main(["skm", "sample-size", "1200", "--respondents", "220"]) == 2
    assert "1 short of the least allowed, 221" in capsys.readouterr().out
    assert main(["skm", "sample-size"]) == 1
    assert "give the population" in capsys.readouterr().err
    assert main(["skm", "sample-size", "0"]) == 1


# --- The command ------------------------------------------------------------------------------

def test_skm_command_json(capsys):
    assert main(["skm", str(BUNDLED), "--format", "json", "--population", "137", "--published", "76.44"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["ikm"] == 77.22 and report["mutu"] == "B" and report["kinerja"] == "Baik"
    assert report["respondents"] == 102 and report["period"] == {"from": "2024-11-04", "to": "2024-11-29"}
    assert [e["code"] for e in report["priorities"]][:2] == ["U3", "U8"]
    assert report["sample"] == {"population": 137, "required": 101, "least": 91, "respondents": 102, "shortfall": 0, "enough": True}
    assert report["published"]["matches"] is False and report["published"]["recomputed"] == 77.22
    assert report["ikm_with_weight_0_11"] == 76.44
    assert sum(report["profiles"]["pendidikan"].values()) == 102
    assert main(["skm", str(BUNDLED), "--format", "json", "--published", "77.22"]) == 0


def test_skm_command_html_is_the_display_format(tmp_path, capsys):
    output = tmp_path / "ikm.html"
    assert main(["skm", str(BUNDLED), "--unit", "UPT Puskesmas Entikong <PKM>", "--service", "Rawat Jalan", "-o", str(output)]) == 0
    page = output.read_text(encoding="utf-8")
    # Lampiran II huruf J: the index, the service, respondents by sex and education, the survey period.
    for shown in ("Indeks Kepuasan Masyarakat (IKM)", "77.22", "Baik", "Nama pelayanan", "Rawat Jalan", "Jumlah: 102 orang",
                  "Jenis kelamin", "Pendidikan", "SMA = 41 orang", "04-11-2024 s/d 29-11-2024", "Terima kasih"):
        assert shown in page, shown
    assert "&lt;PKM&gt;" in page and "<PKM>" not in page
    markdown = tmp_path / "ikm.md"
    assert main(["skm", str(BUNDLED), "-o", str(markdown), "--lang", "en"]) == 0
    text = markdown.read_text(encoding="utf-8")
    assert "| U3 | Completion time | 102 | 278 | 2.7255 |" in text and "Improvement priorities" in text


def test_an_xlsx_sheet_gives_the_same_index(tmp_path):
    from openpyxl import Workbook

    rows = [row.split(",") for row in BUNDLED.read_text(encoding="utf-8").splitlines()]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([int(cell) if cell.isdigit() else (cell or None) for cell in row])
    file = tmp_path / "responses.xlsx"
    workbook.save(file)
    assert compute(read_responses(file)).ikm == compute(read_responses(BUNDLED)).ikm


def test_a_semicolon_separated_sheet(tmp_path):
    sheet = _sheet(tmp_path, "U1;U2;U3;U4;U5;U6;U7;U8;U9\n4;4;4;4;4;4;4;4;4\n3;3;3;3;3;3;3;3;3\n")
    assert str(compute(read_responses(sheet)).ikm_rounded) == "87.50"


# --- Bad sheets --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4\n4,4,5,4,4,4,4,4,4\n", ":3: field `U3 (column C)`: expected a score 1–4"),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,0,4,4,4,4\n", ":2: field `U5 (column E)`: expected a score 1–4"),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,baik,4\n", ":2: field `U8 (column H)`: expected a score 1–4 or an empty cell, found 'baik' (not a number)"),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,3.5,4,4\n", ":2: field `U7 (column G)`: expected a score 1–4"),
    ("U1,U2,U3,U4,U5,U6,U7,U8\n4,4,4,4,4,4,4,4\n", "no column U9"),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9,nilai\n4,4,4,4,4,4,4,4,4,1\n", ":1: field `J`: unknown column 'nilai'"),
    ("nama,umur\nBudi,40\n", "unknown column 'nama'"),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n4,4,4,4,4,4,4,4,4,cepat, ramah\n", ":2: field `K`: the row has 11 cells but the header names 10"),
    ("", "the file is empty"),
    ("\n\n", "the file is empty"),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n", "no respondent rows"),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,,4,4,4,4,4\n", "no respondent answered U4"),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9,tanggal\n4,4,4,4,4,4,4,4,4,30/11/2024\n", ":2: field `tanggal (column J)`: expected a date written YYYY-MM-DD"),
])
def test_bad_sheets_name_the_row_and_column(tmp_path, capsys, text, expected):
    sheet = _sheet(tmp_path, text)
    with pytest.raises(SurveyError) as raised:
        read_responses(sheet)
    assert expected in str(raised.value)
    assert main(["skm", str(sheet)]) == 1
    captured = capsys.readouterr()
    assert expected in captured.err and "Traceback" not in captured.err and captured.out == ""


def test_other_bad_files(tmp_path, capsys):
    assert main(["skm", str(tmp_path / "absent.csv")]) == 1
    assert "no such file" in capsys.readouterr().err
    notes = _sheet(tmp_path, "4,4,4", "responses.txt.docx")
    assert main(["skm", str(notes)]) == 1
    assert "expected a .csv or .xlsx" in capsys.readouterr().err
    fake = _sheet(tmp_path, "not a workbook", "responses.xlsx")
    assert main(["skm", str(fake)]) == 1
    assert "not a readable .xlsx workbook" in capsys.readouterr().err
    assert main(["skm", str(BUNDLED), "--weights", "0.11,0.11,0.11,0.11,0.11,0.11,0.11,0.11,0.11"]) == 1
    assert "sum to 0.99, not 1" in capsys.readouterr().err
    for option, value, message in (("--published", "abc", "field `--published`: expected a number"),
                                   ("--published", "120", "between 25 and 100"),
                                   ("--population", "0", "field `--population`: the population is a whole number")):
        assert main(["skm", str(BUNDLED), option, value]) == 1
        captured = capsys.readouterr()
        assert message in captured.err and "Traceback" not in captured.err
    output = tmp_path / "kept.md"
    output.write_text("an earlier report\n", encoding="utf-8")
    assert main(["skm", str(BUNDLED), "--weights", "0.5,0.5", "-o", str(output)]) == 1
    assert output.read_text(encoding="utf-8") == "an earlier report\n"   # nothing half-written


def test_any_sheet_either_computes_or_is_refused_with_named_problems():
    # Sheets assembled from awkward cells: every outcome is an index or a SurveyError naming rows.
    import random

    generator = random.Random(20241129)
    cells = ["", " ", "1", "2", "3", "4", "5", "0", "-1", "4.0", "3,5", "x", None, 4, 2.0, True, "L", "P",
             "2024-11-01", "31/12/2024", "NaN", "inf", "1e0", "20", "-3"]
    headers = HEADER + ["U10", "u11", "jenis_kelamin", "usia", "tanggal", "saran", "", "nilai", "U0", "U9"]
    outcomes = {"computed": 0, "refused": 0}
    for _ in range(3000):
        if generator.random() < 0.5:
            header = generator.sample(headers, generator.randint(0, len(headers)))
            rows = [header] + [[generator.choice(cells) for _ in range(generator.randint(0, len(header) + 2))]
                               for _ in range(generator.randint(0, 4))]
        else:  # a proper header, with mostly proper scores and the odd awkward cell
            header = generator.sample(HEADER, 9) + generator.sample(["jenis_kelamin", "usia", "tanggal"], 2)
            rows = [header] + [[generator.choice(cells) if generator.random() < 0.02 else generator.randint(1, 4)
                                for _ in range(11)] for _ in range(generator.randint(1, 4))]
        try:
            result = compute(parse_rows(rows, "sheet"))
        except SurveyError as error:
            assert error.problems and all(problem.message for problem in error.problems)
            outcomes["refused"] += 1
        else:
            assert 25 <= result.ikm <= 100
            outcomes["computed"] += 1
    assert outcomes["computed"] and outcomes["refused"]
