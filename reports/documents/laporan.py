"""Laporan hasil pembuatan aplikasi — steps 8–11: one laporan per submission.

The submission issues the laporan with its number; each check (Kasi, Kabid, Kepala
Dinas) archives it again under the same number, its *lembar pengesahan* filled so far
(Disusun / Diperiksa / Diperiksa / Disetujui, Mengetahui). A return is written on the
sign-off page; the next submission is a new laporan with a new number.
"""

from reports.documents.base import Signers, Snapshot
from reports.models import DocumentKind
from requests_intake.models import AttachmentKind
from workflow.models import Check, ReportRecord
from workflow.states import Role

KIND = DocumentKind.REPORT
TEMPLATE = "reports/pdf/laporan.html"
CHECKERS = (Role.KASI, Role.KABID, Role.KADIS)
SIGN_OFF_LABELS = {
    Role.PRAKOM: "Disusun oleh",
    Role.KASI: "Diperiksa oleh",
    Role.KABID: "Diperiksa oleh",
    Role.KADIS: "Disetujui / Mengetahui",
}
_STAGE = {
    "kasi_accept": "diperiksa Kasi",
    "kasi_return": "dikembalikan Kasi",
    "kabid_accept": "diperiksa Kabid",
    "kabid_return": "dikembalikan Kabid",
    "kadis_accept": "disetujui Kepala Dinas",
    "kadis_return": "dikembalikan Kepala Dinas",
}


def title(log) -> str:
    report = (
        ReportRecord.objects.filter(request_id=log.request_id, log_id__lte=log.pk)
        .order_by("-log_id")
        .first()
    )
    return _title(log, report)


def title_from_record(log, record) -> str | None:
    """At the submission the record is the report; at a check, the check names it."""
    report = record if isinstance(record, ReportRecord) else getattr(record, "report", None)
    return _title(log, report) if isinstance(report, ReportRecord) else None


def _title(log, report) -> str:
    stage = _STAGE.get(log.transition)
    suffix = f", {stage}" if stage else ""
    return f"Laporan Hasil Pembuatan Aplikasi (penyerahan ke-{report.round}{suffix})"


def context(snap: Snapshot, signers: Signers) -> dict:
    reports = list(snap.records(ReportRecord))
    report = reports[-1]
    checks = list(snap.records(Check))
    current = {c.role: c for c in checks if c.report_id == report.pk}
    blocks = [
        {
            "label": SIGN_OFF_LABELS[Role.PRAKOM],
            "title": signers.title(Role.PRAKOM),
            "done": True,
            "date": report.created_at,
            "signer": signers.of_record(report, Role.PRAKOM),
        }
    ]
    returned = None
    for role in CHECKERS:
        check = current.get(role)
        accepted = check is not None and check.accepted
        blocks.append(
            {
                "label": SIGN_OFF_LABELS[role],
                "title": signers.title(role),
                "done": accepted,
                "date": check.created_at if accepted else None,
                "signer": signers.of_record(check, role) if accepted else None,
            }
        )
        if check is not None and not check.accepted:
            returned = {
                "check": check,
                "title": signers.title(role),
                "signer": signers.of_record(check, role),
            }
    earlier_returns = [c for c in checks if not c.accepted and c.report_id != report.pk]
    return {
        "report": report,
        "blocks": blocks,
        "returned": returned,
        "notes": [
            {"title": signers.title(c.role), "check": c}
            for c in checks
            if c.report_id == report.pk and c.accepted and c.note
        ],
        "earlier_returns": [
            {"check": c, "title": signers.title(c.role), "round": c.report.round}
            for c in earlier_returns
        ],
        "files": snap.latest_attachments(AttachmentKind.MANUAL, AttachmentKind.REPORT),
        "signer": blocks[0]["signer"],
    }
