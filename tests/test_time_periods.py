from datetime import date

import pytest

from patuh.dates.periods import add_months, add_years, whole_months_between


@pytest.mark.parametrize("start, months, expected", [
    (date(2024, 1, 31), 1, date(2024, 2, 29)),   # leap year: last day of February
    (date(2023, 1, 31), 1, date(2023, 2, 28)),
    (date(2024, 1, 31), 3, date(2024, 4, 30)),
    (date(2024, 8, 31), 6, date(2025, 2, 28)),
    (date(2024, 11, 15), 3, date(2025, 2, 15)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
])
def test_add_months_clamps_to_the_last_day(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize("start, years, expected", [
    (date(2024, 2, 29), 1, date(2025, 2, 28)),
    (date(2024, 2, 29), 4, date(2028, 2, 29)),
    (date(2024, 1, 22), 3, date(2027, 1, 22)),
])
def test_add_years(start, years, expected):
    assert add_years(start, years) == expected


@pytest.mark.parametrize("start, end, expected", [
    (date(2024, 5, 15), date(2024, 8, 15), 3),
    (date(2024, 5, 15), date(2024, 8, 14), 2),
    (date(2024, 1, 31), date(2024, 2, 29), 1),
    (date(2024, 1, 31), date(2024, 2, 28), 0),
    (date(2024, 5, 15), date(2024, 5, 1), 0),
])
def test_whole_months_between(start, end, expected):
    assert whole_months_between(start, end) == expected
