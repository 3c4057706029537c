"""Small, rarely changed tables read on every page, kept in the cache for a minute.

Saving a row clears its entry; the short lifetime bounds staleness where several server
processes keep their own cache (set SOPAPP_CACHE_URL to a shared Redis to avoid even that).
"""

import datetime

from django.conf import settings
from django.core.cache import cache

from requests_intake.models import PerangkatDaerah
from workflow.models import CalendarDay, RoleTitle

CALENDAR_KEY = "sop:calendar-days"
ROLE_TITLES_KEY = "sop:role-titles"
UNITS_KEY = "sop:active-units"
UNIT_NAMES_KEY = "sop:active-unit-names"
ALL_UNITS_KEY = "sop:units"
STANDARDS_KEY = "sop:step-standards"
MEASURES_KEY = "sop:step-measures"


def _ttl() -> int:
    return getattr(settings, "SOPAPP_MASTERDATA_TTL", 60)


def calendar_overrides() -> dict[datetime.date, bool]:
    found = cache.get(CALENDAR_KEY)
    if found is None:
        found = dict(CalendarDay.objects.values_list("date", "is_holiday"))
        cache.set(CALENDAR_KEY, found, _ttl())
    return found


def role_titles() -> dict[str, tuple[str, str]]:
    found = cache.get(ROLE_TITLES_KEY)
    if found is None:
        found = {row.role: (row.title, row.short_title) for row in RoleTitle.objects.all()}
        cache.set(ROLE_TITLES_KEY, found, _ttl())
    return found


def active_units() -> list[tuple[int, str]]:
    found = cache.get(UNITS_KEY)
    if found is None:
        found = list(
            PerangkatDaerah.objects.filter(active=True)
            .order_by("short_name")
            .values_list("pk", "short_name")
        )
        cache.set(UNITS_KEY, found, _ttl())
    return found


def active_unit_names() -> list[tuple[int, str]]:
    """Active units by full name, in the units' own order (the dashboard's filter)."""
    from requests_intake.models import PerangkatDaerah

    found = cache.get(UNIT_NAMES_KEY)
    if found is None:
        found = list(PerangkatDaerah.objects.filter(active=True).values_list("pk", "name"))
        cache.set(UNIT_NAMES_KEY, found, _ttl())
    return found


def attach_units(rows) -> None:
    """Set each row's ``unit`` from the cache (every unit, active or not).

    A list read without joining the unit table lets the engine walk its date index and
    stop after one page; SQLite otherwise starts from the small unit table once it has
    statistics, and sorts every proposal. A unit missing from the cache loads as usual.
    """
    from requests_intake.models import PerangkatDaerah

    found = cache.get(ALL_UNITS_KEY)
    if found is None:
        found = {unit.pk: unit for unit in PerangkatDaerah.objects.all()}
        cache.set(ALL_UNITS_KEY, found, _ttl())
    for row in rows:
        unit = found.get(row.unit_id)
        if unit is not None:
            row.unit = unit


def step_standards() -> dict:
    """The time standard of each SOP step, by step number (``StepStandard`` rows)."""
    from workflow.models import StepStandard

    found = cache.get(STANDARDS_KEY)
    if found is None:
        found = {standard.step: standard for standard in StepStandard.objects.all()}
        cache.set(STANDARDS_KEY, found, _ttl())
    return found


def step_measures() -> dict[int, tuple[int, bool]]:
    """Each step's standard as (amount measured, counted in calendar days), by step number:
    what a transition reads for its due date (plain values: the cache hands them back
    without rebuilding model instances)."""
    found = cache.get(MEASURES_KEY)
    if found is None:
        found = {
            step: (standard.measured_amount, standard.calendar_days)
            for step, standard in step_standards().items()
        }
        cache.set(MEASURES_KEY, found, _ttl())
    return found


def forget(*keys: str) -> None:
    cache.delete_many(list(keys))
