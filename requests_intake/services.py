"""Writes on proposals before they enter the workflow, and on their documents."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from requests_intake.models import (
    ApplicationRequest,
    Attachment,
    AttachmentKind,
    YearlyCounter,
)
from requests_intake.uploads import PDF_ONLY, PDF_OR_DOCX, check_upload
from workflow.errors import ActionForbidden, StaleAction
from workflow.roles import can_act_as, is_current_actor, user_roles
from workflow.states import Role, State
from workflow.transitions import upload_kinds

# Fields of the proposal a requesting unit fills in (the intake form).
PROPOSAL_FIELDS = (
    "letter_number",
    "letter_date",
    "app_name",
    "background",
    "objectives",
    "business_processes",
    "intended_users",
    "user_count",
    "data_description",
    "has_personal_data",
    "has_sensitive_personal_data",
    "integration_needs",
    "hosting_preference",
    "funding_source",
    "desired_completion",
    "general_app_considered",
    "general_app_notes",
    "contact_name",
    "contact_position",
    "contact_phone",
    "contact_email",
    "signer_name",
    "signer_nip",
    "signer_position",
)


# Intake documents have a fixed form: the scanned letter is a PDF, the KAK/TOR a PDF or DOCX.
ALLOWED_BY_KIND: dict[str, set[str]] = {
    AttachmentKind.REQUEST_LETTER: PDF_ONLY,
    AttachmentKind.KAK_TOR: PDF_OR_DOCX,
}


def next_sequence(*, key: str, year: int) -> int:
    """The next number of a yearly counter; safe under concurrent callers.

    One ``UPDATE … RETURNING`` (SQLite ≥ 3.35, PostgreSQL): the counter row stays locked
    until the caller's transaction ends, so numbers follow commit order without gaps. The
    year's first number creates the row (a concurrent creator makes the other retry).
    """
    sql = (
        'UPDATE "requests_intake_yearlycounter" SET "value" = "value" + 1 '
        'WHERE "key" = %s AND "year" = %s RETURNING "value"'
    )
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, year])
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        try:
            with transaction.atomic():
                YearlyCounter.objects.create(key=key, year=year, value=1)
            return 1
        except IntegrityError:
            continue
    raise RuntimeError("Could not allocate a sequence number.")


def attachment_add(
    *, actor, req: ApplicationRequest, kind: str, upload: UploadedFile, note: str = ""
) -> Attachment:
    """Store a new version of a document. The caller holds the lock on ``req``."""
    checked = check_upload(upload, allowed=ALLOWED_BY_KIND.get(kind))
    last = Attachment.objects.filter(request=req, kind=kind).aggregate(v=Max("version"))["v"]
    attachment = Attachment(
        request=req,
        kind=kind,
        version=(last or 0) + 1,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        state_at_upload=req.state,
        uploaded_by=actor,
        note=note,
    )
    attachment.file.save(f"upload.{checked.extension}", upload, save=False)
    attachment.save()
    req.last_attachment_id = attachment.pk
    ApplicationRequest.objects.filter(pk=req.pk).update(last_attachment_id=attachment.pk)
    return attachment


def _apply_fields(req: ApplicationRequest, data: dict[str, Any]) -> None:
    for name in PROPOSAL_FIELDS:
        if name in data:
            setattr(req, name, data[name])


@transaction.atomic
def request_create(
    *,
    actor,
    data: dict[str, Any],
    letter_file: UploadedFile | None,
    kak_file: UploadedFile | None = None,
) -> ApplicationRequest:
    """Create a draft proposal for the actor's own unit."""
    if Role.PEMOHON not in user_roles(actor) or actor.unit_id is None:
        raise ActionForbidden(_("Hanya staf Perangkat Daerah yang dapat membuat usulan."))
    req = ApplicationRequest(unit_id=actor.unit_id, created_by=actor)
    _apply_fields(req, data)
    req.full_clean(exclude=["state"])
    req.save()  # no due date: step 1's clock starts at submission (workflow.sla)
    _attach_intake_files(actor, req, letter_file, kak_file)
    return req


def _attach_intake_files(actor, req, letter_file, kak_file) -> None:
    if letter_file is not None:
        attachment_add(actor=actor, req=req, kind=AttachmentKind.REQUEST_LETTER, upload=letter_file)
    if kak_file is not None:
        attachment_add(actor=actor, req=req, kind=AttachmentKind.KAK_TOR, upload=kak_file)


@transaction.atomic
def request_update_draft(
    *,
    actor,
    request_id: int,
    revision: int | None,
    data: dict[str, Any],
    letter_file: UploadedFile | None,
    kak_file: UploadedFile | None = None,
) -> ApplicationRequest:
    """Edit a draft; after submission a proposal is frozen."""
    req = ApplicationRequest.objects.select_for_update().get(pk=request_id)
    if not can_act_as(actor, Role.PEMOHON, req):
        raise ActionForbidden(_("Anda tidak dapat mengubah usulan ini."))
    if req.state != State.DRAFT:
        raise StaleAction(_("Usulan ini sudah diajukan dan tidak dapat diubah lagi."))
    if revision is not None and revision != req.revision:
        raise StaleAction(
            _("Draf ini baru saja diubah di halaman lain. Muat ulang lalu ulangi perubahan Anda.")
        )
    _apply_fields(req, data)
    req.full_clean(exclude=["state"])
    req.revision += 1  # a form opened before this save is now out of date
    req.save()
    _attach_intake_files(actor, req, letter_file, kak_file)
    return req


@transaction.atomic
def attachment_upload(
    *, actor, request_id: int, kind: str, upload: UploadedFile, note: str = ""
) -> Attachment:
    """Upload a document of the current step, by the person who must act on it."""
    req = ApplicationRequest.objects.select_for_update().get(pk=request_id)
    if not is_current_actor(actor, req):
        raise ActionForbidden(_("Anda tidak sedang memegang tahap usulan ini."))
    if kind not in upload_kinds(req.state):
        raise StaleAction(
            _(
                "Dokumen jenis ini tidak dapat diunggah pada tahap sekarang; "
                "halaman mungkin sudah usang."
            )
        )
    return attachment_add(actor=actor, req=req, kind=kind, upload=upload, note=note)
