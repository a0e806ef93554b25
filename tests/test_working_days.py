"""The working-day calendar against the officially decided days off of 2023-2025.

The days off below are written out by hand from the decrees rather than read from the
`holidays` package, so that the package is checked, not trusted:

* 2023: SKB 3 Menteri on hari libur nasional and cuti bersama 2023, as revised in March 2023
  (Idul Fitri cuti bersama moved to 19, 20, 21, 24, 25 April instead of 21, 24, 25, 26 April;
  Waisak cuti bersama 2 June added) and in June 2023 (Idul Adha cuti bersama 28 and 30 June).
* 2024: SKB 3 Menteri on hari libur nasional and cuti bersama 2024; election days 14 February
  (Pemilu) and 27 November (Pilkada serentak), each declared a national holiday by Keppres.
* 2025: SKB 3 Menteri on hari libur nasional and cuti bersama 2025, plus Monday 18 August 2025
  added in August 2025 (announced as a day off after the 80th Independence Day). The package
  files it as cuti bersama ("Cuti Bersama Hari Kemerdekaan Republik Indonesia"); whether it
  counts as libur nasional or cuti bersama does not matter here, it is a day off either way.

Cross-checking these against holidays 0.109 found no disagreement in dates: every day off below
is in the package, and the package has no other day off in these years.
"""

from datetime import date, timedelta

import pytest

from patuh.dates.working_days import (
    SimpleCalendar,
    UnsupportedYearError,
    WorkingCalendar,
    add_working_days,
    add_working_days_detailed,
    default_calendar,
    is_working_day,
    working_days_between,
    working_days_between_detailed,
)

D = date

NATIONAL_HOLIDAYS = {
    2023: [
        D(2023, 1, 1),    # Tahun Baru Masehi (Sunday)
        D(2023, 1, 22),   # Tahun Baru Imlek 2574 (Sunday)
        D(2023, 2, 18),   # Isra Mikraj (Saturday)
        D(2023, 3, 22),   # Hari Suci Nyepi, Tahun Baru Saka 1945
        D(2023, 4, 7),    # Wafat Yesus Kristus
        D(2023, 4, 22),   # Idul Fitri 1444 H (Saturday)
        D(2023, 4, 23),   # Idul Fitri 1444 H, second day (Sunday)
        D(2023, 5, 1),    # Hari Buruh Internasional
        D(2023, 5, 18),   # Kenaikan Yesus Kristus
        D(2023, 6, 1),    # Hari Lahir Pancasila
        D(2023, 6, 4),    # Waisak 2567 BE (Sunday)
        D(2023, 6, 29),   # Idul Adha 1444 H
        D(2023, 7, 19),   # Tahun Baru Islam 1445 H
        D(2023, 8, 17),   # Hari Kemerdekaan
        D(2023, 9, 28),   # Maulid Nabi Muhammad
        D(2023, 12, 25),  # Natal
    ],
    2024: [
        D(2024, 1, 1),    # Tahun Baru Masehi
        D(2024, 2, 8),    # Isra Mikraj
        D(2024, 2, 10),   # Tahun Baru Imlek 2575 (Saturday)
        D(2024, 3, 11),   # Hari Suci Nyepi, Tahun Baru Saka 1946
        D(2024, 3, 29),   # Wafat Yesus Kristus
        D(2024, 3, 31),   # Kebangkitan Yesus Kristus (Paskah; Sunday; a holiday from 2024)
        D(2024, 4, 10),   # Idul Fitri 1445 H
        D(2024, 4, 11),   # Idul Fitri 1445 H, second day
        D(2024, 5, 1),    # Hari Buruh Internasional
        D(2024, 5, 9),    # Kenaikan Yesus Kristus
        D(2024, 5, 23),   # Waisak 2568 BE
        D(2024, 6, 1),    # Hari Lahir Pancasila (Saturday)
        D(2024, 6, 17),   # Idul Adha 1445 H
        D(2024, 7, 7),    # Tahun Baru Islam 1446 H (Sunday)
        D(2024, 8, 17),   # Hari Kemerdekaan (Saturday)
        D(2024, 9, 16),   # Maulid Nabi Muhammad
        D(2024, 12, 25),  # Natal
    ],
    2025: [
        D(2025, 1, 1),    # Tahun Baru Masehi
        D(2025, 1, 27),   # Isra Mikraj
        D(2025, 1, 29),   # Tahun Baru Imlek 2576
        D(2025, 3, 29),   # Hari Suci Nyepi, Tahun Baru Saka 1947 (Saturday)
        D(2025, 3, 31),   # Idul Fitri 1446 H
        D(2025, 4, 1),    # Idul Fitri 1446 H, second day
        D(2025, 4, 18),   # Wafat Yesus Kristus
        D(2025, 4, 20),   # Kebangkitan Yesus Kristus (Sunday)
        D(2025, 5, 1),    # Hari Buruh Internasional
        D(2025, 5, 12),   # Waisak 2569 BE
        D(2025, 5, 29),   # Kenaikan Yesus Kristus
        D(2025, 6, 1),    # Hari Lahir Pancasila (Sunday)
        D(2025, 6, 6),    # Idul Adha 1446 H
        D(2025, 6, 27),   # Tahun Baru Islam 1447 H
        D(2025, 8, 17),   # Hari Kemerdekaan (Sunday)
        D(2025, 9, 5),    # Maulid Nabi Muhammad
        D(2025, 12, 25),  # Natal
    ],
}

ELECTION_DAYS = {
    2023: [],
    2024: [
        D(2024, 2, 14),   # Pemilu (presidential and legislative)
        D(2024, 11, 27),  # Pilkada serentak
    ],
    2025: [],
}

CUTI_BERSAMA = {
    2023: [
        D(2023, 1, 23),   # Imlek
        D(2023, 3, 23),   # Nyepi
        D(2023, 4, 19), D(2023, 4, 20), D(2023, 4, 21),  # Idul Fitri (revised list)
        D(2023, 4, 24), D(2023, 4, 25),
        D(2023, 6, 2),    # Waisak (added by the revision)
        D(2023, 6, 28), D(2023, 6, 30),  # Idul Adha (added by the June revision)
        D(2023, 12, 26),  # Natal
    ],
    2024: [
        D(2024, 2, 9),    # Imlek
        D(2024, 3, 12),   # Nyepi
        D(2024, 4, 8), D(2024, 4, 9), D(2024, 4, 12), D(2024, 4, 15),  # Idul Fitri
        D(2024, 5, 10),   # Kenaikan Yesus Kristus
        D(2024, 5, 24),   # Waisak
        D(2024, 6, 18),   # Idul Adha
        D(2024, 12, 26),  # Natal
    ],
    2025: [
        D(2025, 1, 28),   # Imlek
        D(2025, 3, 28),   # Nyepi
        D(2025, 4, 2), D(2025, 4, 3), D(2025, 4, 4), D(2025, 4, 7),  # Idul Fitri
        D(2025, 5, 13),   # Waisak
        D(2025, 5, 30),   # Kenaikan Yesus Kristus
        D(2025, 6, 9),    # Idul Adha
        D(2025, 8, 18),   # after Hari Kemerdekaan (added August 2025)
        D(2025, 12, 26),  # Natal
    ],
}

DECIDED_YEARS = (2023, 2024, 2025)
ALL_DAYS_OFF = {
    d
    for table in (NATIONAL_HOLIDAYS, ELECTION_DAYS, CUTI_BERSAMA)
    for days in table.values()
    for d in days
}


def every_day(year):
    day = D(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def reference_add(start, n):
    """Counting by hand from the tables above: the oracle for the calendar."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in ALL_DAYS_OFF:
            counted += 1
    return day


def weekdays_only_add(start, n):
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


@pytest.fixture(scope="module")
def cal():
    return WorkingCalendar()


# --- the decided days off ---------------------------------------------------------------------

@pytest.mark.parametrize("day", sorted(ALL_DAYS_OFF), ids=str)
def test_each_decided_day_off_is_not_a_working_day(cal, day):
    assert not cal.is_working_day(day)
    assert cal.day_off(day) is not None


@pytest.mark.parametrize("year", DECIDED_YEARS)
def test_the_calendar_has_no_other_days_off_in_decided_years(cal, year):
    off = {d for d in every_day(year) if cal.day_off(d) is not None}
    assert off == {d for d in ALL_DAYS_OFF if d.year == year}


@pytest.mark.parametrize("year", DECIDED_YEARS)
def test_cuti_bersama_are_told_apart_from_national_holidays(cal, year):
    for d in CUTI_BERSAMA[year]:
        assert cal.day_off(d).kind == "cuti bersama", d
    for d in NATIONAL_HOLIDAYS[year] + ELECTION_DAYS[year]:
        assert cal.day_off(d).kind == "national", d


@pytest.mark.parametrize("year", DECIDED_YEARS)
def test_decided_years_rely_on_no_estimate(cal, year):
    result = cal.working_days_between_detailed(D(year - 1, 12, 31), D(year, 12, 31))
    assert result.estimated_holidays == []
    assert result.cuti_bersama_undecided_years == []
    assert not result.relies_on_estimates
    assert result.estimate_note() is None


def test_the_first_revision_of_2023_gave_26_april_back_as_a_working_day(cal):
    assert cal.is_working_day(D(2023, 4, 26))


def test_election_days_are_days_off(cal):
    assert cal.day_off(D(2024, 2, 14)).names == ("Hari Pemilihan Umum",)
    assert cal.day_off(D(2024, 11, 27)).names == ("Hari Pemilihan Kepala Daerah",)


def test_weekends_are_never_working_days(cal):
    assert not cal.is_working_day(D(2024, 12, 21))  # Saturday
    assert not cal.is_working_day(D(2024, 12, 22))  # Sunday
    assert cal.is_working_day(D(2024, 12, 23))      # Monday


# --- counting across holidays -----------------------------------------------------------------

def test_the_domain_note_example(cal):
    # Received Monday 2024-12-23; 25 December is Christmas and 26 December cuti bersama.
    result = cal.add_working_days_detailed(D(2024, 12, 23), 3)
    assert result.date == D(2024, 12, 30)
    assert weekdays_only_add(D(2024, 12, 23), 3) == D(2024, 12, 26)
    assert result.holidays_skipped == [
        (D(2024, 12, 25), "Hari Raya Natal"),
        (D(2024, 12, 26), "Cuti Bersama Hari Raya Natal"),
    ]
    assert add_working_days(D(2024, 12, 23), 3) == D(2024, 12, 30)


@pytest.mark.parametrize("label, start, n, expected, weekdays_only", [
    # Idul Fitri 2024: 10-11 April, cuti bersama 8, 9, 12 and 15 April.
    ("idul fitri 2024", D(2024, 4, 5), 1, D(2024, 4, 16), D(2024, 4, 8)),
    ("idul fitri 2024", D(2024, 4, 5), 3, D(2024, 4, 18), D(2024, 4, 10)),
    # Christmas 2023: Monday 25 December, cuti bersama Tuesday 26 December.
    ("christmas 2023", D(2023, 12, 22), 1, D(2023, 12, 27), D(2023, 12, 25)),
    ("christmas 2023", D(2023, 12, 22), 3, D(2023, 12, 29), D(2023, 12, 27)),
    # Nyepi 2025 is a Saturday, but its cuti bersama (Friday 28 March) runs into Idul Fitri
    # (31 March-1 April) and its cuti bersama (2, 3, 4, 7 April).
    ("nyepi 2025", D(2025, 3, 27), 1, D(2025, 4, 8), D(2025, 3, 28)),
    ("nyepi 2025", D(2025, 3, 26), 2, D(2025, 4, 8), D(2025, 3, 28)),
    # Nyepi 2024 (Monday 11 March) and its cuti bersama on the Tuesday.
    ("nyepi 2024", D(2024, 3, 8), 1, D(2024, 3, 13), D(2024, 3, 11)),
    # Nyepi 2023 (Wednesday 22 March) and its cuti bersama on the Thursday.
    ("nyepi 2023", D(2023, 3, 21), 2, D(2023, 3, 27), D(2023, 3, 23)),
    # Election day 2024 between working days.
    ("pemilu 2024", D(2024, 2, 13), 1, D(2024, 2, 15), D(2024, 2, 14)),
])
def test_counting_across_holidays(cal, label, start, n, expected, weekdays_only):
    assert weekdays_only_add(start, n) == weekdays_only  # the trap the test guards against
    assert cal.add_working_days(start, n) == expected
    assert cal.working_days_between(start, expected) == n


def test_the_nyepi_2025_skip_list_names_each_day(cal):
    result = cal.add_working_days_detailed(D(2025, 3, 27), 1)
    assert [d for d, _ in result.holidays_skipped] == [
        D(2025, 3, 28), D(2025, 3, 31), D(2025, 4, 1),
        D(2025, 4, 2), D(2025, 4, 3), D(2025, 4, 4), D(2025, 4, 7),
    ]
    assert result.holidays_skipped[0][1] == "Cuti Bersama Hari Suci Nyepi"


@pytest.mark.parametrize("n", [1, 3, 14, 30, 60])
def test_long_deadlines_agree_with_counting_by_hand(cal, n):
    start = D(2023, 1, 1)
    while start <= D(2025, 8, 31):
        assert cal.add_working_days(start, n) == reference_add(start, n), (start, n)
        start += timedelta(days=5)


def test_sixty_working_days_across_lebaran_2024(cal):
    # By hand: 17 working days left in March (Nyepi, its cuti bersama, Good Friday), 16 in
    # April (Lebaran), 18 in May, and the 9th of June is the 13th.
    result = cal.add_working_days_detailed(D(2024, 3, 1), 60)
    assert result.date == reference_add(D(2024, 3, 1), 60) == D(2024, 6, 13)
    assert result.date != weekdays_only_add(D(2024, 3, 1), 60)
    assert len(result.holidays_skipped) == 14


def test_counting_starts_the_day_after_even_at_a_weekend(cal):
    assert cal.add_working_days(D(2024, 12, 21), 1) == D(2024, 12, 23)  # Saturday -> Monday
    assert cal.add_working_days(D(2024, 12, 24), 1) == D(2024, 12, 27)  # the day before Natal


def test_zero_and_negative_n(cal):
    assert cal.add_working_days(D(2024, 12, 25), 0) == D(2024, 12, 25)
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_days(D(2024, 12, 23), -1)


def test_between_counts_after_a_up_to_and_including_b(cal):
    assert cal.working_days_between(D(2024, 12, 23), D(2024, 12, 23)) == 0
    assert cal.working_days_between(D(2024, 12, 23), D(2024, 12, 24)) == 1
    assert cal.working_days_between(D(2024, 12, 23), D(2024, 12, 26)) == 1
    assert cal.working_days_between(D(2024, 12, 23), D(2024, 12, 30)) == 3
    assert working_days_between(D(2024, 12, 20), D(2024, 12, 22)) == 0  # Friday to Sunday


def test_between_is_negative_when_b_precedes_a(cal):
    assert cal.working_days_between(D(2024, 12, 30), D(2024, 12, 23)) == -3
    result = working_days_between_detailed(D(2024, 12, 30), D(2024, 12, 23))
    assert result.working_days == -3
    assert [d for d, _ in result.holidays_skipped] == [D(2024, 12, 25), D(2024, 12, 26)]


def test_between_inverts_add(cal):
    for start in (D(2023, 4, 14), D(2024, 4, 5), D(2024, 12, 20), D(2025, 3, 27)):
        for n in range(1, 70, 7):
            assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


def test_module_functions_use_the_national_calendar():
    assert is_working_day(D(2024, 12, 27))
    assert not is_working_day(D(2024, 12, 26))
    assert add_working_days_detailed(D(2024, 12, 23), 3).date == D(2024, 12, 30)
    assert default_calendar() is default_calendar()


# --- local days off ---------------------------------------------------------------------------

def test_local_days_off_add_to_the_national_ones():
    local = WorkingCalendar(local_days_off=[D(2024, 12, 27)])
    assert not local.is_working_day(D(2024, 12, 27))
    assert local.day_off(D(2024, 12, 27)).kind == "local"
    assert local.add_working_days(D(2024, 12, 23), 3) == D(2024, 12, 31)
    assert WorkingCalendar().add_working_days(D(2024, 12, 23), 3) == D(2024, 12, 30)


def test_named_local_days_off_appear_in_the_skip_list():
    hari_jadi = D(2024, 10, 15)  # a regency's anniversary, say
    local = WorkingCalendar({hari_jadi: "Hari Jadi Kabupaten"})
    result = local.add_working_days_detailed(D(2024, 10, 14), 1)
    assert result.date == D(2024, 10, 16)
    assert result.holidays_skipped == [(hari_jadi, "Hari Jadi Kabupaten")]


def test_a_local_day_off_on_a_national_holiday_keeps_both_names():
    local = WorkingCalendar({D(2024, 12, 25): "Libur daerah"})
    off = local.day_off(D(2024, 12, 25))
    assert off.kind == "national"
    assert off.names == ("Hari Raya Natal", "Libur daerah")


def test_with_local_days_off_leaves_the_original_alone(cal):
    unit = cal.with_local_days_off([D(2024, 12, 27)])
    assert not unit.is_working_day(D(2024, 12, 27))
    assert cal.is_working_day(D(2024, 12, 27))


# --- estimates --------------------------------------------------------------------------------

def test_far_holidays_are_marked_as_estimated(cal):
    # Idul Fitri 1451 H is expected on 4-5 February 2030 but nobody has decided it yet.
    off = cal.day_off(D(2030, 2, 4))
    assert off is not None and off.estimated
    assert "(perkiraan)" in off.name
    assert not cal.day_off(D(2030, 1, 1)).estimated  # a fixed date is never an estimate


def test_a_deadline_across_estimated_holidays_says_so(cal):
    result = cal.add_working_days_detailed(D(2030, 2, 1), 1)
    assert result.date == D(2030, 2, 6)
    assert [d for d, _ in result.holidays_skipped] == [D(2030, 2, 4), D(2030, 2, 5)]
    assert {D(2030, 2, 4), D(2030, 2, 5)} <= set(result.estimated_holidays)
    assert result.cuti_bersama_undecided_years == [2030]
    assert result.relies_on_estimates
    note = result.estimate_note()
    assert "2030-02-04" in note and "cuti bersama not yet known for 2030" in note


def test_a_far_deadline_without_estimated_holidays_still_warns_about_cuti_bersama(cal):
    result = cal.add_working_days_detailed(D(2030, 10, 1), 3)
    assert result.estimated_holidays == []
    assert result.cuti_bersama_undecided_years == [2030]
    assert result.relies_on_estimates


def test_an_estimate_just_past_the_deadline_is_reported():
    # The estimated day is a Saturday, but its decided date could be the Friday.
    cal = SimpleCalendar({D(2024, 1, 6): "perkiraan"}, estimated=[D(2024, 1, 6)])
    result = cal.add_working_days_detailed(D(2024, 1, 1), 4)
    assert result.date == D(2024, 1, 5)
    assert result.estimated_holidays == [D(2024, 1, 6)]


# --- other calendars --------------------------------------------------------------------------

def test_any_calendar_object_can_be_passed_in():
    fake = SimpleCalendar([D(2024, 12, 24)])
    assert add_working_days(D(2024, 12, 23), 3, calendar=fake) == D(2024, 12, 27)
    assert working_days_between(D(2024, 12, 23), D(2024, 12, 27), calendar=fake) == 3
    assert not is_working_day(D(2024, 12, 24), calendar=fake)
    assert is_working_day(D(2024, 12, 25), calendar=fake)
    assert not fake.add_working_days_detailed(D(2024, 12, 23), 3).relies_on_estimates


# --- unsupported years ------------------------------------------------------------------------

def test_covered_years(cal):
    assert cal.first_year == 1946
    assert cal.last_year >= 2050  # holidays 0.109 lists Nyepi up to 2050


@pytest.mark.parametrize("day", [D(1945, 8, 17), D(1900, 1, 2)])
def test_years_before_the_package_are_refused(cal, day):
    with pytest.raises(UnsupportedYearError, match=str(day.year)):
        cal.is_working_day(day)


def test_years_after_the_package_are_refused(cal):
    late = D(cal.last_year + 1, 3, 2)
    with pytest.raises(UnsupportedYearError, match=f"{cal.first_year}-{cal.last_year}"):
        cal.is_working_day(late)
    with pytest.raises(UnsupportedYearError):
        cal.add_working_days(D(cal.last_year, 12, 30), 5)
    with pytest.raises(UnsupportedYearError):
        cal.working_days_between(D(2024, 1, 1), late)
    with pytest.raises(UnsupportedYearError):
        working_days_between(D(1940, 1, 1), D(2024, 1, 1))


def test_the_error_is_a_value_error(cal):
    with pytest.raises(ValueError):
        cal.day_off(D(2101, 1, 1))


@pytest.mark.parametrize("seed", range(4))
def test_counting_by_table_agrees_with_walking_day_by_day(seed):
    """Spans are counted from weekday arithmetic and a per-year table of days off; walking
    every day and asking is_working_day must give the same count, days off and estimates."""
    import random

    chance = random.Random(seed)
    calendar = WorkingCalendar(local_days_off=[D(2024, 6, 3), D(2031, 2, 7)])
    for _ in range(60):
        start = D(2019, 1, 1) + timedelta(days=chance.randrange(0, 365 * 14))
        end = start + timedelta(days=chance.choice([0, 1, 2, 5, 6, 7, 13, 40, 400, 1500]))
        result = calendar.working_days_between_detailed(start, end)
        days = [start + timedelta(days=k) for k in range(1, (end - start).days + 1)]
        assert result.working_days == sum(1 for day in days if calendar.is_working_day(day))
        assert [day for day, _ in result.holidays_skipped] == [
            day for day in days if day.weekday() < 5 and not calendar.is_working_day(day)]
        window = [start - timedelta(days=1) + timedelta(days=k) for k in range((end - start).days + 3)]
        assert result.estimated_holidays == [day for day in window if calendar.day_off(day) is not None
                                             and calendar.day_off(day).estimated]
