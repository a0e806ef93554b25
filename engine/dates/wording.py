"""Dates as a person writes them in a sentence: "10 Oktober 2022", "10 October 2022".

Here, in the earliest stage, rather than beside the report templates: the sentences that
word a finding are composed in the audit stage (audit/record.py) and by the input kinds,
which may not import from render/ or later (tests/test_architecture.py). The month names
are the calendar's own words, like the holidays' names in working_days.py, so they live
with the calendar and not in reports/labels/.
"""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS: dict[str, tuple[str, ...]] = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def long_date(value: date | str, language: str) -> str:
    """`value` (a date, or one written YYYY-MM-DD) in long form: day without a leading zero, month, year.

    Both languages put the day first, as Indonesian official writing does ("1 Januari 2024";
    in English "1 January 2024"). Anything that is not a real date is refused, never guessed.
    """
    if language not in MONTHS:
        raise ValueError(f"language must be one of {', '.join(MONTHS)}, got {language!r}")
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        # fromisoformat alone would also take "20241231" or "2024-W01-1", which no report writes.
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}") from None
    if not isinstance(value, date):
        raise ValueError(f"expected a date, got {value!r}")
    return f"{value.day} {MONTHS[language][value.month - 1]} {value.year}"
