from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue import selectors, services
from catalogue.forms import ApplicationForm, CatalogueListForm, RetireForm
from catalogue.models import Application, ApplicationStatus, Release
from workflow.access import get_request_for_user
from workflow.errors import ActionError, ActionForbidden
from workflow.exports import table_response
from workflow.paging import CappedPaginator

PAGE_SIZE = 25
_FILTER_NAMES = ("q", "status", "hosting", "kind", "year", "unit")

private_no_store = cache_control(private=True, no_store=True)


def get_application_for_user(user, pk: int) -> Application:
    """The catalogue entry, or 404 when the person may not see it."""
    try:
        return selectors.visible_applications(user).select_related("unit", "proposal").get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def _require_catalogue(user) -> None:
    if not selectors.can_see_catalogue(user):
        raise PermissionDenied


def _require_manager(user) -> None:
    if not services.can_manage_catalogue(user):
        raise PermissionDenied


def _render_list(request: HttpRequest, form: CatalogueListForm, status: int = 200) -> HttpResponse:
    page = CappedPaginator(
        selectors.application_list(request.user, form.filters()), PAGE_SIZE
    ).get_page(form.value("page", 1))
    query = {name: form.value(name) for name in _FILTER_NAMES if form.value(name) is not None}
    return render(
        request,
        "catalogue/application_list.html",
        {
            "page": page,
            "form": form,
            "query_string": urlencode(query),
            "export_refused": status == 400,
            "can_manage": services.can_manage_catalogue(request.user),
            "own_unit": selectors.own_unit_only(request.user),
        },
        status=status,
    )


@private_no_store
@require_GET
@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    _require_catalogue(request.user)
    return _render_list(request, CatalogueListForm(request.GET))


# The columns an SPBE evaluation's application inventory asks for.
def _export_headers() -> list[str]:
    return [
        _("No."),
        _("Nama aplikasi"),
        _("Deskripsi / fungsi"),
        _("Jenis (umum/khusus)"),
        _("Platform"),
        _("Perangkat Daerah pemilik"),
        _("Kode Perangkat Daerah"),
        _("Pengguna"),
        _("Alamat (URL)"),
        _("Hosting"),
        _("Keterangan hosting"),
        _("Basis data dan bahasa pemrograman"),
        _("Data yang dikelola"),
        _("Data pribadi"),
        _("Keterangan data pribadi"),
        _("Integrasi"),
        _("Tahun dibangun"),
        _("Versi"),
        _("Status"),
        _("Tanggal dihentikan"),
        _("Nomor usulan asal"),
    ]


@private_no_store
@require_GET
@login_required
def application_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered catalogue as CSV or XLSX (every row). A refused filter shows the page."""
    _require_catalogue(request.user)
    form = CatalogueListForm(request.GET)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    apps = selectors.application_list(request.user, form.filters())
    yes, no = _("Ya"), _("Tidak")

    def rows():
        for number, app in enumerate(apps.iterator(chunk_size=1000), start=1):
            yield [
                number,
                app.name,
                app.purpose,
                app.get_kind_display(),
                app.get_platform_display(),
                app.unit.name,
                app.unit.code,
                app.users,
                app.url,
                app.get_hosting_display(),
                app.hosting_note,
                app.technology,
                app.data_handled,
                yes if app.has_personal_data else no,
                app.personal_data_note,
                app.integrations,
                app.year,
                app.version,
                app.get_status_display(),
                app.retired_on,
                app.proposal.registration_number if app.proposal else "",
            ]

    name = f"katalog-aplikasi-{timezone.localdate():%Y%m%d}"
    return table_response(name, _export_headers(), rows(), form.file_format)


_RELEASE_DOCUMENTS = ("uat", "security")


@private_no_store
@require_GET
@login_required
def release_document(request: HttpRequest, pk: int, which: str) -> FileResponse:
    """A step-8 document (UAT or security assessment result), for whoever sees its proposal."""
    if which not in _RELEASE_DOCUMENTS:
        raise Http404
    try:
        release = Release.objects.get(pk=pk)
    except Release.DoesNotExist:
        raise Http404 from None
    get_request_for_user(request.user, release.proposal_id)  # 404 when the proposal is not theirs
    document = getattr(release, f"{which}_document")
    if not document:
        raise Http404
    try:
        handle = document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=getattr(release, f"{which}_original_name")
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@private_no_store
@require_GET
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk)
    can_manage = services.can_manage_catalogue(request.user)
    return render(
        request,
        "catalogue/application_detail.html",
        {
            "app": app,
            "releases": app.releases.select_related("proposal").order_by("-recorded_at"),
            "can_manage": can_manage,
            "retire_form": RetireForm() if can_manage and not app.is_retired else None,
        },
    )


def _save(request: HttpRequest, form: ApplicationForm, app: Application | None):
    values = {name: form.cleaned_data[name] for name in services.APPLICATION_FIELDS}
    try:
        if app is None:
            return services.application_create(actor=request.user, **values)
        return services.application_update(application_id=app.pk, actor=request.user, **values)
    except ActionForbidden:
        raise PermissionDenied from None
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    return None


@private_no_store
@require_http_methods(["GET", "POST"])
@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    form = ApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        app = _save(request, form, None)
        if app is not None:
            messages.success(request, _("Aplikasi ditambahkan ke katalog."))
            return redirect(app)
    return render(request, "catalogue/application_form.html", {"form": form, "app": None})


@private_no_store
@require_http_methods(["GET", "POST"])
@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk)
    _require_manager(request.user)
    form = ApplicationForm(request.POST if request.method == "POST" else None, instance=app)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, app)
        if saved is not None:
            messages.success(request, _("Perubahan aplikasi disimpan."))
            return redirect(saved)
    return render(request, "catalogue/application_form.html", {"form": form, "app": app})


@require_POST
@login_required
def application_retire(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk)
    _require_manager(request.user)
    form = RetireForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "catalogue/application_detail.html",
            {
                "app": app,
                "releases": app.releases.select_related("proposal").order_by("-recorded_at"),
                "can_manage": True,
                "retire_form": form if app.status != ApplicationStatus.RETIRED else None,
            },
            status=400,
        )
    try:
        services.application_retire(
            application_id=app.pk,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data.get("retired_on"),
        )
    except ActionForbidden:
        raise PermissionDenied from None
    except ActionError as exc:
        messages.warning(request, exc.message)
        return redirect(app)
    messages.success(request, _("Aplikasi ditandai dihentikan."))
    return redirect(app)
