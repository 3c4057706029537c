"""Small security helpers wired in through settings."""

from django.conf import settings
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
