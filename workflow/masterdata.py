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


def forget(*keys: str) -> None:
    cache.delete_many(list(keys))
