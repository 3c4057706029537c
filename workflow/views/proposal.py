"""The proposal page: what it shows (GET) and what is done on it (act, upload, reassign)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from requests_intake.models import ApplicationRequest, AttachmentKind
from requests_intake.services import attachment_upload
from sopapp.http import AuthenticatedRequest, private_no_store
from workflow import selectors, services
from workflow.access import get_request_for_role, get_request_for_user
from workflow.errors import ActionError, ActionForbidden, AlreadyTaken, StaleAction
from workflow.forms import CommentForm, MeetingForm, ReassignForm, UploadForm
from workflow.models import MEETING_OF_STATE
from workflow.roles import can_act_as, has_role, is_current_actor
from workflow.sla import attach_remaining
from workflow.states import STEPS, Role, State, progress
from workflow.transitions import TRANSITIONS, available, upload_kinds


def render_proposal_page(
    request: AuthenticatedRequest,
    req: ApplicationRequest,
    *,
    bound: dict | None = None,
    upload_form: UploadForm | None = None,
    comment_form: CommentForm | None = None,
    reassign_form: ReassignForm | None = None,
    meeting_form: MeetingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The proposal page; ``bound`` holds a submitted action form to show with errors."""
    bound = bound or {}
    user = request.user
    detail = selectors.proposal_detail(req, user)
    actions: list[dict[str, Any]] = []
    for spec in available(req, user):
        form = bound.get(spec.name) or spec.form(
            req=req, prefix=spec.name, meetings=detail["meetings"]
        )
        actions.append({"spec": spec, "form": form, "open": spec.name in bound})
    kinds = upload_kinds(req.state) if is_current_actor(user, req) else ()
    if req.state == State.DRAFT:
        kinds = ()  # the request letter is attached on the edit form
    if kinds and upload_form is None:
        upload_form = UploadForm(kinds=kinds)
    steps_available = [a["spec"] for a in actions]
    required = steps_available[0].required_kinds if steps_available else ()
    attach_remaining([req])
    can_reassign = (
        has_role(user, "kasi") and req.assigned_prakom_id is not None and not req.is_final
    )
    context = {
        "req": req,
        "progress": progress(req.state),
        "steps": STEPS,
        "actions": actions,
        "upload_form": upload_form if kinds else None,
        "can_edit": req.state == State.DRAFT and can_act_as(user, "pemohon", req),
        "required_kinds": [AttachmentKind(k).label for k in required],
        "comment_form": comment_form or CommentForm(),
        "reassign_form": (reassign_form or ReassignForm(req=req)) if can_reassign else None,
        "is_admin": has_role(user, "admin"),
        **detail,
    }
    meeting_kind = MEETING_OF_STATE.get(req.state)
    if meeting_kind and can_act_as(user, Role.PRAKOM, req):
        context["meeting_kind"] = meeting_kind
        context["meeting_form"] = meeting_form or MeetingForm(req=req)
    response = render(request, "workflow/proposal.html", context, status=status)
    response["Cache-Control"] = "private, no-store"  # also after a refused action or upload
    return response


@private_no_store
@require_GET
@login_required
def proposal_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render_proposal_page(request, get_request_for_user(request.user, pk))


@require_POST
@login_required
def act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """Take one SOP transition on a proposal."""
    spec = TRANSITIONS.get(action)
    if spec is None:
        raise Http404
    req = get_request_for_role(request.user, pk, spec.role)
    form = spec.form(request.POST, request.FILES, req=req, prefix=spec.name)
    if not form.is_valid():
        if "revision" in form.errors:
            messages.warning(request, _("Formulir tidak lengkap; silakan ulangi."))
            return redirect(req)
        return render_proposal_page(request, req, bound={spec.name: form})
    try:
        spec.service(
            actor=request.user,
            proposal_id=req.pk,
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
        return render_proposal_page(request, req, bound={spec.name: form})
    messages.success(request, spec.success)
    return redirect(req)


@require_POST
@login_required
def upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Upload a document of the current step (a new version if the kind exists)."""
    req = get_request_for_user(request.user, pk)
    if not is_current_actor(request.user, req):
        raise PermissionDenied
    if not upload_kinds(req.state) or req.state == State.DRAFT:
        messages.warning(request, _("Tahap ini tidak menerima unggahan dokumen."))
        return redirect(req)
    form = UploadForm(request.POST, request.FILES, kinds=upload_kinds(req.state))
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
    return render_proposal_page(request, req, upload_form=form)


@require_POST
@login_required
def reassign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    req = get_request_for_role(request.user, pk, Role.KASI)
    form = ReassignForm(request.POST, req=req)
    if not form.is_valid():
        return render_proposal_page(request, req, reassign_form=form)
    try:
        services.proposal_reassign_prakom(
            actor=request.user,
            proposal_id=req.pk,
            revision=form.cleaned_data["revision"],
            prakom=form.cleaned_data["prakom"],
            note=form.cleaned_data["note"],
        )
    except StaleAction as exc:
        messages.warning(request, exc.message)
        return redirect(req)
    except ActionError as exc:
        form.add_error(None, exc.message)
        return render_proposal_page(request, req, reassign_form=form)
    messages.success(request, _("Staf Prakom pelaksana diganti."))
    return redirect(req)
