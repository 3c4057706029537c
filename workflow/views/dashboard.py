"""The dashboard: SOP compliance, durations and load, and its table exports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from sopapp.http import AuthenticatedRequest
from workflow import charts
from workflow.dashboard import build_dashboard, holder_label
from workflow.exports import table_response
from workflow.forms import DashboardExportForm, DashboardFilterForm
from workflow.roles import user_roles
from workflow.sla import attach_remaining

DASHBOARD_ROLES = frozenset({"kasi", "kabid", "kadis", "admin"})


def _check_dashboard_access(request: AuthenticatedRequest) -> None:
    if not user_roles(request.user) & DASHBOARD_ROLES:
        raise PermissionDenied


@require_GET
@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    _check_dashboard_access(request)
    return _render_dashboard(request, DashboardFilterForm(request.GET))


def _render_dashboard(
    request: AuthenticatedRequest, form: DashboardFilterForm, status: int = 200
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
                else ngettext("%(m)s / %(s)s hari", "%(m)s / %(s)s hari", s.standard or 0)
                % {"m": s.median, "s": s.standard},
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
def dashboard_export(request: AuthenticatedRequest) -> HttpResponse | StreamingHttpResponse:
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
