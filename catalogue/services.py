"""Writes on the application catalogue and on the step-8 record of a built application."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Application, ApplicationStatus, Hosting, Release
from requests_intake.uploads import check_upload
from workflow.errors import ActionForbidden, StaleAction
from workflow.roles import has_role
from workflow.states import Role

# Fields of a catalogue entry that the administrator types in.
APPLICATION_FIELDS = (
    "name",
    "unit",
    "kind",
    "platform",
    "purpose",
    "users",
    "url",
    "hosting",
    "hosting_note",
    "data_handled",
    "has_personal_data",
    "personal_data_note",
    "technology",
    "integrations",
    "source_repository",
    "version",
    "year",
    "status",
)


def can_manage_catalogue(user) -> bool:
    """The administrator (SOP role or Django superuser) keeps the catalogue."""
    return bool(getattr(user, "is_superuser", False) or has_role(user, Role.ADMIN))


def _require_manager(actor) -> None:
    if not can_manage_catalogue(actor):
        raise ActionForbidden(_("Hanya administrator yang dapat mengubah katalog aplikasi."))


@transaction.atomic
def application_create(*, actor, **values) -> Application:
    """Add an application to the catalogue (e.g. one older than this system)."""
    _require_manager(actor)
    unknown = set(values) - set(APPLICATION_FIELDS) - {"proposal"}
    if unknown:
        raise TypeError(f"Unknown catalogue fields: {sorted(unknown)}")
    app = Application(created_by=actor, **values)
    if app.status == ApplicationStatus.RETIRED:
        app.retired_on = app.retired_on or timezone.localdate()
    app.full_clean()
    app.save()
    return app


@transaction.atomic
def application_update(*, application_id: int, actor, **values) -> Application:
    _require_manager(actor)
    app = Application.objects.select_for_update().get(pk=application_id)
    for name, value in values.items():
        if name not in APPLICATION_FIELDS:
            raise TypeError(f"Unknown catalogue field: {name}")
        setattr(app, name, value)
    if app.status == ApplicationStatus.RETIRED and app.retired_on is None:
        app.retired_on = timezone.localdate()
    elif app.status != ApplicationStatus.RETIRED:
        app.retired_on = None
        app.retired_reason = ""
    app.full_clean()
    app.save()
    return app


@transaction.atomic
def application_retire(
    *, application_id: int, actor, reason: str, on: datetime.date | None = None
) -> Application:
    """Retire an application: it stays in the catalogue, marked *dihentikan*."""
    _require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Alasan penghentian wajib diisi.")})
    app = Application.objects.select_for_update().get(pk=application_id)
    if app.status == ApplicationStatus.RETIRED:
        raise StaleAction(_("Aplikasi ini sudah dihentikan."))
    app.status = ApplicationStatus.RETIRED
    app.retired_on = on or timezone.localdate()
    app.retired_reason = reason
    app.save(update_fields=["status", "retired_on", "retired_reason", "updated_at"])
    return app


def _store_document(release: Release, prefix: str, upload: UploadedFile) -> None:
    checked = check_upload(upload)
    getattr(release, f"{prefix}_document").save(checked.safe_name, upload, save=False)
    setattr(release, f"{prefix}_original_name", checked.safe_name)
    setattr(release, f"{prefix}_sha256", checked.sha256)


@transaction.atomic
def release_record(
    *,
    proposal,
    actor,
    url: str,
    source_repository: str,
    version: str,
    hosting: str,
    hosting_note: str = "",
    test_account_note: str = "",
    uat_document: UploadedFile | None = None,
    security_document: UploadedFile | None = None,
    security_assessed_on: datetime.date | None = None,
    security_assessor: str = "",
) -> Release:
    """Record (or update) what step 8 delivers. The caller checks the actor may act at step 8
    and holds the proposal's row lock; this writes the record and its documents only.

    A document left out keeps the one recorded before.
    """
    if hosting not in Hosting.values:
        raise ValidationError({"hosting": _("Pilih tempat penempatan aplikasi.")})
    release = Release.objects.select_for_update().filter(proposal=proposal).first()
    if release is None:
        release = Release(proposal=proposal, recorded_by=actor)
    release.url = url
    release.source_repository = source_repository
    release.version = version
    release.hosting = hosting
    release.hosting_note = hosting_note
    release.test_account_note = test_account_note
    release.security_assessed_on = security_assessed_on
    release.security_assessor = security_assessor
    release.recorded_by = actor
    release.recorded_at = timezone.now()
    if uat_document is not None:
        _store_document(release, "uat", uat_document)
    if security_document is not None:
        _store_document(release, "security", security_document)
    if release.security_document and not (security_assessed_on and security_assessor.strip()):
        raise ValidationError(
            {
                "security_assessed_on": _(
                    "Hasil penilaian keamanan perlu tanggal penilaian dan nama penilainya."
                )
            }
        )
    # The proposal and the person come from the locked proposal and the request; the
    # record was looked up by its proposal above (the unique index backs it).
    release.full_clean(
        exclude=["uat_document", "security_document", "proposal", "recorded_by", "application"],
        validate_unique=False,
        validate_constraints=False,  # the one check is raised as a message just above
    )
    release.save()
    return release


@transaction.atomic
def application_from_release(*, release: Release, actor, proposal=None, **values) -> Application:
    """The catalogue entry for a delivered application (at handover), linked to its record.

    Named catalogue fields in ``values`` override what is taken from the proposal and the
    record. Called again for the same proposal, it returns the entry already made. With
    ``proposal`` (the caller holds its lock, under which its record is written) the record
    is taken as given; otherwise it is read again, locked.
    """
    if proposal is None:
        release = Release.objects.select_for_update().select_related("proposal").get(pk=release.pk)
        proposal = release.proposal
    if release.application is not None:
        return release.application
    data = {
        "name": proposal.app_name,
        "unit_id": proposal.unit_id,
        "purpose": proposal.objectives,
        "users": proposal.intended_users,
        "url": release.url,
        "hosting": release.hosting,
        "hosting_note": release.hosting_note,
        "data_handled": proposal.data_description,
        "has_personal_data": proposal.has_personal_data,
        "integrations": proposal.integration_needs,
        "source_repository": release.source_repository,
        "version": release.version,
        "year": timezone.localdate().year,
        "status": ApplicationStatus.ACTIVE,
    }
    data.update(values)
    if "unit" in values:
        del data["unit_id"]
    app = Application(created_by=actor, proposal=proposal, **data)
    # The unit, proposal and person come from rows read here; a new entry is active.
    app.full_clean(exclude=["unit", "proposal", "created_by"], validate_constraints=False)
    app.save()
    release.application = app
    release.save(update_fields=["application", "updated_at"])
    return app
