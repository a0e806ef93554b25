"""Charts drawn as inline SVG: a page that shows one stays a single self-contained file.

Pure functions from numbers and labels to SVG text; no file, no script, no font is loaded.
Every text that reaches the SVG (labels, titles, the sentence said instead of an empty chart)
is XML-escaped here, so the result can be put into an autoescaped page as it is (it comes
back as `Markup`). Each chart is an image to assistive technology (`role="img"`, an
`aria-label`, `<title>` and `<desc>`), and the desc says every number the bars show, so
nothing is only visible.

The layout is for narrow screens too: a bar's label stands on its own line above the bar,
the drawing scales with the page (`viewBox`, width 100%, capped by the page's CSS), and a
label longer than a line is shortened with "…" (the whole label stays in the bar's title).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Optional, Sequence

from markupsafe import Markup

WIDTH = 400            # the drawing's own units; the page scales it (about 0.9 on a phone, 1.25 beside another chart)
VALUE_SPACE = 62       # right of the track, for the value as text
TRACK = WIDTH - VALUE_SPACE
ROW = 40               # a label line and its bar
BAR_HEIGHT = 14
FONT = 13
LABEL_CHARACTERS = 52  # about one line of the drawing at FONT
COLOURS = ("#175cd3", "#067647", "#b54708", "#6941c6", "#b42318", "#0e7090")


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _shorten(label: str, limit: int = LABEL_CHARACTERS) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None: nothing to measure, no bar drawn) and the value as
    the reader should see it ("60,6%", "3"), which the caller formats for its language."""

    label: str
    value: Optional[float]
    value_text: str


def empty_chart(sentence: str) -> Markup:
    """What stands where a chart has nothing to show: a sentence, not an empty drawing."""
    return Markup(f'<p class="chart-empty">{_text(sentence)}</p>')


def _frame(chart_id: str, title: str, description: str, height: float, body: list[str], width: int = WIDTH) -> Markup:
    return Markup(
        f'<svg class="chart" id="{_text(chart_id)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:g}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-label="{_text(title)}" '
        f'aria-labelledby="{_text(chart_id)}-title {_text(chart_id)}-desc" font-size="{FONT}">'
        f'<title id="{_text(chart_id)}-title">{_text(title)}</title>'
        f'<desc id="{_text(chart_id)}-desc">{_text(description)}</desc>'
        + "".join(body) + "</svg>")


def bar_width(value: Optional[float], maximum: float) -> float:
    """The bar's length in drawing units: proportional to value / maximum, clamped to the track."""
    if value is None or maximum <= 0:
        return 0.0
    return round(min(max(value, 0.0), maximum) / maximum * TRACK, 1)


def horizontal_bars(bars: Sequence[Bar], *, chart_id: str, title: str, empty: str, maximum: Optional[float] = None,
                    colour: str = COLOURS[0], track: bool = False, limit: Optional[int] = None,
                    total: Optional[int] = None, more: str = "and {n} more") -> Markup:
    """Horizontal bars, one per entry, in the order given.

    `maximum`: the value of a full bar (100 for percentages); by default the largest value.
    `track`: draw the full length faintly behind each bar (a share of a whole reads better so).
    `limit`: draw the first `limit` bars and say how many more there are, in `more` ({n});
    `total`: how many entries there are in all, when the caller passes only the first ones.
    With no bars, the sentence `empty` instead of a chart.
    """
    if not bars:
        return empty_chart(empty)
    shown = list(bars[:limit]) if limit is not None else list(bars)
    hidden = max(len(bars) if total is None else total, len(bars)) - len(shown)
    if maximum is None:
        maximum = max((bar.value for bar in bars if bar.value is not None), default=0.0)
    body: list[str] = []
    for index, bar in enumerate(shown):
        top = index * ROW
        width = bar_width(bar.value, maximum)
        body.append(f'<g class="bar"><title>{_text(bar.label)}: {_text(bar.value_text)}</title>')
        body.append(f'<text x="0" y="{top + FONT:g}" fill="#1d2433">{_text(_shorten(bar.label))}</text>')
        if track:
            body.append(f'<rect class="track" x="0" y="{top + 18:g}" width="{TRACK}" height="{BAR_HEIGHT}" fill="#e8ecf2"/>')
        if bar.value is not None:
            body.append(f'<rect class="value" x="0" y="{top + 18:g}" width="{width:g}" height="{BAR_HEIGHT}" fill="{_text(colour)}"/>')
        text_x = (TRACK if track else width) + 6
        body.append(f'<text class="number" x="{text_x:g}" y="{top + 18 + BAR_HEIGHT - 2:g}" fill="#1d2433">{_text(bar.value_text)}</text>')
        body.append("</g>")
    height = len(shown) * ROW
    more_text = more.format(n=hidden) if hidden else ""
    if hidden:
        body.append(f'<text class="more" x="0" y="{height + FONT:g}" fill="#5b6473">{_text(more_text)}</text>')
        height += ROW // 2 + 4
    description = "; ".join(f"{bar.label}: {bar.value_text}" for bar in shown) + (f"; {more_text}" if hidden else "")
    return _frame(chart_id, title, description, height, body)


@dataclass(frozen=True)
class Series:
    """One column of a bar matrix (a regulation), with a value per row in the rows' order."""

    label: str
    values: tuple[float, ...]


MATRIX_LABELS = 250    # the rows' names, left
MATRIX_COLUMN = 128    # each series' column: a bar and its number
MATRIX_ROW = 24


def bar_matrix(rows: Sequence[str], series: Sequence[Series], *, chart_id: str, title: str, empty: str,
               unit_words: str = "", zero: str = "–") -> Markup:
    """Small multiples: a row per entry (a topic), a column per series (a regulation), a bar in
    each cell on one scale, its number beside it; a zero is `zero`, not an invisible bar.

    One colour and the series' names as column heads: no legend to decode. `unit_words`
    follows the numbers in the desc ("aturan").
    """
    if not rows or not series or not any(value for entry in series for value in entry.values):
        return empty_chart(empty)
    maximum = max(value for entry in series for value in entry.values)
    track = MATRIX_COLUMN - 40
    width = MATRIX_LABELS + MATRIX_COLUMN * len(series)
    body: list[str] = []
    for index, entry in enumerate(series):
        x = MATRIX_LABELS + index * MATRIX_COLUMN
        # Two lines, so that a column head never runs into the next: "Perbup Tegal" / "63/2023".
        first, _, second = entry.label.rpartition(" ") if " " in entry.label else (entry.label, "", "")
        body.append(f'<text class="head" x="{x:g}" y="{FONT:g}" font-weight="600" fill="#1d2433"><title>{_text(entry.label)}</title>'
                    f'<tspan x="{x:g}">{_text(_shorten(first, 16))}</tspan>'
                    f'<tspan x="{x:g}" dy="{FONT + 2}">{_text(_shorten(second, 16))}</tspan></text>')
    top = 2 * FONT + 14
    for row_index, row in enumerate(rows):
        y = top + row_index * MATRIX_ROW
        if row_index % 2 == 0:
            body.append(f'<rect x="0" y="{y - 4:g}" width="{width}" height="{MATRIX_ROW}" fill="#f4f6f9"/>')
        body.append(f'<text x="4" y="{y + FONT:g}" fill="#1d2433">{_text(_shorten(row, 33))}<title>{_text(row)}</title></text>')
        for index, entry in enumerate(series):
            x = MATRIX_LABELS + index * MATRIX_COLUMN
            value = entry.values[row_index]
            bar = round(min(max(value, 0), maximum) / maximum * track, 1) if maximum else 0
            if value:
                body.append(f'<rect class="value" x="{x:g}" y="{y + 2:g}" width="{bar:g}" height="12" fill="{COLOURS[0]}">'
                            f'<title>{_text(entry.label)}, {_text(row)}: {value:g}</title></rect>')
            body.append(f'<text class="number" x="{x + bar + 5:g}" y="{y + FONT - 1:g}" font-size="{FONT - 1}" '
                        f'fill="{"#1d2433" if value else "#5b6473"}">{f"{value:g}" if value else _text(zero)}</text>')
    height = top + len(rows) * MATRIX_ROW
    suffix = f" {unit_words}" if unit_words else ""
    description = "; ".join(
        f"{row}: " + ", ".join(f"{entry.label} {entry.values[index]:g}{suffix}" for entry in series)
        for index, row in enumerate(rows))
    return _frame(chart_id, title, description, height, body, width=width)


__all__ = ["Bar", "Series", "bar_matrix", "bar_width", "empty_chart", "horizontal_bars"]
