"""Wrong passphrases are counted and locked out like failed logins: the same django-axes
records, limit (SOPAPP_LOGIN_FAILURE_LIMIT) and cool-off, keyed on the signer and the
client address. The key is ``tte:<username>`` so a locked signature does not lock the
login, and the administrator sees (and can reset) both in the same admin list.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.http import HttpRequest

PREFIX = "tte:"


def _credentials(user) -> dict:
    return {"username": f"{PREFIX}{user.get_username()}"}


def is_locked(request: HttpRequest, user) -> bool:
    return AxesProxyHandler.is_locked(request, _credentials(user))


def failures(request: HttpRequest, user) -> int:
    return AxesProxyHandler.get_failures(request, _credentials(user))


def record_failure(request: HttpRequest, user) -> None:
    AxesProxyHandler.user_login_failed(
        sender=__name__, credentials=_credentials(user), request=request
    )
    # The axes middleware would turn this response into the login lockout page; the
    # signing page says it in its own words instead.
    request.axes_locked_out = False  # type: ignore[attr-defined]  # set by django-axes


def reset(user) -> None:
    AxesProxyHandler.reset_attempts(username=_credentials(user)["username"])
