import dataclasses
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from reports.access import rate_limited
from requests_intake.nip import format_nip
from signing import lockout, selectors, services
from signing.access import get_signature_for_user, require_official
from signing.backends import SigningError
from signing.forms import CertificateForm, SignatureVerifyForm, SignForm
from signing.models import CertificateAuthority, SignerCertificate
from signing.serving import record_response
from signing.validation import NotAPdf, validate_pdf


@require_GET
@login_required
def pending(request: HttpRequest) -> HttpResponse:
    """The signer's "siap ditandatangani" list."""
    require_official(request.user)
    signatures = list(selectors.ready_for(request.user))
    return render(request, "signing/pending.html", {"signatures": signatures})


@require_http_methods(["GET", "POST"])
@login_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Review the document and sign it with one's passphrase (in this request, never queued)."""
    signature = get_signature_for_user(request.user, pk)
    record = selectors.record_of(signature.document)
    context = {"signature": signature, "record": record, "doc": signature.document}
    if signature.is_signed:
        messages.info(request, _("Dokumen ini sudah ditandatangani."))
        return redirect("signing:pending")
    if lockout.is_locked(request, request.user):
        return _locked(request, context)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signature_sign(
                actor=request.user,
                signature_id=signature.pk,
                passphrase=form.cleaned_data["passphrase"],
            )
        except SigningError as exc:
            if exc.counts_as_failure:
                lockout.record_failure(request, request.user)
                if lockout.is_locked(request, request.user):
                    return _locked(request, context)
            # Re-rendered with the reason (200, as the workflow's action forms do).
            form.add_error(None, str(exc.message))
        except services.SignatureRefused as exc:
            messages.warning(request, str(exc.message))
            return redirect("signing:pending")
        else:
            lockout.reset(request.user)
            messages.success(
                request,
                _("Dokumen %(number)s berhasil ditandatangani secara elektronik.")
                % {"number": signature.document.number},
            )
            return redirect("signing:pending")
    context["form"] = form
    return render(request, "signing/sign.html", context)


def _locked(request: HttpRequest, context: dict) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context.update({"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT})
    response = render(request, "signing/locked.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@require_GET
@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The document as it stands, for the signer to read before signing."""
    signature = get_signature_for_user(request.user, pk)
    return record_response(signature.document, inline=True)


@require_http_methods(["GET", "POST"])
@login_required
def certificate(request: HttpRequest) -> HttpResponse:
    """The official's certificate; with none active (local CA), choose a passphrase for one."""
    require_official(request.user)
    current = SignerCertificate.objects.active().filter(user=request.user).first()
    local = settings.SOPAPP_SIGNER == "local"
    has_ca = CertificateAuthority.objects.filter(pk=1).exists()
    form = None
    if local and has_ca and current is None:
        form = CertificateForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            services.certificate_issue(
                user=request.user, passphrase=form.cleaned_data["passphrase"]
            )
            messages.success(
                request,
                _(
                    "Sertifikat elektronik Anda telah diterbitkan. Simpan passphrase Anda "
                    "baik-baik: passphrase tidak disimpan dan tidak dapat dipulihkan."
                ),
            )
            return redirect("signing:certificate")
    elif request.method == "POST":
        return redirect("signing:certificate")
    return render(
        request,
        "signing/certificate.html",
        {
            "current": current,
            "nip": format_nip(current.nip) if current else "",
            "form": form,
            "local": local,
            "has_ca": has_ca,
        },
    )


@require_GET
@cache_control(public=True, max_age=3600)
def crl(request: HttpRequest) -> HttpResponse:
    """The local CA's certificate revocation list (named in every certificate it issues)."""
    der = services.current_crl()
    if der is None:
        raise Http404
    response = HttpResponse(der, content_type="application/pkix-crl")
    response["Content-Disposition"] = 'attachment; filename="sopapp-ca.crl"'
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def ca_certificate(request: HttpRequest) -> HttpResponse:
    authority = CertificateAuthority.objects.filter(pk=1).first()
    if authority is None:
        raise Http404
    response = HttpResponse(authority.certificate_pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="sopapp-ca.pem"'
    return response


@require_http_methods(["GET", "POST"])
@rate_limited
def verify_signatures(request: HttpRequest) -> HttpResponse:
    """Public: validate the electronic signatures of an uploaded PDF, and look it up."""
    if request.method != "POST":
        return redirect("reports:verify")
    form = SignatureVerifyForm(request.POST, request.FILES)
    context: dict = {"signature_form": form}
    status = 200
    if form.is_valid():
        data = form.cleaned_data["signed_file"]
        digest = hashlib.sha256(data).hexdigest()
        doc, as_what = selectors.document_by_hash(digest)
        context.update({"digest": digest, "archived": doc, "archived_as": as_what, "reports": None})
        try:
            context["reports"] = [
                dataclasses.replace(report, nip=format_nip(report.nip))
                for report in validate_pdf(data)
            ]
        except NotAPdf:
            form.add_error("signed_file", _("Berkas ini tidak dapat dibaca sebagai PDF."))
            status = 400
    else:
        status = 400
    return render(request, "signing/verify.html", context, status=status)
