from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from requests_intake.models import UPLOAD_KINDS_BY_STATE
from requests_intake.services import attachment_upload
from requests_intake.views import render_request_page
from workflow import selectors
from workflow.access import get_request_for_user
from workflow.actions import ACTIONS
from workflow.errors import ActionError, ActionForbidden, StaleAction
from workflow.forms import UploadForm
from workflow.roles import has_role, is_current_actor, user_roles
from workflow.services import transition_role

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
    page = Paginator(selectors.inbox(request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workflow/inbox.html",
        {
            "page": page,
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
    form = spec.form_class(request.POST, req=req, prefix=spec.name)
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
