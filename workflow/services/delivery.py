"""Steps 8 to 12: the manual, the report and the application itself; the three checks;
the socialisation, the handover to the unit and the application's catalogue entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.models import Release
from catalogue.services import application_from_release, release_record
from requests_intake.models import ApplicationRequest
from workflow import transitions
from workflow.errors import ActionIncomplete
from workflow.models import (
    Check,
    Handover,
    MeetingKind,
    ReportRecord,
    Socialisation,
    StepRecord,
    TransitionLog,
    User,
)
from workflow.services.core import _take
from workflow.services.design import ClosingMeeting
from workflow.states import Role
from workflow.transitions import Transition

# --- Steps 8 to 11 ------------------------------------------------------------------


@transitions.SUBMIT_REPORT.implemented_by
@transaction.atomic
def take_submit_report(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    summary: str,
    manual_version: str,
    application_url: str = "",
    release: dict | None = None,
) -> ApplicationRequest:
    """Step 8: the manual and the report go to the Kasi for checking.

    ``release`` records the application itself (address, test account note, repository and
    version, where deployed, UAT and security assessment documents) in the catalogue's
    record of the proposal; a repeated step 8 updates it.
    """
    if release is not None:
        application_url = release["url"]
    req, _log = _take(
        transitions.SUBMIT_REPORT,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=summary,
        record=lambda req, role: (
            ReportRecord,
            {
                "round": req.report_rounds,
                "summary": summary,
                "manual_version": manual_version,
                "application_url": application_url,
            },
        ),
    )
    if release is not None:
        try:
            release_record(proposal=req, actor=actor, **release)
        except ValidationError as exc:
            raise ActionIncomplete(" ".join(exc.messages)) from None
    return req


def _check(
    transition: Transition,
    *,
    accepted: bool,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    note: str,
) -> ApplicationRequest:
    """Steps 9–11: one official's check of the latest report, accepted or returned."""
    if not accepted and not note.strip():
        raise ActionIncomplete(_("Catatan wajib diisi saat mengembalikan laporan."))

    def check_record(
        req: ApplicationRequest, role: Role
    ) -> tuple[type[StepRecord], dict[str, Any]]:
        report = ReportRecord.objects.filter(request=req).order_by("-round").first()
        return Check, {"report": report, "role": role, "accepted": accepted, "note": note}

    req, _log = _take(
        transition,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=note,
        record=check_record,
    )
    return req


@transitions.KASI_ACCEPT.implemented_by
@transaction.atomic
def take_kasi_accept(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", note: str = ""
) -> ApplicationRequest:
    """Step 9: the Kasi accepts the report; it goes to the Kabid."""
    return _check(
        transitions.KASI_ACCEPT,
        accepted=True,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=note,
    )


@transitions.KASI_RETURN.implemented_by
@transaction.atomic
def take_kasi_return(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", note: str = ""
) -> ApplicationRequest:
    """Step 9: the Kasi returns the report to the Prakom (step 8), saying why."""
    return _check(
        transitions.KASI_RETURN,
        accepted=False,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=note,
    )


@transitions.KABID_ACCEPT.implemented_by
@transaction.atomic
def take_kabid_accept(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", note: str = ""
) -> ApplicationRequest:
    """Step 10: the Kabid accepts the report; it goes to the Kepala Dinas."""
    return _check(
        transitions.KABID_ACCEPT,
        accepted=True,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=note,
    )


@transitions.KABID_RETURN.implemented_by
@transaction.atomic
def take_kabid_return(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", note: str = ""
) -> ApplicationRequest:
    """Step 10: the Kabid returns the report to the Prakom (step 8), saying why."""
    return _check(
        transitions.KABID_RETURN,
        accepted=False,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=note,
    )


@transitions.KADIS_ACCEPT.implemented_by
@transaction.atomic
def take_kadis_accept(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", note: str = ""
) -> ApplicationRequest:
    """Step 11: the Kepala Dinas accepts the report; on to socialisation."""
    return _check(
        transitions.KADIS_ACCEPT,
        accepted=True,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=note,
    )


@transitions.KADIS_RETURN.implemented_by
@transaction.atomic
def take_kadis_return(
    *, actor: User, proposal_id: int, revision: int | None, late_reason: str = "", note: str = ""
) -> ApplicationRequest:
    """Step 11: the Kepala Dinas returns the report to the Prakom (step 8), saying why."""
    return _check(
        transitions.KADIS_RETURN,
        accepted=False,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=note,
    )


# --- Step 12 ------------------------------------------------------------------------


@transitions.FINISH_SOCIALISATION.implemented_by
@transaction.atomic
def take_finish_socialisation(
    *,
    actor: User,
    proposal_id: int,
    revision: int | None,
    late_reason: str = "",
    held_on: datetime.date,
    place: str,
    participants: list[dict[str, str]],
    material: str,
    attended: list[int] | None = None,
    handover: dict | None = None,
) -> ApplicationRequest:
    """Step 12: the application was socialised to its users; the SOP ends.

    With ``handover`` the application is handed over to the unit (Berita Acara Serah
    Terima, issued with the transition) and enters the application catalogue as active,
    linked to the proposal.
    """
    closing: list[ClosingMeeting] = []

    def socialised(req: ApplicationRequest, role: Role) -> tuple[type[StepRecord], dict]:
        if handover is not None:
            receiver = handover.get("receiver")
            if receiver is None or receiver.unit_id != req.unit_id:
                raise ActionIncomplete(_("Pilih penerima dari Perangkat Daerah pemohon."))
        closing.append(ClosingMeeting(req, MeetingKind.SOCIALISATION, attended))
        return Socialisation, {
            "held_on": held_on,
            "place": place,
            "participants": closing[0].people() + list(participants),
            "material": material,
        }

    def handed_over(req: ApplicationRequest, log: TransitionLog) -> None:
        closing[0].close()
        if handover is not None:
            _hand_over(req, log, actor, handover)

    req, _log = _take(
        transitions.FINISH_SOCIALISATION,
        actor=actor,
        proposal_id=proposal_id,
        revision=revision,
        late_reason=late_reason,
        note=material,
        record=socialised,
        also=handed_over,
    )
    return req


HANDOVER_FIELDS = ("address", "source", "documentation", "admin_accounts_separately", "note")


def _hand_over(
    req: ApplicationRequest, log: TransitionLog, actor: User, handover: dict
) -> Handover:
    """The handover record, and the application's entry in the catalogue (active)."""
    release = Release.objects.filter(proposal=req).first()  # written under the same lock
    application = (
        application_from_release(release=release, actor=actor, proposal=req)
        if release is not None
        else None
    )
    return Handover.objects.create(
        request=req,
        log=log,
        receiver=handover["receiver"],
        application=application,
        created_by=actor,
        created_at=log.created_at,
        **{k: v for k, v in handover.items() if k in HANDOVER_FIELDS},
    )
