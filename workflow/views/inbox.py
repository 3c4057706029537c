"""The inbox: proposals waiting for this person's action."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sopapp.http import AuthenticatedRequest
from workflow import selectors
from workflow.forms import QueryForm
from workflow.roles import has_role
from workflow.sla import attach_remaining

INBOX_PAGE_SIZE = 50


@require_GET
@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
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
