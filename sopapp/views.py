"""Error pages in the site's own layout and language (also when ``DEBUG`` is off).

Each page names what happened in Indonesian, keeps the navigation where it can, and offers a
way back. The server-error page is drawn without the request's context processors: whatever
failed (the database, say) may be what they need.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _error_page(request: HttpRequest, status: int, title: str, template: str) -> HttpResponse:
    context = {"error_code": status, "error_title": title}
    return render(request, template, context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, _("Permintaan tidak dapat diproses"), "400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403, _("Akses ditolak"), "403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, _("Halaman tidak ditemukan"), "404.html")


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    """An address that only takes a form (an action, an upload) opened as a page."""
    response = _error_page(request, 405, _("Alamat ini bukan halaman"), "405.html")
    response["Allow"] = allowed
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's ``CSRF_FAILURE_VIEW``: a form sent with a missing or stale security token."""
    return _error_page(request, 403, _("Formulir sudah kedaluwarsa"), "403_csrf.html")


def server_error(request: HttpRequest) -> HttpResponse:
    context = {"error_code": 500, "error_title": _("Terjadi kesalahan pada server")}
    return HttpResponseServerError(loader.render_to_string("500.html", context))
