"""Writes on a proposal that are not transitions: deleting a draft, changing the Prakom."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from requests_intake.models import ApplicationRequest
from workflow.errors import ActionForbidden, ActionIncomplete, StaleAction
from workflow.models import Notification, PrakomAssignment, StepVisit, User
from workflow.notifications import notify_people
from workflow.roles import can_act_as, has_role, own_roles
from workflow.services.core import STALE_MESSAGE, _lock
from workflow.states import FINAL_STATES, Role, State


@transaction.atomic
def proposal_delete_draft(*, actor: User, proposal_id: int) -> None:
    """Delete a draft that was never submitted, with its files."""
    req = ApplicationRequest.objects.select_for_update().get(pk=proposal_id)
    if not can_act_as(actor, Role.PEMOHON, req):
        raise ActionForbidden(_("Anda tidak dapat menghapus usulan ini."))
    if req.state != State.DRAFT:
        raise StaleAction(_("Usulan ini sudah diajukan dan tidak dapat dihapus."))
    attachments = list(req.attachments.all())
    names = [a.file.name for a in attachments]
    storage = attachments[0].file.storage if attachments else None
    for attachment in attachments:
        attachment.delete()
    StepVisit.objects.filter(request=req).delete()  # a draft from before step 1 began at submission
    req.delete()
    if storage is not None:
        transaction.on_commit(lambda: [storage.delete(n) for n in names])


@transaction.atomic
def proposal_reassign_prakom(
    *, actor: User, proposal_id: int, revision: int | None, prakom: User, note: str = ""
) -> ApplicationRequest:
    """The Kasi hands the build to another Prakom (not a transition: the step goes on)."""
    if not has_role(actor, Role.KASI):
        raise ActionForbidden(_("Hanya Kasi yang dapat mengganti staf Prakom pelaksana."))
    req = _lock(proposal_id)
    if revision is not None and revision != req.revision:
        raise StaleAction(STALE_MESSAGE)
    if req.assigned_prakom_id is None or req.state in FINAL_STATES:
        raise StaleAction(_("Usulan ini tidak sedang dikerjakan staf Prakom."))
    if Role.PRAKOM not in own_roles(prakom):
        raise ActionIncomplete(_("Pilih staf Pranata Komputer yang aktif."))
    if prakom.pk == req.assigned_prakom_id:
        raise ActionIncomplete(_("Staf tersebut sudah menjadi pelaksana usulan ini."))
    previous = req.assigned_prakom
    req.assigned_prakom = prakom
    req.revision += 1
    req.save(update_fields=["assigned_prakom", "revision", "updated_at"])
    PrakomAssignment.objects.create(
        request=req, prakom=prakom, previous=previous, assigned_by=actor, note=note
    )
    notify_people(req, [prakom], kind=Notification.Kind.ASSIGNMENT, actor=actor, reason="act")
    return req
