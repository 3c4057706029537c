"""The notification list and marking notifications read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sopapp.http import AuthenticatedRequest
from workflow.emails import describe
from workflow.forms import QueryForm
from workflow.models import Notification

NOTIFICATIONS_PAGE_SIZE = 30


@require_GET
@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
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
def notification_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    return redirect(notification.request.get_absolute_url())


@require_POST
@login_required
def notification_read_all(request: AuthenticatedRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("Semua notifikasi ditandai sudah dibaca."))
    return redirect("workflow:notifications")
