"""render/charts.py: inline SVG bars from numbers and labels, every text escaped, no chart for no data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from patuh.render.charts import MATRIX_COLUMN, TRACK, Bar, Series, bar_matrix, bar_width, horizontal_bars

SVG = "{http://www.w3.org/2000/svg}"
PAYLOAD = '<script>alert("x")</script> & "quoted" \'single\''


def _parse(svg: str) -> ElementTree.Element:
    """Parsing as XML fails on any unescaped '<' or '&', so a payload can only survive as text."""
    return ElementTree.fromstring(str(svg))


def _value_widths(svg: str) -> list[float]:
    return [float(rect.get("width")) for rect in _parse(svg).iter(f"{SVG}rect") if rect.get("class") == "value"]


def test_labels_and_titles_are_escaped_and_read_back_as_written():
    long_label = PAYLOAD + " " + PAYLOAD
    svg = horizontal_bars([Bar(long_label, 3, "3 <b>")], chart_id="c1", title=f"Judul {PAYLOAD}", empty="-")
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)
    assert root.get("role") == "img" and root.get("aria-label") == f"Judul {PAYLOAD}"
    assert root.find(f"{SVG}title").text == f"Judul {PAYLOAD}"
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert texts == [long_label[:51].rstrip() + "…", "3 <b>"]  # shortened on the drawing ...
    assert root.find(f"{SVG}g/{SVG}title").text == f"{long_label}: 3 <b>"  # ... whole in the bar's title
    assert f"{long_label}: 3 <b>" in root.find(f"{SVG}desc").text


def test_bar_widths_are_proportional_to_the_values():
    svg = horizontal_bars([Bar("a", 10, "10"), Bar("b", 5, "5"), Bar("c", 2.5, "2,5"), Bar("d", 0, "0")],
                          chart_id="c2", title="t", empty="-")
    assert _value_widths(svg) == [TRACK, TRACK / 2, TRACK / 4, 0]
    percent = horizontal_bars([Bar("a", 50, "50%"), Bar("b", None, "belum dinilai")], chart_id="c3", title="t",
                              empty="-", maximum=100, track=True)
    assert _value_widths(percent) == [TRACK / 2], "a bar with nothing to measure draws no value bar"
    assert "belum dinilai" in percent
    assert bar_width(150, 100) == TRACK and bar_width(-3, 100) == 0 and bar_width(5, 0) == 0


def test_the_numbers_are_text_too():
    svg = horizontal_bars([Bar("Standar Pelayanan", 60.6, "60,6%"), Bar("SKM", 12.5, "12,5%")],
                          chart_id="c4", title="Kepatuhan", empty="-", maximum=100)
    root = _parse(svg)
    assert [element.text for element in root.iter(f"{SVG}text") if element.get("class") == "number"] == ["60,6%", "12,5%"]
    assert root.find(f"{SVG}desc").text == "Standar Pelayanan: 60,6%; SKM: 12,5%"
    assert root.get("aria-labelledby") == "c4-title c4-desc" and root.get("id") == "c4"


def test_empty_data_gives_a_sentence_not_a_chart():
    assert horizontal_bars([], chart_id="c5", title="t", empty="Tidak ada <unit>.") == \
        '<p class="chart-empty">Tidak ada &lt;unit&gt;.</p>'
    assert bar_matrix(["a"], [Series("A", (0,))], chart_id="c6", title="t", empty="kosong") == '<p class="chart-empty">kosong</p>'



def test_a_long_list_is_capped_and_says_how_many_more():
    bars = [Bar(f"Unit {index}", 100 - index, str(100 - index)) for index in range(45)]
    svg = horizontal_bars(bars, chart_id="c7", title="t", empty="-", limit=30, more="dan {n} lainnya")
    assert len(_value_widths(svg)) == 30
    assert _parse(svg).find(f"{SVG}text[@class='more']").text == "dan 15 lainnya"
    # The caller may pass only the first rows and say how many there are in all.
    assert "dan 970 lainnya" in horizontal_bars(bars[:30], chart_id="c8", title="t", empty="-", limit=30, total=1000,
                                                 more="dan {n} lainnya")
    assert "lainnya" not in horizontal_bars(bars[:3], chart_id="c9", title="t", empty="-", limit=30, more="dan {n} lainnya")


def test_a_bar_matrix_draws_each_cell_on_one_scale_and_words_a_zero():
    svg = bar_matrix(["Standar <Pelayanan>", "SKM"], [Series("Perbup Tegal 63/2023", (8, 2)), Series("Perwali Metro 19/2018", (4, 0))],
                     chart_id="c10", title="Aturan per topik", empty="-", unit_words="aturan", zero="tidak diatur")
    track = MATRIX_COLUMN - 40
    assert _value_widths(svg) == [track, track / 2, track / 4], "row by row, a bar per non-zero cell"
    root = _parse(svg)
    assert root.find(f"{SVG}desc").text == ("Standar <Pelayanan>: Perbup Tegal 63/2023 8 aturan, Perwali Metro 19/2018 4 aturan; "
                                            "SKM: Perbup Tegal 63/2023 2 aturan, Perwali Metro 19/2018 0 aturan")
    heads = [[span.text for span in text.iter(f"{SVG}tspan")] for text in root.iter(f"{SVG}text") if text.get("class") == "head"]
    assert heads == [["Perbup Tegal", "63/2023"], ["Perwali Metro", "19/2018"]]
    numbers = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "number"]
    assert numbers == ["8", "4", "2", "tidak diatur"]
