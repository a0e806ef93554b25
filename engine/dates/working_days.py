"""Working days (hari kerja) for deadlines such as "60 hari kerja" or "3 hari kerja".

A working day is Monday to Friday less national holidays (hari libur nasional) and cuti bersama.
Cuti bersama are counted as days off because the joint ministerial decree (SKB 3 Menteri) makes
them days off for government offices, and every deadline patuh judges runs against a government
unit. Election days that a Keppres declares national holidays (e.g. 2024-02-14, 2024-11-27) are
days off for the same reason: the package lists them with the national holidays, and the offices
are closed. A unit may add its own days off (regional holidays) from its facts.

Holiday data comes from the `holidays` package (country "ID"): national holidays are its
"public" category and cuti bersama its "government" category. Two of its silences would
otherwise turn into wrong deadlines, so this module makes them loud:

* Lunar-calendar holidays (Idul Fitri, Idul Adha, Imlek, Waisak, ...) beyond the years the
  government has decided are astronomical estimates, which the package marks "(perkiraan)".
  Cuti bersama are only known once the SKB for that year is out; for later years the package
  simply has none. A deadline computed across either is provisional, and the detailed results
  say so, so that a finding can say so too.
* Outside the years the package covers (it starts in 1946, and lists Nyepi only up to 2050) it
  returns no holiday at all instead of an error. Those years raise `UnsupportedYearError`.

The calendar is an object handed to the arithmetic, so rules and tests can count with
`SimpleCalendar` (a fixed list of days off) instead of the national one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from ..cache import cached
from ..problems import CannotRun

# The `holidays` package is imported when a day is first looked up, not with this module: an
# audit that counts no working day does not wait 90 ms for it.

__all__ = [
    "DayOff",
    "SimpleCalendar",
    "UnsupportedYearError",
    "WorkingCalendar",
    "WorkingDayCalendar",
    "WorkingDayResult",
    "add_working_days",
    "add_working_days_detailed",
    "check_audit_date",
    "default_calendar",
    "is_working_day",
    "working_days_between",
    "working_days_between_detailed",
]

# Names are read in Indonesian so that findings quote the decree's own wording, and so that the
# estimate marker does not depend on the machine's locale (the package falls back to English).
_LANGUAGE = "id"
_ESTIMATED_MARKER = "(perkiraan)"
_PUBLIC = "public"
_GOVERNMENT = "government"
# Cuti bersama began in 2002; a later year without any in the package is one whose SKB the
# package does not know yet, not a year without cuti bersama.
_FIRST_CUTI_BERSAMA_YEAR = 2002
# An estimated lunar date is typically off by a day (rukyat versus hisab), so an estimate just
# outside the counted days can still move into them.
ESTIMATE_MARGIN_DAYS = 1

LOCAL_DAY_OFF = "Libur daerah"


class UnsupportedYearError(CannotRun, ValueError):
    """A date whose year the calendar has no holiday data for."""


@dataclass(frozen=True)
class DayOff:
    """A weekday or weekend date that is not worked, and why."""

    date: date
    names: tuple[str, ...]
    kind: str  # "national", "cuti bersama" or "local"; the first that applies
    estimated: bool = False

    @property
    def name(self) -> str:
        return "; ".join(self.names)


@dataclass(frozen=True)
class WorkingDayResult:
    """A count of working days together with what it leaned on.

    For `add_working_days_detailed`, `date` is the computed deadline and `working_days` the n
    asked for; for `working_days_between_detailed`, `date` is the end date and `working_days`
    the count. `holidays_skipped` are the weekday days off that the count stepped over (those
    are what make it differ from counting weekdays), in date order.
    """

    date: date
    working_days: int
    holidays_skipped: list[tuple[date, str]] = field(default_factory=list)
    estimated_holidays: list[date] = field(default_factory=list)
    cuti_bersama_undecided_years: list[int] = field(default_factory=list)

    @property
    def relies_on_estimates(self) -> bool:
        """Whether the date could still move once the government decides the holidays."""
        return bool(self.estimated_holidays or self.cuti_bersama_undecided_years)

    def estimate_note(self) -> str | None:
        """A sentence for a finding, or None when every holiday involved is decided."""
        parts = []
        if self.estimated_holidays:
            listed = ", ".join(d.isoformat() for d in self.estimated_holidays)
            parts.append(f"estimated (not yet officially decided) holidays: {listed}")
        if self.cuti_bersama_undecided_years:
            listed = ", ".join(str(y) for y in self.cuti_bersama_undecided_years)
            parts.append(f"cuti bersama not yet known for {listed}")
        if not parts:
            return None
        return "Computed over " + "; ".join(parts) + "."


class WorkingDayCalendar(ABC):
    """Working-day arithmetic over any source of days off.

    Subclasses answer `day_off` (and may refine `check_year`, `is_estimated_near` and
    `cuti_bersama_undecided`); the counting rules live here once so that every calendar
    counts the same way.
    """

    def check_year(self, year: int) -> None:
        """Raise `UnsupportedYearError` when the calendar cannot vouch for `year`."""

    @abstractmethod
    def day_off(self, d: date) -> DayOff | None:
        """The holiday or local day off on `d` (weekends are not reported here)."""

    def cuti_bersama_undecided(self, year: int) -> bool:
        return False

    def is_working_day(self, d: date) -> bool:
        self.check_year(d.year)
        return d.weekday() < 5 and self.day_off(d) is None

    def add_working_days(self, start: date, n: int) -> date:
        return self.add_working_days_detailed(start, n).date

    def working_days_between(self, a: date, b: date) -> int:
        return self.working_days_between_detailed(a, b).working_days

    def add_working_days_detailed(self, start: date, n: int) -> WorkingDayResult:
        """The n-th working day after `start`; `start` itself never counts.

        "Dalam 3 hari kerja sejak diterima" starts counting the day after receipt, whatever
        day of the week receipt was, so a Saturday receipt has Monday as its first working
        day. n = 0 gives `start` back unchanged. A negative n is refused: no rule counts
        backwards, and silently doing so would hide a sign error in a rule.
        """
        if n < 0:
            raise ValueError(f"number of working days must not be negative, got {n}")
        self.check_year(start.year)
        day, counted, skipped = start, 0, []
        while counted < n:
            day += timedelta(days=1)
            self.check_year(day.year)
            if day.weekday() >= 5:
                continue
            off = self.day_off(day)
            if off is None:
                counted += 1
            else:
                skipped.append((day, off.name))
        return self._result(start, day, n, skipped)

    def working_days_between_detailed(self, a: date, b: date) -> WorkingDayResult:
        """Working days after `a` up to and including `b`.

        Counted the same way as `add_working_days`, so that for n >= 1
        working_days_between(a, add_working_days(a, n)) == n and a deadline check reads
        "late if working_days_between(received, answered) > n". When `b` precedes `a` the
        count is negative (-working_days_between(b, a)), so that the answer still says how
        far apart the two dates are and in which direction; a == b gives 0.
        """
        if b < a:
            forward = self.working_days_between_detailed(b, a)
            return WorkingDayResult(
                date=b,
                working_days=-forward.working_days,
                holidays_skipped=forward.holidays_skipped,
                estimated_holidays=forward.estimated_holidays,
                cuti_bersama_undecided_years=forward.cuti_bersama_undecided_years,
            )
        self.check_year(a.year)
        self.check_year(b.year)
        # Weekdays by arithmetic, days off from a per-year table: a complaint still open after
        # three years spans a thousand days, and a batch counts such spans for every rule.
        skipped = [(day, name) for year in range(a.year, b.year + 1)
                   for day, name in self._weekday_days_off(year) if a < day <= b]
        count = _weekdays_after(a, b) - len(skipped)
        return self._result(a, b, count, skipped)

    def _weekday_days_off(self, year: int) -> list[tuple[date, str]]:
        """The weekday days off of `year`, in date order (computed once per calendar and year)."""
        tables = self.__dict__.setdefault("_weekday_days_off_by_year", {})
        if year not in tables:
            day, found = date(year, 1, 1), []
            while day.year == year:
                if day.weekday() < 5:
                    off = self.day_off(day)
                    if off is not None:
                        found.append((day, off.name))
                day += timedelta(days=1)
            tables[year] = found
        return tables[year]

    def _result(self, start: date, end: date, count: int, skipped) -> WorkingDayResult:
        return WorkingDayResult(
            date=end,
            working_days=count,
            holidays_skipped=skipped,
            estimated_holidays=self.estimated_holidays_near(start, end),
            cuti_bersama_undecided_years=[
                y for y in range(start.year, end.year + 1) if self.cuti_bersama_undecided(y)
            ],
        )

    def estimated_holidays_near(self, start: date, end: date) -> list[date]:
        """Estimated holidays that could change a count over the days after `start` to `end`.

        Weekend estimates are included and the window is widened by ESTIMATE_MARGIN_DAYS on
        both sides: an estimate is a guess of a date, and the decided date may fall a day
        earlier or later, onto a weekday inside the counted days.
        """
        return []


class WorkingCalendar(WorkingDayCalendar):
    """Indonesian government working days, with a unit's own days off on top.

    `local_days_off` is either a list of dates or a mapping from date to the name of the day
    (e.g. a regency's anniversary); they are days off only for this calendar's unit.
    """

    def __init__(self, local_days_off: Iterable[date] | Mapping[date, str] = ()):
        if isinstance(local_days_off, Mapping):
            self.local_days_off = {d: str(name) for d, name in local_days_off.items()}
        else:
            self.local_days_off = {d: LOCAL_DAY_OFF for d in local_days_off}
        self.first_year, self.last_year = _coverage()

    def with_local_days_off(
        self, local_days_off: Iterable[date] | Mapping[date, str]
    ) -> "WorkingCalendar":
        """A calendar for one unit: these days off added to this calendar's."""
        extra = (
            dict(local_days_off)
            if isinstance(local_days_off, Mapping)
            else {d: LOCAL_DAY_OFF for d in local_days_off}
        )
        return WorkingCalendar({**self.local_days_off, **extra})

    def check_year(self, year: int) -> None:
        if not self.first_year <= year <= self.last_year:
            raise UnsupportedYearError(
                f"no Indonesian holiday data for {year}: the working-day calendar covers "
                f"{self.first_year}-{self.last_year} (holidays package {_holidays_version()}; "
                "outside that range it lists no holidays, or not all of them, and every "
                "holiday would silently count as a working day)"
            )

    def day_off(self, d: date) -> DayOff | None:
        self.check_year(d.year)
        public, government = _national_names(d)
        local = self.local_days_off.get(d)
        if not (public or government or local):
            return None
        names = public + government + ((local,) if local else ())
        kind = "national" if public else "cuti bersama" if government else "local"
        estimated = any(_ESTIMATED_MARKER in n for n in public + government)
        return DayOff(d, names, kind, estimated)

    def cuti_bersama_undecided(self, year: int) -> bool:
        return year >= _FIRST_CUTI_BERSAMA_YEAR and not _has_cuti_bersama(year)

    def estimated_holidays_near(self, start: date, end: date) -> list[date]:
        margin = timedelta(days=ESTIMATE_MARGIN_DAYS)
        first, last = start - margin, end + margin
        # The margin may reach into an uncovered year; it only widens a warning.
        return [day for year in range(max(first.year, self.first_year), min(last.year, self.last_year) + 1)
                for day in _estimated_days(year) if first <= day <= last]


class SimpleCalendar(WorkingDayCalendar):
    """Monday to Friday less a fixed set of days off; for tests and hypothetical checks."""

    def __init__(
        self,
        days_off: Iterable[date] | Mapping[date, str] = (),
        estimated: Iterable[date] = (),
    ):
        if isinstance(days_off, Mapping):
            self.days_off = {d: str(name) for d, name in days_off.items()}
        else:
            self.days_off = {d: "day off" for d in days_off}
        self.estimated = frozenset(estimated)

    def day_off(self, d: date) -> DayOff | None:
        name = self.days_off.get(d)
        if name is None:
            return None
        return DayOff(d, (name,), "local", d in self.estimated)

    def estimated_holidays_near(self, start: date, end: date) -> list[date]:
        margin = timedelta(days=ESTIMATE_MARGIN_DAYS)
        return sorted(d for d in self.estimated if start - margin <= d <= end + margin)


# --- the holidays package, read once per process ---------------------------------------------

def _holidays_version() -> str:
    from importlib.metadata import version

    return version("holidays")


@lru_cache(maxsize=None)
def _package_calendar(category: str):
    import holidays

    return holidays.country_holidays("ID", categories=(category,), language=_LANGUAGE)


# Cached: a batch asks about the same few hundred days for every complaint of every unit, and
# each uncached lookup costs two `holidays` list builds (1.4M of them for 50 synthetic units).
@lru_cache(maxsize=None)
def _national_names(d: date) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(national holiday names, cuti bersama names) on `d`, split by the package's categories."""
    return (
        tuple(_package_calendar(_PUBLIC).get_list(d)),
        tuple(_package_calendar(_GOVERNMENT).get_list(d)),
    )


@lru_cache(maxsize=None)
def _estimated_days(year: int) -> tuple[date, ...]:
    """The days of `year` (weekends too) with a holiday the package only estimates."""
    found, day = [], date(year, 1, 1)
    while day.year == year:
        public, government = _national_names(day)
        if any(_ESTIMATED_MARKER in n for n in public + government):
            found.append(day)
        day += timedelta(days=1)
    return tuple(found)


def _weekdays_after(a: date, b: date) -> int:
    """Monday-to-Friday days after `a` up to and including `b` (a <= b)."""
    days = (b - a).days
    whole_weeks, rest = divmod(days, 7)
    count = whole_weeks * 5
    weekday = a.weekday()
    for step in range(1, rest + 1):
        if (weekday + step) % 7 < 5:
            count += 1
    return count


@lru_cache(maxsize=None)
def _has_cuti_bersama(year: int) -> bool:
    import holidays

    return bool(holidays.country_holidays("ID", categories=(_GOVERNMENT,), years=year))


@lru_cache(maxsize=1)
def _coverage() -> tuple[int, int]:
    """The years for which the package lists every national holiday.

    The package itself spans start_year..end_year but its Balinese Saka table (Nyepi) ends
    earlier; past that, Nyepi would silently be a working day. The last year with a Nyepi is
    looked up rather than written down, so a newer package extends the range by itself; the
    answer is kept per version of the package (cache.py), since finding it loads the
    package's Indonesian calendar, which every audit would otherwise wait for at start.
    """
    return cached(f"holiday-coverage-{_holidays_version()}", (), _covered_years)


def _covered_years() -> tuple[int, int]:
    import holidays

    probe = holidays.country_holidays("ID", categories=(_PUBLIC,), language=_LANGUAGE)
    first, last = probe.start_year, probe.end_year
    nyepi_from = 1983  # Keppres 3/1983 made Nyepi a national holiday
    for year in range(last, nyepi_from - 1, -1):
        names = holidays.country_holidays(
            "ID", categories=(_PUBLIC,), language=_LANGUAGE, years=year
        ).values()
        if any("Nyepi" in n for n in names):
            return first, year
    raise RuntimeError(
        f"holidays {holidays.__version__} lists no Nyepi for Indonesia: its data changed shape"
    )


def check_audit_date(as_of: date) -> None:
    """Refuse an audit date beyond the holiday data: every deadline in hari kerja and every
    period up to it would be counted as if those years had no holidays."""
    first, last = _coverage()
    if not first <= as_of.year <= last:
        raise UnsupportedYearError(
            f"the audit date {as_of.isoformat()} is beyond the working-day calendar, whose holiday data covers "
            f"{first}-{last} (holidays package {_holidays_version()}); give a date up to {last}-12-31")


# --- module-level shortcuts on the national calendar -----------------------------------------

@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The national calendar, without any unit's local days off."""
    return WorkingCalendar()


def is_working_day(d: date, calendar: WorkingDayCalendar | None = None) -> bool:
    return (calendar or default_calendar()).is_working_day(d)


def add_working_days(start: date, n: int, calendar: WorkingDayCalendar | None = None) -> date:
    return (calendar or default_calendar()).add_working_days(start, n)


def add_working_days_detailed(
    start: date, n: int, calendar: WorkingDayCalendar | None = None
) -> WorkingDayResult:
    return (calendar or default_calendar()).add_working_days_detailed(start, n)


def working_days_between(a: date, b: date, calendar: WorkingDayCalendar | None = None) -> int:
    return (calendar or default_calendar()).working_days_between(a, b)


def working_days_between_detailed(
    a: date, b: date, calendar: WorkingDayCalendar | None = None
) -> WorkingDayResult:
    return (calendar or default_calendar()).working_days_between_detailed(a, b)
