"""Cached lookups that a model's save must drop (role titles, standards, calendar)."""

from django.core.cache import cache


def forget(key: str) -> None:
    cache.delete(key)
