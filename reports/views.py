import functools
import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports import services
from reports.access import get_document_for_user
from reports.documents.base import DEFAULT_LOGO
from reports.forms import NumberEntryForm, VerifyForm
from reports.models import FONT_STACKS, Document, DocumentStatus, FontFamily, Letterhead
from reports.numbering import normalize_code
from reports.render import document_html
from signing.selectors import document_by_hash, record_of
from signing.serving import record_response
from sopapp.security import rate_limit_wait
from workflow.access import get_request_for_user
from workflow.models import TransitionLog
from workflow.roles import is_official

DOCUMENTS_ANCHOR = "#dokumen-resmi"


@require_GET
@login_required
def download(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse | FileResponse:
    doc = get_document_for_user(request.user, pk, doc_pk)
    if not doc.is_ready:
        raise Http404
    # The signed file when there is one; an unsigned draft carries the draft mark.
    return record_response(doc, inline=False)


@require_GET
@login_required
def preview(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """The document as a printer-friendly web page, built from the same template."""
    doc = get_document_for_user(request.user, pk, doc_pk)
    response = HttpResponse(document_html(doc, preview=True))
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a rekam jejak (full record) of the proposal as it stands now."""
    req = get_request_for_user(request.user, pk)
    doc = services.record_request(actor=request.user, req=req)
    doc.refresh_from_db(fields=["status"])
    if doc.status == DocumentStatus.READY:
        messages.success(
            request, _("Rekam jejak %(number)s siap diunduh.") % {"number": doc.code_display}
        )
    else:
        messages.info(
            request,
            _("Rekam jejak %(number)s sedang dibuat dan akan tampil di daftar dokumen resmi.")
            % {"number": doc.code_display},
        )
    return redirect(req.get_absolute_url() + DOCUMENTS_ANCHOR)


def _require_staff(user) -> None:
    # Repairing documents is Diskominfo's job; the requesting unit sees the state only.
    if not is_official(user):
        raise PermissionDenied


@require_POST
@login_required
def retry(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Make a failed or stuck document again (same number and code)."""
    doc = get_document_for_user(request.user, pk, doc_pk)
    _require_staff(request.user)
    if services.document_retry(document=doc):
        messages.info(
            request,
            _("Dokumen %(number)s sedang dibuat ulang.")
            % {"number": doc.number or doc.code_display},
        )
    else:
        messages.warning(request, _("Dokumen ini tidak perlu dibuat ulang."))
    return redirect(doc.request.get_absolute_url() + DOCUMENTS_ANCHOR)


@require_POST
@login_required
def enter_number(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """Issue a letter that waits for its number: the number from the agency's register."""
    doc = get_document_for_user(request.user, pk, doc_pk)
    _require_staff(request.user)
    form = NumberEntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["number"]))
        return redirect(doc.request.get_absolute_url() + DOCUMENTS_ANCHOR)
    try:
        issued = services.document_number_enter(
            actor=request.user, document_id=doc.pk, number=form.cleaned_data["number"]
        )
    except services.NumberRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Nomor %(number)s dicatat; dokumen sedang dibuat.") % {"number": issued[0].number},
        )
    return redirect(doc.request.get_absolute_url() + DOCUMENTS_ANCHOR)


def rate_limited(view):
    """The public verification pages: at most SOPAPP_VERIFY_LIMIT_PER_MINUTE per address.

    Codes are short; without a limit anyone could try them by the thousand.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait = rate_limit_wait(
            request, "verify", settings.SOPAPP_VERIFY_LIMIT_PER_MINUTE, VERIFY_WINDOW
        )
        if wait:
            response = render(request, "reports/verify_limited.html", {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return wrapper


VERIFY_WINDOW = 60


@require_POST
@login_required
def issue_missing(request: HttpRequest, pk: int, log_pk: int) -> HttpResponse:
    """Issue the documents a checkpoint of this proposal never got."""
    req = get_request_for_user(request.user, pk)
    if not TransitionLog.objects.filter(request=req, pk=log_pk).exists():
        raise Http404
    _require_staff(request.user)
    issued = services.checkpoint_issue(log_id=log_pk)
    if issued:
        messages.info(
            request,
            _("Dokumen %(numbers)s diterbitkan dan sedang dibuat.")
            % {"numbers": ", ".join(d.number or d.code_display for d in issued)},
        )
    else:
        messages.warning(request, _("Dokumen tahap ini sudah diterbitkan."))
    return redirect(req.get_absolute_url() + DOCUMENTS_ANCHOR)


def _public_document(code: str | None) -> Document | None:
    if code is None:
        return None
    return Document.objects.filter(code=code, status=DocumentStatus.READY).first()


@require_http_methods(["GET", "POST"])
@rate_limited
def verify(request: HttpRequest) -> HttpResponse:
    """Public (no login): check a code and/or whether a PDF is an archived document."""
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
    elif "kode" in request.GET:
        # A code typed into the address bar (or a form sent by GET) goes through the form too.
        form = VerifyForm({"code": request.GET["kode"]})
        if form.is_valid() and form.cleaned_data["code"]:
            code = form.cleaned_data["code"]
            return redirect("reports:verify_code", code=f"{code[:4]}-{code[4:]}")
        status = 400
    else:
        form = VerifyForm()
    context: dict = {"form": form}
    if request.method == "POST":
        if form.is_valid():
            code, digest = form.cleaned_data["code"], form.cleaned_data["file"]
            doc = _public_document(code)
            context.update({"checked_code": code is not None, "digest": digest, "doc": doc})
            if digest is not None:
                found, _as_what = document_by_hash(digest)
                if code is None:
                    doc = found
                    context["doc"] = doc
                context["match"] = doc is not None and found == doc
        else:
            status = 400
    if context.get("doc") is not None:
        context["record_sha256"] = record_of(context["doc"]).sha256
    return render(request, "reports/verify.html", context, status=status)


@require_GET
@rate_limited
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Where a document's QR code leads: is this code genuine, and what does it identify."""
    doc = _public_document(normalize_code(code[:40]))
    return render(
        request,
        "reports/verify.html",
        {
            "form": VerifyForm(initial={"code": code[:20]}),
            "doc": doc,
            "checked_code": True,
            "record_sha256": record_of(doc).sha256 if doc else "",
        },
        status=200 if doc else 404,
    )


@require_GET
@cache_control(public=True, max_age=300)
def document_css(request: HttpRequest) -> HttpResponse:
    """The documents' stylesheet for the preview (a page's CSP allows no inline style)."""
    letterhead = Letterhead.load()
    context = {
        "letterhead": letterhead,
        "font_stack": FONT_STACKS[FontFamily(letterhead.font_family)],
    }
    return HttpResponse(
        render_to_string("reports/pdf/_style.css", context), content_type="text/css; charset=utf-8"
    )


@require_GET
@cache_control(public=True, max_age=3600)
def letterhead_logo(request: HttpRequest) -> HttpResponse | FileResponse:
    """The administrator's logo (public: it is printed on every document)."""
    letterhead = Letterhead.load()
    if not letterhead.logo:
        return redirect(static(DEFAULT_LOGO))
    try:
        handle = letterhead.logo.open("rb")
    except OSError:
        raise Http404 from None
    content_type = mimetypes.guess_type(letterhead.logo.name)[0]
    if content_type not in ("image/png", "image/jpeg"):
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
