"""Meetings with the unit's users (steps 6 and 12): scheduling and confirming attendance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sopapp.http import AuthenticatedRequest
from workflow import services
from workflow.access import get_request_for_role, get_request_for_user
from workflow.errors import ActionError, ActionForbidden, StaleAction
from workflow.forms import MeetingForm
from workflow.models import MeetingKind
from workflow.states import Role
from workflow.views.proposal import render_proposal_page


@require_POST
@login_required
def meeting_schedule(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    """Prakom schedules the presentation or socialisation and invites the unit's users."""
    if kind not in MeetingKind.values:
        raise Http404
    req = get_request_for_role(request.user, pk, Role.PRAKOM)
    form = MeetingForm(request.POST, req=req)
    if form.is_valid():
        try:
            services.meeting_schedule(
                actor=request.user, proposal_id=req.pk, kind=kind, **form.cleaned_data
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
    return render_proposal_page(request, req, meeting_form=form)


@require_POST
@login_required
def invitation_confirm(request: AuthenticatedRequest, pk: int, invitation_pk: int) -> HttpResponse:
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
