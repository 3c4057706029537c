"""The health probe for load balancers and monitoring: ``GET /health/``.

No login, nothing secret in the answer: each check reports only ``ok`` or ``error`` (the
details go to the log). 200 when everything works, 503 otherwise.

The storage check writes a file, so a success is reused for ``STORAGE_CHECK_SECONDS``:
anyone may call the probe, and each call must not cost a write. A failure is not reused,
so the probe turns healthy as soon as storage works again.
"""

import logging
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("SELECT 1 did not return 1")


def check_storage() -> None:
    """Write, read back and delete a small file where documents are stored."""
    payload = uuid.uuid4().hex.encode()
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}.txt", ContentFile(payload))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != payload:
                raise RuntimeError("storage returned different bytes")
    finally:
        default_storage.delete(name)


STORAGE_CHECK_SECONDS = 30
STORAGE_CHECK_KEY = "sop:health:storage-ok"


def check_storage_recently() -> None:
    if cache.get(STORAGE_CHECK_KEY):
        return
    check_storage()
    cache.set(STORAGE_CHECK_KEY, True, STORAGE_CHECK_SECONDS)


CHECKS = {"database": check_database, "storage": check_storage_recently}


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check %r failed", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
