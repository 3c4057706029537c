"""The working-day calendar: Monday–Friday (Perpres 21/2023) minus national holidays and
*cuti bersama* (the ``holidays`` package, Indonesia, ``government`` category), corrected by
the administrator's ``CalendarDay`` table (decrees change dates mid-year).
"""

import datetime
from functools import lru_cache

import holidays

# Beyond this many days a computation is a bug, not a calendar.
_MAX_SPAN = 366 * 5


@lru_cache(maxsize=32)
def package_holidays(year: int) -> dict[datetime.date, str]:
    """National holidays and cuti bersama of ``year`` according to the ``holidays`` package."""
    found = holidays.country_holidays(
        "ID", categories=("public", "government"), years=year, language="id"
    )
    return dict(found.items())


class WorkCalendar:
    """A snapshot of the calendar: load once (one query), then answer without queries."""

    def __init__(self, overrides: dict[datetime.date, bool] | None = None) -> None:
        self.overrides = overrides or {}

    @classmethod
    def load(cls) -> "WorkCalendar":
        from workflow.masterdata import calendar_overrides

        return cls(calendar_overrides())

    def is_working_day(self, day: datetime.date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return not override
        return day.weekday() < 5 and day not in package_holidays(day.year)

    def add_working_days(self, start: datetime.date, amount: int) -> datetime.date:
        """The ``amount``-th working day after ``start`` (``start`` itself when 0)."""
        day = start
        remaining = amount
        for _ in range(_MAX_SPAN):
            if remaining <= 0:
                return day
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        raise ValueError("No working days found in five years.")

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days d with start < d ≤ end; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        if (end - start).days > _MAX_SPAN:
            raise ValueError("Span too long for a working-day count.")
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def due_date(self, start: datetime.date, amount: int, *, calendar_days: bool) -> datetime.date:
        if calendar_days:
            return start + datetime.timedelta(days=amount)
        return self.add_working_days(start, amount)

    def elapsed(self, start: datetime.date, end: datetime.date, *, calendar_days: bool) -> int:
        if calendar_days:
            return (end - start).days
        return self.working_days_between(start, end)
