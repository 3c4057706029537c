import time

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation

from sopapp import views


class OfficeLanguageMiddleware:
    """Bahasa Indonesia unless the person chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language; an Indonesian
    office wants its own language by default, whatever the browser says.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class SessionRefreshMiddleware:
    """Moves a session's idle expiry every few minutes rather than on every request.

    A session is stored again (and its expiry moved on by the idle time) only when it changed
    or when ``SOPAPP_SESSION_REFRESH_SECONDS`` have passed since it was last stored; reading a
    page otherwise writes nothing. The time of the last store is kept in the session itself.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.session_key is None and not session.modified:
            return response
        stored = session.get(self.KEY)
        # A session that ended (logout flushes it) or expired is not brought back.
        if session.is_empty():
            return response
        now = int(time.time())
        if (
            session.modified
            or not isinstance(stored, int)
            or now - stored >= settings.SOPAPP_SESSION_REFRESH_SECONDS
        ):
            session[self.KEY] = now
        return response


class ErrorPagesMiddleware:
    """Our error pages where Django would answer with an empty or a technical one.

    - 405 (an address that only takes a form, opened as a page — e.g. after switching the
      language on a form that came back with errors): Django answers with an empty body.
    - 404 while ``DEBUG`` is on (``make run``): Django's technical page lists every URL
      pattern; people trying the demo see the page production shows instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = views.method_not_allowed(request, response.get("Allow", ""))
            return _logged_as(response, page)
        if response.status_code == 404 and settings.DEBUG and TECHNICAL in response.content:
            return _logged_as(response, views.page_not_found(request))
        return response


def _logged_as(replaced: HttpResponse, page: HttpResponse) -> HttpResponse:
    """``page`` answers instead of ``replaced``; if Django logged that one already (a view
    refusing a method logs it there), its handler must not log the same request again."""
    if getattr(replaced, "_has_been_logged", False):
        # The mark django.utils.log.log_response reads and sets (not in the type stubs).
        page._has_been_logged = True  # type: ignore[attr-defined]
    return page


# What only Django's technical 404 page says (our own 404 answers, e.g. an unknown
# verification code, stay as they are).
TECHNICAL = b"<code>DEBUG = True</code>"
