"""The stored regulation text and the citations that address it (Tegal Perbup 63/2023)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from patuh.load.data_paths import data_directory
import yaml

from patuh.load.regulation_text import (
    CitationError,
    Regulation,
    citation_to_anchor,
    list_regulations,
    load_regulation,
)

REPOSITORY = Path(__file__).resolve().parent.parent
TEGAL = "tegal-perbup-63-2023"
TEGAL_FOLDER = REPOSITORY / "regulations" / TEGAL
SEEDS = REPOSITORY.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def tegal() -> Regulation:
    return load_regulation(TEGAL)


# --- citation_to_anchor ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("citation", "anchor"),
    [
        ("Pasal 4", "pasal-4"),
        ("Pasal 4 ayat (9)", "pasal-4.ayat-9"),
        ("Pasal 4 ayat (9) huruf c", "pasal-4.ayat-9.huruf-c"),
        ("Pasal 3 huruf a", "pasal-3.huruf-a"),
        ("Pasal 1 angka 5", "pasal-1.angka-5"),
        ("Pasal 33", "pasal-33"),
        ("Lampiran I", "lampiran-i"),
        ("Lampiran I huruf C", "lampiran-i.c"),
        ("Lampiran I huruf C angka 6", "lampiran-i.c.angka-6"),
        ("Lampiran I huruf C angka 1 huruf a", "lampiran-i.c.angka-1.huruf-a"),
        ("Menimbang huruf a", "konsiderans.menimbang.huruf-a"),
        ("Konsiderans Mengingat angka 3", "konsiderans.mengingat.angka-3"),
    ],
)
def test_citation_forms(citation, anchor):
    assert citation_to_anchor(citation) == anchor


@pytest.mark.parametrize(
    ("citation", "anchor"),
    [
        ("  Pasal   4  ayat (9)  ", "pasal-4.ayat-9"),
        ("Pasal 4 ayat(9)", "pasal-4.ayat-9"),
        ("Pasal 4 ayat ( 9 )", "pasal-4.ayat-9"),
        ("Pasal 3 Huruf A", "pasal-3.huruf-a"),
        ("PASAL 4 AYAT (9) HURUF C", "pasal-4.ayat-9.huruf-c"),
        ("Lampiran I Huruf C angka 6", "lampiran-i.c.angka-6"),
        ("lampiran i huruf c", "lampiran-i.c"),
    ],
)
def test_citation_tolerates_spacing_and_case(citation, anchor):
    assert citation_to_anchor(citation) == anchor


@pytest.mark.parametrize(
    "citation",
    [
        "",
        "   ",
        "Pasal",
        "Pasal empat",
        "Pasal 4 ayat",
        "ayat (9)",
        "huruf a",
        "Pasal 4 huruf 3",
        "Pasal 4 angka c",
        "Pasal 4 ayat (9) ayat (2)",
        "Pasal 4, ayat (9)",
        "Pasal 4 ayat (9) huruf c tambahan",
        "Pasal 4 ayat (9",
        "Lampiran Z",
        "Lampiran I huruf CC",
        "Bab II",
    ],
)
def test_malformed_citations_raise(citation):
    with pytest.raises(CitationError):
        citation_to_anchor(citation)


def test_citation_error_is_a_value_error():
    assert issubclass(CitationError, ValueError)


# --- the Tegal text ---------------------------------------------------------------------------


def test_tegal_is_listed():
    assert TEGAL in list_regulations()


def test_every_pasal_resolves(tegal):
    for number in range(1, 34):
        unit = tegal.resolve(f"Pasal {number}")
        assert unit.anchor == f"pasal-{number}"
        assert unit.parent is None
        assert unit.heading and unit.heading.startswith("BAB ")
        assert unit.text
    with pytest.raises(CitationError, match="Pasal 34"):
        tegal.resolve("Pasal 34")


def test_units_are_in_document_order(tegal):
    anchors = list(tegal.units)
    pasal_positions = [anchors.index(f"pasal-{number}") for number in range(1, 34)]
    assert pasal_positions == sorted(pasal_positions)
    assert anchors.index("konsiderans.menimbang") < anchors.index("pasal-1") < anchors.index("lampiran-i")


def test_pasal_4_ayat_9_huruf_c(tegal):
    unit = tegal.resolve("Pasal 4 ayat (9) huruf c")
    assert unit.text == "pemberhentian dengan hormat tidak atas permintaan sendiri."
    assert unit.parent == "pasal-4.ayat-9"


def test_ayat_text_includes_its_huruf_items(tegal):
    text = tegal.resolve("Pasal 9 ayat (1)").text
    assert text.startswith("Organisasi Penyelenggara wajib menyediakan sarana, prasarana, dan/atau fasilitas")
    assert "meliputi: a. fasilitas parkir; b. fasilitas ruang tunggu; c. fasilitas toilet" in text
    assert text.endswith("d. sarana prasarana penunjang; dan e. sarana front office.")


def test_pasal_9_ayat_4_has_ten_huruf_items(tegal):
    children = [unit for unit in tegal.units.values() if unit.parent == "pasal-9.ayat-4"]
    assert [unit.anchor.rsplit("-", 1)[1] for unit in children] == list("abcdefghij")
    assert tegal.resolve("Pasal 9 ayat (4) huruf j").text == "ruang laktasi."


def test_pasal_without_ayat_has_huruf_items(tegal):
    assert tegal.resolve("Pasal 3 huruf d").text == "Inovasi."
    assert tegal.resolve("Pasal 3 huruf a").parent == "pasal-3"


def test_definitions_are_numbered(tegal):
    assert tegal.resolve("Pasal 1 angka 1").text == "Daerah adalah Kabupaten Tegal."
    assert tegal.resolve("Pasal 1 angka 40").text.startswith("Inovasi Pelayanan Publik yang selanjutnya disebut Inovasi")
    with pytest.raises(CitationError):
        tegal.resolve("Pasal 1 angka 41")


def test_headings(tegal):
    assert tegal.resolve("Pasal 1").heading == "BAB I KETENTUAN UMUM"
    assert tegal.resolve("Pasal 17").heading.endswith("Bagian Ketujuh Pengelolaan Pengaduan")
    for number in range(19, 25):
        assert "Bagian Kedelapan Penilaian Kinerja" in tegal.resolve(f"Pasal {number}").heading
    assert tegal.resolve("Pasal 19").heading.endswith("Paragraf 1 Survei Kepuasan Masyarakat")


def test_last_pasal_stops_before_the_closing_formula(tegal):
    assert tegal.resolve("Pasal 33").text == "Peraturan Bupati ini mulai berlaku pada tanggal diundangkan."


def test_lampiran_sections(tegal):
    sections = [unit.anchor for unit in tegal.units.values() if unit.parent == "lampiran-i"]
    assert sections == [f"lampiran-i.{letter}" for letter in "abcdef"]
    assert tegal.resolve("Lampiran I huruf C").heading == "Penyusunan Standar Pelayanan"
    steps = [unit.anchor for unit in tegal.units.values() if unit.parent == "lampiran-i.c"]
    assert steps == [f"lampiran-i.c.angka-{number}" for number in range(1, 7)]
    assert tegal.resolve("Lampiran I huruf C angka 6").text.startswith("Pengelolaan Pengaduan Organisasi Penyelenggara wajib membuat")


def test_lampiran_unnumbered_paragraphs_belong_to_their_section(tegal):
    section_c = tegal.resolve("Lampiran I huruf C").text
    assert "Organisasi Penyelenggara wajib melakukan publikasi komponen Standar Pelayanan" in section_c
    assert "Hasil yang diperoleh dalam setiap proses identifikasi tersebut" in section_c
    assert "Hasil yang diperoleh" not in tegal.resolve("Lampiran I huruf C angka 6").text
    assert tegal.resolve("Lampiran I huruf F").text.endswith(
        "Organisasi Penyelenggara wajib mengubah Standar Pelayanan apabila terdapat adanya perubahan kebijakan, "
        "inovasi dalam pelayanan, penerapan teknologi informasi, bisnis proses dan perubahan lainnya."
    )


def test_berita_acara_form_has_no_items(tegal):
    assert not [unit for unit in tegal.units.values() if unit.parent == "lampiran-i.d"]
    assert "diperoleh kesepakatan bersama sebagai berikut: 1.; 2.; dan 3." in tegal.resolve("Lampiran I huruf D").text


def test_markdown_and_bullets_removed(tegal):
    assert "(website)" in tegal.resolve("Pasal 7 ayat (3)").text
    for unit in tegal.units.values():
        assert "*website*" not in unit.text and "- a." not in unit.text


# --- corrections ------------------------------------------------------------------------------


def test_corrections_are_applied():
    stored = (TEGAL_FOLDER / "text.yaml").read_text(encoding="utf-8")
    for slip in ("Organsiasi", "pegangan rambut", "pemingkatan", "elebagaan", "3. Biaya/Tarif"):
        assert slip not in stored
    assert "pegangan rambat" in stored


def test_corrected_units(tegal):
    assert tegal.resolve("Pasal 9 ayat (4)").text.startswith("Organisasi Penyelenggara wajib menyediakan")
    assert tegal.resolve("Pasal 9 ayat (4) huruf c").text == "step lobby/ramp/jalan landai dengan pegangan rambat;"
    assert tegal.resolve("Pasal 22 ayat (4) huruf c").text.startswith("melakukan pemeringkatan kinerja")
    assert tegal.resolve("Pasal 27 ayat (1) huruf c").text == "pelembagaan Inovasi."
    assert "3. Waktu Pelayanan : 1. 2. dst 4. Biaya/Tarif : 1. 2. dst 5. Produk : 1. 2. dst 6. Pengelolaan Pengaduan" in (
        tegal.resolve("Lampiran I huruf C").text
    )


def test_corrections_are_recorded(tegal):
    corrections = tegal.metadata["corrections"]
    for correction in corrections:
        assert {"anchor", "copy_says", "should_say", "why"} <= set(correction)
        assert correction["copy_says"] != correction["should_say"]
    said = " ".join(correction["copy_says"] for correction in corrections)
    for slip in ("Organsiasi", "pegangan rambut", "pemingkatan", "Pelebagaan", "pelebagaan", "TAHUN 63 NOMOR 2023"):
        assert slip in said


# --- metadata ---------------------------------------------------------------------------------


def test_metadata(tegal):
    metadata = tegal.metadata
    assert metadata["id"] == TEGAL
    assert (metadata["type"], metadata["region"], metadata["province"]) == (
        "Peraturan Bupati", "Kabupaten Tegal", "Jawa Tengah")
    assert (metadata["number"], metadata["year"]) == (63, 2023)
    assert metadata["title"] == "Pedoman Penyelenggaraan Pelayanan Publik di Daerah"
    assert metadata["berita_daerah"] == {"year": 2023, "number": 63}
    assert [(entry["number"], entry["year"], entry["citation"]) for entry in metadata["revokes"]] == [(10, 2015, "Pasal 32")]


def test_metadata_dates(tegal):
    dates = tegal.metadata["dates"]
    assert dates["diundangkan"] == date(2023, 10, 30)
    assert dates["berlaku"] == dates["diundangkan"]  # Pasal 33
    assert dates["ditetapkan"] == date(2023, 10, 30)
    assert dates["ditetapkan"] <= dates["diundangkan"]
    assert tegal.metadata["dates_notes"]["ditetapkan"]


def test_metadata_citations_resolve(tegal):
    for entry in tegal.metadata["revokes"] + tegal.metadata["implements"] + tegal.metadata["lampiran"]:
        tegal.resolve(entry["citation"])


# --- quotes -----------------------------------------------------------------------------------


def test_quote_matches_whole_ayat_with_its_items(tegal):
    quote = tegal.resolve("Pasal 4 ayat (9)").text
    assert tegal.quote_matches("Pasal 4 ayat (9)", quote)


@pytest.mark.parametrize(
    ("citation", "quote"),
    [
        ("Pasal 4 ayat (1)", "Organisasi Penyelenggara wajib menyusun, menetapkan, dan menerapkan Standar Pelayanan"),
        ("Pasal 4 ayat (1)", "organisasi   penyelenggara\nWAJIB menyusun"),
        ("Pasal 9 ayat (1)", "meliputi: a. fasilitas parkir; … e. sarana front office."),
        ("Pasal 9 ayat (1)", "wajib menyediakan ... fasilitas parkir ... sarana front office"),
        ("Pasal 19 ayat (2)", "paling sedikit 1 (satu) kali dalam 1 (satu) tahun"),
        ("Lampiran I huruf C angka 5", "menjadi \"produk\" dari suatu jenis pelayanan"),
        ("Lampiran I huruf C", "Standar Pelayanan 'X' (diisi sesuai jenis pelayanan)"),
        ("Pasal 7 ayat (3)", "laman (website) resmi"),
    ],
)
def test_quote_matches_true(tegal, citation, quote):
    assert tegal.quote_matches(citation, quote)


@pytest.mark.parametrize(
    ("citation", "quote"),
    [
        ("Pasal 4 ayat (1)", "Organisasi Penyelenggara dapat menyusun"),
        ("Pasal 4 ayat (9)", "penurunan pangkat"),
        ("Pasal 9 ayat (1)", "e. sarana front office. … a. fasilitas parkir;"),  # parts out of order
        ("Pasal 9 ayat (1)", "ruang laktasi"),  # in ayat (4), not ayat (1)
        ("Pasal 4 ayat (1)", ""),
        ("Pasal 4 ayat (1)", " … "),
    ],
)
def test_quote_matches_false(tegal, citation, quote):
    assert not tegal.quote_matches(citation, quote)


def test_quote_against_missing_citation_raises(tegal):
    with pytest.raises(CitationError, match=TEGAL):
        tegal.quote_matches("Pasal 4 ayat (10)", "anything")


def test_resolve_error_names_citation_and_regulation(tegal):
    with pytest.raises(CitationError) as raised:
        tegal.resolve("Pasal 9 ayat (4) huruf k")
    assert "Pasal 9 ayat (4) huruf k" in str(raised.value)
    assert TEGAL in str(raised.value)
    with pytest.raises(CitationError, match=TEGAL):
        tegal.resolve("Pasal empat")


# --- loading ----------------------------------------------------------------------------------


def test_load_is_cached():
    assert load_regulation(TEGAL) is load_regulation(TEGAL)
    assert load_regulation(TEGAL, data_directory("regulations")) is load_regulation(TEGAL)


def test_missing_regulation_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="metadata.yaml"):
        load_regulation("no-such-regulation", tmp_path)
    folder = tmp_path / "half-stored"
    folder.mkdir()
    (folder / "metadata.yaml").write_text("id: half-stored\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="text.yaml"):
        load_regulation("half-stored", tmp_path)
    assert list_regulations(tmp_path) == ["half-stored"]


def test_text_yaml_anchors_are_unique_and_parents_precede():
    units = yaml.safe_load((TEGAL_FOLDER / "text.yaml").read_text(encoding="utf-8"))["units"]
    seen = set()
    for unit in units:
        assert unit["anchor"] not in seen
        assert unit["parent"] is None or unit["parent"] in seen
        seen.add(unit["anchor"])


# --- the segmenter ----------------------------------------------------------------------------


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source copies not available at {SEEDS} (only in the development workspace)")
def test_segmenter_reproduces_text_yaml():
    result = subprocess.run(
        [sys.executable, str(REPOSITORY / "tools" / "segment_regulation.py"), TEGAL, "--check"],
        capture_output=True, text=True, cwd=REPOSITORY,
    )
    assert result.returncode == 0, result.stderr
