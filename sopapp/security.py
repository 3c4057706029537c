"""Small security helpers wired in through settings."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address for the login lockout (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``SOPAPP_PROXY_COUNT`` reverse proxies, each appending the address it saw to
    ``X-Forwarded-For``, the client is that many entries from the right; anything further
    left was written by the client and is not trusted. Without proxies: the TCP peer.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    count = settings.SOPAPP_PROXY_COUNT
    if count <= 0:
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return peer
    return forwarded[-count]


def rate_limit_wait(request: HttpRequest, scope: str, limit: int, window: int) -> int:
    """Count one request of this client in ``scope``; 0 if allowed, else seconds to wait.

    A fixed window of ``window`` seconds per client address, counted in the cache (shared
    between server processes when ``SOPAPP_CACHE_URL`` points at Redis). The address is
    the one the login lockout uses, so ``SOPAPP_PROXY_COUNT`` applies.
    """
    now = int(time.time())
    start = now - now % window
    key = f"sop:rate:{scope}:{client_ip(request)}:{start}"
    # add() creates the counter with its expiry; incr() is atomic in Redis and locmem.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return 0
    return max(1, start + window - now)
