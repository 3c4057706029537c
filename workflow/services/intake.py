"""Steps 1 to 4: submission, receipt and study, dispositions, the Kepala Dinas's decision,
and the returns to the unit for completion around them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import ApplicationStatus
from requests_intake.models import ApplicationRequest
from requests_intake.services import next_sequence
from workflow import transitions
from workflow.errors import ActionForbidden, ActionIncomplete
from workflow.models import (
    ApplicationReuse,
    CompletionRequest,
    Decision,
    Disposition,
    PrakomAssignment,
    Receipt,
    StudyChecklist,
    TransitionLog,
    User,
)
from workflow.roles import can_act_as, forget_roles, has_role
from workflow.services.core import _lock, _refusal, _take
from workflow.states import Role, State
from workflow.transitions import Transition

# --- Step 1 -------------------------------------------------------------------------


@transitions.SUBMIT.implemented_by
@transaction.atomic
def take_submit(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = ""
) -> ApplicationRequest:
    """Step 1: the requesting unit submits its proposal; it gets its registration number."""
    forget_roles(actor)  # acting periods end at midnight: never trust a memo here
    req = _lock(proposal_id)
    if not can_act_as(actor, Role.PEMOHON, req):
        raise ActionForbidden(_("Anda tidak berwenang mengajukan usulan ini."))
    if req.state != State.DRAFT or (revision is not None and revision != req.revision):
        raise _refusal(req, actor, transitions.SUBMIT.name, revision)
    try:
        # A draft saved long ago must still be complete. Its unit and author are the
        # system's own references (not read again to validate them).
        req.full_clean(exclude=["state", "unit", "created_by"])
    except ValidationError as exc:
        fields = ", ".join(
            str(getattr(req._meta.get_field(f), "verbose_name", f)) if f != "__all__" else str(e[0])
            for f, e in exc.message_dict.items()
        )
        raise ActionIncomplete(
            _("Usulan belum lengkap; perbaiki isian berikut: %(fields)s.") % {"fields": fields}
        ) from None
    year = timezone.localdate().year
    seq = next_sequence(key="registration", year=year)
    number = f"{settings.SOPAPP_REGISTRATION_PREFIX}-{year}-{seq:04d}"
    req, _log = _take(
        transitions.SUBMIT,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        locked=req,
        by=actor,
        registration_number=number,
    )
    return req


# --- Steps 2 and 3 ------------------------------------------------------------------


@transitions.RECEIVE.implemented_by
@transaction.atomic
def take_receive(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    agenda_number: str,
    received_date: datetime.date,
    sifat: str,
    study_notes: str = "",
    checklist: dict | None = None,
) -> ApplicationRequest:
    """Step 2: the Kasi receives and studies the proposal (agenda book entry).

    A proposal completed by its unit after a return comes back here; its letter is in the
    agenda book already, so a second receipt records the study but no second entry.
    """
    received_before = Receipt.objects.filter(request_id=proposal_id).exists()
    req, log = _take(
        transitions.RECEIVE,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=study_notes,
        record=None
        if received_before
        else lambda req, role: (
            Receipt,
            {
                "agenda_number": agenda_number,
                "received_date": received_date,
                "sifat": sifat,
                "study_notes": study_notes,
            },
        ),
    )
    _store_checklist(req, log, actor, checklist)
    return req


def _forward(
    transition: Transition,
    *,
    to_role: Role,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    instructions: list[str],
    note: str,
) -> ApplicationRequest:
    req, _log = _take(
        transition,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=note,
        record=lambda req, role: (
            Disposition,
            {
                "from_role": role,
                "to_role": to_role,
                "instructions": list(instructions),
                "note": note,
            },
        ),
    )
    return req


@transitions.FORWARD_TO_KABID.implemented_by
@transaction.atomic
def take_forward_to_kabid(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    instructions: list[str],
    note: str = "",
) -> ApplicationRequest:
    """Step 3 (procedure c): the Kasi forwards the proposal to the Kabid."""
    return _forward(
        transitions.FORWARD_TO_KABID,
        to_role=Role.KABID,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        instructions=instructions,
        note=note,
    )


@transitions.FORWARD_TO_KADIS.implemented_by
@transaction.atomic
def take_forward_to_kadis(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    instructions: list[str],
    note: str = "",
) -> ApplicationRequest:
    """Step 3 (procedure d): the Kabid conveys the proposal to the Kepala Dinas."""
    return _forward(
        transitions.FORWARD_TO_KADIS,
        to_role=Role.KADIS,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        instructions=instructions,
        note=note,
    )


# --- Step 4 -------------------------------------------------------------------------


@transitions.DECIDE_NEEDED.implemented_by
@transaction.atomic
def take_decide_needed(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    reason: str,
    prakom: User,
) -> ApplicationRequest:
    """Step 4, *perlu*: the build goes ahead with the chosen Prakom staff.

    The decision letter (``reports.documents.keputusan``) is issued with the transition.
    """
    if not has_role(prakom, Role.PRAKOM):
        raise ActionIncomplete(_("Pilih staf Pranata Komputer yang akan mengerjakan."))
    req, log = _take(
        transitions.DECIDE_NEEDED,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=reason,
        reason=reason,
        prakom=prakom,
        record=lambda req, role: (
            Decision,
            {"needed": True, "reason": reason, "assigned_prakom": prakom},
        ),
    )
    PrakomAssignment.objects.create(
        request=req, prakom=prakom, assigned_by=actor, assigned_at=log.created_at
    )
    return req


@transitions.DECIDE_NOT_NEEDED.implemented_by
@transaction.atomic
def take_decide_not_needed(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", reason: str
) -> ApplicationRequest:
    """Step 4, *tidak perlu*: the proposal ends as rejected, with the reason."""
    if not reason.strip():
        raise ActionIncomplete(_("Alasan penolakan wajib diisi."))
    req, _log = _take(
        transitions.DECIDE_NOT_NEEDED,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=reason,
        reason=reason,
        record=lambda req, role: (Decision, {"needed": False, "reason": reason}),
    )
    return req


@transitions.DECIDE_USE_EXISTING.implemented_by
@transaction.atomic
def take_decide_use_existing(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    reason: str,
    application,
) -> ApplicationRequest:
    """Step 4, *gunakan aplikasi yang ada*: not built; an application in the catalogue (one
    of the unit's own or an Aplikasi Umum) serves. Ends the proposal like *tidak perlu*."""
    if application is None or application.status == ApplicationStatus.RETIRED:
        raise ActionIncomplete(_("Pilih aplikasi dari katalog yang masih digunakan."))
    if not reason.strip():
        raise ActionIncomplete(_("Alasan wajib diisi."))
    req, log = _take(
        transitions.DECIDE_USE_EXISTING,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=reason,
        reason=reason,
        record=lambda req, role: (Decision, {"needed": False, "reason": reason}),
    )
    ApplicationReuse.objects.create(
        request=req, log=log, application=application, created_by=actor, created_at=log.created_at
    )
    return req


# --- Returns to the unit for completion (steps 2 and 3) ------------------------------

CHECKLIST_FIELDS = (
    "letter_signed",
    "tor_attached",
    "existing_app",
    "personal_data",
    "budget",
    "hosting",
    "note",
)


def _store_checklist(
    req: ApplicationRequest, log: TransitionLog, actor: User, checklist: dict | None
) -> None:
    if checklist:
        fields = {k: v for k, v in checklist.items() if k in CHECKLIST_FIELDS}
        StudyChecklist.objects.create(
            request=req, log=log, created_by=actor, created_at=log.created_at, **fields
        )


def _return_for_completion(
    transition: Transition,
    *,
    to_unit: bool,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str,
    missing: str,
) -> tuple[ApplicationRequest, TransitionLog]:
    if not missing.strip():
        raise ActionIncomplete(_("Sebutkan apa yang perlu dilengkapi."))
    rounds = CompletionRequest.objects.filter(request_id=proposal_id).count()
    return _take(
        transition,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=missing,
        record=lambda req, role: (
            CompletionRequest,
            {"round": rounds + 1, "to_unit": to_unit, "missing": missing},
        ),
    )


@transitions.KASI_RETURN_TO_UNIT.implemented_by
@transaction.atomic
def take_kasi_return_to_unit(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    missing: str,
    checklist: dict | None = None,
) -> ApplicationRequest:
    """Step 2 (or 3): the Kasi returns the proposal to its unit to be completed."""
    req, log = _return_for_completion(
        transitions.KASI_RETURN_TO_UNIT,
        to_unit=True,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        missing=missing,
    )
    _store_checklist(req, log, actor, checklist)
    return req


@transitions.KABID_RETURN_TO_KASI.implemented_by
@transaction.atomic
def take_kabid_return_to_kasi(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", missing: str
) -> ApplicationRequest:
    """Step 3: the Kabid sends the proposal back to the Kasi with what is missing."""
    req, _log = _return_for_completion(
        transitions.KABID_RETURN_TO_KASI,
        to_unit=False,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        missing=missing,
    )
    return req


@transitions.KABID_RETURN_TO_UNIT.implemented_by
@transaction.atomic
def take_kabid_return_to_unit(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", missing: str
) -> ApplicationRequest:
    """Step 3: the Kabid returns the proposal to its unit to be completed."""
    req, _log = _return_for_completion(
        transitions.KABID_RETURN_TO_UNIT,
        to_unit=True,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        missing=missing,
    )
    return req


@transitions.RESUBMIT.implemented_by
@transaction.atomic
def take_resubmit(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    completion_note: str,
) -> ApplicationRequest:
    """The unit sends its completed proposal back to the Kasi (step 2 begins again)."""
    if not completion_note.strip():
        raise ActionIncomplete(_("Jelaskan apa yang telah dilengkapi."))
    req, _log = _take(
        transitions.RESUBMIT,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=completion_note,
    )
    return req
