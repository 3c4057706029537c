"""Settings shared by the property-based tests (hypothesis)."""

import os

from hypothesis import HealthCheck, settings


def property_settings(max_examples: int) -> settings:
    """No deadline (a request may be slow on a busy machine), no example database; CI replays
    the same examples every run, developers' runs explore new ones."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=bool(os.environ.get("CI")),
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
