"""The discussion on the proposal page: add, edit, delete a comment, fetch its file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sopapp.http import AuthenticatedRequest, private_no_store
from workflow import comments
from workflow.access import get_request_for_user
from workflow.errors import ActionForbidden, StaleAction
from workflow.forms import CommentEditForm, CommentForm
from workflow.models import Comment
from workflow.views.proposal import render_proposal_page


def _comment_for_user(user, pk: int, comment_pk: int):
    req = get_request_for_user(user, pk)
    comment = Comment.objects.filter(request=req, pk=comment_pk).first()
    if comment is None:
        raise Http404
    return req, comment


@require_POST
@login_required
def comment_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    req = get_request_for_user(request.user, pk)
    form = CommentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_proposal_page(request, req, comment_form=form)
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
def comment_edit(request: AuthenticatedRequest, pk: int, comment_pk: int) -> HttpResponse:
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
def comment_delete(request: AuthenticatedRequest, pk: int, comment_pk: int) -> HttpResponse:
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
def comment_file(request: AuthenticatedRequest, pk: int, comment_pk: int) -> FileResponse:
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
