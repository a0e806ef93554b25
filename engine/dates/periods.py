"""Calendar arithmetic with one written rounding policy.

Adding months or years keeps the day of the month; where that day does not exist in the
target month it becomes the month's last day (31 January + 1 month = 28 or 29 February;
29 February + 1 year = 28 February). This is the reading an inspector applies by hand
("paling lama 3 bulan" from 31 January ends on the last day of April, not in May).
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    return add_months(start, 12 * years)


def whole_months_between(start: date, end: date) -> int:
    """How many whole months have passed from `start` to `end` (0 if end precedes start)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months
