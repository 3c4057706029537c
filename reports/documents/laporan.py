"""7. Laporan hasil pembuatan aplikasi — step 8 and each of the three checks (9–11).

Every submission and every check issues a new document showing the sign-off block as
it stands at that moment.
"""

from reports.documents.base import Signers, Snapshot
from reports.models import DocumentKind
from requests_intake.models import AttachmentKind
from workflow.models import Check, ReportRecord
from workflow.states import Role

KIND = DocumentKind.REPORT
TEMPLATE = "reports/pdf/laporan.html"
CHECKERS = (Role.KASI, Role.KABID, Role.KADIS)
_STAGE = {
    "kasi_accept": "diterima Kasi",
    "kasi_return": "dikembalikan Kasi",
    "kabid_accept": "diterima Kabid",
    "kabid_return": "dikembalikan Kabid",
    "kadis_accept": "diterima Kepala Dinas",
    "kadis_return": "dikembalikan Kepala Dinas",
}


def title(log) -> str:
    report = (
        ReportRecord.objects.filter(request_id=log.request_id, log_id__lte=log.pk)
        .order_by("-log_id")
        .first()
    )
    stage = _STAGE.get(log.transition, "diserahkan untuk diperiksa")
    return f"Laporan Hasil Pembuatan Aplikasi (penyerahan ke-{report.round}, {stage})"


def context(snap: Snapshot, signers: Signers) -> dict:
    reports = list(snap.records(ReportRecord))
    report = reports[-1]
    checks = list(snap.records(Check))
    current = {c.role: c for c in checks if c.report_id == report.pk}
    signoffs = []
    for role in CHECKERS:
        check = current.get(role)
        signoffs.append(
            {
                "title": signers.title(role),
                "check": check,
                "signer": signers.of_record(check, role) if check else None,
            }
        )
    returns = [c for c in checks if not c.accepted and c.report_id != report.pk]
    return {
        "report": report,
        "signoffs": signoffs,
        "earlier_returns": [
            {"check": c, "title": signers.title(c.role), "round": c.report.round} for c in returns
        ],
        "files": snap.latest_attachments(AttachmentKind.MANUAL, AttachmentKind.REPORT),
        "signer": signers.of_record(report, Role.PRAKOM),
    }
