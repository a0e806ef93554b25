"""The stored text of Metro (Perwali 19/2018), Madiun (Perbup 63/2018) and Sanggau (Perbup 33/2019).

Counts and wordings below were checked against the source copies in ../shared/seeds.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from patuh.load.regulation_text import (
    CitationError,
    Regulation,
    citation_to_anchor,
    list_regulations,
    load_regulation,
    resolve_regulation_name,
)

REPOSITORY = Path(__file__).resolve().parent.parent
SEEDS = REPOSITORY.parent / "shared" / "seeds"
METRO = "metro-perwali-19-2018"
MADIUN = "madiun-perbup-63-2018"
SANGGAU = "sanggau-perbup-33-2019"
LAST_PASAL = {METRO: 5, MADIUN: 16, SANGGAU: 25}
SECTIONS = {
    METRO: ["lampiran.bab-i.a", "lampiran.bab-i.b", "lampiran.bab-i.c", "lampiran.bab-ii.a", "lampiran.bab-ii.b"]
    + [f"lampiran.bab-iii.{letter}" for letter in "abcdef"],
    MADIUN: ["lampiran-i.a", "lampiran-i.b", "lampiran-iv.a", "lampiran-iv.b", "lampiran-iv.c"],
    SANGGAU: [f"lampiran-i.{letter}" for letter in "abcdef"] + [f"lampiran-ii.{letter}" for letter in "abcdefghij"]
    + [f"lampiran-iii.{letter}" for letter in "abcd"],
}


@pytest.fixture(scope="module", params=[METRO, MADIUN, SANGGAU])
def regulation(request) -> Regulation:
    return load_regulation(request.param)


@pytest.fixture(scope="module")
def metro() -> Regulation:
    return load_regulation(METRO)


@pytest.fixture(scope="module")
def madiun() -> Regulation:
    return load_regulation(MADIUN)


@pytest.fixture(scope="module")
def sanggau() -> Regulation:
    return load_regulation(SANGGAU)


def children(regulation: Regulation, anchor: str) -> list[str]:
    """The last anchor step of each child, e.g. ["ayat-1", "ayat-2"] or ["a", "b"] for sections."""
    return [unit.anchor.rsplit(".", 1)[1] for unit in regulation.units.values() if unit.parent == anchor]


def sequence(kind: str, count: int) -> list[str]:
    if kind == "huruf":
        return [f"huruf-{chr(ord('a') + index)}" for index in range(count)]
    return [f"{kind}-{number}" for number in range(1, count + 1)]


# --- all three ----------------------------------------------------------------------------------


def test_listed():
    assert {METRO, MADIUN, SANGGAU} <= set(list_regulations())


def test_every_pasal_resolves(regulation):
    last = LAST_PASAL[regulation.id]
    for number in range(1, last + 1):
        unit = regulation.resolve(f"Pasal {number}")
        assert unit.anchor == f"pasal-{number}" and unit.parent is None and unit.text
    with pytest.raises(CitationError, match=f"Pasal {last + 1}"):
        regulation.resolve(f"Pasal {last + 1}")
    anchors = list(regulation.units)
    positions = [anchors.index(f"pasal-{number}") for number in range(1, last + 1)]
    assert positions == sorted(positions)


def test_numbered_items_run_without_gaps(regulation):
    """Every list in the text runs 1, 2, 3 ... or a, b, c ...: no item lost or merged."""
    by_parent: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for unit in regulation.units.values():
        if unit.parent is None:
            continue
        step = unit.anchor.rsplit(".", 1)[1]
        if "-" in step and not step.startswith("bab-"):
            word, value = step.rsplit("-", 1)
            by_parent[unit.parent][word].append(value)
    for parent, lists in by_parent.items():
        for word, values in lists.items():
            expected = sequence(word, len(values))
            assert [f"{word}-{value}" for value in values] == expected, (parent, word)


def test_body_units_are_cited_as_people_write(regulation):
    for unit in regulation.units.values():
        assert citation_to_anchor(unit.citation) == unit.anchor


def test_lampiran_sections_resolve(regulation):
    for anchor in SECTIONS[regulation.id]:
        unit = regulation.units[anchor]
        assert regulation.resolve(unit.citation) is unit
        assert unit.heading and unit.text.startswith(unit.heading)
    for entry in regulation.metadata["lampiran"]:
        regulation.resolve(entry["citation"])


def test_metadata_shape(regulation):
    metadata = regulation.metadata
    for key in ("id", "type", "region", "province", "number", "year", "title", "dates", "dates_notes",
                "berita_daerah", "revokes", "implements", "lampiran", "signed_by", "promulgated_by",
                "source", "corrections", "segmentation", "notes"):
        assert key in metadata, key
    assert metadata["id"] == regulation.id
    assert metadata["source"]["file"].startswith("shared/seeds/") and len(metadata["source"]["sha256"]) == 64
    dates = metadata["dates"]
    assert dates["ditetapkan"] <= dates["diundangkan"] <= dates["berlaku"]
    for entry in metadata["revokes"] + metadata["implements"]:
        regulation.resolve(entry["citation"])
    for correction in metadata["corrections"]:
        assert {"anchor", "copy_says", "should_say", "why"} <= set(correction)
        assert correction["copy_says"] != correction["should_say"]


def test_corrections_land_in_their_unit(regulation):
    for correction in regulation.metadata["corrections"]:
        unit = regulation.units[correction["anchor"]]
        places = " | ".join([unit.text, unit.heading or "", unit.citation])
        for line in correction["should_say"].splitlines():
            wanted = " ".join(re.sub(r"^\s*(?:[->]\s+)+", "", line).split())  # as the segmenter cleans it
            if wanted:
                assert wanted in places, (correction["anchor"], wanted)


def test_no_converter_markup_left(regulation):
    for unit in regulation.units.values():
        for markup in ("<u>", "</u>", "<i>", "^{", "*service"):
            assert markup not in unit.text, (unit.anchor, markup)
        assert not re.search(r"\*\*\w", unit.text), unit.anchor  # "**)" footnote marks stay
        assert not unit.text.startswith(("- ", "> "))


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source copies not available at {SEEDS} (only in the development workspace)")
@pytest.mark.parametrize("regulation_id", [METRO, MADIUN, SANGGAU, "tegal-perbup-63-2023"])
def test_segmenter_reproduces_text_yaml(regulation_id):
    result = subprocess.run(
        [sys.executable, str(REPOSITORY / "tools" / "segment_regulation.py"), regulation_id, "--check"],
        capture_output=True, text=True, cwd=REPOSITORY,
    )
    assert result.returncode == 0, result.stderr


# --- citation forms these texts need -----------------------------------------------------------


@pytest.mark.parametrize(
    ("citation", "anchor"),
    [
        ("Lampiran BAB III huruf A angka 6 huruf k", "lampiran.bab-iii.a.angka-6.huruf-k"),
        ("Lampiran Bab II huruf B", "lampiran.bab-ii.b"),
        ("Lampiran BAB IV", "lampiran.bab-iv"),
        ("Lampiran BAB III huruf A ayat (1) huruf a", "lampiran.bab-iii.a.ayat-1.huruf-a"),
        ("Lampiran BAB III huruf A angka 1 huruf h ayat(2)", "lampiran.bab-iii.a.angka-1.huruf-h.ayat-2"),
        ("Lampiran II huruf H", "lampiran-ii.h"),
        ("Lampiran II angka 3", "lampiran-ii.angka-3"),
        ("Lampiran IV huruf A angka 1 huruf c angka 3 angka 1", "lampiran-iv.a.angka-1.huruf-c.angka-3.angka-1"),
        ("Menimbang", "konsiderans.menimbang"),
    ],
)
def test_new_citation_forms(citation, anchor):
    assert citation_to_anchor(citation) == anchor


@pytest.mark.parametrize("citation", ["Lampiran BAB", "Lampiran BAB Z huruf A", "Lampiran BAB III huruf AA",
                                      "Lampiran I huruf A ayat", "Pasal 4 ayat (1) ayat (2)", "BAB III huruf A"])
def test_new_citation_forms_malformed(citation):
    with pytest.raises(CitationError):
        citation_to_anchor(citation)


# --- Metro --------------------------------------------------------------------------------------


def test_metro_metadata(metro):
    metadata = metro.metadata
    assert (metadata["type"], metadata["region"], metadata["province"]) == ("Peraturan Walikota", "Kota Metro", "Lampung")
    assert (metadata["number"], metadata["year"]) == (19, 2018)
    assert metadata["title"] == "Pedoman Penyusunan Standar Pelayanan"
    dates = metadata["dates"]
    assert dates == {"ditetapkan": date(2018, 6, 25), "diundangkan": date(2018, 6, 25), "berlaku": date(2018, 6, 25)}
    assert metadata["revokes"] == []
    assert metadata["signed_by"]["name"] == "ACHMAD PAIRIN"


def test_metro_number_alias(metro):
    metadata = metro.metadata
    assert metadata["number_aliases"] == [15]
    assert metadata["berita_daerah"] == {"year": 2018, "number": 15}
    assert "15" in metadata["number_notes"] and "19" in metadata["number_notes"]
    assert any("Nomor 15" in note or "Nomor 19" in note for note in metadata["notes"])
    assert resolve_regulation_name("metro") == (METRO, None)
    regulation_id, warning = resolve_regulation_name("metro-perwali-15-2018")
    assert regulation_id == METRO and "15" in warning


def test_metro_body(metro):
    assert children(metro, "pasal-1") == sequence("ayat", 3)
    assert metro.resolve("Pasal 1 ayat (3)").text.endswith("ditetapkan oleh Walikota.")
    assert children(metro, "pasal-4") == sequence("angka", 2)
    assert children(metro, "pasal-2") == [] and children(metro, "pasal-5") == []
    assert children(metro, "konsiderans.menimbang") == sequence("huruf", 2)
    assert children(metro, "konsiderans.mengingat") == sequence("angka", 17)
    assert metro.resolve("Pasal 5").text == "Peraturan Walikota ini mulai berlaku pada tanggal diundangkan."


def test_metro_lampiran_chapters(metro):
    assert children(metro, "lampiran") == ["bab-i", "bab-ii", "bab-iii", "bab-iv"]
    assert metro.resolve("Lampiran BAB II").heading == "PENGERTIAN DAN PRINSIP PENYUSUNAN STANDAR PELAYANAN"
    assert children(metro, "lampiran.bab-iii") == list("abcdef")
    assert children(metro, "lampiran.bab-iv") == []
    assert metro.resolve("Lampiran BAB IV").text.endswith("bisnis proses, dan perubahan lainnya.")
    assert "PARAF" not in metro.resolve("Lampiran").text


def test_metro_lampiran_items(metro):
    assert children(metro, "lampiran.bab-iii.a") == ["ayat-1", "ayat-2"] + sequence("angka", 6)
    assert children(metro, "lampiran.bab-iii.a.ayat-1") == sequence("huruf", 6)
    assert children(metro, "lampiran.bab-iii.a.ayat-2") == sequence("huruf", 8)
    assert metro.resolve("Lampiran BAB III huruf A ayat (1) huruf a").text == "Produk Pelayanan;"
    assert children(metro, "lampiran.bab-iii.a.angka-6") == sequence("huruf", 11)
    # the draft format belongs to huruf k and is not read as items
    assert metro.resolve("Lampiran BAB III huruf A angka 6 huruf k").text.endswith(
        "8. Pengelolaan Pengaduan : ...diisi hasil identifikasi")
    assert "Dalam Peraturan Walikota ini yang menjadi fokus" not in metro.resolve("Lampiran BAB III huruf A ayat (2)").text
    assert children(metro, "lampiran.bab-iii.e") == sequence("angka", 3)
    assert "wajib dipublikasikan" not in metro.resolve("Lampiran BAB III huruf E angka 3").text
    assert "Keputusan Walikota" in metro.resolve("Lampiran BAB III huruf C").text


# --- Madiun -------------------------------------------------------------------------------------


def test_madiun_metadata(madiun):
    metadata = madiun.metadata
    assert (metadata["type"], metadata["region"], metadata["province"]) == ("Peraturan Bupati", "Kabupaten Madiun", "Jawa Timur")
    assert (metadata["number"], metadata["year"]) == (63, 2018)
    assert metadata["dates"] == {"ditetapkan": date(2018, 11, 2), "diundangkan": date(2018, 11, 2),
                                 "berlaku": date(2018, 11, 2)}
    assert metadata["berita_daerah"] == {"year": 2018, "number": 63}
    assert [entry["citation"] for entry in metadata["lampiran"]] == ["Lampiran I", "Lampiran II", "Lampiran III", "Lampiran IV"]


def test_madiun_peraturan_menteri_is_kept_and_noted(madiun):
    assert madiun.resolve("Pasal 1").text.startswith("Dalam Peraturan Menteri ini, yang dimaksud dengan:")
    assert any("Peraturan Menteri ini" in note for note in madiun.metadata["notes"])
    assert not any("Peraturan Menteri" in correction["copy_says"] for correction in madiun.metadata["corrections"])


def test_madiun_body(madiun):
    assert children(madiun, "pasal-1") == sequence("angka", 24)
    assert madiun.resolve("Pasal 1 angka 24").text.startswith("Sengketa Pelayanan Publik adalah")
    assert children(madiun, "pasal-3") == sequence("ayat", 7)
    assert children(madiun, "pasal-3.ayat-1") == sequence("huruf", 6)
    assert children(madiun, "pasal-4") == sequence("huruf", 3)
    assert children(madiun, "pasal-6") == sequence("ayat", 7)
    assert children(madiun, "pasal-6.ayat-2") == sequence("huruf", 6)
    assert children(madiun, "pasal-6.ayat-3") == sequence("huruf", 8)
    assert children(madiun, "pasal-13") == sequence("ayat", 9)
    assert children(madiun, "pasal-13.ayat-3") == sequence("huruf", 4)
    assert children(madiun, "pasal-13.ayat-7") == sequence("huruf", 3)
    assert madiun.resolve("Pasal 13 ayat (5)").text.startswith("Pengaduan dilakukan paling lambat 30 (tiga puluh) hari")
    assert children(madiun, "konsiderans.menimbang") == sequence("huruf", 3)
    assert children(madiun, "konsiderans.mengingat") == sequence("angka", 9)


def test_madiun_correction(madiun):
    assert madiun.resolve("Lampiran I huruf A angka 2").text.startswith(
        "Komponen Standar Pelayanan yang terkait dengan proses pengelolaan pelayanan")
    assert "3. Komponen" not in madiun.resolve("Lampiran I huruf A").text
    assert children(madiun, "lampiran-i.a.angka-2") == sequence("huruf", 8)


def test_madiun_lampiran(madiun):
    assert children(madiun, "lampiran-i") == ["a", "b"]
    assert children(madiun, "lampiran-i.b") == sequence("angka", 4)
    assert children(madiun, "lampiran-i.b.angka-1") == sequence("huruf", 6)
    assert "Hasil-hasil yang diperoleh" not in madiun.resolve("Lampiran I huruf B angka 1 huruf f").text
    assert "CONTOH FORMAT KEPUTUSAN" in madiun.resolve("Lampiran I huruf B").text
    assert "CONTOH FORMAT KEPUTUSAN" not in madiun.resolve("Lampiran I huruf B angka 4").text
    assert "BUPATI MADIUN" not in madiun.resolve("Lampiran I").text
    assert children(madiun, "lampiran-ii") == sequence("angka", 3)
    assert madiun.resolve("Lampiran II").heading == "BENTUK DAN FORMAT MAKLUMAT PELAYANAN"
    assert children(madiun, "lampiran-iii") == []
    assert madiun.resolve("Lampiran III").heading == "PELAKSANAAN DAN FORMAT PEMANTAUAN DAN EVALUASI"
    assert madiun.resolve("Lampiran IV").heading is None
    assert children(madiun, "lampiran-iv") == ["a", "b", "c"]
    assert madiun.quote_matches("Lampiran IV huruf A angka 3 huruf c", "paling lambat 3 hari kerja sejak pengaduan diterima")
    assert children(madiun, "lampiran-iv.a.angka-1.huruf-c.angka-3") == sequence("angka", 4)
    assert children(madiun, "lampiran-iv.b") == sequence("huruf", 7)


# --- Sanggau ------------------------------------------------------------------------------------


def test_sanggau_metadata(sanggau):
    metadata = sanggau.metadata
    assert (metadata["type"], metadata["region"], metadata["province"]) == (
        "Peraturan Bupati", "Kabupaten Sanggau", "Kalimantan Barat")
    assert (metadata["number"], metadata["year"]) == (33, 2019)
    assert metadata["dates"] == {"ditetapkan": date(2019, 10, 24), "diundangkan": date(2019, 10, 25),
                                 "berlaku": date(2019, 10, 25)}
    assert metadata["berita_daerah"] == {"year": 2019, "number": 33}
    assert [(entry["number"], entry["year"], entry["citation"]) for entry in metadata["revokes"]] == [(18, 2016, "Pasal 24")]


def test_sanggau_body(sanggau):
    assert sanggau.resolve("Menimbang").text.startswith("bahwa untuk melaksanakan ketentuan Pasal 13 ayat (4)")
    assert children(sanggau, "konsiderans.menimbang") == []
    assert children(sanggau, "konsiderans.mengingat") == sequence("angka", 9)
    assert children(sanggau, "pasal-1") == sequence("angka", 19)
    assert children(sanggau, "pasal-2") == sequence("huruf", 12)
    assert children(sanggau, "pasal-3") == sequence("ayat", 5)
    assert children(sanggau, "pasal-4.ayat-1") == sequence("huruf", 5)
    assert children(sanggau, "pasal-10") == sequence("ayat", 6)
    assert children(sanggau, "pasal-13") == sequence("ayat", 6)
    assert children(sanggau, "pasal-23.ayat-1") == sequence("huruf", 2)
    assert sanggau.quote_matches("Pasal 18 ayat (1)", "paling lambat 60 (enam puluh) hari kerja")
    assert sanggau.resolve("Pasal 25").text == "Peraturan Bupati ini mulai berlaku pada tanggal diundangkan."


def test_sanggau_lost_numbers_restored(sanggau):
    assert sanggau.resolve("Mengingat angka 2").text.startswith("Undang-Undang Nomor 25 Tahun 2009")
    assert sanggau.resolve("Mengingat angka 4").text.startswith("Peraturan Pemerintah Nomor 96 Tahun 2012")
    assert sanggau.resolve("Mengingat angka 4").text.endswith("Tahun 2012 Nomor 215, Tambahan Lembaran Negara Republik Indonesia Nomor 5357);")
    assert sanggau.resolve("Mengingat angka 7").text.startswith("Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 24")
    assert sanggau.resolve("Pasal 1 angka 2").text == "Bupati adalah Bupati Sanggau."
    assert sanggau.resolve("Pasal 1 angka 4").text.startswith("Perangkat Daerah adalah")
    assert sanggau.resolve("Pasal 2 huruf l").text == "kecepatan, kemudahan, dan keterjangkauan."
    assert sanggau.resolve("Pasal 4 ayat (1) huruf c").text.startswith("tanggung jawab pelaksanaan kerja sama")
    assert sanggau.resolve("Pasal 10").heading.endswith("Bagian Kedua Pemantauan dan Evaluasi")
    assert sanggau.resolve("Pasal 10 ayat (1)").text == "Dalam rangka pemantauan dan evaluasi Standar Pelayanan, Bupati dapat membentuk tim."
    assert sanggau.resolve("Lampiran II huruf C angka 1 huruf b angka 4").text == "Melaksanakan survei;"
    assert sanggau.resolve("Lampiran II huruf F angka 2").text.startswith("Dalam rangka peningkatan transparansi")


def test_sanggau_ikm_interval_table_corrected(sanggau):
    text = sanggau.resolve("Lampiran II huruf E").text
    assert "6,064" not in text
    for row in ("1 1,00 - 2,5996 25,00 - 64,99 D Tidak Baik", "2 2,60 - 3,064 65,00 - 76,60 C Kurang Baik",
                "3 3,0644 - 3,532 76,61 - 88,30 B Baik", "4 3,5324 - 4,00 88,31 - 100,00 A Sangat Baik"):
        assert row in text
    said = [correction["copy_says"] for correction in sanggau.metadata["corrections"]]
    assert "2,60 - 6,064" in said


def test_sanggau_no_lookalike_letters(sanggau):
    """Cyrillic and Greek capitals that look like Latin ones (table values) were corrected."""
    for unit in sanggau.units.values():
        for character in unit.text:
            name = unicodedata.name(character, "")
            assert not ("CAPITAL" in name and ("CYRILLIC" in name or "GREEK" in name)), (unit.anchor, name)
            assert character not in "Đđ", unit.anchor


# Krejcie, R. V. & Morgan, D. W. (1970), "Determining sample size for research activities",
# Table 1: population N -> sample size S.
KREJCIE_MORGAN = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 35: 32, 40: 36, 45: 40, 50: 44, 55: 48, 60: 52, 65: 56,
    70: 59, 75: 63, 80: 66, 85: 70, 90: 73, 95: 76, 100: 80, 110: 86, 120: 92, 130: 97, 140: 103,
    150: 108, 160: 113, 170: 118, 180: 123, 190: 127, 200: 132, 210: 136, 220: 140, 230: 144,
    240: 148, 250: 152, 260: 155, 270: 159, 280: 162, 290: 165, 300: 169, 320: 175, 340: 181,
    360: 186, 380: 191, 400: 196, 420: 201, 440: 205, 460: 210, 480: 214, 500: 217, 550: 226,
    600: 234, 650: 242, 700: 248, 750: 254, 800: 260, 850: 265, 900: 269, 950: 274, 1000: 278,
    1100: 285, 1200: 291, 1300: 297, 1400: 302, 1500: 306, 1600: 310, 1700: 313, 1800: 317,
    1900: 320, 2000: 322, 2200: 327, 2400: 331, 2600: 335, 2800: 338, 3000: 341, 3500: 346,
    4000: 351, 4500: 354, 5000: 357, 6000: 361, 7000: 364, 8000: 367, 9000: 368, 10000: 370,
    15000: 375, 20000: 377, 30000: 379, 40000: 380, 50000: 381, 75000: 382, 1000000: 384,
}


def test_sanggau_krejcie_morgan_table(sanggau):
    """Stored as text, rows of three "N n" pairs; every pair legible and as in the published table."""
    text = sanggau.resolve("Lampiran II huruf H").text
    assert text.startswith("SAMPEL MORGAN DAN KREJCIE")
    assert "Populasi Sampel Populasi Sampel Populasi Sampel (N) (n) (N) (n) (N) (n) 10 10 220 140 1200 291" in text
    numbers = [int(token) for token in text.split("(n)")[-1].split()]
    pairs = list(zip(numbers[0::2], numbers[1::2]))
    assert len(pairs) == 90 and dict(pairs) == KREJCIE_MORGAN
    for population, sample in KREJCIE_MORGAN.items():
        assert f"{population} {sample}" in text


def test_sanggau_lampiran(sanggau):
    assert sanggau.resolve("Lampiran I").heading == "STANDAR PELAYANAN DAN MAKLUMAT PELAYANAN"
    assert sanggau.resolve("Lampiran II").heading == "SURVEI KEPUASAN MASYARAKAT (SKM)"
    assert sanggau.resolve("Lampiran III").heading == "PENGELOLAAN DAN PENANGANAN PENGADUAN"
    assert children(sanggau, "lampiran-i") == list("abcdef")
    assert children(sanggau, "lampiran-ii") == list("abcdefghij")
    assert children(sanggau, "lampiran-iii") == list("abcd")
    assert children(sanggau, "lampiran-i.a") == sequence("huruf", 3) + sequence("angka", 6)
    assert "A. Komponen Standar Pelayanan" in sanggau.resolve("Lampiran I huruf A").text
    assert "Sanggau, ....." in sanggau.resolve("Lampiran I huruf E").text
    assert children(sanggau, "lampiran-i.f") == []  # the sample Keputusan is a template
    assert children(sanggau, "lampiran-ii.a") == sequence("angka", 5)
    assert children(sanggau, "lampiran-ii.a.angka-4") == sequence("huruf", 9)
    assert "Catatan:" in sanggau.resolve("Lampiran II huruf A angka 4").text
    assert "Catatan:" not in sanggau.resolve("Lampiran II huruf A angka 4 huruf i").text
    assert children(sanggau, "lampiran-ii.d") == [] and children(sanggau, "lampiran-ii.e") == []
    assert "Penetapan Jumlah Responden" in sanggau.resolve("Lampiran II huruf D").text
    questionnaire = sanggau.resolve("Lampiran II huruf I").text
    assert "6. Bagaimana pendapat Saudara tentang kompetensi/ kemampuan petugas" in questionnaire
    assert questionnaire.count("Tidak kompeten") == 1
    assert "Program / Kegiatan Waktu Penanggung jawab" in sanggau.resolve("Lampiran II huruf G").text
    assert children(sanggau, "lampiran-iii.a") == sequence("angka", 4)
    assert sanggau.resolve("Lampiran III huruf A angka 1").text.startswith("Pencatatan")
    assert "BUPATI SANGGAU" not in sanggau.resolve("Lampiran III").text
    assert not re.search(r"\bE\. Tata Cara\b", " ".join(children(sanggau, "lampiran-iii")))
