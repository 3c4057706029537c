from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from requests_intake import services
from requests_intake.forms import ProposalForm, ProposalListForm
from requests_intake.models import (
    ApplicationRequest,
    AttachmentKind,
)
from sopapp.http import AuthenticatedRequest, private_no_store
from workflow import selectors
from workflow import services as workflow_services
from workflow.access import get_attachment_for_user, get_request_for_user
from workflow.errors import ActionError, ActionForbidden
from workflow.exports import table_response
from workflow.masterdata import active_units, attach_units
from workflow.paging import CappedPaginator
from workflow.roles import can_act_as, has_role
from workflow.sla import attach_remaining, remaining
from workflow.states import State
from workflow.workdays import WorkCalendar

PAGE_SIZE = 25


def _render_list(
    request: AuthenticatedRequest, form: ProposalListForm, status: int = 200
) -> HttpResponse:
    filters = form.filters()
    rows = selectors.request_rows(request.user, filters)
    page = CappedPaginator(
        rows.found.select_related(None), PAGE_SIZE, in_order=rows.in_order.select_related(None)
    ).get_page(form.value("page", 1))
    attach_units(page.object_list)
    attach_remaining(page.object_list)
    # Only accepted values are carried to the next page and to the export links.
    query = {
        name: form.value(name)
        for name in ("q", "state", "unit", "year")
        if form.value(name) is not None
    }
    return render(
        request,
        "requests_intake/request_list.html",
        {
            "page": page,
            "form": form,
            "filters": filters,
            "states": State.choices,
            "units": active_units(),
            "query_string": urlencode(query),
            "export_refused": status == 400,
        },
        status=status,
    )


@private_no_store
@require_GET
@login_required
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    return _render_list(request, ProposalListForm(request.GET))


@private_no_store
@require_GET
@login_required
def request_list_export(request: AuthenticatedRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered list as CSV or XLSX (every row, not one page).

    A refused filter answers with the list page and its message, never with a file that
    would silently hold other rows (or none).
    """
    form = ProposalListForm(request.GET)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    rows_qs = selectors.request_list(request.user, form.filters())
    calendar = WorkCalendar.load()
    today = timezone.localdate()

    def rows():
        for req in rows_qs.iterator(chunk_size=2000):
            left = remaining(req.due_date, calendar, today)
            yield [
                req.registration_number or "",
                req.app_name,
                req.unit.name,
                req.step or "",
                req.get_state_display(),
                req.due_date,
                left.days if left is not None else None,
                timezone.localtime(req.submitted_at).replace(tzinfo=None)
                if req.submitted_at
                else None,
                timezone.localtime(req.created_at).replace(tzinfo=None),
            ]

    headers = [
        _("Nomor"),
        _("Aplikasi"),
        _("Perangkat Daerah"),
        _("Tahap"),
        _("Status"),
        _("Batas waktu tahap"),
        _("Sisa hari kerja (negatif: terlambat)"),
        _("Diajukan"),
        _("Dibuat"),
    ]
    fmt = form.file_format
    name = f"usulan-{timezone.localdate():%Y%m%d}"
    return table_response(name, headers, rows(), fmt)


def _save_proposal(
    request: AuthenticatedRequest, form: ProposalForm, req: ApplicationRequest | None
):
    data = form.proposal_data()
    letter = form.cleaned_data.get("letter_file")
    kak = form.cleaned_data.get("kak_file")
    try:
        if req is None:
            return services.request_create(
                actor=request.user, data=data, letter_file=letter, kak_file=kak
            )
        revision = request.POST.get("revision")
        return services.request_update_draft(
            actor=request.user,
            request_id=req.pk,
            revision=int(revision) if revision and revision.isdigit() else None,
            data=data,
            letter_file=letter,
            kak_file=kak,
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    except ActionForbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ActionError as exc:
        form.add_error(None, exc.message)
    return None


@private_no_store
@require_http_methods(["GET", "POST"])
@login_required
def request_create(request: AuthenticatedRequest) -> HttpResponse:
    if not has_role(request.user, "pemohon") or request.user.unit_id is None:
        raise PermissionDenied
    posted = request.method == "POST"
    form = ProposalForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        req = _save_proposal(request, form, None)
        if req is not None:
            messages.success(request, _("Draf usulan disimpan. Periksa lalu ajukan."))
            return redirect(req)
    return render(request, "requests_intake/request_form.html", {"form": form, "req": None})


@private_no_store
@require_http_methods(["GET", "POST"])
@login_required
def request_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    req = get_request_for_user(request.user, pk)
    if not can_act_as(request.user, "pemohon", req):
        raise PermissionDenied
    if req.state != State.DRAFT:
        messages.warning(request, _("Usulan yang sudah diajukan tidak dapat diubah."))
        return redirect(req)
    present = set(req.attachments.values_list("kind", flat=True))
    form = ProposalForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=req,
        has_letter=AttachmentKind.REQUEST_LETTER in present,
        has_kak=AttachmentKind.KAK_TOR in present,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_proposal(request, form, req)
        if saved is not None:
            messages.success(request, _("Perubahan draf disimpan."))
            return redirect(saved)
    return render(request, "requests_intake/request_form.html", {"form": form, "req": req})


@require_POST
@login_required
def request_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    req = get_request_for_user(request.user, pk)
    try:
        workflow_services.proposal_delete_draft(actor=request.user, proposal_id=req.pk)
    except ActionForbidden:
        raise PermissionDenied from None
    except ActionError as exc:
        messages.warning(request, exc.message)
        return redirect(req)
    messages.success(request, _("Draf usulan dihapus."))
    return redirect("requests_intake:list")


@private_no_store
@require_GET
@login_required
def attachment_download(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = get_attachment_for_user(request.user, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
