from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from requests_intake import services
from requests_intake.forms import ProposalForm, ProposalListForm
from requests_intake.models import (
    REQUIRED_KINDS,
    UPLOAD_KINDS_BY_STATE,
    ApplicationRequest,
    AttachmentKind,
)
from workflow import selectors
from workflow.access import get_attachment_for_user, get_request_for_user
from workflow.actions import available_actions
from workflow.errors import ActionError, ActionForbidden
from workflow.exports import table_response
from workflow.forms import CommentForm, ReassignForm, UploadForm
from workflow.masterdata import active_units
from workflow.paging import CappedPaginator
from workflow.roles import can_act_as, has_role, is_current_actor
from workflow.sla import attach_remaining, remaining, step_timings
from workflow.states import STEPS, State, progress
from workflow.workdays import WorkCalendar

PAGE_SIZE = 25

# Proposal pages and files hold a unit's data: no shared cache may keep them, and the
# browser keeps no copy on disk once the person has logged out.
private_no_store = cache_control(private=True, no_store=True)


def _render_list(request: HttpRequest, form: ProposalListForm, status: int = 200) -> HttpResponse:
    filters = form.filters()
    page = CappedPaginator(selectors.request_list(request.user, filters), PAGE_SIZE).get_page(
        form.value("page", 1)
    )
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
def request_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request, ProposalListForm(request.GET))


@private_no_store
@require_GET
@login_required
def request_list_export(request: HttpRequest) -> HttpResponse:
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


def _save_proposal(request: HttpRequest, form: ProposalForm, req: ApplicationRequest | None):
    data = form.proposal_data()
    letter = form.cleaned_data.get("letter_file")
    try:
        if req is None:
            return services.request_create(actor=request.user, data=data, letter_file=letter)
        revision = request.POST.get("revision")
        return services.request_update_draft(
            actor=request.user,
            request_id=req.pk,
            revision=int(revision) if revision and revision.isdigit() else None,
            data=data,
            letter_file=letter,
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
def request_create(request: HttpRequest) -> HttpResponse:
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
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_request_for_user(request.user, pk)
    if not can_act_as(request.user, "pemohon", req):
        raise PermissionDenied
    if req.state != State.DRAFT:
        messages.warning(request, _("Usulan yang sudah diajukan tidak dapat diubah."))
        return redirect(req)
    has_letter = req.attachments.filter(kind=AttachmentKind.REQUEST_LETTER).exists()
    form = ProposalForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=req,
        has_letter=has_letter,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_proposal(request, form, req)
        if saved is not None:
            messages.success(request, _("Perubahan draf disimpan."))
            return redirect(saved)
    return render(request, "requests_intake/request_form.html", {"form": form, "req": req})


@require_POST
@login_required
def request_delete(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_request_for_user(request.user, pk)
    try:
        services.request_delete_draft(actor=request.user, request_id=req.pk)
    except ActionForbidden:
        raise PermissionDenied from None
    except ActionError as exc:
        messages.warning(request, exc.message)
        return redirect(req)
    messages.success(request, _("Draf usulan dihapus."))
    return redirect("requests_intake:list")


def render_request_page(
    request: HttpRequest,
    req: ApplicationRequest,
    *,
    bound: dict | None = None,
    upload_form: UploadForm | None = None,
    comment_form: CommentForm | None = None,
    reassign_form: ReassignForm | None = None,
    meeting_form=None,
    status: int = 200,
) -> HttpResponse:
    """The proposal page; ``bound`` holds a submitted action form to show with errors."""
    bound = bound or {}
    user = request.user
    actions = []
    for spec in available_actions(req, user):
        form = bound.get(spec.name) or spec.form_class(req=req, prefix=spec.name)
        actions.append({"spec": spec, "form": form, "open": spec.name in bound})
    upload_kinds = UPLOAD_KINDS_BY_STATE.get(req.state, ()) if is_current_actor(user, req) else ()
    if req.state == State.DRAFT:
        upload_kinds = ()  # the request letter is attached on the edit form
    if upload_kinds and upload_form is None:
        upload_form = UploadForm(kinds=upload_kinds)
    required = REQUIRED_KINDS.get(next((a["spec"].name for a in actions), ""), ())
    attach_remaining([req])
    can_reassign = (
        has_role(user, "kasi") and req.assigned_prakom_id is not None and not req.is_final
    )
    context = {
        "req": req,
        "progress": progress(req.state),
        "steps": STEPS,
        "actions": actions,
        "upload_form": upload_form if upload_kinds else None,
        "can_edit": req.state == State.DRAFT and can_act_as(user, "pemohon", req),
        "required_kinds": [AttachmentKind(k).label for k in required],
        "timings": step_timings(req),
        "comment_form": comment_form or CommentForm(),
        "reassign_form": (reassign_form or ReassignForm(req=req)) if can_reassign else None,
        "is_admin": has_role(user, "admin"),
        **selectors.request_detail(req),
        **_office_context(req, user, meeting_form),
    }
    response = render(request, "requests_intake/request_detail.html", context, status=status)
    response["Cache-Control"] = "private, no-store"  # also after a refused action or upload
    return response


def _office_context(req: ApplicationRequest, user, meeting_form) -> dict:
    """Returns, meetings, agreement, the application record; internal notes hidden from
    the requesting unit (who sees what happened and what was asked of it)."""
    from workflow.forms import MeetingForm
    from workflow.models import MeetingKind

    office = selectors.office_detail(req, user)
    office["internal_notes"] = selectors.INTERNAL_NOTES
    meeting_kind = {State.PRESENTATION: MeetingKind.PRESENTATION}.get(req.state)
    if req.state == State.SOCIALISATION:
        meeting_kind = MeetingKind.SOCIALISATION
    if meeting_kind and can_act_as(user, "prakom", req):
        office["meeting_kind"] = meeting_kind
        office["meeting_form"] = meeting_form or MeetingForm(req=req)
    return office


@private_no_store
@require_GET
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_request_page(request, get_request_for_user(request.user, pk))


@private_no_store
@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
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
