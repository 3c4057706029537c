"""The proposal page: what it shows (GET) and what is done on it (act, upload, reassign)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from requests_intake.models import (
    REQUIRED_KINDS,
    UPLOAD_KINDS_BY_STATE,
    ApplicationRequest,
    AttachmentKind,
)
from requests_intake.services import attachment_upload
from sopapp.caching import private_no_store
from workflow import selectors, services
from workflow.access import get_request_for_user
from workflow.actions import ACTIONS, available_actions
from workflow.errors import ActionError, ActionForbidden, AlreadyTaken, StaleAction
from workflow.forms import CommentForm, ReassignForm, UploadForm
from workflow.roles import can_act_as, has_role, is_current_actor
from workflow.services import transition_role
from workflow.sla import attach_remaining, step_timings
from workflow.states import STEPS, State, progress


def render_proposal_page(
    request: HttpRequest,
    req: ApplicationRequest,
    *,
    bound: dict | None = None,
    upload_form: UploadForm | None = None,
    comment_form: CommentForm | None = None,
    reassign_form: ReassignForm | None = None,
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
    }
    response = render(request, "workflow/proposal.html", context, status=status)
    response["Cache-Control"] = "private, no-store"  # also after a refused action or upload
    return response


@private_no_store
@require_GET
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_proposal_page(request, get_request_for_user(request.user, pk))


@private_no_store
@require_GET
@login_required
def proposal_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render_proposal_page(request, get_request_for_user(request.user, pk))


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
    form = spec.form_class(request.POST, req=req, prefix=spec.name)
    if not form.is_valid():
        if "revision" in form.errors:
            messages.warning(request, _("Formulir tidak lengkap; silakan ulangi."))
            return redirect(req)
        return render_proposal_page(request, req, bound={spec.name: form})
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
        return render_proposal_page(request, req, bound={spec.name: form})
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
    return render_proposal_page(request, req, upload_form=form)


@require_POST
@login_required
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_request_for_user(request.user, pk)
    if not has_role(request.user, "kasi"):
        raise PermissionDenied
    form = ReassignForm(request.POST, req=req)
    if not form.is_valid():
        return render_proposal_page(request, req, reassign_form=form)
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
        return render_proposal_page(request, req, reassign_form=form)
    messages.success(request, _("Staf Prakom pelaksana diganti."))
    return redirect(req)
