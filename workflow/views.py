from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from requests_intake.models import UPLOAD_KINDS_BY_STATE
from requests_intake.services import attachment_upload
from requests_intake.views import private_no_store, render_request_page
from workflow import charts, comments, selectors, services
from workflow.access import get_request_for_user
from workflow.actions import ACTIONS
from workflow.dashboard import build_dashboard, holder_label
from workflow.errors import ActionError, ActionForbidden, AlreadyTaken, StaleAction
from workflow.exports import table_response
from workflow.forms import (
    CommentEditForm,
    CommentForm,
    DashboardExportForm,
    DashboardFilterForm,
    PreferencesForm,
    QueryForm,
    ReassignForm,
    UploadForm,
)
from workflow.models import Comment, Notification
from workflow.notifications import describe
from workflow.roles import has_role, is_current_actor, user_roles
from workflow.services import transition_role
from workflow.sla import attach_remaining

INBOX_PAGE_SIZE = 50


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    if roles == {"admin"} and request.user.is_staff:
        return redirect("admin:index")
    if not roles:
        return render(request, "workflow/no_role.html", status=403)
    return redirect("workflow:inbox")


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    form = QueryForm(request.GET)
    page = Paginator(selectors.inbox(request.user), INBOX_PAGE_SIZE).get_page(form.value("page", 1))
    attach_remaining(page.object_list)
    return render(
        request,
        "workflow/inbox.html",
        {
            "page": page,
            "form": form,
            "counts": selectors.inbox_counts(request.user),
            "can_create": has_role(request.user, "pemohon") and request.user.unit_id is not None,
        },
    )


@require_POST
@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Take one SOP transition on a proposal."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    req = get_request_for_user(request.user, pk)
    if not has_role(request.user, transition_role(spec.name)):
        raise PermissionDenied
    form = spec.form_class(request.POST, request.FILES, req=req, prefix=spec.name)
    if not form.is_valid():
        if "revision" in form.errors:
            messages.warning(request, _("Formulir tidak lengkap; silakan ulangi."))
            return redirect(req)
        return render_request_page(request, req, bound={spec.name: form})
    try:
        spec.service(
            actor=request.user,
            request_id=req.pk,
            revision=form.cleaned_data["revision"],
            **form.service_kwargs(),
        )
    except ActionForbidden:
        raise PermissionDenied from None
    except AlreadyTaken:
        # The first press succeeded; its message may have been lost with its response.
        messages.success(request, spec.success)
        return redirect(req)
    except StaleAction as exc:
        messages.warning(request, exc.message)
        return redirect(req)
    except ActionError as exc:
        form.add_error(None, exc.message)
        return render_request_page(request, req, bound={spec.name: form})
    messages.success(request, spec.success)
    return redirect(req)


@require_POST
@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a document of the current step (a new version if the kind exists)."""
    req = get_request_for_user(request.user, pk)
    if not is_current_actor(request.user, req):
        raise PermissionDenied
    if not UPLOAD_KINDS_BY_STATE.get(req.state) or req.state == "draft":
        messages.warning(request, _("Tahap ini tidak menerima unggahan dokumen."))
        return redirect(req)
    form = UploadForm(request.POST, request.FILES, kinds=UPLOAD_KINDS_BY_STATE.get(req.state, ()))
    if form.is_valid():
        try:
            attachment = attachment_upload(
                actor=request.user,
                request_id=req.pk,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ActionForbidden:
            raise PermissionDenied from None
        except StaleAction as exc:
            messages.warning(request, exc.message)
            return redirect(req)
        except ActionError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request,
                _("%(doc)s versi %(v)d diunggah.")
                % {"doc": attachment.get_kind_display(), "v": attachment.version},
            )
            return redirect(req)
    return render_request_page(request, req, upload_form=form)


DASHBOARD_ROLES = frozenset({"kasi", "kabid", "kadis", "admin"})


def _check_dashboard_access(request: HttpRequest) -> None:
    if not user_roles(request.user) & DASHBOARD_ROLES:
        raise PermissionDenied


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _check_dashboard_access(request)
    return _render_dashboard(request, DashboardFilterForm(request.GET))


def _render_dashboard(
    request: HttpRequest, form: DashboardFilterForm, status: int = 200
) -> HttpResponse:
    data = build_dashboard(form.filters())
    attach_remaining(data.overdue)
    steps = data.steps
    compliance_chart = charts.horizontal_bars(
        [
            (
                f"{s.step}. {s.activity[:18]}",
                s.compliance,
                f"{s.compliance:.0f}%" if s.compliance is not None else "—",
            )
            for s in steps
        ],
        maximum=100,
        tones=[
            "success"
            if (s.compliance or 0) >= 80
            else "warning"
            if (s.compliance or 0) >= 50
            else "danger"
            for s in steps
        ],
    )
    duration_chart = charts.horizontal_bars(
        [
            (
                f"{s.step}. {s.activity[:18]}",
                s.median,
                "—"
                if s.median is None
                else _("%(m)s / %(s)s hari") % {"m": s.median, "s": s.standard},
            )
            for s in steps
        ],
        markers=[s.standard for s in steps],
        tones=["danger" if (s.load or 0) > 1 else "primary" for s in steps],
    )
    month_chart = charts.grouped_columns(
        [
            (m["month"].strftime("%m/%y"), [m["received"], m["completed"], m["rejected"]])
            for m in data.months
        ],
        [_("Diterima"), _("Selesai"), _("Ditolak")],
    )
    # Only accepted filters are carried to the export links.
    query = QueryDict(mutable=True)
    for name in form.shown_fields:
        value = form.value(name)
        if value is not None:
            query[name] = value.pk if name == "unit" else value
    return render(
        request,
        "workflow/dashboard.html",
        {
            "form": form,
            "data": data,
            "compliance_chart": compliance_chart,
            "duration_chart": duration_chart,
            "month_chart": month_chart,
            "query_string": query.urlencode(),
            "export_refused": status == 400,
        },
        status=status,
    )


@require_GET
@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """One dashboard table as CSV or XLSX; refused filters answer with the dashboard."""
    _check_dashboard_access(request)
    form = DashboardExportForm(request.GET)
    if not form.is_valid():
        return _render_dashboard(request, form, status=400)
    data = build_dashboard(form.filters())
    table = form.value("table", "steps")
    fmt = form.file_format
    if table == "months":
        headers = [_("Bulan"), _("Diterima"), _("Diputuskan"), _("Selesai"), _("Ditolak")]
        rows = [
            [
                m["month"].strftime("%Y-%m"),
                m["received"],
                m["decided"],
                m["completed"],
                m["rejected"],
            ]
            for m in data.months
        ]
    elif table == "units":
        headers = [
            _("Perangkat Daerah"),
            _("Diterima"),
            _("Selesai"),
            _("Ditolak"),
            _("Berjalan"),
            _("Terlambat"),
        ]
        rows = [
            [
                u["unit__name"],
                u["received"],
                u["completed"],
                u["rejected"],
                u["running"],
                u["overdue"],
            ]
            for u in data.units
        ]
    elif table == "overdue":
        headers = [
            _("Nomor"),
            _("Aplikasi"),
            _("Perangkat Daerah"),
            _("Tahap"),
            _("Batas waktu"),
            _("Pemegang"),
        ]
        rows = [
            [r.registration_number, r.app_name, r.unit.name, r.step, r.due_date, holder_label(r)]
            for r in data.overdue
        ]
    elif table == "steps":
        headers = [
            _("Tahap"),
            _("Kegiatan"),
            _("Standar (hari)"),
            _("Selesai dalam periode"),
            _("Tepat waktu"),
            _("Kepatuhan (%)"),
            _("Median (hari)"),
            _("P90 (hari)"),
            _("Rata-rata (hari)"),
            _("Berjalan sekarang"),
            _("Terlambat sekarang"),
        ]
        rows = [
            [
                s.step,
                s.activity,
                s.standard,
                s.finished,
                s.on_time,
                s.compliance,
                s.median,
                s.p90,
                s.average,
                s.running_now,
                s.overdue_now,
            ]
            for s in data.steps
        ]
    else:  # pragma: no cover - the form accepts only the tables above
        raise Http404
    name = f"dasbor-{table}-{data.filters.date_from:%Y%m%d}-{data.filters.date_to:%Y%m%d}"
    return table_response(name, headers, rows, fmt)


def _comment_for_user(user, pk: int, comment_pk: int):
    req = get_request_for_user(user, pk)
    comment = Comment.objects.filter(request=req, pk=comment_pk).first()
    if comment is None:
        raise Http404
    return req, comment


@require_POST
@login_required
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_request_for_user(request.user, pk)
    form = CommentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_request_page(request, req, comment_form=form)
    comments.comment_add(
        actor=request.user,
        req=req,
        body=form.cleaned_data["body"],
        upload=form.cleaned_data.get("file"),
    )
    messages.success(request, _("Komentar dikirim."))
    return redirect(f"{req.get_absolute_url()}#diskusi")


@require_POST
@login_required
def comment_edit(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    req, comment = _comment_for_user(request.user, pk, comment_pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    form = CommentEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Komentar tidak boleh kosong."))
        return redirect(f"{req.get_absolute_url()}#diskusi")
    try:
        comments.comment_edit(
            actor=request.user, comment_id=comment.pk, body=form.cleaned_data["body"]
        )
    except StaleAction as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, _("Komentar diperbarui; versi sebelumnya tetap terlihat."))
    return redirect(f"{req.get_absolute_url()}#diskusi")


@require_POST
@login_required
def comment_delete(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    req, comment = _comment_for_user(request.user, pk, comment_pk)
    try:
        comments.comment_delete(actor=request.user, comment_id=comment.pk)
    except ActionForbidden:
        raise PermissionDenied from None
    messages.success(request, _("Komentar dihapus."))
    return redirect(f"{req.get_absolute_url()}#diskusi")


@private_no_store
@require_GET
@login_required
def comment_file(request: HttpRequest, pk: int, comment_pk: int) -> FileResponse:
    _req, comment = _comment_for_user(request.user, pk, comment_pk)
    if not comment.file or comment.deleted_at is not None:
        raise Http404
    try:
        handle = comment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=comment.original_name,
        content_type=comment.content_type,
    )


@require_POST
@login_required
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_request_for_user(request.user, pk)
    if not has_role(request.user, "kasi"):
        raise PermissionDenied
    form = ReassignForm(request.POST, req=req)
    if not form.is_valid():
        return render_request_page(request, req, reassign_form=form)
    try:
        services.request_reassign_prakom(
            actor=request.user,
            request_id=req.pk,
            revision=form.cleaned_data["revision"],
            prakom=form.cleaned_data["prakom"],
            note=form.cleaned_data["note"],
        )
    except StaleAction as exc:
        messages.warning(request, exc.message)
        return redirect(req)
    except ActionError as exc:
        form.add_error(None, exc.message)
        return render_request_page(request, req, reassign_form=form)
    messages.success(request, _("Staf Prakom pelaksana diganti."))
    return redirect(req)


NOTIFICATIONS_PAGE_SIZE = 30


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Notification.objects.filter(recipient=request.user)
        .select_related("request", "request__unit", "actor", "log", "comment")
        .order_by("-created_at", "-pk")
    )
    form = QueryForm(request.GET)
    page = Paginator(qs, NOTIFICATIONS_PAGE_SIZE).get_page(form.value("page", 1))
    rows = [{"n": n, "text": describe(n)} for n in page.object_list]
    return render(
        request, "workflow/notifications.html", {"page": page, "rows": rows, "form": form}
    )


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    return redirect(notification.request.get_absolute_url())


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("Semua notifikasi ditandai sudah dibaca."))
    return redirect("workflow:notifications")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Pengaturan disimpan."))
        return redirect("workflow:preferences")
    return render(request, "workflow/preferences.html", {"form": form})


# --- Meetings with the unit's users (steps 6 and 12) ----------------------------------


@require_POST
@login_required
def meeting_schedule(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Prakom schedules the presentation or socialisation and invites the unit's users."""
    from workflow.forms import MeetingForm
    from workflow.models import MeetingKind

    if kind not in MeetingKind.values:
        raise Http404
    req = get_request_for_user(request.user, pk)
    if not has_role(request.user, "prakom"):
        raise PermissionDenied
    form = MeetingForm(request.POST, req=req)
    if form.is_valid():
        try:
            services.meeting_schedule(
                actor=request.user, request_id=req.pk, kind=kind, **form.cleaned_data
            )
        except ActionForbidden:
            raise PermissionDenied from None
        except StaleAction as exc:
            messages.warning(request, exc.message)
            return redirect(req)
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Jadwal disimpan; undangan dikirim kepada pengguna."))
            return redirect(req)
    return render_request_page(request, req, meeting_form=form)


@require_POST
@login_required
def invitation_confirm(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """An invited user of the unit confirms attendance."""
    req = get_request_for_user(request.user, pk)
    try:
        services.invitation_confirm(actor=request.user, invitation_id=invitation_pk)
    except ActionForbidden:
        raise Http404 from None
    except ActionError as exc:
        messages.warning(request, exc.message)
        return redirect(req)
    messages.success(request, _("Kehadiran Anda dikonfirmasi."))
    return redirect(req)
