"""The working-day calendar: Monday–Friday (Perpres 21/2023) minus national holidays and
*cuti bersama* (the ``holidays`` package, Indonesia, ``government`` category), corrected by
the administrator's ``CalendarDay`` table (decrees change dates mid-year), and the office
hours within a working day.

Counting is done on an index built once per calendar content: for a span of whole years, how
many working days there are up to each date and where the n-th working day falls. A due date
or a count of working days between two dates is then two array lookups, not a walk day by
day. The index is keyed by the calendar's content (package dates are fixed per package
version, so the administrator's rows are the key): a changed ``CalendarDay`` row gives another
key and a fresh index, in every process, as soon as the master-data cache has the new rows.
"""

import datetime
import threading
from array import array
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

# Beyond this many days a computation is a bug, not a calendar.
_MAX_SPAN = 366 * 5
_ONE_DAY = datetime.timedelta(days=1)

DEFAULT_OFFICE_START = datetime.time(7, 30)
DEFAULT_OFFICE_END = datetime.time(16, 0)


@lru_cache(maxsize=32)
def package_holidays(year: int) -> dict[datetime.date, str]:
    """National holidays and cuti bersama of ``year`` according to the ``holidays`` package."""
    found = holidays.country_holidays(
        "ID", categories=("public", "government"), years=year, language="id"
    )
    return dict(found.items())


def office_hours() -> tuple[datetime.time, datetime.time]:
    """Start and end of the working day, local time (``SOPAPP_OFFICE_START`` / ``_END``)."""
    return (
        getattr(settings, "SOPAPP_OFFICE_START", DEFAULT_OFFICE_START),
        getattr(settings, "SOPAPP_OFFICE_END", DEFAULT_OFFICE_END),
    )


class _Index:
    """Working days of the years ``first_year``..``last_year``, counted once.

    ``upto[i]`` is the number of working days in ``[first, first + i]``; ``nth[k]`` is the
    offset from ``first`` of the (k+1)-th working day.
    """

    def __init__(self, first_year: int, last_year: int, rule) -> None:
        self.first = datetime.date(first_year, 1, 1)
        self.last = datetime.date(last_year, 12, 31)
        self.first_year, self.last_year = first_year, last_year
        size = (self.last - self.first).days + 1
        self.upto = array("l", bytes(array("l").itemsize * size))
        self.nth = array("l")
        count = 0
        day = self.first
        for offset in range(size):
            if rule(day):
                count += 1
                self.nth.append(offset)
            self.upto[offset] = count
            day += _ONE_DAY

    def covers(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last

    def offset(self, day: datetime.date) -> int:
        return (day - self.first).days


# Indexes by calendar content; a handful is plenty (the content changes a few times a year).
_INDEXES: dict[tuple, _Index] = {}
_INDEXES_LOCK = threading.Lock()
_MAX_INDEXES = 8


def forget_indexes() -> None:
    """Drop every built index (the next count rebuilds from the current calendar)."""
    with _INDEXES_LOCK:
        _INDEXES.clear()


class WorkCalendar:
    """A snapshot of the calendar: load once (one query), then answer without queries."""

    def __init__(self, overrides: dict[datetime.date, bool] | None = None) -> None:
        self.overrides = overrides or {}
        self._key = tuple(sorted(self.overrides.items()))
        self._index: _Index | None = None

    @classmethod
    def load(cls) -> "WorkCalendar":
        from workflow.masterdata import calendar_overrides

        return cls(calendar_overrides())

    # --- the rule ---------------------------------------------------------------------------

    def rule(self, day: datetime.date) -> bool:
        """Whether ``day`` is a working day, worked out from scratch (no index)."""
        override = self.overrides.get(day)
        if override is not None:
            return not override
        return day.weekday() < 5 and day not in package_holidays(day.year)

    # --- the index --------------------------------------------------------------------------

    def _covering(self, *days: datetime.date) -> _Index:
        index = self._index
        if index is not None and all(index.covers(d) for d in days):
            return index
        with _INDEXES_LOCK:
            index = _INDEXES.get(self._key)
        low = min(d.year for d in days)
        high = max(d.year for d in days)
        if index is None or not all(index.covers(d) for d in days):
            if index is not None:
                low, high = min(low, index.first_year), max(high, index.last_year)
            # A year either side: neighbouring dates of the same page land in the same index.
            index = _Index(max(low - 1, datetime.MINYEAR), min(high + 1, 9998), self.rule)
            with _INDEXES_LOCK:
                if len(_INDEXES) >= _MAX_INDEXES:
                    _INDEXES.pop(next(iter(_INDEXES)))
                _INDEXES[self._key] = index
        self._index = index
        return index

    # --- questions --------------------------------------------------------------------------

    def is_working_day(self, day: datetime.date) -> bool:
        index = self._index
        if index is None or not index.covers(day):
            index = self._covering(day)
        at = index.offset(day)
        return index.upto[at] != (index.upto[at - 1] if at else 0)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day after ``day``."""
        return self.add_working_days(day, 1)

    def add_working_days(self, start: datetime.date, amount: int) -> datetime.date:
        """The ``amount``-th working day after ``start`` (``start`` itself when 0)."""
        if amount <= 0:
            return start
        horizon = start
        while True:
            index = self._covering(start, horizon)
            target = index.upto[index.offset(start)] + amount
            if target <= len(index.nth):
                found = index.first + datetime.timedelta(days=index.nth[target - 1])
                if (found - start).days > _MAX_SPAN:
                    break
                return found
            if (index.last - start).days > _MAX_SPAN:
                break
            horizon = index.last + datetime.timedelta(days=366)
        raise ValueError("No working days found in five years.")

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days d with start < d ≤ end; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        if (end - start).days > _MAX_SPAN:
            raise ValueError("Span too long for a working-day count.")
        index = self._index
        if index is None or not (index.covers(start) and index.covers(end)):
            index = self._covering(start, end)
        return index.upto[index.offset(end)] - index.upto[index.offset(start)]

    def clock_start(self, moment: datetime.datetime) -> datetime.date:
        """The working day a step begun at ``moment`` starts counting from.

        As a Kasi counts it: work that arrives on a day off or after office hours is taken up
        at the next working day's office start; before office hours on a working day, that
        same day. A due date counts its working days after this day.
        """
        local = timezone.localtime(moment)
        day = local.date()
        _start, end = office_hours()
        if self.is_working_day(day) and local.time() < end:
            return day
        return self.next_working_day(day)

    def due_date(self, start: datetime.date, amount: int, *, calendar_days: bool) -> datetime.date:
        if calendar_days:
            return start + datetime.timedelta(days=amount)
        return self.add_working_days(start, amount)

    def elapsed(self, start: datetime.date, end: datetime.date, *, calendar_days: bool) -> int:
        if calendar_days:
            return (end - start).days
        return self.working_days_between(start, end)
